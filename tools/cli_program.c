/* The command line's program mode (cli_program.h). */
#define _GNU_SOURCE
#include "tools/cli_program.h"

#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/posix/program.h"
#include "tools/cli_options.h"

extern char **environ;

/* Whether heddle's instrumentation runtime is linked in (tools/BUILD leaves
 * it out of sanitizer builds, where TSan's or ASan's runtime is). */
static bool hd_cli_program_can_instrument(void) {
#ifdef HD_WITH_INSTRUMENT
  return true;
#else
  return false;
#endif
}

/* Whether `arg` ends with `suffix` and is not an option. */
static bool ends_with(const char *arg, const char *suffix) {
  size_t n = strlen(arg), k = strlen(suffix);
  return n > k && arg[0] != '-' && strcmp(arg + n - k, suffix) == 0;
}

bool hd_cli_is_source(const char *arg) { return ends_with(arg, ".c") || ends_with(arg, ".so"); }

void hd_cli_program_split(int argc, char **argv, hd_cli_program *out) {
  int i = 0;
  while (i < argc && hd_cli_is_source(argv[i])) i++;
  out->nsources = i;
  out->sources = argv;
  int start = i;
  while (i < argc && strcmp(argv[i], "--") != 0) i++;
  out->noptions = 0;
  out->options = argv + start;
  out->instrument = out->spurious = false;
  for (int k = start; k < i; k++) {
    if (strcmp(argv[k], "--instrument") == 0) out->instrument = true;
    else if (strcmp(argv[k], "--spurious-wakeups") == 0) out->spurious = true;
    else out->options[out->noptions++] = argv[k];
  }
  out->nargs = i < argc ? argc - i - 1 : 0;
  out->args = i < argc ? argv + i + 1 : argv + argc;
}

/* Where heddle's sources are: HEDDLE_ROOT (tools/heddle sets it), or the
 * workspace of `bazel run`. */
static const char *heddle_root(void) {
  const char *root = getenv("HEDDLE_ROOT");
  if (root && *root) return root;
  root = getenv("BUILD_WORKSPACE_DIRECTORY");
  return root && *root ? root : NULL;
}

/* Whether any source mentions __VERIFIER_atomic_ functions, which need
 * -finstrument-functions (sv-comp.h); other programs are spared its cost. */
static bool mentions_atomic_functions(const hd_cli_program *p) {
  for (int i = 0; i < p->nsources; i++) {
    FILE *f = fopen(p->sources[i], "r");
    if (!f) continue;
    char line[4096];
    bool found = false;
    while (!found && fgets(line, sizeof line, f)) found = strstr(line, "__VERIFIER_atomic_") != NULL;
    fclose(f);
    if (found) return true;
  }
  return false;
}

/* Runs argv (NULL-terminated) and waits; false after printing why. */
static bool run_command(char **argv) {
  pid_t pid;
  int err = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);
  if (err) {
    fprintf(stderr, "heddle: cannot run the compiler '%s': %s (set CC)\n", argv[0], strerror(err));
    return false;
  }
  int status;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fprintf(stderr, "heddle: compiling the program failed (the compiler's messages are above)\n");
    return false;
  }
  return true;
}

/* Compiles the sources into `so` (in directory `dir`); false after printing
 * why. Each source is compiled on its own, then linked: an instrumented
 * object must not be linked with -fsanitize=thread, which would pull in
 * TSan's runtime instead of heddle's (harness/instrument/instrument.h). */
static bool compile(const hd_cli_program *p, const char *root, const char *dir, const char *so) {
  for (int i = 0; i < p->nsources; i++) {
    if (access(p->sources[i], R_OK) != 0) {
      char quoted[200];
      fprintf(stderr, "heddle: cannot read %s: %s\n", hd_cli_quote(p->sources[i], quoted, sizeof quoted),
              strerror(errno));
      return false;
    }
  }
  char header[4096], include[4096];
  snprintf(header, sizeof header, "%s/harness/posix/heddle_posix.h", root);
  snprintf(include, sizeof include, "-I%s/harness/posix", root);
  char *cc = getenv("CC") && *getenv("CC") ? getenv("CC") : "cc";
  char **objects = calloc((size_t)p->nsources, sizeof *objects);
  char **argv = calloc((size_t)p->nsources + 24, sizeof *argv);
  bool ok = objects && argv, atomic_functions = mentions_atomic_functions(p);
  for (int i = 0; ok && i < p->nsources; i++) {
    size_t n = 0;
    char *fixed[] = {cc, "-std=gnu11", "-g", "-O1", "-fPIC", "-include", header, include};
    for (size_t k = 0; k < sizeof fixed / sizeof *fixed; k++) argv[n++] = fixed[k];
    if (atomic_functions) argv[n++] = "-finstrument-functions";
    if (p->instrument) argv[n++] = "-fsanitize=thread";
    argv[n++] = "-c";
    argv[n++] = p->sources[i];
    argv[n++] = "-o";
    if (asprintf(&objects[i], "%s/%d.o", dir, i) < 0) {
      objects[i] = NULL;
      ok = false;
      break;
    }
    argv[n++] = objects[i];
    argv[n] = NULL;
    ok = run_command(argv);
  }
  if (ok) {
    size_t n = 0;
    char *fixed[] = {cc, "-shared", "-Wl,-Bsymbolic", "-o", (char *)so};
    for (size_t k = 0; k < sizeof fixed / sizeof *fixed; k++) argv[n++] = fixed[k];
    for (int i = 0; i < p->nsources; i++) argv[n++] = objects[i];
    argv[n++] = "-lm";
    argv[n] = NULL;
    ok = run_command(argv);
  }
  for (int i = 0; objects && i < p->nsources; i++) {
    if (objects[i]) unlink(objects[i]);
    free(objects[i]);
  }
  free(objects);
  free(argv);
  return ok;
}

/* The program's name in tokens and reports: its first source's file name. */
static const char *program_name(const hd_cli_program *p) {
  const char *slash = strrchr(p->sources[0], '/');
  return slash ? slash + 1 : p->sources[0];
}

/* " a.c b.c -- x y": what follows the token in the replay command. */
static char *replay_suffix(const hd_cli_program *p) {
  size_t size = 1;
  for (int i = 0; i < p->nsources; i++) size += strlen(p->sources[i]) + 1;
  for (int i = 0; i < p->nargs; i++) size += strlen(p->args[i]) + 4;
  size += 64;
  char *s = malloc(size);
  if (!s) return NULL;
  size_t n = 0;
  for (int i = 0; i < p->nsources; i++) n += (size_t)snprintf(s + n, size - n, " %s", p->sources[i]);
  if (p->instrument) n += (size_t)snprintf(s + n, size - n, " --instrument");
  if (p->spurious) n += (size_t)snprintf(s + n, size - n, " --spurious-wakeups");
  if (p->nargs) n += (size_t)snprintf(s + n, size - n, " --");
  for (int i = 0; i < p->nargs; i++) n += (size_t)snprintf(s + n, size - n, " %s", p->args[i]);
  s[n] = '\0';
  return s;
}

int hd_cli_program_run(const hd_cli_program *p, hd_options *o, bool json, const char *token_name,
                       hd_cli_runner runner) {
  const char *name = program_name(p);
  if (token_name && strcmp(token_name, name) != 0) {
    char a[200], b[200];
    fprintf(stderr, "heddle: the token is for program '%s', not '%s'\n", hd_cli_quote(token_name, a, sizeof a),
            hd_cli_quote(name, b, sizeof b));
    return HD_CLI_EXIT_USAGE;
  }
  const char *root = heddle_root();
  if (!root && !ends_with(p->sources[0], ".so")) {
    fprintf(stderr, "heddle: set HEDDLE_ROOT to heddle's checkout (tools/heddle does) to compile programs\n");
    return HD_CLI_EXIT_USAGE;
  }
  char dir[] = "/tmp/heddle-program-XXXXXX";
  if (!mkdtemp(dir)) {
    fprintf(stderr, "heddle: cannot make a temporary directory: %s\n", strerror(errno));
    return 3;
  }
  char so[sizeof dir + 4096];
  snprintf(so, sizeof so, "%s/program.so", dir);
  /* A program built already (heddle_posix.h's compile line): loaded as it is. */
  bool prebuilt = ends_with(p->sources[0], ".so");
  if (prebuilt) snprintf(so, sizeof so, "%s%s", strchr(p->sources[0], '/') ? "" : "./", p->sources[0]);
  int status;
  hd_program_spurious_wakeups(p->spurious);
  if (prebuilt && (p->nsources > 1 || p->instrument)) {
    fprintf(stderr, "heddle: a built program (.so) comes alone, without .c files or --instrument (build it with them)\n");
    status = HD_CLI_EXIT_USAGE;
  } else if (p->instrument && !hd_cli_program_can_instrument()) {
    fprintf(stderr, "heddle: --instrument needs heddle's instrumentation runtime, which a sanitizer build leaves out\n");
    status = HD_CLI_EXIT_USAGE;
  } else if (!prebuilt && !compile(p, root, dir, so)) {
    status = HD_CLI_EXIT_COMPILE;
  } else {
    char why[600];
    hd_program *program = hd_program_load(so, name, p->nargs, p->args, why, sizeof why);
    if (!program) {
      fprintf(stderr, "heddle: %s\n", why);
      status = 3;
    } else {
      hd_test t = hd_program_test(program);
      t.memory_hidden = !p->instrument;
      char *suffix = replay_suffix(p);
      o->replay_prefix = "tools/heddle replay ";
      o->replay_suffix = suffix;
      o->isolate = true; /* a crash or an exit in the program is a bug, not the end of heddle */
      /* Without --instrument the race detector has nothing to look at (a
       * program's memory is not hd_shared) and its vector clocks, as wide as
       * the program's threads, would be most of the cost. */
      if (!p->instrument) o->detect_races = false;
      status = runner(&t, NULL, o, json);
      free(suffix);
      hd_program_unload(program);
    }
  }
  if (!prebuilt) unlink(so);
  rmdir(dir);
  return status;
}

/* The command line's option parsing, apart from main so that the fuzzer
 * (fuzz/cli_fuzz.c) can drive it with any argv. */
#include "tools/cli_options.h"

#include <stdio.h>
#include <string.h>

#include "harness/strategies/table.h"

const char hd_cli_usage[] =
    "usage: heddle list [--json]\n"
    "       heddle explore SCENARIO [--strategy random|pct|dfs|dfs-naive|bounded] [--seed N] [--executions N]\n"
    "                               [--step-limit N] [--depth D] [--preemptions K] [--no-reduction] [--symmetry]\n"
    "                               [--optimal] [--reads-from] [--sections]\n"
    "                               [--no-shrink] [--first-execution I] [--jobs N] [--no-races] [--watchdog SECONDS]\n"
    "                               [--full-trace] [--json] [PICTURES]\n"
    "       heddle explore PROGRAM.c [MORE.c ...] [--instrument] [--spurious-wakeups] [the options above]\n"
    "                               [-- PROGRAM ARGUMENTS]   (or a PROGRAM.so built with heddle_posix.h)\n"
    "       heddle replay TOKEN [--watchdog SECONDS] [--full-trace] [--json] [PICTURES]\n"
    "       heddle replay TOKEN PROGRAM.c ... [the program's options and arguments, as when it was found]\n"
    "         (the token carries race detection, misuse handling and the step limit it was found with)\n"
    "--instrument: every shared memory access and C11 atomic of the program is a switch point\n"
    "--spurious-wakeups: a condition variable's wait may wake without a signal (POSIX allows it)\n"
    "PICTURES of the failing (or replayed) execution: [--format text] (the trace in the report)\n"
    "       [--html FILE] (one self-contained page: a lane per thread, happens-before arrows)\n"
    "       [--chrome-trace FILE] (Chrome trace event JSON for chrome://tracing or ui.perfetto.dev)\n"
    "--full-trace: draw every step of the trace (default: the first 100 and last 200, and the bug's)\n"
    "--symmetry: dfs explores one order of twin threads (same function and argument, spawned one after\n"
    "            another) while none has started; assumes nothing tells twins apart by identity\n"
    "--optimal: dfs uses optimal DPOR (wakeup trees): no execution wasted, one worker, no --symmetry\n"
    "--reads-from: dfs explores one execution per way the reads can read (reads-from equivalence):\n"
    "              fewer than dfs where writes are not read between\n"
    "--sections: dfs runs a critical section that only reads and writes memory as one step, so sections\n"
    "            that touch nothing in common are one class; checks that the memory is only used under\n"
    "            the lock, and searches again without it if not (a C program needs --instrument)\n"
    "--first-execution I: random and pct start at execution index I (go on after an interruption)\n"
    "--watchdog: seconds a thread may run without a switch point before it is a livelock (default 10, 0: off)\n"
    "exit status: 0 no bug, 1 bug found, 2 usage error, 3 harness error, 5 the program does not compile,\n"
    "             130/143 interrupted (SIGINT/SIGTERM)\n";

const char *hd_cli_quote(const char *arg, char *buf, size_t size) {
  size_t n = 0, i = 0;
  const size_t keep = 80; /* characters of a long argument shown */
  for (; arg[i] && i < keep && n + 8 < size; i++) {
    unsigned char c = (unsigned char)arg[i];
    if (c == '\n') n += (size_t)snprintf(buf + n, size - n, "\\n");
    else if (c == '\\' || c == '\'') n += (size_t)snprintf(buf + n, size - n, "\\%c", c);
    else if (c < 0x20 || c >= 0x7f) n += (size_t)snprintf(buf + n, size - n, "\\x%02x", c);
    else buf[n++] = (char)c;
  }
  buf[n] = '\0';
  if (arg[i]) snprintf(buf + n, size - n, "... (%zu characters)", strlen(arg));
  return buf;
}

int hd_cli_usage_error(const char *fmt, const char *arg) {
  char quoted[512];
  fputs("heddle: ", stderr);
  fprintf(stderr, fmt, hd_cli_quote(arg, quoted, sizeof quoted));
  fputs(" (try 'heddle --help')\n", stderr);
  return HD_CLI_EXIT_USAGE;
}

/* Options that only some strategies read (strategies/table.h), by flag. */
static const struct {
  const char *flag;
  unsigned takes;
} strategy_options[] = {
    {"--seed", HD_TAKES_SEED},
    {"--depth", HD_TAKES_DEPTH},
    {"--preemptions", HD_TAKES_PREEMPTIONS},
    {"--no-reduction", HD_TAKES_REDUCTION},
    {"--symmetry", HD_TAKES_SYMMETRY},
    {"--optimal", HD_TAKES_OPTIMAL},
    {"--reads-from", HD_TAKES_READS_FROM},
    {"--sections", HD_TAKES_SECTIONS},
    {"--no-shrink", HD_TAKES_SHRINK},
    {"--first-execution", HD_TAKES_FIRST_EXECUTION},
};

/* The HD_TAKES_* bit of a strategy option, 0 for the others. */
static unsigned takes_bit(const char *flag) {
  for (size_t k = 0; k < sizeof strategy_options / sizeof strategy_options[0]; k++)
    if (strcmp(flag, strategy_options[k].flag) == 0) return strategy_options[k].takes;
  return 0;
}

int hd_cli_parse_options(int argc, char **argv, bool replay, hd_options *o, bool *json, const char **html_path,
                         const char **chrome_path) {
  unsigned given = 0; /* HD_TAKES_* of the strategy options given */
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    const char *value = i + 1 < argc ? argv[i + 1] : NULL;
    given |= takes_bit(a);
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      fputs(hd_cli_usage, stdout);
      return 0;
    } else if (strcmp(a, "--json") == 0) {
      *json = true;
    } else if (strcmp(a, "--format") == 0) {
      if (!value || strcmp(value, "text") != 0)
        return hd_cli_usage_error("--format knows only 'text' (use --html FILE or --chrome-trace FILE), got '%s'",
                           value ? value : "");
      i++;
    } else if (strcmp(a, "--html") == 0 || strcmp(a, "--chrome-trace") == 0) {
      if (!value || !*value) return hd_cli_usage_error("%s needs a file name", a);
      if (a[2] == 'h') *html_path = value;
      else *chrome_path = value;
      i++;
    } else if (!replay && strcmp(a, "--no-races") == 0) {
      o->detect_races = false;
    } else if (!replay && strcmp(a, "--strategy") == 0) {
      if (!value) return hd_cli_usage_error("%s needs a value", a);
      const hd_strategy_kind *kind = hd_strategy_find(value);
      if (!kind || !kind->explorable) {
        char quoted[512];
        fprintf(stderr, "heddle: unknown strategy '%s' (known: %s; use 'heddle replay' to replay) (try 'heddle --help')\n",
                hd_cli_quote(value, quoted, sizeof quoted), hd_strategy_names());
        return HD_CLI_EXIT_USAGE;
      }
      o->strategy = argv[++i];
    } else if (!replay && strcmp(a, "--depth") == 0) {
      uint64_t n;
      if (!value || !hd_parse_count(value, 1, 64, &n))
        return hd_cli_usage_error("--depth needs a count between 1 and 64, got '%s'", value ? value : "");
      o->depth = (unsigned)n;
      i++;
    } else if (!replay && strcmp(a, "--preemptions") == 0) {
      uint64_t n;
      if (!value || !hd_parse_count(value, 0, 1000000, &n))
        return hd_cli_usage_error("--preemptions needs a count between 0 and 10^6, got '%s'", value ? value : "");
      o->preemptions = (int64_t)n;
      i++;
    } else if (!replay && strcmp(a, "--jobs") == 0) {
      uint64_t n;
      if (!value || !hd_parse_count(value, 1, 64, &n))
        return hd_cli_usage_error("--jobs needs a count between 1 and 64, got '%s'", value ? value : "");
      o->jobs = (unsigned)n;
      i++;
    } else if (!replay && strcmp(a, "--no-reduction") == 0) {
      o->reduction = false;
    } else if (!replay && strcmp(a, "--symmetry") == 0) {
      o->symmetry = true;
    } else if (!replay && strcmp(a, "--optimal") == 0) {
      o->optimal = true;
    } else if (!replay && strcmp(a, "--reads-from") == 0) {
      o->reads_from = true;
    } else if (!replay && strcmp(a, "--sections") == 0) {
      o->sections = true;
    } else if (!replay && strcmp(a, "--no-shrink") == 0) {
      o->shrink = false;
    } else if (!replay && strcmp(a, "--seed") == 0) {
      if (!value || !hd_parse_count(value, 0, UINT64_MAX, &o->seed))
        return hd_cli_usage_error("--seed needs an unsigned decimal integer, got '%s'", value ? value : "");
      i++;
    } else if (!replay && strcmp(a, "--first-execution") == 0) {
      if (!value || !hd_parse_count(value, 0, HD_MAX_EXECUTIONS, &o->first_execution))
        return hd_cli_usage_error("--first-execution needs an execution index between 0 and 10^12, got '%s'",
                                  value ? value : "");
      i++;
    } else if (!replay && strcmp(a, "--executions") == 0) {
      if (!value || !hd_parse_count(value, 1, HD_MAX_EXECUTIONS, &o->executions))
        return hd_cli_usage_error("--executions needs a count between 1 and 10^12, got '%s'", value ? value : "");
      i++;
    } else if (strcmp(a, "--full-trace") == 0) {
      o->trace_steps = 0;
    } else if (strcmp(a, "--watchdog") == 0) {
      uint64_t n;
      if (!value || !hd_parse_count(value, 0, 86400, &n))
        return hd_cli_usage_error("--watchdog needs a number of seconds between 0 (off) and 86400, got '%s'",
                           value ? value : "");
      o->watchdog = (double)n;
      i++;
    } else if (strcmp(a, "--step-limit") == 0) {
      if (!value || !hd_parse_count(value, 1, HD_MAX_STEP_LIMIT, &o->step_limit))
        return hd_cli_usage_error("--step-limit needs a count between 1 and 10^9, got '%s'", value ? value : "");
      i++;
    } else {
      return hd_cli_usage_error("unknown option '%s'", a);
    }
  }
  /* An option the chosen strategy does not read would be silently ignored. */
  const hd_strategy_kind *kind = replay ? NULL : hd_strategy_find(o->strategy);
  for (size_t k = 0; kind && k < sizeof strategy_options / sizeof strategy_options[0]; k++) {
    if (!(given & strategy_options[k].takes) || (kind->takes & strategy_options[k].takes)) continue;
    fprintf(stderr, "heddle: %s does not apply to strategy %s (try 'heddle --help')\n", strategy_options[k].flag,
            kind->name);
    return HD_CLI_EXIT_USAGE;
  }
  return -1;
}

const char *hd_cli_token_scenario(const char *token, char *out, size_t size) {
  const char *name = strchr(token, ':');
  const char *end = name ? strchr(name + 1, ':') : NULL;
  if ((strncmp(token, "hd2:", 4) != 0 && strncmp(token, "hd1:", 4) != 0) || !end)
    return "malformed token: expected hd2:SCENARIO:SETUP:SCHEDULE:CHECKSUM";
  size_t n = (size_t)(end - name - 1);
  if (n == 0 || n >= size) return "malformed token: bad scenario name";
  memcpy(out, name + 1, n);
  out[n] = '\0';
  return NULL;
}

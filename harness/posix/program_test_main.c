/* The runner of heddle_program_test (tools/heddle.bzl): explores one
 * program with random, pct and dfs and checks its declared outcome.
 *
 *   program_test [--spurious-wakeups] [--instrumented] [--symmetry] PROGRAM.so NAME EXPECT BUDGET DFS [-- args]
 *
 * (--symmetry: dfs's symmetry reduction of twin threads, strategies/dfs.c.)
 *
 * EXPECT is "pass" or the bug kinds that count ("crash", "deadlock|exit").
 * BUDGET is the executions random and pct get. DFS is "complete" (dfs must
 * finish its search: every schedule explored) or a number of executions
 * (the tree is too large: dfs runs that many). A buggy program passes when
 * every strategy finds a bug of an expected kind within its budget and the
 * bug's token replays to the same bug; a correct one when none finds a bug
 * and dfs, if asked, completes. Exit status 0 or 1, 2 for bad arguments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/explore.h"
#include "harness/posix/program.h"

/* Whether `kind` is one of the '|'-separated names in `kinds`. */
static bool expected_kind(const char *kinds, hd_bug_kind kind) {
  const char *name = hd_bug_kind_name(kind);
  size_t len = strlen(name);
  for (const char *p = kinds; *p;) {
    const char *end = strchr(p, '|');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    if (n == len && strncmp(p, name, n) == 0) return true;
    if (!end) break;
    p = end + 1;
  }
  return false;
}

/* Replays r's token and checks that it gives the same kind of bug. */
static bool replays(const hd_test *t, const hd_result *found) {
  hd_options o;
  hd_options_default(&o);
  o.strategy = "replay";
  o.token = found->token;
  o.executions = 1;
  hd_result r;
  bool same = hd_explore(t, &o, &r) == HD_EXPLORE_RAN && r.bug_found && r.kind == found->kind &&
              strcmp(r.message, found->message) == 0;
  hd_result_free(&r);
  return same;
}

int main(int argc, char **argv) {
  bool instrumented = false, symmetry = false;
  while (argc > 1 && (strcmp(argv[1], "--spurious-wakeups") == 0 || strcmp(argv[1], "--instrumented") == 0 ||
                      strcmp(argv[1], "--symmetry") == 0)) {
    if (strcmp(argv[1], "--spurious-wakeups") == 0) hd_program_spurious_wakeups(true);
    else if (strcmp(argv[1], "--symmetry") == 0) symmetry = true;
    else instrumented = true;
    argv[1] = argv[0];
    argv++;
    argc--;
  }
  if (argc < 6) {
    fprintf(stderr, "usage: %s PROGRAM.so NAME EXPECT BUDGET DFS [-- args]\n", argv[0]);
    return 2;
  }
  const char *path = argv[1], *name = argv[2], *expect = argv[3], *dfs = argv[5];
  uint64_t budget, dfs_budget = HD_MAX_EXECUTIONS;
  bool dfs_complete = strcmp(dfs, "complete") == 0;
  if (!hd_parse_count(argv[4], 1, HD_MAX_EXECUTIONS, &budget) ||
      (!dfs_complete && !hd_parse_count(dfs, 1, HD_MAX_EXECUTIONS, &dfs_budget))) {
    fprintf(stderr, "program_test: bad budget '%s' or dfs '%s'\n", argv[4], dfs);
    return 2;
  }
  int first_arg = argc > 6 && strcmp(argv[6], "--") == 0 ? 7 : argc;
  /* dlopen needs a path with a slash to look in the current directory. */
  char so[4096];
  snprintf(so, sizeof so, "%s%s", strchr(path, '/') ? "" : "./", path);
  char why[600];
  hd_program *program = hd_program_load(so, name, argc - first_arg, argv + first_arg, why, sizeof why);
  if (!program) {
    fprintf(stderr, "program_test: %s\n", why);
    return 2;
  }
  hd_test t = hd_program_test(program);
  t.memory_hidden = !instrumented;
  bool want_bug = strcmp(expect, "pass") != 0, ok = true;
  const char *strategies[] = {"random", "pct", "dfs"};
  for (int i = 0; i < 3; i++) {
    hd_options o;
    hd_options_default(&o);
    o.strategy = strategies[i];
    o.executions = i == 2 ? dfs_budget : budget;
    o.detect_races = instrumented; /* as the CLI: only instrumented memory has races to find */
    o.symmetry = symmetry;          /* dfs only: the others ignore it */
    hd_result r;
    if (hd_explore(&t, &o, &r) != HD_EXPLORE_RAN) {
      printf("%-7s %s: error: %s\n", strategies[i], name, r.error);
      ok = false;
    } else if (want_bug) {
      bool good = r.bug_found && expected_kind(expect, r.kind) && replays(&t, &r);
      printf("%-7s %s: %s after %llu executions: %s\n", strategies[i], name, good ? "found" : "NOT FOUND",
             (unsigned long long)r.executions, r.bug_found ? r.message : "no bug");
      ok = ok && good;
    } else {
      bool good = !r.bug_found && (i < 2 || !dfs_complete || r.complete);
      printf("%-7s %s: %s, %llu executions%s%s\n", strategies[i], name, good ? "no bug" : "FAILED",
             (unsigned long long)r.executions, r.complete ? ", complete" : "", r.bug_found ? r.message : "");
      if (r.bug_found && r.trace) fputs(r.trace, stdout);
      ok = ok && good;
    }
    hd_result_free(&r);
  }
  hd_program_unload(program);
  return ok ? 0 : 1;
}

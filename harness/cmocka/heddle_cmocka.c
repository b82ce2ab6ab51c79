#define _GNU_SOURCE /* program_invocation_name */
/* Exploration inside cmocka tests, with the HEDDLE_* environment applied. */
#include "harness/cmocka/heddle_cmocka.h"

#include <ctype.h>
#include <errno.h> /* program_invocation_name */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness/engine/schedule.h"
#include "harness/report/report.h"
#include "harness/strategies/table.h"

/* HEDDLE_REPLAY replays one test: the one its token names. */
static bool replay_ran;      /* a test of this binary had that name */
static pid_t replay_checker; /* the process whose exit checks it, 0 before */

/* At the test binary's exit: a token for a test that never ran is a mistake
 * (a misspelt name, a token of another binary), not a pass. */
static void check_replay_ran(void) {
  if (getpid() != replay_checker || replay_ran) return; /* not in supervised children */
  fprintf(stderr, "heddle: HEDDLE_REPLAY names a test that no heddle test in this binary ran\n");
  fflush(NULL);
  _exit(2);
}

/* Under Bazel the token replays in this very test target; elsewhere, this
 * binary run again with HEDDLE_REPLAY set. */
static void set_replay_command(hd_options *o) {
  static char prefix[512], suffix[4200];
  const char *target = getenv("TEST_TARGET");
  if (target && *target && strspn(target, "@/:_-.+=,~abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") ==
                               strlen(target)) {
    snprintf(prefix, sizeof prefix, "bazel test %s --test_env=HEDDLE_REPLAY=", target);
    suffix[0] = '\0';
  } else {
    snprintf(prefix, sizeof prefix, "HEDDLE_REPLAY=");
    size_t n = (size_t)snprintf(suffix, sizeof suffix, " '");
    for (const char *p = program_invocation_name; *p && n + 5 < sizeof suffix; p++) {
      if (*p == '\'') n += (size_t)snprintf(suffix + n, sizeof suffix - n, "'\\''");
      else suffix[n++] = *p;
    }
    snprintf(suffix + n, sizeof suffix - n, "'");
  }
  o->replay_prefix = prefix;
  o->replay_suffix = suffix;
}

/* Options for `t`: the given ones (or defaults) with the environment on top.
 * Returns false when HEDDLE_REPLAY replays another test: this one does not
 * run. A HEDDLE_REPLAY that does not parse ends the run with one line. */
static bool options_for(const hd_test *t, const hd_options *given, hd_options *o) {
  if (given) *o = *given;
  else hd_options_default(o);
  const char *err = hd_options_from_env(o);
  if (err) fail_msg("heddle: %s", err);
  set_replay_command(o);
  if (!o->token) return true;
  char *named = NULL;
  hd_schedule schedule = {0};
  const char *why = hd_token_decode(o->token, &named, NULL, &schedule);
  hd_schedule_free(&schedule);
  if (why) {
    fprintf(stderr, "heddle: HEDDLE_REPLAY: %s\n", why);
    fflush(NULL);
    _exit(2);
  }
  if (!replay_checker) {
    replay_checker = getpid();
    atexit(check_replay_ran);
  }
  bool mine = strcmp(named, t->name) == 0;
  free(named);
  if (!mine) {
    print_message("heddle: %s: not run (HEDDLE_REPLAY replays another test)\n", t->name);
    return false;
  }
  replay_ran = true;
  return true;
}

/* On failure: the HTML picture of the failing execution, written to
 * $HEDDLE_PICTURES/<test>.html, or under Bazel to the test's undeclared
 * outputs (bazel-testlogs/<pkg>/<test>/test.outputs/), and its path printed. */
static void write_picture(const hd_test *t, const hd_result *r) {
  const char *target = getenv("TEST_TARGET");
  const char *dir = getenv("HEDDLE_PICTURES");
  bool bazel_outputs = false;
  if (!dir || !*dir) {
    dir = getenv("TEST_UNDECLARED_OUTPUTS_DIR");
    bazel_outputs = true;
  }
  if (!dir || !*dir || !r->trace_data) return;
  char file[200], path[4096], why[600];
  size_t n = 0;
  for (const char *p = t->name; *p && n + 1 < sizeof file; p++)
    file[n++] = isalnum((unsigned char)*p) || *p == '-' || *p == '.' ? *p : '_';
  file[n] = '\0';
  snprintf(path, sizeof path, "%s/%s.html", dir, file);
  if (!hd_report_picture(t->name, r, HD_PICTURE_HTML, path, why, sizeof why)) {
    printf("picture:      not written: %s\n", why);
  } else if (bazel_outputs && target && strncmp(target, "//", 2) == 0 && strchr(target, ':')) {
    /* Bazel zips the undeclared outputs once the test ends, per shard. */
    const char *colon = strchr(target, ':');
    const char *shards = getenv("TEST_TOTAL_SHARDS"), *shard = getenv("TEST_SHARD_INDEX");
    uint64_t n = 0, k = 0;
    char shard_dir[64] = "";
    if (shards && shard && hd_parse_count(shards, 2, 64, &n) && hd_parse_count(shard, 0, n - 1, &k))
      snprintf(shard_dir, sizeof shard_dir, "/shard_%llu_of_%llu", (unsigned long long)k + 1, (unsigned long long)n);
    printf("picture:      %s.html in bazel-testlogs/%.*s%s%s%s/test.outputs/outputs.zip\n", file,
           (int)(colon - target - 2), target + 2, colon == target + 2 ? "" : "/", colon + 1, shard_dir);
  } else {
    printf("picture:      %s\n", path);
  }
}

static void explore_or_fail(const hd_test *t, const hd_options *o, hd_result *r) {
  hd_explore_status status = hd_explore(t, o, r);
  if (status == HD_EXPLORE_INTERRUPTED) {
    /* The test runner was told to stop (a Bazel timeout sends SIGTERM): the
     * children are gone; die of the signal as the runner would have. */
    fprintf(stderr, "heddle: %s: %s\n", t->name, r->error);
    fflush(NULL);
    signal(r->interrupted, SIG_DFL);
    raise(r->interrupted);
  }
  if (status != HD_EXPLORE_RAN) {
    char error[sizeof r->error];
    snprintf(error, sizeof error, "%s", r->error);
    hd_result_free(r);
    fail_msg("heddle: %s: %s", t->name, error);
  }
}

/* Bazel test sharding (shard_count on the test): this shard explores its
 * share of every no-bug exploration (harness/explore.h: shard_index of
 * shard_count), so the shards together explore exactly what one run would,
 * and it tells Bazel it understood by touching TEST_SHARD_STATUS_FILE. Only
 * no-bug explorations are split: a teaching test that expects a bug must
 * find it in every shard. */
static void apply_bazel_sharding(hd_options *o) {
  const char *total = getenv("TEST_TOTAL_SHARDS"), *index = getenv("TEST_SHARD_INDEX");
  uint64_t n, i;
  if (!total || !index || !hd_parse_count(total, 1, 64, &n) || !hd_parse_count(index, 0, n - 1, &i)) return;
  const hd_strategy_kind *kind = hd_strategy_find(o->strategy);
  if (o->token || !kind || kind->split == HD_SPLIT_NONE) return;
  o->shard_count = n;
  o->shard_index = i;
  o->jobs = 1;
  const char *status = getenv("TEST_SHARD_STATUS_FILE");
  if (status && *status) {
    FILE *f = fopen(status, "a");
    if (f) fclose(f);
  }
}

/* One line in the test log of what a passing exploration covered. */
static void print_coverage(const hd_test *t, const hd_options *o, const hd_result *r) {
  if (o->token) {
    print_message("heddle: %s: the replayed execution passed\n", t->name);
  } else if (r->complete) {
    print_message("heddle: %s: no bug; complete: all %llu executions explored (strategy %s)\n", t->name,
                  (unsigned long long)r->executions, o->strategy);
  } else {
    print_message("heddle: %s: no bug in %llu executions (strategy %s, seed %llu%s)%s%s\n", t->name,
                  (unsigned long long)r->executions, o->strategy, (unsigned long long)o->seed,
                  o->shard_count > 1 ? ", this shard's share" : "", r->stopped_by[0] ? "; incomplete: " : "",
                  r->stopped_by);
  }
}

void hd_cmocka_expect_no_bug(const hd_test *t, const hd_options *options) {
  hd_options o;
  if (!options_for(t, options, &o)) return;
  apply_bazel_sharding(&o);
  hd_result r;
  explore_or_fail(t, &o, &r);
  if (r.bug_found) {
    hd_report_text(stdout, t->name, "pass", &o, &r);
    write_picture(t, &r);
    fflush(stdout);
    hd_result_free(&r);
    fail_msg("heddle: %s: a schedule has a bug (report above)", t->name);
  }
  print_coverage(t, &o, &r);
  hd_result_free(&r);
}

void hd_cmocka_expect_bug(const hd_test *t, const hd_options *options, hd_bug_kind kind, hd_result *out) {
  hd_options o;
  if (!options_for(t, options, &o)) {
    if (out) memset(out, 0, sizeof *out);
    return;
  }
  hd_result r;
  explore_or_fail(t, &o, &r);
  if (!r.bug_found || r.kind != kind) {
    hd_report_text(stdout, t->name, hd_bug_kind_name(kind), &o, &r);
    write_picture(t, &r);
    fflush(stdout);
    const char *found = r.bug_found ? hd_bug_kind_name(r.kind) : "no bug";
    hd_result_free(&r);
    fail_msg("heddle: %s: expected a %s bug, found %s", t->name, hd_bug_kind_name(kind), found);
  }
  if (out) *out = r;
  else hd_result_free(&r);
}

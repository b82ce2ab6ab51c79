/* Supervised exploration (harness/supervise.c): whatever a test body does to
 * its process (exit, abort, a NULL dereference, raise, a failed cmocka
 * assertion, a loop without switch points) is a bug with a token that
 * replays to the same report, with one job or several, and the next test in
 * this binary still runs. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness/explore.h"
#include "primitives/heddle.h"

/* ---- bodies: main and a worker race on a flag; in some schedules one of
 * them does something fatal. ---------------------------------------------------- */

typedef enum fatal { EXIT_ZERO, ABORT, NULL_DEREF, RAISE_SEGV, CMOCKA_ASSERT, SPIN } fatal;

static fatal how;
static hd_shared flag;
static hd_thread worker;

static void worker_main(void *arg) {
  (void)arg;
  hd_store(&flag, 1);
}

/* Runs only when main read the flag after the worker set it: a schedule
 * with a preemption, so exploring finds it after a few executions. */
static void do_fatal(void) {
  volatile int *volatile nothing = NULL;
  volatile int spinning = 1;
  switch (how) {
    case EXIT_ZERO: exit(0);
    case ABORT: abort();
    case NULL_DEREF: *nothing = 1; break;
    case RAISE_SEGV: raise(SIGSEGV); break;
    case CMOCKA_ASSERT: assert_int_equal(hd_load(&flag), 2); break;
    case SPIN:
      while (spinning) {
      }
      break;
  }
}

static void body(void *arg) {
  (void)arg;
  hd_shared_init(&flag, "flag", 0);
  hd_thread_init(&worker, worker_main, NULL, "worker");
  hd_thread_start(&worker);
  hd_yield();
  if (hd_load(&flag) == 1) do_fatal();
  hd_thread_join(&worker, HD_FOREVER);
}

static hd_options options(void) {
  hd_options o;
  hd_options_default(&o);
  o.executions = 200;
  o.detect_races = false; /* the flag's race is not the point */
  o.watchdog = 1;
  return o;
}

static hd_result explore(fatal f, const hd_options *o) {
  how = f;
  hd_test t = {.name = "fatal_body", .body = body};
  hd_result r;
  hd_explore_status status = hd_explore(&t, o, &r);
  if (status != HD_EXPLORE_RAN) fail_msg("exploration did not run: %s", r.error);
  if (!r.bug_found) fail_msg("no bug found in %llu executions", (unsigned long long)r.executions);
  assert_non_null(r.token);
  return r;
}

/* Replays r's token and checks that it gives the same report. */
static void replays_the_same(fatal f, const hd_result *r) {
  hd_options o = options();
  o.token = r->token;
  o.strategy = "replay";
  hd_result again = explore(f, &o);
  assert_int_equal(again.kind, r->kind);
  assert_string_equal(again.message, r->message);
  assert_string_equal(again.details, r->details);
  assert_string_equal(again.trace, r->trace);
  assert_string_equal(again.token, r->token);
  hd_result_free(&again);
}

static void expect(fatal f, hd_bug_kind kind, const char *words) {
  hd_options o = options();
  hd_result r = explore(f, &o);
  if (r.kind != kind || !strstr(r.message, words))
    fail_msg("expected a %s bug saying '%s', got %s: %s", hd_bug_kind_name(kind), words, hd_bug_kind_name(r.kind),
             r.message);
  /* Where it was last seen, and the steps before it. */
  assert_non_null(strstr(r.message, "MainThread"));
  assert_non_null(strstr(r.message, ", after its switch point at tests/supervise_test.c:"));
  /* The way into it, drawn up to the death, which is the last event. */
  assert_non_null(r.trace_data);
  char bug_line[64];
  snprintf(bug_line, sizeof bug_line, "BUG: %s", hd_bug_kind_name(kind));
  if (!r.trace || !strstr(r.trace, "start Thread 'worker'") || !strstr(r.trace, bug_line))
    fail_msg("the trace does not show the way into the bug:\n%s", r.trace ? r.trace : "(none)");
  assert_true(r.bug_execution < r.executions);
  replays_the_same(f, &r);
  hd_result_free(&r);
}

static void test_supervise_exit_zero_is_an_exit_bug(void **state) {
  (void)state;
  /* Under ASan too: LeakSanitizer is told not to check a supervised child at exit. */
  expect(EXIT_ZERO, HD_BUG_EXIT, "exit: the process exited with status 0 in MainThread");
}

static void test_supervise_abort_is_a_crash(void **state) {
  (void)state;
  expect(ABORT, HD_BUG_CRASH, "crash: SIGABRT");
}

static void test_supervise_null_dereference_is_a_crash(void **state) {
  (void)state;
  expect(NULL_DEREF, HD_BUG_CRASH, "crash: SIGSEGV");
}

static void test_supervise_raise_sigsegv_is_a_crash(void **state) {
  (void)state;
  expect(RAISE_SEGV, HD_BUG_CRASH, "crash: SIGSEGV");
}

static void test_supervise_failed_cmocka_assertion_in_a_body_is_a_crash(void **state) {
  (void)state;
  expect(CMOCKA_ASSERT, HD_BUG_CRASH, "crash: SIGABRT");
}

static void test_supervise_loop_without_switch_points_is_a_livelock(void **state) {
  (void)state;
  expect(SPIN, HD_BUG_LIVELOCK, "livelock: MainThread ran for more than 1 s without reaching a switch point");
}

/* Two workers find the same first death as one process, and say so the same way. */
static void test_supervise_jobs_report_the_same_death_as_one_process(void **state) {
  (void)state;
  hd_options one = options();
  hd_result a = explore(ABORT, &one);
  hd_options two = options();
  two.jobs = 2;
  hd_result b = explore(ABORT, &two);
  assert_int_equal(b.kind, HD_BUG_CRASH);
  assert_string_equal(b.message, a.message);
  assert_string_equal(b.token, a.token);
  assert_int_equal(b.bug_execution, a.bug_execution);
  assert_int_equal(b.executions, a.executions);
  hd_result_free(&a);
  hd_result_free(&b);
}

static void quiet_body(void *arg) {
  (void)arg;
  hd_shared_init(&flag, "flag", 0);
  hd_thread_init(&worker, worker_main, NULL, "worker");
  hd_thread_start(&worker);
  hd_thread_join(&worker, HD_FOREVER);
}

/* A passing body still passes in its child, with its executions counted. */
static void test_supervise_a_passing_body_passes(void **state) {
  (void)state;
  hd_options o = options();
  o.executions = 50;
  hd_test t = {.name = "quiet_body", .body = quiet_body};
  hd_result r;
  assert_int_equal(hd_explore(&t, &o, &r), HD_EXPLORE_RAN);
  assert_false(r.bug_found);
  assert_int_equal(r.executions, 50);
  hd_result_free(&r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_supervise_exit_zero_is_an_exit_bug),
      cmocka_unit_test(test_supervise_abort_is_a_crash),
      cmocka_unit_test(test_supervise_null_dereference_is_a_crash),
      cmocka_unit_test(test_supervise_raise_sigsegv_is_a_crash),
      cmocka_unit_test(test_supervise_failed_cmocka_assertion_in_a_body_is_a_crash),
      cmocka_unit_test(test_supervise_loop_without_switch_points_is_a_livelock),
      cmocka_unit_test(test_supervise_jobs_report_the_same_death_as_one_process),
      cmocka_unit_test(test_supervise_a_passing_body_passes),
  };
  return cmocka_run_group_tests_name("supervise", tests, NULL, NULL);
}

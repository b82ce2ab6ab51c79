/* Exploration of the Queue, producer-consumer and executor scenarios on the
 * deterministic harness: every buggy one is found (and reported the way a
 * reader needs: the stuck producer names its queue), every correct one
 * passes thousands of schedules, and the reports for a future nobody
 * completes and a pool nobody shut down name who waits on what. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "harness/explore.h"
#include "harness/report/report.h"
#include "scenarios/scenario.h"
#include "tests/support/scenario_run.h"

enum { PASSING_EXECUTIONS = 2000 };

static hd_result explore_test(hd_test t, uint64_t executions, bool races) {
  hd_options o;
  hd_options_default(&o);
  o.executions = executions;
  o.detect_races = races;
  return hd_explore_or_fail(&t, &o);
}

static hd_result explore(const char *name, void (*body)(void *), uint64_t executions, bool races) {
  return explore_test((hd_test){.name = name, .body = body}, executions, races);
}

static hd_result explore_scenario(const char *name, uint64_t executions, bool races) {
  return explore_test(hd_scenario_test(name), executions, races);
}

static void expect_pass(const char *name) {
  hd_result r = explore_scenario(name, PASSING_EXECUTIONS, true);
  if (r.bug_found) {
    hd_options o;
    hd_options_default(&o);
    hd_report_text(stdout, name, "pass", &o, &r);
    fail_msg("%s: a bug in a correct scenario", name);
  }
  assert_int_equal(r.executions, PASSING_EXECUTIONS);
  hd_result_free(&r);
}

static void test_prodcon_lock_pipeline_delivers_every_message_in_order(void **state) {
  (void)state;
  expect_pass("prodcon_lock_pipeline");
}

static void test_prodcon_queue_event_consumes_every_message(void **state) {
  (void)state;
  expect_pass("prodcon_queue_event");
}

static void test_executor_map_returns_results_in_order(void **state) {
  (void)state;
  expect_pass("executor_map");
}

static void test_executor_locked_keeps_both_updates(void **state) {
  (void)state;
  expect_pass("executor_locked");
}

static void test_pipeline_read_after_release_is_found(void **state) {
  (void)state;
  hd_result r = explore_scenario("prodcon_lock_pipeline_return_after_release", 1, true);
  assert_true(r.bug_found);
  assert_true(r.kind == HD_BUG_DATA_RACE || r.kind == HD_BUG_ASSERTION);
  assert_non_null(strstr(r.message, "pipeline.message"));
  hd_result_free(&r);
  /* Without the race detector the lost or duplicated message itself shows. */
  r = explore_scenario("prodcon_lock_pipeline_return_after_release", 1000, false);
  assert_true(r.bug_found);
  if (r.kind != HD_BUG_ASSERTION && r.kind != HD_BUG_DEADLOCK)
    fail_msg("expected a wrong sequence (assertion) or a stranded producer (deadlock), got %s: %s",
             hd_bug_kind_name(r.kind), r.message);
  hd_result_free(&r);
}

static void test_consumer_exiting_early_strands_producer_in_put_on_full_queue(void **state) {
  (void)state;
  hd_result r = explore_scenario("prodcon_queue_event_consumer_exits_early", 1, true);
  assert_true(r.bug_found);
  assert_int_equal(r.kind, HD_BUG_DEADLOCK);
  assert_non_null(strstr(r.message, "producer"));
  assert_non_null(strstr(r.details, "MainThread waits on Thread 'producer' (join at "));
  assert_non_null(strstr(r.details, "producer waits on Queue 'pipeline' (put: queue full (10/10) at "));
  assert_non_null(strstr(r.details, "scenarios/prodcon_queue_event.c:"));
  assert_non_null(r.token);
  hd_result_free(&r);
}

static void test_executor_race_loses_an_update(void **state) {
  (void)state;
  hd_result r = explore_scenario("executor_race", 1, true);
  assert_true(r.bug_found);
  assert_int_equal(r.kind, HD_BUG_DATA_RACE);
  assert_non_null(strstr(r.message, "database.value"));
  hd_result_free(&r);
  r = explore_scenario("executor_race", 1, false);
  assert_true(r.bug_found);
  assert_int_equal(r.kind, HD_BUG_ASSERTION);
  assert_non_null(strstr(r.message, "database.value is 1 after two updates"));
  hd_result_free(&r);
}

/* ---- reports for executor misuse --------------------------------------------------- */

static hd_lock never_opened;
static hd_executor pool_a, pool_b; /* one each: the deadlocked executions never free them */
static hd_future stuck;

static hd_err wait_for_gate(void *arg, int64_t *result) {
  (void)arg, (void)result;
  hd_lock_acquire(&never_opened);
  return HD_OK;
}

static void result_of_a_task_that_never_finishes(void *arg) {
  (void)arg;
  hd_lock_init(&never_opened, "never_opened");
  hd_lock_acquire(&never_opened);
  hd_executor_init(&pool_a, 1, "pool");
  hd_executor_submit(&pool_a, &stuck, wait_for_gate, NULL);
  hd_future_result(&stuck, NULL, HD_FOREVER);
}

static void test_executor_future_deadlock_names_the_worker_running_it(void **state) {
  (void)state;
  hd_result r = explore("future_deadlock", result_of_a_task_that_never_finishes, 1, true);
  assert_true(r.bug_found);
  assert_int_equal(r.kind, HD_BUG_DEADLOCK);
  assert_non_null(strstr(r.details, "MainThread waits on Future#"));
  assert_non_null(strstr(r.details, "(result: future not done at "));
  assert_non_null(strstr(r.details, "held by pool_0"));
  assert_non_null(strstr(r.details, "pool_0 waits on Lock 'never_opened'"));
  assert_non_null(strstr(r.details, "wait-for cycle: MainThread -> Future#"));
  hd_result_free(&r);
}

static hd_err nothing(void *arg, int64_t *result) {
  (void)arg;
  *result = 0;
  return HD_OK;
}

static void pool_never_shut_down(void *arg) {
  (void)arg;
  hd_executor_init(&pool_b, 2, "pool");
  hd_executor_submit(&pool_b, &stuck, nothing, NULL);
  hd_future_result(&stuck, NULL, HD_FOREVER);
}

static void test_executor_never_shut_down_is_reported_at_exit(void **state) {
  (void)state;
  hd_result r = explore("pool_never_shut_down", pool_never_shut_down, 1, true);
  assert_true(r.bug_found);
  assert_int_equal(r.kind, HD_BUG_DEADLOCK);
  assert_non_null(strstr(r.details, "MainThread waits at interpreter exit"));
  assert_non_null(strstr(r.details, "pool_0 waits on ThreadPoolExecutor 'pool' (worker idle"));
  hd_result_free(&r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_prodcon_lock_pipeline_delivers_every_message_in_order),
      cmocka_unit_test(test_prodcon_queue_event_consumes_every_message),
      cmocka_unit_test(test_executor_map_returns_results_in_order),
      cmocka_unit_test(test_executor_locked_keeps_both_updates),
      cmocka_unit_test(test_pipeline_read_after_release_is_found),
      cmocka_unit_test(test_consumer_exiting_early_strands_producer_in_put_on_full_queue),
      cmocka_unit_test(test_executor_race_loses_an_update),
      cmocka_unit_test(test_executor_future_deadlock_names_the_worker_running_it),
      cmocka_unit_test(test_executor_never_shut_down_is_reported_at_exit),
  };
  return cmocka_run_group_tests_name("queue and executor scenarios", tests, NULL, NULL);
}

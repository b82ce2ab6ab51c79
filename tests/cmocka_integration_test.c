/* The cmocka integration: expecting a bug, expecting none, and the HEDDLE_*
 * environment overriding a test's settings (HEDDLE_REPLAY, HEDDLE_SEED,
 * HEDDLE_EXECUTIONS). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness/cmocka/heddle_cmocka.h"
#include "primitives/heddle.h"

static hd_shared value;
static hd_thread workers[2];
static int executions_seen;

static void unlocked_increment(void *arg) {
  (void)arg;
  int64_t v = hd_load(&value);
  hd_yield();
  hd_store(&value, v + 1);
}

static void racy_body(void *arg) {
  (void)arg;
  executions_seen++;
  hd_shared_init(&value, "value", 0);
  for (int i = 0; i < 2; i++) {
    hd_thread_init(&workers[i], unlocked_increment, NULL, NULL);
    hd_thread_start(&workers[i]);
  }
  for (int i = 0; i < 2; i++) hd_thread_join(&workers[i], HD_FOREVER);
  HD_ASSERT(hd_load(&value) == 2, "lost update: %lld", (long long)hd_load(&value));
}

static void quiet_body(void *arg) {
  (void)arg;
  executions_seen++;
}

static hd_options no_races(void) {
  hd_options o;
  hd_options_default(&o);
  o.isolate = false; /* the test reads what the body left in its globals */
  o.detect_races = false;
  return o;
}

static void test_cmocka_expect_bug_finds_the_lost_update(void **state) {
  (void)state;
  hd_test t = {.name = "racy_body", .body = racy_body};
  hd_options o = no_races();
  hd_result r;
  hd_cmocka_expect_bug(&t, &o, HD_BUG_ASSERTION, &r);
  assert_non_null(strstr(r.message, "lost update: 1"));
  assert_non_null(r.token);
  hd_result_free(&r);
}

static void test_cmocka_heddle_replay_reruns_exactly_the_named_test(void **state) {
  (void)state;
  hd_test t = {.name = "racy_body", .body = racy_body};
  hd_options o = no_races();
  hd_result found;
  hd_cmocka_expect_bug(&t, &o, HD_BUG_ASSERTION, &found);
  setenv("HEDDLE_REPLAY", found.token, 1);
  executions_seen = 0;
  hd_result again;
  hd_cmocka_expect_bug(&t, &o, HD_BUG_ASSERTION, &again);
  assert_int_equal(executions_seen, 1); /* a replay is one execution, traced as it runs */
  assert_string_equal(again.token, found.token);
  assert_string_equal(again.trace, found.trace);
  /* Replay runs only the named test: another returns at once. */
  hd_test other = {.name = "quiet_body", .body = quiet_body};
  hd_options few = no_races();
  few.executions = 7;
  executions_seen = 0;
  hd_cmocka_expect_no_bug(&other, &few);
  unsetenv("HEDDLE_REPLAY");
  assert_int_equal(executions_seen, 0);
  hd_result_free(&again);
  hd_result_free(&found);
}

static void test_cmocka_heddle_executions_overrides_the_test(void **state) {
  (void)state;
  hd_test t = {.name = "quiet_body", .body = quiet_body};
  hd_options o;
  hd_options_default(&o);
  o.isolate = false; /* the test reads what the body left in its globals */
  setenv("HEDDLE_EXECUTIONS", "13", 1);
  executions_seen = 0;
  hd_cmocka_expect_no_bug(&t, &o);
  unsetenv("HEDDLE_EXECUTIONS");
  assert_int_equal(executions_seen, 13);
}

static hd_lock order_lock;
static hd_shared order;
static hd_thread appenders[3];
static int64_t orders[20];

static void append_id(void *arg) {
  hd_lock_acquire(&order_lock);
  hd_store(&order, hd_load(&order) * 10 + (int64_t)(long)arg);
  hd_lock_release(&order_lock);
}

static void ordered_body(void *arg) {
  (void)arg;
  hd_lock_init(&order_lock, "order_lock");
  hd_shared_init(&order, "order", 0);
  for (long i = 0; i < 3; i++) {
    hd_thread_init(&appenders[i], append_id, (void *)(i + 1), NULL);
    hd_thread_start(&appenders[i]);
  }
  for (int i = 0; i < 3; i++) hd_thread_join(&appenders[i], HD_FOREVER);
  if (executions_seen < 20) orders[executions_seen] = hd_load(&order);
  executions_seen++;
}

static void test_cmocka_heddle_seed_changes_the_schedules(void **state) {
  (void)state;
  hd_test t = {.name = "ordered_body", .body = ordered_body};
  hd_options o;
  hd_options_default(&o);
  o.isolate = false; /* the test reads what the body left in its globals */
  o.executions = 20;
  int64_t runs[3][20];
  const char *seeds[3] = {"5", "6", "5"};
  for (int round = 0; round < 3; round++) {
    setenv("HEDDLE_SEED", seeds[round], 1);
    executions_seen = 0;
    hd_cmocka_expect_no_bug(&t, &o);
    memcpy(runs[round], orders, sizeof orders);
  }
  unsetenv("HEDDLE_SEED");
  assert_memory_not_equal(runs[0], runs[1], sizeof runs[0]);
  assert_memory_equal(runs[0], runs[2], sizeof runs[0]);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_cmocka_expect_bug_finds_the_lost_update),
      cmocka_unit_test(test_cmocka_heddle_replay_reruns_exactly_the_named_test),
      cmocka_unit_test(test_cmocka_heddle_executions_overrides_the_test),
      cmocka_unit_test(test_cmocka_heddle_seed_changes_the_schedules),
  };
  return cmocka_run_group_tests_name("cmocka integration", tests, NULL, NULL);
}

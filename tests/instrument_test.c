/* Plain memory and C11 atomics as switch points (harness/instrument/,
 * harness/engine/memory.c), on models written in ordinary C and compiled
 * with -fsanitize=thread (tests/instrumented_models.c): a plain lost update
 * is found by random, pct and dfs as a data race naming both lines; atomics
 * give their exact counts under dfs; private memory is not a switch point;
 * a location first touched by one thread and then read by another is
 * explored both ways. Under --config=tsan or asan the models cannot be
 * compiled for heddle's runtime, and the test says so and passes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "harness/explore.h"
#include "tests/instrumented_models.h"
#include "tests/support/scenario_run.h"

#ifndef HD_NO_INSTRUMENT

static hd_result explore(const char *name, void (*body)(void *), void (*check)(void *), const char *strategy,
                         bool races, uint64_t executions) {
  hd_test t = {.name = name, .body = body, .check = check};
  hd_options o;
  hd_options_default(&o);
  o.isolate = false; /* the checks below read what the bodies left in globals */
  o.strategy = strategy;
  o.detect_races = races;
  o.executions = executions;
  return hd_explore_or_fail(&t, &o);
}

static void test_instrument_plain_lost_update_is_a_race_naming_both_lines(void **state) {
  (void)state;
  const char *strategies[] = {"random", "pct", "dfs"};
  for (int k = 0; k < 3; k++) {
    hd_result r = explore("plain_lost_update", model_plain_lost_update, model_plain_lost_update_check, strategies[k],
                          true, 1000);
    if (!r.bug_found || r.kind != HD_BUG_DATA_RACE)
      fail_msg("%s: no data race found in %llu executions", strategies[k], (unsigned long long)r.executions);
    /* `counter = counter + 1`: its read and its write, in two threads. */
    char where[64];
    snprintf(where, sizeof where, "tests/instrumented_models.c:%d", model_increment_line);
    if (!strstr(r.message, "data race on counter") || !strstr(r.details, where))
      fail_msg("%s: the report does not name the variable and its line:\n%s\n%s", strategies[k], r.message,
               r.details);
    hd_result_free(&r);
  }
  /* Without the race detector, the lost update itself. */
  hd_result r = explore("plain_lost_update", model_plain_lost_update, model_plain_lost_update_check, "dfs", false,
                        1000);
  assert_true(r.bug_found);
  assert_int_equal(r.kind, HD_BUG_ASSERTION);
  hd_result_free(&r);
}

static void test_instrument_atomic_adders_are_3_factorial_and_never_race(void **state) {
  (void)state;
  hd_result r = explore("atomic_adders", model_atomic_adders, model_atomic_adders_check, "dfs", true, 100000);
  assert_false(r.bug_found);
  assert_true(r.complete);
  assert_int_equal(r.executions, 6);
  hd_result_free(&r);
}

static void test_instrument_atomic_readers_are_2_to_the_3(void **state) {
  (void)state;
  hd_result r = explore("atomic_readers", model_atomic_readers, NULL, "dfs", true, 100000);
  assert_false(r.bug_found);
  assert_true(r.complete);
  assert_int_equal(r.executions, 8);
  hd_result_free(&r);
}

static void test_instrument_private_memory_is_not_a_switch_point(void **state) {
  (void)state;
  /* 2 x 128 accesses to buffers of their own: one execution, few steps. */
  hd_result r = explore("private_work", model_private_work, NULL, "dfs", true, 100000);
  assert_false(r.bug_found);
  assert_true(r.complete);
  assert_int_equal(r.executions, 1);
  hd_result_free(&r);
}

static int outcomes; /* bit v: the reader saw v */

static void record_outcome(void *arg) {
  (void)arg;
  outcomes |= 1 << model_seen;
  shared_value = 0; /* the next execution starts from the initial state */
}

static void test_instrument_first_touch_by_another_thread_is_explored_both_ways(void **state) {
  (void)state;
  outcomes = 0;
  hd_result r = explore("write_then_read", model_write_then_read, record_outcome, "dfs", false, 100000);
  assert_true(r.complete);
  if (outcomes != 3) fail_msg("the reader saw only %s", outcomes == 1 ? "0" : "1");
  hd_result_free(&r);
}

/* Memory no other thread has touched yet is private to its thread, and
 * without eager memory its accesses are part of whatever step they are in:
 * two of them are never split by another thread. The systematic strategies
 * make every access (but to the thread's own stack) a switch point from the
 * first, so dfs reaches x = 3, z = 1 (its check fails), and its token, which
 * says so ("e1"), replays it. */
/* This file is not instrumented: its stores are not the model's accesses. */
static void split_reset(void) {
  atomic_store(&split_x, 0);
  atomic_store(&split_z, 0);
}

static void test_instrument_dfs_splits_two_first_touches(void **state) {
  (void)state;
  model_split_reset = split_reset;
  hd_result r = explore("split_first_touches", model_split_first_touches, model_split_first_touches_check, "dfs",
                        false, 100000);
  if (!r.bug_found) fail_msg("dfs missed x = 3, z = 1 (%llu executions, complete %d)", (unsigned long long)r.executions,
                             r.complete);
  assert_non_null(strstr(r.message, "x = 3 and z = 1"));
  assert_non_null(strstr(r.token, ":r0e1:")); /* races off, memory eager */
  hd_test t = {.name = "split_first_touches", .body = model_split_first_touches, .check = model_split_first_touches_check};
  hd_options o;
  hd_options_default(&o);
  o.isolate = false;
  o.token = r.token;
  hd_result again = hd_explore_or_fail(&t, &o);
  assert_true(again.bug_found);
  assert_string_equal(again.message, r.message);
  hd_result_free(&again);
  hd_result_free(&r);
}

/* Spin loops are parked, so dfs completes on a spinlock; its buggy twin
 * (a relaxed release) is a data race; a spin nobody ends is a livelock. */
static void test_instrument_dfs_completes_on_a_spinlock_and_finds_its_buggy_twin(void **state) {
  (void)state;
  model_relaxed_release = false;
  hd_result r = explore("spinlock", model_spinlock, NULL, "dfs", true, 100000);
  if (r.bug_found) fail_msg("the correct spinlock: %s", r.message);
  assert_true(r.complete);
  assert_int_equal(r.executions, 4);
  hd_result_free(&r);
  model_relaxed_release = true;
  r = explore("spinlock_relaxed", model_spinlock, NULL, "dfs", true, 100000);
  model_relaxed_release = false;
  assert_true(r.bug_found);
  assert_int_equal(r.kind, HD_BUG_DATA_RACE);
  if (!strstr(r.message, "data race on guarded")) fail_msg("not the race on guarded: %s", r.message);
  hd_result_free(&r);
}

static void test_instrument_a_spin_nobody_ends_is_a_livelock(void **state) {
  (void)state;
  hd_result r = explore("spin_forever", model_spin_forever, NULL, "dfs", true, 100);
  assert_true(r.bug_found);
  assert_int_equal(r.kind, HD_BUG_LIVELOCK);
  if (!strstr(r.message, "re-reads never_set, which nobody wrote since"))
    fail_msg("the livelock does not say what it spins on: %s", r.message);
  hd_result_free(&r);
}

static void test_instrument_seqlock_reader_without_its_second_check_sees_a_torn_value(void **state) {
  (void)state;
  model_seqlock_skips_second_check = false;
  hd_result r = explore("seqlock", model_seqlock, NULL, "dfs", true, 100000);
  if (r.bug_found) fail_msg("the correct seqlock: %s", r.message);
  assert_true(r.complete);
  assert_int_equal(r.executions, 15);
  hd_result_free(&r);
  model_seqlock_skips_second_check = true;
  r = explore("seqlock_torn", model_seqlock, NULL, "dfs", true, 100000);
  model_seqlock_skips_second_check = false;
  assert_true(r.bug_found);
  assert_int_equal(r.kind, HD_BUG_ASSERTION);
  assert_non_null(strstr(r.message, "torn value"));
  hd_result_free(&r);
}

static void test_instrument_treiber_stack_has_aba_without_its_tag(void **state) {
  (void)state;
  model_stack_tagged = true;
  hd_result r = explore("treiber_tagged", model_treiber_stack, NULL, "dfs", true, 100000);
  if (r.bug_found) fail_msg("the tagged stack: %s", r.message);
  assert_true(r.complete);
  assert_int_equal(r.executions, 55);
  hd_result_free(&r);
  model_stack_tagged = false;
  r = explore("treiber_aba", model_treiber_stack, NULL, "dfs", true, 100000);
  model_stack_tagged = true;
  if (!r.bug_found || r.kind != HD_BUG_ASSERTION || !strstr(r.message, "ABA"))
    fail_msg("the untagged stack: %s", r.bug_found ? r.message : "no bug");
  hd_result_free(&r);
}

static void test_instrument_lastzero_and_cas_loop_give_their_counts(void **state) {
  (void)state;
  /* lastzero(5): its 64 Mazurkiewicz traces, as in the source-DPOR paper. */
  hd_result r = explore("lastzero_5", model_lastzero, NULL, "dfs", false, 100000);
  assert_false(r.bug_found);
  assert_true(r.complete);
  assert_int_equal(r.executions, 64);
  hd_result_free(&r);
  /* A compare-exchange loop, two threads: 4 orders of their loads and
   * compare-exchanges (a reads-from equivalence would need 2: issue 12). */
  r = explore("cas_loop", model_cas_loop, NULL, "dfs", true, 100000);
  if (r.bug_found) fail_msg("the CAS loop: %s", r.message);
  assert_true(r.complete);
  assert_int_equal(r.executions, 4);
  hd_result_free(&r);
}

static void test_instrument_work_stealing_deque_pop_needs_its_compare_exchange(void **state) {
  (void)state;
  model_deque_pop_without_cas = false;
  hd_result r = explore("deque", model_work_stealing_deque, NULL, "dfs", true, 100000);
  if (r.bug_found) fail_msg("the correct deque: %s", r.message);
  assert_true(r.complete);
  assert_int_equal(r.executions, 8);
  hd_result_free(&r);
  model_deque_pop_without_cas = true;
  r = explore("deque_racy_pop", model_work_stealing_deque, NULL, "dfs", true, 100000);
  model_deque_pop_without_cas = false;
  if (!r.bug_found || !strstr(r.message, "taken twice")) fail_msg("the racy pop: %s", r.bug_found ? r.message : "no bug");
  hd_result_free(&r);
}

/* dfs --reads-from on the same programs: every buggy one still fails the
 * way it does under dfs, every correct one completes in no more executions
 * (pinned). Here the counts are dfs's: in these programs every read is of
 * an atomic that updates also write, and an update (an atomic add, a
 * compare-exchange, failed or not) reads and writes, so the orders of the
 * updates are reads-from classes too. */
static hd_result explore_reads_from(const char *name, void (*body)(void *), bool races) {
  hd_test t = {.name = name, .body = body};
  hd_options o;
  hd_options_default(&o);
  o.isolate = false;
  o.strategy = "dfs";
  o.reads_from = true;
  o.detect_races = races;
  o.executions = 100000;
  return hd_explore_or_fail(&t, &o);
}

static void test_instrument_reads_from_finds_the_same_bugs_in_fewer_executions(void **state) {
  (void)state;
  struct {
    const char *name;
    void (*body)(void *);
    bool *flag; /* set: the buggy twin */
    bool races;
    uint64_t dfs, reads_from;
    const char *bug; /* in the buggy twin's message */
  } models[] = {
      {"spinlock", model_spinlock, &model_relaxed_release, true, 4, 4, "data race on guarded"},
      {"seqlock", model_seqlock, &model_seqlock_skips_second_check, true, 15, 15, "torn value"},
      {"treiber", model_treiber_stack, NULL, true, 55, 55, NULL},
      {"deque", model_work_stealing_deque, &model_deque_pop_without_cas, true, 8, 8, "taken twice"},
      {"lastzero_5", model_lastzero, NULL, false, 64, 64, NULL},
      {"cas_loop", model_cas_loop, NULL, true, 4, 4, NULL},
      {"atomic_adders", model_atomic_adders, NULL, true, 6, 6, NULL},
      {"atomic_readers", model_atomic_readers, NULL, true, 8, 8, NULL},
  };
  model_stack_tagged = true;
  for (size_t i = 0; i < sizeof models / sizeof models[0]; i++) {
    hd_result r = explore_reads_from(models[i].name, models[i].body, models[i].races);
    print_message("%s: %llu executions (dfs: %llu), %llu wasted\n", models[i].name, (unsigned long long)r.executions,
                  (unsigned long long)models[i].dfs, (unsigned long long)r.wasted);
    if (r.bug_found || !r.complete) fail_msg("%s: %s", models[i].name, r.bug_found ? r.message : r.stopped_by);
    assert_int_equal(r.executions, models[i].reads_from);
    assert_true(r.executions <= models[i].dfs);
    hd_result_free(&r);
    if (!models[i].flag) continue;
    *models[i].flag = true;
    r = explore_reads_from(models[i].name, models[i].body, models[i].races);
    *models[i].flag = false;
    if (!r.bug_found || !strstr(r.message, models[i].bug))
      fail_msg("%s's buggy twin: %s", models[i].name, r.bug_found ? r.message : "no bug");
    hd_result_free(&r);
  }
  model_stack_tagged = false; /* the untagged stack's ABA */
  hd_result r = explore_reads_from("treiber_aba", model_treiber_stack, true);
  model_stack_tagged = true;
  if (!r.bug_found || !strstr(r.message, "ABA")) fail_msg("the untagged stack: %s", r.bug_found ? r.message : "no bug");
  hd_result_free(&r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_instrument_reads_from_finds_the_same_bugs_in_fewer_executions),
      cmocka_unit_test(test_instrument_work_stealing_deque_pop_needs_its_compare_exchange),
      cmocka_unit_test(test_instrument_lastzero_and_cas_loop_give_their_counts),
      cmocka_unit_test(test_instrument_treiber_stack_has_aba_without_its_tag),
      cmocka_unit_test(test_instrument_seqlock_reader_without_its_second_check_sees_a_torn_value),
      cmocka_unit_test(test_instrument_dfs_completes_on_a_spinlock_and_finds_its_buggy_twin),
      cmocka_unit_test(test_instrument_a_spin_nobody_ends_is_a_livelock),
      cmocka_unit_test(test_instrument_plain_lost_update_is_a_race_naming_both_lines),
      cmocka_unit_test(test_instrument_atomic_adders_are_3_factorial_and_never_race),
      cmocka_unit_test(test_instrument_atomic_readers_are_2_to_the_3),
      cmocka_unit_test(test_instrument_private_memory_is_not_a_switch_point),
      cmocka_unit_test(test_instrument_first_touch_by_another_thread_is_explored_both_ways),
      cmocka_unit_test(test_instrument_dfs_splits_two_first_touches),
  };
  return cmocka_run_group_tests_name("instrument", tests, NULL, NULL);
}

#else

int main(void) {
  printf("instrument: skipped: under a sanitizer the models cannot be compiled for heddle's runtime\n");
  return 0;
}

#endif

/* PCT (harness/strategies/pct.c): finds every buggy scenario, is a function of
 * its seed, follows priorities (depth 1 never preempts between running
 * threads, so the lost update that needs a preemption appears only from
 * depth 2). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "harness/explore.h"
#include "harness/strategies/strategy.h"
#include "scenarios/scenario.h"
#include "tests/support/scenario_run.h"

/* Explores `s` with PCT; fails the test unless the exploration ran. */
static hd_result explore_pct(const hd_scenario *s, uint64_t seed, unsigned depth, uint64_t executions, bool races) {
  hd_test t = {.name = s->name, .body = s->body, .check = s->check};
  hd_options o;
  hd_options_default(&o);
  o.strategy = "pct";
  o.seed = seed;
  o.depth = depth;
  o.executions = executions;
  o.detect_races = races;
  return hd_explore_or_fail(&t, &o);
}

static void test_pct_finds_every_buggy_scenario(void **state) {
  (void)state;
  for (size_t i = 0; i < hd_scenario_count(); i++) {
    const hd_scenario *s = hd_scenario_at(i);
    if (s->expect != HD_EXPECT_BUG) continue;
    hd_result r = explore_pct(s, 1, 3, 10000, true);
    if (!r.bug_found || !(s->bug_kinds & HD_KIND(r.kind)))
      fail_msg("pct did not find %s's bug in %llu executions", s->name, (unsigned long long)r.executions);
    hd_result_free(&r);
  }
}

static void test_pct_is_a_function_of_its_seed(void **state) {
  (void)state;
  const hd_scenario *s = hd_scenario_find("racy_counter_2");
  for (uint64_t seed = 1; seed <= 5; seed++) {
    hd_result a = explore_pct(s, seed, 3, 1000, false);
    hd_result b = explore_pct(s, seed, 3, 1000, false);
    assert_true(a.bug_found && b.bug_found);
    assert_int_equal(a.bug_execution, b.bug_execution);
    assert_string_equal(a.token, b.token);
    hd_result_free(&a);
    hd_result_free(&b);
  }
}

static void test_pct_depth_one_never_interleaves_the_racy_increments(void **state) {
  (void)state;
  const hd_scenario *s = hd_scenario_find("racy_counter_2");
  hd_result r = explore_pct(s, 1, 1, 500, false);
  assert_false(r.bug_found);
  hd_result_free(&r);
  r = explore_pct(s, 1, 2, 500, false);
  assert_true(r.bug_found);
  assert_int_equal(r.kind, HD_BUG_ASSERTION);
  hd_result_free(&r);
}

/* The strategy alone: with depth 1 the highest-priority runnable thread
 * always runs, so the same thread is picked while it stays runnable, and a
 * different one only when it is not. */
static void test_pct_runs_the_highest_priority_thread(void **state) {
  (void)state;
  hd_strategy s;
  assert_true(hd_strategy_pct(&s, 42, 1, 100, 0));
  hd_pending pending[3] = {{0}};
  for (uint64_t exec = 0; exec < 20; exec++) {
    assert_true(s.ops->begin(s.self, exec));
    hd_tset runnable = {{7}};
    hd_decision d = {.runnable = &runnable, .nrunnable = 3, .current = 0, .nthreads = 3, .pending = pending, .step = 0};
    int first = s.ops->pick_thread(s.self, &d);
    for (uint64_t step = 1; step < 10; step++) {
      d.step = step;
      d.current = first;
      assert_int_equal(s.ops->pick_thread(s.self, &d), first);
    }
    hd_tset_del(&runnable, first);
    d.nrunnable = 2;
    int second = s.ops->pick_thread(s.self, &d);
    assert_int_not_equal(second, first);
    hd_outcome o = {.steps = 11};
    s.ops->end(s.self, &o);
  }
  s.ops->destroy(s.self);
}

/* With depth 3 there are 2 change points in [1, k]: over many executions
 * each step of a 10-step program is a change point about equally often, and
 * the thread running there drops below the others. */
static void test_pct_change_points_demote_the_running_thread(void **state) {
  (void)state;
  hd_strategy s;
  assert_true(hd_strategy_pct(&s, 7, 3, 10, 0));
  hd_pending pending[2] = {{0}};
  int switches = 0;
  for (uint64_t exec = 0; exec < 1000; exec++) {
    assert_true(s.ops->begin(s.self, exec));
    hd_tset runnable = {{3}};
    hd_decision d = {.runnable = &runnable, .nrunnable = 2, .current = 0, .nthreads = 2, .pending = pending};
    int prev = -1;
    for (uint64_t step = 0; step < 10; step++) {
      d.step = step;
      int t = s.ops->pick_thread(s.self, &d);
      if (prev >= 0 && t != prev) switches++;
      prev = t;
      d.current = t;
    }
    hd_outcome o = {.steps = 10};
    s.ops->end(s.self, &o);
  }
  s.ops->destroy(s.self);
  /* Two change points: the first always switches unless it lands on step 1
   * (before anything ran it is still a switch of priority, not of thread);
   * the second switches back only if it hits the other thread. Between 1000
   * and 2000 switches in 1000 executions. */
  assert_true(switches > 1000);
  assert_true(switches < 2000);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_pct_finds_every_buggy_scenario),
      cmocka_unit_test(test_pct_is_a_function_of_its_seed),
      cmocka_unit_test(test_pct_depth_one_never_interleaves_the_racy_increments),
      cmocka_unit_test(test_pct_runs_the_highest_priority_thread),
      cmocka_unit_test(test_pct_change_points_demote_the_running_thread),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

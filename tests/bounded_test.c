/* Iterative preemption bounding (harness/strategies/dfs.c, "bounded"): every
 * buggy scenario is found, and each with the fewest preemptions it needs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "harness/explore.h"
#include "scenarios/scenario.h"
#include "tests/support/scenario_run.h"

static hd_result explore_bounded(const char *name, const char *strategy, int64_t bound, bool races) {
  hd_test t = hd_scenario_test(name);
  hd_options o;
  hd_options_default(&o);
  o.strategy = strategy;
  o.preemptions = bound;
  o.detect_races = races;
  o.executions = 100000;
  return hd_explore_or_fail(&t, &o);
}

static void expect_bug_with(const char *name, bool races, hd_bug_kind kind, unsigned preemptions) {
  hd_result r = explore_bounded(name, "bounded", -1, races);
  if (!r.bug_found || r.kind != kind || r.preemptions != preemptions)
    fail_msg("%s (races %s): expected %s with %u preemptions, got %s with %u", name, races ? "on" : "off",
             hd_bug_kind_name(kind), preemptions, r.bug_found ? hd_bug_kind_name(r.kind) : "no bug", r.preemptions);
  hd_result_free(&r);
}

static void test_bounded_lost_update_needs_no_preemption(void **state) {
  (void)state;
  expect_bug_with("lost_update", true, HD_BUG_DATA_RACE, 0);
  expect_bug_with("lost_update", false, HD_BUG_ASSERTION, 0);
}

static void test_bounded_double_acquire_needs_no_preemption(void **state) {
  (void)state;
  expect_bug_with("double_acquire", true, HD_BUG_DEADLOCK, 0);
}

static void test_bounded_racy_counter_2_lost_update_needs_one_preemption(void **state) {
  (void)state;
  /* The race detector sees the unordered accesses without any preemption. */
  hd_result r = explore_bounded("racy_counter_2", "bounded", -1, true);
  assert_true(r.bug_found);
  assert_true(r.preemptions <= 1);
  hd_result_free(&r);
  expect_bug_with("racy_counter_2", false, HD_BUG_ASSERTION, 1);
}

static void test_bounded_finds_every_buggy_scenario(void **state) {
  (void)state;
  for (size_t i = 0; i < hd_scenario_count(); i++) {
    const hd_scenario *s = hd_scenario_at(i);
    if (s->expect != HD_EXPECT_BUG) continue;
    hd_result r = explore_bounded(s->name, "bounded", -1, true);
    if (!r.bug_found || !(s->bug_kinds & HD_KIND(r.kind)))
      fail_msg("bounded did not find %s's bug (%llu executions)", s->name, (unsigned long long)r.executions);
    /* No schedule with fewer preemptions fails: the bounded dfs one below
     * finds nothing. */
    if (r.preemptions > 0) {
      hd_result below = explore_bounded(s->name, "dfs", (int64_t)r.preemptions - 1, true);
      if (below.bug_found)
        fail_msg("%s: bounded reported %u preemptions but dfs --preemptions %u finds a bug", s->name, r.preemptions,
                 r.preemptions - 1);
      hd_result_free(&below);
    }
    hd_result_free(&r);
  }
}

static void test_bounded_search_of_a_correct_model_completes(void **state) {
  (void)state;
  /* racy_counter_2 without its check and race detection: nothing fails, and
   * the rounds end once a round prunes nothing (2 preemptions suffice). */
  const hd_scenario *s = hd_scenario_find("racy_counter_2");
  hd_test t = {.name = s->name, .body = s->body};
  hd_options o;
  hd_options_default(&o);
  o.strategy = "bounded";
  o.detect_races = false;
  o.executions = 100000;
  hd_result r = hd_explore_or_fail(&t, &o);
  assert_false(r.bug_found);
  assert_true(r.complete);
  assert_string_equal(r.stopped_by, "");
  hd_result_free(&r);
}

static void test_dfs_with_preemption_bound_zero_misses_the_racy_lost_update(void **state) {
  (void)state;
  hd_result r = explore_bounded("racy_counter_2", "dfs", 0, false);
  assert_false(r.bug_found);
  assert_false(r.complete);
  assert_non_null(strstr(r.stopped_by, "preemption bound --preemptions 0"));
  hd_result_free(&r);
  r = explore_bounded("racy_counter_2", "dfs", 1, false);
  assert_true(r.bug_found);
  assert_int_equal(r.preemptions, 1);
  hd_result_free(&r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_bounded_lost_update_needs_no_preemption),
      cmocka_unit_test(test_bounded_double_acquire_needs_no_preemption),
      cmocka_unit_test(test_bounded_racy_counter_2_lost_update_needs_one_preemption),
      cmocka_unit_test(test_bounded_finds_every_buggy_scenario),
      cmocka_unit_test(test_bounded_search_of_a_correct_model_completes),
      cmocka_unit_test(test_dfs_with_preemption_bound_zero_misses_the_racy_lost_update),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Shrinking (harness/shrink.c): a failing schedule found by random or PCT is
 * reported smaller, still fails the same way, and shows both sizes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "harness/explore.h"
#include "scenarios/scenario.h"
#include "tests/support/scenario_run.h"

static hd_result explore_with(const char *name, const char *strategy, uint64_t seed, bool shrink) {
  hd_test t = hd_scenario_test(name);
  hd_options o;
  hd_options_default(&o);
  o.strategy = strategy;
  o.seed = seed;
  o.shrink = shrink;
  o.detect_races = false;
  hd_result r = hd_explore_or_fail(&t, &o);
  assert_true(r.bug_found);
  return r;
}

static void replays_to(const char *name, const char *token, hd_bug_kind kind, unsigned preemptions) {
  hd_test t = hd_scenario_test(name);
  hd_options o;
  hd_options_default(&o);
  o.strategy = "replay";
  o.token = token;
  o.detect_races = false;
  hd_result r = hd_explore_or_fail(&t, &o);
  assert_true(r.bug_found);
  assert_int_equal(r.kind, kind);
  assert_int_equal(r.preemptions, preemptions);
  hd_result_free(&r);
}

static void test_shrink_reduces_random_lost_update_to_no_preemption(void **state) {
  (void)state;
  hd_result raw = explore_with("lost_update", "random", 1, false);
  hd_result r = explore_with("lost_update", "random", 1, true);
  assert_false(raw.shrunk);
  assert_true(raw.preemptions > 0); /* random switches a lot */
  assert_true(r.shrunk);
  assert_int_equal(r.kind, raw.kind);
  assert_int_equal(r.found_preemptions, raw.preemptions);
  assert_int_equal(r.found_steps, raw.steps);
  assert_int_equal(r.preemptions, 0);
  replays_to("lost_update", r.token, r.kind, 0);
  hd_result_free(&raw);
  hd_result_free(&r);
}

static void test_shrink_keeps_the_one_preemption_racy_counter_needs(void **state) {
  (void)state;
  for (uint64_t seed = 1; seed <= 5; seed++) {
    const char *strategies[] = {"random", "pct"};
    for (int i = 0; i < 2; i++) {
      hd_result r = explore_with("racy_counter_2", strategies[i], seed, true);
      assert_int_equal(r.kind, HD_BUG_ASSERTION);
      assert_int_equal(r.preemptions, 1);
      if (r.shrunk) assert_true(r.found_preemptions > 1 || r.found_steps > r.steps);
      replays_to("racy_counter_2", r.token, HD_BUG_ASSERTION, 1);
      hd_result_free(&r);
    }
  }
}

static void test_shrink_is_not_applied_to_systematic_search(void **state) {
  (void)state;
  hd_result r = explore_with("racy_counter_2", "dfs", 1, true);
  assert_false(r.shrunk);
  hd_result_free(&r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_shrink_reduces_random_lost_update_to_no_preemption),
      cmocka_unit_test(test_shrink_keeps_the_one_preemption_racy_counter_needs),
      cmocka_unit_test(test_shrink_is_not_applied_to_systematic_search),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

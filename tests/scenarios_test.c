/* Every scenario meets its declared outcome under the random strategy: a
 * buggy one is found within its stated budget from several seeds, with a
 * bug of a declared kind; a correct one passes thousands of executions. New
 * scenarios are covered as soon as they are registered. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "harness/explore.h"
#include "harness/report/report.h"
#include "scenarios/scenario.h"
#include "tests/support/scenario_run.h"

enum { PASSING_EXECUTIONS = 2000, LOCKED_UPDATE_EXECUTIONS = 10000, SEEDS = 5 };

static hd_result run(const hd_scenario *s, uint64_t seed, uint64_t executions) {
  hd_test t = {.name = s->name, .body = s->body, .check = s->check};
  hd_options o;
  hd_options_default(&o);
  o.seed = seed;
  o.executions = executions;
  return hd_explore_or_fail(&t, &o);
}

static void test_scenarios_buggy_ones_are_found_within_their_budget(void **state) {
  (void)state;
  int checked = 0;
  for (size_t i = 0; i < hd_scenario_count(); i++) {
    const hd_scenario *s = hd_scenario_at(i);
    if (s->expect != HD_EXPECT_BUG) continue;
    assert_true(s->find_within >= 1);
    for (uint64_t seed = 1; seed <= SEEDS; seed++) {
      hd_result r = run(s, seed, s->find_within);
      if (!r.bug_found) fail_msg("%s: no bug within %llu executions (seed %llu)", s->name,
                                 (unsigned long long)s->find_within, (unsigned long long)seed);
      if (!(s->bug_kinds & HD_KIND(r.kind)))
        fail_msg("%s: found %s, declared %x: %s", s->name, hd_bug_kind_name(r.kind), s->bug_kinds, r.message);
      assert_non_null(r.token);
      assert_non_null(r.trace);
      hd_result_free(&r);
    }
    checked++;
  }
  print_message("%d buggy scenarios found from %d seeds each\n", checked, SEEDS);
  assert_true(checked >= 2);
}

static void test_scenarios_correct_ones_pass_thousands_of_executions(void **state) {
  (void)state;
  int checked = 0;
  for (size_t i = 0; i < hd_scenario_count(); i++) {
    const hd_scenario *s = hd_scenario_at(i);
    if (s->expect != HD_EXPECT_PASS) continue;
    uint64_t executions = strcmp(s->name, "locked_update") == 0 ? LOCKED_UPDATE_EXECUTIONS : PASSING_EXECUTIONS;
    hd_result r = run(s, 1, executions);
    if (r.bug_found) {
      hd_options o;
      hd_options_default(&o);
      hd_report_text(stdout, s->name, "pass", &o, &r);
      fail_msg("%s: a bug in a scenario declared correct", s->name);
    }
    assert_int_equal(r.executions, executions);
    hd_result_free(&r);
    checked++;
  }
  print_message("%d correct scenarios passed\n", checked);
  assert_true(checked >= 4);
}

static void test_scenarios_lost_update_fails_in_the_first_execution_as_the_tutorial_says(void **state) {
  (void)state;
  const hd_scenario *s = hd_scenario_find("lost_update");
  assert_non_null(s);
  for (uint64_t seed = 1; seed <= 50; seed++) {
    hd_result r = run(s, seed, 1);
    assert_true(r.bug_found);
    assert_int_equal(r.bug_execution, 0);
    hd_result_free(&r);
  }
}

static void test_scenarios_double_acquire_names_the_lock_and_its_holder(void **state) {
  (void)state;
  hd_result r = run(hd_scenario_find("double_acquire"), 1, 1);
  assert_true(r.bug_found);
  assert_int_equal(r.kind, HD_BUG_DEADLOCK);
  assert_non_null(strstr(r.message, "MainThread waits on Lock 'l'"));
  assert_non_null(strstr(r.message, "held by itself"));
  assert_non_null(strstr(r.details, "wait-for cycle: MainThread -> Lock 'l' -> MainThread"));
  hd_result_free(&r);
}

/* Set by the scenario after every execution. */
extern int many_threads_finish_order[3];
static int orders_seen[27];

static void record_order(void *arg) {
  (void)arg;
  int *o = many_threads_finish_order;
  orders_seen[o[0] * 9 + o[1] * 3 + o[2]]++;
}

static void test_scenarios_many_threads_finish_in_every_order(void **state) {
  (void)state;
  hd_test t = hd_scenario_test("many_threads");
  t.check = record_order;
  hd_options o;
  hd_options_default(&o);
  o.isolate = false; /* the test reads what the body left in its globals */
  o.executions = 600;
  memset(orders_seen, 0, sizeof orders_seen);
  hd_result r = hd_explore_or_fail(&t, &o);
  assert_false(r.bug_found);
  int distinct = 0;
  for (int i = 0; i < 27; i++) distinct += orders_seen[i] > 0;
  /* Three threads wake at the same virtual instant: all 3! orders occur. */
  assert_int_equal(distinct, 6);
  hd_result_free(&r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_scenarios_buggy_ones_are_found_within_their_budget),
      cmocka_unit_test(test_scenarios_correct_ones_pass_thousands_of_executions),
      cmocka_unit_test(test_scenarios_lost_update_fails_in_the_first_execution_as_the_tutorial_says),
      cmocka_unit_test(test_scenarios_double_acquire_names_the_lock_and_its_holder),
      cmocka_unit_test(test_scenarios_many_threads_finish_in_every_order),
  };
  return cmocka_run_group_tests_name("scenarios", tests, NULL, NULL);
}

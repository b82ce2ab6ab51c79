/* --jobs and shares (harness/parallel.c, hd__explore_share): the shares of
 * an exploration together explore exactly what one run does, and --jobs N
 * reports the same bug, token and counts as one process. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness/explore.h"
#include "primitives/heddle.h"
#include "scenarios/scenario.h"
#include "tests/support/scenario_run.h"

/* ---- what each execution did, recorded from inside it -------------------------- */

#define MAX_RUNS 100000
static uint64_t seen[MAX_RUNS];
static size_t nseen;

static hd_shared counter;
static hd_thread workers[2];
static uint64_t signature; /* visible steps in order: 1 + thread ident per read/write */

static void draw(void *arg) {
  (void)arg;
  uint64_t v = hd_random_below(1000000007ull);
  if (nseen < MAX_RUNS) seen[nseen++] = v;
}

static void increment(void *arg) {
  (void)arg;
  int64_t v = hd_load(&counter);
  signature = signature * 4 + (uint64_t)hd_get_ident();
  hd_store(&counter, v + 1);
  signature = signature * 4 + (uint64_t)hd_get_ident();
}

static void racy_body(void *arg) {
  (void)arg;
  signature = 0;
  hd_shared_init(&counter, "counter", 0);
  for (int i = 0; i < 2; i++) {
    hd_thread_init(&workers[i], increment, NULL, NULL);
    hd_thread_start(&workers[i]);
  }
}

static void record(void *arg) {
  (void)arg;
  if (nseen < MAX_RUNS) seen[nseen++] = signature * 4 + (uint64_t)hd_shared_peek(&counter);
}

static int cmp(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

/* Sorted records of one run (ways 1) or of all `ways` shares together. */
static size_t records(const hd_test *t, const hd_options *o, unsigned ways, uint64_t *out, uint64_t *executions) {
  nseen = 0;
  *executions = 0;
  for (unsigned w = 0; w < ways; w++) {
    hd_result r;
    assert_int_equal(hd__explore_share(t, o, ways, w, &r), HD_EXPLORE_RAN);
    assert_false(r.bug_found);
    *executions += r.executions;
    hd_result_free(&r);
  }
  /* Distinct records: a share may also run an execution it does not count
   * (PCT's calibration rerun of execution 0, a dfs walk to the split point,
   * a sleep-set blocked run), which repeats one that is counted. */
  memcpy(out, seen, nseen * sizeof *out);
  qsort(out, nseen, sizeof *out, cmp);
  size_t n = 0;
  for (size_t i = 0; i < nseen; i++)
    if (n == 0 || out[n - 1] != out[i]) out[n++] = out[i];
  return n;
}

static uint64_t one[MAX_RUNS], shared[MAX_RUNS];

static void expect_same_union(const hd_test *t, const char *strategy, uint64_t executions) {
  hd_options o;
  hd_options_default(&o);
  o.strategy = strategy;
  o.executions = executions;
  o.detect_races = false;
  uint64_t e1, e4;
  size_t n1 = records(t, &o, 1, one, &e1);
  for (unsigned ways = 2; ways <= 4; ways++) {
    size_t n = records(t, &o, ways, shared, &e4);
    if (n != n1 || e4 != e1)
      fail_msg("%s with %u shares: %zu records / %llu executions, one run %zu / %llu", strategy, ways, n,
               (unsigned long long)e4, n1, (unsigned long long)e1);
    assert_memory_equal(one, shared, n1 * sizeof *one);
  }
}

static void test_parallel_random_shares_draw_what_one_run_draws(void **state) {
  (void)state;
  hd_test t = {.name = "draw", .body = draw};
  expect_same_union(&t, "random", 1000);
  expect_same_union(&t, "pct", 1000);
}

static void test_parallel_dfs_naive_shares_cover_the_tree_once(void **state) {
  (void)state;
  hd_test t = {.name = "racy", .body = racy_body, .check = record};
  expect_same_union(&t, "dfs-naive", 100000);
}

static void test_parallel_dfs_shares_explore_the_four_traces(void **state) {
  (void)state;
  hd_test t = {.name = "racy", .body = racy_body, .check = record};
  expect_same_union(&t, "dfs", 100000);
  hd_options o;
  hd_options_default(&o);
  o.strategy = "dfs";
  o.detect_races = false;
  uint64_t e;
  records(&t, &o, 3, shared, &e);
  assert_int_equal(e, 4);
}

static void test_parallel_jobs_report_what_one_process_reports(void **state) {
  (void)state;
  hd_test t = hd_scenario_test("racy_counter_2");
  const char *strategies[] = {"random", "pct", "dfs", "dfs-naive"};
  for (int k = 0; k < 4; k++) {
    hd_options o;
    hd_options_default(&o);
    o.strategy = strategies[k];
    o.seed = 3;
    o.detect_races = false;
    hd_result a = hd_explore_or_fail(&t, &o);
    o.jobs = 2;
    hd_result b = hd_explore_or_fail(&t, &o);
    assert_true(a.bug_found && b.bug_found);
    assert_int_equal(a.kind, b.kind);
    assert_int_equal(a.preemptions, b.preemptions);
    if (k < 2) {
      /* random and pct: the same execution, token and counts */
      assert_string_equal(a.token, b.token);
      assert_int_equal(a.bug_execution, b.bug_execution);
      assert_int_equal(a.executions, b.executions);
    }
    hd_result_free(&a);
    hd_result_free(&b);
  }
}

static void test_parallel_jobs_complete_a_correct_model(void **state) {
  (void)state;
  hd_test t = hd_scenario_test("locked_counter_3");
  hd_options o;
  hd_options_default(&o);
  o.strategy = "dfs";
  o.jobs = 2;
  hd_result r = hd_explore_or_fail(&t, &o);
  assert_false(r.bug_found);
  assert_true(r.complete);
  assert_int_equal(r.executions, 6);
  hd_result_free(&r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parallel_random_shares_draw_what_one_run_draws),
      cmocka_unit_test(test_parallel_dfs_naive_shares_cover_the_tree_once),
      cmocka_unit_test(test_parallel_dfs_shares_explore_the_four_traces),
      cmocka_unit_test(test_parallel_jobs_report_what_one_process_reports),
      cmocka_unit_test(test_parallel_jobs_complete_a_correct_model),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

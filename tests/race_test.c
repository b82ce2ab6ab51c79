/* Happens-before data-race detection, as a user sees it: lost_update's report
 * names both accesses and each thread's last synchronisation; an interleaving
 * that happens to produce the right value is still flagged; correct
 * scenarios never are. Deterministic backend only (drives hd_explore). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness/engine/exec.h"
#include "harness/explore.h"
#include "harness/report/report.h"
#include "harness/engine/schedule.h"
#include "scenarios/scenario.h"
#include "tests/support/scenario_run.h"

enum { CORRECT_EXECUTIONS = 2000 };

/* The token of `t`'s non-preemptive schedule (malloc'd), run without race
 * detection: the execution must pass, i.e. the value is right by luck. */
/* The token of the sequential schedule, carrying race detection `races`
 * (a token replays with the set-up it carries). */
static char *sequential_token(const hd_test *t, bool races) {
  hd_strategy strategy = hd_sequential_strategy();
  hd_exec *x = hd_exec_new();
  assert_non_null(x);
  hd_exec_config cfg = {.body = t->body, .check = t->check, .arg = t->arg, .strategy = &strategy, .step_limit = 100000,
                        .detect_races = races};
  const hd_exec_result *e;
  hd_exec_status status = hd_exec_run(x, &cfg, &e);
  /* Without race detection the schedule passes (correct by luck); with it,
   * it ends at the race. */
  if (races ? status != HD_EXEC_BUG || e->bug != HD_BUG_DATA_RACE : status != HD_EXEC_PASSED)
    fail_msg("%s: the sequential schedule is not correct by luck: %s", t->name, e->message);
  hd_setup setup = hd_setup_default();
  setup.races = races;
  char *token = hd_token_encode(t->name, &setup, e->schedule);
  hd_exec_free(x);
  assert_non_null(token);
  return token;
}

static hd_result replay(const hd_test *t, const char *token) {
  hd_options o;
  hd_options_default(&o);
  o.strategy = "replay";
  o.token = token;
  return hd_explore_or_fail(t, &o);
}

/* ---- lost_update: both accesses and the last synchronisations ---------------- */

static void test_race_lost_update_report_names_both_accesses(void **state) {
  (void)state;
  hd_test t = hd_scenario_test("lost_update");
  for (uint64_t seed = 1; seed <= 20; seed++) {
    hd_options o;
    hd_options_default(&o);
    o.seed = seed;
    hd_result r = hd_explore_or_fail(&t, &o);
    assert_true(r.bug_found);
    if (r.kind != HD_BUG_DATA_RACE) fail_msg("seed %llu: %s, not a data race: %s", (unsigned long long)seed,
                                             hd_bug_kind_name(r.kind), r.message);
    assert_non_null(strstr(r.message, "data race on database.value: "));
    /* Both accesses: thread, operation, file:line and value, one per line. */
    const char *earlier = strstr(r.details, "  earlier: ");
    const char *later = strstr(r.details, "  later:   ");
    assert_non_null(earlier);
    assert_non_null(later);
    char e_op[8], e_thread[32], e_at[96], l_op[8], l_thread[32], l_at[96];
    long long e_value, l_value;
    assert_int_equal(sscanf(earlier, "  earlier: %7s of database.value by %31s at %95s (value %lld)", e_op, e_thread,
                            e_at, &e_value),
                     4);
    assert_int_equal(
        sscanf(later, "  later:   %7s of database.value by %31s at %95s (value %lld)", l_op, l_thread, l_at, &l_value),
        4);
    assert_true(strcmp(e_op, "write") == 0 || strcmp(l_op, "write") == 0);
    assert_string_not_equal(e_thread, l_thread);
    assert_true(strcmp(e_thread, "Thread-1") == 0 || strcmp(e_thread, "Thread-2") == 0);
    assert_true(strcmp(l_thread, "Thread-1") == 0 || strcmp(l_thread, "Thread-2") == 0);
    /* read at line 14 (value 0), write at line 17 (value 1) of the scenario */
    const char *e_line = strcmp(e_op, "read") == 0 ? "scenarios/lost_update.c:14" : "scenarios/lost_update.c:17";
    const char *l_line = strcmp(l_op, "read") == 0 ? "scenarios/lost_update.c:14" : "scenarios/lost_update.c:17";
    assert_string_equal(e_at, e_line);
    assert_string_equal(l_at, l_line);
    assert_true(e_value == 0 || e_value == 1);
    assert_true(l_value == 0 || l_value == 1);
    /* Each thread's last synchronisation: being started by MainThread. */
    char sync[128];
    snprintf(sync, sizeof sync, "  %s last synchronised with start at scenarios/lost_update.c:", e_thread);
    assert_non_null(strstr(r.details, sync));
    snprintf(sync, sizeof sync, "  %s last synchronised with start at scenarios/lost_update.c:", l_thread);
    assert_non_null(strstr(r.details, sync));
    /* The report names the later access's site as the bug's place. */
    assert_non_null(r.file);
    assert_string_equal(r.file, "scenarios/lost_update.c");
    hd_result_free(&r);
  }
}

/* ---- correct by luck -------------------------------------------------------------- */

static hd_shared counter;
static hd_thread incrementers[2];

/* x = x + 1 in two steps, with no lock: the tutorial's rarely failing race. */
static void increment(void *arg) {
  (void)arg;
  int64_t v = hd_load(&counter);
  hd_store(&counter, v + 1);
}

static void two_unlocked_increments(void *arg) {
  (void)arg;
  hd_shared_init(&counter, "counter", 0);
  for (int i = 0; i < 2; i++) {
    hd_thread_init(&incrementers[i], increment, NULL, NULL);
    hd_thread_start(&incrementers[i]);
  }
  for (int i = 0; i < 2; i++) hd_thread_join(&incrementers[i], HD_FOREVER);
  int64_t final = hd_load(&counter);
  HD_ASSERT(final == 2, "lost update: counter is %lld", (long long)final);
}

static void test_race_flagged_even_when_the_interleaving_is_correct_by_luck(void **state) {
  (void)state;
  hd_test t = {.name = "two_unlocked_increments", .body = two_unlocked_increments};
  char *quiet = sequential_token(&t, false); /* Thread-1 fully before Thread-2: counter is 2 */
  hd_result lucky = replay(&t, quiet);
  assert_false(lucky.bug_found); /* the value is right ... */
  free(quiet);
  char *token = sequential_token(&t, true);
  hd_result r = replay(&t, token);
  assert_true(r.bug_found); /* ... and the race is reported all the same */
  assert_int_equal(r.kind, HD_BUG_DATA_RACE);
  assert_non_null(strstr(r.details, "  earlier: write of counter by Thread-1"));
  assert_non_null(strstr(r.details, "  later:   read of counter by Thread-2"));
  free(token);
  hd_result_free(&lucky);
  hd_result_free(&r);
}

/* If the racy_counter_2 scenario is registered, the same holds for it. */
static void test_race_racy_counter_2_flagged_when_thread_1_runs_before_thread_2(void **state) {
  (void)state;
  if (!hd_scenario_find("racy_counter_2")) skip();
  hd_test t = hd_scenario_test("racy_counter_2");
  char *token = sequential_token(&t, true); /* passes without race detection: counter is 2 */
  hd_result r = replay(&t, token);
  assert_true(r.bug_found);
  if (r.kind != HD_BUG_DATA_RACE) fail_msg("racy_counter_2: %s, not a data race: %s", hd_bug_kind_name(r.kind), r.message);
  assert_non_null(strstr(r.details, "  earlier: write of counter by Thread-1 at scenarios/racy_counter_2.c:"));
  assert_non_null(strstr(r.details, "(value 1)\n  later:   read of counter by Thread-2 at scenarios/racy_counter_2.c:"));
  free(token);
  hd_result_free(&r);
  /* Explored, it is a data race naming both accesses from any seed. */
  for (uint64_t seed = 1; seed <= 5; seed++) {
    hd_options o;
    hd_options_default(&o);
    o.seed = seed;
    hd_result e = hd_explore_or_fail(&t, &o);
    assert_true(e.bug_found);
    assert_int_equal(e.kind, HD_BUG_DATA_RACE);
    assert_non_null(strstr(e.details, "  earlier: "));
    assert_non_null(strstr(e.details, " of counter by Thread-"));
    assert_non_null(strstr(e.details, "  later:   "));
    hd_result_free(&e);
  }
}

/* ---- no false alarms --------------------------------------------------------------- */

static void test_race_none_in_locked_update_or_any_correct_scenario(void **state) {
  (void)state;
  int checked = 0;
  for (size_t i = 0; i < hd_scenario_count(); i++) {
    const hd_scenario *s = hd_scenario_at(i);
    if (s->expect != HD_EXPECT_PASS && strcmp(s->name, "locked_update") != 0) continue;
    hd_test t = {.name = s->name, .body = s->body, .check = s->check};
    for (uint64_t seed = 1; seed <= 2; seed++) {
      hd_options o;
      hd_options_default(&o);
      o.seed = seed;
      o.executions = CORRECT_EXECUTIONS;
      assert_true(o.detect_races);
      hd_result r = hd_explore_or_fail(&t, &o);
      if (r.bug_found) {
        hd_report_text(stdout, s->name, "pass", &o, &r);
        fail_msg("%s (seed %llu): %s in a correct scenario", s->name, (unsigned long long)seed,
                 hd_bug_kind_name(r.kind));
      }
      assert_int_equal(r.executions, CORRECT_EXECUTIONS);
      hd_result_free(&r);
    }
    checked++;
  }
  print_message("%d correct scenarios: no race in %d executions each, seeds 1 and 2\n", checked, CORRECT_EXECUTIONS);
  assert_true(checked >= 4);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_race_lost_update_report_names_both_accesses),
      cmocka_unit_test(test_race_flagged_even_when_the_interleaving_is_correct_by_luck),
      cmocka_unit_test(test_race_racy_counter_2_flagged_when_thread_1_runs_before_thread_2),
      cmocka_unit_test(test_race_none_in_locked_update_or_any_correct_scenario),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Exhaustive search (harness/strategies/dfs.c): the three models give exactly
 * their Mazurkiewicz trace counts with reduction, plain dfs explores more,
 * and every buggy scenario is found. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "harness/explore.h"
#include "primitives/heddle.h"
#include "scenarios/scenario.h"
#include "tests/support/scenario_run.h"

/* Under a sanitizer every execution costs an order of magnitude more: the
 * heaviest tests run fewer executions or programs there (the plain build
 * runs them whole). */
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif

/* Explores scenario `name` with `strategy`, races off, the check replaced by
 * `check` (NULL: none), so that the whole tree is searched. */
static hd_result explore_limited(const char *name, const char *strategy, bool reduction, void (*check)(void *),
                                 uint64_t limit) {
  hd_test t = hd_scenario_test(name);
  t.check = check;
  hd_options o;
  hd_options_default(&o);
  o.isolate = false; /* the test reads what the body left in its globals */
  o.strategy = strategy;
  o.reduction = reduction;
  o.detect_races = false;
  o.executions = limit;
  hd_result r = hd_explore_or_fail(&t, &o);
  assert_false(r.bug_found);
  return r;
}

static hd_result explore_all(const char *name, const char *strategy, bool reduction, void (*check)(void *)) {
  return explore_limited(name, strategy, reduction, check, 100000);
}

static void test_dfs_independent_writers_is_one_execution(void **state) {
  (void)state;
  hd_result r = explore_all("independent_writers", "dfs", true, hd_scenario_find("independent_writers")->check);
  assert_true(r.complete);
  assert_int_equal(r.executions, 1);
  assert_string_equal(r.stopped_by, "");
  hd_result_free(&r);
}

static void test_dfs_locked_counter_3_is_six_executions(void **state) {
  (void)state;
  hd_result r = explore_all("locked_counter_3", "dfs", true, hd_scenario_find("locked_counter_3")->check);
  assert_true(r.complete);
  assert_int_equal(r.executions, 6);
  hd_result_free(&r);
}

/* racy_counter_2's model again, with a check that counts outcomes instead
 * of asserting, so the whole tree runs and the lost updates can be counted. */
static hd_shared counter;
static hd_thread workers[2];
static int finals[3]; /* executions ending with the counter at 0, 1, 2 */

static void increment(void *arg) {
  (void)arg;
  int64_t value = hd_load(&counter);
  hd_store(&counter, value + 1);
}

static void racy_body(void *arg) {
  (void)arg;
  hd_shared_init(&counter, "counter", 0);
  for (int i = 0; i < 2; i++) {
    hd_thread_init(&workers[i], increment, NULL, NULL);
    hd_thread_start(&workers[i]);
  }
}

static void count_outcome(void *arg) {
  (void)arg;
  int64_t v = hd_shared_peek(&counter);
  if (v >= 0 && v < 3) finals[v]++;
}

static void test_dfs_racy_counter_2_is_four_executions_two_losing_an_update(void **state) {
  (void)state;
  hd_result r = explore_all("racy_counter_2", "dfs", true, NULL);
  assert_true(r.complete);
  assert_int_equal(r.executions, 4);
  hd_result_free(&r);

  memset(finals, 0, sizeof finals);
  hd_test t = {.name = "racy_counter_2_counted", .body = racy_body, .check = count_outcome};
  hd_options o;
  hd_options_default(&o);
  o.isolate = false; /* the test reads what the body left in its globals */
  o.strategy = "dfs";
  o.detect_races = false;
  r = hd_explore_or_fail(&t, &o);
  assert_false(r.bug_found);
  assert_true(r.complete);
  assert_int_equal(r.executions, 4);
  assert_int_equal(finals[1], 2);
  assert_int_equal(finals[2], 2);
  hd_result_free(&r);

  /* With the scenario's asserting check the lost update is found, with the
   * one preemption it needs. */
  t = hd_scenario_test("racy_counter_2");
  r = hd_explore_or_fail(&t, &o);
  assert_true(r.bug_found);
  assert_int_equal(r.kind, HD_BUG_ASSERTION);
  assert_int_equal(r.preemptions, 1);
  hd_result_free(&r);
}

static void test_dfs_without_reduction_explores_more(void **state) {
  (void)state;
  const char *names[] = {"independent_writers", "locked_counter_3", "racy_counter_2"};
  const uint64_t reduced[] = {1, 6, 4};
  for (int i = 0; i < 3; i++) {
    /* 1000 executions are plenty to exceed the reduced counts. */
    hd_result r = explore_limited(names[i], "dfs", false, NULL, 1000);
    if (r.executions <= reduced[i]) fail_msg("%s: dfs without reduction ran %llu executions", names[i],
                                             (unsigned long long)r.executions);
    hd_result_free(&r);
    hd_result n = explore_limited(names[i], "dfs-naive", true, NULL, 1000);
    assert_int_equal(n.executions, r.executions);
    hd_result_free(&n);
  }
}

static void test_dfs_naive_racy_counter_2_is_complete(void **state) {
  (void)state;
  hd_result r = explore_all("racy_counter_2", "dfs-naive", true, NULL);
  assert_true(r.complete);
  assert_true(r.executions > 4);
  hd_result_free(&r);
}

static void test_dfs_finds_every_buggy_scenario(void **state) {
  (void)state;
  hd_options o;
  hd_options_default(&o);
  o.strategy = "dfs";
  o.executions = 100000;
  hd_expect_every_bug_found(&o, "dfs");
}

static void test_dfs_proves_correct_models_complete(void **state) {
  (void)state;
  const char *names[] = {"independent_writers", "locked_counter_3"};
  for (int i = 0; i < 2; i++) {
    hd_test t = hd_scenario_test(names[i]);
    hd_options o;
    hd_options_default(&o);
    o.isolate = false; /* the test reads what the body left in its globals */
    o.strategy = "dfs"; /* races on: a locked counter has none */
    hd_result r = hd_explore_or_fail(&t, &o);
    assert_false(r.bug_found);
    assert_true(r.complete);
    hd_result_free(&r);
  }
}

static void test_dfs_names_the_executions_bound_that_stopped_it(void **state) {
  (void)state;
  hd_test t = hd_scenario_test("locked_counter_3");
  hd_options o;
  hd_options_default(&o);
  o.isolate = false; /* the test reads what the body left in its globals */
  o.strategy = "dfs-naive";
  o.executions = 10;
  hd_result r = hd_explore_or_fail(&t, &o);
  assert_false(r.complete);
  assert_int_equal(r.executions, 10);
  char expected[160];
  assert_true(r.has_estimate); /* with what is left, by the tree's shape so far */
  snprintf(expected, sizeof expected,
           "stopped by --executions 10 before the search was complete (about %llu executions left, by the tree's "
           "shape so far)",
           (unsigned long long)r.estimated_left);
  assert_string_equal(r.stopped_by, expected);
  assert_true(r.estimated_left > 10);
  hd_result_free(&r);
  /* Exactly as many executions as the tree has: complete, not stopped. */
  o.strategy = "dfs";
  o.executions = 6;
  r = hd_explore_or_fail(&t, &o);
  assert_true(r.complete);
  assert_string_equal(r.stopped_by, "");
  hd_result_free(&r);
}

static void test_dfs_names_the_preemption_bound_that_stopped_it(void **state) {
  (void)state;
  hd_test t = hd_scenario_test("locked_counter_3");
  hd_options o;
  hd_options_default(&o);
  o.isolate = false; /* the test reads what the body left in its globals */
  o.strategy = "dfs";
  o.preemptions = 0;
  o.executions = 100000;
  hd_result r = hd_explore_or_fail(&t, &o);
  assert_false(r.bug_found);
  assert_false(r.complete);
  assert_non_null(strstr(r.stopped_by, "--preemptions 0"));
  hd_result_free(&r);
}

static int pairs[3][2];

static void draw_two(void *arg) {
  (void)arg;
  uint64_t a = hd_random_below(3);
  uint64_t b = hd_random_below(2);
  pairs[a][b]++;
}

static void test_dfs_enumerates_every_drawn_value(void **state) {
  (void)state;
  memset(pairs, 0, sizeof pairs);
  hd_test t = {.name = "draw_two", .body = draw_two};
  hd_options o;
  hd_options_default(&o);
  o.isolate = false; /* the test reads what the body left in its globals */
  o.strategy = "dfs";
  hd_result r = hd_explore_or_fail(&t, &o);
  assert_false(r.bug_found);
  assert_true(r.complete);
  assert_int_equal(r.executions, 6);
  for (int a = 0; a < 3; a++)
    for (int b = 0; b < 2; b++) assert_int_equal(pairs[a][b], 1);
  hd_result_free(&r);
}

/* Final states, for the soundness checks below: search k (0 dfs-naive, 1 dfs, 2 dfs
 * --optimal, 3 dfs --reads-from) records the final value x its check computes. */
enum { FINAL_STATES = 100000 };
static bool final_states[4][FINAL_STATES];
static int search_which;

static void record_final(int64_t x) {
  if (x >= 0 && x < FINAL_STATES) final_states[search_which][x] = true;
}

/* Explores t with dfs-naive, dfs, when `searches` is 3 dfs --optimal, and
 * dfs --reads-from, the whole tree each; fails unless every reduced search
 * reaches every final state dfs-naive reaches, in fewer executions, source
 * and optimal DPOR wasting none, reads-from in no more than dfs's.
 * Returns how many final states there are. */
static int compare_final_states(hd_test *t, int searches) {
  memset(final_states, 0, sizeof final_states);
  uint64_t naive = 0, mazurkiewicz = 0;
  for (search_which = 0; search_which < 4; search_which++) {
    if (search_which == 2 && searches < 3) continue;
    int mode = search_which == 2 ? HD_TREE_OPTIMAL : search_which == 3 ? HD_TREE_READS_FROM : HD_TREE_SOURCE;
    hd_result r = hd_explore_whole_tree(t, search_which == 0 ? "dfs-naive" : "dfs", false, mode);
    if (search_which == 0) naive = r.executions;
    if (search_which == 1) mazurkiewicz = r.executions;
    if ((search_which > 0 && search_which < 3 && (r.executions >= naive || r.wasted)) ||
        (search_which == 3 && r.executions > mazurkiewicz))
      fail_msg("%s under search %d: %llu executions (%llu wasted) against dfs-naive's %llu", t->name, search_which,
               (unsigned long long)r.executions, (unsigned long long)r.wasted, (unsigned long long)naive);
    hd_result_free(&r);
  }
  static const char *const suffix[4] = {"", "", " --optimal", " --reads-from"};
  int distinct = 0;
  for (int x = 0; x < FINAL_STATES; x++) {
    for (int k = 1; k < 4; k++)
      if ((k != 2 || searches == 3) && final_states[0][x] != final_states[k][x])
        fail_msg("%s: final x=%d %s by dfs-naive, %s by dfs%s", t->name, x, final_states[0][x] ? "reached" : "not reached",
                 final_states[k][x] ? "reached" : "not reached", suffix[k]);
    distinct += final_states[0][x];
  }
  return distinct;
}
/* A mixed program for the soundness check: a locked increment and a thread
 * that writes without the lock, reads under it and updates another variable
 * from both; every final state the plain search reaches must be reached with
 * reduction too. */
static hd_shared mx, my;
static hd_lock mlock;
static hd_thread mthreads[3];

static void locked_increment(void *arg) {
  (void)arg;
  hd_lock_acquire(&mlock);
  hd_store(&mx, hd_load(&mx) + 1);
  hd_lock_release(&mlock);
}

static void write_then_locked_double(void *arg) {
  (void)arg;
  hd_store(&mx, 5);
  hd_lock_acquire(&mlock);
  int64_t v = hd_load(&mx);
  hd_lock_release(&mlock);
  hd_store(&my, hd_load(&mx) + v * 2);
}

static void mixed_body(void *arg) {
  (void)arg;
  hd_shared_init(&mx, "x", 0);
  hd_shared_init(&my, "y", 0);
  hd_lock_init(&mlock, "lock");
  void (*fns[2])(void *) = {locked_increment, write_then_locked_double};
  for (int i = 0; i < 2; i++) {
    hd_thread_init(&mthreads[i], fns[i], NULL, NULL);
    hd_thread_start(&mthreads[i]);
  }
}

static void mixed_outcome(void *arg) {
  (void)arg;
  int64_t x = hd_shared_peek(&mx), y = hd_shared_peek(&my);
  if (x >= 0 && x < 64 && y >= 0 && y < 64) record_final(x * 64 + y);
}

static void test_dfs_reduction_keeps_every_outcome(void **state) {
  (void)state;
  hd_test t = {.name = "mixed", .body = mixed_body, .check = mixed_outcome};
  assert_true(compare_final_states(&t, 2) >= 3);
}

/* The end of the program races with what a daemon was about to do: main
 * starts a daemon that fails at once, optionally yields, and returns. */
static hd_thread daemon_thread;
static bool main_yields;

static void fail_at_once(void *arg) {
  (void)arg;
  HD_ASSERT(false, "the daemon ran");
}

static void daemon_body(void *arg) {
  (void)arg;
  hd_thread_init(&daemon_thread, fail_at_once, NULL, "daemon");
  hd_thread_set_daemon(&daemon_thread, true);
  hd_thread_start(&daemon_thread);
  if (main_yields) hd_yield();
}

static void test_dfs_finds_a_daemon_that_fails_before_main_returns(void **state) {
  (void)state;
  for (int yields = 0; yields < 2; yields++) {
    main_yields = yields;
    const char *strategies[] = {"dfs", "dfs-naive", "random", "pct", "bounded", "dfs"}; /* the last --reads-from */
    for (size_t k = 0; k < sizeof strategies / sizeof strategies[0]; k++) {
      hd_test t = {.name = "daemon_fails", .body = daemon_body};
      hd_options o;
      hd_options_default(&o);
      o.isolate = false; /* main_yields is read by the body */
      o.strategy = strategies[k];
      o.reads_from = k == 5;
      hd_result r = hd_explore_or_fail(&t, &o);
      if (!r.bug_found || r.kind != HD_BUG_ASSERTION)
        fail_msg("%s (main %s): no assertion found in %llu executions", strategies[k], yields ? "yields" : "returns",
                 (unsigned long long)r.executions);
      /* dfs: the run where main ends first, then the one where the daemon goes first. */
      if (k == 0) assert_int_equal(r.executions, 2);
      /* --reads-from: its scheduler lets others run after a yield, so the
       * daemon may go first in the first run. */
      if (k == 5) assert_true(r.executions <= 2);
      hd_result_free(&r);
    }
  }
}

/* A try-acquire that fails just before the holder's release: dfs must
 * also run the release first, where the try succeeds. */
static hd_lock try_lock;
static hd_thread holder, trier;
static bool try_outcomes[2];
static bool tried;

static void hold_and_release(void *arg) {
  (void)arg;
  hd_lock_acquire(&try_lock);
  hd_lock_release(&try_lock);
}

static void try_once(void *arg) {
  (void)arg;
  tried = hd_lock_acquire_timed(&try_lock, false, HD_FOREVER) == HD_OK;
  if (tried) hd_lock_release(&try_lock);
}

static void try_body(void *arg) {
  (void)arg;
  hd_lock_init(&try_lock, "try_lock");
  hd_thread_init(&holder, hold_and_release, NULL, "holder");
  hd_thread_init(&trier, try_once, NULL, "trier");
  hd_thread_start(&holder);
  hd_thread_start(&trier);
  hd_thread_join(&holder, HD_FOREVER);
  hd_thread_join(&trier, HD_FOREVER);
}

static void record_try(void *arg) {
  (void)arg;
  try_outcomes[tried] = true;
}

static void test_dfs_explores_a_failing_try_acquire_on_both_sides_of_the_release(void **state) {
  (void)state;
  for (int reads_from = 0; reads_from < 2; reads_from++) { /* dfs, then dfs --reads-from */
    try_outcomes[0] = try_outcomes[1] = false;
    hd_test t = {.name = "try_acquire", .body = try_body, .check = record_try};
    hd_options o;
    hd_options_default(&o);
    o.isolate = false; /* the test reads what the body left in its globals */
    o.strategy = "dfs";
    o.reads_from = reads_from;
    hd_result r = hd_explore_or_fail(&t, &o);
    assert_false(r.bug_found);
    assert_true(r.complete);
    if (!try_outcomes[0] || !try_outcomes[1])
      fail_msg("dfs%s saw the try-acquire only %s (%llu executions)", reads_from ? " --reads-from" : "",
               try_outcomes[1] ? "succeed" : "fail", (unsigned long long)r.executions);
    hd_result_free(&r);
  }
}


/* Timeouts, sleeps and wake-ups (dfs.c: a woken thread's next step is not
 * tried before what woke it, and a move of the clock comes after every
 * thread's latest step): a waiter with a timeout, a setter that sleeps as
 * long, each appending a digit to x (both wake at the same virtual time). The final values say which orders and which timeouts happened;
 * dfs must reach every one dfs-naive reaches, and waste no execution. */
static hd_event timed_event;
static hd_shared xdigits;
static hd_thread timed_threads[2];

/* Without a lock: an update may be lost, one more outcome to reach. */
static void append_digit(int64_t digit) { hd_store(&xdigits, hd_load(&xdigits) * 10 + digit); }

static void timed_waiter(void *arg) {
  (void)arg;
  append_digit(hd_event_wait(&timed_event, 0.1) ? 1 : 2);
}

static void sleeping_setter(void *arg) {
  (void)arg;
  hd_sleep(0.1);
  append_digit(3);
  hd_event_set(&timed_event);
}


static void timed_body(void *arg) {
  (void)arg;
  hd_event_init(&timed_event, "event");
  hd_shared_init(&xdigits, "x", 0);
  void (*fns[2])(void *) = {timed_waiter, sleeping_setter};
  for (int i = 0; i < 2; i++) {
    hd_thread_init(&timed_threads[i], fns[i], NULL, NULL);
    hd_thread_start(&timed_threads[i]);
  }
  for (int i = 0; i < 2; i++) hd_thread_join(&timed_threads[i], HD_FOREVER);
}

static void timed_outcome(void *arg) {
  (void)arg;
  record_final(hd_shared_peek(&xdigits));
}

/* Drawn values and a barrier (one tree per assignment of the draws; the
 * waits a barrier's last waiter wakes come after what came before it):
 * two workers draw a sleep of 0 or 10 ms, append their digit to x without
 * a lock (an update may be lost) and meet at a barrier, which gives each an
 * index. dfs must reach every final (x, indices) dfs-naive reaches. */
static hd_barrier meet;
static hd_thread meeting_threads[2];
static int meeting_index[2];

static void meeting_worker(void *arg) {
  int64_t digit = (int64_t)(intptr_t)arg;
  hd_sleep(0.01 * (double)hd_random_below(2));
  append_digit(digit);
  int index = -1;
  HD_ASSERT(hd_barrier_wait(&meet, &index) == HD_OK, "barrier wait failed");
  meeting_index[digit - 1] = index; /* the worker's own slot: no switch point */
}

static void meeting_body(void *arg) {
  (void)arg;
  hd_barrier_init(&meet, 2, NULL, NULL, HD_FOREVER, "meet");
  hd_shared_init(&xdigits, "x", 0);
  for (long i = 0; i < 2; i++) {
    hd_thread_init(&meeting_threads[i], meeting_worker, (void *)(i + 1), NULL);
    hd_thread_start(&meeting_threads[i]);
  }
  for (int i = 0; i < 2; i++) hd_thread_join(&meeting_threads[i], HD_FOREVER);
}

static void meeting_outcome(void *arg) {
  (void)arg;
  record_final(hd_shared_peek(&xdigits) * 4 + meeting_index[0] * 2 + meeting_index[1]);
}

static void test_dfs_reaches_every_outcome_of_drawn_sleeps_and_a_barrier(void **state) {
  (void)state;
  hd_test t = {.name = "meeting", .body = meeting_body, .check = meeting_outcome};
  assert_true(compare_final_states(&t, 2) >= 4);
}

/* Condition waits, notified or timed out: a waiter with a timeout and a
 * notifier that sleeps as long before it notifies, each appending to x
 * under the condition's lock what happened. A waiter that blocks has
 * changed nothing (dfs treats the blocked step as a read, like a blocked
 * acquire): dfs, plain and --optimal, must reach every final x dfs-naive
 * reaches. */
static hd_condition waited;
static hd_lock waited_lock;
static hd_thread waiting_threads[2];
static int64_t ready_flag;

static void cond_waiter(void *arg) {
  long timed = (long)arg;
  hd_condition_acquire(&waited);
  hd_err err = HD_OK;
  while (!ready_flag && err == HD_OK) err = hd_condition_wait(&waited, timed ? 0.1 : HD_FOREVER);
  append_digit(err == HD_OK ? 1 + timed : 3 + timed);
  hd_condition_release(&waited);
}

static void cond_notifier(void *arg) {
  (void)arg;
  hd_sleep(0.1); /* as long as the waiter's timeout: which comes first is a race */
  hd_condition_acquire(&waited);
  ready_flag = 1;
  append_digit(5);
  hd_condition_notify_all(&waited);
  hd_condition_release(&waited);
}

static void cond_body(void *arg) {
  (void)arg;
  hd_lock_init(&waited_lock, "l");
  hd_condition_init_lock(&waited, &waited_lock, "c");
  hd_shared_init(&xdigits, "x", 0);
  ready_flag = 0;
  void (*fns[2])(void *) = {cond_waiter, cond_notifier};
  for (long i = 0; i < 2; i++) {
    hd_thread_init(&waiting_threads[i], fns[i], (void *)1L, NULL); /* the waiter has a timeout */
    hd_thread_start(&waiting_threads[i]);
  }
  for (int i = 0; i < 2; i++) hd_thread_join(&waiting_threads[i], HD_FOREVER);
}

static void cond_outcome(void *arg) {
  (void)arg;
  record_final(hd_shared_peek(&xdigits));
}

static void test_dfs_reaches_every_outcome_of_condition_waits(void **state) {
  (void)state;
  hd_test t = {.name = "waits", .body = cond_body, .check = cond_outcome};
  /* notified, timed out first, notified as it timed out */
  assert_true(compare_final_states(&t, 3) >= 3);
}

static void test_dfs_reaches_every_timeout_outcome_and_wastes_nothing(void **state) {
  (void)state;
  hd_test t = {.name = "timed", .body = timed_body, .check = timed_outcome};
  assert_true(compare_final_states(&t, 2) >= 2);
}

static void test_dfs_wastes_nothing_on_the_executor_and_the_timer(void **state) {
  (void)state;
  /* barrier_start_together draws its workers' sleeps: one tree per
   * assignment (38 wasted when the draws were nodes of one tree), and the
   * waits its last waiter wakes no longer race with the waits before it
   * (12 more). */
  const char *names[] = {"executor_locked", "timer_cancel", "prodcon_lock_pipeline", "barrier_start_together"};
  const uint64_t counts[] = {56, 2, 1, 2232};
  for (int i = 0; i < 4; i++) {
    hd_result r = explore_all(names[i], "dfs", true, NULL);
    assert_true(r.complete);
    assert_int_equal(r.executions, counts[i]);
    assert_int_equal(r.wasted, 0);
    hd_result_free(&r);
  }
}

/* executor_map: three workers wake from their tasks' sleeps together; a
 * race of one worker's queue get with another's adds a branch at a node
 * where a third was about to take its free wake-up step. Once that step's
 * branch is explored there, every other branch is redundant (dfs.c,
 * free_step): before the rule, 20 executions ended sleep-set blocked, the
 * first at execution 27,649. The classes are the same either way: 245,760.
 * Under a sanitizer (slower by an order of magnitude) the first 30,000. */
#define MAP_BUDGET (SANITIZED ? 30000 : 300000)
static void test_dfs_takes_a_free_step_for_every_branch_it_makes_redundant(void **state) {
  (void)state;
  hd_result r = explore_limited("executor_map", "dfs", true, NULL, MAP_BUDGET);
  assert_int_equal(r.wasted, 0);
  if (MAP_BUDGET > 245760) {
    assert_true(r.complete);
    assert_int_equal(r.executions, 245760);
  } else {
    assert_int_equal(r.executions, MAP_BUDGET);
  }
  hd_result_free(&r);
}

/* Optimal DPOR against source-DPOR on many small programs: three threads
 * of up to three steps each over three variables, a step being a write of
 * the thread's number or a read that ends the thread when it sees a
 * nonzero value (so what a thread does depends on the order). Both must
 * explore the same number of executions, one per Mazurkiewicz class, and
 * the optimal search must waste none where source-DPOR wastes some. */
static hd_shared small_vars[3];
static int small_program[3][3]; /* 0 stop, 1..3 write variable k-1, 4..6 read variable k-4 and stop if nonzero */
static hd_thread small_threads[3];
static hd_lock small_lock;

static int small_stopped[3]; /* where each thread stopped (a read can end it early) */

static void small_thread(void *arg) {
  int t = (int)(intptr_t)arg;
  small_stopped[t] = 3;
  for (int i = 0; i < 3; i++) {
    small_stopped[t] = i;
    int step = small_program[t][i];
    if (step == 0) return;
    if (step <= 3) {
      hd_store(&small_vars[step - 1], t + 1);
    } else if (step <= 6) {
      if (hd_load(&small_vars[step - 4]) != 0) return;
    } else if (step == 7) { /* x = the thread's number under a lock (not generated below) */
      hd_lock_acquire(&small_lock);
      hd_store(&small_vars[0], t + 1);
      hd_lock_release(&small_lock);
    } else if (step == 8) { /* y += the thread's number, unlocked (an update that can be lost) */
      hd_store(&small_vars[1], (hd_load(&small_vars[1]) + t + 1) % 4);
    } else { /* 9: under the lock, z = x */
      hd_lock_acquire(&small_lock);
      hd_store(&small_vars[2], hd_load(&small_vars[0]));
      hd_lock_release(&small_lock);
    }
  }
  small_stopped[t] = 3;
}

static bool small_daemon; /* thread 2 is a daemon main does not join: the end may abandon it anywhere */

static void small_body(void *arg) {
  (void)arg;
  const char *names[3] = {"x", "y", "z"};
  for (int v = 0; v < 3; v++) hd_shared_init(&small_vars[v], names[v], 0);
  hd_lock_init(&small_lock, "l");
  for (long i = 0; i < 3; i++) {
    hd_thread_init(&small_threads[i], small_thread, (void *)i, NULL);
    if (i == 2 && small_daemon) hd_thread_set_daemon(&small_threads[i], true);
    small_stopped[i] = 4; /* not started */
    hd_thread_start(&small_threads[i]);
  }
  for (int i = 0; i < (small_daemon ? 2 : 3); i++) hd_thread_join(&small_threads[i], HD_FOREVER);
}

static hd_result explore_small(bool optimal) {
  hd_test t = {.name = "small", .body = small_body};
  return hd_explore_whole_tree(&t, "dfs", false, optimal ? HD_TREE_OPTIMAL : HD_TREE_SOURCE);
}

static void test_optimal_dpor_wastes_nothing_and_explores_every_class(void **state) {
  (void)state;
  uint64_t lcg = 12345, source_wasted = 0;
  int programs_wasting = 0;
  for (int program = 0; program < 1000; program++) {
    for (int t = 0; t < 3; t++)
      for (int i = 0; i < 3; i++) {
        lcg = lcg * 6364136223846793005ull + 1442695040888963407ull;
        small_program[t][i] = (int)((lcg >> 33) % 7);
      }
    hd_result source = explore_small(false), optimal = explore_small(true);
    if (optimal.wasted || optimal.executions != source.executions)
      fail_msg("program %d: source-DPOR %llu executions (%llu wasted), optimal %llu (%llu wasted)", program,
               (unsigned long long)source.executions, (unsigned long long)source.wasted,
               (unsigned long long)optimal.executions, (unsigned long long)optimal.wasted);
    source_wasted += source.wasted;
    programs_wasting += source.wasted > 0;
    hd_result_free(&source);
    hd_result_free(&optimal);
  }
  print_message("source-DPOR wasted %llu executions in %d of the programs, optimal DPOR none\n",
                (unsigned long long)source_wasted, programs_wasting);
  assert_true(source_wasted > 0); /* the programs are ones where it matters */
}

/* A blocked attempt orders nothing after it. T0: under a lock, x = 1;
 * then, if z is still 0, z = 1. T1: if x is 0, z = 2 twice. T2: if x is 0,
 * z = 3, then x = 3 under the lock. x = 3 and z = 1 at the end needs T2 to
 * read x before T0 writes it and to write z after T0 read it, with T0
 * holding the lock in between. dfs once explored T2 trying the lock
 * (blocked) after writing z, and the chain through that no-op attempt, the
 * release that woke it and T0's read of z ordered T2's write before T0's
 * read: their race was never reversed and the state never reached. A
 * random search reaches it; every final state random reaches in 20,000
 * executions, dfs must reach. */
static void attempt_final(void *arg) {
  (void)arg;
  record_final(hd_shared_peek(&small_vars[0]) * 64 + hd_shared_peek(&small_vars[1]) * 8 + hd_shared_peek(&small_vars[2]));
}

static void test_dfs_a_blocked_attempt_hides_no_race(void **state) {
  (void)state;
  const int program[3][3] = {{7, 6, 3}, {4, 3, 3}, {4, 3, 7}};
  memcpy(small_program, program, sizeof program);
  memset(final_states, 0, sizeof final_states);
  const char *strategies[2] = {"random", "dfs"}; /* recorded as searches 0 and 1 */
  for (search_which = 0; search_which < 2; search_which++) {
    hd_test t = {.name = "attempt", .body = small_body, .check = attempt_final};
    hd_options o;
    hd_options_default(&o);
    o.isolate = false;
    o.strategy = strategies[search_which];
    o.detect_races = false;
    o.executions = 20000;
    hd_result r = hd_explore_or_fail(&t, &o);
    assert_false(r.bug_found);
    if (search_which == 1) assert_true(r.complete);
    hd_result_free(&r);
  }
  assert_true(final_states[0][3 * 64 + 1]); /* x = 3, y = 0, z = 1: random reaches it */
  for (int k = 0; k < 512; k++)
    if (final_states[0][k] && !final_states[1][k])
      fail_msg("final x=%d y=%d z=%d: reached by random, not by dfs", k / 64, k / 8 % 8, k % 8);
}

/* ... and on the models and scenarios whose counts are pinned above. */
static void test_optimal_dpor_keeps_the_counts(void **state) {
  (void)state;
  const char *names[] = {"locked_counter_3", "independent_writers", "executor_locked", "barrier_start_together"};
  const uint64_t counts[] = {6, 1, 56, 2232};
  for (int i = 0; i < 4; i++) {
    hd_test t = hd_scenario_test(names[i]);
    t.check = NULL;
    hd_result r = hd_explore_whole_tree(&t, "dfs", false, HD_TREE_OPTIMAL);
    assert_int_equal(r.executions, counts[i]);
    assert_int_equal(r.wasted, 0);
    hd_result_free(&r);
  }
}

/* Reads-from equivalence on generated programs (the three-thread programs
 * above, with the locked write, an unlocked increment and a locked copy
 * among the steps): dfs --reads-from must
 * reach every final state (the variables and where each thread stopped)
 * dfs reaches (checked against dfs-naive above), in no more executions. */
static void small_final(void *arg) {
  (void)arg;
  int64_t v = 0;
  for (int i = 0; i < 3; i++) v = v * 4 + hd_shared_peek(&small_vars[i]);
  for (int t = 0; t < 3; t++) v = v * 5 + small_stopped[t];
  record_final(v);
}

#ifndef RF_PROGRAMS
#define RF_PROGRAMS (SANITIZED ? 40 : 300) /* by hand: -DRF_PROGRAMS=3000 */
#endif
static void test_reads_from_reaches_every_final_state_of_generated_programs(void **state) {
  (void)state;
  uint64_t lcg = 777, fewer = 0, total_rf = 0, total_maz = 0;
  for (int program = 0; program < 2 * RF_PROGRAMS; program++) {
    small_daemon = program >= RF_PROGRAMS; /* the second half: thread 2 a daemon, abandoned where the end comes */
    for (int t = 0; t < 3; t++)
      for (int i = 0; i < 3; i++) {
        lcg = lcg * 6364136223846793005ull + 1442695040888963407ull;
        small_program[t][i] = (int)((lcg >> 33) % 10);
      }
    memset(final_states, 0, sizeof final_states);
    uint64_t counts[2] = {0, 0};
    const int searches[2] = {1, 3};
    for (int k = 0; k < 2; k++) {
      search_which = searches[k];
      hd_test t = {.name = "small", .body = small_body, .check = small_final};
      hd_result r = hd_explore_whole_tree(&t, "dfs", false, k == 0 ? HD_TREE_SOURCE : HD_TREE_READS_FROM);
      counts[k] = r.executions;
      hd_result_free(&r);
    }
    hd_result maz = {.executions = counts[0]};
    for (int x = 0; x < 64 * 125; x++)
      if (final_states[1][x] && !final_states[3][x])
        fail_msg("program %d (%d%d%d %d%d%d %d%d%d): final state %d reached by dfs, not by dfs --reads-from", program,
                 small_program[0][0], small_program[0][1], small_program[0][2], small_program[1][0], small_program[1][1],
                 small_program[1][2], small_program[2][0], small_program[2][1], small_program[2][2], x);
    if (counts[1] > maz.executions)
      fail_msg("program %d (%d%d%d %d%d%d %d%d%d%s): %llu reads-from executions, more than dfs's %llu", program,
               small_program[0][0], small_program[0][1], small_program[0][2], small_program[1][0], small_program[1][1],
               small_program[1][2], small_program[2][0], small_program[2][1], small_program[2][2],
               small_daemon ? ", thread 2 a daemon" : "", (unsigned long long)counts[1], (unsigned long long)maz.executions);
    fewer += counts[1] < maz.executions;
    total_rf += counts[1];
    total_maz += maz.executions;
  }
  small_daemon = false;
  print_message("reads-from: %llu executions against dfs's %llu; fewer in %llu of %d programs\n",
                (unsigned long long)total_rf, (unsigned long long)total_maz, (unsigned long long)fewer, 2 * RF_PROGRAMS);
  assert_true(fewer > 0);
}

/* Daemons abandoned holding a lock. The small one: T0 writes x under the
 * lock, then reads z; the daemon copies x to z under the lock; main joins
 * T0 only. T0 reading the daemon's z with the program ending before the
 * daemon's release was never tried by dfs: the end of the program was a
 * switch point only while a thread was unfinished, and in the execution
 * where the daemon wrote z first it had also released and exited before
 * main ended, so nothing raced with the release (engine/exec.c,
 * end_program). The larger one (T0 writes x twice under the lock, then
 * stops if z is set; T1 copies x to z under the lock, stops if x is set,
 * else writes x; the daemon writes y, copies x to z under the lock, stops
 * if y is set) had four such final states. dfs and --reads-from must each
 * reach every final state a random search of 200,000 executions reaches. */
static void test_dfs_reaches_what_random_reaches_with_a_daemon(void **state) {
  (void)state;
  const int programs[2][3][3] = {{{7, 6, 0}, {0, 0, 0}, {9, 0, 0}}, {{7, 7, 6}, {9, 4, 1}, {2, 9, 5}}};
  for (int which = 0; which < 2; which++) {
    memcpy(small_program, programs[which], sizeof programs[which]);
    small_daemon = true;
    memset(final_states, 0, sizeof final_states);
    for (int k = 0; k < 3; k++) { /* random, dfs, dfs --reads-from: searches 0, 1, 3 */
      search_which = k == 2 ? 3 : k;
      hd_test t = {.name = "small_daemon", .body = small_body, .check = small_final};
      hd_options o;
      hd_options_default(&o);
      o.isolate = false;
      o.detect_races = false;
      o.strategy = k == 0 ? "random" : "dfs";
      o.reads_from = k == 2;
      o.executions = k == 0 ? 200000 : 2000000;
      hd_result r = hd_explore_or_fail(&t, &o);
      assert_false(r.bug_found);
      if (k > 0) assert_true(r.complete);
      hd_result_free(&r);
    }
    small_daemon = false;
    int states = 0;
    for (int x = 0; x < 64 * 125; x++) {
      states += final_states[0][x];
      for (int k = 1; k <= 3; k += 2)
        if (final_states[0][x] && !final_states[k][x])
          fail_msg("program %d: final state %d reached by random, not by dfs%s", which, x, k == 3 ? " --reads-from" : "");
    }
    assert_true(states >= (which ? 30 : 7));
  }
}

/* Reads-from counts of scenarios, pinned: each correct scenario completes
 * in no more executions than dfs's pinned counts (above), the lock order of
 * two critical sections that read what the other wrote is still explored
 * both ways across a sleep (locked_update: 2; the search once took the
 * clock's moves for causality and explored 1), and so are the tasks'
 * orders of the executor. */
static void test_reads_from_counts_of_the_scenarios(void **state) {
  (void)state;
  const char *names[] = {"independent_writers", "locked_counter_3", "locked_update", "executor_locked", "timer_cancel",
                         "barrier_start_together", "rlock_reentry"};
  const uint64_t counts[] = {1, 6, 2, 36, 2, 2232, 2};
  for (int i = 0; i < 7; i++) {
    hd_test t = hd_scenario_test(names[i]);
    t.check = NULL;
    hd_result r = hd_explore_whole_tree(&t, "dfs", false, HD_TREE_READS_FROM);
    if (r.executions != counts[i])
      fail_msg("%s: %llu executions under --reads-from, expected %llu", names[i], (unsigned long long)r.executions,
               (unsigned long long)counts[i]);
    hd_result_free(&r);
  }
}

/* N writers of one variable, each its own value, and one reader: every pair
 * conflicts, so the Mazurkiewicz classes are the (N+1)! orders, and dfs
 * explores exactly those; the reader sees each of the N+1 values. Under
 * reads-from equivalence only what the reader sees matters: N+1
 * executions, each value once. */
enum { WRITERS = 3 };
static hd_shared written;
static hd_thread writer_threads[WRITERS + 1];
static int64_t seen_by_reader[WRITERS + 1];
static int64_t reader_saw;

static void write_own(void *arg) { hd_store(&written, (int64_t)(intptr_t)arg); }
static void read_once(void *arg) {
  (void)arg;
  reader_saw = hd_load(&written);
}

static void writers_body(void *arg) {
  (void)arg;
  hd_shared_init(&written, "x", 0);
  for (intptr_t i = 0; i <= WRITERS; i++) {
    hd_thread_init(&writer_threads[i], i < WRITERS ? write_own : read_once, (void *)(i + 1), NULL);
    hd_thread_start(&writer_threads[i]);
  }
  for (int i = 0; i <= WRITERS; i++) hd_thread_join(&writer_threads[i], HD_FOREVER);
}

static void count_reader(void *arg) {
  (void)arg;
  if (reader_saw >= 0 && reader_saw <= WRITERS) seen_by_reader[reader_saw]++;
}

static void count_reader_and_last(void *arg) {
  count_reader(arg);
  (void)hd_shared_peek(&written);
}

static void test_dfs_n_writers_and_a_reader_are_n_plus_one_factorial(void **state) {
  (void)state;
  memset(seen_by_reader, 0, sizeof seen_by_reader);
  hd_test t = {.name = "writers", .body = writers_body, .check = count_reader};
  hd_result r = hd_explore_whole_tree(&t, "dfs", false, HD_TREE_SOURCE);
  assert_int_equal(r.executions, 24); /* (3 + 1)! */
  assert_int_equal(r.wasted, 0);
  for (int v = 0; v <= WRITERS; v++) assert_true(seen_by_reader[v] > 0);
  hd_result_free(&r);
  /* Reads-from: one execution per value the reader sees. */
  memset(seen_by_reader, 0, sizeof seen_by_reader);
  r = hd_explore_whole_tree(&t, "dfs", false, HD_TREE_READS_FROM);
  assert_int_equal(r.executions, WRITERS + 1);
  for (int v = 0; v <= WRITERS; v++) assert_int_equal(seen_by_reader[v], 1);
  hd_result_free(&r);
  /* A check that reads the variable at the end reads the last write: every
   * (reader's value, last writer) that some order gives, 4 * 3. */
  t.check = count_reader_and_last;
  r = hd_explore_whole_tree(&t, "dfs", false, HD_TREE_READS_FROM);
  assert_int_equal(r.executions, (WRITERS + 1) * WRITERS);
  hd_result_free(&r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_dfs_independent_writers_is_one_execution),
      cmocka_unit_test(test_dfs_locked_counter_3_is_six_executions),
      cmocka_unit_test(test_dfs_racy_counter_2_is_four_executions_two_losing_an_update),
      cmocka_unit_test(test_dfs_without_reduction_explores_more),
      cmocka_unit_test(test_dfs_naive_racy_counter_2_is_complete),
      cmocka_unit_test(test_dfs_finds_every_buggy_scenario),
      cmocka_unit_test(test_dfs_proves_correct_models_complete),
      cmocka_unit_test(test_dfs_names_the_executions_bound_that_stopped_it),
      cmocka_unit_test(test_dfs_names_the_preemption_bound_that_stopped_it),
      cmocka_unit_test(test_dfs_enumerates_every_drawn_value),
      cmocka_unit_test(test_dfs_reduction_keeps_every_outcome),
      cmocka_unit_test(test_dfs_finds_a_daemon_that_fails_before_main_returns),
      cmocka_unit_test(test_dfs_explores_a_failing_try_acquire_on_both_sides_of_the_release),
      cmocka_unit_test(test_dfs_reaches_every_timeout_outcome_and_wastes_nothing),
      cmocka_unit_test(test_dfs_reaches_every_outcome_of_condition_waits),
      cmocka_unit_test(test_dfs_reaches_every_outcome_of_drawn_sleeps_and_a_barrier),
      cmocka_unit_test(test_dfs_wastes_nothing_on_the_executor_and_the_timer),
      cmocka_unit_test(test_optimal_dpor_wastes_nothing_and_explores_every_class),
      cmocka_unit_test(test_optimal_dpor_keeps_the_counts),
      cmocka_unit_test(test_dfs_a_blocked_attempt_hides_no_race),
      cmocka_unit_test(test_dfs_takes_a_free_step_for_every_branch_it_makes_redundant),
      cmocka_unit_test(test_dfs_n_writers_and_a_reader_are_n_plus_one_factorial),
      cmocka_unit_test(test_reads_from_reaches_every_final_state_of_generated_programs),
      cmocka_unit_test(test_reads_from_counts_of_the_scenarios),
      cmocka_unit_test(test_dfs_reaches_what_random_reaches_with_a_daemon),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

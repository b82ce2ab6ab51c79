/* dfs --sections (harness/strategies/dfs.c, "sections"): a critical section
 * that only reads and writes memory is one step, so sections that touch
 * nothing in common are one class. Pinned: the counts of the models in both
 * modes; every final state dfs (itself checked against dfs-naive in
 * dfs_test) reaches is reached on generated programs that mix locked and
 * unlocked accesses, and dfs-naive's on the small models; a check that fails (memory
 * used without the lock, a try-acquire, a release by another thread) starts
 * the search again with sections ordered; every buggy scenario is found. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "harness/explore.h"
#include "primitives/heddle.h"
#include "scenarios/scenario.h"
#include "tests/support/scenario_run.h"

#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
#define PROGRAMS 60
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
#define PROGRAMS 60
#endif
#endif
#ifndef PROGRAMS
#define PROGRAMS 600 /* by hand: -DPROGRAMS=10000 */
#endif
#ifndef PROGRAM_SEED
#define PROGRAM_SEED 2026 /* by hand, other programs: -DPROGRAM_SEED=7 */
#endif

/* ---- the final states a search reaches ---- */

enum { FINALS = 5 * 5 * 5 * 5 * 5 * 4 * 4 * 4 };
static bool finals[3][FINALS]; /* dfs-naive, dfs, dfs --sections */
static int which;

static void record(int64_t v) {
  if (v >= 0 && v < FINALS) finals[which][v] = true;
}

/* ---- N threads, each writing its own variable under one lock ---- */

enum { WRITERS = 3 };
static hd_lock one_lock;
static hd_shared own[WRITERS];
static hd_thread writers[WRITERS];

static void write_own(void *arg) {
  long i = (long)arg;
  hd_lock_acquire(&one_lock);
  hd_store(&own[i], i + 1);
  hd_lock_release(&one_lock);
}

static void own_body(void *arg) {
  (void)arg;
  hd_lock_init(&one_lock, "l");
  for (long i = 0; i < WRITERS; i++) hd_shared_init(&own[i], "own", 0);
  for (long i = 0; i < WRITERS; i++) {
    hd_thread_init(&writers[i], write_own, (void *)i, NULL);
    hd_thread_start(&writers[i]);
  }
  for (int i = 0; i < WRITERS; i++) hd_thread_join(&writers[i], HD_FOREVER);
}

static hd_result whole_tree(hd_test *t, int search) {
  which = search;
  return hd_explore_whole_tree(t, search == 0 ? "dfs-naive" : "dfs", false,
                               search == 2 ? HD_TREE_SECTIONS : HD_TREE_SOURCE);
}

static void test_sections_on_their_own_variables_are_one_execution(void **state) {
  (void)state;
  hd_test t = {.name = "own", .body = own_body};
  hd_result dfs = whole_tree(&t, 1), sections = whole_tree(&t, 2);
  assert_int_equal(dfs.executions, 6); /* 3!: the order of the acquisitions */
  assert_int_equal(sections.executions, 1);
  assert_int_equal(sections.wasted, 0);
  assert_int_equal(sections.sections_discarded, 0);
  hd_result_free(&dfs);
  hd_result_free(&sections);
  /* With twins too: locked_counter_3's three workers in one order, one class. */
  hd_test twins = hd_scenario_test("locked_counter_3");
  hd_result both = hd_explore_whole_tree(&twins, "dfs", true, HD_TREE_SECTIONS);
  assert_int_equal(both.executions, 1);
  hd_result_free(&both);
}

/* ---- a sleeper that sleeps through a transaction it commutes with ---- */

/* T0 writes x under the lock; T1 writes y under it, then reads x under it.
 * Two classes: T0's write before T1's read or after it. The race between
 * them makes T1 a branch at the start, where T0 (explored there) sleeps;
 * T1's first section commutes with T0's, so T0 sleeps through it and wakes
 * at the read of x. Had T0 woken at T1's acquire, the search would run T0's
 * section next, an execution of the class explored first. */
static hd_lock sleeper_lock;
static hd_shared sx, sy;
static hd_thread sleeper_threads[2];

static void write_x(void *arg) {
  (void)arg;
  hd_lock_acquire(&sleeper_lock);
  hd_store(&sx, 1);
  hd_lock_release(&sleeper_lock);
}

/* T1: y under the lock, then x read under it; `wait` (non-NULL): a timed
 * condition wait (0.1 s, nobody notifies) between writing y and giving the
 * lock up. */
static hd_condition sleeper_cond;

static void write_y_then_read_x(void *wait) {
  hd_lock_acquire(&sleeper_lock);
  hd_store(&sy, 1);
  if (wait) hd_condition_wait(&sleeper_cond, 0.1);
  hd_lock_release(&sleeper_lock);
  hd_lock_acquire(&sleeper_lock);
  record(hd_load(&sx));
  hd_lock_release(&sleeper_lock);
}

/* T0 runs write_x, T1 write_y_then_read_x(wait). */
static void sleeper_body(void *wait) {
  hd_lock_init(&sleeper_lock, "l");
  hd_condition_init_lock(&sleeper_cond, &sleeper_lock, "c");
  hd_shared_init(&sx, "x", 0);
  hd_shared_init(&sy, "y", 0);
  hd_thread_init(&sleeper_threads[0], write_x, NULL, NULL);
  hd_thread_init(&sleeper_threads[1], write_y_then_read_x, wait, NULL);
  for (int i = 0; i < 2; i++) hd_thread_start(&sleeper_threads[i]);
  for (int i = 0; i < 2; i++) hd_thread_join(&sleeper_threads[i], HD_FOREVER);
}

static void test_a_sleeper_sleeps_through_a_section_it_commutes_with(void **state) {
  (void)state;
  hd_test t = {.name = "sleeper", .body = sleeper_body, .arg = NULL};
  memset(finals, 0, sizeof finals);
  hd_result dfs = whole_tree(&t, 1), sections = whole_tree(&t, 2);
  assert_int_equal(dfs.executions, 3); /* T0's acquire first, between T1's two, or after them */
  assert_int_equal(sections.executions, 2);
  assert_int_equal(sections.wasted, 0);
  assert_int_equal(sections.sections_discarded, 0);
  assert_true(finals[2][0] && finals[2][1]); /* x read as 0 and as 1 */
  hd_result_free(&dfs);
  hd_result_free(&sections);
}

/* The same, but T1's first section waits on a condition (0.1 s, nobody
 * notifies) after writing y: the wait cuts the transaction short and gives
 * the lock up, so T0, kept asleep from T1's acquire on, must be awake when
 * it can run again: its section can come during the wait, an order the
 * explored branch does not have (asleep then, with nothing else to run, it
 * would end the execution sleep-set blocked). The search wakes it where the
 * transaction is cut, and the wait, which gives the lock up, wakes it too. */
static void test_a_sleeper_wakes_where_a_section_is_cut_short(void **state) {
  (void)state;
  hd_test t = {.name = "cut_sleeper", .body = sleeper_body, .arg = &sleeper_cond};
  memset(finals, 0, sizeof finals);
  hd_result dfs = whole_tree(&t, 1), sections = whole_tree(&t, 2);
  assert_int_equal(dfs.executions, 2); /* T0's section before T1's first, or during its wait */
  assert_int_equal(sections.executions, 2);
  assert_int_equal(sections.wasted, 0);
  assert_int_equal(sections.sections_discarded, 0);
  assert_true(finals[2][1]);
  for (int v = 0; v < 2; v++) assert_int_equal(finals[1][v], finals[2][v]);
  hd_result_free(&dfs);
  hd_result_free(&sections);
}

/* Sections that conflict are still ordered both ways: 3 locked increments
 * are 3! = 6 in both modes, and the scenarios keep their counts or fall,
 * none wasted (a sleeper about to take a lock sleeps through a transaction
 * it commutes with; when all woke at its acquire, executor_locked wasted 18
 * and barrier_start_together 2). */
static void test_conflicting_sections_keep_every_order(void **state) {
  (void)state;
  static const struct {
    const char *name;
    uint64_t dfs, sections;
  } pinned[] = {
      {"locked_counter_3", 6, 6}, {"locked_update", 2, 2},      {"executor_locked", 56, 56},
      {"rlock_reentry", 4, 4},    {"barrier_start_together", 2232, 372},
  };
  for (size_t i = 0; i < sizeof pinned / sizeof pinned[0]; i++) {
    hd_test t = hd_scenario_test(pinned[i].name);
    t.check = NULL;
    hd_result dfs = whole_tree(&t, 1), sections = whole_tree(&t, 2);
    if (dfs.executions != pinned[i].dfs || sections.executions != pinned[i].sections || sections.sections_discarded ||
        sections.wasted)
      fail_msg("%s: dfs %llu, --sections %llu (%llu wasted, %llu discarded), expected %llu and %llu", pinned[i].name,
               (unsigned long long)dfs.executions, (unsigned long long)sections.executions,
               (unsigned long long)sections.wasted, (unsigned long long)sections.sections_discarded,
               (unsigned long long)pinned[i].dfs, (unsigned long long)pinned[i].sections);
    hd_result_free(&dfs);
    hd_result_free(&sections);
  }
}

static void test_sections_find_every_buggy_scenario(void **state) {
  (void)state;
  hd_options o;
  hd_options_default(&o);
  o.strategy = "dfs";
  o.sections = true;
  o.executions = 100000;
  hd_expect_every_bug_found(&o, "dfs --sections");
}

/* ---- generated programs ----
 * Three threads of three steps each over x, y (only ever used under the
 * lock) and w (used both ways, so that some programs fail the check), with
 * a condition variable's notify and timed wait among them, and where each
 * thread stopped. */
static hd_shared gx, gy, gw;
static hd_lock glock;
static hd_condition gcond; /* on glock */
static hd_thread gthreads[3];
static int gprogram[3][3];
static int gstopped[3];

static bool x_set(void *arg) {
  (void)arg;
  return hd_load(&gx) != 0;
}

static void gthread(void *arg) {
  int t = (int)(intptr_t)arg;
  for (int i = 0; i < 3; i++) {
    gstopped[t] = i;
    int step = gprogram[t][i];
    bool stop = false;
    switch (step) {
    case 0: /* x = t + 1 under the lock */
      hd_lock_acquire(&glock);
      hd_store(&gx, t + 1);
      hd_lock_release(&glock);
      break;
    case 1: /* y = x under the lock */
      hd_lock_acquire(&glock);
      hd_store(&gy, hd_load(&gx));
      hd_lock_release(&glock);
      break;
    case 2: /* stop if y is set, read under the lock */
      hd_lock_acquire(&glock);
      stop = hd_load(&gy) != 0;
      hd_lock_release(&glock);
      break;
    case 3: /* x += 1 (mod 4) under the lock */
      hd_lock_acquire(&glock);
      hd_store(&gx, (hd_load(&gx) + 1) % 4);
      hd_lock_release(&glock);
      break;
    case 4: /* w = t + 1 under the lock */
      hd_lock_acquire(&glock);
      hd_store(&gw, t + 1);
      hd_lock_release(&glock);
      break;
    case 5: /* w = t + 1, no lock: the check fails when it races with a locked use of w */
      hd_store(&gw, t + 1);
      break;
    case 6: /* stop if w is set, no lock */
      stop = hd_load(&gw) != 0;
      break;
    case 7: /* y = x, then w = y, under the lock */
      hd_lock_acquire(&glock);
      hd_store(&gy, hd_load(&gx));
      hd_store(&gw, hd_load(&gy));
      hd_lock_release(&glock);
      break;
    case 8: /* a yield (a switch point on nothing) */
      hd_yield();
      break;
    case 9: /* x = t + 1 and notify, under the lock: the notify ends the transaction early */
      hd_lock_acquire(&glock);
      hd_store(&gx, t + 1);
      hd_condition_notify_all(&gcond);
      hd_lock_release(&glock);
      break;
    default: /* 10: wait (0.1 s at most) until x is set, then y = x, under the lock */
      hd_lock_acquire(&glock);
      hd_condition_wait_for(&gcond, x_set, NULL, 0.1);
      hd_store(&gy, hd_load(&gx));
      hd_lock_release(&glock);
      break;
    }
    if (stop) return;
  }
  gstopped[t] = 3;
}

static void gbody(void *arg) {
  (void)arg;
  hd_shared_init(&gx, "x", 0);
  hd_shared_init(&gy, "y", 0);
  hd_shared_init(&gw, "w", 0);
  hd_lock_init(&glock, "l");
  hd_condition_init_lock(&gcond, &glock, "c");
  for (long i = 0; i < 3; i++) {
    hd_thread_init(&gthreads[i], gthread, (void *)i, NULL);
    gstopped[i] = 4;
    hd_thread_start(&gthreads[i]);
  }
  for (int i = 0; i < 3; i++) hd_thread_join(&gthreads[i], HD_FOREVER);
}

static void gfinal(void *arg) {
  (void)arg;
  int64_t v = 0;
  for (int t = 0; t < 3; t++) v = v * 5 + gstopped[t];
  v = v * 4 + hd_shared_peek(&gx);
  v = v * 4 + hd_shared_peek(&gy);
  v = v * 4 + hd_shared_peek(&gw);
  record(v);
}

static void test_sections_reach_every_final_state_of_generated_programs(void **state) {
  (void)state;
  uint64_t lcg = PROGRAM_SEED, fewer = 0, restarted = 0, total[3] = {0, 0, 0}, wasted[3] = {0, 0, 0};
  for (int program = 0; program < PROGRAMS; program++) {
    for (int t = 0; t < 3; t++)
      for (int i = 0; i < 3; i++) {
        lcg = lcg * 6364136223846793005ull + 1442695040888963407ull;
        /* The unlocked uses of w (5, 6) one step in eight, so that most
         * programs pass the check and run on as transactions. */
        static const int locked_or_yield[9] = {0, 1, 2, 3, 4, 7, 8, 9, 10};
        int r = (int)((lcg >> 33) % 20);
        gprogram[t][i] = r == 0 ? 5 : r == 1 ? 6 : locked_or_yield[r % 9];
      }
    memset(finals, 0, sizeof finals);
    uint64_t counts[3] = {0, 0, 0};
    uint64_t discarded = 0;
    for (int k = 1; k < 3; k++) { /* dfs-naive's trees are too large here: dfs is the reference (dfs_test) */
      hd_test t = {.name = "generated", .body = gbody, .check = gfinal};
      hd_result r = whole_tree(&t, k);
      counts[k] = r.executions;
      if (k == 2) discarded = r.sections_discarded;
      wasted[k] += r.wasted;
      hd_result_free(&r);
    }
    for (int v = 0; v < FINALS; v++)
      if (finals[1][v] && !finals[2][v])
        fail_msg("program %d (%d%d%d %d%d%d %d%d%d): final state %d reached by dfs, not by dfs --sections", program,
                 gprogram[0][0], gprogram[0][1], gprogram[0][2], gprogram[1][0], gprogram[1][1], gprogram[1][2],
                 gprogram[2][0], gprogram[2][1], gprogram[2][2], v);
    /* Without a failed check, sections never explore more than dfs. */
    if (!discarded && counts[2] > counts[1])
      fail_msg("program %d (%d%d%d %d%d%d %d%d%d): %llu executions with --sections, %llu without", program,
               gprogram[0][0], gprogram[0][1], gprogram[0][2], gprogram[1][0], gprogram[1][1], gprogram[1][2],
               gprogram[2][0], gprogram[2][1], gprogram[2][2], (unsigned long long)counts[2],
               (unsigned long long)counts[1]);
    fewer += counts[2] < counts[1];
    restarted += discarded > 0;
    for (int k = 0; k < 3; k++) total[k] += counts[k];
  }
  print_message("sections: %llu executions (%llu wasted) against dfs's %llu (%llu wasted); fewer in %llu of %d "
                "programs, %llu started again with sections ordered\n",
                (unsigned long long)total[2], (unsigned long long)wasted[2], (unsigned long long)total[1],
                (unsigned long long)wasted[1],
                (unsigned long long)fewer, PROGRAMS, (unsigned long long)restarted);
  assert_true(fewer > 0);
  assert_true(restarted > 0);
}

/* ---- the checks ---- */

/* w under the lock in T0, without it in T1: the check fails, the search
 * starts again with sections ordered, and reaches both orders. */
static hd_thread checked[2];
static bool try_failed_seen, try_succeeded_seen;

static void locked_w(void *arg) {
  (void)arg;
  hd_lock_acquire(&glock);
  hd_store(&gw, 1);
  hd_store(&gx, 1);
  hd_lock_release(&glock);
}
static void unlocked_w(void *arg) {
  (void)arg;
  hd_store(&gw, 2);
}
static void try_then_read(void *arg) {
  (void)arg;
  if (hd_lock_acquire_timed(&glock, false, HD_FOREVER) == HD_OK) {
    try_succeeded_seen = true;
    hd_lock_release(&glock);
  } else {
    try_failed_seen = true;
  }
}
static void releases_for_the_holder(void *arg) {
  (void)arg;
  hd_lock_release(&glock); /* a Lock may be released by any thread (Python's semantics) */
}

static void (*second)(void *);
static void check_body(void *arg) {
  (void)arg;
  hd_shared_init(&gx, "x", 0);
  hd_shared_init(&gw, "w", 0);
  hd_lock_init(&glock, "l");
  hd_thread_init(&checked[0], locked_w, NULL, NULL);
  hd_thread_init(&checked[1], second, NULL, NULL);
  if (second == releases_for_the_holder) hd_lock_acquire(&glock); /* main holds it; the second thread frees it */
  hd_thread_start(&checked[0]);
  hd_thread_start(&checked[1]);
  for (int i = 0; i < 2; i++) hd_thread_join(&checked[i], HD_FOREVER);
}
static void check_final(void *arg) {
  (void)arg;
  record(hd_shared_peek(&gw) * 2 + hd_shared_peek(&gx));
}

static void test_a_failed_check_starts_the_search_again(void **state) {
  (void)state;
  void (*const seconds[3])(void *) = {unlocked_w, try_then_read, releases_for_the_holder};
  for (int i = 0; i < 3; i++) {
    second = seconds[i];
    try_failed_seen = try_succeeded_seen = false;
    memset(finals, 0, sizeof finals);
    hd_test t = {.name = "checked", .body = check_body, .check = check_final};
    hd_result naive = whole_tree(&t, 0), sections = whole_tree(&t, 2);
    if (sections.sections_discarded == 0) fail_msg("second thread %d: the check did not fail", i);
    for (int v = 0; v < 8; v++)
      if (finals[0][v] != finals[2][v]) fail_msg("second thread %d: final %d differs", i, v);
    if (i == 1) assert_true(try_failed_seen && try_succeeded_seen);
    hd_result_free(&naive);
    hd_result_free(&sections);
  }
}

/* Options that cannot go with --sections are refused with one line. */
static void test_sections_refuse_other_modes(void **state) {
  (void)state;
  hd_test t = hd_scenario_test("locked_counter_3");
  for (int i = 0; i < 2; i++) {
    hd_options o;
    hd_options_default(&o);
    o.strategy = "dfs";
    o.sections = true;
    o.optimal = i == 0;
    o.reads_from = i == 1;
    hd_result r;
    assert_int_equal(hd_explore(&t, &o, &r), HD_EXPLORE_BAD_INPUT);
    assert_non_null(strstr(r.error, "--sections runs with source-DPOR, unsplit"));
    hd_result_free(&r);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sections_on_their_own_variables_are_one_execution),
      cmocka_unit_test(test_a_sleeper_sleeps_through_a_section_it_commutes_with),
      cmocka_unit_test(test_a_sleeper_wakes_where_a_section_is_cut_short),
      cmocka_unit_test(test_conflicting_sections_keep_every_order),
      cmocka_unit_test(test_sections_find_every_buggy_scenario),
      cmocka_unit_test(test_sections_reach_every_final_state_of_generated_programs),
      cmocka_unit_test(test_a_failed_check_starts_the_search_again),
      cmocka_unit_test(test_sections_refuse_other_modes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

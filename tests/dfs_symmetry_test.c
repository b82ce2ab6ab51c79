/* dfs's symmetry reduction (harness/strategies/dfs.c, --symmetry) and its
 * data draws (hd_random_data): twins are explored in one order while none
 * has started, every final state of the plain search is still reached,
 * every buggy scenario is still found, threads with different arguments
 * are not merged; data is drawn without branching, the same n-th draw of a
 * thread in every execution. */
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

/* The pool model's counts (test_a_pool_of_twins_...): every order of the critical
 * sections, and the same up to renaming the four twins. */
enum { PLAIN_POOL = 2652, SYMMETRIC_POOL = 128 };

static hd_options dfs_options(const char *strategy, bool symmetry) {
  hd_options o;
  hd_options_default(&o);
  o.isolate = false; /* the tests read what the body left in their globals */
  o.strategy = strategy;
  o.symmetry = symmetry;
  o.detect_races = false;
  o.executions = 2000000;
  return o;
}

static hd_result explore_complete(hd_test t, const char *strategy, bool symmetry) {
  return hd_explore_whole_tree(&t, strategy, symmetry, HD_TREE_SOURCE);
}

static void test_three_locked_twins_are_one_execution(void **state) {
  (void)state;
  hd_test t = hd_scenario_test("locked_counter_3");
  hd_result plain = explore_complete(t, "dfs", false);
  hd_result sym = explore_complete(t, "dfs", true);
  assert_int_equal(plain.executions, 6); /* 3! orders of the critical sections */
  assert_int_equal(sym.executions, 1);   /* one up to renaming the twins */
  hd_result_free(&plain);
  hd_result_free(&sym);
}

/* Two twins increment a counter without a lock while an observer of
 * another function records what it saw: final states (counter, seen). (Three
 * twins are too many interleavings for dfs-naive to finish here.) */
static hd_shared counter, seen;
static hd_thread twins[2], observer;
static bool reached[2][4][4];
static int which;

static void racy_increment(void *arg) {
  (void)arg;
  int64_t v = hd_load(&counter);
  hd_store(&counter, v + 1);
}

static void observe(void *arg) {
  (void)arg;
  hd_store(&seen, hd_load(&counter));
}

static void twins_body(void *arg) {
  (void)arg;
  hd_shared_init(&counter, "counter", 0);
  hd_shared_init(&seen, "seen", 0);
  for (int i = 0; i < 2; i++) {
    hd_thread_init(&twins[i], racy_increment, NULL, NULL);
    hd_thread_start(&twins[i]);
  }
  hd_thread_init(&observer, observe, NULL, "observer");
  hd_thread_start(&observer);
}

static void record_final_state(void *arg) {
  (void)arg;
  int64_t c = hd_shared_peek(&counter), s = hd_shared_peek(&seen);
  if (c >= 0 && c < 4 && s >= 0 && s < 4) reached[which][c][s] = true;
}

static void test_symmetry_reaches_every_final_state_of_the_plain_search(void **state) {
  (void)state;
  memset(reached, 0, sizeof reached);
  hd_test t = {.name = "twins", .body = twins_body, .check = record_final_state};
  which = 0;
  hd_result naive = explore_complete(t, "dfs-naive", false);
  which = 1;
  hd_result sym = explore_complete(t, "dfs", true);
  hd_result plain = explore_complete(t, "dfs", false);
  assert_true(sym.executions < plain.executions);
  int distinct = 0;
  for (int c = 0; c < 4; c++)
    for (int s = 0; s < 4; s++) {
      if (reached[0][c][s] && !reached[1][c][s])
        fail_msg("final state counter=%d seen=%d: reached by dfs-naive, not with symmetry", c, s);
      distinct += reached[0][c][s];
    }
  assert_true(distinct >= 5); /* counter 1..2, seen 0..counter */
  hd_result_free(&naive);
  hd_result_free(&sym);
  hd_result_free(&plain);
}

static void test_symmetry_finds_every_buggy_scenario(void **state) {
  (void)state;
  hd_options o = dfs_options("dfs", true);
  o.detect_races = true;
  o.executions = 100000;
  hd_expect_every_bug_found(&o, "dfs --symmetry");
}

/* Two threads of one function with different arguments are not twins. */
static hd_thread writers[2];
static hd_shared slot;

static void write_own_value(void *arg) { hd_store(&slot, (int64_t)(intptr_t)arg); }

static void different_arguments_body(void *arg) {
  (void)arg;
  hd_shared_init(&slot, "slot", 0);
  for (intptr_t i = 0; i < 2; i++) {
    hd_thread_init(&writers[i], write_own_value, (void *)(i + 1), NULL);
    hd_thread_start(&writers[i]);
  }
}

static int64_t last_writer[3];

static void record_last_writer(void *arg) {
  (void)arg;
  int64_t v = hd_shared_peek(&slot);
  if (v >= 0 && v < 3) last_writer[v]++;
}

static void test_threads_with_different_arguments_are_not_twins(void **state) {
  (void)state;
  memset(last_writer, 0, sizeof last_writer);
  hd_test t = {.name = "different_arguments", .body = different_arguments_body, .check = record_last_writer};
  hd_result r = explore_complete(t, "dfs", true);
  assert_int_equal(r.executions, 2);
  assert_int_equal(last_writer[1], 1);
  assert_int_equal(last_writer[2], 1);
  hd_result_free(&r);
}

/* semaphore_pool's model at a size every build runs quickly: four clients
 * of one function share a BoundedSemaphore(2); a counter under a lock says
 * how many are inside (the scenario itself, six clients and a pool of 3,
 * takes 279,936 executions with symmetry and more than four million
 * without: tools/bench). */
static hd_semaphore pool;
static hd_lock pool_lock;
static hd_shared inside;
static hd_thread clients[4];

static void use_pool(void *arg) {
  (void)arg;
  hd_semaphore_acquire(&pool);
  hd_lock_acquire(&pool_lock);
  int64_t now = hd_load(&inside) + 1;
  hd_store(&inside, now);
  hd_lock_release(&pool_lock);
  HD_ASSERT(now <= 2, "%lld clients inside a pool of 2", (long long)now);
  hd_sleep(0.1);
  hd_lock_acquire(&pool_lock);
  hd_store(&inside, hd_load(&inside) - 1);
  hd_lock_release(&pool_lock);
  hd_semaphore_release(&pool);
}

static void pool_body(void *arg) {
  (void)arg;
  hd_bounded_semaphore_init(&pool, 2, "pool");
  hd_lock_init(&pool_lock, "pool_lock");
  hd_shared_init(&inside, "inside", 0);
  for (int i = 0; i < 4; i++) {
    hd_thread_init(&clients[i], use_pool, NULL, NULL);
    hd_thread_start(&clients[i]);
  }
  for (int i = 0; i < 4; i++) hd_thread_join(&clients[i], HD_FOREVER);
}

static void test_a_pool_of_twins_is_proved_in_fewer_executions(void **state) {
  (void)state;
  hd_test t = {.name = "pool", .body = pool_body};
  hd_result plain = explore_complete(t, "dfs", false);
  hd_result sym = explore_complete(t, "dfs", true);
  assert_int_equal(plain.executions, PLAIN_POOL);
  assert_int_equal(sym.executions, SYMMETRIC_POOL);
  assert_int_equal(plain.wasted, 0);
  assert_int_equal(sym.wasted, 0);
  hd_result_free(&plain);
  hd_result_free(&sym);
}

/* Data draws: two threads draw two values each and race on a counter, so
 * the search has several executions; their draws are not branches and are
 * the same in every execution. */
static hd_thread drawers[2];
static hd_shared shared_total;
static uint64_t draws[2][2], first_draws[2][2];
static int executions_seen;
static bool draws_differ;

static void draw_and_add(void *arg) {
  int me = (int)(intptr_t)arg;
  draws[me][0] = hd_random_data(1000000);
  int64_t v = hd_load(&shared_total);
  draws[me][1] = hd_random_data(1000000);
  hd_store(&shared_total, v + 1);
}

static void drawing_body(void *arg) {
  (void)arg;
  hd_shared_init(&shared_total, "total", 0);
  for (intptr_t i = 0; i < 2; i++) {
    hd_thread_init(&drawers[i], draw_and_add, (void *)i, NULL);
    hd_thread_start(&drawers[i]);
  }
  hd_thread_join(&drawers[0], HD_FOREVER);
  hd_thread_join(&drawers[1], HD_FOREVER);
}

static void compare_draws(void *arg) {
  (void)arg;
  if (executions_seen++ == 0) memcpy(first_draws, draws, sizeof draws);
  else if (memcmp(first_draws, draws, sizeof draws) != 0) draws_differ = true;
}

static void test_dfs_draws_data_without_branching_the_same_in_every_execution(void **state) {
  (void)state;
  executions_seen = 0;
  draws_differ = false;
  hd_test t = {.name = "drawing", .body = drawing_body, .check = compare_draws};
  hd_result r = explore_complete(t, "dfs", false);
  assert_int_equal(r.executions, 4); /* the unlocked increments' orders, not the values */
  assert_int_equal(executions_seen, 4);
  assert_false(draws_differ);
  /* Every draw is its own value, not a constant. */
  assert_true(first_draws[0][0] != first_draws[0][1] || first_draws[0][0] != first_draws[1][0]);
  hd_result_free(&r);
}

static void test_random_draws_data_anew_in_each_execution(void **state) {
  (void)state;
  executions_seen = 0;
  draws_differ = false;
  hd_test t = {.name = "drawing", .body = drawing_body, .check = compare_draws};
  hd_options o = dfs_options("random", false);
  o.executions = 20;
  hd_result r = hd_explore_or_fail(&t, &o);
  assert_false(r.bug_found);
  assert_true(draws_differ);
  hd_result_free(&r);
}

/* Twins that read their identity can tell each other apart: symmetry
 * reduction refuses them, with a message that says why, instead of proving
 * the program on half of its schedules. */
static hd_thread ident_twins[2];
static hd_shared ident_slot;

static void record_ident(void *arg) {
  (void)arg;
  int64_t v = hd_load(&ident_slot);
  if (v == 0) hd_store(&ident_slot, hd_get_ident());
}

static void ident_body(void *arg) {
  (void)arg;
  hd_shared_init(&ident_slot, "slot", 0);
  for (int i = 0; i < 2; i++) {
    hd_thread_init(&ident_twins[i], record_ident, NULL, NULL);
    hd_thread_start(&ident_twins[i]);
  }
  for (int i = 0; i < 2; i++) hd_thread_join(&ident_twins[i], HD_FOREVER);
}

static void test_twins_that_read_their_identity_are_refused(void **state) {
  (void)state;
  hd_test t = {.name = "ident", .body = ident_body};
  hd_options o = dfs_options("dfs", true);
  hd_result r;
  assert_int_equal(hd_explore(&t, &o, &r), HD_EXPLORE_FAILED);
  if (!strstr(r.error, "--symmetry takes thread") || !strstr(r.error, "threading.get_ident()"))
    fail_msg("unexpected error: %s", r.error);
  hd_result_free(&r);
  /* Without symmetry both twins get to be first. */
  hd_result plain = explore_complete(t, "dfs", false);
  assert_true(plain.executions >= 2);
  hd_result_free(&plain);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_three_locked_twins_are_one_execution),
      cmocka_unit_test(test_symmetry_reaches_every_final_state_of_the_plain_search),
      cmocka_unit_test(test_symmetry_finds_every_buggy_scenario),
      cmocka_unit_test(test_threads_with_different_arguments_are_not_twins),
      cmocka_unit_test(test_a_pool_of_twins_is_proved_in_fewer_executions),
      cmocka_unit_test(test_dfs_draws_data_without_branching_the_same_in_every_execution),
      cmocka_unit_test(test_random_draws_data_anew_in_each_execution),
      cmocka_unit_test(test_twins_that_read_their_identity_are_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

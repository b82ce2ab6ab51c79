/* Barrier: Python's threading.Barrier semantics on both backends: distinct
 * indexes, the action run once before anyone is released, reuse across
 * rounds, timeouts (given and default), abort, reset, a failing action,
 * n_waiting/broken/parties, and parties < 1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "primitives/heddle.h"
#include "tests/support/both.h"

enum { PARTIES = 3, ROUNDS = 2 };

static hd_barrier barrier;
static hd_lock lock;
static hd_thread threads[PARTIES];
static hd_err results[PARTIES];
/* Guarded by `lock`. */
static unsigned indexes_seen[ROUNDS];
static int actions_run;

static hd_err count_action(void *arg) {
  (void)arg;
  hd_lock_acquire(&lock);
  actions_run++;
  hd_lock_release(&lock);
  return HD_OK;
}

static void party(void *arg) {
  (void)arg;
  for (int round = 0; round < ROUNDS; round++) {
    int index = -1;
    hd_err err = hd_barrier_wait(&barrier, &index);
    HD_ASSERT(err == HD_OK, "round %d: wait returned %s", round, hd_err_name(err));
    HD_ASSERT(index >= 0 && index < PARTIES, "round %d: index %d out of 0..%d", round, index, PARTIES - 1);
    hd_lock_acquire(&lock);
    HD_ASSERT(actions_run == round + 1, "round %d: released with %d actions run", round, actions_run);
    HD_ASSERT(!(indexes_seen[round] & 1u << index), "round %d: index %d given twice", round, index);
    indexes_seen[round] |= 1u << index;
    hd_lock_release(&lock);
  }
}

static void rounds_with_action(void *arg) {
  (void)arg;
  hd_lock_init(&lock, "lock");
  actions_run = 0;
  for (int r = 0; r < ROUNDS; r++) indexes_seen[r] = 0;
  HD_ASSERT(hd_barrier_init(&barrier, PARTIES, count_action, NULL, HD_FOREVER, "b") == HD_OK, "init");
  HD_ASSERT(hd_barrier_parties(&barrier) == PARTIES, "parties");
  for (int i = 0; i < PARTIES; i++) {
    hd_thread_init(&threads[i], party, NULL, NULL);
    hd_thread_start(&threads[i]);
  }
  for (int i = 0; i < PARTIES; i++) hd_thread_join(&threads[i], HD_FOREVER);
  for (int r = 0; r < ROUNDS; r++)
    HD_ASSERT(indexes_seen[r] == (1u << PARTIES) - 1, "round %d: indexes %#x, expected 0..%d once each", r,
              indexes_seen[r], PARTIES - 1);
  HD_ASSERT(actions_run == ROUNDS, "the action ran %d times in %d rounds", actions_run, ROUNDS);
  HD_ASSERT(hd_barrier_n_waiting(&barrier) == 0 && !hd_barrier_broken(&barrier), "the barrier is empty and whole");
}

static void test_barrier_gives_distinct_indexes_after_one_action_per_round(void **state) {
  (void)state;
  hd_both_run("barrier_rounds", rounds_with_action, NULL);
}

static void single_party(void *arg) {
  (void)arg;
  hd_lock_init(&lock, "lock");
  actions_run = 0;
  hd_barrier_init(&barrier, 1, count_action, NULL, HD_FOREVER, "one");
  int index = -1;
  HD_ASSERT(hd_barrier_wait(&barrier, &index) == HD_OK && index == 0, "a 1-party barrier opens at once with index 0");
  HD_ASSERT(hd_barrier_wait(&barrier, NULL) == HD_OK, "again, without asking the index");
  HD_ASSERT(actions_run == 2, "the action runs in every round");
}

static void test_barrier_with_one_party_never_blocks(void **state) {
  (void)state;
  hd_both_run("barrier_one", single_party, NULL);
}

static void invalid_parties(void *arg) {
  (void)arg;
  hd_err err = hd_barrier_init(&barrier, 0, NULL, NULL, HD_FOREVER, "zero");
  HD_ASSERT(err == HD_EINVAL, "Barrier(0) is ValueError, got %s", hd_err_name(err));
  HD_ASSERT(hd_barrier_broken(&barrier), "a rejected barrier is broken");
  HD_ASSERT(hd_barrier_wait(&barrier, NULL) == HD_EBROKEN, "and waits on it fail instead of hanging");
  HD_ASSERT(hd_barrier_init(&barrier, -4, NULL, NULL, HD_FOREVER, "neg") == HD_EINVAL, "Barrier(-4) is ValueError");
}

static void test_barrier_with_fewer_than_one_party_is_invalid(void **state) {
  (void)state;
  hd_both_run("barrier_invalid", invalid_parties, NULL);
}

static void forever_party(void *arg) {
  long i = (long)arg;
  results[i] = hd_barrier_wait(&barrier, NULL);
}

/* An explicit timeout overrides the barrier's default, so this party cannot
 * be the one that times out. */
static void patient_party(void *arg) {
  long i = (long)arg;
  results[i] = hd_barrier_wait_timed(&barrier, 30.0, NULL);
}

static void timeouts_break(void *arg) {
  bool use_default = arg != NULL;
  hd_barrier_init(&barrier, 3, NULL, NULL, use_default ? 0.01 : HD_FOREVER, "b");
  results[0] = HD_OK;
  hd_thread_init(&threads[0], patient_party, (void *)0, NULL);
  hd_thread_start(&threads[0]);
  double before = hd_monotonic();
  int index = -1;
  hd_err err = use_default ? hd_barrier_wait(&barrier, &index) : hd_barrier_wait_timed(&barrier, 0.01, &index);
  double waited = hd_monotonic() - before;
  HD_ASSERT(err == HD_EBROKEN, "a wait that times out breaks the barrier: got %s", hd_err_name(err));
  HD_ASSERT(index == -1, "no index on failure");
  HD_ASSERT(waited >= 0.01, "timed out after %g s", waited);
  HD_ASSERT(hd_barrier_broken(&barrier), "broken after the timeout");
  hd_thread_join(&threads[0], HD_FOREVER);
  /* Whether the other party arrived before or after the timeout, it fails. */
  HD_ASSERT(results[0] == HD_EBROKEN, "the other party gets HD_EBROKEN, got %s", hd_err_name(results[0]));
  HD_ASSERT(hd_barrier_wait_timed(&barrier, 5.0, NULL) == HD_EBROKEN, "later waits fail at once");
  HD_ASSERT(hd_barrier_n_waiting(&barrier) == 0, "n_waiting of a broken barrier is 0");
}

static void test_barrier_timeout_breaks_it_for_every_waiter(void **state) {
  (void)state;
  hd_both_run("barrier_timeout", timeouts_break, NULL);
  hd_both_run("barrier_default_timeout", timeouts_break, (void *)1);
}

static void zero_timeout(void *arg) {
  (void)arg;
  hd_barrier_init(&barrier, 2, NULL, NULL, HD_FOREVER, "b");
  HD_ASSERT(hd_barrier_wait_timed(&barrier, 0, NULL) == HD_EBROKEN, "wait(0) alone breaks it");
  hd_barrier_reset(&barrier);
  HD_ASSERT(!hd_barrier_broken(&barrier), "reset() of an empty broken barrier mends it");
  HD_ASSERT(hd_barrier_wait_timed(&barrier, -1.5, NULL) == HD_EBROKEN, "a negative timeout acts as 0");
}

static void test_barrier_zero_timeout_does_not_block(void **state) {
  (void)state;
  hd_both_run("barrier_zero_timeout", zero_timeout, NULL);
}

static void wait_until_one_waits(void) {
  /* Polls: a waiting party shows in n_waiting only once it is inside. */
  while (hd_barrier_n_waiting(&barrier) < 1) hd_yield();
}

static void abort_and_reset(void *arg) {
  (void)arg;
  hd_barrier_init(&barrier, 2, NULL, NULL, HD_FOREVER, "b");
  results[0] = HD_OK;
  hd_thread_init(&threads[0], forever_party, (void *)0, NULL);
  hd_thread_start(&threads[0]);
  wait_until_one_waits();
  hd_barrier_abort(&barrier);
  hd_thread_join(&threads[0], HD_FOREVER);
  HD_ASSERT(results[0] == HD_EBROKEN, "abort() wakes a waiter with HD_EBROKEN, got %s", hd_err_name(results[0]));
  HD_ASSERT(hd_barrier_broken(&barrier), "broken after abort");
  HD_ASSERT(hd_barrier_wait(&barrier, NULL) == HD_EBROKEN, "waits on an aborted barrier fail");
  hd_barrier_reset(&barrier);
  HD_ASSERT(!hd_barrier_broken(&barrier), "reset() mends it");

  /* reset() while a party waits: it leaves with HD_EBROKEN, the barrier is
   * usable again. */
  hd_thread_init(&threads[1], forever_party, (void *)1, NULL);
  hd_thread_start(&threads[1]);
  wait_until_one_waits();
  hd_barrier_reset(&barrier);
  hd_thread_join(&threads[1], HD_FOREVER);
  HD_ASSERT(results[1] == HD_EBROKEN, "reset() wakes a waiter with HD_EBROKEN, got %s", hd_err_name(results[1]));
  HD_ASSERT(!hd_barrier_broken(&barrier), "a reset barrier is not broken");
  HD_ASSERT(hd_barrier_n_waiting(&barrier) == 0, "and empty");

  hd_thread_init(&threads[2], forever_party, (void *)2, NULL);
  hd_thread_start(&threads[2]);
  int index = -1;
  HD_ASSERT(hd_barrier_wait(&barrier, &index) == HD_OK, "a full round after reset passes");
  hd_thread_join(&threads[2], HD_FOREVER);
  HD_ASSERT(results[2] == HD_OK, "for both parties, got %s", hd_err_name(results[2]));
}

static void test_barrier_abort_breaks_and_reset_mends(void **state) {
  (void)state;
  hd_both_run("barrier_abort_reset", abort_and_reset, NULL);
}

static hd_err failing_action(void *arg) {
  (void)arg;
  return HD_ETASK;
}

static void action_fails(void *arg) {
  (void)arg;
  hd_barrier_init(&barrier, 2, failing_action, NULL, HD_FOREVER, "b");
  results[0] = HD_OK;
  hd_thread_init(&threads[0], forever_party, (void *)0, NULL);
  hd_thread_start(&threads[0]);
  hd_err mine = hd_barrier_wait(&barrier, NULL);
  hd_thread_join(&threads[0], HD_FOREVER);
  /* Whoever arrived last ran the action and gets its error; the other one
   * gets HD_EBROKEN. */
  bool main_ran_it = mine == HD_ETASK && results[0] == HD_EBROKEN;
  bool other_ran_it = mine == HD_EBROKEN && results[0] == HD_ETASK;
  HD_ASSERT(main_ran_it || other_ran_it, "a failing action: main got %s, the other %s", hd_err_name(mine),
            hd_err_name(results[0]));
  HD_ASSERT(hd_barrier_broken(&barrier), "a failing action breaks the barrier");
}

static void test_barrier_failing_action_breaks_it(void **state) {
  (void)state;
  hd_both_run("barrier_action_fails", action_fails, NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_barrier_gives_distinct_indexes_after_one_action_per_round),
      cmocka_unit_test(test_barrier_with_one_party_never_blocks),
      cmocka_unit_test(test_barrier_with_fewer_than_one_party_is_invalid),
      cmocka_unit_test(test_barrier_timeout_breaks_it_for_every_waiter),
      cmocka_unit_test(test_barrier_zero_timeout_does_not_block),
      cmocka_unit_test(test_barrier_abort_breaks_and_reset_mends),
      cmocka_unit_test(test_barrier_failing_action_breaks_it),
  };
  return cmocka_run_group_tests_name(hd_both_is_harness() ? "barrier (deterministic)" : "barrier (pthread)", tests,
                                     NULL, NULL);
}

/* Semaphore and BoundedSemaphore: Python's threading semantics on both
 * backends: acquire's blocking, non-blocking and timeout results, release(n),
 * the bounded check, argument errors, and the cap on concurrent holders. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "primitives/heddle.h"
#include "tests/support/both.h"

enum { WORKERS = 4, SLOTS = 2 };

static hd_semaphore sem;
static hd_lock lock;
static hd_thread threads[WORKERS];
static hd_err results[WORKERS];
static int inside, most_inside; /* guarded by `lock` */

static void bad_initial_values(void *arg) {
  (void)arg;
  hd_err err = hd_semaphore_init(&sem, -1, "s");
  HD_ASSERT(err == HD_EINVAL, "Semaphore(-1) is ValueError, got %s", hd_err_name(err));
  HD_ASSERT(hd_semaphore_value(&sem) == 0, "a rejected semaphore starts at 0");
  err = hd_bounded_semaphore_init(&sem, -3, "b");
  HD_ASSERT(err == HD_EINVAL, "BoundedSemaphore(-3) is ValueError, got %s", hd_err_name(err));
  HD_ASSERT(hd_semaphore_init(&sem, 0, "s") == HD_OK, "Semaphore(0) is fine");
  HD_ASSERT(hd_bounded_semaphore_init(&sem, 0, "b") == HD_OK, "BoundedSemaphore(0) is fine");
}

static void test_semaphore_negative_initial_value_is_invalid(void **state) {
  (void)state;
  hd_both_run("semaphore_bad_init", bad_initial_values, NULL);
}

static void acquire_results(void *arg) {
  (void)arg;
  hd_semaphore_init(&sem, 2, "s");
  HD_ASSERT(hd_semaphore_acquire(&sem) == HD_OK, "acquire at 2");
  HD_ASSERT(hd_semaphore_acquire_timed(&sem, false, HD_FOREVER) == HD_OK, "non-blocking acquire at 1");
  HD_ASSERT(hd_semaphore_value(&sem) == 0, "two acquires take the value to 0");
  hd_err err = hd_semaphore_acquire_timed(&sem, false, HD_FOREVER);
  HD_ASSERT(err == HD_EWOULDBLOCK, "non-blocking acquire at 0, got %s", hd_err_name(err));
  double before = hd_monotonic();
  err = hd_semaphore_acquire_timed(&sem, true, 0.01);
  double waited = hd_monotonic() - before;
  HD_ASSERT(err == HD_ETIMEDOUT, "timed acquire at 0 times out, got %s", hd_err_name(err));
  HD_ASSERT(waited >= 0.01, "acquire(timeout=0.01) returned after %g s", waited);
  err = hd_semaphore_acquire_timed(&sem, true, 0);
  HD_ASSERT(err == HD_ETIMEDOUT, "acquire(timeout=0) at 0 does not block, got %s", hd_err_name(err));
  err = hd_semaphore_acquire_timed(&sem, true, -2.5);
  HD_ASSERT(err == HD_ETIMEDOUT, "a negative timeout acts as 0 (CPython), got %s", hd_err_name(err));
  err = hd_semaphore_acquire_timed(&sem, false, 1.0);
  HD_ASSERT(err == HD_EINVAL, "a timeout with blocking=false is ValueError, got %s", hd_err_name(err));
  HD_ASSERT(hd_semaphore_value(&sem) == 0, "failed acquires leave the value alone");
  HD_ASSERT(hd_semaphore_release(&sem) == HD_OK, "release");
  HD_ASSERT(hd_semaphore_acquire_timed(&sem, true, 0) == HD_OK, "acquire(timeout=0) at 1 succeeds");
}

static void test_semaphore_acquire_results_follow_python(void **state) {
  (void)state;
  hd_both_run("semaphore_acquire", acquire_results, NULL);
}

static void release_results(void *arg) {
  (void)arg;
  hd_semaphore_init(&sem, 0, "s");
  hd_err err = hd_semaphore_release_n(&sem, 0);
  HD_ASSERT(err == HD_EINVAL, "release(0) is ValueError, got %s", hd_err_name(err));
  err = hd_semaphore_release_n(&sem, -1);
  HD_ASSERT(err == HD_EINVAL, "release(-1) is ValueError, got %s", hd_err_name(err));
  HD_ASSERT(hd_semaphore_value(&sem) == 0, "rejected releases leave the value alone");
  HD_ASSERT(hd_semaphore_release_n(&sem, 3) == HD_OK, "release(3)");
  HD_ASSERT(hd_semaphore_value(&sem) == 3, "release(3) adds 3");
  HD_ASSERT(hd_semaphore_release(&sem) == HD_OK, "an unbounded semaphore goes above its initial value");
  HD_ASSERT(hd_semaphore_value(&sem) == 4, "value 4");
}

static void test_semaphore_release_n_adds_n_and_rejects_n_below_one(void **state) {
  (void)state;
  hd_both_run("semaphore_release", release_results, NULL);
}

static void bounded_release(void *arg) {
  (void)arg;
  hd_bounded_semaphore_init(&sem, 2, "b");
  hd_err err = hd_semaphore_release(&sem);
  HD_ASSERT(err == HD_EINVAL, "releasing a full BoundedSemaphore is ValueError, got %s", hd_err_name(err));
  HD_ASSERT(hd_semaphore_value(&sem) == 2, "value unchanged");
  hd_semaphore_acquire(&sem);
  hd_semaphore_acquire(&sem);
  err = hd_semaphore_release_n(&sem, 3);
  HD_ASSERT(err == HD_EINVAL, "release(3) from 0 with bound 2 is ValueError, got %s", hd_err_name(err));
  HD_ASSERT(hd_semaphore_value(&sem) == 0, "value unchanged");
  HD_ASSERT(hd_semaphore_release_n(&sem, 2) == HD_OK, "release(2) back to the bound");
  HD_ASSERT(hd_semaphore_release(&sem) == HD_EINVAL, "and not one more");
  HD_ASSERT(hd_semaphore_release_n(&sem, 0) == HD_EINVAL, "release(0) is ValueError here too");
}

static void test_semaphore_bounded_release_above_initial_value_is_invalid(void **state) {
  (void)state;
  hd_both_run("semaphore_bounded", bounded_release, NULL);
}

static void blocked_acquirer(void *arg) {
  long i = (long)arg;
  results[i] = hd_semaphore_acquire(&sem);
}

static void release_wakes_waiters(void *arg) {
  (void)arg;
  hd_semaphore_init(&sem, 0, "s");
  for (long i = 0; i < 2; i++) {
    results[i] = HD_EINVAL;
    hd_thread_init(&threads[i], blocked_acquirer, (void *)i, NULL);
    hd_thread_start(&threads[i]);
  }
  HD_ASSERT(hd_semaphore_release_n(&sem, 2) == HD_OK, "release(2)");
  for (int i = 0; i < 2; i++) {
    hd_thread_join(&threads[i], HD_FOREVER);
    HD_ASSERT(results[i] == HD_OK, "acquirer %d got %s", i, hd_err_name(results[i]));
  }
  HD_ASSERT(hd_semaphore_value(&sem) == 0, "both units taken");
}

static void test_semaphore_release_n_lets_n_blocked_acquirers_through(void **state) {
  (void)state;
  hd_both_run("semaphore_wakes", release_wakes_waiters, NULL);
}

static void capped_worker(void *arg) {
  (void)arg;
  for (int round = 0; round < 2; round++) {
    hd_semaphore_acquire(&sem);
    hd_lock_acquire(&lock);
    inside++;
    if (inside > most_inside) most_inside = inside;
    HD_ASSERT(inside <= SLOTS, "%d threads inside a Semaphore(%d)", inside, SLOTS);
    hd_lock_release(&lock);
    hd_yield();
    hd_lock_acquire(&lock);
    inside--;
    hd_lock_release(&lock);
    hd_semaphore_release(&sem);
  }
}

static void caps_holders(void *arg) {
  (void)arg;
  hd_bounded_semaphore_init(&sem, SLOTS, "slots");
  hd_lock_init(&lock, "lock");
  inside = most_inside = 0;
  for (int i = 0; i < WORKERS; i++) {
    hd_thread_init(&threads[i], capped_worker, NULL, NULL);
    hd_thread_start(&threads[i]);
  }
  for (int i = 0; i < WORKERS; i++) hd_thread_join(&threads[i], HD_FOREVER);
  HD_ASSERT(hd_semaphore_value(&sem) == SLOTS, "every unit returned");
  HD_ASSERT(most_inside >= 1 && most_inside <= SLOTS, "at most %d inside, saw %d", SLOTS, most_inside);
}

static void test_semaphore_caps_concurrent_holders(void **state) {
  (void)state;
  hd_both_run("semaphore_caps", caps_holders, NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_semaphore_negative_initial_value_is_invalid),
      cmocka_unit_test(test_semaphore_acquire_results_follow_python),
      cmocka_unit_test(test_semaphore_release_n_adds_n_and_rejects_n_below_one),
      cmocka_unit_test(test_semaphore_bounded_release_above_initial_value_is_invalid),
      cmocka_unit_test(test_semaphore_release_n_lets_n_blocked_acquirers_through),
      cmocka_unit_test(test_semaphore_caps_concurrent_holders),
  };
  return cmocka_run_group_tests_name(hd_both_is_harness() ? "semaphore (deterministic)" : "semaphore (pthread)", tests,
                                     NULL, NULL);
}

/* Lock: Python's threading.Lock semantics on both backends. */
#include <setjmp.h>
#include <stdarg.h>
#include <math.h>
#include <stddef.h>

#include <cmocka.h>

#include "primitives/heddle.h"
#include "tests/support/both.h"

static hd_lock lock;
static hd_shared counter;
static hd_thread threads[3];

static void acquire_then_release(void *arg) {
  (void)arg;
  hd_lock_init(&lock, "lock");
  HD_ASSERT(!hd_lock_locked(&lock), "a new lock is unlocked");
  HD_ASSERT(hd_lock_acquire(&lock) == HD_OK, "acquire of a free lock succeeds");
  HD_ASSERT(hd_lock_locked(&lock), "locked() after acquire");
  HD_ASSERT(hd_lock_release(&lock) == HD_OK, "release of a held lock succeeds");
  HD_ASSERT(!hd_lock_locked(&lock), "unlocked after release");
}

static void test_lock_acquire_then_release(void **state) {
  (void)state;
  hd_both_run("lock_acquire_then_release", acquire_then_release, NULL);
}

static void non_blocking_when_taken(void *arg) {
  (void)arg;
  hd_lock_init(&lock, "lock");
  hd_lock_acquire(&lock);
  hd_err err = hd_lock_acquire_timed(&lock, false, HD_FOREVER);
  HD_ASSERT(err == HD_EWOULDBLOCK, "non-blocking acquire of a held lock gives HD_EWOULDBLOCK, got %s", hd_err_name(err));
  hd_lock_release(&lock);
  err = hd_lock_acquire_timed(&lock, false, HD_FOREVER);
  HD_ASSERT(err == HD_OK, "non-blocking acquire of a free lock succeeds, got %s", hd_err_name(err));
  hd_lock_release(&lock);
}

static void test_lock_non_blocking_acquire_of_held_lock_would_block(void **state) {
  (void)state;
  hd_both_run("lock_non_blocking", non_blocking_when_taken, NULL);
}

static void timeout_expires(void *arg) {
  (void)arg;
  hd_lock_init(&lock, "lock");
  hd_lock_acquire(&lock);
  double before = hd_monotonic();
  hd_err err = hd_lock_acquire_timed(&lock, true, 0.01);
  double waited = hd_monotonic() - before;
  HD_ASSERT(err == HD_ETIMEDOUT, "acquire with timeout of a held lock times out, got %s", hd_err_name(err));
  HD_ASSERT(waited >= 0.01, "the timed acquire returned after %g s, before its 0.01 s timeout", waited);
  hd_lock_release(&lock);
}

static void test_lock_timed_acquire_of_held_lock_times_out(void **state) {
  (void)state;
  hd_both_run("lock_timeout", timeout_expires, NULL);
}

static void bad_arguments(void *arg) {
  (void)arg;
  hd_lock_init(&lock, "lock");
  hd_err err = hd_lock_acquire_timed(&lock, false, 1.0);
  HD_ASSERT(err == HD_EINVAL, "a timeout with blocking=false is HD_EINVAL, got %s", hd_err_name(err));
  err = hd_lock_acquire_timed(&lock, true, -2.0);
  HD_ASSERT(err == HD_EINVAL, "a negative timeout other than -1 is HD_EINVAL, got %s", hd_err_name(err));
  err = hd_lock_acquire_timed(&lock, true, 1e12);
  HD_ASSERT(err == HD_EINVAL, "a timeout above TIMEOUT_MAX is HD_EINVAL (Python: OverflowError), got %s",
            hd_err_name(err));
  err = hd_lock_acquire_timed(&lock, true, NAN);
  HD_ASSERT(err == HD_EINVAL, "a NaN timeout is HD_EINVAL, got %s", hd_err_name(err));
  err = hd_lock_acquire_timed(&lock, true, HD_TIMEOUT_MAX);
  HD_ASSERT(err == HD_OK, "TIMEOUT_MAX itself is accepted, got %s", hd_err_name(err));
  hd_lock_release(&lock);
  hd_sleep(NAN);
  HD_ASSERT(!hd_lock_locked(&lock), "rejected acquires leave the lock free");
}

static void test_lock_rejects_python_invalid_arguments(void **state) {
  (void)state;
  hd_both_run("lock_bad_arguments", bad_arguments, NULL);
}

static void release_unlocked(void *arg) {
  (void)arg;
  hd_lock_init(&lock, "lock");
  hd_err err = hd_lock_release(&lock);
  HD_ASSERT(err == HD_EMISUSE, "releasing an unlocked lock is HD_EMISUSE, got %s", hd_err_name(err));
}

static void test_lock_release_of_unlocked_lock_is_misuse(void **state) {
  (void)state;
  hd_both_run("lock_release_unlocked", release_unlocked, NULL);
}

static void increment_locked(void *arg) {
  (void)arg;
  for (int i = 0; i < 3; i++) {
    hd_lock_acquire(&lock);
    int64_t v = hd_load(&counter);
    hd_yield();
    hd_store(&counter, v + 1);
    hd_lock_release(&lock);
  }
}

static void mutual_exclusion(void *arg) {
  (void)arg;
  hd_lock_init(&lock, "lock");
  hd_shared_init(&counter, "counter", 0);
  for (int i = 0; i < 3; i++) {
    hd_thread_init(&threads[i], increment_locked, NULL, NULL);
    hd_thread_start(&threads[i]);
  }
  for (int i = 0; i < 3; i++) hd_thread_join(&threads[i], HD_FOREVER);
  HD_ASSERT(hd_load(&counter) == 9, "counter is %lld, expected 9", (long long)hd_load(&counter));
}

static void test_lock_gives_mutual_exclusion(void **state) {
  (void)state;
  hd_both_run("lock_mutual_exclusion", mutual_exclusion, NULL);
}

static void release_by_other_thread_body(void *arg) {
  (void)arg;
  hd_lock_release(&lock);
}

static void release_by_other_thread(void *arg) {
  (void)arg;
  hd_lock_init(&lock, "lock");
  hd_lock_acquire(&lock);
  hd_thread_init(&threads[0], release_by_other_thread_body, NULL, NULL);
  hd_thread_start(&threads[0]);
  hd_thread_join(&threads[0], HD_FOREVER);
  HD_ASSERT(!hd_lock_locked(&lock), "Python's Lock may be released by any thread");
}

static void test_lock_may_be_released_by_another_thread(void **state) {
  (void)state;
  hd_both_run("lock_release_by_other", release_by_other_thread, NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_lock_acquire_then_release),
      cmocka_unit_test(test_lock_non_blocking_acquire_of_held_lock_would_block),
      cmocka_unit_test(test_lock_timed_acquire_of_held_lock_times_out),
      cmocka_unit_test(test_lock_rejects_python_invalid_arguments),
      cmocka_unit_test(test_lock_release_of_unlocked_lock_is_misuse),
      cmocka_unit_test(test_lock_gives_mutual_exclusion),
      cmocka_unit_test(test_lock_may_be_released_by_another_thread),
  };
  return cmocka_run_group_tests_name(hd_both_is_harness() ? "lock (deterministic)" : "lock (pthread)", tests, NULL, NULL);
}

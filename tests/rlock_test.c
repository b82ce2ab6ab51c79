/* RLock: re-entry by the owner, release counting, owner-only release and
 * timeouts, on both backends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "primitives/heddle.h"
#include "tests/support/both.h"

static hd_rlock rlock;
static hd_thread other;
static hd_shared result;

static void reentry(void *arg) {
  (void)arg;
  hd_rlock_init(&rlock, "r");
  HD_ASSERT(hd_rlock_owner(&rlock) == -1 && hd_rlock_count(&rlock) == 0, "a new RLock is free");
  hd_rlock_acquire(&rlock);
  HD_ASSERT(hd_rlock_acquire(&rlock) == HD_OK, "the owner re-acquires without blocking");
  HD_ASSERT(hd_rlock_count(&rlock) == 2, "count 2 after two acquires");
  HD_ASSERT(hd_rlock_owner(&rlock) == hd_get_ident() && hd_rlock_is_owned(&rlock), "owned by the caller");
  hd_rlock_release(&rlock);
  HD_ASSERT(hd_rlock_count(&rlock) == 1 && hd_rlock_is_owned(&rlock), "still held after one release");
  hd_rlock_release(&rlock);
  HD_ASSERT(hd_rlock_owner(&rlock) == -1 && !hd_rlock_is_owned(&rlock), "free after as many releases as acquires");
  HD_ASSERT(hd_rlock_release(&rlock) == HD_EMISUSE, "releasing a free RLock is misuse");
}

static void test_rlock_owner_reenters_and_needs_as_many_releases(void **state) {
  (void)state;
  hd_both_run("rlock_reentry", reentry, NULL);
}

static void try_release(void *arg) {
  (void)arg;
  hd_store(&result, hd_rlock_release(&rlock));
}

static void try_acquire_non_blocking(void *arg) {
  (void)arg;
  hd_store(&result, hd_rlock_acquire_timed(&rlock, false, HD_FOREVER));
}

static void try_acquire_timed(void *arg) {
  (void)arg;
  hd_store(&result, hd_rlock_acquire_timed(&rlock, true, 0.01));
}

static void run_other(void (*fn)(void *)) {
  hd_thread_init(&other, fn, NULL, "other");
  hd_thread_start(&other);
  hd_thread_join(&other, HD_FOREVER);
}

static void other_threads(void *arg) {
  (void)arg;
  hd_rlock_init(&rlock, "r");
  hd_shared_init(&result, "result", -1);
  hd_rlock_acquire(&rlock);
  run_other(try_release);
  HD_ASSERT(hd_load(&result) == HD_EMISUSE, "release by a non-owner is misuse, got %lld", (long long)hd_load(&result));
  run_other(try_acquire_non_blocking);
  HD_ASSERT(hd_load(&result) == HD_EWOULDBLOCK, "non-blocking acquire by another thread would block, got %lld",
            (long long)hd_load(&result));
  run_other(try_acquire_timed);
  HD_ASSERT(hd_load(&result) == HD_ETIMEDOUT, "timed acquire by another thread times out, got %lld",
            (long long)hd_load(&result));
  HD_ASSERT(hd_rlock_count(&rlock) == 1, "the failed attempts left the count alone");
  hd_rlock_release(&rlock);
  HD_ASSERT(hd_rlock_acquire_timed(&rlock, false, 2.0) == HD_EINVAL, "timeout with blocking=false is HD_EINVAL");
}

static void test_rlock_other_threads_cannot_release_or_take_it(void **state) {
  (void)state;
  hd_both_run("rlock_other_threads", other_threads, NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rlock_owner_reenters_and_needs_as_many_releases),
      cmocka_unit_test(test_rlock_other_threads_cannot_release_or_take_it),
  };
  return cmocka_run_group_tests_name(hd_both_is_harness() ? "rlock (deterministic)" : "rlock (pthread)", tests, NULL, NULL);
}

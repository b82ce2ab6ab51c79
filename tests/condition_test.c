/* Condition: Python's threading.Condition semantics on both backends: wait
 * and its timeouts, wait_for, notify(n) exactness and order, notify_all,
 * misuse without the lock, and the RLock's recursion restored after wait. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "primitives/heddle.h"
#include "tests/support/both.h"

enum { WAITERS = 3 };

static hd_lock lock;
static hd_rlock rlock;
static hd_condition cv;      /* what the waiters wait on */
static hd_condition arrived; /* tells main how many waiters are queued or woken */
static hd_thread threads[WAITERS];
/* Guarded by `lock` (both conditions share it). */
static int ready, nqueued, nwoken, queue_order[WAITERS], wake_order[WAITERS];
static hd_err results[WAITERS];

static bool is_ready(void *arg) {
  (void)arg;
  return ready != 0;
}

static bool all_queued(void *arg) { return nqueued >= *(int *)arg; }
static bool enough_woken(void *arg) { return nwoken >= *(int *)arg; }

static void setup(bool with_rlock) {
  if (with_rlock) {
    hd_condition_init(&cv, "cv");
    hd_condition_init_rlock(&arrived, &cv.own, "arrived");
  } else {
    hd_lock_init(&lock, "lock");
    hd_condition_init_lock(&cv, &lock, "cv");
    hd_condition_init_lock(&arrived, &lock, "arrived");
  }
  ready = nqueued = nwoken = 0;
}

/* ---- wait and notify ------------------------------------------------------ */

static void wait_until_ready(void *arg) {
  (void)arg;
  hd_condition_acquire(&cv);
  while (!ready) {
    hd_err err = hd_condition_wait(&cv, HD_FOREVER);
    HD_ASSERT(err == HD_OK, "wait without timeout returns only when notified, got %s", hd_err_name(err));
  }
  hd_condition_release(&cv);
}

static void notified_waiter(void *arg) {
  (void)arg;
  setup(false);
  hd_thread_init(&threads[0], wait_until_ready, NULL, "waiter");
  hd_thread_start(&threads[0]);
  hd_condition_acquire(&cv);
  ready = 1;
  HD_ASSERT(hd_condition_notify(&cv, 1) == HD_OK, "notify with the lock held succeeds");
  hd_condition_release(&cv);
  HD_ASSERT(hd_thread_join(&threads[0], HD_FOREVER) == HD_OK, "the waiter finishes");
}

static void test_condition_wait_returns_ok_when_notified(void **state) {
  (void)state;
  hd_both_run("condition_notified", notified_waiter, NULL);
}

static void wait_times_out(void *arg) {
  (void)arg;
  setup(false);
  hd_condition_acquire(&cv);
  double before = hd_monotonic();
  hd_err err = hd_condition_wait(&cv, 0.01);
  double waited = hd_monotonic() - before;
  HD_ASSERT(err == HD_ETIMEDOUT, "an unnotified wait(0.01) times out, got %s", hd_err_name(err));
  HD_ASSERT(waited >= 0.01, "wait(0.01) returned after %g s", waited);
  HD_ASSERT(hd_lock_locked(&lock), "the lock is held again after a timed-out wait");
  err = hd_condition_wait(&cv, 0);
  HD_ASSERT(err == HD_ETIMEDOUT, "wait(0) does not block and reports no notify, got %s", hd_err_name(err));
  err = hd_condition_wait(&cv, -5.0);
  HD_ASSERT(err == HD_ETIMEDOUT, "a negative timeout acts as 0 (CPython), got %s", hd_err_name(err));
  HD_ASSERT(hd_condition_waiters(&cv) == 0, "timed-out waiters leave the queue");
  HD_ASSERT(hd_condition_release(&cv) == HD_OK, "the lock is still held once after the waits");
  HD_ASSERT(!hd_lock_locked(&lock), "and free after one release");
}

static void test_condition_wait_times_out_and_reacquires_the_lock(void **state) {
  (void)state;
  hd_both_run("condition_timeout", wait_times_out, NULL);
}

/* ---- misuse --------------------------------------------------------------- */

static bool always_false(void *arg) {
  (void)arg;
  return false;
}

static bool always_true(void *arg) {
  (void)arg;
  return true;
}

static void wait_while_other_holds(void *arg) {
  (void)arg;
  hd_err err = hd_condition_wait(&cv, HD_FOREVER);
  results[0] = err;
  results[1] = hd_condition_notify(&cv, 1);
}

static void misuse_without_lock(void *arg) {
  bool with_rlock = arg != NULL;
  setup(with_rlock);
  hd_err err = hd_condition_wait(&cv, HD_FOREVER);
  HD_ASSERT(err == HD_EMISUSE, "wait without the lock is misuse, got %s", hd_err_name(err));
  err = hd_condition_wait(&cv, 0.01);
  HD_ASSERT(err == HD_EMISUSE, "timed wait without the lock is misuse, got %s", hd_err_name(err));
  err = hd_condition_notify(&cv, 1);
  HD_ASSERT(err == HD_EMISUSE, "notify without the lock is misuse, got %s", hd_err_name(err));
  err = hd_condition_notify_all(&cv);
  HD_ASSERT(err == HD_EMISUSE, "notify_all without the lock is misuse, got %s", hd_err_name(err));
  err = hd_condition_wait_for(&cv, always_false, NULL, 0.01);
  HD_ASSERT(err == HD_EMISUSE, "wait_for that must wait without the lock is misuse, got %s", hd_err_name(err));
  err = hd_condition_wait_for(&cv, always_true, NULL, HD_FOREVER);
  HD_ASSERT(err == HD_OK, "wait_for whose predicate holds needs no lock (CPython), got %s", hd_err_name(err));
  /* Held, but by another thread. */
  hd_condition_acquire(&cv);
  hd_thread_init(&threads[0], wait_while_other_holds, NULL, "intruder");
  hd_thread_start(&threads[0]);
  hd_thread_join(&threads[0], HD_FOREVER);
  HD_ASSERT(results[0] == HD_EMISUSE, "wait on a lock held by another thread is misuse, got %s", hd_err_name(results[0]));
  HD_ASSERT(results[1] == HD_EMISUSE, "notify on a lock held by another thread is misuse, got %s",
            hd_err_name(results[1]));
  hd_condition_release(&cv);
}

static void test_condition_wait_and_notify_without_the_lock_are_misuse(void **state) {
  (void)state;
  hd_both_run("condition_misuse_lock", misuse_without_lock, NULL);
  hd_both_run("condition_misuse_rlock", misuse_without_lock, (void *)1);
}

/* ---- notify(n) ------------------------------------------------------------ */

static void queued_waiter(void *arg) {
  int id = (int)(long)arg;
  hd_condition_acquire(&cv);
  queue_order[nqueued++] = id;
  hd_condition_notify_all(&arrived);
  results[id] = hd_condition_wait(&cv, HD_FOREVER);
  wake_order[nwoken++] = id;
  hd_condition_notify_all(&arrived);
  hd_condition_release(&cv);
}

static void start_queued_waiters(void) {
  for (long i = 0; i < WAITERS; i++) {
    hd_thread_init(&threads[i], queued_waiter, (void *)i, NULL);
    hd_thread_start(&threads[i]);
  }
  int n = WAITERS;
  hd_condition_acquire(&cv);
  /* nqueued is raised in the same critical section as the waiter's enqueue,
   * so once it reaches WAITERS every waiter is in cv's queue. */
  hd_err err = hd_condition_wait_for(&arrived, all_queued, &n, HD_FOREVER);
  HD_ASSERT(err == HD_OK, "every waiter arrives, got %s", hd_err_name(err));
  HD_ASSERT(hd_condition_waiters(&cv) == WAITERS, "%d waiters queued, expected %d", hd_condition_waiters(&cv), WAITERS);
}

static void notify_n_wakes_at_most_n(void *arg) {
  (void)arg;
  setup(false);
  start_queued_waiters();
  HD_ASSERT(hd_condition_notify(&cv, 0) == HD_OK && hd_condition_notify(&cv, -1) == HD_OK, "notify(n <= 0) is no error");
  HD_ASSERT(hd_condition_waiters(&cv) == WAITERS, "notify(0) and notify(-1) wake nobody");
  hd_condition_notify(&cv, 1);
  HD_ASSERT(hd_condition_waiters(&cv) == WAITERS - 1, "notify(1) takes exactly one waiter off the queue");
  int one = 1;
  hd_condition_wait_for(&arrived, enough_woken, &one, HD_FOREVER);
  HD_ASSERT(nwoken == 1, "%d waiters woke after notify(1)", nwoken);
  HD_ASSERT(wake_order[0] == queue_order[0], "notify(1) woke waiter %d, the longest waiting is %d", wake_order[0],
            queue_order[0]);
  hd_condition_notify(&cv, 5);
  HD_ASSERT(hd_condition_waiters(&cv) == 0, "notify(5) with 2 waiters wakes both");
  int all = WAITERS;
  hd_condition_wait_for(&arrived, enough_woken, &all, HD_FOREVER);
  HD_ASSERT(hd_condition_notify(&cv, 1) == HD_OK, "notify with no waiter is no error");
  hd_condition_release(&cv);
  for (int i = 0; i < WAITERS; i++) {
    hd_thread_join(&threads[i], HD_FOREVER);
    HD_ASSERT(results[i] == HD_OK, "waiter %d: wait returned %s", i, hd_err_name(results[i]));
  }
}

static void test_condition_notify_n_wakes_at_most_n_longest_waiting_first(void **state) {
  (void)state;
  hd_both_run("condition_notify_n", notify_n_wakes_at_most_n, NULL);
}

static void notify_all_wakes_all(void *arg) {
  setup(arg != NULL);
  start_queued_waiters();
  HD_ASSERT(hd_condition_notify_all(&cv) == HD_OK, "notify_all with the lock held succeeds");
  HD_ASSERT(hd_condition_waiters(&cv) == 0, "notify_all empties the queue");
  int all = WAITERS;
  hd_condition_wait_for(&arrived, enough_woken, &all, HD_FOREVER);
  hd_condition_release(&cv);
  for (int i = 0; i < WAITERS; i++) hd_thread_join(&threads[i], HD_FOREVER);
}

static void test_condition_notify_all_wakes_every_waiter(void **state) {
  (void)state;
  hd_both_run("condition_notify_all_lock", notify_all_wakes_all, NULL);
  hd_both_run("condition_notify_all_rlock", notify_all_wakes_all, (void *)1);
}

static void timed_out_waiter_takes_no_notify(void *arg) {
  (void)arg;
  setup(false);
  hd_thread_init(&threads[0], queued_waiter, (void *)0, NULL);
  hd_thread_start(&threads[0]);
  int one = 1;
  hd_condition_acquire(&cv);
  hd_condition_wait_for(&arrived, all_queued, &one, HD_FOREVER);
  /* Main queues behind the waiter and times out; its node must be gone, or
   * notify(1) below would go to the longest waiting... which is not main. */
  HD_ASSERT(hd_condition_wait(&cv, 0.01) == HD_ETIMEDOUT, "main's timed wait expires");
  HD_ASSERT(hd_condition_waiters(&cv) == 1, "only the other waiter is left in the queue");
  hd_condition_notify(&cv, 1);
  hd_condition_wait_for(&arrived, enough_woken, &one, HD_FOREVER);
  hd_condition_release(&cv);
  hd_thread_join(&threads[0], HD_FOREVER);
  HD_ASSERT(results[0] == HD_OK, "the remaining waiter was notified");
}

static void test_condition_timed_out_waiter_leaves_the_queue(void **state) {
  (void)state;
  hd_both_run("condition_timed_out_leaves", timed_out_waiter_takes_no_notify, NULL);
}

/* ---- wait_for ------------------------------------------------------------- */

static int predicate_calls;

static bool counted_false(void *arg) {
  (void)arg;
  predicate_calls++;
  return false;
}

static void set_ready(void *arg) {
  (void)arg;
  hd_condition_acquire(&cv);
  ready = 1;
  hd_condition_notify_all(&cv);
  hd_condition_release(&cv);
}

static void wait_for_semantics(void *arg) {
  setup(arg != NULL);
  hd_condition_acquire(&cv);
  predicate_calls = 0;
  double before = hd_monotonic();
  hd_err err = hd_condition_wait_for(&cv, counted_false, NULL, 0.01);
  double waited = hd_monotonic() - before;
  HD_ASSERT(err == HD_ETIMEDOUT, "wait_for on a predicate that stays false times out, got %s", hd_err_name(err));
  HD_ASSERT(waited >= 0.01, "wait_for(0.01) returned after %g s", waited);
  HD_ASSERT(predicate_calls >= 2, "the predicate is evaluated before and after waiting (%d calls)", predicate_calls);
  predicate_calls = 0;
  err = hd_condition_wait_for(&cv, counted_false, NULL, 0);
  HD_ASSERT(err == HD_ETIMEDOUT && predicate_calls == 2, "wait_for(0) polls once: %s, %d calls", hd_err_name(err),
            predicate_calls);
  err = hd_condition_wait_for(&cv, always_true, NULL, 0);
  HD_ASSERT(err == HD_OK, "a true predicate returns at once, got %s", hd_err_name(err));
  hd_thread_init(&threads[0], set_ready, NULL, "setter");
  hd_thread_start(&threads[0]);
  err = hd_condition_wait_for(&cv, is_ready, NULL, HD_FOREVER);
  HD_ASSERT(err == HD_OK && ready, "wait_for returns once the predicate holds, got %s", hd_err_name(err));
  hd_condition_release(&cv);
  hd_thread_join(&threads[0], HD_FOREVER);
}

static void test_condition_wait_for_returns_the_predicates_last_value(void **state) {
  (void)state;
  hd_both_run("condition_wait_for_lock", wait_for_semantics, NULL);
  hd_both_run("condition_wait_for_rlock", wait_for_semantics, (void *)1);
}

/* ---- RLock recursion ------------------------------------------------------ */

static void rlock_restored(void *arg) {
  bool own = arg == NULL;
  ready = 0;
  if (own) {
    hd_condition_init(&cv, "cv");
  } else {
    hd_rlock_init(&rlock, "rlock");
    hd_condition_init_rlock(&cv, &rlock, "cv");
  }
  hd_rlock *r = own ? &cv.own : &rlock;
  hd_condition_acquire(&cv);
  hd_condition_acquire(&cv);
  hd_condition_acquire(&cv);
  /* The setter can only get in if wait() released all three levels. */
  hd_thread_init(&threads[0], set_ready, NULL, "setter");
  hd_thread_start(&threads[0]);
  hd_err err = hd_condition_wait_for(&cv, is_ready, NULL, HD_FOREVER);
  HD_ASSERT(err == HD_OK, "wait_for on a recursively held RLock returns, got %s", hd_err_name(err));
  HD_ASSERT(hd_rlock_owner(r) == hd_get_ident(), "the RLock is owned by the waiter again");
  HD_ASSERT(hd_rlock_count(r) == 3, "recursion count restored to 3, got %d", hd_rlock_count(r));
  for (int i = 0; i < 3; i++) HD_ASSERT(hd_condition_release(&cv) == HD_OK, "release %d of 3", i + 1);
  HD_ASSERT(hd_condition_release(&cv) == HD_EMISUSE, "a fourth release is misuse");
  hd_thread_join(&threads[0], HD_FOREVER);
  hd_condition_destroy(&cv);
}

static void test_condition_wait_releases_and_restores_an_rlocks_recursion(void **state) {
  (void)state;
  hd_both_run("condition_rlock_own", rlock_restored, NULL);
  hd_both_run("condition_rlock_given", rlock_restored, (void *)1);
}

static void acquire_passthrough(void *arg) {
  (void)arg;
  setup(false);
  HD_ASSERT(hd_condition_acquire_timed(&cv, false, HD_FOREVER) == HD_OK, "non-blocking acquire of a free lock");
  HD_ASSERT(hd_condition_acquire_timed(&cv, false, HD_FOREVER) == HD_EWOULDBLOCK, "a Lock is not reentrant");
  HD_ASSERT(hd_condition_acquire_timed(&cv, true, 0.001) == HD_ETIMEDOUT, "timed acquire of a held Lock");
  HD_ASSERT(hd_condition_acquire_timed(&cv, false, 1.0) == HD_EINVAL, "timeout with blocking=false");
  HD_ASSERT(hd_condition_release(&cv) == HD_OK, "release");
  HD_ASSERT(hd_condition_release(&cv) == HD_EMISUSE, "release of an unlocked Lock");
}

static void test_condition_acquire_and_release_are_the_locks(void **state) {
  (void)state;
  hd_both_run("condition_acquire", acquire_passthrough, NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_condition_wait_returns_ok_when_notified),
      cmocka_unit_test(test_condition_wait_times_out_and_reacquires_the_lock),
      cmocka_unit_test(test_condition_wait_and_notify_without_the_lock_are_misuse),
      cmocka_unit_test(test_condition_notify_n_wakes_at_most_n_longest_waiting_first),
      cmocka_unit_test(test_condition_notify_all_wakes_every_waiter),
      cmocka_unit_test(test_condition_timed_out_waiter_leaves_the_queue),
      cmocka_unit_test(test_condition_wait_for_returns_the_predicates_last_value),
      cmocka_unit_test(test_condition_wait_releases_and_restores_an_rlocks_recursion),
      cmocka_unit_test(test_condition_acquire_and_release_are_the_locks),
  };
  return cmocka_run_group_tests_name(hd_both_is_harness() ? "condition (deterministic)" : "condition (pthread)", tests,
                                     NULL, NULL);
}

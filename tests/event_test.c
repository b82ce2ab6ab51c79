/* Event: Python's threading.Event semantics on both backends: set, clear,
 * is_set, and wait's result with and without a timeout. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "primitives/heddle.h"
#include "tests/support/both.h"

static hd_event event;
static hd_thread threads[3];
static bool results[3];

static void flag_operations(void *arg) {
  (void)arg;
  hd_event_init(&event, "e");
  HD_ASSERT(!hd_event_is_set(&event), "a new Event is clear");
  hd_event_set(&event);
  HD_ASSERT(hd_event_is_set(&event), "set() raises the flag");
  HD_ASSERT(hd_event_wait(&event, HD_FOREVER), "wait() on a set Event returns true at once");
  HD_ASSERT(hd_event_wait(&event, 0), "wait(0) on a set Event returns true");
  hd_event_set(&event);
  HD_ASSERT(hd_event_is_set(&event), "set() twice is harmless");
  hd_event_clear(&event);
  HD_ASSERT(!hd_event_is_set(&event), "clear() lowers the flag");
  hd_event_clear(&event);
  HD_ASSERT(!hd_event_is_set(&event), "clear() twice is harmless");
  hd_event_destroy(&event);
}

static void test_event_set_clear_and_is_set(void **state) {
  (void)state;
  hd_both_run("event_flag", flag_operations, NULL);
}

static void wait_timeouts(void *arg) {
  (void)arg;
  hd_event_init(&event, "e");
  double before = hd_monotonic();
  bool flag = hd_event_wait(&event, 0.01);
  double waited = hd_monotonic() - before;
  HD_ASSERT(!flag, "wait(0.01) on a clear Event returns false");
  HD_ASSERT(waited >= 0.01, "wait(0.01) returned after %g s", waited);
  HD_ASSERT(!hd_event_wait(&event, 0), "wait(0) on a clear Event returns false");
  HD_ASSERT(!hd_event_wait(&event, -3.0), "a negative timeout acts as 0 (CPython)");
}

static void test_event_wait_times_out_with_false(void **state) {
  (void)state;
  hd_both_run("event_timeout", wait_timeouts, NULL);
}

static void waiter(void *arg) {
  long i = (long)arg;
  results[i] = hd_event_wait(&event, HD_FOREVER);
}

static void set_wakes_all(void *arg) {
  (void)arg;
  hd_event_init(&event, "e");
  for (long i = 0; i < 3; i++) {
    results[i] = false;
    hd_thread_init(&threads[i], waiter, (void *)i, NULL);
    hd_thread_start(&threads[i]);
  }
  hd_event_set(&event);
  for (int i = 0; i < 3; i++) {
    hd_thread_join(&threads[i], HD_FOREVER);
    HD_ASSERT(results[i], "waiter %d returned false from wait() without timeout", i);
  }
}

static void test_event_set_wakes_every_waiter_with_true(void **state) {
  (void)state;
  hd_both_run("event_wakes", set_wakes_all, NULL);
}

static void timed_waiter(void *arg) {
  long i = (long)arg;
  results[i] = hd_event_wait(&event, 30.0);
}

static void set_before_timeout(void *arg) {
  (void)arg;
  hd_event_init(&event, "e");
  results[0] = false;
  hd_thread_init(&threads[0], timed_waiter, (void *)0, NULL);
  hd_thread_start(&threads[0]);
  hd_event_set(&event);
  hd_thread_join(&threads[0], HD_FOREVER);
  HD_ASSERT(results[0], "wait(30) returns true when set() comes first");
}

static void test_event_timed_wait_returns_true_when_set_in_time(void **state) {
  (void)state;
  hd_both_run("event_set_in_time", set_before_timeout, NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_event_set_clear_and_is_set),
      cmocka_unit_test(test_event_wait_times_out_with_false),
      cmocka_unit_test(test_event_set_wakes_every_waiter_with_true),
      cmocka_unit_test(test_event_timed_wait_returns_true_when_set_in_time),
  };
  return cmocka_run_group_tests_name(hd_both_is_harness() ? "event (deterministic)" : "event (pthread)", tests, NULL,
                                     NULL);
}

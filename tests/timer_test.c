/* Timer: Python's threading.Timer semantics on both backends: it fires once
 * after its interval, cancel() before firing prevents it, cancel() after is
 * harmless, and it is a Thread (start once, join). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "primitives/heddle.h"
#include "tests/support/both.h"

static hd_timer timer;
static hd_lock lock;
static int fired;        /* guarded by `lock` */
static double fired_at;  /* written by the timer thread before `fired` */

static void on_fire(void *arg) {
  hd_lock_acquire(&lock);
  fired += (int)(long)arg;
  fired_at = hd_monotonic();
  hd_lock_release(&lock);
}

static int fired_count(void) {
  hd_lock_acquire(&lock);
  int n = fired;
  hd_lock_release(&lock);
  return n;
}

static void setup(void) {
  hd_lock_init(&lock, "lock");
  fired = 0;
  fired_at = -1;
}

static void fires_after_interval(void *arg) {
  (void)arg;
  setup();
  double start = hd_monotonic();
  hd_timer_init(&timer, 0.01, on_fire, (void *)1, "t");
  HD_ASSERT(hd_timer_start(&timer) == HD_OK, "start");
  HD_ASSERT(hd_timer_join(&timer, HD_FOREVER) == HD_OK, "join");
  HD_ASSERT(fired_count() == 1, "the function ran %d times, expected once", fired_count());
  HD_ASSERT(fired_at - start >= 0.01, "fired %g s after start, before its 0.01 s interval", fired_at - start);
  hd_timer_cancel(&timer);
  HD_ASSERT(fired_count() == 1, "cancel() after firing changes nothing");
  HD_ASSERT(!hd_timer_is_alive(&timer), "the timer thread has finished");
}

static void test_timer_fires_once_after_its_interval_and_late_cancel_is_harmless(void **state) {
  (void)state;
  hd_both_run("timer_fires", fires_after_interval, NULL);
}

static void cancel_before_firing(void *arg) {
  (void)arg;
  setup();
  double start = hd_monotonic();
  hd_timer_init(&timer, 30.0, on_fire, (void *)1, NULL);
  HD_ASSERT(hd_timer_start(&timer) == HD_OK, "start");
  hd_timer_cancel(&timer);
  hd_timer_cancel(&timer);
  HD_ASSERT(hd_timer_join(&timer, HD_FOREVER) == HD_OK, "join");
  HD_ASSERT(fired_count() == 0, "a cancelled Timer never calls its function");
  HD_ASSERT(hd_monotonic() - start < 30.0, "cancel() ends the wait early");
}

static void test_timer_cancel_before_firing_prevents_it(void **state) {
  (void)state;
  hd_both_run("timer_cancel", cancel_before_firing, NULL);
}

static void cancel_before_start(void *arg) {
  (void)arg;
  setup();
  hd_timer_init(&timer, 0, on_fire, (void *)1, NULL);
  hd_timer_cancel(&timer);
  hd_timer_start(&timer);
  hd_timer_join(&timer, HD_FOREVER);
  HD_ASSERT(fired_count() == 0, "a Timer cancelled before start never fires");
}

static void test_timer_cancelled_before_start_never_fires(void **state) {
  (void)state;
  hd_both_run("timer_cancel_before_start", cancel_before_start, NULL);
}

static void thread_behaviour(void *arg) {
  (void)arg;
  setup();
  double start = hd_monotonic();
  hd_timer_init(&timer, -1.0, on_fire, (void *)1, "neg");
  HD_ASSERT(hd_timer_start(&timer) == HD_OK, "start");
  HD_ASSERT(hd_timer_start(&timer) == HD_EMISUSE, "a Timer is a Thread: started only once");
  hd_timer_join(&timer, HD_FOREVER);
  HD_ASSERT(fired_count() == 1, "a negative interval fires at once (Python's Event.wait(-1) does not block)");
  HD_ASSERT(hd_monotonic() - start < 30.0, "without waiting");

  hd_timer_init(&timer, 30.0, on_fire, (void *)1, NULL);
  HD_ASSERT(hd_thread_join(&timer.thread, HD_FOREVER) == HD_EMISUSE, "join before start is misuse");
  hd_timer_start(&timer);
  HD_ASSERT(hd_timer_join(&timer, 0.01) == HD_ETIMEDOUT, "join(0.01) of a pending timer times out");
  HD_ASSERT(hd_timer_is_alive(&timer), "a pending timer is alive");
  hd_timer_cancel(&timer);
  HD_ASSERT(hd_timer_join(&timer, HD_FOREVER) == HD_OK, "join after cancel");
  HD_ASSERT(fired_count() == 1, "the cancelled timer did not fire");
}

static void test_timer_is_a_thread(void **state) {
  (void)state;
  hd_both_run("timer_thread", thread_behaviour, NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_timer_fires_once_after_its_interval_and_late_cancel_is_harmless),
      cmocka_unit_test(test_timer_cancel_before_firing_prevents_it),
      cmocka_unit_test(test_timer_cancelled_before_start_never_fires),
      cmocka_unit_test(test_timer_is_a_thread),
  };
  return cmocka_run_group_tests_name(hd_both_is_harness() ? "timer (deterministic)" : "timer (pthread)", tests, NULL,
                                     NULL);
}

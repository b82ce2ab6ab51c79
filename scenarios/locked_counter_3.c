/* Three threads each increment one tracked counter under one Lock. The
 * critical sections can run in 3! = 6 orders and nothing else matters, so
 * dfs with reduction runs exactly 6 executions, all with the counter at 3.
 * Main starts the threads without joining; the check runs after the
 * interpreter-exit wait. */
#include "scenarios/scenario.h"

static hd_shared counter;
static hd_lock lock;
static hd_thread workers[3];

static void increment(void *arg) {
  (void)arg;
  hd_lock_acquire(&lock);
  int64_t value = hd_load(&counter);
  hd_store(&counter, value + 1);
  hd_lock_release(&lock);
}

static void body(void *arg) {
  (void)arg;
  hd_shared_init(&counter, "counter", 0);
  hd_lock_init(&lock, "lock");
  for (int i = 0; i < 3; i++) {
    hd_thread_init(&workers[i], increment, NULL, NULL);
    hd_thread_start(&workers[i]);
  }
}

static void check(void *arg) {
  (void)arg;
  HD_ASSERT(hd_shared_peek(&counter) == 3, "counter is %lld after three locked increments, expected 3",
            (long long)hd_shared_peek(&counter));
}

const hd_scenario hd_scenario_locked_counter_3 = {
    .name = "locked_counter_3",
    .summary = "3 threads increment one counter under one Lock: 3! = 6 executions with reduction, all correct",
    .expect = HD_EXPECT_PASS,
    .body = body,
    .check = check,
};

/* A lost wake-up with Condition. The consumer waits for a message with a
 * bare cv.wait(), checking nothing first; the producer stores the message
 * and calls cv.notify(). When the producer gets the lock first, its notify
 * finds nobody waiting and is lost: the consumer then waits forever for a
 * notify that already happened. Python's documentation warns for this
 * reason to wait in a loop on a predicate (or with wait_for). */
#include "scenarios/scenario.h"

static hd_condition cv;
static hd_shared message; /* 0 until produced; under cv's lock */
static hd_thread consumer, producer;

static void consume(void *arg) {
  (void)arg;
  hd_condition_acquire(&cv);
  hd_condition_wait(&cv, HD_FOREVER); /* the bug: no check that the message is already there */
  int64_t m = hd_load(&message);
  hd_condition_release(&cv);
  hd_log("consumed message %lld", (long long)m);
}

static void produce(void *arg) {
  (void)arg;
  hd_condition_acquire(&cv);
  hd_store(&message, 42);
  hd_condition_notify(&cv, 1);
  hd_condition_release(&cv);
  hd_log("produced message 42");
}

static void body(void *arg) {
  (void)arg;
  hd_condition_init(&cv, "cv");
  hd_shared_init(&message, "message", 0);
  hd_thread_init(&consumer, consume, NULL, "consumer");
  hd_thread_init(&producer, produce, NULL, "producer");
  hd_thread_start(&consumer);
  hd_thread_start(&producer);
  hd_thread_join(&consumer, HD_FOREVER);
  hd_thread_join(&producer, HD_FOREVER);
}

const hd_scenario hd_scenario_condition_lost_wakeup = {
    .name = "condition_lost_wakeup",
    .summary = "cv.wait() without a predicate: a notify sent before the wait is lost and the consumer hangs",
    .expect = HD_EXPECT_BUG,
    .bug_kinds = HD_KIND(HD_BUG_DEADLOCK),
    .find_within = 20,
    .body = body,
};

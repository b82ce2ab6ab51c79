/* The fix for condition_lost_wakeup: the consumer waits with
 * cv.wait_for(lambda: message != 0), which checks the state before waiting
 * and after every wake-up, so a notify sent before the wait is not needed:
 * the predicate already holds. */
#include "scenarios/scenario.h"

static hd_condition cv;
static hd_shared message; /* 0 until produced; under cv's lock */
static hd_thread consumer, producer;

static bool message_ready(void *arg) {
  (void)arg;
  return hd_load(&message) != 0;
}

static void consume(void *arg) {
  (void)arg;
  hd_condition_acquire(&cv);
  hd_err err = hd_condition_wait_for(&cv, message_ready, NULL, HD_FOREVER);
  int64_t m = hd_load(&message);
  hd_condition_release(&cv);
  HD_ASSERT(err == HD_OK && m == 42, "wait_for returned %s with message %lld", hd_err_name(err), (long long)m);
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

const hd_scenario hd_scenario_condition_wait_for = {
    .name = "condition_wait_for",
    .summary = "the fix: cv.wait_for(message ready) checks before waiting, so an early notify is not lost",
    .expect = HD_EXPECT_PASS,
    .body = body,
};

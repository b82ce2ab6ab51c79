/* A lost wake-up with Condition and its fix, one body with the wait as the
 * only difference. The producer stores a message and calls cv.notify(); the
 * consumer, holding cv's lock, waits for it:
 *   condition_lost_wakeup: with a bare cv.wait(), checking nothing first.
 *     When the producer gets the lock first, its notify finds nobody
 *     waiting and is lost: the consumer then waits forever for a notify
 *     that already happened (a deadlock). Python's documentation warns for
 *     this reason to wait in a loop on a predicate (or with wait_for).
 *   condition_wait_for: with cv.wait_for(lambda: message != 0), which checks
 *     the state before waiting and after every wake-up, so a notify sent
 *     before the wait is not needed: the predicate already holds. The
 *     consumer asserts it got the message. */
#include "scenarios/scenario.h"

static hd_condition cv;
static hd_shared message; /* 0 until produced; under cv's lock */
static hd_thread consumer, producer;

static bool message_ready(void *arg) {
  (void)arg;
  return hd_load(&message) != 0;
}

/* arg: nonzero when the consumer waits with wait_for(message_ready). */
static void consume(void *arg) {
  bool with_predicate = (uintptr_t)arg != 0;
  hd_condition_acquire(&cv);
  hd_err err = HD_OK;
  if (with_predicate)
    err = hd_condition_wait_for(&cv, message_ready, NULL, HD_FOREVER);
  else
    hd_condition_wait(&cv, HD_FOREVER); /* the bug: no check that the message is already there */
  int64_t m = hd_load(&message);
  hd_condition_release(&cv);
  if (with_predicate)
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

static void run(bool with_predicate) {
  hd_condition_init(&cv, "cv");
  hd_shared_init(&message, "message", 0);
  hd_thread_init(&consumer, consume, (void *)(uintptr_t)with_predicate, "consumer");
  hd_thread_init(&producer, produce, NULL, "producer");
  hd_thread_start(&consumer);
  hd_thread_start(&producer);
  hd_thread_join(&consumer, HD_FOREVER);
  hd_thread_join(&producer, HD_FOREVER);
}

static void bare_wait_body(void *arg) {
  (void)arg;
  run(false);
}

static void wait_for_body(void *arg) {
  (void)arg;
  run(true);
}

const hd_scenario hd_scenario_condition_lost_wakeup = {
    .name = "condition_lost_wakeup",
    .summary = "cv.wait() without a predicate: a notify sent before the wait is lost and the consumer hangs",
    .expect = HD_EXPECT_BUG,
    .bug_kinds = HD_KIND(HD_BUG_DEADLOCK),
    .find_within = 20,
    .body = bare_wait_body,
};

const hd_scenario hd_scenario_condition_wait_for = {
    .name = "condition_wait_for",
    .summary = "the fix: cv.wait_for(message ready) checks before waiting, so an early notify is not lost",
    .expect = HD_EXPECT_PASS,
    .body = wait_for_body,
};

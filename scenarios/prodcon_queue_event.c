/* The tutorial's final producer-consumer, one body for the correct consumer
 * and the early-exiting one the tutorial warns about: a Queue(maxsize=10)
 * and a threading.Event the main thread sets after 0.1 s (virtual). The
 * producer puts random messages until the event is set. The consumer takes
 * 0.02 s per message, so the queue fills up and the producer blocks in put.
 * The only difference is the consumer's loop condition:
 *   prodcon_queue_event: it keeps getting while the event is not set OR the
 *     queue is not empty, so it drains what is left and every produced
 *     message is consumed.
 *   prodcon_queue_event_consumer_exits_early: it stops as soon as the event
 *     is set, without draining the queue. The producer, which found the
 *     event not yet set, is blocked in put on the full queue that nobody
 *     will drain again, and the main thread waits for it forever: the
 *     harness reports a deadlock naming the producer and "put: queue full
 *     (10/10)" on Queue 'pipeline'. In the rare schedule where the producer
 *     is not inside put when the consumer leaves, the messages left in the
 *     queue are lost instead (the tutorial's other hazard), which the final
 *     assertion reports. */
#include "scenarios/scenario.h"

#define MAX_MESSAGES 64

static hd_queue pipeline;
static hd_event event;
static hd_thread producer_thread, consumer_thread;
static int64_t produced[MAX_MESSAGES], consumed[MAX_MESSAGES];
static int nproduced, nconsumed;

static void producer(void *arg) {
  (void)arg;
  while (!hd_event_is_set(&event)) {
    int64_t m = 1 + (int64_t)hd_random_data(101);
    hd_log("Producer got message: %lld", (long long)m);
    HD_ASSERT(nproduced < MAX_MESSAGES, "more than %d messages produced", MAX_MESSAGES);
    produced[nproduced++] = m;
    hd_queue_put(&pipeline, m);
  }
  hd_log("Producer received event. Exiting");
}

/* arg: nonzero when the consumer drains the queue after the event is set. */
static void consumer(void *arg) {
  bool drain = (uintptr_t)arg != 0;
  /* Without drain, the bug: no "or not queue.empty()". */
  while (!hd_event_is_set(&event) || (drain && !hd_queue_empty(&pipeline))) {
    int64_t m = 0;
    hd_queue_get(&pipeline, &m);
    hd_log("Consumer storing message: %lld (size=%zu)", (long long)m, hd_queue_qsize(&pipeline));
    consumed[nconsumed++] = m;
    hd_sleep(0.02); /* processing the message */
  }
  hd_log("Consumer received event. Exiting");
}

static void run_pipeline(bool drain) {
  nproduced = nconsumed = 0;
  HD_ASSERT(hd_queue_init(&pipeline, HD_QUEUE_FIFO, 10, "pipeline") == HD_OK, "Queue(maxsize=10)");
  hd_event_init(&event, "event");
  hd_thread_init(&producer_thread, producer, NULL, "producer");
  hd_thread_init(&consumer_thread, consumer, (void *)(uintptr_t)drain, "consumer");
  hd_thread_start(&producer_thread);
  hd_thread_start(&consumer_thread);
  hd_sleep(0.1);
  hd_log("Main: about to set event");
  hd_event_set(&event);
  hd_thread_join(&producer_thread, HD_FOREVER);
  hd_thread_join(&consumer_thread, HD_FOREVER);
  HD_ASSERT(nconsumed == nproduced, "%d messages produced, %d consumed", nproduced, nconsumed);
  for (int i = 0; i < nproduced; i++)
    HD_ASSERT(consumed[i] == produced[i], "message %d: consumed %lld, produced %lld", i, (long long)consumed[i],
              (long long)produced[i]);
  hd_queue_destroy(&pipeline);
}

static void draining_body(void *arg) {
  (void)arg;
  run_pipeline(true);
}

static void exits_early_body(void *arg) {
  (void)arg;
  run_pipeline(false);
}

const hd_scenario hd_scenario_prodcon_queue_event = {
    .name = "prodcon_queue_event",
    .summary = "Queue(maxsize=10) + event set after 0.1 s; the consumer drains the queue: every message consumed",
    .expect = HD_EXPECT_PASS,
    .body = draining_body,
};

const hd_scenario hd_scenario_prodcon_queue_event_consumer_exits_early = {
    .name = "prodcon_queue_event_consumer_exits_early",
    .summary = "the consumer stops when the event is set without draining: producer stuck in put on a full queue",
    .expect = HD_EXPECT_BUG,
    .bug_kinds = HD_KIND(HD_BUG_DEADLOCK) | HD_KIND(HD_BUG_ASSERTION),
    .find_within = 1,
    .body = exits_early_body,
};

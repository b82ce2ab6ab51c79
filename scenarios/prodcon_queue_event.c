/* The tutorial's final producer-consumer: a Queue(maxsize=10) and a
 * threading.Event the main thread sets after 0.1 s (virtual). The producer puts
 * random messages until the event is set; the consumer keeps getting while
 * the event is not set OR the queue is not empty, so it drains what is left
 * and every produced message is consumed. The consumer takes 0.02 s per
 * message, so the queue fills up and the producer blocks in put, the case
 * where an early-exiting consumer strands it (see
 * prodcon_queue_event_consumer_exits_early).

 */
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
    int64_t m = 1 + (int64_t)hd_random_below(101);
    hd_log("Producer got message: %lld", (long long)m);
    HD_ASSERT(nproduced < MAX_MESSAGES, "more than %d messages produced", MAX_MESSAGES);
    produced[nproduced++] = m;
    hd_queue_put(&pipeline, m);
  }
  hd_log("Producer received event. Exiting");
}

static void consumer(void *arg) {
  (void)arg;
  while (!hd_event_is_set(&event) || !hd_queue_empty(&pipeline)) {
    int64_t m = 0;
    hd_queue_get(&pipeline, &m);
    hd_log("Consumer storing message: %lld (size=%zu)", (long long)m, hd_queue_qsize(&pipeline));
    consumed[nconsumed++] = m;
    hd_sleep(0.02); /* processing the message */
  }
  hd_log("Consumer received event. Exiting");
}

static void body(void *arg) {
  (void)arg;
  nproduced = nconsumed = 0;
  HD_ASSERT(hd_queue_init(&pipeline, HD_QUEUE_FIFO, 10, "pipeline") == HD_OK, "Queue(maxsize=10)");
  hd_event_init(&event, "event");
  hd_thread_init(&producer_thread, producer, NULL, "producer");
  hd_thread_init(&consumer_thread, consumer, NULL, "consumer");
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

const hd_scenario hd_scenario_prodcon_queue_event = {
    .name = "prodcon_queue_event",
    .summary = "Queue(maxsize=10) + event set after 0.1 s; the consumer drains the queue: every message consumed",
    .expect = HD_EXPECT_PASS,
    .body = body,
};

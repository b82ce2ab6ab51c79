/* The tutorial's producer-consumer with two Locks: a one-slot Pipeline whose
 * producer_lock guards writing the slot and whose consumer_lock (acquired at
 * the start) guards reading it. The producer sends 10 random messages, then
 * a SENTINEL; the consumer copies the slot before releasing producer_lock,
 * so it receives exactly the produced sequence in every schedule. The
 * messages come from hd_random_below, so a replay reproduces them too. */
#include "scenarios/scenario.h"

#define MESSAGES 10
#define SENTINEL (-1)

static hd_shared message; /* Pipeline.message: the one slot */
static hd_lock producer_lock, consumer_lock;
static hd_thread producer_thread, consumer_thread;
static int64_t produced[MESSAGES];
static int64_t consumed[MESSAGES + 1];
static int nconsumed;

static int64_t get_message(void) {
  hd_lock_acquire(&consumer_lock);
  int64_t copy = hd_load(&message);
  hd_lock_release(&producer_lock);
  return copy;
}

static void set_message(int64_t value) {
  hd_lock_acquire(&producer_lock);
  hd_store(&message, value);
  hd_lock_release(&consumer_lock);
}

static void producer(void *arg) {
  (void)arg;
  for (int i = 0; i < MESSAGES; i++) {
    int64_t m = 1 + (int64_t)hd_random_below(100);
    produced[i] = m;
    hd_log("Producer got message: %lld", (long long)m);
    set_message(m);
  }
  set_message(SENTINEL);
}

static void consumer(void *arg) {
  (void)arg;
  int64_t m;
  while ((m = get_message()) != SENTINEL) {
    hd_log("Consumer storing message: %lld", (long long)m);
    HD_ASSERT(nconsumed < MESSAGES, "the consumer received more than %d messages", MESSAGES);
    consumed[nconsumed++] = m;
  }
}

static void body(void *arg) {
  (void)arg;
  nconsumed = 0;
  hd_shared_init(&message, "pipeline.message", 0);
  hd_lock_init(&producer_lock, "producer_lock");
  hd_lock_init(&consumer_lock, "consumer_lock");
  hd_lock_acquire(&consumer_lock);
  hd_thread_init(&producer_thread, producer, NULL, "producer");
  hd_thread_init(&consumer_thread, consumer, NULL, "consumer");
  hd_thread_start(&producer_thread);
  hd_thread_start(&consumer_thread);
  hd_thread_join(&producer_thread, HD_FOREVER);
  hd_thread_join(&consumer_thread, HD_FOREVER);
  HD_ASSERT(nconsumed == MESSAGES, "the consumer received %d messages, the producer sent %d", nconsumed, MESSAGES);
  for (int i = 0; i < MESSAGES; i++)
    HD_ASSERT(consumed[i] == produced[i], "message %d: consumed %lld, produced %lld", i, (long long)consumed[i],
              (long long)produced[i]);
}

const hd_scenario hd_scenario_prodcon_lock_pipeline = {
    .name = "prodcon_lock_pipeline",
    .summary = "two-Lock one-slot Pipeline, 10 random messages and a SENTINEL: every message arrives once, in order",
    .expect = HD_EXPECT_PASS,
    .body = body,
};

/* The tutorial's producer-consumer with two Locks, one body for the correct
 * Pipeline and the variant the tutorial warns about. A one-slot Pipeline's
 * producer_lock guards writing the slot and its consumer_lock (acquired at
 * the start) guards reading it. The producer sends 10 random messages, then
 * a SENTINEL. The messages come from hd_random_data (data the program only
 * passes along: dfs explores every schedule, not every message), so a replay
 * reproduces them too. The only difference is where the consumer reads the
 * slot in get_message:
 *   prodcon_lock_pipeline: it copies the slot before releasing
 *     producer_lock, so it receives exactly the produced sequence in every
 *     schedule.
 *   prodcon_lock_pipeline_return_after_release: it releases producer_lock
 *     and only then reads the slot, so the producer can overwrite it first:
 *     a message is lost and another duplicated. The harness reports the
 *     unordered read/write on pipeline.message as a data race, or the wrong
 *     sequence as an assertion, whichever it meets first (with race
 *     detection off, a SENTINEL read too early also strands the producer: a
 *     deadlock). */
#include "scenarios/scenario.h"

#define MESSAGES 10
#define SENTINEL (-1)

static hd_shared message; /* Pipeline.message: the one slot */
static hd_lock producer_lock, consumer_lock;
static hd_thread producer_thread, consumer_thread;
static int64_t produced[MESSAGES];
static int64_t consumed[MESSAGES + 1];
static int nconsumed;

static int64_t get_message(bool read_after_release) {
  hd_lock_acquire(&consumer_lock);
  if (read_after_release) {
    hd_lock_release(&producer_lock);
    return hd_load(&message); /* the bug: the slot is read unprotected */
  }
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
    int64_t m = 1 + (int64_t)hd_random_data(100);
    produced[i] = m;
    hd_log("Producer got message: %lld", (long long)m);
    set_message(m);
  }
  set_message(SENTINEL);
}

/* arg: nonzero when the consumer reads the slot after releasing producer_lock. */
static void consumer(void *arg) {
  bool read_after_release = (uintptr_t)arg != 0;
  int64_t m;
  while ((m = get_message(read_after_release)) != SENTINEL) {
    hd_log("Consumer storing message: %lld", (long long)m);
    HD_ASSERT(nconsumed < MESSAGES, "the consumer received more than %d messages", MESSAGES);
    consumed[nconsumed++] = m;
  }
}

static void run_pipeline(bool read_after_release) {
  nconsumed = 0;
  hd_shared_init(&message, "pipeline.message", 0);
  hd_lock_init(&producer_lock, "producer_lock");
  hd_lock_init(&consumer_lock, "consumer_lock");
  hd_lock_acquire(&consumer_lock);
  hd_thread_init(&producer_thread, producer, NULL, "producer");
  hd_thread_init(&consumer_thread, consumer, (void *)(uintptr_t)read_after_release, "consumer");
  hd_thread_start(&producer_thread);
  hd_thread_start(&consumer_thread);
  hd_thread_join(&producer_thread, HD_FOREVER);
  hd_thread_join(&consumer_thread, HD_FOREVER);
  HD_ASSERT(nconsumed == MESSAGES, "the consumer received %d messages, the producer sent %d", nconsumed, MESSAGES);
  for (int i = 0; i < MESSAGES; i++)
    HD_ASSERT(consumed[i] == produced[i], "message %d: consumed %lld, produced %lld", i, (long long)consumed[i],
              (long long)produced[i]);
}

static void copy_before_release_body(void *arg) {
  (void)arg;
  run_pipeline(false);
}

static void read_after_release_body(void *arg) {
  (void)arg;
  run_pipeline(true);
}

const hd_scenario hd_scenario_prodcon_lock_pipeline = {
    .name = "prodcon_lock_pipeline",
    .summary = "two-Lock one-slot Pipeline, 10 random messages and a SENTINEL: every message arrives once, in order",
    .expect = HD_EXPECT_PASS,
    .body = copy_before_release_body,
};

const hd_scenario hd_scenario_prodcon_lock_pipeline_return_after_release = {
    .name = "prodcon_lock_pipeline_return_after_release",
    .summary = "Pipeline whose consumer reads the slot after releasing producer_lock: a message is lost",
    .expect = HD_EXPECT_BUG,
    .bug_kinds = HD_KIND(HD_BUG_DATA_RACE) | HD_KIND(HD_BUG_ASSERTION) | HD_KIND(HD_BUG_DEADLOCK),
    .find_within = 1,
    .body = read_after_release_body,
};

/* Two threads each read then write one tracked counter, no lock: x = x + 1
 * split into its two steps. The reads commute, so there are 4 traces: one
 * thread entirely first (2 ways, counter 2), or both read before either
 * writes (2 orders of the writes, counter 1: a lost update). The lost update
 * needs one preemption, between a thread's read and its write. The check
 * asserts the counter is 2; the race detector reports the unordered accesses
 * first when it is on. */
#include "scenarios/scenario.h"

static hd_shared counter;
static hd_thread workers[2];

static void increment(void *arg) {
  (void)arg;
  int64_t value = hd_load(&counter);
  hd_store(&counter, value + 1);
}

static void body(void *arg) {
  (void)arg;
  hd_shared_init(&counter, "counter", 0);
  for (int i = 0; i < 2; i++) {
    hd_thread_init(&workers[i], increment, NULL, NULL);
    hd_thread_start(&workers[i]);
  }
}

static void check(void *arg) {
  (void)arg;
  HD_ASSERT(hd_shared_peek(&counter) == 2, "lost update: counter is %lld after two increments, expected 2",
            (long long)hd_shared_peek(&counter));
}

const hd_scenario hd_scenario_racy_counter_2 = {
    .name = "racy_counter_2",
    .summary = "2 threads do counter = counter + 1 without a lock: 4 executions, 2 lose an update",
    .expect = HD_EXPECT_BUG,
    .bug_kinds = HD_KIND(HD_BUG_DATA_RACE) | HD_KIND(HD_BUG_ASSERTION),
    .find_within = 10,
    .body = body,
    .check = check,
};

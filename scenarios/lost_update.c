/* The tutorial's race: FakeDatabase.update copies the value to a local, adds
 * one, sleeps 0.1 s and writes the local back. Two threads update once each;
 * the sleep forces the switch between read and write, so the final value is
 * 1, not 2, in every schedule. The race detector reports the unordered
 * read/write pair before the final assertion sees the lost update. */
#include "scenarios/scenario.h"

static hd_shared database_value;
static hd_thread workers[2];

static void update(void *arg) {
  long index = (long)arg;
  hd_log("Thread %ld: starting update", index);
  int64_t local_copy = hd_load(&database_value);
  local_copy += 1;
  hd_sleep(0.1);
  hd_store(&database_value, local_copy);
  hd_log("Thread %ld: finishing update", index);
}

static void body(void *arg) {
  (void)arg;
  hd_shared_init(&database_value, "database.value", 0);
  hd_log("Testing update. Starting value is %lld.", (long long)hd_load(&database_value));
  for (long i = 0; i < 2; i++) {
    hd_thread_init(&workers[i], update, (void *)i, NULL);
    hd_thread_start(&workers[i]);
  }
  for (int i = 0; i < 2; i++) hd_thread_join(&workers[i], HD_FOREVER);
  int64_t final = hd_load(&database_value);
  hd_log("Testing update. Ending value is %lld.", (long long)final);
  HD_ASSERT(final == 2, "lost update: database.value is %lld after two updates, expected 2", (long long)final);
}

const hd_scenario hd_scenario_lost_update = {
    .name = "lost_update",
    .summary = "FakeDatabase.update with a sleep between read and write, two threads: value 1, not 2",
    .expect = HD_EXPECT_BUG,
    .bug_kinds = HD_KIND(HD_BUG_DATA_RACE) | HD_KIND(HD_BUG_ASSERTION),
    .find_within = 1,
    .body = body,
};

/* The tutorial's race through a ThreadPoolExecutor: FakeDatabase.update
 * (read the value, add one, sleep 0.1 s, write it back) submitted twice to a
 * two-worker pool inside a `with` block. The update is lost: the race
 * detector reports the unordered read/write on database.value, or the final
 * assertion sees 1 instead of 2. */
#include "scenarios/scenario.h"

static hd_shared database_value;

static hd_err update(void *arg, int64_t *result) {
  long name = (long)arg;
  hd_log("Thread %ld: starting update", name);
  int64_t local_copy = hd_load(&database_value);
  local_copy += 1;
  hd_sleep(0.1);
  hd_store(&database_value, local_copy);
  hd_log("Thread %ld: finishing update", name);
  *result = 0;
  return HD_OK;
}

static void body(void *arg) {
  (void)arg;
  hd_shared_init(&database_value, "database.value", 0);
  hd_executor ex;
  hd_future futures[2];
  HD_WITH_EXECUTOR(&ex, 2, "pool") {
    for (long index = 0; index < 2; index++) hd_executor_submit(&ex, &futures[index], update, (void *)index);
  }
  int64_t final = hd_load(&database_value);
  hd_log("Testing update. Ending value is %lld.", (long long)final);
  HD_ASSERT(final == 2, "lost update: database.value is %lld after two updates, expected 2", (long long)final);
}

const hd_scenario hd_scenario_executor_race = {
    .name = "executor_race",
    .summary = "FakeDatabase.update submitted twice to a 2-worker ThreadPoolExecutor: an update is lost",
    .expect = HD_EXPECT_BUG,
    .bug_kinds = HD_KIND(HD_BUG_DATA_RACE) | HD_KIND(HD_BUG_ASSERTION),
    .find_within = 1,
    .body = body,
};

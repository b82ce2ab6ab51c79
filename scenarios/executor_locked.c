/* The Lock fix of executor_race: update reads, adds, sleeps and writes with
 * the database's Lock held, so both updates land (value 2) in every schedule. */
#include "scenarios/scenario.h"

static hd_shared database_value;
static hd_lock database_lock;

static hd_err locked_update(void *arg, int64_t *result) {
  long name = (long)arg;
  hd_log("Thread %ld: starting update", name);
  hd_lock_acquire(&database_lock);
  int64_t local_copy = hd_load(&database_value);
  local_copy += 1;
  hd_sleep(0.1);
  hd_store(&database_value, local_copy);
  hd_lock_release(&database_lock);
  hd_log("Thread %ld: finishing update", name);
  *result = 0;
  return HD_OK;
}

static void body(void *arg) {
  (void)arg;
  hd_shared_init(&database_value, "database.value", 0);
  hd_lock_init(&database_lock, "database._lock");
  hd_executor ex;
  hd_future futures[2];
  HD_WITH_EXECUTOR(&ex, 2, "pool") {
    for (long index = 0; index < 2; index++) hd_executor_submit(&ex, &futures[index], locked_update, (void *)index);
  }
  int64_t final = hd_load(&database_value);
  HD_ASSERT(final == 2, "database.value is %lld after two locked updates, expected 2", (long long)final);
  hd_lock_destroy(&database_lock);
}

const hd_scenario hd_scenario_executor_locked = {
    .name = "executor_locked",
    .summary = "the Lock fix of executor_race: value is 2 in every schedule",
    .expect = HD_EXPECT_PASS,
    .body = body,
};

/* The tutorial's fix for lost_update: read, add, sleep and write happen with
 * the database's Lock held, so the final value is 2 in every schedule. */
#include "scenarios/scenario.h"

static hd_shared database_value;
static hd_lock database_lock;
static hd_thread workers[2];

static void locked_update(void *arg) {
  long index = (long)arg;
  hd_log("Thread %ld: starting update", index);
  hd_log("Thread %ld about to lock", index);
  hd_lock_acquire(&database_lock);
  hd_log("Thread %ld has lock", index);
  int64_t local_copy = hd_load(&database_value);
  local_copy += 1;
  hd_sleep(0.1);
  hd_store(&database_value, local_copy);
  hd_log("Thread %ld about to release lock", index);
  hd_lock_release(&database_lock);
  hd_log("Thread %ld after release", index);
  hd_log("Thread %ld: finishing update", index);
}

static void body(void *arg) {
  (void)arg;
  hd_shared_init(&database_value, "database.value", 0);
  hd_lock_init(&database_lock, "database._lock");
  for (long i = 0; i < 2; i++) {
    hd_thread_init(&workers[i], locked_update, (void *)i, NULL);
    hd_thread_start(&workers[i]);
  }
  for (int i = 0; i < 2; i++) hd_thread_join(&workers[i], HD_FOREVER);
  int64_t final = hd_load(&database_value);
  hd_log("Testing locked update. Ending value is %lld.", (long long)final);
  HD_ASSERT(final == 2, "database.value is %lld after two locked updates, expected 2", (long long)final);
  hd_lock_destroy(&database_lock);
}

const hd_scenario hd_scenario_locked_update = {
    .name = "locked_update",
    .summary = "the Lock fix of lost_update: value is 2 in every schedule",
    .expect = HD_EXPECT_PASS,
    .body = body,
};

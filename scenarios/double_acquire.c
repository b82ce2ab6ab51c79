/* The tutorial's simplest deadlock: a thread acquires a Lock it already
 * holds. Lock is not reentrant, so the second acquire waits forever for the
 * thread itself. */
#include "scenarios/scenario.h"

static hd_lock lock;

static void body(void *arg) {
  (void)arg;
  hd_lock_init(&lock, "l");
  hd_lock_acquire(&lock);
  hd_log("before the second acquire");
  hd_lock_acquire(&lock);
  hd_log("never reached");
  hd_lock_release(&lock);
  hd_lock_release(&lock);
}

const hd_scenario hd_scenario_double_acquire = {
    .name = "double_acquire",
    .summary = "a Lock acquired twice by the same thread: self-deadlock",
    .expect = HD_EXPECT_BUG,
    .bug_kinds = HD_KIND(HD_BUG_DEADLOCK),
    .find_within = 1,
    .body = body,
};

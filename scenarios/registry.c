/* The list of scenarios. Add a scenario: define `const hd_scenario
 * hd_scenario_<name>` in scenarios/<name>.c and add X(<name>) below, keeping
 * the list sorted (the CLI lists them in this order). */
#include <stdio.h>
#include <string.h>

#include "scenarios/scenario.h"

#define HD_SCENARIOS(X) \
  X(barrier_start_together) \
  X(condition_lost_wakeup) \
  X(condition_wait_for) \
  X(daemon_thread)      \
  X(double_acquire)     \
  X(executor_locked)    \
  X(executor_map)       \
  X(executor_race)      \
  X(independent_writers) \
  X(locked_counter_3)    \
  X(locked_update)      \
  X(lost_update)        \
  X(many_threads)       \
  X(prodcon_lock_pipeline) \
  X(prodcon_lock_pipeline_return_after_release) \
  X(prodcon_queue_event) \
  X(prodcon_queue_event_consumer_exits_early) \
  X(racy_counter_2)      \
  X(rlock_reentry)       \
  X(semaphore_pool) \
  X(thread_waited_at_exit) \
  X(timer_cancel)

#define DECLARE(name) extern const hd_scenario hd_scenario_##name;
HD_SCENARIOS(DECLARE)
#define POINTER(name) &hd_scenario_##name,
static const hd_scenario *const all[] = {HD_SCENARIOS(POINTER)};

size_t hd_scenario_count(void) { return sizeof all / sizeof all[0]; }

const hd_scenario *hd_scenario_at(size_t index) { return index < hd_scenario_count() ? all[index] : NULL; }

const hd_scenario *hd_scenario_find(const char *name) {
  for (size_t i = 0; i < hd_scenario_count(); i++)
    if (strcmp(all[i]->name, name) == 0) return all[i];
  return NULL;
}

const char *hd_scenario_expectation(const hd_scenario *s, char *buf, size_t size) {
  if (s->expect == HD_EXPECT_PASS) {
    snprintf(buf, size, "pass");
    return buf;
  }
  size_t n = (size_t)snprintf(buf, size, "bug:");
  const char *sep = " ";
  for (int k = 1; k < HD__BUG_COUNT && n < size; k++) {
    if (!(s->bug_kinds & HD_KIND(k))) continue;
    n += (size_t)snprintf(buf + n, size - n, "%s%s", sep, hd_bug_kind_name((hd_bug_kind)k));
    sep = "|";
  }
  return buf;
}

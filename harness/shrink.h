/* Shrinking: make a failing schedule smaller before it is reported.
 *
 * A schedule found by a random or PCT strategy is usually long and full of
 * switches that have nothing to do with the bug. Shrinking replays candidate
 * schedules and keeps one when it still ends in the same kind of bug with
 * fewer preemptions, or as many preemptions and fewer steps. */
#ifndef HEDDLE_HARNESS_SHRINK_H
#define HEDDLE_HARNESS_SHRINK_H

#include <stdbool.h>
#include <stdint.h>

#include "harness/engine/exec.h"
#include "harness/engine/schedule.h"

/* Executions a shrink may spend. */
#define HD_SHRINK_BUDGET 300u

/* Shrinks `schedule` (which fails with a bug of `kind` under `base`, whose
 * strategy field is ignored) in place, running at most `budget` executions
 * on `x`. Returns true when it found a smaller failing schedule; then
 * *schedule is that schedule exactly as recorded, so it replays. */
bool hd__shrink(const hd_exec_config *base, hd_exec *x, hd_bug_kind kind, hd_schedule *schedule, unsigned budget);

#endif

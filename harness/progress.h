/* A progress line on standard error while an exploration runs: executions
 * done, executions per second, bugs found, and for dfs an estimate of the
 * part of the tree covered. Only when standard error is a terminal and the
 * run has lasted about a second. This is the one place the harness reads the
 * wall clock, and it only ever writes to standard error, so it can never
 * change a result or standard output. */
#ifndef HEDDLE_HARNESS_PROGRESS_H
#define HEDDLE_HARNESS_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

#include "harness/strategies/strategy.h"

typedef struct hd_progress {
  bool enabled;   /* stderr is a terminal */
  bool shown;     /* a line is on the screen */
  double start;   /* seconds, monotonic */
  double last;    /* last redraw */
} hd_progress;

void hd__progress_start(hd_progress *p);
/* Called after each execution; cheap: looks at the clock every 256 runs. */
void hd__progress_tick(hd_progress *p, uint64_t executions, uint64_t bugs, const hd_strategy *s);
/* Erases the line. */
void hd__progress_end(hd_progress *p);

#endif

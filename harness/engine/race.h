/* Happens-before data-race detection on shared variables, with vector clocks
 * in the style of FastTrack (Flanagan & Freund, PLDI 2009): a variable keeps
 * its last write and, per thread, its last read since then; an access races
 * with an earlier one by another thread, at least one of them a write, when
 * the earlier access's epoch is not covered by the current thread's clock.
 * Edges come from the backend seam: a monitor exit releases the thread's
 * clock into the monitor, a monitor entry acquires it, and spawning copies
 * the parent's clock into the child. Every primitive is built on monitors,
 * so every primitive contributes its edges without code of its own. */
#ifndef HEDDLE_HARNESS_ENGINE_RACE_H
#define HEDDLE_HARNESS_ENGINE_RACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harness/strategies/strategy.h"

typedef struct hd_vc {
  uint32_t c[HD_MAX_THREADS];
} hd_vc;

/* dst = max(dst, src) over the first n components. */
void hd_vc_join(hd_vc *dst, const hd_vc *src, int n);

typedef struct hd_access {
  int tid;
  uint32_t epoch;     /* the thread's own clock component at the access */
  bool is_write;
  int64_t value;
  bool value_unknown; /* a plain write seen before it happens: its value is not known */
  const char *file;
  int line;
  size_t event;       /* trace event index, or SIZE_MAX */
} hd_access;

/* Shadow state of one shared variable. Invariant: bit t of `readers` set
 * means reads[t] holds thread t's last read since the last write. */
typedef struct hd_var_shadow {
  bool has_write;
  hd_access write;
  uint64_t readers;
  hd_access reads[HD_MAX_THREADS];
} hd_var_shadow;

/* Checks `now` (by thread now->tid whose clock is `vc`) against the history
 * and records it. Returns the earlier access it races with, or NULL. */
const hd_access *hd_race_check(hd_var_shadow *s, const hd_vc *vc, const hd_access *now);

#endif

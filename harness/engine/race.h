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

/* A vector clock. The components of the first HD_VC_INLINE threads are
 * inline, so that a program of a few threads copies and joins a few bytes;
 * the rest live in `hi` (HD_MAX_THREADS - HD_VC_INLINE components, in the
 * execution's scratch memory), NULL while they are all zero. A zeroed hd_vc
 * is the zero clock; copy one with hd_vc_copy, never by assignment (`hi`
 * would be shared). */
#define HD_VC_INLINE 64
typedef struct hd_vc {
  uint32_t c[HD_VC_INLINE];
  uint32_t *hi;
} hd_vc;

static inline uint32_t hd_vc_get(const hd_vc *v, int t) {
  return t < HD_VC_INLINE ? v->c[t] : v->hi ? v->hi[t - HD_VC_INLINE] : 0;
}
/* Sets component t (allocating `hi` when t needs it). */
void hd_vc_set(hd_vc *v, int t, uint32_t value);
static inline void hd_vc_tick(hd_vc *v, int t) {
  if (t < HD_VC_INLINE) v->c[t]++;
  else hd_vc_set(v, t, hd_vc_get(v, t) + 1);
}
/* dst = max(dst, src) over the first n components. */
void hd_vc_join(hd_vc *dst, const hd_vc *src, int n);
/* dst = src. */
void hd_vc_copy(hd_vc *dst, const hd_vc *src);

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

/* Shadow state of one shared variable. Invariant: reads[0 .. nreads) hold
 * the last read since the last write of each thread that read, one entry
 * per thread; `reads` is `first_reads` until more threads read (then it is
 * in the execution's scratch memory). A zeroed shadow is a fresh one. */
typedef struct hd_var_shadow {
  bool has_write;
  hd_access write;
  uint32_t nreads, cap;
  hd_access *reads;
  hd_access first_reads[2];
} hd_var_shadow;

/* Checks `now` (by thread now->tid whose clock is `vc`) against the history
 * and records it. Returns the earlier access it races with, or NULL. */
const hd_access *hd_race_check(hd_var_shadow *s, const hd_vc *vc, const hd_access *now);

#endif

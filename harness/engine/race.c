/* Vector clocks and the FastTrack-style access check. */
#include "harness/engine/race.h"

#include <string.h>

#include "harness/engine/memory.h"

static uint32_t *new_hi(void) { return hd__exec_scratch((HD_MAX_THREADS - HD_VC_INLINE) * sizeof(uint32_t)); }

void hd_vc_set(hd_vc *v, int t, uint32_t value) {
  if (t < HD_VC_INLINE) {
    v->c[t] = value;
    return;
  }
  if (!v->hi) v->hi = new_hi();
  v->hi[t - HD_VC_INLINE] = value;
}

void hd_vc_join(hd_vc *dst, const hd_vc *src, int n) {
  int inline_n = n < HD_VC_INLINE ? n : HD_VC_INLINE;
  for (int i = 0; i < inline_n; i++)
    if (src->c[i] > dst->c[i]) dst->c[i] = src->c[i];
  if (n <= HD_VC_INLINE || !src->hi) return;
  if (!dst->hi) dst->hi = new_hi();
  for (int i = 0; i < n - HD_VC_INLINE; i++)
    if (src->hi[i] > dst->hi[i]) dst->hi[i] = src->hi[i];
}

void hd_vc_copy(hd_vc *dst, const hd_vc *src) {
  memcpy(dst->c, src->c, sizeof dst->c);
  if (!src->hi) {
    dst->hi = NULL;
    return;
  }
  if (!dst->hi) dst->hi = new_hi();
  memcpy(dst->hi, src->hi, (HD_MAX_THREADS - HD_VC_INLINE) * sizeof(uint32_t));
}

/* The earlier access happened before the current point of a thread with clock vc. */
static bool ordered(const hd_access *earlier, const hd_vc *vc) { return earlier->epoch <= hd_vc_get(vc, earlier->tid); }

/* Records thread now->tid's read, replacing its previous one. */
static void note_read(hd_var_shadow *s, const hd_access *now) {
  if (!s->reads) {
    s->reads = s->first_reads;
    s->cap = sizeof s->first_reads / sizeof s->first_reads[0];
  }
  for (uint32_t i = 0; i < s->nreads; i++) {
    if (s->reads[i].tid == now->tid) {
      s->reads[i] = *now;
      return;
    }
  }
  if (s->nreads == s->cap) {
    hd_access *grown = hd__exec_scratch(2 * s->cap * sizeof *grown); /* the old array goes with the execution */
    memcpy(grown, s->reads, s->nreads * sizeof *grown);
    s->reads = grown;
    s->cap *= 2;
  }
  s->reads[s->nreads++] = *now;
}

const hd_access *hd_race_check(hd_var_shadow *s, const hd_vc *vc, const hd_access *now) {
  int self = now->tid;
  if (s->has_write && s->write.tid != self && !ordered(&s->write, vc)) return &s->write;
  if (now->is_write) {
    for (uint32_t i = 0; i < s->nreads; i++)
      if (s->reads[i].tid != self && !ordered(&s->reads[i], vc)) return &s->reads[i];
    /* No race: the write is ordered after every earlier access, so they can
     * be forgotten (FastTrack's write-epoch fast path). */
    s->write = *now;
    s->has_write = true;
    s->nreads = 0;
  } else {
    note_read(s, now);
  }
  return NULL;
}

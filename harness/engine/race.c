/* Vector clocks and the FastTrack-style access check. */
#include "harness/engine/race.h"

void hd_vc_join(hd_vc *dst, const hd_vc *src, int n) {
  for (int i = 0; i < n; i++)
    if (src->c[i] > dst->c[i]) dst->c[i] = src->c[i];
}

/* The earlier access happened before the current point of a thread with clock vc. */
static bool ordered(const hd_access *earlier, const hd_vc *vc) { return earlier->epoch <= vc->c[earlier->tid]; }

const hd_access *hd_race_check(hd_var_shadow *s, const hd_vc *vc, const hd_access *now) {
  int self = now->tid;
  if (s->has_write && s->write.tid != self && !ordered(&s->write, vc)) return &s->write;
  if (now->is_write) {
    for (uint64_t r = s->readers; r; r &= r - 1) {
      int t = __builtin_ctzll(r);
      if (t != self && !ordered(&s->reads[t], vc)) return &s->reads[t];
    }
    /* No race: the write is ordered after every earlier access, so they can
     * be forgotten (FastTrack's write-epoch fast path). */
    s->write = *now;
    s->has_write = true;
    s->readers = 0;
  } else {
    s->reads[self] = *now;
    s->readers |= 1ull << self;
  }
  return NULL;
}

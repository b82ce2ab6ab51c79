/* Sets of threads: a bit per thread id, up to HD_MAX_THREADS.
 *
 * Every operation takes the number of 64-bit words in use (hd_tset_words of
 * the thread count), so a program with a handful of threads pays for one
 * word, as when the sets were plain uint64_t masks, and a program with a
 * thousand threads for sixteen. Words past the count are never read. */
#ifndef HEDDLE_HARNESS_STRATEGIES_TSET_H
#define HEDDLE_HARNESS_STRATEGIES_TSET_H

#include <stdbool.h>
#include <stdint.h>

/* Threads an execution can have at once (alive or finished). */
#define HD_MAX_THREADS 1024
#define HD_TSET_WORDS (HD_MAX_THREADS / 64)

typedef struct hd_tset {
  uint64_t w[HD_TSET_WORDS];
} hd_tset;

static inline int hd_tset_words(int nthreads) { return nthreads <= 0 ? 1 : (nthreads + 63) >> 6; }
static inline bool hd_tset_has(const hd_tset *s, int t) { return s->w[t >> 6] >> (t & 63) & 1; }
static inline void hd_tset_add(hd_tset *s, int t) { s->w[t >> 6] |= 1ull << (t & 63); }
static inline void hd_tset_del(hd_tset *s, int t) { s->w[t >> 6] &= ~(1ull << (t & 63)); }
/* Loops rather than memset/memcpy/memcmp: with a size known only at run
 * time those are library calls, costlier than the one word they usually
 * move. */
static inline void hd_tset_clear(hd_tset *s, int nw) {
  for (int i = 0; i < nw; i++) s->w[i] = 0;
}
static inline void hd_tset_copy(hd_tset *dst, const hd_tset *src, int nw) {
  for (int i = 0; i < nw; i++) dst->w[i] = src->w[i];
}

static inline bool hd_tset_any(const hd_tset *s, int nw) {
  for (int i = 0; i < nw; i++)
    if (s->w[i]) return true;
  return false;
}

static inline unsigned hd_tset_count(const hd_tset *s, int nw) {
  unsigned n = 0;
  for (int i = 0; i < nw; i++) n += (unsigned)__builtin_popcountll(s->w[i]);
  return n;
}

/* The lowest member, or -1. */
static inline int hd_tset_first(const hd_tset *s, int nw) {
  for (int i = 0; i < nw; i++)
    if (s->w[i]) return i * 64 + __builtin_ctzll(s->w[i]);
  return -1;
}

/* The lowest member above `t`, or -1: for (t = first; t >= 0; t = next(t)). */
static inline int hd_tset_next(const hd_tset *s, int t, int nw) {
  int i = (t + 1) >> 6;
  if (i >= nw) return -1;
  uint64_t w = (t + 1) & 63 ? s->w[i] & (~0ull << ((t + 1) & 63)) : s->w[i];
  for (;;) {
    if (w) return i * 64 + __builtin_ctzll(w);
    if (++i >= nw) return -1;
    w = s->w[i];
  }
}

/* The index-th member (0-based) in increasing order, or -1. */
static inline int hd_tset_nth(const hd_tset *s, unsigned index, int nw) {
  for (int i = 0; i < nw; i++) {
    unsigned n = (unsigned)__builtin_popcountll(s->w[i]);
    if (index >= n) {
      index -= n;
      continue;
    }
    uint64_t w = s->w[i];
    while (index--) w &= w - 1;
    return i * 64 + __builtin_ctzll(w);
  }
  return -1;
}

/* out = a & b, a & ~b, a | b over nw words (out may alias either). */
static inline void hd_tset_and(hd_tset *out, const hd_tset *a, const hd_tset *b, int nw) {
  for (int i = 0; i < nw; i++) out->w[i] = a->w[i] & b->w[i];
}
static inline void hd_tset_andnot(hd_tset *out, const hd_tset *a, const hd_tset *b, int nw) {
  for (int i = 0; i < nw; i++) out->w[i] = a->w[i] & ~b->w[i];
}
static inline void hd_tset_or(hd_tset *out, const hd_tset *a, const hd_tset *b, int nw) {
  for (int i = 0; i < nw; i++) out->w[i] = a->w[i] | b->w[i];
}
static inline bool hd_tset_intersects(const hd_tset *a, const hd_tset *b, int nw) {
  for (int i = 0; i < nw; i++)
    if (a->w[i] & b->w[i]) return true;
  return false;
}
static inline bool hd_tset_equal(const hd_tset *a, const hd_tset *b, int nw) {
  for (int i = 0; i < nw; i++)
    if (a->w[i] != b->w[i]) return false;
  return true;
}

#endif

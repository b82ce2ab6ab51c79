/* Shrinking failing schedules by replaying candidates (harness/shrink.h).
 *
 * A run is seen as segments: "thread t was chosen at n decisions in a row"
 * (every decision counts, also those with one runnable thread), plus the
 * list of values drawn. A candidate is a list of segments and values, run
 * under a lenient ("guided") strategy: it runs the current segment's thread
 * while it can run and the segment has decisions left, skips a segment whose
 * thread cannot run, takes the non-preemptive default (keep running the
 * current thread, else the lowest runnable one) once the segments ran out,
 * and draws the listed values (0 when missing or out of range). The engine
 * records what the candidate run really did, so an accepted candidate's
 * schedule is exact and the strict replay strategy reproduces it.
 *
 * Passes, in the manner of shuttle's and QuickCheck's shrinkers (the failure
 * kind stays fixed, the size goes down), each repeated while it progresses:
 *   0. the default schedule: no preemption at all;
 *   1. fewer preemptions: for each segment that preempted the one before it,
 *      last first, either delay it until the interrupted thread's next
 *      segment has run (merging the two) or drop it (its thread runs later,
 *      by default);
 *   2. fewer steps: keep a prefix of the segments (half, three quarters, all
 *      but the last) and finish by default.
 * A candidate is kept when it fails with the same kind of bug and is smaller
 * in (preemptions, steps) order. */
#include "harness/shrink.h"

#include <stdlib.h>
#include <string.h>

#include "harness/strategies/strategy.h"

typedef struct segment {
  int tid;
  uint64_t count;
} segment;

/* A candidate or a recorded run. Invariant: counts are >= 1. */
typedef struct plan {
  segment *segs;
  size_t nsegs, cap_segs;
  uint64_t *values;
  size_t nvalues, cap_values;
} plan;

static bool push_seg(plan *p, int tid) {
  if (p->nsegs && p->segs[p->nsegs - 1].tid == tid) {
    p->segs[p->nsegs - 1].count++;
    return true;
  }
  if (p->nsegs == p->cap_segs) {
    size_t cap = p->cap_segs ? p->cap_segs * 2 : 64;
    segment *s = realloc(p->segs, cap * sizeof *s);
    if (!s) return false;
    p->segs = s;
    p->cap_segs = cap;
  }
  p->segs[p->nsegs++] = (segment){tid, 1};
  return true;
}

static bool push_value(plan *p, uint64_t v) {
  if (p->nvalues == p->cap_values) {
    size_t cap = p->cap_values ? p->cap_values * 2 : 16;
    uint64_t *n = realloc(p->values, cap * sizeof *n);
    if (!n) return false;
    p->values = n;
    p->cap_values = cap;
  }
  p->values[p->nvalues++] = v;
  return true;
}

static void plan_free(plan *p) {
  free(p->segs);
  free(p->values);
  memset(p, 0, sizeof *p);
}

static bool plan_copy(plan *dst, const plan *src) {
  dst->nsegs = dst->nvalues = 0;
  for (size_t i = 0; i < src->nsegs; i++) {
    if (!push_seg(dst, -1)) return false;
    dst->segs[dst->nsegs - 1] = src->segs[i];
  }
  for (size_t i = 0; i < src->nvalues; i++)
    if (!push_value(dst, src->values[i])) return false;
  return true;
}

/* The guided strategy's state: the candidate being followed, and the run
 * being recorded (segments, values, and which segments began with a
 * preemption). */
typedef struct guided {
  const plan *cand;
  size_t seg;
  uint64_t used; /* decisions used of cand->segs[seg] */
  size_t value;
  plan rec;
  bool *preempted; /* per recorded segment */
  size_t cap_preempted;
  bool failed;     /* out of memory */
  hd_strategy *inner; /* when set, it decides and the guided strategy only records */
} guided;

static bool guided_begin(void *self, uint64_t index) {
  guided *g = self;
  g->seg = 0;
  g->used = 0;
  g->value = 0;
  g->rec.nsegs = g->rec.nvalues = 0;
  g->failed = false;
  return index == 0;
}

static int guided_pick_thread(void *self, const hd_decision *d) {
  guided *g = self;
  bool cur_ok = d->current >= 0 && hd_tset_has(d->runnable, d->current);
  int pick = g->inner ? g->inner->ops->pick_thread(g->inner->self, d) : -1;
  if (pick < 0 && g->inner) return -1;
  while (!g->inner && g->seg < g->cand->nsegs && pick < 0) {
    const segment *s = &g->cand->segs[g->seg];
    if (g->used < s->count && s->tid >= 0 && s->tid < d->nthreads && hd_tset_has(d->runnable, s->tid)) {
      pick = s->tid;
      if (++g->used == s->count) g->seg++, g->used = 0;
    } else {
      g->seg++;
      g->used = 0;
    }
  }
  if (pick < 0) pick = cur_ok ? d->current : hd_tset_first(d->runnable, hd_tset_words(d->nthreads));
  size_t before = g->rec.nsegs;
  if (!push_seg(&g->rec, pick)) g->failed = true;
  if (g->rec.nsegs > before) {
    if (g->rec.nsegs > g->cap_preempted) {
      size_t cap = g->cap_preempted ? g->cap_preempted * 2 : 64;
      bool *p = realloc(g->preempted, cap * sizeof *p);
      if (!p) {
        g->failed = true;
        return pick;
      }
      g->preempted = p;
      g->cap_preempted = cap;
    }
    g->preempted[g->rec.nsegs - 1] = cur_ok && pick != d->current;
  }
  return pick;
}

static uint64_t guided_pick_value(void *self, uint64_t bound) {
  guided *g = self;
  uint64_t v = 0;
  if (g->inner) {
    v = g->inner->ops->pick_value(g->inner->self, bound);
    if (v >= bound) return v;
  } else if (g->value < g->cand->nvalues && g->cand->values[g->value] < bound) {
    v = g->cand->values[g->value];
  }
  g->value++;
  if (!push_value(&g->rec, v)) g->failed = true;
  return v;
}

static void guided_end(void *self, const hd_outcome *o) { (void)self, (void)o; }
static const char *guided_summary(void *self) { (void)self; return NULL; }
static void guided_destroy(void *self) { (void)self; }

static const hd_strategy_ops guided_ops = {
    .name = "shrink",
    .begin = guided_begin,
    .pick_thread = guided_pick_thread,
    .pick_value = guided_pick_value,
    .end = guided_end,
    .summary = guided_summary,
    .destroy = guided_destroy,
};

/* The smallest failing run so far. */
typedef struct best {
  plan plan;
  bool *preempted;
  hd_schedule schedule;
  unsigned preemptions;
  uint64_t steps;
} best;

/* Runs `cand`; on a same-kind failure smaller than *b, makes it *b. */
static bool try_candidate(const hd_exec_config *base, hd_exec *x, hd_bug_kind kind, const plan *cand, guided *g,
                          best *b, unsigned *budget) {
  if (*budget == 0) return false;
  (*budget)--;
  hd_strategy s = {.ops = &guided_ops, .self = g};
  g->cand = cand;
  guided_begin(g, 0);
  hd_exec_config cfg = *base;
  cfg.strategy = &s;
  cfg.record_trace = false;
  const hd_exec_result *e;
  hd_exec_status status = hd_exec_run(x, &cfg, &e);
  if (g->failed || status != HD_EXEC_BUG || e->bug != kind) return false;
  if (!(e->preemptions < b->preemptions || (e->preemptions == b->preemptions && e->steps < b->steps))) return false;
  bool *flags = malloc((g->rec.nsegs ? g->rec.nsegs : 1) * sizeof *flags);
  plan copy = {0};
  hd_schedule sched = {0};
  if (!flags || !plan_copy(&copy, &g->rec) || !hd_schedule_copy(&sched, e->schedule)) {
    free(flags);
    plan_free(&copy);
    hd_schedule_free(&sched);
    return false;
  }
  if (g->rec.nsegs) memcpy(flags, g->preempted, g->rec.nsegs * sizeof *flags); /* preempted is NULL when empty */
  plan_free(&b->plan);
  free(b->preempted);
  hd_schedule_free(&b->schedule);
  b->plan = copy;
  b->preempted = flags;
  b->schedule = sched;
  b->preemptions = e->preemptions;
  b->steps = e->steps;
  return true;
}

/* Pass 1's candidates for the preempting segment i (i >= 1): `merge` delays
 * it past the interrupted thread's next segment; otherwise it is dropped. */
static bool make_candidate(const plan *from, size_t i, bool merge, plan *out) {
  out->nsegs = 0;
  int interrupted = from->segs[i - 1].tid;
  size_t next = 0;
  if (merge) {
    for (size_t j = i + 1; j < from->nsegs && !next; j++)
      if (from->segs[j].tid == interrupted) next = j;
    if (!next) return false;
  }
  for (size_t j = 0; j < from->nsegs; j++) {
    if (j == i && !merge) continue;
    if (merge && j == next) continue;
    segment s = from->segs[j];
    if (merge && j == i - 1) s.count += from->segs[next].count;
    if (out->nsegs == out->cap_segs) {
      size_t cap = out->cap_segs ? out->cap_segs * 2 : 64;
      segment *p = realloc(out->segs, cap * sizeof *p);
      if (!p) return false;
      out->segs = p;
      out->cap_segs = cap;
    }
    out->segs[out->nsegs++] = s;
  }
  out->nvalues = 0;
  for (size_t j = 0; j < from->nvalues; j++)
    if (!push_value(out, from->values[j])) return false;
  return true;
}

bool hd__shrink(const hd_exec_config *base, hd_exec *x, hd_bug_kind kind, hd_schedule *schedule, unsigned budget) {
  guided g = {0};
  best b = {.preemptions = UINT32_MAX, .steps = UINT64_MAX};
  /* Record the original as segments: follow it with the strict replay,
   * whose choices the guided strategy then reproduces. */
  plan cand = {0};
  unsigned start_preemptions = UINT32_MAX;
  uint64_t start_steps = UINT64_MAX;
  /* The original, replayed strictly and recorded as segments: the baseline. */
  hd_strategy replay;
  if (!hd_strategy_replay(&replay, schedule)) goto out;
  replay.ops->begin(replay.self, 0);
  g.inner = &replay;
  if (try_candidate(base, x, kind, &cand, &g, &b, &budget)) {
    start_preemptions = b.preemptions;
    start_steps = b.steps;
  }
  g.inner = NULL;
  replay.ops->destroy(replay.self);
  if (start_preemptions == UINT32_MAX) goto out;
  /* Pass 0: no preemption at all. */
  cand.nsegs = cand.nvalues = 0;
  try_candidate(base, x, kind, &cand, &g, &b, &budget);
  /* Pass 1: fewer preemptions. */
  for (bool progress = b.plan.nsegs > 0; progress && budget && b.preemptions > 0;) {
    progress = false;
    for (size_t i = b.plan.nsegs; i-- > 1 && !progress && budget;) {
      if (!b.preempted[i]) continue;
      for (int merge = 1; merge >= 0 && !progress; merge--) {
        if (!make_candidate(&b.plan, i, merge, &cand)) continue;
        progress = try_candidate(base, x, kind, &cand, &g, &b, &budget);
      }
    }
  }
  /* Pass 2: fewer steps. */
  for (bool progress = b.plan.nsegs > 0; progress && budget;) {
    progress = false;
    size_t n = b.plan.nsegs;
    size_t cuts[3] = {n / 2, n * 3 / 4, n ? n - 1 : 0};
    for (int c = 0; c < 3 && !progress && budget; c++) {
      if (cuts[c] >= n || !plan_copy(&cand, &b.plan)) continue;
      cand.nsegs = cuts[c];
      progress = try_candidate(base, x, kind, &cand, &g, &b, &budget);
    }
  }
out:;
  bool shrunk = b.preemptions != UINT32_MAX &&
                (b.preemptions < start_preemptions || (b.preemptions == start_preemptions && b.steps < start_steps));
  if (shrunk) {
    hd_schedule_free(schedule);
    *schedule = b.schedule;
    b.schedule = (hd_schedule){0};
  }
  hd_schedule_free(&b.schedule);
  plan_free(&b.plan);
  free(b.preempted);
  plan_free(&cand);
  plan_free(&g.rec);
  free(g.preempted);
  return shrunk;
}

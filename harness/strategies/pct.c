/* The PCT strategy: probabilistic concurrency testing with bug depth d.
 *
 * Burckhardt, Kothari, Musuvathi and Nagarakatte, "A Randomized Scheduler
 * with Probabilistic Guarantees of Finding Bugs", ASPLOS 2010. Each thread
 * gets a distinct random priority >= d; d-1 priority change points are drawn
 * uniformly from the steps [1, k]; at the i-th change point the thread that is
 * about to run drops to priority i-1, below every initial priority; at every
 * step the highest-priority runnable thread runs. For a program with n
 * threads and k steps, one execution finds a given bug of depth d with
 * probability at least 1/(n * k^(d-1)). The bound needs every choice above to
 * follow the paper, so nothing here is "improved":
 *   - a thread created during the execution gets a random priority slot at
 *     creation (the paper's handling of dynamic thread creation), i.e. a
 *     uniformly random rank among the threads that still hold an initial
 *     priority; we draw 62 random bits offset by d, which gives exactly that
 *     (ties, probability 2^-62, go to the lower thread id);
 *   - k is the step count of the program. Execution 0 is the calibration
 *     run: it uses the default estimate min(step limit, 1000) steps (the
 *     caller passes it); every later execution uses the number of switch
 *     points execution 0 actually took (at least 1). Fixing k after execution
 *     0, instead of taking the running maximum, makes execution i's schedule
 *     a function of (seed, i, steps of execution 0) alone, so --jobs workers
 *     and Bazel shards reproduce exactly the schedules of a single run. An
 *     execution that __VERIFIER_assume pruned says nothing about the length:
 *     the calibration run is then the first one (of the first
 *     HD_PCT_CALIBRATION_TRIES) that was not pruned, and the executions up to
 *     it use the default;
 *   - steps are the engine's switch points (hd_decision.step + 1), counted
 *     whether or not several threads could run, as the paper counts every
 *     executed step.
 * Data choices (hd_random_below) are uniform from the same per-execution
 * stream. All randomness comes from hd_splitmix64 seeded with (seed, index). */
#include <stdlib.h>

#include "harness/strategies/strategy.h"

#define PCT_MAX_DEPTH 64

/* Invariants: prio[t] is meaningful for t < known; initial priorities are
 * >= depth, lowered ones are change-point index - 1 < depth - 1; change[]
 * holds `nchange` distinct steps in [1, k] sorted ascending. */
typedef struct pct_state {
  uint64_t seed;
  unsigned depth;
  uint64_t default_k;
  uint64_t calibrated_k; /* 0 until the calibration execution ended */
  uint64_t calibrated_at; /* its index */
  uint64_t k;            /* this execution's estimate */
  uint64_t rng;
  int known;             /* threads that have a priority */
  uint64_t prio[HD_MAX_THREADS];
  uint64_t change[PCT_MAX_DEPTH];
  unsigned nchange;
  unsigned next_change;
  uint64_t index;
} pct_state;

static bool pct_begin(void *self, uint64_t index) {
  pct_state *s = self;
  uint64_t mix = s->seed ^ (index * 0xd1b54a32d192ed03u) ^ 0x5043545043545043u; /* "PCTPCT" */
  s->rng = hd_splitmix64(&mix);
  s->index = index;
  s->k = s->calibrated_k && index > s->calibrated_at ? s->calibrated_k : s->default_k;
  if (s->k < 1) s->k = 1;
  s->known = 0;
  /* d-1 distinct change points uniform over [1, k] (fewer when k < d-1). */
  unsigned want = s->depth - 1;
  if (want > s->k) want = (unsigned)s->k;
  s->nchange = 0;
  while (s->nchange < want) {
    uint64_t c = 1 + hd_random_below_state(&s->rng, s->k);
    bool dup = false;
    for (unsigned i = 0; i < s->nchange; i++) dup |= s->change[i] == c;
    if (!dup) s->change[s->nchange++] = c;
  }
  s->next_change = 0;
  return true;
}

/* The change points in drawing order are the i = 1..d-1 of the paper: the
 * i-th point lowers to i-1. We keep them in drawing order and scan. */
static int change_index(const pct_state *s, uint64_t step) {
  for (unsigned i = 0; i < s->nchange; i++)
    if (s->change[i] == step) return (int)i + 1;
  return 0;
}

static int highest(const pct_state *s, const hd_tset *runnable, int nthreads) {
  int best = -1, nw = hd_tset_words(nthreads);
  for (int t = hd_tset_first(runnable, nw); t >= 0; t = hd_tset_next(runnable, t, nw))
    if (best < 0 || s->prio[t] > s->prio[best]) best = t;
  return best;
}

static int pct_pick_thread(void *self, const hd_decision *d) {
  pct_state *s = self;
  /* New threads: a random slot among the initial priorities. */
  while (s->known < d->nthreads) s->prio[s->known++] = s->depth + (hd_splitmix64(&s->rng) >> 2);
  if (d->respawned1) s->prio[d->respawned1 - 1] = s->depth + (hd_splitmix64(&s->rng) >> 2); /* a new thread */
  int t = highest(s, d->runnable, d->nthreads);
  int i = change_index(s, d->step + 1);
  if (i > 0) {
    s->prio[t] = (uint64_t)(i - 1);
    t = highest(s, d->runnable, d->nthreads);
  }
  return t;
}

static uint64_t pct_pick_value(void *self, uint64_t bound) {
  pct_state *s = self;
  return hd_random_below_state(&s->rng, bound);
}

static void pct_end(void *self, const hd_outcome *o) {
  pct_state *s = self;
  if (s->calibrated_k || o->pruned || s->index >= HD_PCT_CALIBRATION_TRIES) return;
  s->calibrated_k = o->steps ? o->steps : 1;
  s->calibrated_at = s->index;
}

static const char *pct_summary(void *self) { (void)self; return NULL; }
static void pct_destroy(void *self) { free(self); }

static const hd_strategy_ops pct_ops = {
    .name = "pct",
    .begin = pct_begin,
    .pick_thread = pct_pick_thread,
    .pick_value = pct_pick_value,
    .end = pct_end,
    .summary = pct_summary,
    .destroy = pct_destroy,
};

bool hd_strategy_pct(hd_strategy *out, uint64_t seed, unsigned depth, uint64_t default_k, uint64_t calibrated_k) {
  if (depth < 1 || depth > PCT_MAX_DEPTH) return false;
  pct_state *s = calloc(1, sizeof *s);
  if (!s) return false;
  s->seed = seed;
  s->depth = depth;
  s->default_k = default_k ? default_k : 1;
  s->calibrated_k = calibrated_k;
  out->ops = &pct_ops;
  out->self = s;
  return true;
}

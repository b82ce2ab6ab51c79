/* The random strategy: at every switch point, a uniformly random runnable
 * thread; every data draw uniformly random. Simple, unbiased per step, and
 * fast; PCT (strategies/pct.c) is better at deep ordering bugs. */
#include <stdlib.h>

#include "harness/strategies/strategy.h"

typedef struct random_state {
  uint64_t seed;
  uint64_t rng;
} random_state;

uint64_t hd_random_below_state(uint64_t *state, uint64_t bound) {
  if (bound <= 1) return 0;
  /* Rejection: drop the top partial bucket so every value is equally likely. */
  uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
  uint64_t r;
  do r = hd_splitmix64(state);
  while (r >= limit);
  return r % bound;
}

static bool random_begin(void *self, uint64_t index) {
  random_state *s = self;
  /* Derive execution i's stream from (seed, i) alone. */
  uint64_t mix = s->seed ^ (index * 0xd1b54a32d192ed03u);
  s->rng = hd_splitmix64(&mix);
  return true;
}

static int random_pick_thread(void *self, const hd_decision *d) {
  random_state *s = self;
  int nw = hd_tset_words(d->nthreads);
  if (d->nrunnable == 1) return hd_tset_first(d->runnable, nw);
  return hd_tset_nth(d->runnable, (unsigned)hd_random_below_state(&s->rng, d->nrunnable), nw);
}

static uint64_t random_pick_value(void *self, uint64_t bound) {
  random_state *s = self;
  return hd_random_below_state(&s->rng, bound);
}

static void random_end(void *self, const hd_outcome *o) { (void)self, (void)o; }
static const char *random_summary(void *self) { (void)self; return NULL; }
static void random_destroy(void *self) { free(self); }

static const hd_strategy_ops random_ops = {
    .name = "random",
    .begin = random_begin,
    .pick_thread = random_pick_thread,
    .pick_value = random_pick_value,
    .end = random_end,
    .summary = random_summary,
    .destroy = random_destroy,
};

bool hd_strategy_random(hd_strategy *out, uint64_t seed) {
  random_state *s = calloc(1, sizeof *s);
  if (!s) return false;
  s->seed = seed;
  out->ops = &random_ops;
  out->self = s;
  return true;
}

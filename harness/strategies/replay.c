/* The replay strategy: follows a recorded schedule choice by choice. A choice
 * that names a thread that cannot run, a value out of range, or running out
 * of choices while threads still compete means the test did not behave the
 * same way twice (or the token belongs to another program): it gives up. */
#include <stdlib.h>

#include "harness/strategies/strategy.h"

typedef struct replay_state {
  hd_schedule schedule;
  size_t next;
} replay_state;

static bool replay_begin(void *self, uint64_t index) {
  replay_state *s = self;
  s->next = 0;
  return index == 0; /* one execution */
}

static int replay_pick_thread(void *self, const hd_decision *d) {
  replay_state *s = self;
  if (d->nrunnable == 1) return hd_tset_first(d->runnable, hd_tset_words(d->nthreads));
  if (s->next >= s->schedule.len) return -1;
  hd_choice c = s->schedule.items[s->next++];
  if (c.is_value || c.value >= (uint64_t)d->nthreads || !hd_tset_has(d->runnable, (int)c.value)) return -1;
  return (int)c.value;
}

static uint64_t replay_pick_value(void *self, uint64_t bound) {
  replay_state *s = self;
  if (s->next >= s->schedule.len) return UINT64_MAX;
  hd_choice c = s->schedule.items[s->next++];
  if (!c.is_value || c.value >= bound) return UINT64_MAX;
  return c.value;
}

static void replay_end(void *self, const hd_outcome *o) { (void)self, (void)o; }
static const char *replay_summary(void *self) { (void)self; return NULL; }

static void replay_destroy(void *self) {
  replay_state *s = self;
  hd_schedule_free(&s->schedule);
  free(s);
}

size_t hd_strategy_replay_unused(const hd_strategy *s) {
  const replay_state *r = s->self;
  return r->schedule.len - r->next;
}

static const hd_strategy_ops replay_ops = {
    .name = "replay",
    .begin = replay_begin,
    .pick_thread = replay_pick_thread,
    .pick_value = replay_pick_value,
    .end = replay_end,
    .summary = replay_summary,
    .destroy = replay_destroy,
};

bool hd_strategy_replay(hd_strategy *out, const hd_schedule *schedule) {
  replay_state *s = calloc(1, sizeof *s);
  if (!s || !hd_schedule_copy(&s->schedule, schedule)) {
    free(s);
    return false;
  }
  out->ops = &replay_ops;
  out->self = s;
  return true;
}

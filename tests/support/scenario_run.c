/* Shared helpers of the deterministic-only scenario tests (see
 * scenario_run.h). */
#include "tests/support/scenario_run.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "scenarios/scenario.h"

hd_test hd_scenario_test(const char *name) {
  const hd_scenario *s = hd_scenario_find(name);
  if (!s) fail_msg("no scenario %s", name);
  return (hd_test){.name = s->name, .body = s->body, .check = s->check};
}

hd_result hd_explore_or_fail(const hd_test *t, const hd_options *o) {
  hd_result r;
  hd_explore_status status = hd_explore(t, o, &r);
  if (status != HD_EXPLORE_RAN) fail_msg("%s: hd_explore returned %d: %s", t->name, (int)status, r.error);
  return r;
}

hd_result hd_explore_whole_tree(const hd_test *t, const char *strategy, bool symmetry, int mode) {
  hd_options o;
  hd_options_default(&o);
  o.isolate = false;
  o.strategy = strategy;
  o.symmetry = symmetry;
  o.optimal = mode == HD_TREE_OPTIMAL;
  o.reads_from = mode == HD_TREE_READS_FROM;
  o.sections = mode == HD_TREE_SECTIONS;
  o.detect_races = false;
  o.executions = 2000000;
  hd_result r = hd_explore_or_fail(t, &o);
  if (r.bug_found || !r.complete)
    fail_msg("%s under %s: %s after %llu executions", t->name, strategy, r.bug_found ? r.message : "not complete",
             (unsigned long long)r.executions);
  return r;
}

void hd_expect_every_bug_found(const hd_options *o, const char *what) {
  for (size_t i = 0; i < hd_scenario_count(); i++) {
    const hd_scenario *s = hd_scenario_at(i);
    if (s->expect != HD_EXPECT_BUG) continue;
    hd_test t = {.name = s->name, .body = s->body, .check = s->check};
    hd_options mine = *o;
    mine.isolate = false;
    hd_result r = hd_explore_or_fail(&t, &mine);
    if (!r.bug_found || !(s->bug_kinds & HD_KIND(r.kind)))
      fail_msg("%s did not find %s's bug (%llu executions)", what, s->name, (unsigned long long)r.executions);
    hd_result_free(&r);
  }
}

/* The sequential strategy's ops: no state, one execution. */
static bool seq_begin(void *self, uint64_t index) { return (void)self, index == 0; }
static int seq_pick(void *self, const hd_decision *d) {
  (void)self;
  if (hd_tset_has(d->runnable, d->current)) return d->current;
  return hd_tset_first(d->runnable, hd_tset_words(d->nthreads));
}
static uint64_t seq_value(void *self, uint64_t bound) { return (void)self, (void)bound, 0; }
static void seq_end(void *self, const hd_outcome *o) { (void)self, (void)o; }
static const char *seq_summary(void *self) { return (void)self, NULL; }
static void seq_destroy(void *self) { (void)self; }
/* Named fields: a positional list silently shifted when pick_data was added. */
static const hd_strategy_ops seq_ops = {.name = "sequential",
                                        .begin = seq_begin,
                                        .pick_thread = seq_pick,
                                        .pick_value = seq_value,
                                        .pick_data = seq_value,
                                        .end = seq_end,
                                        .summary = seq_summary,
                                        .destroy = seq_destroy};

hd_strategy hd_sequential_strategy(void) { return (hd_strategy){&seq_ops, NULL}; }

/* The one table of strategies (table.h). */
#include "harness/strategies/table.h"

#include <stdio.h>
#include <string.h>

static bool make_random(hd_strategy *out, const hd_strategy_params *p) { return hd_strategy_random(out, p->seed); }

static bool make_pct(hd_strategy *out, const hd_strategy_params *p) {
  /* The first (calibration) execution's step estimate, capped by the step limit. */
  uint64_t k = p->step_limit && p->step_limit < HD_PCT_DEFAULT_STEPS ? p->step_limit : HD_PCT_DEFAULT_STEPS;
  return hd_strategy_pct(out, p->seed, p->depth, k, 0);
}

static bool make_dfs_tree(hd_strategy *out, const hd_strategy_params *p, bool reduction) {
  if (p->ways > 1) return hd_strategy_dfs_split(out, reduction, p->preemptions, p->ways, p->share);
  return hd_strategy_dfs(out, reduction, p->preemptions);
}

static bool make_dfs(hd_strategy *out, const hd_strategy_params *p) {
  if (p->reads_from) return hd_strategy_reads_from(out);
  if (!make_dfs_tree(out, p, p->reduction)) return false;
  if (p->symmetry) hd_strategy_dfs_symmetry(out);
  if (p->optimal) hd_strategy_dfs_optimal(out);
  if (p->sections) hd_strategy_dfs_sections(out);
  return true;
}
static bool make_dfs_naive(hd_strategy *out, const hd_strategy_params *p) { return make_dfs_tree(out, p, false); }
static bool make_bounded(hd_strategy *out, const hd_strategy_params *p) {
  (void)p;
  return hd_strategy_bounded(out);
}
static bool make_replay(hd_strategy *out, const hd_strategy_params *p) {
  return p->schedule && hd_strategy_replay(out, p->schedule);
}

static const hd_strategy_kind kinds[] = {
    {"random", "uniformly random choices from a seed", make_random, false, true, true, false, HD_SPLIT_BY_INDEX,
     HD_TAKES_SEED | HD_TAKES_SHRINK | HD_TAKES_FIRST_EXECUTION},
    {"pct", "probabilistic concurrency testing (priorities and d-1 change points)", make_pct, false, true, true, true,
     HD_SPLIT_BY_INDEX, HD_TAKES_SEED | HD_TAKES_DEPTH | HD_TAKES_SHRINK | HD_TAKES_FIRST_EXECUTION},
    {"dfs", "exhaustive depth-first search with source-DPOR and sleep sets", make_dfs, true, false, true, false,
     HD_SPLIT_BY_BRANCH, HD_TAKES_PREEMPTIONS | HD_TAKES_REDUCTION | HD_TAKES_SYMMETRY | HD_TAKES_OPTIMAL |
         HD_TAKES_READS_FROM | HD_TAKES_SECTIONS},
    {"dfs-naive", "exhaustive depth-first search over every interleaving", make_dfs_naive, true, false, true, false,
     HD_SPLIT_BY_BRANCH, HD_TAKES_PREEMPTIONS},
    {"bounded", "iterative preemption bounding: dfs with 0, 1, 2, ... preemptions", make_bounded, true, false, true, false,
     HD_SPLIT_NONE, 0},
    {"replay", "one schedule from a token", make_replay, false, false, false, false, HD_SPLIT_NONE, 0},
};

const hd_strategy_kind *hd_strategy_find(const char *name) {
  if (!name) return NULL;
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
    if (strcmp(kinds[i].name, name) == 0) return &kinds[i];
  return NULL;
}

const hd_strategy_kind *hd_strategy_at(size_t i) { return i < sizeof kinds / sizeof kinds[0] ? &kinds[i] : NULL; }

const char *hd_strategy_names(void) {
  static char names[128];
  if (!names[0]) {
    size_t n = 0;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
      if (kinds[i].explorable) n += (size_t)snprintf(names + n, sizeof names - n, "%s%s", n ? ", " : "", kinds[i].name);
  }
  return names;
}

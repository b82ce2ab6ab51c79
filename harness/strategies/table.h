/* The strategies by name: one table, read in one place.
 *
 * Every consumer that used to compare strategy names (the explorer, the
 * parallel workers, the CLI's option checks, the reports, the benchmarks)
 * asks this table instead: which strategy a name means, how to build it, and
 * what it can do (finish a search, be shrunk, be split over workers, which
 * options it reads). Adding a strategy is one row here and one file beside
 * it. */
#ifndef HEDDLE_HARNESS_STRATEGIES_TABLE_H
#define HEDDLE_HARNESS_STRATEGIES_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harness/engine/schedule.h"
#include "harness/strategies/strategy.h"

/* How a strategy's search is dealt out over worker processes (--jobs) and
 * Bazel shards. */
typedef enum hd_split {
  HD_SPLIT_NONE,      /* one process only (replay; bounded iterates rounds from the root) */
  HD_SPLIT_BY_INDEX,  /* execution i depends only on (seed, i): worker w takes i = w, w + N, ... */
  HD_SPLIT_BY_BRANCH, /* a tree search: workers take disjoint parts of the tree */
} hd_split;

/* Options a strategy reads; giving one it does not read is a usage error. */
enum {
  HD_TAKES_SEED = 1u << 0,
  HD_TAKES_DEPTH = 1u << 1,
  HD_TAKES_PREEMPTIONS = 1u << 2,
  HD_TAKES_REDUCTION = 1u << 3,
  HD_TAKES_SHRINK = 1u << 4,
  HD_TAKES_FIRST_EXECUTION = 1u << 5,
  HD_TAKES_SYMMETRY = 1u << 6,
  HD_TAKES_OPTIMAL = 1u << 7,
  HD_TAKES_READS_FROM = 1u << 8,
  HD_TAKES_SECTIONS = 1u << 9,
};

/* Everything a constructor may need. `schedule` is for replay only. */
typedef struct hd_strategy_params {
  uint64_t seed;
  unsigned depth;
  uint64_t step_limit;
  int64_t preemptions;
  bool reduction;
  bool symmetry; /* dfs: twins not started yet are one branch */
  bool optimal;  /* dfs: wakeup trees (optimal DPOR) */
  bool sections; /* dfs: critical sections as transactions */
  bool reads_from; /* dfs: reads-from equivalence (readsfrom.c) */
  const hd_schedule *schedule;
  unsigned ways, share; /* this process explores share `share` of `ways` (1 and 0: everything) */
} hd_strategy_params;

typedef struct hd_strategy_kind {
  const char *name;
  const char *about;  /* one line for --help */
  bool (*make)(hd_strategy *out, const hd_strategy_params *p);
  bool systematic;    /* can run out of schedules: its runs end complete or stopped by a bound */
  bool shrinkable;    /* a failing schedule is shrunk before it is reported */
  bool explorable;    /* selectable with --strategy (replay is reached through a token) */
  bool calibrates;    /* later executions depend on execution 0 (PCT's step estimate): a share
                         that does not own execution 0 reruns it first */
  hd_split split;
  unsigned takes;     /* HD_TAKES_* */
} hd_strategy_kind;

/* The row named `name`, or NULL. */
const hd_strategy_kind *hd_strategy_find(const char *name);
/* Row i (0-based), NULL past the end: for listing. */
const hd_strategy_kind *hd_strategy_at(size_t i);
/* "random, pct, dfs, ..." : the explorable names, for messages. */
const char *hd_strategy_names(void);

#endif

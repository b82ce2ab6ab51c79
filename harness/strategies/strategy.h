/* The strategy interface: who runs next, and which value a random draw gets.
 *
 * Like shuttle's Scheduler, a strategy sees every switch point: the set of
 * runnable threads, the thread that reached the point, and every thread's
 * pending operation (object and kind), which partial-order reduction needs.
 * It never sees time, addresses or anything outside this struct, so an
 * exploration is a pure function of the strategy's own state. One file per
 * strategy; each exports a constructor that fills an hd_strategy. */
#ifndef HEDDLE_HARNESS_STRATEGIES_STRATEGY_H
#define HEDDLE_HARNESS_STRATEGIES_STRATEGY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "harness/engine/schedule.h"
#include "harness/strategies/tset.h"
#include "primitives/backend.h"

/* PCT's step estimate for its first (calibration) execution, capped by the step limit. */
#define HD_PCT_DEFAULT_STEPS 1000u
/* PCT calibrates on the first execution, among the first this many, that
 * was not pruned (__VERIFIER_assume): a pruned one's length says nothing. */
#define HD_PCT_CALIBRATION_TRIES 1000u

/* The object of the end of the program (main's HD_OP_END): every
 * operation of every other thread conflicts with it, because ending the
 * program abandons them (a daemon thread that was about to fail never
 * does). */
#define HD_OBJ_ALL UINT32_MAX

/* A thread's next visible operation. `obj_id` is 0 for yield and sleep. */
/* Locks a thread may hold for hd_pending.guard to name its latest. */
#define HD_GUARDS 8

typedef struct hd_pending {
  uint32_t obj_id;
  hd_op_kind op;
  const char *file;
  int line;
  /* 1 + the decision (hd_decision.step) that chose another thread for the
   * step in which that thread last touched this memory while it was still
   * private to it (engine/memory.c), or 0. The operation conflicts with that
   * step too: it is the first access of a second thread, and the first
   * thread's accesses were not switch points. */
  uint64_t conflict_step1;
  /* For a thread not started yet (op HD_OP_START): its twin class, equal
   * for threads spawned one right after another with the same function and
   * argument (the engine compares the pointers for equality only), 0 for
   * none. Until they run, such threads are interchangeable (dfs's
   * symmetry reduction). */
  uint32_t twin_class;
  /* Also for a thread not started yet: the end of the program may abandon
   * it before it finishes (a daemon, any thread of a C program, where
   * exit() ends them all; main, conservatively). */
  bool abandonable;
  /* Also for a thread not started yet: nothing reads what it wrote once the
   * program has ended (a C program, whose check reads only its exit
   * status), so the end coming in the middle of its critical section is
   * the end coming before it (dfs's sections). */
  bool end_unread;
  /* The thread holds the object (it is its holder: a lock it acquired, a
   * thread object that is the thread itself): no other thread's blocking
   * acquire or join of it completes before this operation. */
  bool holds;
  /* The lock the thread took last of those it holds now (a Lock, an RLock,
   * a pthread mutex or spin lock: hd__guard), 0 for none or when it holds
   * more than HD_GUARDS (8): dfs's critical sections (dfs.c, "sections"). */
  uint32_t guard;
} hd_pending;

/* One scheduling decision. Invariant: `runnable` is not empty; thread t can
 * run when it is a member; `current` may be blocked or finished (then it is
 * not in `runnable` and any choice is a switch, not a preemption). Only the
 * first hd_tset_words(nthreads) words of `runnable` are meaningful. */
typedef struct hd_decision {
  const hd_tset *runnable;
  unsigned nrunnable;        /* members of `runnable` */
  int respawned1;            /* 1 + the id of a thread that took over a finished, joined thread's slot
                                since the last decision (its earlier life happens before it), or 0 */
  /* The virtual clock moved to a deadline just before this decision: no
   * thread could run, and the runnable ones are those whose sleep or timed
   * wait it ended. Everything every thread did so far happened before
   * their wake-up (dfs's happens-before uses it). */
  bool time_advanced;
  /* The step since the previous decision touched memory without a switch
   * point (instrumented code, memory private to its thread so far:
   * engine/memory.h), so it may conflict with a later step even if its
   * operation was on no object (hd_pending.conflict_step1 tells when). */
  bool hidden_step;
  int current;
  int nthreads;
  const hd_pending *pending; /* indexed by thread id, nthreads entries */
  uint64_t step;             /* 0-based index of this decision in the execution */
} hd_decision;

/* How an execution ended, for strategies that learn from it. */
typedef struct hd_outcome {
  hd_bug_kind bug;    /* HD_BUG_NONE when it passed */
  uint64_t steps;
  const hd_schedule *schedule;
  bool pruned;        /* ended early by __VERIFIER_assume (harness/posix): not a whole run */
  /* The objects whose values code between switch points read (the check:
   * hd_shared_peek), each once, in order; `peeks_lost` when more than the
   * engine keeps. */
  const uint32_t *peeked;
  size_t npeeked;
  bool peeks_lost;
} hd_outcome;

typedef struct hd_strategy_ops {
  const char *name;
  /* Prepares execution number `index` (0-based). False: nothing left to run. */
  bool (*begin)(void *self, uint64_t index);
  /* A thread id whose bit is set in d->runnable; -1 to give up (replay
   * diverged), which ends the execution. */
  int (*pick_thread)(void *self, const hd_decision *d);
  /* A value in [0, bound); bound >= 1. UINT64_MAX to give up. */
  uint64_t (*pick_value)(void *self, uint64_t bound);
  /* Optional: a value in [0, bound) for data the program only passes along
   * (hd_random_data), not a branch of the search; NULL: pick_value. */
  uint64_t (*pick_data)(void *self, uint64_t bound);
  void (*end)(void *self, const hd_outcome *outcome);
  /* A one-line description of how the search ended, or NULL. */
  const char *(*summary)(void *self);
  /* Optional: the last execution explored nothing new (hd_strategy_uncounted). */
  bool (*uncounted)(void *self);
  /* Optional: what share of the search is done, estimated (hd_strategy_coverage). */
  double (*coverage)(void *self);
  /* Optional, for a search that speculates with helper processes (--jobs):
   * what hd_strategy_dfs_helpers, _budget and _absorbed do for it. */
  void (*helpers)(void *self, unsigned helpers, int (*runner)(void *ctx), void *ctx, double watchdog);
  void (*budget)(void *self, uint64_t left);
  void (*absorbed)(void *self, uint64_t *counted, uint64_t *wasted);
  void (*destroy)(void *self);
} hd_strategy_ops;

typedef struct hd_strategy {
  const hd_strategy_ops *ops;
  void *self;
} hd_strategy;

/* Uniformly random choices from a seed; execution i is seeded from (seed, i),
 * so any single execution can be rerun from its own seed. */
bool hd_strategy_random(hd_strategy *out, uint64_t seed);
/* Replays `schedule` exactly; gives up (-1) on any divergence. The schedule is
 * copied. */
bool hd_strategy_replay(hd_strategy *out, const hd_schedule *schedule);
/* PCT with bug depth `depth` (1..64; strategies/pct.c cites the paper).
 * Execution 0 estimates the step count as `default_k`; later executions use
 * the steps execution 0 took, or `calibrated_k` when nonzero (so a worker that
 * does not run execution 0 makes the same choices). */
bool hd_strategy_pct(hd_strategy *out, uint64_t seed, unsigned depth, uint64_t default_k, uint64_t calibrated_k);
/* Exhaustive depth-first search (strategies/dfs.c): with source-DPOR and sleep
 * sets when `reduction`, limited to `preemption_bound` preemptions when >= 0
 * (a bounded search does not reduce). begin() returns false when the tree is
 * exhausted. */
bool hd_strategy_dfs(hd_strategy *out, bool reduction, int64_t preemption_bound);
/* Exhaustive search modulo reads-from equivalence (strategies/readsfrom.c,
 * dfs --reads-from): one execution per way of choosing what each read
 * reads. begin() returns false when done, or when the program does
 * something the search does not model (summary() says what). */
bool hd_strategy_reads_from(hd_strategy *out);
/* The share `index` (0-based) of `ways` workers of the same search: the
 * first node with several runnable threads is expanded in full and its
 * branches dealt out by rank; the shares' union is the whole tree. */
bool hd_strategy_dfs_split(hd_strategy *out, bool reduction, int64_t preemption_bound, unsigned ways, unsigned index);
/* dfs with helper processes (--jobs: dfs.c, "helpers"): up to `helpers`
 * of them (at most HD_DFS_MAX_HELPERS) explore ahead, each calling
 * runner(ctx) to run one execution with this strategy (0: it passed); one
 * silent for `watchdog` seconds is given up (0: never). The search finds and
 * counts exactly what it would alone. dfs --reads-from speculates too (its
 * ops' `helpers`, readsfrom.c); other strategies ignore it. */
#define HD_DFS_MAX_HELPERS 63
void hd_strategy_dfs_helpers(hd_strategy *s, unsigned helpers, int (*runner)(void *ctx), void *ctx, double watchdog);
/* Before each begin(): how many more executions the caller will count. */
void hd_strategy_dfs_budget(const hd_strategy *s, uint64_t left);
/* After begin(): the executions (counted, and wasted) taken from helpers
 * since the last call, which the caller adds to its own counts. */
void hd_strategy_dfs_absorbed(const hd_strategy *s, uint64_t *counted, uint64_t *wasted);
/* Turns on dfs's symmetry reduction (dfs.c: twins not started yet are one
 * branch); dfs without reduction ignores it. */
void hd_strategy_dfs_symmetry(hd_strategy *s);
/* Turns on dfs's critical sections as transactions (dfs.c, "sections"):
 * not with optimal DPOR, helpers or a split. */
void hd_strategy_dfs_sections(hd_strategy *s);
/* With sections on: the executions run before a check failed and the
 * search started again with sections ordered (0: none failed). */
uint64_t hd_strategy_dfs_sections_discarded(const hd_strategy *s);
/* Turns on optimal DPOR (dfs.c: wakeup trees) for a dfs with reduction,
 * without symmetry or helpers. */
void hd_strategy_dfs_optimal(hd_strategy *s);
/* The choices of a replay strategy's schedule its execution did not use. */
size_t hd_strategy_replay_unused(const hd_strategy *s);
/* Iterative preemption bounding: dfs with bound 0, 1, 2, ... */
bool hd_strategy_bounded(hd_strategy *out);
/* True when the last execution of a dfs/bounded strategy explored nothing
 * new (sleep-set blocked, or a share that owns no branch): the explorer does
 * not count it. False for every other strategy. */
bool hd_strategy_uncounted(const hd_strategy *s);
/* For dfs/bounded (and dfs --reads-from), an estimate in [0, 1] of the part
 * of the tree explored (for the progress line and a search stopped by its
 * budget); -1 for other strategies. */
double hd_strategy_coverage(const hd_strategy *s);
/* The preemption bound of the bounded strategy's current round. */
unsigned hd_strategy_bounded_round(const hd_strategy *s);

/* splitmix64: the one pseudo-random generator every strategy uses. */
static inline uint64_t hd_splitmix64(uint64_t *state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15u);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}

/* Makes room for `need` items of `size` bytes in *items (capacity *cap,
 * doubled as needed). False when out of memory (*items is unchanged). */
static inline bool hd_grow(void **items, size_t *cap, size_t need, size_t size) {
  if (need <= *cap) return true;
  size_t n = *cap ? *cap : 64;
  while (n < need) n *= 2;
  void *p = realloc(*items, n * size);
  if (!p) return false;
  *items = p;
  *cap = n;
  return true;
}

/* Operations whose step, when it blocks, changed nothing (Lock.acquire,
 * Thread.join, a condition wait's second point): a blocked attempt, which
 * the thread makes again when woken. */
static inline bool hd_op_attempts(hd_op_kind op) {
  return op == HD_OP_ACQUIRE || op == HD_OP_JOIN || op == HD_OP_AWAIT;
}

/* An unbiased value in [0, bound) from `state` (Lemire's rejection method). */
uint64_t hd_random_below_state(uint64_t *state, uint64_t bound);

#endif

/* Exploration: run a test body under many schedules and report the first bug
 * with its replay token and its interleaving. This is heddle's entry point,
 * the counterpart of loom's model() and shuttle's check_random(). */
#ifndef HEDDLE_HARNESS_EXPLORE_H
#define HEDDLE_HARNESS_EXPLORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "harness/engine/schedule.h"
#include "primitives/backend.h"

/* A test: a body run as the main thread of every execution, and an optional
 * check run after its non-daemon threads finished. */
typedef struct hd_test {
  const char *name;
  void (*body)(void *arg);
  void (*check)(void *arg);
  void *arg;
  bool c_program; /* a whole C program (harness/posix/program.h): C's rules for its end and threads */
  bool memory_hidden; /* its memory accesses are not switch points (a C program built without --instrument):
                         heddle cannot see what a critical section reads and writes (dfs --sections refuses) */
} hd_test;

typedef struct hd_options {
  const char *strategy;   /* "random" (default), "pct", "dfs", "dfs-naive", "bounded" or "replay"; HEDDLE_STRATEGY */
  uint64_t seed;          /* default 1; HEDDLE_SEED */
  uint64_t executions;    /* at most this many; default 1000; HEDDLE_EXECUTIONS */
  uint64_t first_execution; /* random/pct: the first execution index, to go on where an interrupted run
                               stopped; default 0; HEDDLE_FIRST_EXECUTION */
  uint64_t step_limit;    /* switch points per execution; default 100000; HEDDLE_STEP_LIMIT */
  const char *token;      /* the schedule to replay; HEDDLE_REPLAY (implies "replay") */
  bool misuse_returns;    /* misuse returns HD_EMISUSE instead of being a bug */
  bool detect_races;      /* happens-before race detection; default true; HEDDLE_RACES=0 turns it off */
  bool record_traces;     /* record every execution's trace (slow; for tests of the trace) */
  unsigned depth;         /* pct: bug depth d, 1..64; default 3; HEDDLE_DEPTH */
  int64_t preemptions;    /* dfs: at most this many preemptions, -1 (default) unbounded; HEDDLE_PREEMPTIONS */
  bool reduction;         /* dfs: partial-order reduction; default true; HEDDLE_REDUCTION=0 turns it off */
  bool symmetry;          /* dfs: symmetry reduction of twin threads (strategies/dfs.c says what it
                             assumes); default false; HEDDLE_SYMMETRY=1 turns it on */
  bool optimal;           /* dfs: optimal DPOR with wakeup trees instead of source-DPOR (one worker, no
                             symmetry); default false; HEDDLE_OPTIMAL=1 turns it on */
  bool reads_from;        /* dfs: one execution per reads-from class (strategies/readsfrom.c) instead of
                             per Mazurkiewicz trace (one worker, no symmetry, not with optimal);
                             default false; HEDDLE_READS_FROM=1 turns it on */
  bool sections;          /* dfs: a critical section that only reads and writes memory is one step
                             (strategies/dfs.c, "sections"; not with optimal, reads-from or shards);
                             default false; HEDDLE_SECTIONS=1 turns it on */
  bool eager_memory;      /* every instrumented access is a switch point from the first (engine/memory.h);
                             set by hd_explore for the systematic strategies, and from a token */
  bool shrink;            /* random/pct: shrink a failing schedule before reporting it; default true */
  unsigned jobs;          /* worker processes; default 1; HEDDLE_JOBS */
  uint64_t trace_steps;   /* the text trace draws at most this many steps (first and last ones, and
                             every step of the bug); default 300, 0 for all; HEDDLE_TRACE_STEPS */
  int trace_width;        /* the text trace's lines fit about this many columns; 0: 100 (the CLI
                             passes a terminal's width) */
  bool isolate;           /* run the executions in a supervised child process, so that a body that
                             exits, crashes or hangs is a bug with a token; default true. False runs
                             them in this process (for tests that read the body's globals after) */
  double watchdog;        /* seconds a thread may run without reaching a switch point before it is
                             stopped as a livelock (isolated runs only); default 10, 0 for none;
                             HEDDLE_WATCHDOG */
  const char *replay_prefix; /* the printed replay command is replay_prefix TOKEN replay_suffix; */
  const char *replay_suffix; /*   NULL: "tools/heddle replay TOKEN" (hd_cmocka sets the test's own) */
  uint64_t shard_index;   /* this process explores share shard_index of shard_count (Bazel's */
  uint64_t shard_count;   /*   TEST_SHARD_INDEX/TEST_TOTAL_SHARDS); 0 or 1 count: everything */
} hd_options;

#define HD_MAX_EXECUTIONS 1000000000000ull
#define HD_MAX_STEP_LIMIT 1000000000ull

/* The defaults above. */
void hd_options_default(hd_options *o);
/* Applies the HEDDLE_* variables named above over `o`. Returns NULL, or a
 * one-line error naming the variable that is malformed. */
const char *hd_options_from_env(hd_options *o);
/* Parses a decimal count in [min, max]; false on anything else. */
bool hd_parse_count(const char *text, uint64_t min, uint64_t max, uint64_t *out);

typedef struct hd_result {
  uint64_t executions;     /* executions run */
  bool complete;           /* the strategy ran out of schedules: exhaustive */
  bool bug_found;
  hd_bug_kind kind;
  char message[512];
  char details[4096];
  const char *file;
  int line;
  uint64_t bug_execution;  /* 0-based index of the failing execution */
  uint64_t steps;
  unsigned preemptions;
  char *token;             /* malloc'd; NULL when no bug */
  char *replay;            /* malloc'd: the command that replays `token` (hd_replay_command), or NULL */
  char *trace;             /* malloc'd rendering of the failing execution */
  struct hd_trace *trace_data; /* the failing (or replayed) execution's events, for other renderings
                                  (hd_trace_render_html, ..._chrome); NULL when none was recorded */
  char error[640];         /* non-empty when hd_explore returned -1 */
  char stopped_by[240];    /* systematic strategies: the bound that ended an incomplete search, or "" */
  uint64_t wasted;         /* dfs: executions that were sleep-set blocked, or with --reads-from ended with
                             a read waiting for a write that never came (explored nothing new, not
                              counted in `executions`) */
  uint64_t helped;         /* dfs with --jobs: of `executions`, those helper processes ran */
  uint64_t sections_discarded; /* dfs --sections: of `executions`, those run before a check of the
                                  sections failed and the search started again with them ordered */
  bool has_estimate;       /* dfs stopped by --executions: estimated_left is */
  uint64_t estimated_left; /*   about how many executions the search had left */
  bool shrunk;             /* the reported schedule is a shrunk version of the one found */
  int interrupted;         /* the signal (SIGINT, SIGTERM) that stopped the exploration early, or 0 */
  uint64_t resume_from;    /* when interrupted: every execution index below it was explored
                              (random/pct: --first-execution goes on from there); UINT64_MAX if the
                              strategy cannot resume part-way */
  uint64_t found_steps;    /* the schedule as found, before shrinking */
  unsigned found_preemptions;
} hd_result;

/* What hd_explore returns. */
typedef enum hd_explore_status {
  HD_EXPLORE_RAN = 0,       /* see r->bug_found */
  HD_EXPLORE_BAD_INPUT = 1, /* r->error: unknown strategy, malformed token, token for another test */
  HD_EXPLORE_FAILED = 2,    /* r->error: replay diverged, nondeterminism, out of memory */
  HD_EXPLORE_INTERRUPTED = 3, /* r->interrupted: SIGINT or SIGTERM; r->executions says how far it got */
} hd_explore_status;

/* Explores `t` under the options; the result is in *r (free it with
 * hd_result_free). */
hd_explore_status hd_explore(const hd_test *t, const hd_options *o, hd_result *r);
void hd_result_free(hd_result *r);

/* Internal, for harness/parallel.c: explores share `share` of `ways`
 * (random/pct: execution indices share, share + ways, ...; dfs: branches of
 * the first branching node dealt out by rank), ignoring o->jobs. */
hd_explore_status hd__explore_share(const hd_test *t, const hd_options *o, uint64_t ways, uint64_t share,
                                    hd_result *r);
/* Internal (harness/supervise.c): explores in supervised child processes
 * (o->jobs of them) and merges their results. */
hd_explore_status hd__explore_supervised(const hd_test *t, const hd_options *o, hd_result *r);
/* Internal: fills r (bug, token, shrinking, trace) for `schedule`, which failed
 * as execution `index`. Returns 0, or -1 with r->error. */
int hd__finish_failure(const hd_test *t, const hd_options *o, const hd_schedule *schedule, uint64_t index,
                       hd_result *r);

/* Internal: replays `schedule` with tracing on and stops once decision
 * number `steps` is made (the way into a death that cannot be replayed
 * through); fills r->trace_data. Returns 0, or -1 with r->error. */
int hd__trace_prefix(const hd_test *t, const hd_options *o, const hd_schedule *schedule, uint64_t steps,
                     hd_result *r);
/* Internal: the text picture of a trace, malloc'd; NULL when out of memory. */
char *hd__trace_text(const struct hd_trace *trace, const hd_options *o);

/* Internal: the set-up a token carries for executions run with `o`. */
hd_setup hd__setup_of(const hd_options *o);

/* The exact command that replays `token`, found under options `o`, in buf:
 * o->replay_prefix TOKEN o->replay_suffix, or by default
 * "tools/heddle replay TOKEN" (from the repository root). The token carries
 * its own set-up, so no option needs repeating. */
const char *hd_replay_command(const char *token, const hd_options *o, char *buf, size_t size);

#endif

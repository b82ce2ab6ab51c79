/* Executions: one run of a test body from scratch under one strategy.
 *
 * An hd_exec is the per-execution state (threads, virtual clock, choices,
 * trace, bug) and is reset before every run, so nothing survives from one
 * execution to the next. It also implements the deterministic side of the
 * backend seam (primitives/backend.h): every thread is a fiber on the
 * calling OS thread, and only the strategy decides who runs at a switch
 * point. */
#ifndef HEDDLE_HARNESS_ENGINE_EXEC_H
#define HEDDLE_HARNESS_ENGINE_EXEC_H

#include <stdbool.h>
#include <stdint.h>

#include "harness/engine/schedule.h"
#include "harness/strategies/strategy.h"
#include "harness/report/trace.h"

typedef struct hd_exec hd_exec;

typedef struct hd_exec_config {
  void (*body)(void *arg);
  void (*check)(void *arg); /* after non-daemon threads finished; may be NULL */
  void *arg;
  hd_strategy *strategy;
  uint64_t step_limit;      /* switch points before a livelock is reported */
  bool misuse_returns;      /* misuse returns HD_EMISUSE instead of ending the run */
  bool record_trace;
  bool detect_races;        /* happens-before race detection on shared variables */
  bool eager_memory;        /* every instrumented access is a switch point (engine/memory.h) */
  bool symmetry;            /* dfs's symmetry reduction is on: a thread that tells twins apart (reads the
                               identity of one, hd__twin_identity) ends the run with an error */
  bool c_program;           /* C's rules (harness/posix): every thread but main is abandoned when the
                               program ends, none is a daemon in reports, main is named "main" */
  uint64_t stop_after;      /* when nonzero: end the execution (HD_EXEC_STOPPED) as soon as the thread
                               chosen by decision number `stop_after` is about to run its own code; for
                               tracing the way into a death that cannot be replayed through */
} hd_exec_config;

typedef enum hd_exec_status {
  HD_EXEC_PASSED,
  HD_EXEC_BUG,
  HD_EXEC_DIVERGED, /* the strategy gave up: replay did not match the program */
  HD_EXEC_ERROR,    /* the harness itself failed (out of memory, too many threads) */
  HD_EXEC_STOPPED,  /* cfg.stop_after was reached */
} hd_exec_status;

/* What one execution produced; owned by the hd_exec, valid until its next run. */
typedef struct hd_exec_result {
  hd_exec_status status;
  hd_bug_kind bug;
  char message[512];   /* one line */
  char details[4096];  /* further lines (deadlock graph, race accesses), may be empty */
  const char *file;    /* where the bug was reported, or NULL */
  int line;
  uint64_t steps;      /* switch points passed */
  unsigned preemptions;/* switches away from a thread that could have continued */
  const hd_schedule *schedule; /* the choices made */
  const hd_trace *trace;       /* NULL unless record_trace */
  bool pruned;                 /* ended by hd__exec_prune (passed, but not a whole run) */
} hd_exec_result;

hd_exec *hd_exec_new(void);
void hd_exec_free(hd_exec *x);
/* Runs one execution; `*out` points into `x`. */
hd_exec_status hd_exec_run(hd_exec *x, const hd_exec_config *cfg, const hd_exec_result **out);

/* ---- for the POSIX layer (harness/posix) ---- */

/* exit() from any thread: a switch point that conflicts with every other
 * thread's pending operation (they are abandoned right after it), then the
 * check, then the execution passes. */
_Noreturn void hd__exec_exit_program(const char *file, int line);
/* pthread_exit(): the calling thread finishes here. */
_Noreturn void hd__exec_exit_thread(void);
/* Thread `tid` is called `name` from now on (pthread_setname_np); `name`
 * must outlive every execution (interned). Traces name the thread by its
 * latest name throughout. */
void hd__exec_name_thread(int tid, const char *name);
/* The calling thread joined finished thread `tid`: once every slot is
 * taken, a thread it starts may take over that slot (HD_MAX_THREADS is a
 * limit on threads alive at once, or finished but not joined). */
void hd__exec_thread_joined(int tid);
/* __VERIFIER_assume(false): the execution ends as passed, without the check;
 * `why` goes into the trace. */
_Noreturn void hd__exec_prune(const char *file, int line, const char *why);
/* __VERIFIER_atomic_begin (true) and _end (false): while the calling
 * thread's depth is above 0, its switch points do not switch away from it
 * (a wait still does). */
void hd__exec_atomic(bool begin);
/* Ends the execution with a bug whose one-line message is `message`, as
 * written (hd__fail prefixes its own). */
_Noreturn void hd__exec_report(hd_bug_kind kind, const char *file, int line, const char *message);
/* Called on every switch from thread `from` to thread `to` (not into or out
 * of an execution), or NULL: the POSIX layer swaps thread-local variables. */
extern void (*hd__exec_switch_hook)(int from, int to);

#endif

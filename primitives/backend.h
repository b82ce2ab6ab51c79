/* The backend seam: the functions a backend must implement, and nothing else.
 *
 * Every primitive in primitives/ is written once against this header. Two
 * backends implement it and Bazel picks one at link time:
 *   - harness/engine/exec.c: every thread is a fiber on one OS thread, every
 *     operation is a switch point decided by an exploration strategy, time is
 *     virtual, and bugs end the execution with a report;
 *   - primitives/backend_pthread.c: real pthreads, real clock, no harness at
 *     all, so ThreadSanitizer sees the primitives exactly as they run.
 *
 * The core is a monitor (a raw mutex with one wait queue), in the spirit of
 * shuttle's single blocking primitive: each primitive keeps its state inside a
 * monitor and loops on its own predicate, so backends never need to know what
 * a Semaphore or a Queue is. Rules every primitive follows:
 *   - hd__point() is called before the operation and never inside a monitor
 *     (under the deterministic backend a switch there would let another
 *     thread into the monitor);
 *   - a primitive operation touches only its own object's monitor between two
 *     switch points, so an operation's object identifies what it may conflict
 *     with (partial-order reduction relies on it);
 *   - waiters tolerate spurious wake-ups: hd__mon_notify_all() may wake more
 *     threads than the predicate admits. */
#ifndef HEDDLE_PRIMITIVES_BACKEND_H
#define HEDDLE_PRIMITIVES_BACKEND_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "primitives/error.h"

/* Kinds of bug an execution can end with. X(constant, name used in reports and JSON). */
#define HD_BUG_LIST(X)                  \
  X(HD_BUG_NONE, "none")                \
  X(HD_BUG_ASSERTION, "assertion")      \
  X(HD_BUG_DEADLOCK, "deadlock")        \
  X(HD_BUG_LIVELOCK, "livelock")        \
  X(HD_BUG_MISUSE, "misuse")            \
  X(HD_BUG_DATA_RACE, "data_race")      \
  X(HD_BUG_CRASH, "crash")              \
  X(HD_BUG_EXIT, "exit")

typedef enum hd_bug_kind {
#define HD__BUG_ENUM(name, text) name,
  HD_BUG_LIST(HD__BUG_ENUM)
#undef HD__BUG_ENUM
  HD__BUG_COUNT
} hd_bug_kind;

/* "assertion", "deadlock", ...; NULL for a value outside the enum. */
const char *hd_bug_kind_name(hd_bug_kind kind);
/* The kind named `name`, or -1. */
int hd_bug_kind_parse(const char *name);

/* What a switch point is about to do. X(constant, verb shown in traces,
 * read_only): two read-only operations on one object commute, every other
 * pair of operations on one object conflicts. HD_OP_AWAIT is a condition
 * wait's second point, after its waiter is queued: if it blocks it has
 * changed nothing (it only read that it was not notified yet), which dfs
 * uses (a blocked attempt, as for Lock.acquire); once woken it is a write
 * (a timed-out waiter takes itself off the queue). */
#define HD_OP_LIST(X)                          \
  X(HD_OP_NONE, "-", true)                     \
  X(HD_OP_START, "start", false)               \
  X(HD_OP_EXIT, "exit", false)                 \
  X(HD_OP_JOIN, "join", false)                 \
  X(HD_OP_YIELD, "yield", true)                \
  X(HD_OP_SLEEP, "sleep", true)                \
  X(HD_OP_READ, "read", true)                  \
  X(HD_OP_WRITE, "write", false)               \
  X(HD_OP_ACQUIRE, "acquire", false)           \
  X(HD_OP_TRY, "try-acquire", false)           \
  X(HD_OP_RELEASE, "release", false)           \
  X(HD_OP_WAIT, "wait", false)                 \
  X(HD_OP_NOTIFY, "notify", false)             \
  X(HD_OP_SET, "set", false)                   \
  X(HD_OP_CLEAR, "clear", false)               \
  X(HD_OP_PUT, "put", false)                   \
  X(HD_OP_GET, "get", false)                   \
  X(HD_OP_QUERY, "query", true)                \
  X(HD_OP_CANCEL, "cancel", false)             \
  X(HD_OP_SUBMIT, "submit", false)             \
  X(HD_OP_UPDATE, "update", false)             \
  X(HD_OP_LOG, "log", true)                    \
  X(HD_OP_RANDOM, "random", true)              \
  X(HD_OP_END, "end the program", false)       \
  X(HD_OP_SHARED, "acquire shared", true)      \
  X(HD_OP_CLOCK, "read the clock", true)       \
  X(HD_OP_ATOMIC, "atomic section", false)     \
  X(HD_OP_AWAIT, "wait", false)

typedef enum hd_op_kind {
#define HD__OP_ENUM(name, verb, ro) name,
  HD_OP_LIST(HD__OP_ENUM)
#undef HD__OP_ENUM
  HD__OP_COUNT
} hd_op_kind;

const char *hd_op_verb(hd_op_kind op);
bool hd_op_read_only(hd_op_kind op);

/* Identity of a synchronisation object or shared variable, for switch
 * points, traces and reports. The object lives in user memory; `id` and `gen`
 * belong to the backend. Invariant: `kind` and `name` are static strings that
 * outlive every execution that uses the object. */
typedef struct hd__obj {
  const char *kind;   /* "Lock", "Thread", "shared", ... */
  const char *name;   /* the user's name, or NULL for "<kind>#<id>" */
  uint32_t id;        /* deterministic backend: per-execution number, 1.. */
  uint32_t gen;       /* deterministic backend: execution that registered it */
  int32_t holder;     /* thread id that holds it, -1 if none: for deadlock reports */
  int32_t _pad;
  void *shadow;       /* deterministic backend: race-detector state, or NULL */
} hd__obj;

/* A monitor: an object plus a raw mutex and one wait queue. Its storage is
 * opaque so that no backend's types leak into the primitives. */
#define HD__MON_BYTES 128
typedef struct hd__mon {
  hd__obj obj;
  union {
    unsigned char bytes[HD__MON_BYTES];
    long double align_;
    void *align_ptr_;
  } impl;
} hd__mon;

/* A deadline that never comes. */
#define HD__NEVER INT64_MAX

/* ---- objects and switch points ------------------------------------------ */

/* Gives `o` its identity for the current execution. `kind` and `name` must be
 * static strings; `name` may be NULL. */
void hd__obj_init(hd__obj *o, const char *kind, const char *name);
/* For operations that are not switch points: the deterministic backend
 * reports misuse at file:line when `o` was initialised in another execution
 * (or never); the pthread backend does nothing. */
void hd__obj_check(const hd__obj *o, const char *file, int line);

/* A switch point: the calling thread is about to perform `op` on `o` (which
 * may be NULL for yield and sleep). The deterministic backend lets the
 * strategy choose which thread runs next; the pthread backend does nothing.
 * `file` and `line` are the user's call site, for traces and reports. */
void hd__point(hd__obj *o, hd_op_kind op, const char *file, int line);

/* Attaches a value to the calling thread's latest switch point, for traces
 * (the value read or written). The pthread backend ignores it. */
void hd__note_value(int64_t value);

/* Code between switch points (a test's check) read `o`'s value: the
 * deterministic backend tells the strategy when the execution ends
 * (hd_outcome.peeked), for a search whose classes are what reads read
 * (dfs --reads-from). The pthread backend ignores it. */
void hd__peek(const hd__obj *o);

/* A shared-variable access of `value` that just happened after its
 * hd__point(): the deterministic backend feeds it to the happens-before race
 * detector. */
void hd__access(hd__obj *o, bool is_write, int64_t value, const char *file, int line);

/* ---- monitors ------------------------------------------------------------ */

void hd__mon_init(hd__mon *m, const char *kind, const char *name);
/* Releases backend resources; the monitor must have no waiters. */
void hd__mon_destroy(hd__mon *m);
void hd__mon_enter(hd__mon *m);
void hd__mon_exit(hd__mon *m);
/* Inside the monitor: releases it, waits until notified or until the
 * absolute `deadline` (hd__now() clock, HD__NEVER for none), re-enters it.
 * Returns false only when the deadline passed. Spurious wake-ups happen.
 * `why` is a static phrase for deadlock reports ("acquire", "put: queue
 * full"); the object's holder (obj.holder) is named beside it. */
bool hd__mon_wait(hd__mon *m, int64_t deadline, const char *why);
/* Inside the monitor: wakes every waiter of `m`. */
void hd__mon_notify_all(hd__mon *m);

/* ---- memory -------------------------------------------------------------- */

/* Heap memory a primitive owns (queue rings, wait lists), on behalf of the
 * object `owner`. The deterministic backend ties it to the execution that
 * initialised `owner` and frees whatever is left when that execution ends,
 * so an execution cut short by a bug leaks nothing; hd__free of memory whose
 * owner belongs to an earlier execution does nothing (it is gone already).
 * The pthread backend is plain malloc/free. NULL when out of memory. */
void *hd__alloc(const hd__obj *owner, size_t size);
void hd__free(const hd__obj *owner, void *p);

/* ---- threads ------------------------------------------------------------- */

/* Starts a thread running entry(arg); `name` must outlive the thread. Daemon
 * threads are abandoned when the main body returns; the runner waits for the
 * others, as Python does at interpreter exit. Writes the new thread's id to
 * *tid_out before the thread can run. Returns HD_ENOMEM when out of threads.
 * `runs` is what the thread runs as its user wrote it (entry and arg are
 * often a trampoline and its record): threads spawned one after another that
 * run the same function with the same argument are twins to the harness's
 * symmetry reduction, which compares the two pointers for equality only. */
typedef struct hd__runs {
  void (*fn)(void);
  const void *arg;
} hd__runs;
hd_err hd__spawn(void (*entry)(void *), void *arg, hd__runs runs, const char *name, bool daemon, int *tid_out);
/* The calling thread is about to read the identity of thread `tid` (its
 * ident or name, whether it is alive, the value it returned) at file:line,
 * `what` saying how. Under dfs's symmetry reduction, which takes twin
 * threads (hd__runs) to be interchangeable, reading a twin's identity ends
 * the run with an error that says so; otherwise (and on real threads) it
 * does nothing. */
void hd__twin_identity(int tid, const char *what, const char *file, int line);
/* Mutual exclusion of `o`, a Lock, an RLock, a pthread mutex or spin lock,
 * was taken (`held`: its first level, after o->holder was set) or given up
 * (its last level, before o->holder is cleared: a Lock may be released by
 * another thread than its holder). The deterministic backend keeps each thread's held locks in order
 * for dfs, which treats a critical section as one step when it can
 * (hd_pending.guard); on real threads it does nothing. */
void hd__guard(const hd__obj *o, bool held);
/* The calling thread's id: 0 for the main body, then 1, 2, ... in start order. */
int hd__self(void);
/* The calling thread's name. */
const char *hd__self_name(void);
/* Whether the calling thread is a daemon (false for the main thread). */
bool hd__self_daemon(void);
/* 1, 2, 3, ...: a counter private to the execution (Python's counter behind
 * default names such as "Thread-3"). */
int hd__counter_next(void);

/* ---- time ---------------------------------------------------------------- */

/* Nanoseconds on the backend's monotonic clock (virtual under the harness). */
int64_t hd__now(void);
/* Blocks the calling thread until hd__now() >= deadline. */
void hd__sleep_until(int64_t deadline);
/* Seconds (Python's float timeouts) to nanoseconds; negative means forever.
 * A NaN is treated as forever too (callers reject it first with
 * hd__check_timeout; this only keeps the conversion defined). */
int64_t hd__deadline_after(double seconds);
/* Python's checks on a timeout or sleep length in seconds: a NaN, or more
 * than HD_TIMEOUT_MAX (an infinity included), is misuse at file:line and
 * HD_EINVAL. HD_FOREVER and other negative values pass: their meaning
 * differs by primitive and each checks it. */
hd_err hd__check_timeout(double seconds, const char *file, int line);

/* ---- outcomes and data nondeterminism ------------------------------------ */

/* Reports a bug at the user's `file`:`line`. The deterministic backend ends
 * the execution and never returns; the pthread backend prints the report and
 * exits the process with status 1. */
_Noreturn void hd__fail(hd_bug_kind kind, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Reports misuse of a primitive (Python would raise). The deterministic
 * backend reports it as a bug and ends the execution unless the run asked for
 * misuse to be returned; the pthread backend prints one line to stderr. When
 * it returns, the primitive returns HD_EMISUSE. */
void hd__misuse(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A uniformly chosen number in [0, bound), bound >= 1. Under the harness it
 * comes from the strategy, so replay reproduces it. */
uint64_t hd__random(uint64_t bound);
/* The same for data the program only passes along (hd_random_data): the
 * harness's strategies may draw it without branching on it (dfs does). */
uint64_t hd__random_data(uint64_t bound);
/* Appends one line to the program's log (the tutorial's logging.info). */
void hd__log(const char *file, int line, const char *fmt, va_list ap);

#endif

/* Inside the POSIX layer: what its files share.
 *
 * Each POSIX object (mutex, condition variable, ...) keeps heddle's state in
 * a record found by the object's address in a per-execution table, created
 * on first use from glibc's static initialiser or by its *_init call. The
 * table and every record live in the execution's scratch memory, so they
 * vanish with the execution, exactly like the program's globals, which the
 * runner restores (program.c). Every operation is written against the
 * backend seam (primitives/backend.h): a switch point, then the object's
 * monitor, as primitives/ do, and with the same rules.
 *
 * Errors follow POSIX: the functions return the error number (or set errno
 * and return -1 where POSIX says so). Undefined behaviour that a checker can
 * see is a misuse bug at the call's file:line (hd__misuse). */
#ifndef HEDDLE_HARNESS_POSIX_POSIX_H
#define HEDDLE_HARNESS_POSIX_POSIX_H

#include <pthread.h>
#include <semaphore.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "primitives/backend.h"

/* The declarations of every hd_px_*_at function the code under test calls. */
#define HD_PX_IMPLEMENTATION
#include "harness/posix/heddle_posix.h"

typedef enum px_kind { PX_MUTEX, PX_COND, PX_RWLOCK, PX_SPIN, PX_BARRIER, PX_SEM, PX_ONCE, PX__KINDS } px_kind;

/* One waiter of a condition variable, on its stack. */
typedef struct px_waiter {
  struct px_waiter *next;
  bool notified;
} px_waiter;

typedef struct px_object {
  px_kind kind;
  bool destroyed;
  hd__mon mon; /* mon.obj.holder: the owning thread (mutex, spinlock, writer), or -1 */
  union {
    struct { int type; unsigned count; } mutex;                  /* PTHREAD_MUTEX_*, recursion depth */
    struct { px_waiter *head, *tail; int nwaiters; const void *mutex; clockid_t clock; } cond;
    struct { int readers; int writers_waiting; } rwlock;         /* a writer is mon.obj.holder */
    struct { unsigned count, arrived; uint64_t cycle; } barrier;
    struct { unsigned value; int waiters; } sem;
    struct { int state; } once;                                   /* 0 not run, 1 running, 2 done */
  } u;
} px_object;

/* The record of the object at `addr`, or NULL. A record of another kind, or
 * one that was destroyed, is not returned. */
px_object *hd__px_find(const void *addr, px_kind kind);
/* A fresh record for `addr` (replacing any other), initialised for `kind`
 * with the monitor named `kind_name`. */
px_object *hd__px_create(const void *addr, px_kind kind, const char *kind_name);
/* Whether `addr` had a record of `kind` that was destroyed. */
bool hd__px_was_destroyed(const void *addr, px_kind kind);
/* Marks the record at `addr` destroyed. */
void hd__px_destroy(px_object *o);
/* The record of the object at `addr`, found, or made when its bytes are
 * glibc's static initialiser (`is_static`; *created says so); otherwise a
 * misuse (used after `api`_destroy, or never initialised: `api`_init or
 * `initializer`) and NULL. */
px_object *hd__px_lookup(const void *addr, px_kind kind, const char *kind_name, const char *api, const char *initializer,
                         bool is_static, bool *created, const char *file, int line);
/* pthread_*_destroy / sem_destroy: a switch point, then misuse ("`what`
 * (undefined behaviour)") and EBUSY when `busy`, else the record is
 * destroyed and 0. */
int hd__px_destroy_unless(px_object *o, bool (*busy)(const px_object *), const char *what, const char *file,
                          int line);
/* Whether `size` bytes at `addr` are all zero (glibc's static initialisers
 * are, except for a mutex's type). */
bool hd__px_all_zero(const void *addr, size_t size);

/* Thread-local variables (thread.c): the program's section of them, its
 * size, and its contents at the program's start, set by the runner; each
 * thread gets a copy of the image, and hd__px_swap_tls (the engine's switch
 * hook) saves the outgoing thread's copy and loads the incoming one's. */
typedef struct px_thread px_thread;
extern unsigned char *hd__px_tls_start;
extern size_t hd__px_tls_size;
extern const unsigned char *hd__px_tls_image;
void hd__px_swap_tls(int from, int to);

/* The program ends with `status` (exit, main's return or its pthread_exit),
 * called at file:line (program.c). */
_Noreturn void hd__px_end_program(int status, const char *file, int line);

/* The virtual clock in nanoseconds for `clock`; false for an unknown clock. */
bool hd__px_clock_now(clockid_t clock, int64_t *ns);
/* An absolute timespec on `clock` as a deadline on hd__now(); EINVAL for a
 * malformed one (tv_nsec outside [0, 1e9)). */
int hd__px_deadline(clockid_t clock, const struct timespec *abs, int64_t *deadline);

/* Whether spurious wake-ups of condition variables are an explorable choice
 * (hd_program_spurious_wakeups, the CLI's --spurious-wakeups). */
extern bool hd__px_spurious_wakeups;

/* Mutex internals, for condition variables: the mutex record `m` of the
 * calling thread is released completely (returning its recursion depth) or
 * re-acquired to a depth. */
px_object *hd__px_mutex(pthread_mutex_t *m, const char *file, int line);
unsigned hd__px_mutex_release_all(px_object *m, const char *file, int line);
void hd__px_mutex_reacquire(px_object *m, unsigned depth, const char *file, int line);

#endif

/* Condition: threading.Condition. A wait queue tied to a Lock or an RLock:
 * wait() releases the lock (fully, for an RLock held recursively), sleeps
 * until notified or timed out, and re-acquires it exactly as it was.
 * Condition() without a lock makes its own RLock, as Python does. */
#ifndef HEDDLE_PRIMITIVES_CONDITION_H
#define HEDDLE_PRIMITIVES_CONDITION_H

#include <stdbool.h>

#include "primitives/backend.h"
#include "primitives/lock.h"
#include "primitives/rlock.h"
#include "primitives/runtime.h"

/* One thread inside wait(): a node on the waiting thread's stack, linked into
 * the condition's queue while it waits. Invariant: a node is in the queue
 * exactly while `notified` is false and its thread has not timed out. */
typedef struct hd__cond_waiter {
  struct hd__cond_waiter *next;
  bool notified;
} hd__cond_waiter;

/* Invariants: exactly one of `lock` and `rlock` is non-NULL (`rlock` points
 * at `own` for Condition()); the queue (head..tail, FIFO by arrival) and
 * `nwaiters` change only inside `mon`; notify(n) unlinks at most n nodes from
 * the head, so a waiter is woken at most once and never after it timed out.
 * mon.obj.holder stays -1: nobody in particular owes a waiter its notify. */
typedef struct hd_condition {
  hd__mon mon;
  hd_lock *lock;
  hd_rlock *rlock;
  hd_rlock own;
  hd__cond_waiter *head, *tail;
  int nwaiters;
} hd_condition;

/* The predicate of wait_for: true when the waited-for state holds. It runs
 * with the condition's lock held and may use any heddle primitive. */
typedef bool (*hd_predicate)(void *arg);

/* Condition(): over a new RLock of its own (named `name` too). */
void hd_condition_init(hd_condition *c, const char *name);
/* Condition(lock) for a Lock / an RLock; the lock must outlive the condition. */
void hd_condition_init_lock(hd_condition *c, hd_lock *lock, const char *name);
void hd_condition_init_rlock(hd_condition *c, hd_rlock *rlock, const char *name);
void hd_condition_destroy(hd_condition *c);

/* acquire(blocking, timeout) and release(): the underlying lock's, with its
 * results. */
#define hd_condition_acquire(c) hd_condition_acquire_at((c), true, HD_FOREVER, __FILE__, __LINE__)
#define hd_condition_acquire_timed(c, blocking, timeout) \
  hd_condition_acquire_at((c), (blocking), (timeout), __FILE__, __LINE__)
hd_err hd_condition_acquire_at(hd_condition *c, bool blocking, double timeout, const char *file, int line);
#define hd_condition_release(c) hd_condition_release_at((c), __FILE__, __LINE__)
hd_err hd_condition_release_at(hd_condition *c, const char *file, int line);

/* wait(timeout): HD_OK when notified (Python's True), HD_ETIMEDOUT when the
 * timeout expired first (False), HD_EMISUSE when the caller does not hold the
 * lock (RuntimeError "cannot wait on un-acquired lock"). HD_FOREVER waits
 * forever; 0 or a negative timeout still releases and re-acquires the lock,
 * so a notify from a thread that slipped in counts. The lock is held again
 * on every return except HD_EMISUSE. A waiter that times out leaves the
 * queue atomically, so it never swallows a notify meant for another waiter
 * (CPython can, in a narrow window; heddle is exact). For a Lock "holding"
 * means the caller acquired it: CPython can only tell that a Lock is
 * locked, heddle also reports a Lock held by another thread. */
#define hd_condition_wait(c, timeout) hd_condition_wait_at((c), (timeout), __FILE__, __LINE__)
hd_err hd_condition_wait_at(hd_condition *c, double timeout, const char *file, int line);

/* wait_for(predicate, timeout): waits until predicate(arg) is true; the
 * result is the predicate's last value: HD_OK for true, HD_ETIMEDOUT for
 * false after the timeout, HD_EMISUSE when it had to wait without holding
 * the lock (a predicate already true needs no lock, as in CPython). */
#define hd_condition_wait_for(c, predicate, arg, timeout) \
  hd_condition_wait_for_at((c), (predicate), (arg), (timeout), __FILE__, __LINE__)
hd_err hd_condition_wait_for_at(hd_condition *c, hd_predicate predicate, void *arg, double timeout, const char *file,
                                int line);

/* notify(n): wakes at most n waiters, longest waiting first (n <= 0 wakes
 * none); notify_all(): every waiter. HD_EMISUSE without the lock (RuntimeError
 * "cannot notify on un-acquired lock"). */
#define hd_condition_notify(c, n) hd_condition_notify_at((c), (n), __FILE__, __LINE__)
hd_err hd_condition_notify_at(hd_condition *c, int n, const char *file, int line);
#define hd_condition_notify_all(c) hd_condition_notify_all_at((c), __FILE__, __LINE__)
hd_err hd_condition_notify_all_at(hd_condition *c, const char *file, int line);

/* Threads in wait() not yet notified (no switch point; for checks). */
int hd_condition_waiters(hd_condition *c);

#endif

/* Barrier: threading.Barrier(parties, action, timeout). `parties` threads
 * call wait(); none returns before the last one arrived; the last runs the
 * optional action, then all are released, each with a distinct index. A
 * timeout, an abort or a failed action breaks the barrier for every waiter
 * until reset(). */
#ifndef HEDDLE_PRIMITIVES_BARRIER_H
#define HEDDLE_PRIMITIVES_BARRIER_H

#include <stdbool.h>

#include "primitives/backend.h"
#include "primitives/runtime.h"

/* The action: runs in exactly one thread (the last to arrive) before any
 * waiter is released. C has no exceptions, so an action "raises" by
 * returning an error other than HD_OK: the barrier breaks, the thread that
 * ran it gets that error from wait(), every other waiter HD_EBROKEN (Python
 * re-raises the action's exception in its thread and gives the others
 * BrokenBarrierError). */
typedef hd_err (*hd_barrier_action)(void *arg);

/* CPython's states: filling (threads arriving), draining (released threads
 * leaving), resetting (reset() woke the waiters, who leave with
 * HD_EBROKEN), broken. */
typedef enum hd__barrier_state {
  HD__BARRIER_FILLING,
  HD__BARRIER_DRAINING,
  HD__BARRIER_RESETTING,
  HD__BARRIER_BROKEN,
} hd__barrier_state;

/* Invariants, all inside `mon`: 0 <= count <= parties is the number of
 * threads inside wait() past its entry; new arrivals wait while the barrier
 * is draining, resetting or running its action, so indexes of one round are
 * 0..parties-1 without repeats; `action_running` is true only while the last
 * arrival runs the action outside the monitor (CPython runs it under the
 * Condition's lock, so nothing else may happen to the barrier meanwhile:
 * wait, reset and abort wait for it). mon.obj.holder stays -1. */
typedef struct hd_barrier {
  hd__mon mon;
  int parties;
  int count;
  hd__barrier_state state;
  bool action_running;
  hd_barrier_action action;
  void *action_arg;
  double timeout;
} hd_barrier;

/* Barrier(parties, action, timeout): `action` may be NULL, `timeout` is the
 * default for wait() (HD_FOREVER for None). parties < 1 is Python's
 * ValueError: HD_EINVAL, reported as misuse; the barrier is then created
 * broken, so every wait() fails instead of hanging. */
#define hd_barrier_init(b, parties, action, action_arg, timeout, name) \
  hd_barrier_init_at((b), (parties), (action), (action_arg), (timeout), (name), __FILE__, __LINE__)
hd_err hd_barrier_init_at(hd_barrier *b, int parties, hd_barrier_action action, void *action_arg, double timeout,
                          const char *name, const char *file, int line);
void hd_barrier_destroy(hd_barrier *b);

/* wait(timeout): HD_OK with the thread's index (0..parties-1, the arrival
 * order) in *index when `index` is not NULL; HD_EBROKEN when the barrier is
 * or becomes broken, is reset, or this wait timed out (which breaks it for
 * every waiter); the action's error for the thread that ran a failing
 * action. HD_FOREVER means the barrier's default timeout, as Python's None. */
#define hd_barrier_wait(b, index) hd_barrier_wait_at((b), HD_FOREVER, (index), __FILE__, __LINE__)
#define hd_barrier_wait_timed(b, timeout, index) hd_barrier_wait_at((b), (timeout), (index), __FILE__, __LINE__)
hd_err hd_barrier_wait_at(hd_barrier *b, double timeout, int *index, const char *file, int line);

/* reset(): back to the empty state; threads waiting get HD_EBROKEN. */
#define hd_barrier_reset(b) hd_barrier_reset_at((b), __FILE__, __LINE__)
void hd_barrier_reset_at(hd_barrier *b, const char *file, int line);
/* abort(): breaks the barrier; waiting and future waits get HD_EBROKEN. */
#define hd_barrier_abort(b) hd_barrier_abort_at((b), __FILE__, __LINE__)
void hd_barrier_abort_at(hd_barrier *b, const char *file, int line);
/* n_waiting, broken, parties. */
#define hd_barrier_n_waiting(b) hd_barrier_n_waiting_at((b), __FILE__, __LINE__)
int hd_barrier_n_waiting_at(hd_barrier *b, const char *file, int line);
#define hd_barrier_broken(b) hd_barrier_broken_at((b), __FILE__, __LINE__)
bool hd_barrier_broken_at(hd_barrier *b, const char *file, int line);
int hd_barrier_parties(const hd_barrier *b);

#endif

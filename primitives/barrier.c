/* Barrier over one monitor, following CPython's state machine (filling,
 * draining, resetting, broken) with one change forced by the backend rules:
 * the action runs outside the monitor (user code may hit switch points), so
 * `action_running` stands in for "the last arrival holds the Condition's
 * lock" and everything that would need that lock waits for it. */
#include "primitives/barrier.h"

#include "primitives/timeout.h"

/* Phrases for deadlock reports and traces. The backend keeps the pointer
 * past the barrier's lifetime (traces are rendered after the execution, when
 * a barrier on a thread's stack is gone), so every phrase is a string
 * literal: a waiter's own arrival position, fixed for its whole wait, from
 * a table for up to 8 parties. */
#define A(k, n) [k] = "wait: Barrier, arrived as " #k " of " #n
static const char *const arrived_as[9][8] = {
    [2] = {A(1, 2)},
    [3] = {A(1, 3), A(2, 3)},
    [4] = {A(1, 4), A(2, 4), A(3, 4)},
    [5] = {A(1, 5), A(2, 5), A(3, 5), A(4, 5)},
    [6] = {A(1, 6), A(2, 6), A(3, 6), A(4, 6), A(5, 6)},
    [7] = {A(1, 7), A(2, 7), A(3, 7), A(4, 7), A(5, 7), A(6, 7)},
    [8] = {A(1, 8), A(2, 8), A(3, 8), A(4, 8), A(5, 8), A(6, 8), A(7, 8)},
};
#undef A

/* Inside the monitor: what a thread about to block in the barrier waits for;
 * `me` is its arrival index, or -1 before it arrived. */
static const char *why(const hd_barrier *b, int me) {
  if (b->action_running) return "wait: Barrier action running";
  if (b->state == HD__BARRIER_DRAINING) return "wait: Barrier draining the previous round";
  if (b->state == HD__BARRIER_RESETTING) return "wait: Barrier resetting";
  if (me >= 0 && b->parties <= 8 && arrived_as[b->parties][me + 1]) return arrived_as[b->parties][me + 1];
  return "wait: Barrier, not all parties arrived";
}

hd_err hd_barrier_init_at(hd_barrier *b, int parties, hd_barrier_action action, void *action_arg, double timeout,
                          const char *name, const char *file, int line) {
  hd__mon_init(&b->mon, "Barrier", name);
  b->parties = parties < 1 ? 1 : parties;
  b->count = 0;
  b->state = parties < 1 ? HD__BARRIER_BROKEN : HD__BARRIER_FILLING;
  b->action_running = false;
  b->action = action;
  b->action_arg = action_arg;
  b->timeout = timeout;
  if (parties < 1) {
    hd__misuse(file, line, "parties must be >= 1, got %d", parties);
    return HD_EINVAL;
  }
  return HD_OK;
}

void hd_barrier_destroy(hd_barrier *b) { hd__mon_destroy(&b->mon); }

/* Inside the monitor: Barrier._break(). */
static void break_barrier(hd_barrier *b) {
  b->state = HD__BARRIER_BROKEN;
  hd__mon_notify_all(&b->mon);
}

/* Inside the monitor: waits until the last arrival's action finished (in
 * CPython, until the lock it runs under is free). */
static void wait_action(hd_barrier *b, int me) {
  while (b->action_running) hd__mon_wait(&b->mon, HD__NEVER, why(b, me));
}

hd_err hd_barrier_wait_at(hd_barrier *b, double timeout, int *index, const char *file, int line) {
  hd__point(&b->mon.obj, HD_OP_WAIT, file, line);
  if (hd__check_timeout(timeout, file, line) != HD_OK) return HD_EINVAL;
  if (timeout == HD_FOREVER) timeout = b->timeout;
  hd__mon_enter(&b->mon);
  /* Barrier._enter(): a new round starts only when the last one drained. */
  while (b->action_running || b->state == HD__BARRIER_DRAINING || b->state == HD__BARRIER_RESETTING)
    hd__mon_wait(&b->mon, HD__NEVER, why(b, -1));
  if (b->state == HD__BARRIER_BROKEN) {
    hd__mon_exit(&b->mon);
    return HD_EBROKEN;
  }
  int me = b->count++;
  hd_err err = HD_OK;
  if (me + 1 == b->parties) {
    /* Barrier._release(): the last arrival runs the action, then opens. */
    if (b->action) {
      b->action_running = true;
          hd__mon_exit(&b->mon);
      err = b->action(b->action_arg);
      /* The action's own switch points came last: back to the barrier is a
       * new operation on it. */
      hd__point(&b->mon.obj, HD_OP_UPDATE, file, line);
      hd__mon_enter(&b->mon);
      b->action_running = false;
          hd__mon_notify_all(&b->mon);
    }
    if (err == HD_OK) {
      b->state = HD__BARRIER_DRAINING;
          hd__mon_notify_all(&b->mon);
    } else {
      break_barrier(b);
    }
  } else {
    /* Barrier._wait(): wait_for(state != filling, timeout). The deadline
     * starts here, after any wait for the previous round to drain. */
    int64_t deadline = hd__timeout_deadline(timeout);
    while (b->state == HD__BARRIER_FILLING) {
      if (!hd__mon_wait(&b->mon, deadline, why(b, me)) && b->state == HD__BARRIER_FILLING) {
        if (b->action_running) {
          /* CPython's waiter would time out but then block re-acquiring the
           * lock the action holds, and see the barrier released after it. */
          wait_action(b, me);
          continue;
        }
        break_barrier(b);
        break;
      }
    }
    if (b->state != HD__BARRIER_DRAINING) err = HD_EBROKEN;
  }
  /* Barrier._exit(): the last thread out of a drained or reset round
   * re-opens the barrier for the next one. */
  b->count--;
  if (b->count == 0 && (b->state == HD__BARRIER_DRAINING || b->state == HD__BARRIER_RESETTING)) {
    b->state = HD__BARRIER_FILLING;
    hd__mon_notify_all(&b->mon);
  }
  hd__mon_exit(&b->mon);
  if (err == HD_OK && index) *index = me;
  return err;
}

void hd_barrier_reset_at(hd_barrier *b, const char *file, int line) {
  hd__point(&b->mon.obj, HD_OP_UPDATE, file, line);
  hd__mon_enter(&b->mon);
  wait_action(b, -1);
  if (b->count > 0) {
    /* Waiters leave with HD_EBROKEN; the last one out re-opens it. A
     * draining round finishes on its own. */
    if (b->state == HD__BARRIER_FILLING || b->state == HD__BARRIER_BROKEN) b->state = HD__BARRIER_RESETTING;
  } else {
    b->state = HD__BARRIER_FILLING;
  }
  hd__mon_notify_all(&b->mon);
  hd__mon_exit(&b->mon);
}

void hd_barrier_abort_at(hd_barrier *b, const char *file, int line) {
  hd__point(&b->mon.obj, HD_OP_CANCEL, file, line);
  hd__mon_enter(&b->mon);
  wait_action(b, -1);
  break_barrier(b);
  hd__mon_exit(&b->mon);
}

int hd_barrier_n_waiting_at(hd_barrier *b, const char *file, int line) {
  hd__point(&b->mon.obj, HD_OP_QUERY, file, line);
  hd__mon_enter(&b->mon);
  int n = b->state == HD__BARRIER_FILLING ? b->count : 0;
  hd__mon_exit(&b->mon);
  return n;
}

bool hd_barrier_broken_at(hd_barrier *b, const char *file, int line) {
  hd__point(&b->mon.obj, HD_OP_QUERY, file, line);
  hd__mon_enter(&b->mon);
  bool broken = b->state == HD__BARRIER_BROKEN;
  hd__mon_exit(&b->mon);
  return broken;
}

int hd_barrier_parties(const hd_barrier *b) { return b->parties; }

/* pthread_cond_*: condition variables with POSIX's semantics.
 *
 * Unlike Python's Condition (primitives/condition.c) a condition variable
 * is not bound to a mutex: the mutex comes with each wait, signal and
 * broadcast may be called with or without it, and waiting with two
 * different mutexes at once is undefined (a misuse bug). The wait keeps
 * primitives/condition.c's four steps, each touching one object between two
 * switch points: enqueue (condition), release (mutex), sleep (condition),
 * re-acquire (mutex). A signal between the release and the sleep is not
 * lost, because the waiter is already queued; a signal before the enqueue
 * wakes nobody, and since enqueue and signal are operations on the same
 * object, every strategy explores both orders.
 *
 * Spurious wake-ups (POSIX allows them, careful programs loop): off by
 * default; with hd_program_spurious_wakeups(true) (the CLI's
 * --spurious-wakeups) each sleep first draws a value
 * from the strategy, and 1 returns at once, as a real wake-up without a
 * signal would. */
#include <errno.h>

#include "harness/posix/posix.h"

bool hd__px_spurious_wakeups;

static const char COND[] = "condition variable";

static px_object *cond(pthread_cond_t *c, const char *file, int line) {
  px_object *o = hd__px_find(c, PX_COND);
  if (o) return o;
  bool created;
  o = hd__px_lookup(c, PX_COND, COND, "pthread_cond", "PTHREAD_COND_INITIALIZER", hd__px_all_zero(c, sizeof *c), &created,
                    file, line);
  if (created) o->u.cond.clock = CLOCK_REALTIME;
  return o;
}

/* Inside the monitor: removes `w` from the queue if it is still there. */
static void unlink_waiter(px_object *o, px_waiter *w) {
  px_waiter *prev = NULL;
  for (px_waiter *p = o->u.cond.head; p; prev = p, p = p->next) {
    if (p != w) continue;
    if (prev) prev->next = p->next;
    else o->u.cond.head = p->next;
    if (o->u.cond.tail == p) o->u.cond.tail = prev;
    o->u.cond.nwaiters--;
    return;
  }
}

/* A wait until `abs` on `clock` (-1: the condition variable's own clock),
 * or forever when `abs` is NULL. */
static int wait(pthread_cond_t *c, pthread_mutex_t *mu, clockid_t clock, const struct timespec *abs, const char *file,
                int line) {
  px_object *o = cond(c, file, line), *m = hd__px_mutex(mu, file, line);
  if (!o || !m) return EINVAL;
  int64_t deadline = HD__NEVER;
  if (abs) {
    int err = hd__px_deadline(clock == -1 ? o->u.cond.clock : clock, abs, &deadline);
    if (err) return err;
  }
  hd__point(&o->mon.obj, HD_OP_WAIT, file, line);
  if (m->mon.obj.holder != hd__self()) {
    if (m->u.mutex.type == PTHREAD_MUTEX_NORMAL)
      hd__misuse(file, line, "pthread_cond_wait with a mutex the thread does not hold (undefined behaviour)");
    return EPERM;
  }
  px_waiter w = {.next = NULL, .notified = false};
  hd__mon_enter(&o->mon);
  if (o->u.cond.nwaiters > 0 && o->u.cond.mutex != mu) {
    hd__mon_exit(&o->mon);
    hd__misuse(file, line,
               "pthread_cond_wait with a different mutex than the condition variable's other waiters (undefined "
               "behaviour)");
    return EINVAL;
  }
  if (o->u.cond.tail) o->u.cond.tail->next = &w;
  else o->u.cond.head = &w;
  o->u.cond.tail = &w;
  o->u.cond.nwaiters++;
  o->u.cond.mutex = mu;
  hd__mon_exit(&o->mon);

  unsigned depth = hd__px_mutex_release_all(m, file, line);

  hd__point(&o->mon.obj, HD_OP_AWAIT, file, line);
  bool spurious = hd__px_spurious_wakeups && hd__random(2) == 1;
  bool timed_out = false;
  hd__mon_enter(&o->mon);
  while (!w.notified) {
    if (spurious || (!hd__mon_wait(&o->mon, deadline, "pthread_cond_wait") && !w.notified)) {
      unlink_waiter(o, &w);
      timed_out = !spurious;
      break;
    }
  }
  if (o->u.cond.nwaiters == 0) o->u.cond.mutex = NULL;
  hd__mon_exit(&o->mon);

  hd__px_mutex_reacquire(m, depth, file, line);
  return timed_out ? ETIMEDOUT : 0;
}

/* Wakes at most `n` queued waiters, in the order they queued. */
static int notify(pthread_cond_t *c, int n, const char *file, int line) {
  px_object *o = cond(c, file, line);
  if (!o) return EINVAL;
  hd__point(&o->mon.obj, HD_OP_NOTIFY, file, line);
  hd__mon_enter(&o->mon);
  bool woke = false;
  while (o->u.cond.head && n-- > 0) {
    px_waiter *w = o->u.cond.head;
    o->u.cond.head = w->next;
    if (!o->u.cond.head) o->u.cond.tail = NULL;
    o->u.cond.nwaiters--;
    w->next = NULL;
    w->notified = true;
    woke = true;
  }
  if (woke) hd__mon_notify_all(&o->mon);
  hd__mon_exit(&o->mon);
  return 0;
}

int hd_px_pthread_cond_init_at(pthread_cond_t *c, const pthread_condattr_t *attr, const char *file, int line) {
  clockid_t clock = CLOCK_REALTIME;
  if (attr && pthread_condattr_getclock(attr, &clock) != 0) return EINVAL;
  px_object *o = hd__px_create(c, PX_COND, COND);
  o->u.cond.clock = clock;
  hd__point(&o->mon.obj, HD_OP_UPDATE, file, line);
  return 0;
}

static bool awaited(const px_object *o) { return o->u.cond.nwaiters > 0; }

int hd_px_pthread_cond_destroy_at(pthread_cond_t *c, const char *file, int line) {
  px_object *o = cond(c, file, line);
  return o ? hd__px_destroy_unless(o, awaited, "pthread_cond_destroy while threads wait on it", file, line) : EINVAL;
}

int hd_px_pthread_cond_wait_at(pthread_cond_t *c, pthread_mutex_t *m, const char *file, int line) {
  return wait(c, m, -1, NULL, file, line);
}

int hd_px_pthread_cond_timedwait_at(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abs, const char *file,
                                    int line) {
  return wait(c, m, -1, abs, file, line);
}

int hd_px_pthread_cond_clockwait_at(pthread_cond_t *c, pthread_mutex_t *m, clockid_t clock, const struct timespec *abs,
                                    const char *file, int line) {
  if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC) return EINVAL; /* the two POSIX allows */
  return wait(c, m, clock, abs, file, line);
}

int hd_px_pthread_cond_signal_at(pthread_cond_t *c, const char *file, int line) { return notify(c, 1, file, line); }

int hd_px_pthread_cond_broadcast_at(pthread_cond_t *c, const char *file, int line) {
  return notify(c, __INT_MAX__, file, line);
}

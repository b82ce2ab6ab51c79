/* Condition over its own monitor (the waiter queue) and the user's lock.
 *
 * A waiter links a node into the queue while it still holds the lock, then
 * releases the lock and sleeps on the condition's monitor until a notifier
 * marks its node. A notifier must hold the same lock, so it cannot run
 * between the waiter's "decide to wait" and "enqueue": no wake-up is lost in
 * the window where the lock is already released but the waiter not yet
 * asleep. Marking nodes (rather than counting a monitor-wide notify) makes
 * notify(n) wake exactly min(n, waiters) threads on both backends, whatever
 * spurious wake-ups the backend's monitor produces.
 *
 * Switch points: wait() is four operations, each touching one object between
 * two switch points: enqueue (condition), release (lock), sleep (condition),
 * re-acquire (lock). Reading whether the caller holds the lock is allowed in
 * any of them: no other thread can change whether *this* thread holds it. */
#include "primitives/condition.h"

#include <limits.h>

#include "primitives/timeout.h"

static void init_common(hd_condition *c, const char *name) {
  hd__mon_init(&c->mon, "Condition", name);
  c->head = c->tail = NULL;
  c->nwaiters = 0;
}

void hd_condition_init(hd_condition *c, const char *name) {
  hd_rlock_init(&c->own, name);
  init_common(c, name);
  c->lock = NULL;
  c->rlock = &c->own;
}

void hd_condition_init_lock(hd_condition *c, hd_lock *lock, const char *name) {
  init_common(c, name);
  c->lock = lock;
  c->rlock = NULL;
}

void hd_condition_init_rlock(hd_condition *c, hd_rlock *rlock, const char *name) {
  init_common(c, name);
  c->lock = NULL;
  c->rlock = rlock;
}

void hd_condition_destroy(hd_condition *c) {
  hd__mon_destroy(&c->mon);
  if (c->rlock == &c->own) hd_rlock_destroy(&c->own);
}

hd_err hd_condition_acquire_at(hd_condition *c, bool blocking, double timeout, const char *file, int line) {
  return c->rlock ? hd_rlock_acquire_at(c->rlock, blocking, timeout, file, line)
                  : hd_lock_acquire_at(c->lock, blocking, timeout, file, line);
}

hd_err hd_condition_release_at(hd_condition *c, const char *file, int line) {
  return c->rlock ? hd_rlock_release_at(c->rlock, file, line) : hd_lock_release_at(c->lock, file, line);
}

/* Condition._is_owned(). */
static bool owned(hd_condition *c) {
  if (c->rlock) return hd_rlock_is_owned(c->rlock);
  hd__mon_enter(&c->lock->mon);
  bool mine = c->lock->locked && c->lock->mon.obj.holder == hd__self();
  hd__mon_exit(&c->lock->mon);
  return mine;
}

/* Condition._release_save(): releases the lock completely and returns the
 * recursion depth to restore. An RLock is released once per level; it stays
 * owned until the last release, so no other thread can observe the steps. */
static int release_save(hd_condition *c, const char *file, int line) {
  if (!c->rlock) {
    hd_lock_release_at(c->lock, file, line);
    return 1;
  }
  int depth = hd_rlock_count(c->rlock);
  for (int i = 0; i < depth; i++) hd_rlock_release_at(c->rlock, file, line);
  return depth;
}

/* Condition._acquire_restore(): re-acquires the lock to the saved depth. */
static void acquire_restore(hd_condition *c, int depth, const char *file, int line) {
  if (!c->rlock) {
    hd_lock_acquire_at(c->lock, true, HD_FOREVER, file, line);
    return;
  }
  for (int i = 0; i < depth; i++) hd_rlock_acquire_at(c->rlock, true, HD_FOREVER, file, line);
}

/* Inside the monitor: removes `w` from the queue if it is still there. */
static void unlink_waiter(hd_condition *c, hd__cond_waiter *w) {
  hd__cond_waiter *prev = NULL;
  for (hd__cond_waiter *p = c->head; p; prev = p, p = p->next) {
    if (p != w) continue;
    if (prev) prev->next = p->next;
    else c->head = p->next;
    if (c->tail == p) c->tail = prev;
    c->nwaiters--;
    return;
  }
}

/* wait() with an absolute deadline; the caller checked ownership. */
static hd_err wait_until(hd_condition *c, int64_t deadline, const char *file, int line) {
  hd__cond_waiter w = {.next = NULL, .notified = false};
  hd__mon_enter(&c->mon);
  if (c->tail) c->tail->next = &w;
  else c->head = &w;
  c->tail = &w;
  c->nwaiters++;
  hd__mon_exit(&c->mon);

  int depth = release_save(c, file, line);

  hd__point(&c->mon.obj, HD_OP_AWAIT, file, line);
  hd__mon_enter(&c->mon);
  while (!w.notified) {
    if (!hd__mon_wait(&c->mon, deadline, "wait: not notified") && !w.notified) {
      unlink_waiter(c, &w);
      break;
    }
  }
  bool notified = w.notified;
  hd__mon_exit(&c->mon);

  acquire_restore(c, depth, file, line);
  return notified ? HD_OK : HD_ETIMEDOUT;
}

hd_err hd_condition_wait_at(hd_condition *c, double timeout, const char *file, int line) {
  hd__point(&c->mon.obj, HD_OP_WAIT, file, line);
  if (!owned(c)) {
    hd__misuse(file, line, "cannot wait on un-acquired lock");
    return HD_EMISUSE;
  }
  if (hd__check_timeout(timeout, file, line) != HD_OK) return HD_EINVAL;
  return wait_until(c, hd__timeout_deadline(timeout), file, line);
}

hd_err hd_condition_wait_for_at(hd_condition *c, hd_predicate predicate, void *arg, double timeout, const char *file,
                                int line) {
  if (hd__check_timeout(timeout, file, line) != HD_OK) return HD_EINVAL;
  bool result = predicate(arg);
  /* As CPython: the deadline starts after the first evaluation, the first
   * wait happens even when the timeout is already zero (a poll), and later
   * rounds stop once the deadline passed. */
  int64_t deadline = hd__timeout_deadline(timeout);
  bool first = true;
  while (!result) {
    if (!first && deadline != HD__NEVER && hd__now() >= deadline) break;
    first = false;
    hd__point(&c->mon.obj, HD_OP_WAIT, file, line);
    if (!owned(c)) {
      hd__misuse(file, line, "cannot wait on un-acquired lock");
      return HD_EMISUSE;
    }
    wait_until(c, deadline, file, line);
    result = predicate(arg);
  }
  return result ? HD_OK : HD_ETIMEDOUT;
}

hd_err hd_condition_notify_at(hd_condition *c, int n, const char *file, int line) {
  hd__point(&c->mon.obj, HD_OP_NOTIFY, file, line);
  if (!owned(c)) {
    hd__misuse(file, line, "cannot notify on un-acquired lock");
    return HD_EMISUSE;
  }
  hd__mon_enter(&c->mon);
  bool woke = false;
  while (c->head && n > 0) {
    hd__cond_waiter *w = c->head;
    c->head = w->next;
    if (!c->head) c->tail = NULL;
    c->nwaiters--;
    w->next = NULL;
    w->notified = true;
    woke = true;
    n--;
  }
  if (woke) hd__mon_notify_all(&c->mon);
  hd__mon_exit(&c->mon);
  return HD_OK;
}

hd_err hd_condition_notify_all_at(hd_condition *c, const char *file, int line) {
  return hd_condition_notify_at(c, INT_MAX, file, line);
}

int hd_condition_waiters(hd_condition *c) {
  hd__mon_enter(&c->mon);
  int n = c->nwaiters;
  hd__mon_exit(&c->mon);
  return n;
}

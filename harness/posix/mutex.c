/* pthread_mutex_* and pthread_spin_*: POSIX mutexes under the scheduler.
 *
 * Types (POSIX, "pthread_mutex_lock"): NORMAL relocks by the owner
 * deadlock (reported as a deadlock on the mutex held by itself) and an
 * unlock by a thread that does not own it is undefined (a misuse bug);
 * ERRORCHECK returns EDEADLK and EPERM instead; RECURSIVE counts, and
 * returns EPERM for a foreign unlock. A spinlock is a NORMAL mutex whose
 * waiters would spin: under the scheduler they block, which explores the
 * same interleavings without burning steps. */
#include <errno.h>
#include <limits.h>

#include "harness/posix/posix.h"

static const char MUTEX[] = "mutex", SPIN[] = "spinlock";

/* glibc keeps the type in the low bits of __kind; its static initialisers
 * are all zero except for that field. */
static bool static_initialiser(const pthread_mutex_t *m) {
  pthread_mutex_t copy = *m;
  copy.__data.__kind = 0;
  return hd__px_all_zero(&copy, sizeof copy) && (m->__data.__kind & ~3) == 0;
}

px_object *hd__px_mutex(pthread_mutex_t *m, const char *file, int line) {
  px_object *o = hd__px_find(m, PX_MUTEX);
  if (o) return o; /* the common case, without looking at the bytes */
  bool created;
  o = hd__px_lookup(m, PX_MUTEX, MUTEX, "pthread_mutex", "PTHREAD_MUTEX_INITIALIZER", static_initialiser(m), &created,
                    file, line);
  if (created) o->u.mutex.type = m->__data.__kind & 3;
  return o;
}

static px_object *spin(pthread_spinlock_t *s) {
  px_object *o = hd__px_find((const void *)s, PX_SPIN);
  if (o) return o;
  /* glibc's unlocked spinlock is 0, which is also what an uninitialised
   * global holds: accepted like a static initialiser. */
  o = hd__px_create((const void *)s, PX_SPIN, SPIN);
  o->u.mutex.type = PTHREAD_MUTEX_NORMAL;
  return o;
}

/* Acquires `o` for the caller; `blocking` false is a trylock. `abs` is the
 * timed lock's absolute deadline on `clock`, or NULL. */
static int lock(px_object *o, bool blocking, clockid_t clock, const struct timespec *abs, const char *file, int line) {
  hd__point(&o->mon.obj, blocking ? HD_OP_ACQUIRE : HD_OP_TRY, file, line);
  int self = hd__self(), err = 0;
  hd__mon_enter(&o->mon);
  if (o->mon.obj.holder == self && o->u.mutex.type == PTHREAD_MUTEX_RECURSIVE) {
    if (o->u.mutex.count == UINT_MAX) err = EAGAIN;
    else o->u.mutex.count++;
    hd__mon_exit(&o->mon);
    return err;
  }
  if (o->mon.obj.holder == self && o->u.mutex.type == PTHREAD_MUTEX_ERRORCHECK) {
    hd__mon_exit(&o->mon);
    return EDEADLK;
  }
  int64_t deadline = HD__NEVER;
  while (o->mon.obj.holder != -1) {
    if (!blocking) {
      err = EBUSY;
      break;
    }
    /* POSIX checks the timeout only when the lock cannot be taken at once. */
    if (abs && deadline == HD__NEVER && (err = hd__px_deadline(clock, abs, &deadline)) != 0) break;
    if (!hd__mon_wait(&o->mon, deadline, o->kind == PX_SPIN ? "pthread_spin_lock" : "pthread_mutex_lock") &&
        o->mon.obj.holder != -1) {
      err = ETIMEDOUT;
      break;
    }
  }
  if (!err) {
    o->mon.obj.holder = self;
    o->u.mutex.count = 1;
    hd__guard(&o->mon.obj, true);
  }
  hd__mon_exit(&o->mon);
  return err;
}

/* Releases `o` once; `all` releases every level (a condition wait). */
static int unlock(px_object *o, bool all, const char *file, int line) {
  int self = hd__self();
  hd__mon_enter(&o->mon);
  int holder = o->mon.obj.holder;
  if (holder != self) {
    hd__mon_exit(&o->mon);
    if (o->u.mutex.type == PTHREAD_MUTEX_NORMAL)
      hd__misuse(file, line, "%s of a %s %s (undefined behaviour)",
                 o->kind == PX_SPIN ? "pthread_spin_unlock" : "pthread_mutex_unlock",
                 o->kind == PX_SPIN ? SPIN : MUTEX,
                 holder < 0 ? "that is not locked" : "that another thread holds");
    return EPERM;
  }
  if (!all && --o->u.mutex.count > 0) {
    hd__mon_exit(&o->mon);
    return 0;
  }
  o->u.mutex.count = 0;
  hd__guard(&o->mon.obj, false);
  o->mon.obj.holder = -1;
  hd__mon_notify_all(&o->mon);
  hd__mon_exit(&o->mon);
  return 0;
}

unsigned hd__px_mutex_release_all(px_object *m, const char *file, int line) {
  hd__point(&m->mon.obj, HD_OP_RELEASE, file, line);
  unsigned depth = m->u.mutex.count;
  unlock(m, true, file, line);
  return depth;
}

void hd__px_mutex_reacquire(px_object *m, unsigned depth, const char *file, int line) {
  lock(m, true, CLOCK_REALTIME, NULL, file, line);
  m->u.mutex.count = depth;
}

static bool locked(const px_object *o) { return o->mon.obj.holder != -1; }

int hd_px_pthread_mutex_init_at(pthread_mutex_t *m, const pthread_mutexattr_t *attr, const char *file, int line) {
  int type = PTHREAD_MUTEX_NORMAL;
  if (attr && pthread_mutexattr_gettype(attr, &type) != 0) return EINVAL;
  px_object *o = hd__px_create(m, PX_MUTEX, MUTEX);
  o->u.mutex.type = type & 3;
  hd__point(&o->mon.obj, HD_OP_UPDATE, file, line);
  return 0;
}

int hd_px_pthread_mutex_destroy_at(pthread_mutex_t *m, const char *file, int line) {
  px_object *o = hd__px_mutex(m, file, line);
  return o ? hd__px_destroy_unless(o, locked, "pthread_mutex_destroy of a locked mutex", file, line) : EINVAL;
}

int hd_px_pthread_mutex_lock_at(pthread_mutex_t *m, const char *file, int line) {
  px_object *o = hd__px_mutex(m, file, line);
  return o ? lock(o, true, CLOCK_REALTIME, NULL, file, line) : EINVAL;
}

int hd_px_pthread_mutex_trylock_at(pthread_mutex_t *m, const char *file, int line) {
  px_object *o = hd__px_mutex(m, file, line);
  return o ? lock(o, false, CLOCK_REALTIME, NULL, file, line) : EINVAL;
}

int hd_px_pthread_mutex_timedlock_at(pthread_mutex_t *m, const struct timespec *abs, const char *file, int line) {
  px_object *o = hd__px_mutex(m, file, line);
  return o ? lock(o, true, CLOCK_REALTIME, abs, file, line) : EINVAL;
}

int hd_px_pthread_mutex_clocklock_at(pthread_mutex_t *m, clockid_t clock, const struct timespec *abs, const char *file,
                                     int line) {
  px_object *o = hd__px_mutex(m, file, line);
  return o ? lock(o, true, clock, abs, file, line) : EINVAL;
}

int hd_px_pthread_mutex_unlock_at(pthread_mutex_t *m, const char *file, int line) {
  px_object *o = hd__px_mutex(m, file, line);
  if (!o) return EINVAL;
  hd__point(&o->mon.obj, HD_OP_RELEASE, file, line);
  return unlock(o, false, file, line);
}

int hd_px_pthread_spin_init_at(pthread_spinlock_t *s, int pshared, const char *file, int line) {
  (void)pshared; /* one process: shared or not is the same */
  px_object *o = hd__px_create((const void *)s, PX_SPIN, SPIN);
  o->u.mutex.type = PTHREAD_MUTEX_NORMAL;
  hd__point(&o->mon.obj, HD_OP_UPDATE, file, line);
  return 0;
}

int hd_px_pthread_spin_destroy_at(pthread_spinlock_t *s, const char *file, int line) {
  return hd__px_destroy_unless(spin(s), locked, "pthread_spin_destroy of a locked spinlock", file, line);
}

int hd_px_pthread_spin_lock_at(pthread_spinlock_t *s, const char *file, int line) {
  return lock(spin(s), true, CLOCK_REALTIME, NULL, file, line);
}

int hd_px_pthread_spin_trylock_at(pthread_spinlock_t *s, const char *file, int line) {
  return lock(spin(s), false, CLOCK_REALTIME, NULL, file, line);
}

int hd_px_pthread_spin_unlock_at(pthread_spinlock_t *s, const char *file, int line) {
  px_object *o = spin(s);
  hd__point(&o->mon.obj, HD_OP_RELEASE, file, line);
  return unlock(o, false, file, line);
}

/* pthread_rwlock_*: read-write locks with glibc's default policy.
 *
 * glibc's default (PTHREAD_RWLOCK_PREFER_READER_NP) admits a reader
 * whenever no writer holds the lock, even while writers wait; a writer
 * waits until there are neither readers nor a writer. Read acquisitions are
 * HD_OP_SHARED, which commute with each other, so partial-order reduction
 * does not order two readers both ways. The holder of an rdlock is not
 * recorded per thread; a writer is (mon.obj.holder), so a writer's relock
 * is EDEADLK as in glibc, and an unlock of an unlocked rwlock is misuse. */
#include <errno.h>

#include "harness/posix/posix.h"

static const char RWLOCK[] = "rwlock";

static px_object *rwlock(pthread_rwlock_t *l, const char *file, int line) {
  px_object *o = hd__px_find(l, PX_RWLOCK);
  if (o) return o;
  /* PTHREAD_RWLOCK_INITIALIZER is zero but for the policy field. */
  pthread_rwlock_t copy = *l;
  copy.__data.__flags = 0;
  bool created;
  return hd__px_lookup(l, PX_RWLOCK, RWLOCK, "pthread_rwlock", "PTHREAD_RWLOCK_INITIALIZER",
                       hd__px_all_zero(&copy, sizeof copy), &created, file, line);
}

static int acquire(pthread_rwlock_t *l, bool write, bool blocking, clockid_t clock, const struct timespec *abs,
                   const char *file, int line) {
  px_object *o = rwlock(l, file, line);
  if (!o) return EINVAL;
  hd__point(&o->mon.obj, !blocking ? HD_OP_TRY : write ? HD_OP_ACQUIRE : HD_OP_SHARED, file, line);
  int self = hd__self(), err = 0;
  int64_t deadline = HD__NEVER;
  hd__mon_enter(&o->mon);
  if (o->mon.obj.holder == self) {
    hd__mon_exit(&o->mon);
    return blocking ? EDEADLK : EBUSY;
  }
  for (;;) {
    bool available = o->mon.obj.holder == -1 && (!write || o->u.rwlock.readers == 0);
    if (available) break;
    if (!blocking) {
      err = EBUSY;
      break;
    }
    if (abs && deadline == HD__NEVER && (err = hd__px_deadline(clock, abs, &deadline)) != 0) break;
    if (write) o->u.rwlock.writers_waiting++;
    bool woke = hd__mon_wait(&o->mon, deadline, write ? "pthread_rwlock_wrlock" : "pthread_rwlock_rdlock");
    if (write) o->u.rwlock.writers_waiting--;
    /* A false return means the deadline passed; the lock may still have come free. */
    if (!woke && !(o->mon.obj.holder == -1 && (!write || o->u.rwlock.readers == 0))) {
      err = ETIMEDOUT;
      break;
    }
  }
  if (!err) {
    if (write) o->mon.obj.holder = self;
    else o->u.rwlock.readers++;
  }
  hd__mon_exit(&o->mon);
  return err;
}

int hd_px_pthread_rwlock_init_at(pthread_rwlock_t *l, const pthread_rwlockattr_t *attr, const char *file, int line) {
  (void)attr; /* the policy attribute is glibc's; heddle uses glibc's default */
  px_object *o = hd__px_create(l, PX_RWLOCK, RWLOCK);
  hd__point(&o->mon.obj, HD_OP_UPDATE, file, line);
  return 0;
}

static bool held(const px_object *o) { return o->mon.obj.holder != -1 || o->u.rwlock.readers > 0; }

int hd_px_pthread_rwlock_destroy_at(pthread_rwlock_t *l, const char *file, int line) {
  px_object *o = rwlock(l, file, line);
  return o ? hd__px_destroy_unless(o, held, "pthread_rwlock_destroy of a locked rwlock", file, line) : EINVAL;
}

int hd_px_pthread_rwlock_rdlock_at(pthread_rwlock_t *l, const char *file, int line) {
  return acquire(l, false, true, CLOCK_REALTIME, NULL, file, line);
}
int hd_px_pthread_rwlock_wrlock_at(pthread_rwlock_t *l, const char *file, int line) {
  return acquire(l, true, true, CLOCK_REALTIME, NULL, file, line);
}
int hd_px_pthread_rwlock_tryrdlock_at(pthread_rwlock_t *l, const char *file, int line) {
  return acquire(l, false, false, CLOCK_REALTIME, NULL, file, line);
}
int hd_px_pthread_rwlock_trywrlock_at(pthread_rwlock_t *l, const char *file, int line) {
  return acquire(l, true, false, CLOCK_REALTIME, NULL, file, line);
}
int hd_px_pthread_rwlock_timedrdlock_at(pthread_rwlock_t *l, const struct timespec *abs, const char *file, int line) {
  return acquire(l, false, true, CLOCK_REALTIME, abs, file, line);
}
int hd_px_pthread_rwlock_timedwrlock_at(pthread_rwlock_t *l, const struct timespec *abs, const char *file, int line) {
  return acquire(l, true, true, CLOCK_REALTIME, abs, file, line);
}

int hd_px_pthread_rwlock_clockrdlock_at(pthread_rwlock_t *l, clockid_t clock, const struct timespec *abs,
                                        const char *file, int line) {
  return acquire(l, false, true, clock, abs, file, line);
}
int hd_px_pthread_rwlock_clockwrlock_at(pthread_rwlock_t *l, clockid_t clock, const struct timespec *abs,
                                        const char *file, int line) {
  return acquire(l, true, true, clock, abs, file, line);
}

int hd_px_pthread_rwlock_unlock_at(pthread_rwlock_t *l, const char *file, int line) {
  px_object *o = rwlock(l, file, line);
  if (!o) return EINVAL;
  hd__point(&o->mon.obj, HD_OP_RELEASE, file, line);
  hd__mon_enter(&o->mon);
  if (o->mon.obj.holder == hd__self()) {
    o->mon.obj.holder = -1;
  } else if (o->mon.obj.holder == -1 && o->u.rwlock.readers > 0) {
    o->u.rwlock.readers--;
  } else {
    hd__mon_exit(&o->mon);
    hd__misuse(file, line, "pthread_rwlock_unlock of an rwlock the thread does not hold (undefined behaviour)");
    return EPERM;
  }
  hd__mon_notify_all(&o->mon);
  hd__mon_exit(&o->mon);
  return 0;
}

/* pthread_barrier_* and sem_*: counting objects.
 *
 * A barrier releases its waiters when the count-th thread arrives; that
 * thread gets PTHREAD_BARRIER_SERIAL_THREAD, the others 0, and the barrier
 * is ready for its next cycle. A semaphore follows sem_overview(7): sem_wait
 * blocks while the value is 0, sem_trywait fails with EAGAIN, sem_timedwait
 * with ETIMEDOUT (CLOCK_REALTIME, virtual), sem_post fails with EOVERFLOW
 * at SEM_VALUE_MAX; these set errno and return -1, as POSIX says. */
#include <errno.h>
#include <limits.h>

#include "harness/posix/posix.h"

static const char BARRIER[] = "barrier", SEM[] = "semaphore";

static px_object *barrier(pthread_barrier_t *b, const char *file, int line) {
  px_object *o = hd__px_find(b, PX_BARRIER);
  if (!o) hd__misuse(file, line, "use of a barrier that was never initialised or was destroyed (undefined behaviour)");
  return o;
}

int hd_px_pthread_barrier_init_at(pthread_barrier_t *b, const pthread_barrierattr_t *attr, unsigned count,
                                  const char *file, int line) {
  (void)attr; /* process-shared or not: one process */
  if (count == 0) return EINVAL;
  px_object *o = hd__px_create(b, PX_BARRIER, BARRIER);
  o->u.barrier.count = count;
  hd__point(&o->mon.obj, HD_OP_UPDATE, file, line);
  return 0;
}

static bool waited_at(const px_object *o) { return o->u.barrier.arrived > 0; }

int hd_px_pthread_barrier_destroy_at(pthread_barrier_t *b, const char *file, int line) {
  px_object *o = barrier(b, file, line);
  return o ? hd__px_destroy_unless(o, waited_at, "pthread_barrier_destroy while threads wait at it", file, line)
           : EINVAL;
}

int hd_px_pthread_barrier_wait_at(pthread_barrier_t *b, const char *file, int line) {
  px_object *o = barrier(b, file, line);
  if (!o) return EINVAL;
  hd__point(&o->mon.obj, HD_OP_WAIT, file, line);
  hd__mon_enter(&o->mon);
  uint64_t cycle = o->u.barrier.cycle;
  int result = 0;
  if (++o->u.barrier.arrived == o->u.barrier.count) {
    o->u.barrier.arrived = 0;
    o->u.barrier.cycle++;
    hd__mon_notify_all(&o->mon);
    result = PTHREAD_BARRIER_SERIAL_THREAD;
  } else {
    while (o->u.barrier.cycle == cycle) hd__mon_wait(&o->mon, HD__NEVER, "pthread_barrier_wait");
  }
  hd__mon_exit(&o->mon);
  return result;
}

static px_object *sem(sem_t *s, const char *file, int line) {
  px_object *o = hd__px_find(s, PX_SEM);
  if (!o) hd__misuse(file, line, "use of a semaphore that was never initialised (sem_init) or was destroyed");
  return o;
}

static int fail(int err) {
  errno = err;
  return -1;
}

int hd_px_sem_init_at(sem_t *s, int pshared, unsigned value, const char *file, int line) {
  (void)pshared;
  if (value > SEM_VALUE_MAX) return fail(EINVAL);
  px_object *o = hd__px_create(s, PX_SEM, SEM);
  o->u.sem.value = value;
  hd__point(&o->mon.obj, HD_OP_UPDATE, file, line);
  return 0;
}

static bool waited_on(const px_object *o) { return o->u.sem.waiters > 0; }

int hd_px_sem_destroy_at(sem_t *s, const char *file, int line) {
  px_object *o = sem(s, file, line);
  if (!o) return fail(EINVAL);
  int err = hd__px_destroy_unless(o, waited_on, "sem_destroy while threads wait on the semaphore", file, line);
  return err ? fail(err) : 0;
}

/* sem_wait, sem_trywait (`blocking` false), sem_timedwait and
 * sem_clockwait (`abs` on `clock`). */
static int down(sem_t *s, bool blocking, clockid_t clock, const struct timespec *abs, const char *file, int line) {
  px_object *o = sem(s, file, line);
  if (!o) return fail(EINVAL);
  hd__point(&o->mon.obj, blocking ? HD_OP_ACQUIRE : HD_OP_TRY, file, line);
  int err = 0;
  int64_t deadline = HD__NEVER;
  hd__mon_enter(&o->mon);
  while (o->u.sem.value == 0) {
    if (!blocking) {
      err = EAGAIN;
      break;
    }
    if (abs && deadline == HD__NEVER && (err = hd__px_deadline(clock, abs, &deadline)) != 0) break;
    o->u.sem.waiters++;
    bool woke = hd__mon_wait(&o->mon, deadline, "sem_wait");
    o->u.sem.waiters--;
    if (!woke && o->u.sem.value == 0) { /* the deadline passed */
      err = ETIMEDOUT;
      break;
    }
  }
  if (!err) o->u.sem.value--;
  hd__mon_exit(&o->mon);
  return err ? fail(err) : 0;
}

int hd_px_sem_wait_at(sem_t *s, const char *file, int line) { return down(s, true, CLOCK_REALTIME, NULL, file, line); }
int hd_px_sem_trywait_at(sem_t *s, const char *file, int line) { return down(s, false, CLOCK_REALTIME, NULL, file, line); }
int hd_px_sem_timedwait_at(sem_t *s, const struct timespec *abs, const char *file, int line) {
  return down(s, true, CLOCK_REALTIME, abs, file, line);
}
int hd_px_sem_clockwait_at(sem_t *s, clockid_t clock, const struct timespec *abs, const char *file, int line) {
  return down(s, true, clock, abs, file, line);
}

int hd_px_sem_post_at(sem_t *s, const char *file, int line) {
  px_object *o = sem(s, file, line);
  if (!o) return fail(EINVAL);
  hd__point(&o->mon.obj, HD_OP_RELEASE, file, line);
  hd__mon_enter(&o->mon);
  int err = 0;
  if (o->u.sem.value == SEM_VALUE_MAX) err = EOVERFLOW;
  else o->u.sem.value++;
  hd__mon_notify_all(&o->mon);
  hd__mon_exit(&o->mon);
  return err ? fail(err) : 0;
}

int hd_px_sem_getvalue_at(sem_t *s, int *value, const char *file, int line) {
  px_object *o = sem(s, file, line);
  if (!o) return fail(EINVAL);
  hd__point(&o->mon.obj, HD_OP_QUERY, file, line);
  *value = (int)o->u.sem.value;
  return 0;
}

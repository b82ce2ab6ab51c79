/* Lock over one monitor: a flag and waiters that loop on it. */
#include "primitives/lock.h"

void hd_lock_init(hd_lock *l, const char *name) {
  hd__mon_init(&l->mon, "Lock", name);
  l->locked = false;
}

void hd_lock_destroy(hd_lock *l) { hd__mon_destroy(&l->mon); }

hd_err hd__check_acquire_args(bool blocking, double timeout, const char *file, int line) {
  if (hd__check_timeout(timeout, file, line) != HD_OK) return HD_EINVAL;
  if (!blocking && timeout != HD_FOREVER) {
    hd__misuse(file, line, "can't specify a timeout for a non-blocking call");
    return HD_EINVAL;
  }
  if (timeout < 0 && timeout != HD_FOREVER) {
    hd__misuse(file, line, "timeout value must be a non-negative number or -1");
    return HD_EINVAL;
  }
  return HD_OK;
}

hd_err hd_lock_acquire_at(hd_lock *l, bool blocking, double timeout, const char *file, int line) {
  /* A non-blocking acquire can complete (fail) while the lock is held, so
   * it is not ordered after the holder's release the way a blocking one is:
   * its own kind tells dfs so. */
  hd__point(&l->mon.obj, blocking ? HD_OP_ACQUIRE : HD_OP_TRY, file, line);
  hd_err err = hd__check_acquire_args(blocking, timeout, file, line);
  if (err != HD_OK) return err;
  int64_t deadline = hd__deadline_after(timeout);
  hd__mon_enter(&l->mon);
  while (l->locked) {
    if (!blocking) {
      err = HD_EWOULDBLOCK;
      break;
    }
    if (!hd__mon_wait(&l->mon, deadline, "acquire") && l->locked) {
      err = HD_ETIMEDOUT;
      break;
    }
  }
  if (err == HD_OK) {
    l->locked = true;
    l->mon.obj.holder = hd__self();
    hd__guard(&l->mon.obj, true);
  }
  hd__mon_exit(&l->mon);
  return err;
}

hd_err hd_lock_release_at(hd_lock *l, const char *file, int line) {
  hd__point(&l->mon.obj, HD_OP_RELEASE, file, line);
  hd__mon_enter(&l->mon);
  if (!l->locked) {
    hd__mon_exit(&l->mon);
    hd__misuse(file, line, "release unlocked lock");
    return HD_EMISUSE;
  }
  l->locked = false;
  hd__guard(&l->mon.obj, false);
  l->mon.obj.holder = -1;
  hd__mon_notify_all(&l->mon);
  hd__mon_exit(&l->mon);
  return HD_OK;
}

bool hd_lock_locked_at(hd_lock *l, const char *file, int line) {
  hd__point(&l->mon.obj, HD_OP_QUERY, file, line);
  hd__mon_enter(&l->mon);
  bool locked = l->locked;
  hd__mon_exit(&l->mon);
  return locked;
}

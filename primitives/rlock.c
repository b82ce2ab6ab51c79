/* RLock over one monitor: owner (mon.obj.holder) and recursion count. */
#include "primitives/rlock.h"

#include "primitives/lock.h"

void hd_rlock_init(hd_rlock *r, const char *name) {
  hd__mon_init(&r->mon, "RLock", name);
  r->count = 0;
}

void hd_rlock_destroy(hd_rlock *r) { hd__mon_destroy(&r->mon); }

hd_err hd_rlock_acquire_at(hd_rlock *r, bool blocking, double timeout, const char *file, int line) {
  hd__point(&r->mon.obj, blocking ? HD_OP_ACQUIRE : HD_OP_TRY, file, line); /* lock.c says why */
  hd_err err = hd__check_acquire_args(blocking, timeout, file, line);
  if (err != HD_OK) return err;
  int self = hd__self();
  int64_t deadline = hd__deadline_after(timeout);
  hd__mon_enter(&r->mon);
  while (r->count > 0 && r->mon.obj.holder != self) {
    if (!blocking) {
      err = HD_EWOULDBLOCK;
      break;
    }
    if (!hd__mon_wait(&r->mon, deadline, "acquire") && r->count > 0 && r->mon.obj.holder != self) {
      err = HD_ETIMEDOUT;
      break;
    }
  }
  if (err == HD_OK) {
    if (++r->count == 1) hd__guard(&r->mon.obj, true);
    r->mon.obj.holder = self;
  }
  hd__mon_exit(&r->mon);
  return err;
}

hd_err hd_rlock_release_at(hd_rlock *r, const char *file, int line) {
  hd__point(&r->mon.obj, HD_OP_RELEASE, file, line);
  hd__mon_enter(&r->mon);
  if (r->count == 0 || r->mon.obj.holder != hd__self()) {
    hd__mon_exit(&r->mon);
    hd__misuse(file, line, "cannot release un-acquired lock");
    return HD_EMISUSE;
  }
  if (--r->count == 0) {
    hd__guard(&r->mon.obj, false);
    r->mon.obj.holder = -1;
    hd__mon_notify_all(&r->mon);
  }
  hd__mon_exit(&r->mon);
  return HD_OK;
}

int hd_rlock_owner(hd_rlock *r) {
  hd__mon_enter(&r->mon);
  int owner = r->count > 0 ? r->mon.obj.holder : -1;
  hd__mon_exit(&r->mon);
  return owner;
}

int hd_rlock_count(hd_rlock *r) {
  hd__mon_enter(&r->mon);
  int count = r->count;
  hd__mon_exit(&r->mon);
  return count;
}

bool hd_rlock_is_owned(hd_rlock *r) {
  hd__mon_enter(&r->mon);
  bool owned = r->count > 0 && r->mon.obj.holder == hd__self();
  hd__mon_exit(&r->mon);
  return owned;
}

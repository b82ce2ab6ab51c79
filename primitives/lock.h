/* Lock: threading.Lock. Not reentrant: a thread acquiring a Lock it holds
 * blocks forever (the tutorial's self-deadlock). Any thread may release it. */
#ifndef HEDDLE_PRIMITIVES_LOCK_H
#define HEDDLE_PRIMITIVES_LOCK_H

#include <stdbool.h>

#include "primitives/backend.h"
#include "primitives/runtime.h"

/* Invariant: `locked` changes only inside `mon`; mon.obj.holder is the
 * thread that acquired it last while locked, -1 when unlocked. */
typedef struct hd_lock {
  hd__mon mon;
  bool locked;
} hd_lock;

void hd_lock_init(hd_lock *l, const char *name);
void hd_lock_destroy(hd_lock *l);
/* acquire(): blocks until the lock is free. */
#define hd_lock_acquire(l) hd_lock_acquire_at((l), true, HD_FOREVER, __FILE__, __LINE__)
/* acquire(blocking, timeout), with Python's rules: HD_OK, HD_EWOULDBLOCK when
 * non-blocking and taken, HD_ETIMEDOUT, HD_EINVAL for a timeout given with
 * blocking=false or a negative timeout other than -1. */
#define hd_lock_acquire_timed(l, blocking, timeout) \
  hd_lock_acquire_at((l), (blocking), (timeout), __FILE__, __LINE__)
hd_err hd_lock_acquire_at(hd_lock *l, bool blocking, double timeout, const char *file, int line);
/* release(): HD_EMISUSE when unlocked (Python's RuntimeError). */
#define hd_lock_release(l) hd_lock_release_at((l), __FILE__, __LINE__)
hd_err hd_lock_release_at(hd_lock *l, const char *file, int line);
/* locked() */
#define hd_lock_locked(l) hd_lock_locked_at((l), __FILE__, __LINE__)
bool hd_lock_locked_at(hd_lock *l, const char *file, int line);

/* Python's checks shared by every acquire(blocking, timeout). */
hd_err hd__check_acquire_args(bool blocking, double timeout, const char *file, int line);

#endif

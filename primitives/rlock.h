/* RLock: threading.RLock. The owner may acquire it again; it is free after
 * as many releases as acquires. Only the owner may release. */
#ifndef HEDDLE_PRIMITIVES_RLOCK_H
#define HEDDLE_PRIMITIVES_RLOCK_H

#include <stdbool.h>

#include "primitives/backend.h"
#include "primitives/runtime.h"

/* Invariant: count == 0 exactly when mon.obj.holder == -1 (no owner). */
typedef struct hd_rlock {
  hd__mon mon;
  int count;
} hd_rlock;

void hd_rlock_init(hd_rlock *r, const char *name);
void hd_rlock_destroy(hd_rlock *r);
#define hd_rlock_acquire(r) hd_rlock_acquire_at((r), true, HD_FOREVER, __FILE__, __LINE__)
#define hd_rlock_acquire_timed(r, blocking, timeout) \
  hd_rlock_acquire_at((r), (blocking), (timeout), __FILE__, __LINE__)
/* Same results as hd_lock_acquire_at; re-acquiring by the owner never blocks. */
hd_err hd_rlock_acquire_at(hd_rlock *r, bool blocking, double timeout, const char *file, int line);
/* HD_EMISUSE when the caller does not own it ("cannot release un-acquired lock"). */
#define hd_rlock_release(r) hd_rlock_release_at((r), __FILE__, __LINE__)
hd_err hd_rlock_release_at(hd_rlock *r, const char *file, int line);
/* The owner's ident (-1 when free) and the recursion count. */
int hd_rlock_owner(hd_rlock *r);
int hd_rlock_count(hd_rlock *r);
/* Whether the calling thread owns it (RLock._is_owned, for Condition). */
bool hd_rlock_is_owned(hd_rlock *r);

#endif

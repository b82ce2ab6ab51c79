/* Semaphore and BoundedSemaphore: threading.Semaphore(value) and
 * threading.BoundedSemaphore(value). A counter that acquire() decrements,
 * blocking at zero, and release(n) increments; a bounded one refuses to go
 * above its initial value. Both share one type; `bounded` tells them apart. */
#ifndef HEDDLE_PRIMITIVES_SEMAPHORE_H
#define HEDDLE_PRIMITIVES_SEMAPHORE_H

#include <stdbool.h>
#include <stdint.h>

#include "primitives/backend.h"
#include "primitives/runtime.h"

/* Invariants: 0 <= value, and value <= initial when bounded; `value` changes
 * only inside `mon`. mon.obj.holder stays -1: a semaphore has no owner (any
 * thread may release it). */
typedef struct hd_semaphore {
  hd__mon mon;
  int64_t value;
  int64_t initial;
  bool bounded;
} hd_semaphore;

/* Semaphore(value) / BoundedSemaphore(value). A negative value is Python's
 * ValueError: HD_EINVAL, reported as misuse, and the semaphore starts at 0
 * (still safe to use and destroy). */
#define hd_semaphore_init(s, value, name) hd_semaphore_init_at((s), (value), (name), false, __FILE__, __LINE__)
#define hd_bounded_semaphore_init(s, value, name) hd_semaphore_init_at((s), (value), (name), true, __FILE__, __LINE__)
hd_err hd_semaphore_init_at(hd_semaphore *s, int64_t value, const char *name, bool bounded, const char *file, int line);
void hd_semaphore_destroy(hd_semaphore *s);

/* acquire(): blocks until the value is positive, then decrements it. */
#define hd_semaphore_acquire(s) hd_semaphore_acquire_at((s), true, HD_FOREVER, __FILE__, __LINE__)
/* acquire(blocking, timeout): HD_OK (Python's True); HD_EWOULDBLOCK when
 * non-blocking at zero and HD_ETIMEDOUT when the timeout expired (both
 * Python's False); HD_EINVAL (ValueError, reported as misuse) for a timeout
 * with blocking=false. HD_FOREVER is None; another negative timeout, like 0,
 * does not block (as CPython). */
#define hd_semaphore_acquire_timed(s, blocking, timeout) \
  hd_semaphore_acquire_at((s), (blocking), (timeout), __FILE__, __LINE__)
hd_err hd_semaphore_acquire_at(hd_semaphore *s, bool blocking, double timeout, const char *file, int line);

/* release(n): adds n and wakes up to n waiters. HD_EINVAL (ValueError,
 * reported as misuse) for n < 1, and for a BoundedSemaphore whose value
 * would exceed its initial value ("Semaphore released too many times"); the
 * value is then unchanged. HD_EINVAL rather than HD_EMISUSE because Python
 * raises ValueError, not RuntimeError. */
#define hd_semaphore_release(s) hd_semaphore_release_at((s), 1, __FILE__, __LINE__)
#define hd_semaphore_release_n(s, n) hd_semaphore_release_at((s), (n), __FILE__, __LINE__)
hd_err hd_semaphore_release_at(hd_semaphore *s, int64_t n, const char *file, int line);

/* The current value (Python's _value; no switch point, for checks). */
int64_t hd_semaphore_value(hd_semaphore *s);

#endif

/* Python's timeout argument for the waits built on Condition (Condition.wait,
 * Semaphore.acquire, Event.wait, Barrier.wait): None waits forever, while a
 * zero or negative number means "do not block", because CPython turns
 * `timeout <= 0` into a non-blocking acquire of the waiter lock. Lock.acquire
 * differs (a negative timeout other than -1 is a ValueError) and keeps its
 * own check in lock.c. */
#ifndef HEDDLE_PRIMITIVES_TIMEOUT_H
#define HEDDLE_PRIMITIVES_TIMEOUT_H

#include <stdint.h>

#include "primitives/backend.h"
#include "primitives/runtime.h"

/* The absolute deadline of a Python timeout: HD__NEVER for HD_FOREVER (None),
 * "now" (already expired) for any other negative value. */
static inline int64_t hd__timeout_deadline(double timeout) {
  if (timeout == HD_FOREVER) return HD__NEVER;
  return hd__deadline_after(timeout < 0 ? 0.0 : timeout);
}

#endif

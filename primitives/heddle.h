/* heddle's public API in one include: the primitives of Python's threading
 * module under the hd_ prefix, plus shared variables, sleep, assertions and
 * logging. Each header documents its primitive. */
#ifndef HEDDLE_PRIMITIVES_HEDDLE_H
#define HEDDLE_PRIMITIVES_HEDDLE_H

#include "primitives/barrier.h"
#include "primitives/condition.h"
#include "primitives/error.h"
#include "primitives/event.h"
#include "primitives/executor.h"
#include "primitives/future.h"
#include "primitives/lock.h"
#include "primitives/queue.h"
#include "primitives/rlock.h"
#include "primitives/runtime.h"
#include "primitives/semaphore.h"
#include "primitives/thread.h"
#include "primitives/timer.h"

#endif

/* Future: concurrent.futures.Future, plus the module functions wait() and
 * as_completed().
 *
 * A task is `hd_err fn(void *arg, int64_t *result)`: it "returns" by writing
 * *result and returning HD_OK, and "raises" by returning any other code,
 * which becomes the future's exception (the worker that ran it carries on).
 *
 * Futures live in caller storage (hd_executor_submit() initialises them);
 * a future must stay valid until it is done and no other thread uses it.
 * result() returns the task's own error code when the task failed; use
 * exception() to tell a task that failed with HD_ETIMEDOUT from a result()
 * that timed out.
 *
 * Waiting on several futures (wait, as_completed) follows CPython: the
 * waiting thread registers a waiter record, with its own monitor, on every
 * future; completing a future notifies each registered waiter from inside
 * the future's monitor (the only place where one operation enters two
 * monitors; the order is always future, then waiter).
 *
 * Deviation from CPython: a cancelled future counts as done for wait() and
 * as_completed() as soon as cancel() returns (CPython waits until the
 * executor has dropped it, its CANCELLED_AND_NOTIFIED state). */
#ifndef HEDDLE_PRIMITIVES_FUTURE_H
#define HEDDLE_PRIMITIVES_FUTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "primitives/backend.h"
#include "primitives/runtime.h"

typedef hd_err (*hd_task_fn)(void *arg, int64_t *result);

typedef enum hd_future_state {
  HD_FUTURE_PENDING,
  HD_FUTURE_RUNNING,
  HD_FUTURE_CANCELLED,
  HD_FUTURE_FINISHED,
} hd_future_state;

struct hd_future;
typedef void (*hd_future_callback)(struct hd_future *f, void *arg);

/* Callbacks a future holds before it is done (Python has no limit; a fixed
 * array keeps the future free of heap storage and of a destroy step that
 * could race with the completing thread). */
#define HD_FUTURE_MAX_CALLBACKS 8

struct hd__waiter_link;

/* Invariants (fields below `mon` change only inside it, except `fn`, `arg`
 * and `next`, which belong to the executor that queued the future):
 *   - state goes PENDING -> RUNNING -> FINISHED, or PENDING -> CANCELLED;
 *     FINISHED and CANCELLED are final ("done");
 *   - `error` and `result` are meaningful only when FINISHED;
 *   - mon.obj.holder is the thread running it while RUNNING, else -1, so a
 *     deadlock report names who a result() waits for;
 *   - callbacks are only appended while not done, and run once, in order,
 *     by the thread that makes it done;
 *   - `waiters` lists the wait()/as_completed() records to notify. */
typedef struct hd_future {
  hd__mon mon;
  hd_future_state state;
  hd_err error;
  int64_t result;
  size_t ncallbacks;
  struct {
    hd_future_callback fn;
    void *arg;
  } callbacks[HD_FUTURE_MAX_CALLBACKS];
  struct hd__waiter_link *waiters;
  hd_task_fn fn;
  void *arg;
  struct hd_future *next;
} hd_future;

/* Future(): a pending future, for executors and tests. `name` may be NULL. */
void hd_future_init(hd_future *f, const char *name);
/* Releases the monitor; the future must be done or never shared. */
void hd_future_destroy(hd_future *f);

/* cancel(): true when the future is now cancelled (it was pending, or already
 * cancelled); false when it is running or finished. */
#define hd_future_cancel(f) hd_future_cancel_at((f), __FILE__, __LINE__)
bool hd_future_cancel_at(hd_future *f, const char *file, int line);
/* cancelled(), running(), done() */
#define hd_future_cancelled(f) (hd_future_state_at((f), __FILE__, __LINE__) == HD_FUTURE_CANCELLED)
#define hd_future_running(f) (hd_future_state_at((f), __FILE__, __LINE__) == HD_FUTURE_RUNNING)
#define hd_future_done(f) (hd_future_state_at((f), __FILE__, __LINE__) >= HD_FUTURE_CANCELLED)
hd_future_state hd_future_state_at(hd_future *f, const char *file, int line);

/* result(timeout): HD_OK with *result_out; HD_ETIMEDOUT when not done by the
 * deadline; HD_ECANCELLED; or the task's error code. result_out may be NULL. */
#define hd_future_result(f, result_out, timeout) hd_future_result_at((f), (result_out), (timeout), __FILE__, __LINE__)
hd_err hd_future_result_at(hd_future *f, int64_t *result_out, double timeout, const char *file, int line);
/* result() with an absolute deadline (hd__now() clock), for map(). */
hd_err hd__future_result_until(hd_future *f, int64_t *result_out, int64_t deadline, const char *file, int line);
/* exception(timeout): HD_OK with the task's error in *error_out (HD_OK when it
 * succeeded, Python's None); HD_ETIMEDOUT; HD_ECANCELLED. */
#define hd_future_exception(f, error_out, timeout) \
  hd_future_exception_at((f), (error_out), (timeout), __FILE__, __LINE__)
hd_err hd_future_exception_at(hd_future *f, hd_err *error_out, double timeout, const char *file, int line);

/* add_done_callback(fn): runs fn(f, arg) at once, in the calling thread, when
 * already done; otherwise in the thread that completes or cancels it.
 * HD_ENOMEM when HD_FUTURE_MAX_CALLBACKS are already registered. */
#define hd_future_add_done_callback(f, fn, arg) hd_future_add_done_callback_at((f), (fn), (arg), __FILE__, __LINE__)
hd_err hd_future_add_done_callback_at(hd_future *f, hd_future_callback fn, void *arg, const char *file, int line);

/* For executors and tests (Python's methods of the same names).
 * set_running_or_notify_cancel(): true and RUNNING if it was pending, false if
 * it was cancelled; false plus misuse when already running or finished
 * (Python's RuntimeError). set_result / set_exception: HD_EMISUSE plus
 * misuse when already done (Python's InvalidStateError). */
#define hd_future_set_running_or_notify_cancel(f) hd_future_set_running_or_notify_cancel_at((f), __FILE__, __LINE__)
bool hd_future_set_running_or_notify_cancel_at(hd_future *f, const char *file, int line);
#define hd_future_set_result(f, value) hd_future_set_result_at((f), (value), __FILE__, __LINE__)
hd_err hd_future_set_result_at(hd_future *f, int64_t value, const char *file, int line);
/* `error` must not be HD_OK (HD_EINVAL plus misuse). */
#define hd_future_set_exception(f, error) hd_future_set_exception_at((f), (error), __FILE__, __LINE__)
hd_err hd_future_set_exception_at(hd_future *f, hd_err error, const char *file, int line);

/* ---- waiting on several futures ------------------------------------------------ */

typedef enum hd_return_when {
  HD_FIRST_COMPLETED,
  HD_FIRST_EXCEPTION,
  HD_ALL_COMPLETED,
} hd_return_when;

/* Futures a waiter holds without the heap: an execution that ends in a bug
 * while a thread waits abandons the record, which must not leak. */
#define HD__WAITER_INLINE 8

struct hd__waiter;

/* One registration of a waiter on one future. */
typedef struct hd__waiter_link {
  struct hd__waiter *waiter;
  struct hd__waiter_link *next;
} hd__waiter_link;

/* A waiter record: what wait() and as_completed() register on each future.
 * Invariant: `done` holds the registered futures that completed, in the
 * order they completed (already-done ones in argument order), each once;
 * ndone <= cap; `exception` is set once one of them finished with an error.
 * `done` and `links` point into the inline arrays when cap <= HD__WAITER_INLINE. */
typedef struct hd__waiter {
  hd__mon mon;
  hd_future **done;
  hd__waiter_link *links;
  size_t ndone, cap;
  bool exception;
  hd_future *done_inline[HD__WAITER_INLINE];
  hd__waiter_link links_inline[HD__WAITER_INLINE];
} hd__waiter;

/* wait(fs, timeout, return_when): blocks until the condition holds or the
 * timeout expires (no error on timeout, as in Python), then sets done_out[i]
 * (may be NULL) to whether fs[i] is done and *ndone_out (may be NULL) to
 * their number. HD_OK; HD_ENOMEM; HD_EINVAL plus misuse for a negative
 * timeout other than HD_FOREVER. Duplicates in fs are allowed. */
#define hd_futures_wait(fs, n, timeout, when, done_out, ndone_out) \
  hd_futures_wait_at((fs), (n), (timeout), (when), (done_out), (ndone_out), __FILE__, __LINE__)
hd_err hd_futures_wait_at(hd_future *const *fs, size_t n, double timeout, hd_return_when when, bool *done_out,
                          size_t *ndone_out, const char *file, int line);

/* as_completed(fs, timeout) as an iterator:
 *
 *   hd_as_completed it;
 *   hd_as_completed_init(&it, fs, n, timeout);
 *   hd_future *f;
 *   while (hd_as_completed_next(&it, &f) == HD_OK && f) ...;
 *   hd_as_completed_destroy(&it);
 *
 * Futures already done at init come first, in argument order, then the rest
 * in the order they complete; each future once (duplicates in fs collapse).
 * The timeout runs from init, as Python's does from the call. */
typedef struct hd_as_completed {
  hd__waiter waiter;
  bool initialised;
  hd_future *const *fs;
  size_t n;      /* distinct futures registered */
  size_t next;   /* waiter.done[next] is the next to hand out */
  int64_t deadline;
} hd_as_completed;

/* HD_OK, HD_ENOMEM, HD_EINVAL (negative timeout other than HD_FOREVER). */
#define hd_as_completed_init(it, fs, n, timeout) \
  hd_as_completed_init_at((it), (fs), (n), (timeout), __FILE__, __LINE__)
hd_err hd_as_completed_init_at(hd_as_completed *it, hd_future *const *fs, size_t n, double timeout, const char *file,
                               int line);
/* HD_OK with the next completed future in *out, or with *out == NULL when
 * every future was handed out; HD_ETIMEDOUT when the timeout expired first
 * (Python's TimeoutError). */
#define hd_as_completed_next(it, out) hd_as_completed_next_at((it), (out), __FILE__, __LINE__)
hd_err hd_as_completed_next_at(hd_as_completed *it, hd_future **out, const char *file, int line);
/* Unregisters from every future; call it even after a timeout. */
void hd_as_completed_destroy(hd_as_completed *it);

#endif

/* Executor: concurrent.futures.ThreadPoolExecutor.
 *
 * Workers are hd_threads named "<name>_<i>" (interned: traces outlive the
 * executor), started lazily as in CPython:
 * submit() starts one more worker when no idle worker is free for the new
 * task and fewer than max_workers run. Workers are non-daemon; shutdown(wait)
 * joins them. An executor never shut down leaves its idle workers waiting,
 * which the harness reports as a deadlock at interpreter exit naming them
 * (CPython shuts pools down at exit): use hd_executor_scope() or
 * HD_WITH_EXECUTOR, the counterparts of `with ThreadPoolExecutor() as ex`.
 *
 * Tasks and futures are described in primitives/future.h. */
#ifndef HEDDLE_PRIMITIVES_EXECUTOR_H
#define HEDDLE_PRIMITIVES_EXECUTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "primitives/backend.h"
#include "primitives/future.h"
#include "primitives/runtime.h"
#include "primitives/thread.h"

/* max_workers=None. CPython uses min(32, cpu_count + 4); a fixed number keeps
 * the machine's CPU count out of the schedules, so runs replay anywhere. */
#define HD_EXECUTOR_DEFAULT_WORKERS 4
/* The most workers an executor can have (CPython's default cap). The worker
 * table lives inside the executor, not on the heap: an execution that ends
 * in a bug abandons its executor, and must not leak it. */
#define HD_EXECUTOR_MAX_WORKERS 32

/* Invariants (fields below `mon` change only inside it):
 *   - nthreads <= max_workers; slots workers[0..nthreads) are taken;
 *     spawned[i] says whether slot i's thread really started; `spawning`
 *     counts slots taken whose start has not returned yet (shutdown waits
 *     for it to reach 0 before joining);
 *   - idle counts workers blocked waiting for work;
 *   - head..tail is the FIFO of submitted futures no worker took yet,
 *     linked through hd_future.next, `queued` long;
 *   - is_shutdown only goes from false to true; after it no future is
 *     queued, and workers exit once the queue is empty;
 *   - abandoned lists map() blocks whose futures may still be running; they
 *     are freed by hd_executor_destroy() after the workers are joined. */
typedef struct hd_executor {
  hd__mon mon;
  int max_workers;
  int nthreads;
  int idle;
  bool is_shutdown;
  hd_future *head, *tail;
  size_t queued;
  int spawning;
  bool initialised; /* init succeeded and destroy has not run */
  bool spawned[HD_EXECUTOR_MAX_WORKERS];
  hd_thread workers[HD_EXECUTOR_MAX_WORKERS];
  void *abandoned;
  const char *name;
} hd_executor;

/* ThreadPoolExecutor(max_workers, thread_name_prefix=name): max_workers 0 is
 * Python's None (HD_EXECUTOR_DEFAULT_WORKERS); a negative one is HD_EINVAL
 * plus misuse (Python's ValueError), and so is one above
 * HD_EXECUTOR_MAX_WORKERS. `name` may be NULL ("ThreadPoolExecutor"). */
#define hd_executor_init(ex, max_workers, name) hd_executor_init_at((ex), (max_workers), (name), __FILE__, __LINE__)
hd_err hd_executor_init_at(hd_executor *ex, int max_workers, const char *name, const char *file, int line);
/* shutdown(wait=True) if not done yet, then frees the executor's storage. */
#define hd_executor_destroy(ex) hd_executor_destroy_at((ex), __FILE__, __LINE__)
void hd_executor_destroy_at(hd_executor *ex, const char *file, int line);

/* submit(fn, arg): initialises *f (caller storage, valid until done) and
 * queues it. HD_ESHUTDOWN plus misuse after shutdown (Python's RuntimeError
 * "cannot schedule new futures after shutdown"); HD_ENOMEM when a needed
 * worker could not be started (the future stays queued for the others). */
#define hd_executor_submit(ex, f, fn, arg) hd_executor_submit_at((ex), (f), (fn), (arg), __FILE__, __LINE__)
hd_err hd_executor_submit_at(hd_executor *ex, hd_future *f, hd_task_fn fn, void *arg, const char *file, int line);

/* map(fn, args): submits fn(args[i]) for i < n, then collects the results in
 * submission order into results[], with one timeout for the whole call
 * (from its start, as in Python). HD_OK when all n results are in;
 * otherwise the first failure in order: the task's error, HD_ETIMEDOUT,
 * HD_ECANCELLED or HD_ESHUTDOWN, after which the remaining tasks are
 * cancelled (Python's generator does so when closed). *nresults_out (may be
 * NULL) gets the number of results written. */
#define hd_executor_map(ex, fn, args, n, results, timeout, nresults_out) \
  hd_executor_map_at((ex), (fn), (args), (n), (results), (timeout), (nresults_out), __FILE__, __LINE__)
hd_err hd_executor_map_at(hd_executor *ex, hd_task_fn fn, void *const *args, size_t n, int64_t *results,
                          double timeout, size_t *nresults_out, const char *file, int line);

/* shutdown(wait, cancel_futures): no new submits; cancel_futures cancels the
 * queued futures; wait joins every worker after they finish what is left.
 * Calling it again is allowed, as in Python. */
#define hd_executor_shutdown(ex, wait, cancel_futures) \
  hd_executor_shutdown_at((ex), (wait), (cancel_futures), __FILE__, __LINE__)
void hd_executor_shutdown_at(hd_executor *ex, bool wait, bool cancel_futures, const char *file, int line);

/* `with ThreadPoolExecutor(max_workers) as ex: fn(ex, arg)`: init, run fn,
 * then always shut down with wait=True and destroy. Returns fn's result, or
 * the init error (fn not run). */
#define hd_executor_scope(max_workers, name, fn, arg) \
  hd_executor_scope_at((max_workers), (name), (fn), (arg), __FILE__, __LINE__)
hd_err hd_executor_scope_at(int max_workers, const char *name, hd_err (*fn)(hd_executor *ex, void *arg), void *arg,
                            const char *file, int line);

/* Statement form of the same: HD_WITH_EXECUTOR(&ex, 2, "pool") { ... } runs the
 * block once when init succeeds and shuts down and destroys at its end. C
 * cannot intercept `break`, `return` or `goto` out of the block: leaving it
 * that way skips the shutdown (hd_executor_scope() has no such hole). */
#define HD_WITH_EXECUTOR(ex, max_workers, name)                                                     \
  for (int hd__with_once = hd_executor_init((ex), (max_workers), (name)) == HD_OK; hd__with_once; \
       hd__with_once = 0, hd_executor_destroy(ex))

#endif

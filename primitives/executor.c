/* ThreadPoolExecutor over one monitor: a FIFO of queued futures, workers
 * that loop taking the head, and lazily started hd_threads. */
#include "primitives/executor.h"

#include "primitives/intern.h"

#include <stdlib.h>
#include <string.h>

static const char IDLE_WHY[] = "worker idle: waiting for work (was the executor shut down?)";
static const char SPAWN_WHY[] = "shutdown: a worker is starting";

/* The futures of one map() call, kept until the executor is destroyed when
 * map() returned early (its futures may still be running). */
typedef struct map_block {
  struct map_block *next;
  size_t n;
  hd_future fs[];
} map_block;

hd_err hd_executor_init_at(hd_executor *ex, int max_workers, const char *name, const char *file, int line) {
  memset(ex, 0, sizeof *ex);
  if (max_workers < 0 || max_workers > HD_EXECUTOR_MAX_WORKERS) {
    hd__misuse(file, line, "max_workers must be greater than 0 and at most %d, got %d", HD_EXECUTOR_MAX_WORKERS,
               max_workers);
    return HD_EINVAL;
  }
  if (max_workers == 0) max_workers = HD_EXECUTOR_DEFAULT_WORKERS;
  ex->name = name ? name : "ThreadPoolExecutor";
  ex->max_workers = max_workers;
  ex->initialised = true;
  hd__mon_init(&ex->mon, "ThreadPoolExecutor", name);
  return HD_OK;
}

/* A worker: takes queued futures until the executor is shut down and the
 * queue is empty. A failing task only fails its future. */
static void worker_main(void *arg) {
  hd_executor *ex = arg;
  for (;;) {
    hd__point(&ex->mon.obj, HD_OP_GET, __FILE__, __LINE__);
    hd__mon_enter(&ex->mon);
    while (!ex->head && !ex->is_shutdown) {
      ex->idle++;
      hd__mon_wait(&ex->mon, HD__NEVER, IDLE_WHY);
      ex->idle--;
    }
    hd_future *f = ex->head;
    if (f) {
      ex->head = f->next;
      if (!ex->head) ex->tail = NULL;
      ex->queued--;
      f->next = NULL;
    }
    hd__mon_exit(&ex->mon);
    if (!f) return;
    if (!hd_future_set_running_or_notify_cancel_at(f, __FILE__, __LINE__)) continue; /* cancelled while queued */
    int64_t result = 0;
    hd_err err = f->fn(f->arg, &result);
    if (err == HD_OK) hd_future_set_result_at(f, result, __FILE__, __LINE__);
    else hd_future_set_exception_at(f, err, __FILE__, __LINE__);
  }
}

hd_err hd_executor_submit_at(hd_executor *ex, hd_future *f, hd_task_fn fn, void *arg, const char *file, int line) {
  hd__point(&ex->mon.obj, HD_OP_SUBMIT, file, line);
  hd_future_init(f, NULL);
  f->fn = fn;
  f->arg = arg;
  hd__mon_enter(&ex->mon);
  if (ex->is_shutdown) {
    hd__mon_exit(&ex->mon);
    hd__misuse(file, line, "cannot schedule new futures after shutdown");
    return HD_ESHUTDOWN;
  }
  if (ex->tail) ex->tail->next = f;
  else ex->head = f;
  ex->tail = f;
  ex->queued++;
  hd__mon_notify_all(&ex->mon);
  /* CPython's _adjust_thread_count: a new worker unless an idle one is free. */
  int slot = -1;
  if ((size_t)ex->idle < ex->queued && ex->nthreads < ex->max_workers) {
    slot = ex->nthreads++;
    ex->spawning++;
  }
  hd__mon_exit(&ex->mon);
  if (slot < 0) return HD_OK;
  const char *name = hd__intern_numbered(ex->name, "_", slot);
  hd_thread_init(&ex->workers[slot], worker_main, ex, name ? name : "ThreadPoolExecutor_worker");
  hd_err err = hd_thread_start_at(&ex->workers[slot], file, line);
  hd__point(&ex->mon.obj, HD_OP_UPDATE, file, line);
  hd__mon_enter(&ex->mon);
  ex->spawned[slot] = err == HD_OK;
  if (--ex->spawning == 0) hd__mon_notify_all(&ex->mon);
  hd__mon_exit(&ex->mon);
  return err == HD_OK ? HD_OK : HD_ENOMEM;
}

void hd_executor_shutdown_at(hd_executor *ex, bool wait, bool cancel_futures, const char *file, int line) {
  hd__point(&ex->mon.obj, HD_OP_CANCEL, file, line);
  hd__mon_enter(&ex->mon);
  ex->is_shutdown = true;
  hd_future *cancel = NULL;
  if (cancel_futures) {
    cancel = ex->head;
    ex->head = ex->tail = NULL;
    ex->queued = 0;
  }
  hd__mon_notify_all(&ex->mon);
  hd__mon_exit(&ex->mon);
  /* Taken off the queue, so no worker can start them: cancel always succeeds. */
  while (cancel) {
    hd_future *next = cancel->next;
    cancel->next = NULL;
    hd_future_cancel_at(cancel, file, line);
    cancel = next;
  }
  if (!wait) return;
  hd__point(&ex->mon.obj, HD_OP_JOIN, file, line);
  hd__mon_enter(&ex->mon);
  while (ex->spawning > 0) hd__mon_wait(&ex->mon, HD__NEVER, SPAWN_WHY);
  int n = ex->nthreads;
  hd__mon_exit(&ex->mon);
  for (int i = 0; i < n; i++)
    if (ex->spawned[i]) hd_thread_join_at(&ex->workers[i], HD_FOREVER, file, line);
}

void hd_executor_destroy_at(hd_executor *ex, const char *file, int line) {
  if (!ex->initialised) return; /* init failed or destroyed already */
  hd_executor_shutdown_at(ex, true, false, file, line);
  for (int i = 0; i < ex->nthreads; i++) hd__mon_destroy(&ex->workers[i].mon);
  for (map_block *b = ex->abandoned, *next; b; b = next) {
    next = b->next;
    for (size_t i = 0; i < b->n; i++) hd_future_destroy(&b->fs[i]);
    hd__free(&ex->mon.obj, b);
  }
  ex->abandoned = NULL;
  ex->initialised = false;
  hd__mon_destroy(&ex->mon);
}

hd_err hd_executor_map_at(hd_executor *ex, hd_task_fn fn, void *const *args, size_t n, int64_t *results,
                          double timeout, size_t *nresults_out, const char *file, int line) {
  if (nresults_out) *nresults_out = 0;
  if (timeout < 0 && timeout != HD_FOREVER) {
    hd__misuse(file, line, "timeout must be a non-negative number or HD_FOREVER, got %g", timeout);
    return HD_EINVAL;
  }
  int64_t deadline = hd__deadline_after(timeout);
  if (n > (SIZE_MAX - sizeof(map_block)) / sizeof(hd_future)) return HD_ENOMEM;
  map_block *b = hd__alloc(&ex->mon.obj, sizeof *b + n * sizeof(hd_future));
  if (!b) return HD_ENOMEM;
  b->n = 0;
  hd_err err = HD_OK;
  for (size_t i = 0; i < n && err == HD_OK; i++) {
    err = hd_executor_submit_at(ex, &b->fs[i], fn, args[i], file, line);
    if (err == HD_OK || err == HD_ENOMEM) b->n = i + 1; /* HD_ENOMEM: queued all the same */
  }
  size_t got = 0;
  for (; got < b->n && err == HD_OK; got++) {
    err = hd__future_result_until(&b->fs[got], &results[got], deadline, file, line);
    if (err != HD_OK) break;
  }
  if (nresults_out) *nresults_out = got;
  if (err == HD_OK) {
    for (size_t i = 0; i < b->n; i++) hd_future_destroy(&b->fs[i]);
    hd__free(&ex->mon.obj, b);
    return HD_OK;
  }
  /* Python's result iterator cancels what it did not deliver when it fails. */
  for (size_t i = got; i < b->n; i++) hd_future_cancel_at(&b->fs[i], file, line);
  hd__point(&ex->mon.obj, HD_OP_UPDATE, file, line);
  hd__mon_enter(&ex->mon);
  b->next = ex->abandoned;
  ex->abandoned = b;
  hd__mon_exit(&ex->mon);
  return err;
}

hd_err hd_executor_scope_at(int max_workers, const char *name, hd_err (*fn)(hd_executor *ex, void *arg), void *arg,
                            const char *file, int line) {
  hd_executor ex;
  hd_err err = hd_executor_init_at(&ex, max_workers, name, file, line);
  if (err != HD_OK) return err;
  err = fn(&ex, arg);
  hd_executor_destroy_at(&ex, file, line);
  return err;
}

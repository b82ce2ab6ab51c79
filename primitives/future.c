/* Future over one monitor, and wait()/as_completed() over waiter records that
 * each future notifies when it becomes done (CPython's _Waiter design). */
#include "primitives/future.h"

#include <stdlib.h>
#include <string.h>

static const char RESULT_WHY[] = "result: future not done";
static const char WAIT_WHY[] = "wait: futures not done";
static const char AS_COMPLETED_WHY[] = "as_completed: no future done";

void hd_future_init(hd_future *f, const char *name) {
  memset(f, 0, sizeof *f);
  hd__mon_init(&f->mon, "Future", name);
  f->state = HD_FUTURE_PENDING;
  f->error = HD_OK;
}

void hd_future_destroy(hd_future *f) { hd__mon_destroy(&f->mon); }

static bool is_done(const hd_future *f) { return f->state == HD_FUTURE_CANCELLED || f->state == HD_FUTURE_FINISHED; }

/* Inside w's monitor or before it is shared: records f as completed. */
static void waiter_record(hd__waiter *w, hd_future *f) {
  for (size_t i = 0; i < w->ndone; i++)
    if (w->done[i] == f) return;
  if (w->ndone < w->cap) w->done[w->ndone++] = f;
  if (f->state == HD_FUTURE_FINISHED && f->error != HD_OK) w->exception = true;
}

/* Makes f done with `state`: wakes result() waiters and every registered
 * waiter record (entering each waiter's monitor inside f's: the one fixed
 * nesting order), then runs the callbacks outside the monitor. Returns false
 * when a cancel finds it no longer pending, or
 * when f was already done. Called inside nothing. */
static bool complete(hd_future *f, hd_future_state state, hd_err error, int64_t result) {
  hd__mon_enter(&f->mon);
  /* Only a pending future can be cancelled; a running one only finishes. */
  if (is_done(f) || (state == HD_FUTURE_CANCELLED && f->state != HD_FUTURE_PENDING)) {
    hd__mon_exit(&f->mon);
    return false;
  }
  f->state = state;
  f->error = error;
  f->result = result;
  f->mon.obj.holder = -1;
  for (hd__waiter_link *l = f->waiters; l; l = l->next) {
    hd__mon_enter(&l->waiter->mon);
    waiter_record(l->waiter, f);
    hd__mon_notify_all(&l->waiter->mon);
    hd__mon_exit(&l->waiter->mon);
  }
  hd__mon_notify_all(&f->mon);
  /* Copied inside the monitor: once it is left, a waiter may reuse f. */
  size_t n = f->ncallbacks;
  hd_future_callback fns[HD_FUTURE_MAX_CALLBACKS];
  void *args[HD_FUTURE_MAX_CALLBACKS];
  for (size_t i = 0; i < n; i++) {
    fns[i] = f->callbacks[i].fn;
    args[i] = f->callbacks[i].arg;
  }
  hd__mon_exit(&f->mon);
  for (size_t i = 0; i < n; i++) fns[i](f, args[i]);
  return true;
}

bool hd_future_cancel_at(hd_future *f, const char *file, int line) {
  hd__point(&f->mon.obj, HD_OP_CANCEL, file, line);
  if (complete(f, HD_FUTURE_CANCELLED, HD_OK, 0)) return true;
  /* Not cancelled now: it was cancelled before (true) or is running or finished. */
  hd__mon_enter(&f->mon);
  bool cancelled = f->state == HD_FUTURE_CANCELLED;
  hd__mon_exit(&f->mon);
  return cancelled;
}

hd_future_state hd_future_state_at(hd_future *f, const char *file, int line) {
  hd__point(&f->mon.obj, HD_OP_QUERY, file, line);
  hd__mon_enter(&f->mon);
  hd_future_state state = f->state;
  hd__mon_exit(&f->mon);
  return state;
}

/* Waits until f is done or the deadline; inside f's monitor. */
static bool wait_done(hd_future *f, int64_t deadline) {
  while (!is_done(f))
    if (!hd__mon_wait(&f->mon, deadline, RESULT_WHY) && !is_done(f)) return false;
  return true;
}

static bool bad_timeout(double timeout, const char *file, int line) {
  if (hd__check_timeout(timeout, file, line) != HD_OK) return true;
  if (timeout >= 0 || timeout == HD_FOREVER) return false;
  hd__misuse(file, line, "timeout must be a non-negative number or HD_FOREVER, got %g", timeout);
  return true;
}

hd_err hd__future_result_until(hd_future *f, int64_t *result_out, int64_t deadline, const char *file, int line) {
  hd__point(&f->mon.obj, HD_OP_WAIT, file, line);
  hd_err err;
  hd__mon_enter(&f->mon);
  if (!wait_done(f, deadline)) err = HD_ETIMEDOUT;
  else if (f->state == HD_FUTURE_CANCELLED) err = HD_ECANCELLED;
  else err = f->error;
  if (err == HD_OK && result_out) *result_out = f->result;
  hd__mon_exit(&f->mon);
  return err;
}

hd_err hd_future_result_at(hd_future *f, int64_t *result_out, double timeout, const char *file, int line) {
  if (bad_timeout(timeout, file, line)) return HD_EINVAL;
  return hd__future_result_until(f, result_out, hd__deadline_after(timeout), file, line);
}

hd_err hd_future_exception_at(hd_future *f, hd_err *error_out, double timeout, const char *file, int line) {
  hd__point(&f->mon.obj, HD_OP_WAIT, file, line);
  if (bad_timeout(timeout, file, line)) return HD_EINVAL;
  int64_t deadline = hd__deadline_after(timeout);
  hd_err err = HD_OK;
  hd__mon_enter(&f->mon);
  if (!wait_done(f, deadline)) err = HD_ETIMEDOUT;
  else if (f->state == HD_FUTURE_CANCELLED) err = HD_ECANCELLED;
  else if (error_out) *error_out = f->error;
  hd__mon_exit(&f->mon);
  return err;
}

hd_err hd_future_add_done_callback_at(hd_future *f, hd_future_callback fn, void *arg, const char *file, int line) {
  hd__point(&f->mon.obj, HD_OP_UPDATE, file, line);
  hd__mon_enter(&f->mon);
  if (is_done(f)) {
    hd__mon_exit(&f->mon);
    fn(f, arg);
    return HD_OK;
  }
  if (f->ncallbacks == HD_FUTURE_MAX_CALLBACKS) {
    hd__mon_exit(&f->mon);
    return HD_ENOMEM;
  }
  f->callbacks[f->ncallbacks].fn = fn;
  f->callbacks[f->ncallbacks].arg = arg;
  f->ncallbacks++;
  hd__mon_exit(&f->mon);
  return HD_OK;
}

bool hd_future_set_running_or_notify_cancel_at(hd_future *f, const char *file, int line) {
  hd__point(&f->mon.obj, HD_OP_UPDATE, file, line);
  hd__mon_enter(&f->mon);
  hd_future_state state = f->state;
  if (state == HD_FUTURE_PENDING) {
    f->state = HD_FUTURE_RUNNING;
    f->mon.obj.holder = hd__self();
    hd__mon_notify_all(&f->mon);
  }
  hd__mon_exit(&f->mon);
  if (state == HD_FUTURE_PENDING) return true;
  if (state != HD_FUTURE_CANCELLED) hd__misuse(file, line, "future in unexpected state (already running or finished)");
  return false;
}

static hd_err finish(hd_future *f, hd_err error, int64_t value, const char *file, int line) {
  hd__point(&f->mon.obj, HD_OP_SET, file, line);
  if (complete(f, HD_FUTURE_FINISHED, error, value)) return HD_OK;
  hd__misuse(file, line, "invalid state: the future is already done");
  return HD_EMISUSE;
}

hd_err hd_future_set_result_at(hd_future *f, int64_t value, const char *file, int line) {
  return finish(f, HD_OK, value, file, line);
}

hd_err hd_future_set_exception_at(hd_future *f, hd_err error, const char *file, int line) {
  if (error == HD_OK) {
    hd__misuse(file, line, "set_exception needs an error, not HD_OK");
    return HD_EINVAL;
  }
  return finish(f, error, 0, file, line);
}

/* ---- waiter records -------------------------------------------------------------- */

/* Sets up w for n futures and registers it on each distinct one through
 * links[i]; futures already done are recorded at once, in argument order.
 * Returns how many distinct futures were registered. */
static size_t waiter_register(hd__waiter *w, hd__waiter_link *links, hd_future *const *fs, size_t n,
                              const char *file, int line) {
  size_t distinct = 0;
  for (size_t i = 0; i < n; i++) {
    links[i].waiter = NULL;
    bool seen = false;
    for (size_t j = 0; j < i && !seen; j++) seen = fs[j] == fs[i];
    if (seen) continue;
    distinct++;
    hd_future *f = fs[i];
    hd__point(&f->mon.obj, HD_OP_WAIT, file, line);
    hd__mon_enter(&f->mon);
    hd__mon_enter(&w->mon);
    if (is_done(f)) {
      waiter_record(w, f);
    } else {
      links[i].waiter = w;
      links[i].next = f->waiters;
      f->waiters = &links[i];
    }
    hd__mon_exit(&w->mon);
    hd__mon_exit(&f->mon);
  }
  return distinct;
}

static void waiter_unregister(hd__waiter_link *links, hd_future *const *fs, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (!links[i].waiter) continue;
    hd_future *f = fs[i];
    hd__mon_enter(&f->mon);
    for (hd__waiter_link **p = &f->waiters; *p; p = &(*p)->next) {
      if (*p == &links[i]) {
        *p = links[i].next;
        break;
      }
    }
    hd__mon_exit(&f->mon);
    links[i].waiter = NULL;
  }
}

static hd_err waiter_init(hd__waiter *w, size_t n) {
  hd__mon_init(&w->mon, "waiter", NULL);
  w->ndone = 0;
  w->cap = n;
  w->exception = false;
  if (n <= HD__WAITER_INLINE) {
    w->done = w->done_inline;
    w->links = w->links_inline;
    return HD_OK;
  }
  w->done = hd__alloc(&w->mon.obj, n * sizeof *w->done);
  w->links = hd__alloc(&w->mon.obj, n * sizeof *w->links);
  if (!w->done || !w->links) {
    hd__free(&w->mon.obj, w->done);
    hd__free(&w->mon.obj, w->links);
    hd__mon_destroy(&w->mon);
    return HD_ENOMEM;
  }
  memset(w->done, 0, n * sizeof *w->done);
  memset(w->links, 0, n * sizeof *w->links);
  return HD_OK;
}

static void waiter_free(hd__waiter *w) {
  hd__mon_destroy(&w->mon);
  if (w->done != w->done_inline) hd__free(&w->mon.obj, w->done);
  if (w->links != w->links_inline) hd__free(&w->mon.obj, w->links);
}

hd_err hd_futures_wait_at(hd_future *const *fs, size_t n, double timeout, hd_return_when when, bool *done_out,
                          size_t *ndone_out, const char *file, int line) {
  if (bad_timeout(timeout, file, line)) return HD_EINVAL;
  if (when != HD_FIRST_COMPLETED && when != HD_FIRST_EXCEPTION && when != HD_ALL_COMPLETED) {
    hd__misuse(file, line, "return_when must be FIRST_COMPLETED, FIRST_EXCEPTION or ALL_COMPLETED");
    return HD_EINVAL;
  }
  int64_t deadline = hd__deadline_after(timeout);
  hd__waiter w;
  if (waiter_init(&w, n) != HD_OK) return HD_ENOMEM;
  size_t distinct = waiter_register(&w, w.links, fs, n, file, line);
  hd__point(&w.mon.obj, HD_OP_WAIT, file, line);
  hd__mon_enter(&w.mon);
  for (;;) {
    bool satisfied = w.ndone == distinct || (when == HD_FIRST_COMPLETED && w.ndone > 0) ||
                     (when == HD_FIRST_EXCEPTION && w.exception);
    if (satisfied) break;
    if (!hd__mon_wait(&w.mon, deadline, WAIT_WHY) && hd__now() >= deadline) break;
  }
  hd__mon_exit(&w.mon);
  waiter_unregister(w.links, fs, n);
  waiter_free(&w);
  /* Python returns the done set as it is when wait() returns. */
  size_t ndone = 0;
  for (size_t i = 0; i < n; i++) {
    bool done = hd_future_state_at(fs[i], file, line) >= HD_FUTURE_CANCELLED;
    if (done_out) done_out[i] = done;
    ndone += done;
  }
  if (ndone_out) *ndone_out = ndone;
  return HD_OK;
}

hd_err hd_as_completed_init_at(hd_as_completed *it, hd_future *const *fs, size_t n, double timeout, const char *file,
                               int line) {
  memset(it, 0, sizeof *it);
  if (bad_timeout(timeout, file, line)) return HD_EINVAL;
  it->deadline = hd__deadline_after(timeout);
  if (waiter_init(&it->waiter, n) != HD_OK) return HD_ENOMEM;
  it->initialised = true;
  it->fs = fs;
  it->n = waiter_register(&it->waiter, it->waiter.links, fs, n, file, line);
  it->next = 0;
  return HD_OK;
}

hd_err hd_as_completed_next_at(hd_as_completed *it, hd_future **out, const char *file, int line) {
  *out = NULL;
  if (it->next == it->n) return HD_OK;
  hd__point(&it->waiter.mon.obj, HD_OP_WAIT, file, line);
  hd_err err = HD_OK;
  hd__mon_enter(&it->waiter.mon);
  while (it->waiter.ndone == it->next) {
    if (!hd__mon_wait(&it->waiter.mon, it->deadline, AS_COMPLETED_WHY) && it->waiter.ndone == it->next &&
        hd__now() >= it->deadline) {
      err = HD_ETIMEDOUT;
      break;
    }
  }
  if (err == HD_OK) *out = it->waiter.done[it->next++];
  hd__mon_exit(&it->waiter.mon);
  return err;
}

void hd_as_completed_destroy(hd_as_completed *it) {
  if (!it->initialised) return;
  waiter_unregister(it->waiter.links, it->fs, it->waiter.cap); /* cap == the argument count */
  waiter_free(&it->waiter);
  it->initialised = false;
}

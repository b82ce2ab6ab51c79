/* Timer: threading.Timer(interval, function, args). A Thread that waits on
 * an internal Event for `interval` seconds and then calls fn(arg) unless
 * cancel() set the Event first. Under the harness the interval runs on
 * virtual time. */
#ifndef HEDDLE_PRIMITIVES_TIMER_H
#define HEDDLE_PRIMITIVES_TIMER_H

#include <stdbool.h>

#include "primitives/backend.h"
#include "primitives/event.h"
#include "primitives/runtime.h"
#include "primitives/thread.h"

/* Invariants: `finished` is set by cancel() or after fn returned, never
 * cleared; fn runs at most once, and only if `finished` was still clear when
 * the interval ended. The struct must outlive the timer's thread. */
typedef struct hd_timer {
  hd_thread thread;
  hd_event finished;
  double interval;
  void (*fn)(void *arg);
  void *arg;
} hd_timer;

/* Timer(interval, function, args=(arg,)); the thread is named `name`, or
 * "Thread-N" when NULL. A negative interval fires at once, as in Python. */
void hd_timer_init(hd_timer *t, double interval, void (*fn)(void *arg), void *arg, const char *name);
/* start(): the Thread's start (HD_EMISUSE when started twice). */
#define hd_timer_start(t) hd_timer_start_at((t), __FILE__, __LINE__)
hd_err hd_timer_start_at(hd_timer *t, const char *file, int line);
/* cancel(): stops the timer if it has not fired; after it fired, or before
 * start, it is harmless (a cancelled timer that is started never fires). */
#define hd_timer_cancel(t) hd_timer_cancel_at((t), __FILE__, __LINE__)
void hd_timer_cancel_at(hd_timer *t, const char *file, int line);
/* join(timeout): the Thread's join. */
#define hd_timer_join(t, timeout) hd_thread_join_at(&(t)->thread, (timeout), __FILE__, __LINE__)
/* daemon=...: the Thread's, only before start. */
#define hd_timer_set_daemon(t, daemon) hd_thread_set_daemon_at(&(t)->thread, (daemon), __FILE__, __LINE__)
/* is_alive(): the Thread's. */
#define hd_timer_is_alive(t) hd_thread_is_alive(&(t)->thread)

#endif

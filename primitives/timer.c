/* Timer as CPython writes it: Thread.run waits on `finished` with the
 * interval as timeout, calls the function if nobody set it, then sets it. */
#include "primitives/timer.h"

static void timer_run(void *arg) {
  hd_timer *t = arg;
  /* Event.wait(negative) returns at once in Python; HD_FOREVER is -1, so a
   * negative interval must not reach it as "forever". */
  double interval = t->interval < 0 ? 0.0 : t->interval;
  hd_event_wait_at(&t->finished, interval, __FILE__, __LINE__);
  if (!hd_event_is_set_at(&t->finished, __FILE__, __LINE__)) t->fn(t->arg);
  hd_event_set_at(&t->finished, __FILE__, __LINE__);
}

void hd_timer_init(hd_timer *t, double interval, void (*fn)(void *), void *arg, const char *name) {
  hd_thread_init(&t->thread, timer_run, t, name);
  hd_event_init(&t->finished, hd_thread_name(&t->thread));
  /* Traces and reports say "cancel Timer 'Thread-1'", not "Event". */
  t->finished.mon.obj.kind = "Timer";
  t->interval = interval;
  t->fn = fn;
  t->arg = arg;
}

hd_err hd_timer_start_at(hd_timer *t, const char *file, int line) { return hd_thread_start_at(&t->thread, file, line); }

void hd_timer_cancel_at(hd_timer *t, const char *file, int line) {
  hd__point(&t->finished.mon.obj, HD_OP_CANCEL, file, line);
  hd__event_signal(&t->finished);
}

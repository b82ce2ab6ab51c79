/* Event: threading.Event. A flag that set() raises and clear() lowers;
 * wait() blocks until it is raised. */
#ifndef HEDDLE_PRIMITIVES_EVENT_H
#define HEDDLE_PRIMITIVES_EVENT_H

#include <stdbool.h>
#include <stdint.h>

#include "primitives/backend.h"
#include "primitives/runtime.h"

/* Invariants: `flag` and `sets` change only inside `mon`; `sets` counts the
 * set() calls that found the flag lowered, so a waiter that saw it lowered
 * knows it was raised meanwhile even if clear() came before the waiter ran
 * (CPython's wait() returns True then too). mon.obj.holder stays -1. */
typedef struct hd_event {
  hd__mon mon;
  bool flag;
  uint64_t sets;
} hd_event;

void hd_event_init(hd_event *e, const char *name);
void hd_event_destroy(hd_event *e);
/* set(): raises the flag and wakes every waiter. */
#define hd_event_set(e) hd_event_set_at((e), __FILE__, __LINE__)
void hd_event_set_at(hd_event *e, const char *file, int line);
/* clear(): lowers the flag. */
#define hd_event_clear(e) hd_event_clear_at((e), __FILE__, __LINE__)
void hd_event_clear_at(hd_event *e, const char *file, int line);
/* is_set() */
#define hd_event_is_set(e) hd_event_is_set_at((e), __FILE__, __LINE__)
bool hd_event_is_set_at(hd_event *e, const char *file, int line);
/* wait(timeout): the flag on return, true at once if it is raised, false
 * when the timeout expired first. HD_FOREVER is None; 0 or another negative
 * timeout does not block (as CPython). */
#define hd_event_wait(e, timeout) hd_event_wait_at((e), (timeout), __FILE__, __LINE__)
bool hd_event_wait_at(hd_event *e, double timeout, const char *file, int line);

/* set() without its switch point, for primitives built on an Event whose
 * operation already had one (Timer.cancel). */
void hd__event_signal(hd_event *e);

#endif

/* Event over one monitor: a flag and a count of raisings. */
#include "primitives/event.h"

#include "primitives/timeout.h"

void hd_event_init(hd_event *e, const char *name) {
  hd__mon_init(&e->mon, "Event", name);
  e->flag = false;
  e->sets = 0;
}

void hd_event_destroy(hd_event *e) { hd__mon_destroy(&e->mon); }

void hd__event_signal(hd_event *e) {
  hd__mon_enter(&e->mon);
  if (!e->flag) {
    e->flag = true;
    e->sets++;
    hd__mon_notify_all(&e->mon);
  }
  hd__mon_exit(&e->mon);
}

void hd_event_set_at(hd_event *e, const char *file, int line) {
  hd__point(&e->mon.obj, HD_OP_SET, file, line);
  hd__event_signal(e);
}

void hd_event_clear_at(hd_event *e, const char *file, int line) {
  hd__point(&e->mon.obj, HD_OP_CLEAR, file, line);
  hd__mon_enter(&e->mon);
  e->flag = false;
  hd__mon_exit(&e->mon);
}

bool hd_event_is_set_at(hd_event *e, const char *file, int line) {
  hd__point(&e->mon.obj, HD_OP_QUERY, file, line);
  hd__mon_enter(&e->mon);
  bool flag = e->flag;
  hd__mon_exit(&e->mon);
  return flag;
}

bool hd_event_wait_at(hd_event *e, double timeout, const char *file, int line) {
  hd__point(&e->mon.obj, HD_OP_WAIT, file, line);
  if (hd__check_timeout(timeout, file, line) != HD_OK) return false;
  int64_t deadline = hd__timeout_deadline(timeout);
  hd__mon_enter(&e->mon);
  uint64_t seen = e->sets;
  bool signaled = e->flag;
  while (!signaled) {
    bool in_time = hd__mon_wait(&e->mon, deadline, "wait: Event not set");
    signaled = e->flag || e->sets != seen;
    if (!in_time) break;
  }
  hd__mon_exit(&e->mon);
  return signaled;
}

/* Thread over the backend seam: start spawns, the thread's own monitor holds
 * `finished`, join waits on it. */
#include "primitives/thread.h"
#include "primitives/intern.h"

#include <stdio.h>

void hd_thread_init(hd_thread *t, void (*fn)(void *), void *arg, const char *name) {
  /* Python: a false name (None or "") gets "Thread-N", numbered at
   * construction; a named thread does not use up a number. */
  if (name && !*name) name = NULL;
  hd__mon_init(&t->mon, "Thread", name);
  t->fn = fn;
  t->arg = arg;
  t->name = name;
  t->default_name[0] = '\0';
  if (!name) hd__format_numbered(t->default_name, sizeof t->default_name, "Thread-", NULL, hd__counter_next());
  /* Python: daemon defaults to the creating thread's own daemon status. */
  t->daemon = hd__self_daemon();
  t->started = false;
  t->finished = false;
  t->ident = 0;
  t->mon.obj.name = hd_thread_name(t);
}

hd_err hd_thread_set_daemon_at(hd_thread *t, bool daemon, const char *file, int line) {
  if (t->started) {
    hd__misuse(file, line, "cannot set daemon status of active thread %s", hd_thread_name(t));
    return HD_EMISUSE;
  }
  t->daemon = daemon;
  return HD_OK;
}

/* Runs in the new thread: the body, then publishes `finished` to joiners. */
static void thread_main(void *arg) {
  hd_thread *t = arg;
  if (t->fn) t->fn(t->arg); /* Python's Thread(target=None) runs nothing */
  hd__point(&t->mon.obj, HD_OP_EXIT, __FILE__, __LINE__);
  hd__mon_enter(&t->mon);
  t->finished = true;
  t->mon.obj.holder = -1;
  hd__mon_notify_all(&t->mon);
  hd__mon_exit(&t->mon);
}

hd_err hd_thread_start_at(hd_thread *t, const char *file, int line) {
  hd__point(&t->mon.obj, HD_OP_START, file, line);
  hd__mon_enter(&t->mon);
  if (t->started) {
    hd__mon_exit(&t->mon);
    hd__misuse(file, line, "threads can only be started once (%s)", hd_thread_name(t));
    return HD_EMISUSE;
  }
  t->started = true;
  /* A thread "holds" itself until it finishes: joiners wait on it. */
  hd_err err = hd__spawn(thread_main, t, (hd__runs){(void (*)(void))t->fn, t->arg}, hd_thread_name(t), t->daemon, &t->ident);
  if (err != HD_OK) t->started = false;
  else t->mon.obj.holder = t->ident;
  hd__mon_exit(&t->mon);
  return err;
}

hd_err hd_thread_join_at(hd_thread *t, double timeout, const char *file, int line) {
  hd__point(&t->mon.obj, HD_OP_JOIN, file, line);
  hd__mon_enter(&t->mon);
  if (!t->started) {
    hd__mon_exit(&t->mon);
    hd__misuse(file, line, "cannot join thread %s before it is started", hd_thread_name(t));
    return HD_EMISUSE;
  }
  if (t->ident == hd__self()) {
    hd__mon_exit(&t->mon);
    hd__misuse(file, line, "cannot join current thread %s", hd_thread_name(t));
    return HD_EMISUSE;
  }
  if (hd__check_timeout(timeout, file, line) != HD_OK) {
    hd__mon_exit(&t->mon);
    return HD_EINVAL;
  }
  /* Python: join() with a negative timeout does not wait (it is max(timeout, 0)). */
  int64_t deadline = hd__deadline_after(timeout < 0 && timeout != HD_FOREVER ? 0.0 : timeout);
  hd_err err = HD_OK;
  while (!t->finished) {
    if (!hd__mon_wait(&t->mon, deadline, "join") && !t->finished) {
      err = HD_ETIMEDOUT;
      break;
    }
  }
  hd__mon_exit(&t->mon);
  return err;
}

bool hd_thread_is_alive_at(hd_thread *t, const char *file, int line) {
  hd__obj_check(&t->mon.obj, file, line);
  if (t->started) hd__twin_identity(t->ident, "is_alive()", file, line); /* which twin is done */
  hd__mon_enter(&t->mon);
  bool alive = t->started && !t->finished;
  hd__mon_exit(&t->mon);
  return alive;
}

int hd_thread_ident(const hd_thread *t) { return t->ident; }
const char *hd_thread_name(const hd_thread *t) { return t->name ? t->name : t->default_name; }
bool hd_thread_daemon(const hd_thread *t) { return t->daemon; }
int hd_get_ident(void) {
  hd__twin_identity(hd__self(), "threading.get_ident()", NULL, 0);
  return hd__self();
}
const char *hd_current_name(void) {
  hd__twin_identity(hd__self(), "current_thread().name", NULL, 0);
  return hd__self_name();
}

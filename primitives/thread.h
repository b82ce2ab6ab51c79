/* Thread: threading.Thread. A thread runs fn(arg); join waits for it.
 * Non-daemon threads are waited for when the main body returns, daemon
 * threads are abandoned, as Python does at interpreter exit. */
#ifndef HEDDLE_PRIMITIVES_THREAD_H
#define HEDDLE_PRIMITIVES_THREAD_H

#include <stdbool.h>

#include "primitives/backend.h"
#include "primitives/runtime.h"

/* Invariants: `started` and `finished` only go from false to true, under
 * `mon`; `ident` is 0 until started. The struct must outlive the thread. */
typedef struct hd_thread {
  hd__mon mon;
  void (*fn)(void *arg);
  void *arg;
  const char *name;
  char default_name[24]; /* "Thread-N" when no name was given, else "" */
  bool daemon;
  bool started;
  bool finished;
  int ident;
} hd_thread;

/* Thread(target=fn, args=(arg,), name=name). `fn` may be NULL (the thread
 * runs nothing); `name` NULL or "" gives "Thread-N", numbered at this call
 * among the unnamed threads of the execution. The thread is a daemon if the
 * calling thread is one (Python's default), until set_daemon says otherwise. */
void hd_thread_init(hd_thread *t, void (*fn)(void *arg), void *arg, const char *name);
/* daemon=...: only before start (after it: misuse, HD_EMISUSE). */
#define hd_thread_set_daemon(t, daemon) hd_thread_set_daemon_at((t), (daemon), __FILE__, __LINE__)
hd_err hd_thread_set_daemon_at(hd_thread *t, bool daemon, const char *file, int line);
/* start(): HD_EMISUSE if started twice, HD_ENOMEM if out of threads. */
#define hd_thread_start(t) hd_thread_start_at((t), __FILE__, __LINE__)
hd_err hd_thread_start_at(hd_thread *t, const char *file, int line);
/* join(timeout): HD_FOREVER or seconds. HD_ETIMEDOUT if the thread is still
 * alive at the deadline (Python returns and is_alive() says so); HD_EMISUSE
 * for joining the current thread or a thread never started. */
#define hd_thread_join(t, timeout) hd_thread_join_at((t), (timeout), __FILE__, __LINE__)
hd_err hd_thread_join_at(hd_thread *t, double timeout, const char *file, int line);
/* is_alive(); a thread of an earlier execution is misuse (it is not this
 * run's thread at all). */
#define hd_thread_is_alive(t) hd_thread_is_alive_at((t), __FILE__, __LINE__)
bool hd_thread_is_alive_at(hd_thread *t, const char *file, int line);
/* The thread's ident: its harness thread id (main is 0), 0 before start. */
int hd_thread_ident(const hd_thread *t);
const char *hd_thread_name(const hd_thread *t);
bool hd_thread_daemon(const hd_thread *t);
/* threading.get_ident() and current_thread().name. */
int hd_get_ident(void);
const char *hd_current_name(void);

#endif

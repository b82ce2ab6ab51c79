/* Threads: pthread_create / join / detach / exit / self / equal, and what
 * belongs to a thread: pthread_once, keys (thread-specific data) and its
 * copy of the program's thread-local variables.
 *
 * Every pthread is an engine thread spawned as a daemon: C's rules say the
 * program ends when main returns or anything calls exit(), whatever the
 * other threads are doing (engine/exec.c's end of the program explores
 * both orders of a thread's pending operation and that end). A pthread_t is
 * the thread's creation number (main is 1), never an address, so printing
 * one prints the same text in every execution. */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "harness/engine/exec.h"
#include "harness/engine/memory.h"
#include "harness/posix/posix.h"
#include "primitives/intern.h"

#define PX_KEYS 128 /* _POSIX_THREAD_KEYS_MAX */

struct px_thread {
  hd__mon mon; /* joiners wait here; mon.obj.holder is the thread until it finishes */
  pthread_t handle;
  int tid;
  void *(*start)(void *);
  void *arg;
  void *retval;
  const char *created_file; /* its pthread_create, where its end is shown */
  int created_line;
  bool finished, detached, joined;
  const void *values[PX_KEYS];
  unsigned char *tls; /* its thread-local variables while another thread runs */
};

/* The running execution's threads and keys, in its scratch memory. */
static struct {
  uint32_t generation;
  px_thread **by_handle; /* handle h at h - 1 */
  size_t count, cap;
  px_thread *by_tid[HD_MAX_THREADS];
  hd__mon keys_mon; /* the key registry, as one object for switch points */
  struct {
    bool used;
    void (*destructor)(void *);
  } keys[PX_KEYS];
} st;

unsigned char *hd__px_tls_start;
size_t hd__px_tls_size;
const unsigned char *hd__px_tls_image;

static px_thread *new_record(const char *name) {
  if (st.count == st.cap) {
    size_t cap = st.cap ? st.cap * 2 : 16;
    px_thread **grown = hd__exec_scratch(cap * sizeof *grown);
    if (st.count) memcpy(grown, st.by_handle, st.count * sizeof *grown);
    st.by_handle = grown;
    st.cap = cap;
  }
  px_thread *t = hd__exec_scratch(sizeof *t);
  t->handle = (pthread_t)++st.count;
  st.by_handle[st.count - 1] = t;
  hd__mon_init(&t->mon, "thread", name);
  if (hd__px_tls_size) {
    t->tls = hd__exec_scratch(hd__px_tls_size);
    memcpy(t->tls, hd__px_tls_image, hd__px_tls_size);
  }
  return t;
}

/* The state of the running execution: main's record first. */
static void fresh(void) {
  uint32_t g = hd__exec_generation();
  if (st.generation == g) return;
  memset(&st, 0, sizeof st);
  st.generation = g;
  hd__mon_init(&st.keys_mon, "thread keys", NULL);
  px_thread *main_thread = new_record("main");
  main_thread->tid = 0;
  main_thread->mon.obj.holder = 0;
  st.by_tid[0] = main_thread;
}

static px_thread *self(void) {
  fresh();
  return st.by_tid[hd__self()];
}

static px_thread *by_handle(pthread_t h) {
  fresh();
  return h >= 1 && h <= st.count ? st.by_handle[h - 1] : NULL;
}

void hd__px_swap_tls(int from, int to) {
  if (!hd__px_tls_size || st.generation != hd__exec_generation()) return;
  px_thread *a = st.by_tid[from], *b = st.by_tid[to];
  if (a) memcpy(a->tls, hd__px_tls_start, hd__px_tls_size);
  if (b) memcpy(hd__px_tls_start, b->tls, hd__px_tls_size);
}

/* POSIX: the destructors of keys with non-NULL values run, up to
 * PTHREAD_DESTRUCTOR_ITERATIONS rounds while values remain. */
static void run_destructors(px_thread *t) {
  for (int round = 0; round < PTHREAD_DESTRUCTOR_ITERATIONS; round++) {
    bool ran = false;
    for (int k = 0; k < PX_KEYS; k++) {
      if (!st.keys[k].used || !st.keys[k].destructor || !t->values[k]) continue;
      void *value = (void *)t->values[k];
      t->values[k] = NULL;
      st.keys[k].destructor(value);
      ran = true;
    }
    if (!ran) return;
  }
}

/* The thread is done: joiners may go on. Its end is a step of the program's
 * at the line that created it (main's at nowhere in particular). */
static void finish(px_thread *t) {
  run_destructors(t);
  hd__point(&t->mon.obj, HD_OP_EXIT, t->created_file ? t->created_file : "?", t->created_line);
  hd__mon_enter(&t->mon);
  t->finished = true;
  t->mon.obj.holder = -1;
  hd__mon_notify_all(&t->mon);
  hd__mon_exit(&t->mon);
}

static void thread_main(void *arg) {
  px_thread *t = arg;
  t->retval = t->start(t->arg);
  finish(t);
}

int hd_px_pthread_create_at(pthread_t *out, const pthread_attr_t *attr, void *(*start)(void *), void *arg,
                            const char *file, int line) {
  fresh();
  int detach = PTHREAD_CREATE_JOINABLE;
  if (attr && pthread_attr_getdetachstate(attr, &detach) != 0) return EINVAL;
  px_thread *t = new_record(hd__intern_numbered("thread-", NULL, (long long)st.count));
  hd__point(&t->mon.obj, HD_OP_START, file, line);
  t->start = start;
  t->arg = arg;
  t->created_file = file;
  t->created_line = line;
  t->detached = detach == PTHREAD_CREATE_DETACHED;
  hd__mon_enter(&t->mon);
  int tid;
  if (hd__spawn(thread_main, t, (hd__runs){(void (*)(void))t->start, t->arg}, t->mon.obj.name, true, &tid) != HD_OK) {
    t->finished = t->joined = true; /* a handle that names no thread */
    t->tid = -1;
    hd__mon_exit(&t->mon);
    return EAGAIN;
  }
  t->tid = tid;
  t->mon.obj.holder = tid;
  st.by_tid[tid] = t;
  hd__mon_exit(&t->mon);
  *out = t->handle;
  return 0;
}

/* pthread_join and glibc's variants: `blocking` false is tryjoin (EBUSY
 * while the thread runs); `abs` on `clock` is a timed join (ETIMEDOUT). */
static int join(pthread_t h, void **retval, bool blocking, clockid_t clock, const struct timespec *abs,
                const char *file, int line) {
  px_thread *t = by_handle(h);
  if (!t || t->tid < 0) return ESRCH;
  if (t == self()) return EDEADLK;
  if (t->detached) {
    hd__misuse(file, line, "pthread_join of detached thread %s (undefined behaviour)", t->mon.obj.name);
    return EINVAL;
  }
  /* Whether this thread is done yet, or what it returned, tells twins apart. */
  if (!blocking || abs || retval)
    hd__twin_identity(t->tid, !blocking ? "pthread_tryjoin_np" : abs ? "a timed join" : "the value pthread_join returns",
                      file, line);
  int64_t deadline = HD__NEVER;
  if (abs) {
    int err = hd__px_deadline(clock, abs, &deadline);
    if (err) return err;
  }
  hd__point(&t->mon.obj, blocking ? HD_OP_JOIN : HD_OP_QUERY, file, line);
  hd__mon_enter(&t->mon);
  while (!t->finished) {
    if (!blocking || !hd__mon_wait(&t->mon, deadline, "pthread_join")) {
      if (t->finished) break;
      hd__mon_exit(&t->mon);
      return blocking ? ETIMEDOUT : EBUSY;
    }
  }
  bool twice = t->joined;
  t->joined = true;
  hd__mon_exit(&t->mon);
  hd__exec_thread_joined(t->tid);
  if (twice) {
    hd__misuse(file, line, "thread %s joined twice (undefined behaviour)", t->mon.obj.name);
    return ESRCH;
  }
  if (retval) *retval = t->retval;
  return 0;
}

int hd_px_pthread_join_at(pthread_t h, void **retval, const char *file, int line) {
  return join(h, retval, true, CLOCK_REALTIME, NULL, file, line);
}

int hd_px_pthread_tryjoin_np_at(pthread_t h, void **retval, const char *file, int line) {
  return join(h, retval, false, CLOCK_REALTIME, NULL, file, line);
}

int hd_px_pthread_timedjoin_np_at(pthread_t h, void **retval, const struct timespec *abs, const char *file, int line) {
  return join(h, retval, true, CLOCK_REALTIME, abs, file, line);
}

int hd_px_pthread_clockjoin_np_at(pthread_t h, void **retval, clockid_t clock, const struct timespec *abs,
                                  const char *file, int line) {
  return join(h, retval, true, clock, abs, file, line);
}

/* A thread's name (glibc's limit: 15 characters and the NUL) becomes its
 * name in reports and traces. */
int hd_px_pthread_setname_np_at(pthread_t h, const char *name, const char *file, int line) {
  (void)file, (void)line;
  px_thread *t = by_handle(h);
  if (!t || t->tid < 0) return ESRCH;
  if (strlen(name) > 15) return ERANGE;
  hd__exec_name_thread(t->tid, hd__intern(name));
  t->mon.obj.name = hd__intern(name);
  return 0;
}

int hd_px_pthread_getname_np_at(pthread_t h, char *buf, size_t size, const char *file, int line) {
  (void)file, (void)line;
  px_thread *t = by_handle(h);
  if (!t || t->tid < 0) return ESRCH;
  if (size < strlen(t->mon.obj.name) + 1) return ERANGE;
  strcpy(buf, t->mon.obj.name);
  return 0;
}

int hd_px_pthread_detach_at(pthread_t h, const char *file, int line) {
  px_thread *t = by_handle(h);
  if (!t || t->joined) return ESRCH;
  hd__point(&t->mon.obj, HD_OP_UPDATE, file, line);
  if (t->detached) return EINVAL;
  t->detached = true;
  return 0;
}

void hd_px_pthread_exit_at(void *retval, const char *file, int line) {
  px_thread *t = self();
  t->retval = retval;
  if (t->tid != 0) {
    finish(t);
    hd__exec_exit_thread();
  }
  /* main's pthread_exit: the process goes on until its last thread ends,
   * then exits with status 0. */
  finish(t);
  for (size_t i = 1; i < st.count; i++) {
    px_thread *u = st.by_handle[i];
    hd__point(&u->mon.obj, HD_OP_JOIN, file, line);
    hd__mon_enter(&u->mon);
    while (!u->finished) hd__mon_wait(&u->mon, HD__NEVER, "the process's last thread (main called pthread_exit)");
    hd__mon_exit(&u->mon);
  }
  hd__px_end_program(0, file, line);
}

pthread_t hd_px_pthread_self_at(const char *file, int line) {
  /* Not an interaction with another thread: no switch point. */
  hd__twin_identity(hd__self(), "pthread_self()", file, line);
  return self()->handle;
}

int hd_px_pthread_equal_at(pthread_t a, pthread_t b, const char *file, int line) {
  (void)file, (void)line;
  return a == b;
}

int hd_px_sched_yield_at(const char *file, int line) {
  hd__point(NULL, HD_OP_YIELD, file, line);
  return 0;
}

int hd_px_pthread_once_at(pthread_once_t *once, void (*init)(void), const char *file, int line) {
  px_object *o = hd__px_find(once, PX_ONCE);
  if (!o) o = hd__px_create(once, PX_ONCE, "pthread_once");
  hd__point(&o->mon.obj, HD_OP_UPDATE, file, line);
  hd__mon_enter(&o->mon);
  if (o->u.once.state == 0) {
    o->u.once.state = 1;
    o->mon.obj.holder = hd__self();
    hd__mon_exit(&o->mon);
    init();
    hd__mon_enter(&o->mon);
    o->u.once.state = 2;
    o->mon.obj.holder = -1;
    hd__mon_notify_all(&o->mon);
  }
  while (o->u.once.state == 1) hd__mon_wait(&o->mon, HD__NEVER, "pthread_once: another thread runs the initialiser");
  hd__mon_exit(&o->mon);
  return 0;
}

int hd_px_pthread_key_create_at(pthread_key_t *key, void (*destructor)(void *), const char *file, int line) {
  fresh();
  hd__point(&st.keys_mon.obj, HD_OP_UPDATE, file, line);
  for (int k = 0; k < PX_KEYS; k++) {
    if (st.keys[k].used) continue;
    st.keys[k].used = true;
    st.keys[k].destructor = destructor;
    for (size_t i = 0; i < st.count; i++) st.by_handle[i]->values[k] = NULL;
    *key = (pthread_key_t)k;
    return 0;
  }
  return EAGAIN;
}

int hd_px_pthread_key_delete_at(pthread_key_t key, const char *file, int line) {
  fresh();
  hd__point(&st.keys_mon.obj, HD_OP_UPDATE, file, line);
  if (key >= PX_KEYS || !st.keys[key].used) return EINVAL;
  st.keys[key].used = false;
  return 0;
}

void *hd_px_pthread_getspecific_at(pthread_key_t key, const char *file, int line) {
  (void)file, (void)line; /* the thread's own data: no switch point */
  px_thread *t = self();
  return key < PX_KEYS && st.keys[key].used ? (void *)t->values[key] : NULL;
}

int hd_px_pthread_setspecific_at(pthread_key_t key, const void *value, const char *file, int line) {
  (void)file, (void)line;
  px_thread *t = self();
  if (key >= PX_KEYS || !st.keys[key].used) return EINVAL;
  t->values[key] = value;
  return 0;
}

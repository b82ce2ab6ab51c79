/* The pthread backend: real threads, the real monotonic clock, no harness.
 * This is what the ThreadSanitizer build runs, so it adds no synchronisation
 * of its own beyond what each primitive asks for: a race in a scenario stays
 * a race here. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "primitives/backend.h"
#include "primitives/pthread_runner.h"

typedef struct pmon {
  pthread_mutex_t mutex;
  pthread_cond_t cond;
} pmon;

_Static_assert(sizeof(pmon) <= HD__MON_BYTES, "HD__MON_BYTES too small for the pthread monitor");

/* One started thread: what the runner needs to wait for it at exit. */
typedef struct started {
  pthread_t handle;
  void (*entry)(void *);
  void *arg;
  const char *name;
  int tid;
  bool daemon;
  struct started *next;
} started;

/* Process-wide registry of started threads; guarded by registry_lock. */
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static started *registry;
static int next_tid = 1;
static atomic_int counter;
static _Thread_local int self_tid;
static _Thread_local const char *self_name = "MainThread";
static _Thread_local bool self_daemon;
/* Data randomness: one seeded generator under a lock; seed from HEDDLE_SEED. */
static pthread_mutex_t random_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t random_state = 0x9e3779b97f4a7c15u;

static pmon *impl(hd__mon *m) { return (pmon *)(void *)m->impl.bytes; }

static void die(const char *what, int err) {
  fprintf(stderr, "heddle: %s failed: %s\n", what, strerror(err));
  exit(3);
}

void hd__obj_init(hd__obj *o, const char *kind, const char *name) {
  o->kind = kind;
  o->name = name;
  o->id = 0;
  o->gen = 0;
  o->holder = -1;
  o->shadow = NULL;
}

void hd__point(hd__obj *o, hd_op_kind op, const char *file, int line) {
  (void)o, (void)op, (void)file, (void)line;
}

void hd__note_value(int64_t value) { (void)value; }
void hd__peek(const hd__obj *o) { (void)o; }

void hd__access(hd__obj *o, bool is_write, int64_t value, const char *file, int line) {
  (void)o, (void)is_write, (void)value, (void)file, (void)line;
}

void hd__mon_init(hd__mon *m, const char *kind, const char *name) {
  hd__obj_init(&m->obj, kind, name);
  pthread_condattr_t attr;
  pthread_condattr_init(&attr);
  /* Timeouts are relative to CLOCK_MONOTONIC, the clock hd__now() reads. */
  pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
  int err = pthread_mutex_init(&impl(m)->mutex, NULL);
  if (err) die("pthread_mutex_init", err);
  err = pthread_cond_init(&impl(m)->cond, &attr);
  if (err) die("pthread_cond_init", err);
  pthread_condattr_destroy(&attr);
}

void hd__mon_destroy(hd__mon *m) {
  pthread_cond_destroy(&impl(m)->cond);
  pthread_mutex_destroy(&impl(m)->mutex);
}

void hd__mon_enter(hd__mon *m) {
  int err = pthread_mutex_lock(&impl(m)->mutex);
  if (err) die("pthread_mutex_lock", err);
}

void hd__mon_exit(hd__mon *m) {
  int err = pthread_mutex_unlock(&impl(m)->mutex);
  if (err) die("pthread_mutex_unlock", err);
}

bool hd__mon_wait(hd__mon *m, int64_t deadline, const char *why) {
  (void)why;
  if (deadline == HD__NEVER) {
    int err = pthread_cond_wait(&impl(m)->cond, &impl(m)->mutex);
    if (err) die("pthread_cond_wait", err);
    return true;
  }
  struct timespec ts = {.tv_sec = deadline / 1000000000, .tv_nsec = deadline % 1000000000};
  int err = pthread_cond_timedwait(&impl(m)->cond, &impl(m)->mutex, &ts);
  if (err == ETIMEDOUT) return false;
  if (err) die("pthread_cond_timedwait", err);
  return true;
}

void hd__mon_notify_all(hd__mon *m) { pthread_cond_broadcast(&impl(m)->cond); }

void *hd__alloc(const hd__obj *owner, size_t size) {
  (void)owner;
  return malloc(size);
}

void hd__free(const hd__obj *owner, void *p) {
  (void)owner;
  free(p);
}

static void *thread_trampoline(void *arg) {
  started *s = arg;
  self_tid = s->tid;
  self_name = s->name;
  self_daemon = s->daemon;
  s->entry(s->arg);
  return NULL;
}

hd_err hd__spawn(void (*entry)(void *), void *arg, hd__runs runs, const char *name, bool daemon, int *tid_out) {
  (void)runs; /* real threads have no symmetry reduction */
  started *s = calloc(1, sizeof *s);
  if (!s) return HD_ENOMEM;
  s->entry = entry;
  s->arg = arg;
  s->name = name;
  s->daemon = daemon;
  pthread_mutex_lock(&registry_lock);
  s->tid = next_tid++;
  *tid_out = s->tid;
  int err = pthread_create(&s->handle, NULL, thread_trampoline, s);
  if (err) {
    pthread_mutex_unlock(&registry_lock);
    free(s);
    return HD_ENOMEM;
  }
  if (daemon) pthread_detach(s->handle);
  s->next = registry;
  registry = s;
  pthread_mutex_unlock(&registry_lock);
  return HD_OK;
}

int hd__self(void) { return self_tid; }
const char *hd__self_name(void) { return self_name; }
bool hd__self_daemon(void) { return self_daemon; }

void hd__obj_check(const hd__obj *o, const char *file, int line) {
  (void)o;
  (void)file;
  (void)line;
}
int hd__counter_next(void) { return atomic_fetch_add(&counter, 1) + 1; }

int64_t hd__now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void hd__sleep_until(int64_t deadline) {
  if (deadline == HD__NEVER) {
    for (;;) pause();
  }
  struct timespec ts = {.tv_sec = deadline / 1000000000, .tv_nsec = deadline % 1000000000};
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {
  }
}

_Noreturn void hd__fail(hd_bug_kind kind, const char *file, int line, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  flockfile(stderr);
  fprintf(stderr, "heddle: %s in thread %s at %s:%d: ", hd_bug_kind_name(kind), self_name, file, line);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  funlockfile(stderr);
  va_end(ap);
  exit(1);
}

void hd__misuse(const char *file, int line, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  flockfile(stderr);
  fprintf(stderr, "heddle: misuse in thread %s at %s:%d: ", self_name, file, line);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  funlockfile(stderr);
  va_end(ap);
}

uint64_t hd__random(uint64_t bound) {
  /* splitmix64 under a lock; the modulo bias is irrelevant for tests. */
  pthread_mutex_lock(&random_lock);
  uint64_t z = (random_state += 0x9e3779b97f4a7c15u);
  pthread_mutex_unlock(&random_lock);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  z ^= z >> 31;
  return z % bound;
}

/* Real threads have no symmetry reduction to protect. */
void hd__guard(const hd__obj *o, bool held) { (void)o, (void)held; }
void hd__twin_identity(int tid, const char *what, const char *file, int line) { (void)tid, (void)what, (void)file, (void)line; }

/* Real threads draw data and choices alike. */
uint64_t hd__random_data(uint64_t bound) { return hd__random(bound); }

void hd__log(const char *file, int line, const char *fmt, va_list ap) {
  (void)file, (void)line;
  flockfile(stdout);
  fprintf(stdout, "%s: ", self_name);
  vfprintf(stdout, fmt, ap);
  fputc('\n', stdout);
  funlockfile(stdout);
}

void hd_pthread_seed(uint64_t seed) {
  pthread_mutex_lock(&random_lock);
  random_state = seed;
  pthread_mutex_unlock(&random_lock);
}

void hd_pthread_run(void (*body)(void *), void *arg) {
  body(arg);
  /* Interpreter exit: join every non-daemon thread, including threads that
   * those threads started meanwhile, and abandon the daemons. */
  for (;;) {
    pthread_mutex_lock(&registry_lock);
    started *s = registry, **link = &registry;
    while (s && s->daemon) {
      link = &s->next;
      s = s->next;
    }
    if (s) *link = s->next;
    pthread_mutex_unlock(&registry_lock);
    if (!s) break;
    pthread_join(s->handle, NULL);
    free(s);
  }
}

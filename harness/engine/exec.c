/* The execution engine and the deterministic backend.
 *
 * Threads are fibers on the OS thread that called hd_exec_run(). The running
 * fiber keeps running until it reaches a switch point (hd__point), blocks
 * (hd__mon_wait, hd__sleep_until) or finishes; there the strategy picks the
 * next thread and the engine switches straight to it. When nothing can run,
 * the virtual clock jumps to the earliest deadline; when there is none, the
 * execution is deadlocked. The execution ends when the main body, the wait
 * for non-daemon threads and the check have run, or at the first bug; either
 * way control returns to the host fiber and every fiber is dropped. */
#define _GNU_SOURCE
#include "harness/engine/exec.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/engine/fiber.h"
#include "harness/engine/memory.h"
#include "harness/engine/race.h"
#include "harness/engine/recorder.h"
#include "primitives/backend.h"

/* A thread's name or file into the flight recorder's fixed field
 * (truncated): at every start and at switch points, so a copy rather than
 * snprintf's "%s". */
static void copy_name(char *dst, size_t size, const char *name) {
  size_t n = strnlen(name, size - 1);
  memcpy(dst, name, n);
  dst[n] = '\0';
}

typedef enum tstate { T_RUNNABLE, T_BLOCKED, T_FINISHED } tstate;

/* What main waits on after its body returned (Python's interpreter exit). */
static const char SHUTDOWN[] = "interpreter exit";

/* One harness thread. Invariant: state == T_BLOCKED exactly when the thread
 * sits in block(); then `waiting_on` is its monitor (NULL for a sleep or the
 * shutdown wait) and `deadline` its wake-up time or HD__NEVER. */
typedef struct dthread {
  hd__fiber fiber;
  tstate state;
  void (*entry)(void *);
  void *arg;
  const char *name;
  bool has_twin; /* another thread was spawned with its twin class (hd__twin_identity) */
  bool daemon;
  hd__mon *waiting_on;
  const char *why;      /* static phrase: what it waits for */
  int64_t deadline;
  bool notified;
  int in_monitor;       /* monitors entered and not exited */
  int atomic;           /* __VERIFIER_atomic_begin depth: its switch points do not switch */
  int joined_by;        /* the thread that joined it (hd__exec_thread_joined), or -1 */
  bool spinning;        /* blocked by the memory model: re-reading memory nobody wrote (engine/memory.c) */
  size_t last_event;    /* its latest trace event, for hd__note_value */
  hd_pending last_sync; /* its latest synchronisation, for race reports */
  uint32_t guards[HD_GUARDS]; /* the ids of the locks it holds, in the order it took them (hd__guard) */
  int nguards;                /* how many; more than HD_GUARDS: the list is incomplete */
  hd_vc vc;
} dthread;

/* A bump allocator for per-execution shadow state, emptied after each run. */
typedef struct arena_chunk {
  struct arena_chunk *next;
  size_t used, size;
  _Alignas(16) unsigned char data[];
} arena_chunk;

/* A primitive's heap block, linked into its execution's list so the
 * execution can free what a bug left behind. 16 bytes keep the payload
 * aligned like malloc's. */
typedef struct block_header {
  struct block_header *prev, *next;
} block_header;

#define HD_MAX_PEEKS 256 /* objects hd__peek remembers per execution */

struct hd_exec {
  hd_exec_config cfg;
  uint32_t peeked[HD_MAX_PEEKS]; /* hd__peek: objects read without a switch point */
  size_t npeeked;
  bool peeks_lost;
  hd_recorder *recorder; /* the flight recorder of a supervised run, or NULL */
  dthread threads[HD_MAX_THREADS];
  hd_pending pending[HD_MAX_THREADS];
  int nthreads;
  int current;
  hd_tset runnable;   /* t is a member iff threads[t].state == T_RUNNABLE */
  unsigned nrunnable; /* its members */
  int respawned1;     /* 1 + the slot a new thread took over since the last decision, or 0 */
  hd_vc atomic_clock; /* released by every SV-COMP atomic section's end */
  hd__fiber host;
  int64_t now;
  uint64_t steps;
  unsigned preemptions;
  uint32_t gen;
  uint32_t next_obj_id;
  /* The latest spawn's function, argument and twin class (hd_pending.twin_class). */
  hd__runs last_runs;
  uint32_t last_twin_class, twin_classes;
  int last_spawned;
  int counter;
  hd_schedule schedule;
  hd_trace trace;
  hd_exec_result result;
  block_header blocks; /* circular list of live primitive blocks; sentinel */
  uint64_t live_blocks;
  arena_chunk *arena;
  size_t arena_live; /* bytes handed out this execution; 0 after reset */
};

/* The execution running on this OS thread, NULL outside hd_exec_run(). */
static _Thread_local hd_exec *cur;
/* Generations identify executions process-wide, so an object initialised in
 * an earlier execution (or another hd_exec) is recognised as stale. */
static uint32_t last_gen;

/* ---- small helpers ----------------------------------------------------------- */

static void *arena_alloc(hd_exec *x, size_t size) {
  size = (size + 15) & ~(size_t)15;
  if (!x->arena || x->arena->used + size > x->arena->size) {
    size_t chunk = size > 65536 ? size : 65536;
    arena_chunk *c = malloc(sizeof *c + chunk);
    if (!c) return NULL;
    c->next = x->arena;
    c->used = 0;
    c->size = chunk;
    x->arena = c;
  }
  void *p = x->arena->data + x->arena->used;
  x->arena->used += size;
  x->arena_live += size;
  memset(p, 0, size);
  return p;
}

/* Keeps the newest chunk for the next execution, frees the rest. */
static void arena_reset(hd_exec *x) {
  if (!x->arena) return;
  arena_chunk *keep = x->arena, *c = keep->next;
  while (c) {
    arena_chunk *next = c->next;
    free(c);
    c = next;
  }
  keep->next = NULL;
  keep->used = 0;
  x->arena_live = 0;
}

static void free_blocks(hd_exec *x) {
  for (block_header *b = x->blocks.next; b != &x->blocks;) {
    block_header *next = b->next;
    free(b);
    b = next;
    x->live_blocks--;
  }
  x->blocks.prev = x->blocks.next = &x->blocks;
  if (x->live_blocks != 0) {
    fprintf(stderr, "heddle: internal error: %llu primitive blocks unaccounted for\n", (unsigned long long)x->live_blocks);
    abort();
  }
}

static hd_exec *need_exec(const char *what) {
  if (!cur) {
    fprintf(stderr, "heddle: %s called outside an execution (run the body under hd_explore or the pthread runner)\n", what);
    abort();
  }
  return cur;
}

static const char *obj_label(const hd__obj *o, char *buf, size_t size) {
  if (!o) {
    snprintf(buf, size, "-");
  } else if (o->name) {
    if (strcmp(o->kind, "shared") == 0) snprintf(buf, size, "%s", o->name);
    else snprintf(buf, size, "%s '%s'", o->kind, o->name);
  } else {
    snprintf(buf, size, "%s#%u", o->kind, o->id);
  }
  return buf;
}

static size_t trace_event(hd_exec *x, hd_trace_event_kind kind, hd_op_kind op, const hd__obj *o, const char *file, int line,
                          const char *text) {
  if (!x->cfg.record_trace) return SIZE_MAX;
  hd_trace_event e = {
      .kind = kind,
      .op = op,
      .tid = x->current,
      .time = x->now,
      .obj_id = o ? o->id : 0,
      .obj_kind = o ? o->kind : NULL,
      .obj_name = o ? o->name : NULL,
      .file = file,
      .line = line,
  };
  size_t index = hd_trace_add(&x->trace, &e, text);
  if (index != SIZE_MAX) x->threads[x->current].last_event = index;
  return index;
}

static void set_state(hd_exec *x, int tid, tstate state) {
  bool was = hd_tset_has(&x->runnable, tid), is = state == T_RUNNABLE;
  x->threads[tid].state = state;
  if (was == is) return;
  if (is) hd_tset_add(&x->runnable, tid);
  else hd_tset_del(&x->runnable, tid);
  if (is) x->nrunnable++;
  else x->nrunnable--;
}

/* ---- ending an execution ------------------------------------------------------ */

_Noreturn static void end_execution(hd_exec *x, hd_exec_status status);

/* Logs a choice in the schedule, and in the flight recorder so that a death
 * can be replayed. */
static void record_choice(hd_exec *x, bool is_value, uint64_t value) {
  if (!hd_schedule_push(&x->schedule, is_value, value)) end_execution(x, HD_EXEC_ERROR);
  hd_recorder *rec = x->recorder;
  if (!rec) return;
  if (rec->len < HD_RECORDER_CHOICES) {
    rec->choices[rec->len] = (hd_choice){.is_value = is_value, .value = value};
    rec->len = rec->len + 1;
  } else {
    rec->overflow = 1;
  }
}

/* Leaves the running fiber for good and returns to hd_exec_run(). */
_Noreturn static void end_execution(hd_exec *x, hd_exec_status status) {
  x->result.status = status;
  hd__fiber_switch(&x->threads[x->current].fiber, &x->host);
  abort(); /* an ended execution is never resumed */
}

__attribute__((format(printf, 5, 6))) _Noreturn static void report_bug(hd_exec *x, hd_bug_kind kind, const char *file,
                                                                       int line, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(x->result.message, sizeof x->result.message, fmt, ap);
  va_end(ap);
  x->result.bug = kind;
  x->result.file = file;
  x->result.line = line;
  size_t e = trace_event(x, HD_EV_FAIL, HD_OP_NONE, NULL, file, line, x->result.message);
  if (e != SIZE_MAX) x->trace.events[e].flagged = true;
  end_execution(x, HD_EXEC_BUG);
}

static void append_details(hd_exec *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void append_details(hd_exec *x, const char *fmt, ...) {
  size_t used = strlen(x->result.details);
  if (used + 1 >= sizeof x->result.details) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(x->result.details + used, sizeof x->result.details - used, fmt, ap);
  va_end(ap);
}

/* Who thread t waits for: the holder of its object, or for main at exit the
 * first unfinished non-daemon thread; -1 when nobody in particular. */
static int waits_for(hd_exec *x, int t) {
  dthread *d = &x->threads[t];
  if (d->why == SHUTDOWN) {
    for (int u = 1; u < x->nthreads; u++)
      if (!x->threads[u].daemon && x->threads[u].state != T_FINISHED) return u;
    return -1;
  }
  if (d->waiting_on && d->waiting_on->obj.holder >= 0 && d->waiting_on->obj.holder < x->nthreads)
    return d->waiting_on->obj.holder;
  return -1;
}

static void describe_wait(hd_exec *x, int t, char *buf, size_t size) {
  dthread *d = &x->threads[t];
  char obj[96];
  if (d->spinning) {
    snprintf(buf, size, "%s spins at %s:%d: %s", d->name, x->pending[t].file ? x->pending[t].file : "?",
             x->pending[t].line, d->why);
    return;
  }
  if (d->why == SHUTDOWN) {
    snprintf(buf, size, "%s waits at interpreter exit for its non-daemon threads", d->name);
    return;
  }
  int holder = waits_for(x, t);
  int n = snprintf(buf, size, "%s waits on %s (%s at %s:%d)", d->name, obj_label(&d->waiting_on->obj, obj, sizeof obj),
                   d->why ? d->why : "wait", x->pending[t].file ? x->pending[t].file : "?", x->pending[t].line);
  if (holder >= 0 && n > 0 && (size_t)n < size)
    snprintf(buf + n, size - (size_t)n, ", held by %s", holder == t ? "itself" : x->threads[holder].name);
  if (holder >= 0 || n <= 0 || (size_t)n >= size) return;
  /* Nobody holds it: the wait ends only if another thread acts on the
   * object (a get from a full queue, a set of an event), and none can. Say
   * so, with what became of the others: a producer stuck on a full queue
   * whose consumer finished reads "... consumer finished". */
  n += snprintf(buf + n, size - (size_t)n, ", and no thread is left to change it");
  const char *sep = " (";
  for (int u = 0; u < x->nthreads && (size_t)n < size; u++) {
    if (u == t) continue;
    const char *what = x->threads[u].state == T_FINISHED ? "finished" : "blocked";
    n += snprintf(buf + n, size - (size_t)n, "%s%s %s", sep, x->threads[u].name, what);
    sep = ", ";
  }
  if (sep[0] == ',' && (size_t)n < size) snprintf(buf + n, size - (size_t)n, ")");
}

/* The thread a deadlock report names first: following the wait-for edges
 * from `t`, the thread at the end of the chain (it waits for nobody in
 * particular: the root cause, e.g. a producer on a full queue that main is
 * joining), or the first thread met twice (on the cycle). */
static int root_waiter(hd_exec *x, int t) {
  hd_tset visited;
  hd_tset_clear(&visited, hd_tset_words(x->nthreads));
  for (;;) {
    hd_tset_add(&visited, t);
    int next = waits_for(x, t);
    if (next < 0 || x->threads[next].state != T_BLOCKED) return t;
    if (hd_tset_has(&visited, next)) return next;
    t = next;
  }
}

/* Every thread is blocked with no deadline: report each wait, and the first
 * cycle of the wait-for graph if there is one. */
_Noreturn static void report_deadlock(hd_exec *x) {
  char line[512];
  int blocked = 0, first = -1;
  for (int t = 0; t < x->nthreads; t++) {
    if (x->threads[t].state != T_BLOCKED) continue;
    if (x->threads[t].daemon && !x->cfg.c_program) continue; /* daemons never hold up the program */
    blocked++;
    if (first < 0) first = t;
  }
  x->result.details[0] = '\0';
  for (int t = 0; t < x->nthreads; t++) {
    if (x->threads[t].state != T_BLOCKED) continue;
    describe_wait(x, t, line, sizeof line);
    append_details(x, "  %s%s\n", line, x->threads[t].daemon && !x->cfg.c_program ? " [daemon]" : "");
  }
  /* A cycle: follow waits-for edges from each thread; the graph has out-degree <= 1. */
  char cycle[512] = "";
  for (int start = 0; start < x->nthreads && !cycle[0]; start++) {
    if (x->threads[start].state != T_BLOCKED) continue;
    int slow = start, steps = 0;
    int seen[HD_MAX_THREADS];
    memset(seen, -1, sizeof seen);
    while (slow >= 0 && x->threads[slow].state == T_BLOCKED && seen[slow] < 0) {
      seen[slow] = steps++;
      slow = waits_for(x, slow);
    }
    if (slow < 0 || x->threads[slow].state != T_BLOCKED || seen[slow] < 0) continue;
    /* `slow` is on a cycle: print it once around. */
    int t = slow;
    size_t n = 0;
    do {
      char obj[96];
      dthread *d = &x->threads[t];
      const char *via = d->why == SHUTDOWN ? "interpreter exit" : obj_label(&d->waiting_on->obj, obj, sizeof obj);
      n += (size_t)snprintf(cycle + n, sizeof cycle - n, "%s -> %s -> ", d->name, via);
      t = waits_for(x, t);
    } while (t != slow && n < sizeof cycle - 64);
    snprintf(cycle + n, sizeof cycle - n, "%s", x->threads[slow].name);
  }
  if (cycle[0]) append_details(x, "  wait-for cycle: %s\n", cycle);
  else append_details(x, "  no wait-for cycle: a thread waits for something no running thread will ever do\n");
  for (int t = 0; t < x->nthreads; t++) {
    if (x->threads[t].state == T_BLOCKED && x->cfg.record_trace) {
      size_t e = x->threads[t].last_event;
      if (e < x->trace.len) x->trace.events[e].flagged = true;
    }
  }
  if (first < 0) first = 0;
  else first = root_waiter(x, first);
  describe_wait(x, first, line, sizeof line);
  /* When the root of the waiting is a thread that spins on memory nobody
   * will write, it is a livelock: the others only wait for it. */
  if (x->threads[first].spinning)
    report_bug(x, HD_BUG_LIVELOCK, x->pending[first].file, x->pending[first].line,
               "livelock: %d thread%s spin forever, each re-reading memory no other thread will write; %s", blocked,
               blocked == 1 ? "" : "s", line);
  report_bug(x, HD_BUG_DEADLOCK, x->pending[first].file, x->pending[first].line,
             "deadlock: %d thread%s blocked forever; %s", blocked, blocked == 1 ? "" : "s", line);
}

/* ---- scheduling ------------------------------------------------------------------ */

static void wake(hd_exec *x, int t, bool notified) {
  dthread *d = &x->threads[t];
  d->waiting_on = NULL;
  d->why = NULL;
  d->deadline = HD__NEVER;
  d->notified = notified;
  set_state(x, t, T_RUNNABLE);
}

/* Moves the clock to the earliest deadline and wakes whoever it belongs to.
 * False when no thread has a deadline. */
static bool advance_time(hd_exec *x) {
  int64_t earliest = HD__NEVER;
  for (int t = 0; t < x->nthreads; t++)
    if (x->threads[t].state == T_BLOCKED && x->threads[t].deadline < earliest) earliest = x->threads[t].deadline;
  if (earliest == HD__NEVER) return false;
  if (earliest > x->now) x->now = earliest;
  for (int t = 0; t < x->nthreads; t++) {
    if (x->threads[t].state == T_BLOCKED && x->threads[t].deadline <= x->now) {
      wake(x, t, false);
      int saved = x->current;
      x->current = t;
      trace_event(x, HD_EV_TIMEOUT, HD_OP_NONE, NULL, NULL, 0, NULL);
      x->current = saved;
    }
  }
  return true;
}

hd_exec_hot hd__exec_hot;

/* hd__exec_hot after a switch to thread `t`. */
static void hot_thread(hd_exec *x, int t) {
  hd__exec_hot.tid = t;
  hd__exec_hot.clock = &x->threads[t].vc;
  const hd__fiber *f = &x->threads[t].fiber;
  hd__exec_hot.stack_lo = (uintptr_t)f->asan_bottom; /* integers: no stack yet is 0, 0 */
  hd__exec_hot.stack_hi = f->asan_bottom ? (uintptr_t)f->asan_bottom + f->asan_size : 0;
}

void (*hd__exec_switch_hook)(int from, int to);

static void switch_to(hd_exec *x, int next) {
  int prev = x->current;
  if (next == prev) return;
  if (hd__exec_switch_hook) hd__exec_switch_hook(prev, next);
  x->current = next;
  hot_thread(x, next);
  if (x->recorder) x->recorder->current = next;
  hd__fiber_switch(&x->threads[prev].fiber, &x->threads[next].fiber);
}

/* A scheduling decision: the calling thread may be runnable (a switch point),
 * blocked or finished. Returns when the calling thread is chosen again. */
static void reschedule(hd_exec *x) {
  int self = x->current;
  /* Inside an atomic section a runnable thread keeps running; one that
   * blocks gives way, as it must. */
  if (x->threads[self].atomic > 0 && x->threads[self].state == T_RUNNABLE) return;
  bool time_advanced = false;
  while (!x->nrunnable) {
    if (!advance_time(x)) report_deadlock(x);
    time_advanced = true;
  }
  if (x->steps >= x->cfg.step_limit)
    report_bug(x, HD_BUG_LIVELOCK, x->pending[self].file, x->pending[self].line,
               "step limit exceeded: %llu switch points in one execution (possible livelock or spin loop); "
               "raise the limit with --step-limit or HEDDLE_STEP_LIMIT if the test is merely long",
               (unsigned long long)x->cfg.step_limit);
  if (x->recorder) {
    x->recorder->heartbeat = x->recorder->heartbeat + 1;
    x->recorder->steps = x->steps + 1;
  }
  hd_decision d = {
      .runnable = &x->runnable,
      .nrunnable = x->nrunnable,
      .respawned1 = x->respawned1,
      .time_advanced = time_advanced,
      .hidden_step = hd__exec_hot.hidden1 == x->steps && x->steps > 0,
      .current = self,
      .nthreads = x->nthreads,
      .pending = x->pending,
      .step = x->steps++,
  };
  hd__exec_hot.decisions = x->steps;
  x->respawned1 = 0;
  int next = x->cfg.strategy->ops->pick_thread(x->cfg.strategy->self, &d);
  if (next < 0) end_execution(x, HD_EXEC_DIVERGED);
  if (next >= x->nthreads || !hd_tset_has(&x->runnable, next)) {
    snprintf(x->result.message, sizeof x->result.message, "strategy %s chose thread %d, which cannot run",
             x->cfg.strategy->ops->name, next);
    end_execution(x, HD_EXEC_ERROR);
  }
  if (x->nrunnable > 1) record_choice(x, false, (uint64_t)next);
  if (next != self && hd_tset_has(&x->runnable, self)) {
    x->preemptions++;
    if (x->recorder) x->recorder->preemptions = x->preemptions;
    if (x->cfg.record_trace && x->threads[self].last_event < x->trace.len)
      x->trace.events[x->threads[self].last_event].preempted = true;
  }
  switch_to(x, next);
}

/* cfg.stop_after: the decision asked for has been made and traced, and the
 * chosen thread is about to run its own code. */
static void stop_if_asked(hd_exec *x) {
  if (x->cfg.stop_after && x->steps >= x->cfg.stop_after) end_execution(x, HD_EXEC_STOPPED);
}

/* Blocks the calling thread on `m` (or on nothing: sleep, shutdown) until
 * woken or until `deadline`. Returns true when notified. */
static bool block(hd_exec *x, hd__mon *m, const char *why, int64_t deadline) {
  dthread *d = &x->threads[x->current];
  if (deadline <= x->now) return false; /* already expired: no wait at all */
  d->waiting_on = m;
  d->why = why;
  d->deadline = deadline;
  d->notified = false;
  set_state(x, x->current, T_BLOCKED);
  size_t blocked = trace_event(x, HD_EV_BLOCK, HD_OP_NONE, m ? &m->obj : NULL, NULL, 0, NULL);
  if (blocked != SIZE_MAX) x->trace.events[blocked].why = why;
  reschedule(x);
  if (d->notified) trace_event(x, HD_EV_WAKE, HD_OP_NONE, m ? &m->obj : NULL, NULL, 0, NULL);
  stop_if_asked(x);
  return d->notified;
}

/* ---- thread bodies --------------------------------------------------------------- */

static void finish_thread(hd_exec *x) {
  int self = x->current;
  trace_event(x, HD_EV_FINISH, HD_OP_NONE, NULL, NULL, 0, NULL);
  set_state(x, self, T_FINISHED);
  dthread *main_thread = &x->threads[0];
  if (!x->threads[self].daemon && main_thread->state == T_BLOCKED && main_thread->why == SHUTDOWN) {
    wake(x, 0, true);
    if (x->cfg.record_trace) hd_trace_signal(&x->trace, self, 0); /* main's wake-up comes after this finish */
  }
  reschedule(x);
  abort(); /* a finished thread is never chosen */
}

static void thread_entry(void *arg) {
  dthread *d = arg;
  stop_if_asked(cur); /* a new thread's first code runs right after the decision that chose it */
  d->entry(d->arg);
  finish_thread(cur);
}

/* A switch point of the calling thread whose operation `op` conflicts with
 * every other thread's (object HD_OBJ_ALL): the end of the program, the
 * start of an atomic section. */
static void point_on_everything(hd_exec *x, hd_op_kind op, const char *file, int line) {
  x->pending[x->current] = (hd_pending){.obj_id = HD_OBJ_ALL, .op = op, .file = file, .line = line};
  reschedule(x);
  trace_event(x, HD_EV_OP, op, NULL, file, line, NULL);
  stop_if_asked(x);
}

/* The end of the program abandons the daemon threads still alive. It is a
 * switch point of its own, conflicting with everything (HD_OBJ_ALL), so
 * that a daemon about to act can run before it: the strategies explore both
 * orders, and dfs sees the race. After it, the daemons never run again. The
 * calling thread is main at its end, or any thread that calls exit() in a
 * C program (there every other thread is abandoned the same way). */
static void end_program(hd_exec *x, const char *file, int line) {
  bool others = false;
  for (int t = 0; t < x->nthreads; t++) {
    const dthread *d = &x->threads[t];
    if (t == x->current) continue;
    if (d->state != T_FINISHED) others = true;
    /* A thread the end could have abandoned that finished unjoined: had the
     * end come earlier, it would have stopped it, so the end is a point that
     * races with its last steps here too (else dfs never tries the end
     * before them: a daemon's release after a write another thread read). */
    if (d->state == T_FINISHED && d->joined_by < 0 && (d->daemon || x->cfg.c_program) && t != 0) others = true;
  }
  if (!others) return;
  point_on_everything(x, HD_OP_END, file, line);
  for (int t = 0; t < x->nthreads; t++)
    if (t != x->current && x->threads[t].state != T_FINISHED) set_state(x, t, T_FINISHED);
}

/* The program's end: the check, then the execution passes. */
_Noreturn static void finish_program(hd_exec *x) {
  if (x->cfg.check) x->cfg.check(x->cfg.arg);
  trace_event(x, HD_EV_FINISH, HD_OP_NONE, NULL, NULL, 0, NULL);
  end_execution(x, HD_EXEC_PASSED);
}

static void main_entry(void *arg) {
  hd_exec *x = arg;
  x->cfg.body(x->cfg.arg);
  /* Interpreter exit: wait for every non-daemon thread, abandon daemons. */
  for (;;) {
    bool pending = false;
    for (int t = 1; t < x->nthreads; t++)
      if (!x->threads[t].daemon && x->threads[t].state != T_FINISHED) pending = true;
    if (!pending) break;
    x->pending[0] = (hd_pending){.op = HD_OP_JOIN};
    block(x, NULL, SHUTDOWN, HD__NEVER);
  }
  end_program(x, NULL, 0);
  finish_program(x);
}

/* ---- the engine's public side ------------------------------------------------------ */

hd_exec *hd_exec_new(void) {
  hd_exec *x = calloc(1, sizeof *x);
  if (!x) return NULL;
  hd__fiber_init_host(&x->host);
  x->blocks.prev = x->blocks.next = &x->blocks;
  return x;
}

void hd_exec_free(hd_exec *x) {
  if (!x) return;
  hd_schedule_free(&x->schedule);
  hd_trace_free(&x->trace);
  arena_reset(x);
  free(x->arena);
  free(x);
}

/* When every slot is taken: the lowest slot of a finished thread that the
 * calling thread joined, or -1. Only such a slot can be taken over: its old
 * thread's end happens before the join, which happens before the new
 * thread's start, so the strategies and the race detector may treat the two
 * as one thread's two halves (same id, clocks that go on counting). */
static int reusable_slot(hd_exec *x) {
  for (int t = 1; t < x->nthreads; t++)
    if (x->threads[t].state == T_FINISHED && x->threads[t].joined_by == x->current) return t;
  return -1;
}

static int spawn(hd_exec *x, void (*entry)(void *), void *arg, hd__runs runs, const char *name, bool daemon) {
  int tid = x->nthreads;
  bool reused = tid == HD_MAX_THREADS;
  if (reused && (tid = reusable_slot(x)) < 0) return -1;
  dthread *d = &x->threads[tid];
  if (reused) hd__fiber_release(&d->fiber); /* the old thread never runs again */
  hd__fiber keep = d->fiber; /* keeps the fiber record (its sanitizer state) */
  memset(d, 0, sizeof *d);
  d->fiber = keep;
  d->entry = entry;
  d->arg = arg;
  d->name = name;
  d->daemon = daemon;
  d->deadline = HD__NEVER;
  d->last_event = SIZE_MAX;
  d->joined_by = -1;
  if (tid > 0) d->last_sync = x->pending[x->current]; /* being started is its first synchronisation */
  if (tid == 0 ? hd__fiber_make(&d->fiber, main_entry, x, name) : hd__fiber_make(&d->fiber, thread_entry, d, name))
    return -1;
  /* Twins: spawned one right after the other with the same function and
   * argument (a loop starting workers). The main thread has no twin. */
  uint32_t twin_class = 0;
  if (tid > 0) {
    bool twin = x->last_twin_class && runs.fn && x->last_runs.fn == runs.fn && x->last_runs.arg == runs.arg;
    twin_class = twin ? x->last_twin_class : ++x->twin_classes;
    if (twin) d->has_twin = x->threads[x->last_spawned].has_twin = true;
    x->last_runs = runs;
    x->last_twin_class = twin_class;
    x->last_spawned = tid;
  }
  x->pending[tid] = (hd_pending){
      .op = HD_OP_START,
      .twin_class = twin_class,
      .abandonable = tid == 0 || daemon || x->cfg.c_program,
      .end_unread = x->cfg.c_program};
  if (reused) {
    x->respawned1 = tid + 1;
    hd__memory_thread_reset(tid);
  } else {
    x->nthreads++;
  }
  if (x->recorder && tid < HD_RECORDER_THREADS) {
    copy_name(x->recorder->threads[tid].name, sizeof x->recorder->threads[tid].name, name);
    x->recorder->threads[tid].file_ptr = NULL;
    x->recorder->threads[tid].line = 0;
  }
  if (x->cfg.record_trace) {
    x->trace.thread_names[tid] = name;
    x->trace.nthreads = x->nthreads;
    if (tid > 0) hd_trace_signal(&x->trace, x->current, tid); /* the child's first step follows the start */
  }
  if (x->cfg.detect_races) {
    if (tid > 0) {
      /* The child starts after everything its parent did so far. */
      hd_vc_copy(&d->vc, &x->threads[x->current].vc);
      hd_vc_tick(&x->threads[x->current].vc, x->current);
    }
    /* A slot's new thread goes on counting where the old one (which its
     * parent joined) stopped. */
    hd_vc_tick(&d->vc, tid);
  }
  set_state(x, tid, T_RUNNABLE);
  return tid;
}

hd_exec_status hd_exec_run(hd_exec *x, const hd_exec_config *cfg, const hd_exec_result **out) {
  if (cur) {
    fprintf(stderr, "heddle: hd_exec_run called from inside an execution\n");
    abort();
  }
  x->cfg = *cfg;
  if (!x->cfg.step_limit) x->cfg.step_limit = UINT64_MAX;
  x->recorder = hd__recorder_attached();
  if (x->recorder) {
    x->recorder->len = 0;
    x->recorder->current = 0;
    x->recorder->steps = 0;
    x->recorder->preemptions = 0;
    x->recorder->in_execution = 1;
  }
  x->nthreads = 0;
  x->current = 0;
  x->respawned1 = 0;
  x->npeeked = 0;
  x->peeks_lost = false;
  memset(&x->atomic_clock, 0, sizeof x->atomic_clock);
  hd_tset_clear(&x->runnable, HD_TSET_WORDS);
  x->nrunnable = 0;
  x->now = 0;
  x->steps = 0;
  x->preemptions = 0;
  x->gen = ++last_gen;
  x->next_obj_id = 0;
  x->counter = 0;
  x->last_runs = (hd__runs){NULL, NULL};
  x->last_twin_class = x->twin_classes = 0;
  hd_schedule_clear(&x->schedule);
  hd_trace_reset(&x->trace);
  memset(&x->result, 0, sizeof x->result);
  x->result.schedule = &x->schedule;
  x->result.trace = cfg->record_trace ? &x->trace : NULL;

  cur = x;
  hd__exec_hot = (hd_exec_hot){.generation = x->gen, .races = x->cfg.detect_races, .eager = x->cfg.eager_memory};
  hot_thread(x, 0);
  if (spawn(x, NULL, NULL, (hd__runs){NULL, NULL}, cfg->c_program ? "main" : "MainThread", false) < 0) {
    snprintf(x->result.message, sizeof x->result.message, "cannot map a fiber stack for the main thread");
    x->result.status = HD_EXEC_ERROR;
  } else {
    hd__fiber_switch(&x->host, &x->threads[0].fiber);
  }
  cur = NULL;
  hd__exec_hot.generation = 0;
  if (x->recorder) x->recorder->in_execution = 0;

  for (int t = 0; t < x->nthreads; t++) hd__fiber_release(&x->threads[t].fiber);
  x->result.steps = x->steps;
  x->result.preemptions = x->preemptions;
  hd_outcome outcome = {
      .bug = x->result.status == HD_EXEC_BUG ? x->result.bug : HD_BUG_NONE,
      .steps = x->steps,
      .schedule = &x->schedule,
      .pruned = x->result.pruned,
      .peeked = x->peeked,
      .npeeked = x->npeeked,
      .peeks_lost = x->peeks_lost,
  };
  x->cfg.strategy->ops->end(x->cfg.strategy->self, &outcome);
  /* Leak check: every per-execution allocation goes back, including the
   * blocks of primitives the execution never destroyed. */
  free_blocks(x);
  arena_reset(x);
  if (x->arena_live != 0) {
    fprintf(stderr, "heddle: internal error: %zu bytes of execution state survived the execution\n", x->arena_live);
    abort();
  }
  *out = &x->result;
  return x->result.status;
}

/* ---- the deterministic backend (primitives/backend.h) ---------------------------------- */

void hd__obj_init(hd__obj *o, const char *kind, const char *name) {
  o->kind = kind;
  o->name = name;
  o->holder = -1;
  o->shadow = NULL;
  if (cur) {
    o->id = ++cur->next_obj_id;
    o->gen = cur->gen;
  } else {
    o->id = 0;
    o->gen = 0;
  }
}

void hd__obj_check(const hd__obj *o, const char *file, int line) {
  hd_exec *x = need_exec("a heddle primitive");
  if (o && o->gen != x->gen)
    report_bug(x, HD_BUG_MISUSE, file, line,
               "misuse in %s at %s:%d: %s %s was not initialised in this execution (initialise every object inside "
               "the test body)",
               x->threads[x->current].name, file, line, o->kind ? o->kind : "object", o->name ? o->name : "(unnamed)");
}

/* The lock thread d took last of those it holds (hd_pending.guard). */
static uint32_t latest_guard(const dthread *d) {
  return d->nguards > 0 && d->nguards <= HD_GUARDS ? d->guards[d->nguards - 1] : 0;
}

void hd__guard(const hd__obj *o, bool held) {
  if (!cur || !o || o->holder < 0 || o->holder >= cur->nthreads) return;
  dthread *d = &cur->threads[o->holder];
  if (held) {
    if (d->nguards < HD_GUARDS) d->guards[d->nguards] = o->id;
    if (d->nguards <= HD_GUARDS) d->nguards++; /* past HD_GUARDS it stays unknown for the rest of the run */
    return;
  }
  if (d->nguards > HD_GUARDS) return;
  for (int i = d->nguards; i-- > 0;) /* locks are not always given up in the order they were taken */
    if (d->guards[i] == o->id) {
      memmove(&d->guards[i], &d->guards[i + 1], (size_t)(d->nguards - 1 - i) * sizeof d->guards[0]);
      d->nguards--;
      return;
    }
}

/* A switch point of the calling thread before `op` on `o` (NULL: none):
 * its pending operation, the decision, the flight recorder's note of where
 * the thread is, the trace. */
static void switch_point(hd_exec *x, const hd__obj *o, hd_op_kind op, const char *file, int line,
                         uint64_t conflict_step1) {
  x->pending[x->current] = (hd_pending){.obj_id = o ? o->id : 0,
                                        .op = op,
                                        .file = file,
                                        .line = line,
                                        .conflict_step1 = conflict_step1,
                                        .holds = o && o->holder == x->current,
                                        .guard = latest_guard(&x->threads[x->current])};
  reschedule(x);
  if (x->recorder && x->current < HD_RECORDER_THREADS) {
    /* The file name is copied only when it changes: a switch point costs a compare and a store. */
    __typeof__(x->recorder->threads[0]) *seen = &x->recorder->threads[x->current];
    if (seen->file_ptr != file) {
      copy_name(seen->file, sizeof seen->file, file ? file : "?");
      seen->file_ptr = file;
    }
    seen->line = line;
  }
  trace_event(x, HD_EV_OP, op, o, file, line, NULL);
  stop_if_asked(x);
}

void hd__point(hd__obj *o, hd_op_kind op, const char *file, int line) {
  hd_exec *x = need_exec("a heddle primitive");
  dthread *d = &x->threads[x->current];
  if (d->in_monitor) {
    fprintf(stderr, "heddle: internal error: switch point inside a monitor at %s:%d\n", file, line);
    abort();
  }
  hd__obj_check(o, file, line);
  switch_point(x, o, op, file, line, 0);
  if (op != HD_OP_READ && op != HD_OP_WRITE && op != HD_OP_SLEEP && op != HD_OP_YIELD && op != HD_OP_RANDOM &&
      op != HD_OP_CLOCK)
    d->last_sync = x->pending[x->current];
}

/* The calling thread's latest trace event, or NULL when none is recorded. */
static hd_trace_event *latest_event(const char *what) {
  hd_exec *x = need_exec(what);
  size_t e = x->threads[x->current].last_event;
  return x->cfg.record_trace && e < x->trace.len ? &x->trace.events[e] : NULL;
}

void hd__note_value(int64_t value) {
  hd_trace_event *e = latest_event("hd__note_value");
  if (!e) return;
  e->has_value = true;
  e->value = value;
}

void hd__peek(const hd__obj *o) {
  hd_exec *x = cur;
  if (!x || !o->id) return; /* outside an execution, or an object it never used */
  for (size_t i = 0; i < x->npeeked; i++)
    if (x->peeked[i] == o->id) return;
  if (x->npeeked == HD_MAX_PEEKS) x->peeks_lost = true;
  else x->peeked[x->npeeked++] = o->id;
}

void hd__note_outcome(int outcome) {
  hd_trace_event *e = latest_event("hd__note_outcome");
  if (e) e->outcome = (uint8_t)outcome;
}

static void describe_access(hd_exec *x, const hd_access *a, const char *var, char *buf, size_t size) {
  int n = snprintf(buf, size, "%s of %s by %s at %s:%d", a->is_write ? "write" : "read", var, x->threads[a->tid].name,
                   a->file, a->line);
  if (!a->value_unknown && n > 0 && (size_t)n < size) snprintf(buf + n, size - (size_t)n, " (value %lld)", (long long)a->value);
}

/* Reports the race between `earlier` and `now` on `o` and ends the execution. */
_Noreturn static void report_race(hd_exec *x, const hd__obj *o, const hd_access *earlier, const hd_access *now) {
  char var[96], a[256], b[256];
  obj_label(o, var, sizeof var);
  describe_access(x, earlier, var, a, sizeof a);
  describe_access(x, now, var, b, sizeof b);
  x->result.details[0] = '\0';
  append_details(x, "  earlier: %s\n  later:   %s\n", a, b);
  int pair[2] = {earlier->tid, now->tid};
  for (int i = 0; i < 2; i++) {
    const hd_pending *s = &x->threads[pair[i]].last_sync;
    if (s->op == HD_OP_NONE)
      append_details(x, "  %s had not synchronised with anything yet\n", x->threads[pair[i]].name);
    else
      append_details(x, "  %s last synchronised with %s at %s:%d\n", x->threads[pair[i]].name, hd_op_verb(s->op),
                     s->file, s->line);
  }
  if (x->cfg.record_trace && earlier->event < x->trace.len) x->trace.events[earlier->event].flagged = true;
  if (x->cfg.record_trace && now->event < x->trace.len) x->trace.events[now->event].flagged = true;
  report_bug(x, HD_BUG_DATA_RACE, now->file, now->line,
             "data race on %s: %s by %s is not ordered by happens-before with the %s by %s at %s:%d", var,
             now->is_write ? "write" : "read", x->threads[now->tid].name, earlier->is_write ? "write" : "read",
             x->threads[earlier->tid].name, earlier->file, earlier->line);
}

/* The calling thread's access, now, for the race detector. */
static hd_access access_now(hd_exec *x, bool is_write, int64_t value, const char *file, int line) {
  int self = x->current;
  return (hd_access){
      .tid = self,
      .epoch = hd_vc_get(&x->threads[self].vc, self),
      .is_write = is_write,
      .value = value,
      .file = file,
      .line = line,
      .event = x->cfg.record_trace ? x->threads[self].last_event : SIZE_MAX,
  };
}

void hd__access(hd__obj *o, bool is_write, int64_t value, const char *file, int line) {
  hd__access_value(o, is_write, value, true, file, line);
}

void hd__access_value(hd__obj *o, bool is_write, int64_t value, bool known, const char *file, int line) {
  hd_exec *x = need_exec("hd__access");
  if (!x->cfg.detect_races) return;
  if (!o->shadow && !(o->shadow = arena_alloc(x, sizeof(hd_var_shadow)))) end_execution(x, HD_EXEC_ERROR);
  hd_access now = access_now(x, is_write, value, file, line);
  now.value_unknown = !known;
  const hd_access *earlier = hd_race_check(o->shadow, &x->threads[x->current].vc, &now);
  if (earlier) report_race(x, o, earlier, &now);
}

/* ---- what engine/memory.c needs (engine/memory.h) ------------------------------------ */

uint32_t hd__exec_generation(void) { return hd__exec_hot.generation; }

void *hd__exec_scratch(size_t size) {
  void *p = arena_alloc(cur, size);
  if (!p) end_execution(cur, HD_EXEC_ERROR);
  return p;
}

hd_access hd__exec_access(bool is_write, int64_t value, const char *file, int line) {
  return access_now(cur, is_write, value, file, line);
}

bool hd__exec_ordered_after(const hd_access *earlier) {
  return hd_vc_get(&cur->threads[cur->current].vc, earlier->tid) >= earlier->epoch;
}

_Noreturn void hd__exec_race(const hd__obj *o, const hd_access *earlier, const hd_access *now) {
  report_race(cur, o, earlier, now);
}

void hd__exec_seed(hd__obj *o, const hd_access *a) {
  if (!cur->cfg.detect_races) return;
  if (!o->shadow) o->shadow = hd__exec_scratch(sizeof(hd_var_shadow));
  static const hd_vc nobody; /* an empty shadow has nothing to race with */
  hd_race_check(o->shadow, &nobody, a);
}

void hd__exec_park(const char *why, const char *file, int line) {
  hd_exec *x = cur;
  dthread *d = &x->threads[x->current];
  x->pending[x->current].file = file;
  x->pending[x->current].line = line;
  d->spinning = true;
  block(x, NULL, why, HD__NEVER);
  d->spinning = false;
}

void hd__exec_unpark(uint64_t threads) {
  hd_exec *x = cur;
  for (int t = 0; t < x->nthreads && t < 64; t++)
    if ((threads >> t & 1) && x->threads[t].state == T_BLOCKED && x->threads[t].spinning) wake(x, t, true);
}

void hd__exec_release_to(hd_vc *clock) {
  hd_exec *x = cur;
  if (!x->cfg.detect_races) return;
  hd_vc_join(clock, &x->threads[x->current].vc, x->nthreads);
  hd_vc_tick(&x->threads[x->current].vc, x->current);
}

void hd__exec_acquire_from(const hd_vc *clock) {
  hd_exec *x = cur;
  if (x->cfg.detect_races) hd_vc_join(&x->threads[x->current].vc, clock, x->nthreads);
}

void hd__exec_memory_point(hd__obj *o, hd_op_kind op, const char *file, int line, uint64_t conflict_step1) {
  switch_point(cur, o, op, file, line, conflict_step1);
}

/* Outside an execution (or for an object that belongs to none) a block is
 * plain malloc'd memory, marked by self-links so hd__free knows. */
void *hd__alloc(const hd__obj *owner, size_t size) {
  if (size > SIZE_MAX - sizeof(block_header)) return NULL;
  block_header *b = malloc(sizeof *b + size);
  if (!b) return NULL;
  hd_exec *x = cur;
  if (x && owner && owner->gen == x->gen) {
    b->next = x->blocks.next;
    b->prev = &x->blocks;
    x->blocks.next->prev = b;
    x->blocks.next = b;
    x->live_blocks++;
  } else {
    b->prev = b->next = b;
  }
  return b + 1;
}

void hd__free(const hd__obj *owner, void *p) {
  if (!p) return;
  block_header *b = (block_header *)p - 1;
  hd_exec *x = cur;
  bool tracked = owner && owner->gen != 0;
  if (tracked && (!x || owner->gen != x->gen)) return; /* freed when its execution ended */
  if (b->next != b) {
    b->prev->next = b->next;
    b->next->prev = b->prev;
    x->live_blocks--;
  }
  free(b);
}

void hd__mon_init(hd__mon *m, const char *kind, const char *name) { hd__obj_init(&m->obj, kind, name); }

void hd__mon_destroy(hd__mon *m) {
  hd_exec *x = cur;
  if (!x) return;
  for (int t = 0; t < x->nthreads; t++) {
    if (x->threads[t].state == T_BLOCKED && x->threads[t].waiting_on == m) {
      char obj[96];
      report_bug(x, HD_BUG_MISUSE, x->pending[x->current].file, x->pending[x->current].line,
                 "misuse: %s destroyed while %s waits on it", obj_label(&m->obj, obj, sizeof obj),
                 x->threads[t].name);
    }
  }
}

/* Synchronisation edges for the race detector: entering a monitor acquires
 * its clock, leaving it releases the thread's clock into it. */
void hd__mon_enter(hd__mon *m) {
  hd_exec *x = need_exec("hd__mon_enter");
  dthread *d = &x->threads[x->current];
  d->in_monitor++;
  if (x->cfg.detect_races && m->obj.shadow && m->obj.gen == x->gen) hd_vc_join(&d->vc, m->obj.shadow, x->nthreads);
  if (x->cfg.record_trace && m->obj.gen == x->gen) hd_trace_acquire(&x->trace, m->obj.id, x->current);
}

/* `publish`: the exit is an operation's release, drawn as the source of a
 * happens-before edge in traces; the exit inside a wait is not (the clock
 * still flows, but an arrow from every waiter to its waker is noise). */
static void mon_exit(hd_exec *x, hd__mon *m, bool publish) {
  dthread *d = &x->threads[x->current];
  d->in_monitor--;
  if (publish && x->cfg.record_trace && m->obj.gen == x->gen) hd_trace_release(&x->trace, m->obj.id, x->current);
  if (!x->cfg.detect_races) return;
  if (m->obj.gen != x->gen) return;
  if (!m->obj.shadow && !(m->obj.shadow = arena_alloc(x, sizeof(hd_vc)))) end_execution(x, HD_EXEC_ERROR);
  hd_vc_join(m->obj.shadow, &d->vc, x->nthreads);
  hd_vc_tick(&d->vc, x->current);
}

void hd__mon_exit(hd__mon *m) { mon_exit(need_exec("hd__mon_exit"), m, true); }

bool hd__mon_wait(hd__mon *m, int64_t deadline, const char *why) {
  hd_exec *x = need_exec("hd__mon_wait");
  dthread *d = &x->threads[x->current];
  /* Waiting releases the monitor and re-acquires it on wake-up. */
  mon_exit(x, m, false);
  int depth = d->in_monitor;
  d->in_monitor = 0;
  bool notified = block(x, m, why, deadline);
  d->in_monitor = depth;
  hd__mon_enter(m);
  return notified;
}

void hd__mon_notify_all(hd__mon *m) {
  hd_exec *x = need_exec("hd__mon_notify_all");
  for (int t = 0; t < x->nthreads; t++)
    if (x->threads[t].state == T_BLOCKED && x->threads[t].waiting_on == m) wake(x, t, true);
}

hd_err hd__spawn(void (*entry)(void *), void *arg, hd__runs runs, const char *name, bool daemon, int *tid_out) {
  hd_exec *x = need_exec("hd__spawn");
  int tid = spawn(x, entry, arg, runs, name, daemon);
  if (tid < 0) return HD_ENOMEM;
  *tid_out = tid;
  return HD_OK;
}

int hd__self(void) { return cur ? cur->current : 0; }

void hd__twin_identity(int tid, const char *what, const char *file, int line) {
  hd_exec *x = cur;
  if (!x || !x->cfg.symmetry || tid < 0 || tid >= x->nthreads || !x->threads[tid].has_twin) return;
  char where[300] = "";
  if (file) snprintf(where, sizeof where, " at %s:%d", file, line);
  snprintf(x->result.message, sizeof x->result.message,
           "--symmetry takes thread '%s' and its twins (spawned one after another with the same function and "
           "argument) to be interchangeable, but %s%s tells them apart: explore without --symmetry",
           x->threads[tid].name, what, where);
  end_execution(x, HD_EXEC_ERROR);
}

const char *hd__self_name(void) { return cur ? cur->threads[cur->current].name : "MainThread"; }
bool hd__self_daemon(void) { return cur && cur->threads[cur->current].daemon; }
int hd__counter_next(void) { return cur ? ++cur->counter : 0; }
int64_t hd__now(void) { return cur ? cur->now : 0; }

void hd__sleep_until(int64_t deadline) {
  hd_exec *x = need_exec("hd_sleep");
  while (x->now < deadline) block(x, NULL, "sleep", deadline);
}

_Noreturn void hd__fail(hd_bug_kind kind, const char *file, int line, const char *fmt, ...) {
  char message[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(message, sizeof message, fmt, ap);
  va_end(ap);
  if (!cur) {
    fprintf(stderr, "heddle: %s at %s:%d: %s\n", hd_bug_kind_name(kind), file, line, message);
    abort();
  }
  report_bug(cur, kind, file, line, "%s failed in %s at %s:%d: %s", hd_bug_kind_name(kind),
             cur->threads[cur->current].name, file, line, message);
}

void hd__misuse(const char *file, int line, const char *fmt, ...) {
  hd_exec *x = need_exec("hd__misuse");
  char message[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(message, sizeof message, fmt, ap);
  va_end(ap);
  if (x->cfg.misuse_returns) {
    trace_event(x, HD_EV_LOG, HD_OP_NONE, NULL, file, line, message);
    return;
  }
  report_bug(x, HD_BUG_MISUSE, file, line, "misuse in %s at %s:%d: %s", x->threads[x->current].name, file, line, message);
}

/* A draw of the strategy's, recorded in the schedule either way, so a
 * token replays data as well as choices. */
static uint64_t random_draw(uint64_t bound, bool data) {
  hd_exec *x = need_exec("hd_random_below");
  if (bound <= 1) return 0;
  const hd_strategy *s = x->cfg.strategy;
  uint64_t v = data && s->ops->pick_data ? s->ops->pick_data(s->self, bound) : s->ops->pick_value(s->self, bound);
  if (v >= bound) end_execution(x, HD_EXEC_DIVERGED);
  record_choice(x, true, v);
  return v;
}

uint64_t hd__random(uint64_t bound) { return random_draw(bound, false); }

uint64_t hd__random_data(uint64_t bound) { return random_draw(bound, true); }

void hd__log(const char *file, int line, const char *fmt, va_list ap) {
  hd_exec *x = need_exec("hd_log");
  if (!x->cfg.record_trace) return;
  char text[400];
  vsnprintf(text, sizeof text, fmt, ap);
  trace_event(x, HD_EV_LOG, HD_OP_LOG, NULL, file, line, text);
}

/* ---- what the POSIX layer needs (exec.h) ------------------------------------------------ */

_Noreturn void hd__exec_exit_program(const char *file, int line) {
  hd_exec *x = need_exec("exit");
  end_program(x, file, line);
  finish_program(x);
}

_Noreturn void hd__exec_exit_thread(void) {
  hd_exec *x = need_exec("pthread_exit");
  finish_thread(x);
  abort(); /* finish_thread never returns */
}

void hd__exec_name_thread(int tid, const char *name) {
  hd_exec *x = need_exec("pthread_setname_np");
  if (tid < 0 || tid >= x->nthreads || !name) return;
  x->threads[tid].name = name;
  if (x->cfg.record_trace) x->trace.thread_names[tid] = name;
  if (x->recorder && tid < HD_RECORDER_THREADS)
    copy_name(x->recorder->threads[tid].name, sizeof x->recorder->threads[tid].name, name);
}

void hd__exec_thread_joined(int tid) {
  hd_exec *x = need_exec("pthread_join");
  if (tid > 0 && tid < x->nthreads && x->threads[tid].state == T_FINISHED) x->threads[tid].joined_by = x->current;
}

_Noreturn void hd__exec_prune(const char *file, int line, const char *why) {
  hd_exec *x = need_exec("__VERIFIER_assume");
  x->result.pruned = true;
  trace_event(x, HD_EV_LOG, HD_OP_NONE, NULL, file, line, why);
  end_execution(x, HD_EXEC_PASSED);
}

_Noreturn void hd__exec_report(hd_bug_kind kind, const char *file, int line, const char *message) {
  report_bug(need_exec("hd__exec_report"), kind, file, line, "%s", message);
}

void hd__exec_atomic(bool begin) {
  hd_exec *x = need_exec("__VERIFIER_atomic_begin");
  dthread *d = &x->threads[x->current];
  if (begin) {
    /* Entering: one switch point that conflicts with everything (dfs keeps
     * every order of the section against other threads' steps), taken
     * before the depth rises (inside, switch points do not switch), then an
     * acquire of the sections' clock: sections are mutually exclusive, so
     * they are ordered for the race detector as if under one lock. */
    if (d->atomic == 0) {
      point_on_everything(x, HD_OP_ATOMIC, "?", 0);
      hd__exec_acquire_from(&x->atomic_clock);
    }
    d->atomic++;
  } else if (d->atomic > 0 && --d->atomic == 0) {
    hd__exec_release_to(&x->atomic_clock);
  }
}

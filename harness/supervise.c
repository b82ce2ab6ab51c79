/* Supervised exploration: the executions run in child processes, so nothing
 * a test body does can fool, crash or hang the explorer.
 *
 * Each child explores (or finishes a failure found by another child) and
 * sends its hd_result back through a pipe; as it goes it writes the flight
 * recorder (engine/recorder.h) in memory shared with the parent. The parent
 * waits, and when a child ends without a result it turns the recorder into a
 * bug whose token is the dying execution's choices:
 *   - killed by a signal (abort, a failed assert() or cmocka assertion, a
 *     NULL dereference, raise(SIGSEGV), a fiber's stack overflow): `crash`;
 *   - exited (exit(), _exit(), a sanitizer that printed its report and
 *     exited): `exit`;
 *   - a thread that ran `watchdog` seconds without reaching a switch point
 *     (an endless loop, a real blocking call): the parent interrupts the
 *     child, which writes where it was and dies, and reports a `livelock`.
 * Replaying such a token walks the same choices into the same death, in a
 * child again, and the parent writes the same report: the watchdog reads the
 * clock, but only to decide that the execution it is watching will never
 * reach another switch point; which execution that is, and where it stops,
 * come from the token.
 *
 * --jobs N: N children explore shares of the search (strategies/table.h:
 * by execution index for random and PCT; dfs runs in one child until its
 * tree can be split without changing its answer). The bug with the lowest
 * execution index wins, as it would in one process: once a child reports a
 * bug at index b, the others are told (recorder->stop_before) not to start
 * executions after b. A further child then replays the winner to shrink it
 * and draw its trace, exactly as a single run does.
 *
 * Children die with the parent (PR_SET_PDEATHSIG) and ignore SIGINT and
 * SIGTERM, which the parent handles: it kills them and returns
 * HD_EXPLORE_INTERRUPTED with the executions counted so far. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness/engine/fiber.h"
#include "harness/engine/recorder.h"
#include "harness/engine/schedule.h"
#include "harness/engine/wire.h"
#include "harness/explore.h"
#include "harness/report/trace.h"
#include "harness/strategies/table.h"
#include "primitives/intern.h"

/* How often the parent looks at the heartbeats, in milliseconds. */
#define POLL_MS 50

/* What a child does. */
typedef enum job_kind {
  JOB_EXPLORE, /* explore share `share` of `ways` */
  JOB_FINISH,  /* shrink and trace `schedule`, which failed as execution `index` */
  JOB_TRACE,   /* trace `schedule` up to decision `steps`: the way into a death */
} job_kind;

typedef struct job {
  job_kind kind;
  uint64_t ways, share;
  const hd_schedule *schedule;
  uint64_t index, steps;
} job;

typedef struct child {
  pid_t pid;
  int fd;               /* read end of the result pipe; -1 at end of file */
  hd_recorder *rec;
  char *bytes;          /* the result received so far */
  size_t len, cap;
  int wstatus;
  bool reaped;
  uint64_t beat;        /* the heartbeat last seen, and when it changed */
  double beat_at;
  bool watchdog_fired;
} child;

static double monotonic_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- the child --------------------------------------------------------------------- */

static const int death_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP};
#define N_DEATH_SIGNALS (sizeof death_signals / sizeof death_signals[0])
static struct sigaction previous_actions[N_DEATH_SIGNALS];

/* Notes the signal the child is dying of (and whether it was a fiber's
 * guard page), then passes it on. Async-signal-safe: two stores. */
static void on_death_signal(int sig, siginfo_t *info, void *uctx) {
  hd_recorder *rec = hd__recorder_attached();
  if (rec && (sig == SIGSEGV || sig == SIGBUS) && hd__fiber_guard_label(info->si_addr)) rec->stack_overflow = 1;
  if (rec && !rec->death_signal) rec->death_signal = sig;
  for (size_t i = 0; i < N_DEATH_SIGNALS; i++)
    if (death_signals[i] == sig) hd__chain_signal(sig, info, uctx, &previous_actions[i]);
}

static void install_death_handlers(void) {
  /* The fiber's guard-page handler first, so ours runs before it and it
   * still chains to a sanitizer's. */
  hd__fiber_install_fault_handler();
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_death_signal;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  for (size_t i = 0; i < N_DEATH_SIGNALS; i++) sigaction(death_signals[i], &sa, &previous_actions[i]);
  /* The parent handles interrupts for the whole exploration (it kills us). */
  signal(SIGINT, SIG_IGN);
  signal(SIGTERM, SIG_IGN);
}

/* The numbers of a packed result, in their order on the wire: pack_result,
 * unpack_result and the parent's early look at a finished child's bug
 * (bug_index_of) all name them by these. */
enum {
  W_STATUS, W_EXECUTIONS, W_COMPLETE, W_BUG_FOUND, W_KIND, W_BUG_EXECUTION, W_STEPS, W_PREEMPTIONS, W_SHRUNK,
  W_FOUND_STEPS, W_FOUND_PREEMPTIONS, W_LINE, W_HAS_ESTIMATE, W_ESTIMATED_LEFT, W_WASTED, W_HELPED,
  W_SECTIONS_DISCARDED, W_NUMBERS
};

static void pack_result(FILE *out, hd_explore_status status, const hd_result *r) {
  uint64_t numbers[W_NUMBERS] = {
      [W_STATUS] = (uint64_t)status, [W_EXECUTIONS] = r->executions, [W_COMPLETE] = r->complete,
      [W_BUG_FOUND] = r->bug_found, [W_KIND] = (uint64_t)r->kind, [W_BUG_EXECUTION] = r->bug_execution,
      [W_STEPS] = r->steps, [W_PREEMPTIONS] = r->preemptions, [W_SHRUNK] = r->shrunk,
      [W_FOUND_STEPS] = r->found_steps, [W_FOUND_PREEMPTIONS] = r->found_preemptions,
      [W_LINE] = (uint64_t)(int64_t)r->line, [W_HAS_ESTIMATE] = r->has_estimate,
      [W_ESTIMATED_LEFT] = r->estimated_left, [W_WASTED] = r->wasted, [W_HELPED] = r->helped,
      [W_SECTIONS_DISCARDED] = r->sections_discarded,
  };
  for (size_t i = 0; i < W_NUMBERS; i++) hd__wire_put_u64(out, numbers[i]);
  const char *strings[] = {r->message, r->details, r->error, r->stopped_by, r->file, r->token, r->trace};
  for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) hd__wire_put_str(out, strings[i]);
  hd__wire_put_u64(out, r->trace_data != NULL);
  if (r->trace_data) hd_trace_pack(r->trace_data, out);
}

/* The execution index of the bug in a finished child's packed result, or
 * UINT64_MAX when it found none (or sent too little to tell). */
static uint64_t bug_index_of(const char *bytes, size_t len) {
  hd_wire_reader in = {.p = bytes, .end = bytes + len};
  uint64_t n[W_NUMBERS];
  for (size_t i = 0; i < W_NUMBERS; i++) n[i] = hd__wire_get_u64(&in);
  return !in.bad && n[W_BUG_FOUND] ? n[W_BUG_EXECUTION] : UINT64_MAX;
}

static hd_explore_status unpack_result(const char *bytes, size_t len, hd_result *r) {
  hd_wire_reader in = {.p = bytes, .end = bytes + len};
  uint64_t n[W_NUMBERS];
  for (size_t i = 0; i < W_NUMBERS; i++) n[i] = hd__wire_get_u64(&in);
  hd_explore_status status = (hd_explore_status)n[W_STATUS];
  r->executions = n[W_EXECUTIONS];
  r->complete = n[W_COMPLETE];
  r->bug_found = n[W_BUG_FOUND];
  r->kind = (hd_bug_kind)n[W_KIND];
  r->bug_execution = n[W_BUG_EXECUTION];
  r->steps = n[W_STEPS];
  r->preemptions = (unsigned)n[W_PREEMPTIONS];
  r->shrunk = n[W_SHRUNK];
  r->found_steps = n[W_FOUND_STEPS];
  r->found_preemptions = (unsigned)n[W_FOUND_PREEMPTIONS];
  r->line = (int)(int64_t)n[W_LINE];
  r->has_estimate = n[W_HAS_ESTIMATE];
  r->estimated_left = n[W_ESTIMATED_LEFT];
  r->wasted = n[W_WASTED];
  r->helped = n[W_HELPED];
  r->sections_discarded = n[W_SECTIONS_DISCARDED];
  hd__wire_get_into(&in, r->message, sizeof r->message);
  hd__wire_get_into(&in, r->details, sizeof r->details);
  hd__wire_get_into(&in, r->error, sizeof r->error);
  hd__wire_get_into(&in, r->stopped_by, sizeof r->stopped_by);
  r->file = hd__wire_get_interned(&in);
  r->token = hd__wire_get_str(&in);
  r->trace = hd__wire_get_str(&in);
  if (hd__wire_get_u64(&in)) r->trace_data = hd_trace_unpack(&in);
  if (in.bad || in.p != in.end) {
    hd_result_free(r);
    memset(r, 0, sizeof *r);
    snprintf(r->error, sizeof r->error, "a child process sent a malformed result");
    return HD_EXPLORE_FAILED;
  }
  return status;
}

/* LeakSanitizer asks this at exit. In a supervised child that a body ended
 * with exit(), the harness's memory is still in use, not leaked, and a leak
 * report would only turn the body's exit status into LeakSanitizer's. */
static bool in_supervised_child;
int __lsan_is_turned_off(void);
int __lsan_is_turned_off(void) { return in_supervised_child; }

_Noreturn static void child_main(const hd_test *t, const hd_options *o, const job *j, hd_recorder *rec, int fd,
                                 pid_t parent) {
  /* Die with the parent; if it is already gone, there is nobody to report to. */
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(98);
  /* cmocka's assertions longjmp back into its test runner, whose copy in
   * this process must never resume; with this set they abort instead, and
   * the abort is a crash bug with a token. */
  setenv("CMOCKA_TEST_ABORT", "1", 1);
  in_supervised_child = true;
  hd__recorder_attach(rec);
  install_death_handlers();
  hd_options mine = *o;
  mine.isolate = false;
  mine.jobs = j->ways > 1 ? 1 : o->jobs; /* a share runs alone; one whole dfs tree speculates with --jobs helpers */
  hd_result r;
  hd_explore_status status;
  if (j->kind == JOB_FINISH || j->kind == JOB_TRACE) {
    memset(&r, 0, sizeof r);
    int rc = j->kind == JOB_FINISH ? hd__finish_failure(t, &mine, j->schedule, j->index, &r)
                                   : hd__trace_prefix(t, &mine, j->schedule, j->steps, &r);
    status = rc == 0 ? HD_EXPLORE_RAN : HD_EXPLORE_FAILED;
  } else {
    if (j->ways > 1 && !o->shard_count) mine.shrink = false; /* the winner is shrunk by a finishing child */
    status = hd__explore_share(t, &mine, j->ways, j->share, &r);
  }
  FILE *out = fdopen(fd, "w");
  if (out) {
    pack_result(out, status, &r);
    fclose(out);
  }
  fflush(NULL);
  _exit(out ? 0 : 97);
}

/* ---- the parent -------------------------------------------------------------------- */

static volatile sig_atomic_t interrupted;
static void on_interrupt(int sig) { interrupted = sig; }

static bool start_child(child *c, const hd_test *t, const hd_options *o, const job *j, char *error, size_t size) {
  memset(c, 0, sizeof *c);
  c->fd = -1;
  c->pid = -1;
  if (!(c->rec = hd__recorder_new())) {
    snprintf(error, size, "cannot map memory for a child process's recorder");
    return false;
  }
  int p[2];
  if (pipe(p) != 0) {
    snprintf(error, size, "cannot create a pipe: %s", strerror(errno));
    return false;
  }
  pid_t parent = getpid();
  fflush(NULL); /* the child must not print what is still buffered here */
  pid_t pid = fork();
  if (pid == 0) {
    close(p[0]);
    child_main(t, o, j, c->rec, p[1], parent);
  }
  close(p[1]);
  if (pid < 0) {
    close(p[0]);
    snprintf(error, size, "cannot fork: %s", strerror(errno));
    return false;
  }
  c->pid = pid;
  c->fd = p[0];
  c->beat_at = monotonic_s();
  return true;
}

static void read_some(child *c) {
  if (c->cap - c->len < 65536) {
    size_t cap = c->cap ? c->cap * 2 : 65536 * 2;
    char *bytes = realloc(c->bytes, cap);
    if (!bytes) { /* keep what we have; the result will be malformed */
      close(c->fd);
      c->fd = -1;
      return;
    }
    c->bytes = bytes;
    c->cap = cap;
  }
  ssize_t k = read(c->fd, c->bytes + c->len, c->cap - c->len);
  if (k > 0) {
    c->len += (size_t)k;
  } else if (k == 0 || errno != EINTR) {
    close(c->fd);
    c->fd = -1;
  }
}

/* The watchdog: a child inside an execution whose heartbeat has not moved
 * for o->watchdog seconds is killed; the recorder already says where it is. */
static void watch(child *c, const hd_options *o, double now) {
  if (c->reaped || o->watchdog <= 0 || c->watchdog_fired) return;
  uint64_t beat = c->rec->heartbeat;
  if (beat != c->beat || !c->rec->in_execution) {
    c->beat = beat;
    c->beat_at = now;
    return;
  }
  if (now - c->beat_at > o->watchdog) {
    c->watchdog_fired = true;
    kill(c->pid, SIGKILL);
  }
}

/* Waits until every child has ended, reading results and watching
 * heartbeats; `by_index`: a bug a child reports at index b stops the others
 * before b. Returns 0, or the signal that interrupted the wait (the children
 * are killed then). */
static int wait_children(child *cs, unsigned n, const hd_options *o, bool by_index) {
  struct sigaction sa, old_int, old_term;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  interrupted = 0;
  sigaction(SIGINT, &sa, &old_int);
  sigaction(SIGTERM, &sa, &old_term);
  for (;;) {
    struct pollfd fds[64];
    unsigned live = 0, open = 0;
    for (unsigned i = 0; i < n; i++) {
      if (!cs[i].reaped) live++;
      if (cs[i].fd >= 0) fds[open++] = (struct pollfd){.fd = cs[i].fd, .events = POLLIN};
    }
    if (!live || interrupted) break;
    int k = poll(fds, open, POLL_MS);
    if (k < 0 && errno != EINTR) break;
    for (unsigned i = 0, f = 0; i < n; i++) {
      child *c = &cs[i];
      if (c->fd < 0) continue;
      if (fds[f++].revents) read_some(c);
    }
    double now = monotonic_s();
    for (unsigned i = 0; i < n; i++) {
      child *c = &cs[i];
      if (c->reaped) continue;
      if (c->fd < 0) { /* end of file: it has finished, or is dying */
        if (waitpid(c->pid, &c->wstatus, 0) == c->pid) c->reaped = true;
        /* A bug at index b: nobody need look past b. A death is a bug at the index it was running. */
        bool died = !(WIFEXITED(c->wstatus) && WEXITSTATUS(c->wstatus) == 0);
        if (by_index && c->reaped && (died || c->len)) {
          uint64_t b = died ? c->rec->execution : bug_index_of(c->bytes, c->len);
          for (unsigned v = 0; v < n && b != UINT64_MAX; v++)
            if (!cs[v].rec->stop_before || cs[v].rec->stop_before > b + 1) cs[v].rec->stop_before = b + 1;
        }
        continue;
      }
      watch(c, o, now);
    }
  }
  int sig = interrupted;
  if (sig) {
    for (unsigned i = 0; i < n; i++)
      if (!cs[i].reaped) kill(cs[i].pid, SIGKILL);
    for (unsigned i = 0; i < n; i++) {
      if (cs[i].reaped) continue;
      waitpid(cs[i].pid, &cs[i].wstatus, 0);
      cs[i].reaped = true;
    }
  }
  sigaction(SIGINT, &old_int, NULL);
  sigaction(SIGTERM, &old_term, NULL);
  return sig;
}

static const char *signal_phrase(int sig) {
  switch (sig) {
    case SIGSEGV: return "SIGSEGV (segmentation fault: an invalid memory access)";
    case SIGBUS: return "SIGBUS (bus error)";
    case SIGFPE: return "SIGFPE (arithmetic error, such as an integer division by zero)";
    case SIGILL: return "SIGILL (illegal instruction)";
    case SIGABRT: return "SIGABRT (abort: a failed assert() or cmocka assertion, or abort())";
    case SIGTRAP: return "SIGTRAP (trap)";
    case SIGKILL: return "SIGKILL (killed from outside, perhaps for using too much memory)";
    case SIGTERM: return "SIGTERM (terminated from outside)";
    default: return NULL;
  }
}

/* The bug a child that ended without a result died of, from its recorder. */
static void death_result(const child *c, const hd_test *t, const hd_options *o, hd_result *r) {
  const hd_recorder *rec = c->rec;
  memset(r, 0, sizeof *r);
  r->bug_found = true;
  r->executions = rec->counted + 1;
  r->bug_execution = rec->execution;
  r->steps = rec->steps;
  r->preemptions = rec->preemptions;
  hd_schedule schedule = {0};
  hd_setup setup = hd__setup_of(o);
  if (hd__recorder_schedule(rec, &schedule)) r->token = hd_token_encode(t->name, &setup, &schedule);
  hd_schedule_free(&schedule);
  /* Which thread and where: kept by the engine as it ran, so it is known
   * whether or not the child could write its note. */
  char thread[48], where[240];
  int tid = rec->current;
  if (rec->in_execution && tid >= 0 && tid < HD_RECORDER_THREADS) {
    snprintf(thread, sizeof thread, "%s", rec->threads[tid].name);
    if (rec->threads[tid].line) {
      snprintf(where, sizeof where, "after its switch point at %s:%d", rec->threads[tid].file, rec->threads[tid].line);
      r->file = hd__intern(rec->threads[tid].file);
      r->line = rec->threads[tid].line;
    } else {
      snprintf(where, sizeof where, "before its first switch point");
    }
  } else if (rec->in_execution) {
    snprintf(thread, sizeof thread, "thread %d", tid);
    snprintf(where, sizeof where, "(past the first %d threads, whose places are kept)", HD_RECORDER_THREADS);
  } else {
    snprintf(thread, sizeof thread, "the harness");
    snprintf(where, sizeof where, "outside any execution");
  }
  if (c->watchdog_fired) {
    r->kind = HD_BUG_LIVELOCK;
    snprintf(r->message, sizeof r->message,
             "livelock: %s ran for more than %g s without reaching a switch point, %s (an endless loop, or a wait "
             "heddle does not control); if it is merely slow, raise the watchdog with --watchdog or HEDDLE_WATCHDOG",
             thread, o->watchdog, where);
  } else if (rec->stack_overflow) {
    r->kind = HD_BUG_CRASH;
    snprintf(r->message, sizeof r->message,
             "crash: stack overflow in %s, %s: it used its whole fiber stack; raise HEDDLE_STACK_SIZE (bytes) or "
             "reduce recursion", thread, where);
  } else if (WIFSIGNALED(c->wstatus) || rec->death_signal) {
    /* A signal the child noted but did not die of was handed to a
     * sanitizer, which printed its report and exited. */
    r->kind = HD_BUG_CRASH;
    int sig = rec->death_signal ? rec->death_signal : WTERMSIG(c->wstatus);
    const char *phrase = signal_phrase(sig);
    char other[32];
    snprintf(other, sizeof other, "signal %d", sig);
    snprintf(r->message, sizeof r->message, "crash: %s in %s, %s%s", phrase ? phrase : other, thread, where,
             WIFSIGNALED(c->wstatus) ? "" : " (a sanitizer's report is above)");
  } else {
    r->kind = HD_BUG_EXIT;
    int status = WIFEXITED(c->wstatus) ? WEXITSTATUS(c->wstatus) : -1;
    snprintf(r->message, sizeof r->message,
             "exit: the process exited with status %d in %s, %s: exit() ends every thread of the program at once "
             "(a sanitizer that printed a report above exits too)", status, thread, where);
  }
  if (rec->overflow) {
    snprintf(r->details, sizeof r->details, "  the execution made more than %u choices: no replay token\n",
             HD_RECORDER_CHOICES);
  } else if (!r->token) {
    snprintf(r->error, sizeof r->error, "out of memory");
  }
}

static int run_jobs(const hd_test *t, const hd_options *o, const job *jobs, unsigned n, bool by_index,
                    hd_result *results, hd_explore_status *statuses, uint64_t *counted, uint64_t *resume_from,
                    char *error, size_t size);

/* The way into a death, as a trace: a child replays the dying execution's
 * choices up to its last decision and stops there (it would die again
 * otherwise); the bug is drawn as the running thread's last event. Without
 * it (no decision was made yet, or the replay did not get there) the report
 * simply has no trace. */
static void trace_death(const hd_test *t, const hd_options *o, const hd_recorder *rec, hd_result *r) {
  hd_schedule schedule = {0};
  if (!r->token || !rec->steps || !hd__recorder_schedule(rec, &schedule)) return;
  job j = {.kind = JOB_TRACE, .schedule = &schedule, .steps = rec->steps};
  hd_result traced = {0};
  hd_explore_status status = HD_EXPLORE_FAILED;
  uint64_t counted, resume_from;
  char error[sizeof r->error];
  if (run_jobs(t, o, &j, 1, false, &traced, &status, &counted, &resume_from, error, sizeof error) == 0 &&
      status == HD_EXPLORE_RAN && traced.trace_data) {
    r->trace_data = traced.trace_data;
    traced.trace_data = NULL;
    hd_trace_event fail = {.kind = HD_EV_FAIL, .tid = rec->current, .file = r->file, .line = r->line,
                           .flagged = true, .sync_from = SIZE_MAX};
    if (r->trace_data->len) fail.time = r->trace_data->events[r->trace_data->len - 1].time;
    hd_trace_add(r->trace_data, &fail, r->message);
    r->trace = hd__trace_text(r->trace_data, o);
  }
  hd_result_free(&traced);
  hd_schedule_free(&schedule);
}

/* The result of a child: what it sent, or the bug it died of. */
static hd_explore_status child_result(const child *c, job_kind kind, const hd_test *t, const hd_options *o,
                                       hd_result *r) {
  bool finished = WIFEXITED(c->wstatus) && WEXITSTATUS(c->wstatus) == 0 && c->len > 0;
  if (finished) {
    memset(r, 0, sizeof *r);
    return unpack_result(c->bytes, c->len, r);
  }
  death_result(c, t, o, r);
  if (r->error[0]) return HD_EXPLORE_FAILED;
  if (kind != JOB_TRACE) trace_death(t, o, c->rec, r); /* a tracing child that died has no trace to give */
  return HD_EXPLORE_RAN;
}

static void free_child(child *c) {
  if (c->fd >= 0) close(c->fd);
  free(c->bytes);
  hd__recorder_free(c->rec);
}

/* Runs `n` jobs in children at once and collects their results. Returns 0,
 * the interrupting signal, or -1 with `error` when a child could not start. */
static int run_jobs(const hd_test *t, const hd_options *o, const job *jobs, unsigned n, bool by_index,
                    hd_result *results, hd_explore_status *statuses, uint64_t *counted, uint64_t *resume_from,
                    char *error, size_t size) {
  child cs[64];
  unsigned started = 0;
  int rc = 0;
  for (; started < n; started++)
    if (!start_child(&cs[started], t, o, &jobs[started], error, size)) {
      hd__recorder_free(cs[started].rec);
      rc = -1;
      break;
    }
  int sig = wait_children(cs, started, o, by_index);
  *counted = 0;
  *resume_from = UINT64_MAX;
  for (unsigned i = 0; i < started; i++) {
    *counted += cs[i].rec->counted;
    if (cs[i].rec->execution < *resume_from) *resume_from = cs[i].rec->execution; /* every share is done below */
    if (rc == 0 && !sig) statuses[i] = child_result(&cs[i], jobs[i].kind, t, o, &results[i]);
    free_child(&cs[i]);
  }
  return rc ? rc : sig;
}

static hd_explore_status interrupted_result(int sig, uint64_t counted, uint64_t resume_from, hd_result *r) {
  memset(r, 0, sizeof *r);
  r->interrupted = sig;
  r->executions = counted;
  r->resume_from = resume_from;
  snprintf(r->error, sizeof r->error, "interrupted by %s after %llu executions", sig == SIGINT ? "SIGINT" : "SIGTERM",
           (unsigned long long)counted);
  return HD_EXPLORE_INTERRUPTED;
}

hd_explore_status hd__explore_supervised(const hd_test *t, const hd_options *o, hd_result *r) {
  memset(r, 0, sizeof *r);
  const hd_strategy_kind *kind = hd_strategy_find(o->token ? "replay" : o->strategy);
  unsigned jobs = o->jobs < 1 ? 1 : o->jobs > 64 ? 64 : o->jobs;
  /* Only by-index strategies split over workers without changing the
   * answer; the others run in one child. Bazel shards are one child each. */
  bool by_index = kind && kind->split == HD_SPLIT_BY_INDEX && jobs > 1 && o->shard_count <= 1;
  if (!by_index) jobs = 1;
  job js[64];
  for (unsigned w = 0; w < jobs; w++)
    js[w] = (job){.ways = by_index ? jobs : o->shard_count > 1 ? o->shard_count : 1,
                  .share = by_index ? w : o->shard_count > 1 ? o->shard_index : 0};
  hd_result results[64];
  hd_explore_status statuses[64];
  uint64_t counted, resume_from;
  int rc = run_jobs(t, o, js, jobs, by_index, results, statuses, &counted, &resume_from, r->error, sizeof r->error);
  if (rc < 0) return HD_EXPLORE_FAILED;
  /* Only by-index strategies can go on part-way, from the lowest index a share was running. */
  if (rc > 0) return interrupted_result(rc, counted, kind && kind->split == HD_SPLIT_BY_INDEX ? resume_from : UINT64_MAX, r);
  if (jobs == 1) {
    *r = results[0];
    return statuses[0];
  }
  /* Merge: an error first, then the bug with the lowest index. */
  int winner = -1, failed = -1;
  uint64_t total = 0;
  for (unsigned w = 0; w < jobs; w++) {
    if (statuses[w] != HD_EXPLORE_RAN && failed < 0) failed = (int)w;
    total += results[w].executions;
    if (statuses[w] == HD_EXPLORE_RAN && results[w].bug_found &&
        (winner < 0 || results[w].bug_execution < results[winner].bug_execution))
      winner = (int)w;
  }
  hd_explore_status status = HD_EXPLORE_RAN;
  if (failed >= 0) {
    status = statuses[failed];
    snprintf(r->error, sizeof r->error, "%s", results[failed].error);
  } else if (winner < 0) {
    r->executions = total;
  } else if (results[winner].kind == HD_BUG_CRASH || results[winner].kind == HD_BUG_EXIT || !results[winner].token) {
    /* A death is reported from its recorder: there is nothing to shrink or draw. */
    *r = results[winner];
    memset(&results[winner], 0, sizeof results[winner]);
    r->executions = r->bug_execution + 1;
  } else {
    /* Shrink the winner and draw its trace in a child of its own, as one run would. */
    char *scenario = NULL;
    hd_schedule schedule = {0};
    const char *why = hd_token_decode(results[winner].token, &scenario, NULL, &schedule);
    free(scenario);
    uint64_t index = results[winner].bug_execution;
    if (why) {
      snprintf(r->error, sizeof r->error, "a worker sent a bad token: %s", why);
      status = HD_EXPLORE_FAILED;
    } else {
      job finish = {.kind = JOB_FINISH, .schedule = &schedule, .index = index};
      hd_explore_status st;
      rc = run_jobs(t, o, &finish, 1, false, r, &st, &counted, &resume_from, r->error, sizeof r->error);
      if (rc < 0) status = HD_EXPLORE_FAILED;
      else if (rc > 0) status = interrupted_result(rc, total, UINT64_MAX, r);
      else status = st;
      if (status == HD_EXPLORE_RAN) {
        r->executions = index + 1;
        r->bug_execution = index;
      }
    }
    hd_schedule_free(&schedule);
  }
  for (unsigned w = 0; w < jobs; w++) hd_result_free(&results[w]);
  return status;
}

/* heddle's performance benchmark: prints one table (run it through
 * tools/bench, which builds this with -c opt).
 *
 *   - the cost of one fiber context switch (hd__fiber_switch ping-pong);
 *   - executions per second of lost_update and of a 4-thread scenario
 *     (locked_counter_3: main + 3 workers) under each strategy, one core,
 *     trace recording off, race detection off, and without stopping at the
 *     first bug (it loops hd_exec_run directly, as hd_explore does);
 *   - dfs with and without reduction, and with --reads-from, on the
 *     models: time and executions; dfs on every correct scenario, plain,
 *     with symmetry reduction, with --reads-from, with --sections and
 *     with --optimal (executions, wasted, time, complete), and the --jobs 2
 *     speed-up on the large trees (--reads-from's too);
 *   - with --programs DIR (tools/bench passes the built programs/): a
 *     3-thread pthread program's executions per second with its globals
 *     restored each time, what that restore costs against a fork per
 *     execution, the same program run natively with fork + exec, and a
 *     1,000-thread program;
 *   - peak resident memory before and after one million executions of
 *     lost_update (it must stay flat: nothing leaks per execution).
 * This is a benchmark, not the harness: it reads the wall clock, and only to
 * measure. Usage: bench [--quick] [--programs DIR] (--quick: fewer
 * iterations, for a smoke test). */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <math.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness/engine/exec.h"
#include "harness/explore.h"
#include "harness/engine/fiber.h"
#include "harness/engine/memory.h"
#include "harness/strategies/table.h"
#include "harness/posix/program.h"
#include "harness/strategies/strategy.h"
#include "scenarios/scenario.h"

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long peak_rss_kib(void) {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

/* ---- context switch ------------------------------------------------------------- */

static hd__fiber host, ping;
static volatile uint64_t rounds;

static void ping_entry(void *arg) {
  (void)arg;
  for (;;) {
    rounds++;
    hd__fiber_switch(&ping, &host);
  }
}

static double switch_ns(uint64_t n) {
  hd__fiber_init_host(&host);
  if (hd__fiber_make(&ping, ping_entry, NULL, "ping") != 0) return -1;
  hd__fiber_switch(&host, &ping); /* warm up */
  double t0 = now_s();
  for (uint64_t i = 0; i < n; i++) hd__fiber_switch(&host, &ping);
  double t1 = now_s();
  /* The ping fiber never finishes; its stack stays with the process. */
  return (t1 - t0) * 1e9 / (double)(2 * n);
}

/* ---- executions per second ---------------------------------------------------------- */

static bool make(const char *name, hd_strategy *s) {
  const hd_strategy_kind *kind = hd_strategy_find(name);
  hd_strategy_params p = {.seed = 1, .depth = 3, .step_limit = 100000, .preemptions = -1, .reduction = true, .ways = 1};
  return kind && kind->explorable && kind->make(s, &p);
}

/* Runs `n` executions of `sc` under `strategy`, restarting an exhaustive
 * strategy when its tree is done. Returns executions per second; *bugs gets
 * how many executions ended in a bug. */
static double exec_rate(const hd_scenario *sc, const char *strategy, uint64_t n, uint64_t *bugs) {
  hd_strategy s;
  if (!make(strategy, &s)) return -1;
  hd_exec *x = hd_exec_new();
  hd_exec_config cfg = {
      .body = sc->body,
      .check = sc->check,
      .strategy = &s,
      .step_limit = 100000,
      .record_trace = false,
      .detect_races = false,
  };
  *bugs = 0;
  uint64_t index = 0;
  double t0 = now_s();
  for (uint64_t i = 0; i < n; i++) {
    if (!s.ops->begin(s.self, index++)) {
      s.ops->destroy(s.self);
      make(strategy, &s);
      index = 0;
      s.ops->begin(s.self, index++);
    }
    const hd_exec_result *e;
    if (hd_exec_run(x, &cfg, &e) == HD_EXEC_BUG) (*bugs)++;
  }
  double t1 = now_s();
  s.ops->destroy(s.self);
  hd_exec_free(x);
  return (double)n / (t1 - t0);
}

/* ---- instrumented memory ------------------------------------------------------------ */

void bench_plain_lost_update(void *arg); /* tools/bench_models.c */

static uint64_t private_n;
static double private_ns;

/* Inside an execution: private_n accesses to the thread's own memory, each
 * through the memory model's private path (a lookup and an owner check). */
static void private_accesses(void *arg) {
  (void)arg;
  static int own[64];
  double t0 = now_s();
  for (uint64_t i = 0; i < private_n; i++) hd__memory_access(&own[i & 63], 4, i & 1, (const void *)private_accesses);
  private_ns = (now_s() - t0) * 1e9 / (double)private_n;
}

static double private_access_ns(uint64_t n) {
  private_n = n;
  hd_strategy s;
  make("random", &s);
  s.ops->begin(s.self, 0);
  hd_exec *x = hd_exec_new();
  hd_exec_config cfg = {.body = private_accesses, .strategy = &s, .step_limit = 100000};
  const hd_exec_result *e;
  hd_exec_run(x, &cfg, &e);
  hd_exec_free(x);
  s.ops->destroy(s.self);
  return private_ns;
}

/* Executions per second of a body, as exec_rate does for a scenario. */
static double body_rate(void (*body)(void *), uint64_t n) {
  hd_scenario sc = {.name = "body", .body = body};
  uint64_t bugs;
  return exec_rate(&sc, "random", n, &bugs);
}

/* ---- dfs on the models ---------------------------------------------------------------- */

/* Explores `t` with `o`: its result in *r, its time in ms. */
static double explore_ms(const hd_test *t, const hd_options *o, hd_result *r) {
  double t0 = now_s();
  hd_explore(t, o, r);
  return (now_s() - t0) * 1e3;
}

/* Three writers of one variable and a reader: (3 + 1)! Mazurkiewicz
 * traces, 4 reads-from classes (what the reader reads). */
static hd_shared writers_x;
static hd_thread writers_threads[4];
static void write_own(void *arg) { hd_store(&writers_x, (int64_t)(intptr_t)arg); }
static void read_once(void *arg) { (void)hd_load(&writers_x), (void)arg; }
static void writers_and_a_reader(void *arg) {
  (void)arg;
  hd_shared_init(&writers_x, "x", 0);
  for (intptr_t i = 0; i < 4; i++) {
    hd_thread_init(&writers_threads[i], i < 3 ? write_own : read_once, (void *)(i + 1), NULL);
    hd_thread_start(&writers_threads[i]);
  }
  for (int i = 0; i < 4; i++) hd_thread_join(&writers_threads[i], HD_FOREVER);
}
static const hd_scenario writers_model = {.name = "writers_and_a_reader", .body = writers_and_a_reader};

static void dfs_model(const char *name, const char *strategy, bool reads_from, uint64_t limit, uint64_t *executions,
                      bool *complete, double *ms) {
  const hd_scenario *sc = strcmp(name, writers_model.name) == 0 ? &writers_model : hd_scenario_find(name);
  /* No check: racy_counter_2's would stop the search at its lost update. */
  hd_test t = {.name = sc->name, .body = sc->body};
  hd_options o;
  hd_options_default(&o);
  o.strategy = strategy;
  o.reads_from = reads_from;
  o.detect_races = false;
  o.executions = limit;
  o.isolate = false; /* the engine's time, not a child process's start */
  hd_result r;
  *ms = explore_ms(&t, &o, &r);
  *executions = r.executions;
  *complete = r.complete;
  hd_result_free(&r);
}

/* dfs on scenario `sc` with `jobs` workers: its result in *r, its time in
 * ms; supervised (in a child process, as the CLI runs) or in this process. */
static double dfs_scenario(const hd_scenario *sc, int mode, unsigned jobs, bool supervised, uint64_t budget,
                           hd_result *r) {
  hd_test t = {.name = sc->name, .body = sc->body, .check = sc->check};
  hd_options o;
  hd_options_default(&o);
  o.strategy = "dfs";
  o.symmetry = mode == 1;
  o.reads_from = mode == 2;
  o.sections = mode == 3;
  o.optimal = mode == 4;
  o.executions = budget;
  o.jobs = jobs;
  o.isolate = supervised;
  return explore_ms(&t, &o, r);
}

/* Pins this process (and the children it starts) to the cores in `cores`
 * (a bit per core, cores 0 and 1); false when it cannot (no such core). */
static bool pin(unsigned cores) {
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int c = 0; c < 2; c++)
    if (cores >> c & 1) CPU_SET(c, &set);
  return sched_setaffinity(0, sizeof set, &set) == 0;
}

/* dfs --jobs 2 on both cores against one worker on each core alone (the
 * rest of the table runs on one: tools/bench pins it), in rounds that
 * alternate them. This machine is a VM whose host is shared: one core can
 * run a worker at 1.6 s and the other at 2.6 s in the same minute, and no
 * split of the work makes two such cores finish in 0.55 of the faster
 * one's time. So a round counts when its two cores ran one worker within
 * 6% of each other's time, its ratio is the two workers' time over the
 * mean of the one-worker times, and the figure is the median of the rounds
 * that count (of all of them, said so, when none does; of two, the later
 * round's, so that the times printed are one round's). */
static void jobs_speedup(const char *name, int mode, uint64_t budget) {
  cpu_set_t pinned;
  if (sched_getaffinity(0, sizeof pinned, &pinned) != 0) return;
  if (!pin(1) || !pin(2) || !pin(3)) {
    printf("dfs --jobs 2 on %s: not measured (it needs cores 0 and 1)\n", name);
    sched_setaffinity(0, sizeof pinned, &pinned);
    return;
  }
  const hd_scenario *sc = hd_scenario_find(name);
  enum { ROUNDS = 3 };
  double ratio[ROUNDS], ms0[ROUNDS], ms1[ROUNDS], ms2[ROUNDS];
  bool even[ROUNDS];
  int neven = 0;
  uint64_t executions = 0, helped[ROUNDS];
  for (int k = 0; k < ROUNDS; k++) {
    hd_result one0, one1, two;
    pin(1);
    ms0[k] = dfs_scenario(sc, mode, 1, true, budget, &one0);
    pin(2);
    ms1[k] = dfs_scenario(sc, mode, 1, true, budget, &one1);
    pin(3);
    ms2[k] = dfs_scenario(sc, mode, 2, true, budget, &two);
    ratio[k] = ms2[k] / ((ms0[k] + ms1[k]) / 2);
    even[k] = fabs(ms0[k] - ms1[k]) < 0.06 * fmin(ms0[k], ms1[k]);
    neven += even[k];
    executions = two.executions;
    helped[k] = two.helped; /* which branches a helper takes depends on timing */
    if (two.executions != one0.executions || one1.executions != one0.executions)
      printf("(--jobs 2 explored %llu, one worker %llu and %llu: they differ)\n", (unsigned long long)two.executions,
             (unsigned long long)one0.executions, (unsigned long long)one1.executions);
    hd_result_free(&one0);
    hd_result_free(&one1);
    hd_result_free(&two);
  }
  int mid = 0; /* the round with the median ratio among those that count */
  for (int k = 0; k < ROUNDS; k++) {
    if (neven && !even[k]) continue;
    int below = 0, above = 0, n = 0;
    for (int j = 0; j < ROUNDS; j++) {
      if (neven && !even[j]) continue;
      n++;
      below += ratio[j] < ratio[k], above += ratio[j] > ratio[k];
    }
    if (below <= n / 2 && above <= n / 2) mid = k;
  }
  printf("dfs%s --jobs 2 on %s (2 cores): %llu executions (%llu by the helper) in %.1f ms against %.1f / %.1f ms with "
         "one worker on core 0 / 1: %.2f of its time (rounds: %.2f%s %.2f%s %.2f%s)%s\n",
         mode == 1 ? " --symmetry" : mode == 2 ? " --reads-from" : "", name, (unsigned long long)executions,
         (unsigned long long)helped[mid], ms2[mid], ms0[mid], ms1[mid], ratio[mid], ratio[0], even[0] ? "" : "*",
         ratio[1], even[1] ? "" : "*", ratio[2], even[2] ? "" : "*",
         neven == ROUNDS ? "" : neven ? " (*: the cores' speeds differed by more than 6%; left out)"
                                      : " (the cores' speeds differed by more than 6% in every round)");
  sched_setaffinity(0, sizeof pinned, &pinned);
}

/* ---- whole programs (harness/posix) ------------------------------------------------------ */

/* Executions per second of the program at `so` under random, in this
 * process (the engine's and the reset's cost, not a child's start). */
static double program_rate(const char *so, const char *name, uint64_t n, size_t *data_bytes, double *reset_ns) {
  char why[600];
  hd_program *p = hd_program_load(so, name, 0, NULL, why, sizeof why);
  if (!p) {
    fprintf(stderr, "bench: %s\n", why);
    return 0;
  }
  hd_test t = hd_program_test(p);
  hd_options o;
  hd_options_default(&o);
  o.executions = n;
  o.isolate = false;
  o.shrink = false;
  o.detect_races = false; /* as the CLI runs a program that is not instrumented */
  hd_result r;
  double t0 = now_s();
  hd_explore(&t, &o, &r);
  double rate = (double)r.executions / (now_s() - t0);
  if (r.bug_found) fprintf(stderr, "bench: %s: unexpected bug: %s\n", name, r.message);
  hd_result_free(&r);
  *data_bytes = hd_program_data_size(p);
  uint64_t resets = 100000;
  t0 = now_s();
  for (uint64_t i = 0; i < resets; i++) hd_program_reset(p);
  *reset_ns = (now_s() - t0) * 1e9 / (double)resets;
  hd_program_unload(p);
  return rate;
}

/* Microseconds per run of `argv` started with fork + exec and waited for. */
static double fork_exec_us(char *const argv[], int runs) {
  double t0 = now_s();
  for (int i = 0; i < runs; i++) {
    pid_t pid = fork();
    if (pid == 0) {
      int null = open("/dev/null", O_WRONLY);
      if (null >= 0) dup2(null, STDOUT_FILENO);
      execv(argv[0], argv);
      _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
  }
  return (now_s() - t0) * 1e6 / runs;
}

/* Microseconds per fork of this process whose child exits at once: the
 * cost a process per execution would add. */
static double fork_only_us(int runs) {
  double t0 = now_s();
  for (int i = 0; i < runs; i++) {
    pid_t pid = fork();
    if (pid == 0) _exit(0);
    int status;
    waitpid(pid, &status, 0);
  }
  return (now_s() - t0) * 1e6 / runs;
}

static void programs(const char *dir, bool quick) {
  char so[4096], native[4096];
  size_t bytes;
  double reset_ns;
  printf("\nwhole programs (programs/, loaded from %s):\n", dir);
  snprintf(so, sizeof so, "%s/one_critical_section_program.so", dir);
  double rate = program_rate(so, "one_critical_section.c", quick ? 20000 : 500000, &bytes, &reset_ns);
  printf("%-52s %16.0f\n", "3-thread pthread program executions/s, random", rate);
  char value[64];
  snprintf(value, sizeof value, "%.0f ns (%zu B)", reset_ns, bytes);
  printf("%-52s %16s\n", "  restoring its globals (snapshot copy)", value);
  printf("%-52s %13.1f us\n", "  a fork per execution instead (fork + wait)", fork_only_us(quick ? 200 : 2000));
  snprintf(native, sizeof native, "%s/one_critical_section_native", dir);
  char *argv[] = {native, NULL};
  double us = fork_exec_us(argv, quick ? 100 : 1000);
  printf("%-52s %13.1f us\n", "  the native program, fork + exec per run", us);
  printf("%-52s %15.0fx\n", "  heddle's executions per native run's time", rate * us / 1e6);
  snprintf(so, sizeof so, "%s/thousand_threads_program.so", dir);
  rate = program_rate(so, "thousand_threads.c", quick ? 5 : 50, &bytes, &reset_ns);
  printf("%-52s %16.1f\n", "1,000-thread pthread program executions/s, random", rate);
}

int main(int argc, char **argv) {
  bool quick = false;
  for (int i = 1; i < argc; i++) quick |= strcmp(argv[i], "--quick") == 0;
  const char *program_dir = NULL;
  for (int i = 1; i + 1 < argc; i++)
    if (strcmp(argv[i], "--programs") == 0) program_dir = argv[i + 1];
  uint64_t n_switch = quick ? 1000000 : 20000000;
  uint64_t n_exec = quick ? 20000 : 1000000;
  uint64_t n_leak = quick ? 100000 : 1000000;

  printf("heddle benchmark (%s)\n\n", quick ? "quick" : "full");
  printf("%-52s %16s\n", "measure", "value");
  printf("%-52s %16s\n", "----------------------------------------------------", "----------------");
  printf("%-52s %13.1f ns\n", "context switch (hd__fiber_switch ping-pong)", switch_ns(n_switch));

  const hd_scenario *lost = hd_scenario_find("lost_update");
  const hd_scenario *four = hd_scenario_find("locked_counter_3");
  const char *strategies[] = {"random", "pct", "dfs", "dfs-naive", "bounded"};
  uint64_t warm;
  exec_rate(lost, "random", n_exec / 10, &warm); /* stack pool, page faults, caches */
  for (int i = 0; i < 5; i++) {
    uint64_t bugs;
    char label[96];
    double rate = exec_rate(lost, strategies[i], n_exec, &bugs);
    snprintf(label, sizeof label, "lost_update executions/s, %s", strategies[i]);
    printf("%-52s %16.0f\n", label, rate);
  }
  for (int i = 0; i < 5; i++) {
    uint64_t bugs;
    char label[96];
    double rate = exec_rate(four, strategies[i], n_exec / 2, &bugs);
    snprintf(label, sizeof label, "locked_counter_3 (4 threads) executions/s, %s", strategies[i]);
    printf("%-52s %16.0f\n", label, rate);
  }
#ifndef HD_NO_INSTRUMENT
  printf("%-52s %13.1f ns\n", "private memory access (instrumented, not shared)", private_access_ns(n_switch));
  double shared_rate = exec_rate(lost, "random", n_exec / 2, &warm);
  double plain_rate = body_rate(bench_plain_lost_update, n_exec / 2);
  printf("%-52s %16.0f\n", "lost_update in plain C (instrumented) executions/s", plain_rate);
  printf("%-52s %15.2fx\n", "  slower than lost_update with hd_shared", shared_rate / plain_rate);
#endif
  const char *models[] = {"independent_writers", "locked_counter_3", "racy_counter_2", "writers_and_a_reader"};
  for (int i = 0; i < 4; i++) {
    for (int red = 2; red >= 0; red--) { /* --reads-from, dfs, dfs-naive */
      uint64_t execs;
      bool complete;
      double ms;
      dfs_model(models[i], red ? "dfs" : "dfs-naive", red == 2, quick ? 100000 : 1000000, &execs, &complete, &ms);
      char label[96], value[64];
      snprintf(label, sizeof label, "%s %s", red == 2 ? "dfs --reads-from" : red ? "dfs" : "dfs-naive", models[i]);
      snprintf(value, sizeof value, "%llu%s in %.1f ms", (unsigned long long)execs, complete ? "" : " (cut)", ms);
      printf("%-52s %16s\n", label, value);
    }
  }
  /* dfs on every correct scenario, in each equivalence: how much of each
   * tree a budget covers, and how many executions sleep sets wasted. */
  uint64_t budget = quick ? 20000 : 2000000;
  printf("\ndfs on every scenario declared correct (budget %llu executions each, races on): Mazurkiewicz\n"
         "traces, with --symmetry (twin threads in one order), with --reads-from (reads-from classes;\n"
         "`-` where it stops at what it does not model), with --sections (critical sections as steps;\n"
         "`*` where a check failed and the search started again, its executions included), and with\n"
         "--optimal (the Mazurkiewicz traces again, by optimal DPOR with wakeup trees)\n",
         (unsigned long long)budget);
  printf("%-27s %9s %6s %8s %-4s| %9s %6s %8s %-4s| %9s %7s %8s %-4s| %9s %6s %8s %-4s| %9s %6s %8s %s\n", "scenario",
         "execs", "wasted", "ms", "done", "execs", "wasted", "ms", "done", "execs", "wasted", "ms", "done", "execs",
         "wasted", "ms", "done", "execs", "wasted", "ms", "done");
  for (size_t i = 0; i < hd_scenario_count(); i++) {
    const hd_scenario *sc = hd_scenario_at(i);
    if (sc->expect != HD_EXPECT_PASS) continue;
    printf("%-27s", sc->name);
    for (int mode = 0; mode < 5; mode++) {
      hd_result r;
      double ms = dfs_scenario(sc, mode, 1, false, budget, &r); /* the engine's time, not a child's start */
      const char *done = r.bug_found            ? "BUG"
                         : r.sections_discarded ? (r.complete ? "yes*" : "no*")
                         : r.complete           ? "yes"
                         : strstr(r.stopped_by, "reads-from") ? "-"
                                                              : "no";
      printf(mode == 4 ? " %9llu %6llu %8.1f %s\n" : mode == 2 ? " %9llu %7llu %8.1f %-4s|" : " %9llu %6llu %8.1f %-4s|",
             (unsigned long long)r.executions, (unsigned long long)r.wasted, ms, done);
      hd_result_free(&r);
    }
  }
  jobs_speedup("executor_map", 0, budget);
  if (!quick) {
    jobs_speedup("prodcon_queue_event", 0, budget);
    jobs_speedup("semaphore_pool", 1, budget);
    jobs_speedup("prodcon_queue_event", 2, budget);
  }
  if (program_dir) programs(program_dir, quick);
  printf("\n");
  long before = peak_rss_kib();
  uint64_t bugs;
  exec_rate(lost, "random", n_leak / 10, &bugs);
  long middle = peak_rss_kib();
  exec_rate(lost, "random", n_leak, &bugs);
  long after = peak_rss_kib();
  char label[96];
  snprintf(label, sizeof label, "peak RSS before / after %llu more lost_update runs", (unsigned long long)n_leak);
  char value[64];
  snprintf(value, sizeof value, "%ld / %ld KiB", middle, after);
  printf("%-52s %16s\n", label, value);
  printf("\n(cut): the tree is larger than the execution budget of this run\n");
  (void)before;
  return after > middle + 1024 ? 1 : 0;
}

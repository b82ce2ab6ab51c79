/* --jobs: one exploration split over worker processes, merged so that the
 * report does not depend on the number of workers.
 *
 * Worker w of N explores share w (hd__explore_share): for random and PCT the
 * execution indices w, w + N, w + 2N, ... (each index's schedule depends only
 * on the seed and the index; PCT workers first rerun execution 0 for its
 * step estimate), for dfs its branches of the first branching node. Each
 * worker stops at its first bug and sends the parent its counts and, if it
 * found one, the bug's index and token through a pipe. The parent keeps:
 *   - random/pct: the bug with the lowest execution index, which is the one a
 *     single run finds first, and reports "execution b of b+1" as a single run
 *     would; without a bug, the sum of executions;
 *   - dfs: the bug of the lowest-numbered worker that found one (its branches
 *     come first in rank order); executions are summed, and the search is
 *     complete when every share was.
 * The parent then replays the winning schedule itself (shrinking it when the
 * strategy is random or PCT, and rendering its trace), exactly as a single
 * run does with the schedule it found. Workers are forked, so they share the
 * test's code and initial state; nothing they do reaches the parent except
 * through the pipe. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/explore.h"
#include "harness/engine/schedule.h"
#include "harness/strategies/table.h"

/* What a worker reports. Fixed size, then `token_len` bytes of token. */
typedef struct worker_report {
  int status;              /* hd_explore_status */
  uint64_t executions;
  bool complete;
  bool bug_found;
  uint64_t bug_execution;
  char stopped_by[240];
  char error[640];
  size_t token_len;
} worker_report;

static bool write_all(int fd, const void *buf, size_t n) {
  const char *p = buf;
  while (n) {
    ssize_t k = write(fd, p, n);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return false;
    p += k;
    n -= (size_t)k;
  }
  return true;
}

static bool read_all(int fd, void *buf, size_t n) {
  char *p = buf;
  while (n) {
    ssize_t k = read(fd, p, n);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return false;
    p += k;
    n -= (size_t)k;
  }
  return true;
}

static void run_worker(const hd_test *t, const hd_options *o, unsigned jobs, unsigned w, int fd) {
  hd_options mine = *o;
  mine.shrink = false; /* the parent shrinks the winner */
  mine.jobs = 1;
  hd_result r;
  worker_report rep = {0};
  rep.status = hd__explore_share(t, &mine, jobs, w, &r);
  rep.executions = r.executions;
  rep.complete = r.complete;
  rep.bug_found = r.bug_found;
  rep.bug_execution = r.bug_execution;
  snprintf(rep.stopped_by, sizeof rep.stopped_by, "%s", r.stopped_by);
  snprintf(rep.error, sizeof rep.error, "%s", r.error);
  rep.token_len = r.token ? strlen(r.token) : 0;
  bool ok = write_all(fd, &rep, sizeof rep) && (!rep.token_len || write_all(fd, r.token, rep.token_len));
  hd_result_free(&r);
  _exit(ok ? 0 : 1);
}

hd_explore_status hd__explore_jobs(const hd_test *t, const hd_options *o, hd_result *r) {
  memset(r, 0, sizeof *r);
  unsigned jobs = o->jobs;
  if (jobs > 64) jobs = 64;
  const hd_strategy_kind *kind = hd_strategy_find(o->strategy);
  bool by_index = kind && kind->split == HD_SPLIT_BY_INDEX;
  if (!kind || kind->split == HD_SPLIT_NONE) {
    /* bounded iterates rounds from the root: one process (an unknown name fails there). */
    hd_options one = *o;
    one.jobs = 1;
    return hd_explore(t, &one, r);
  }
  pid_t pids[64];
  int fds[64];
  fflush(NULL);
  for (unsigned w = 0; w < jobs; w++) {
    int p[2];
    if (pipe(p) != 0) {
      snprintf(r->error, sizeof r->error, "cannot create a pipe for worker %u: %s", w, strerror(errno));
      jobs = w;
      break;
    }
    pid_t pid = fork();
    if (pid == 0) {
      close(p[0]);
      for (unsigned v = 0; v < w; v++) close(fds[v]);
      run_worker(t, o, o->jobs, w, p[1]);
    }
    close(p[1]);
    if (pid < 0) {
      close(p[0]);
      snprintf(r->error, sizeof r->error, "cannot fork worker %u: %s", w, strerror(errno));
      jobs = w;
      break;
    }
    pids[w] = pid;
    fds[w] = p[0];
  }
  bool failed = r->error[0] != '\0';
  hd_explore_status status = HD_EXPLORE_RAN;
  bool complete = true;
  uint64_t total = 0;
  int winner = -1;
  uint64_t best_index = UINT64_MAX;
  char *best_token = NULL;
  for (unsigned w = 0; w < jobs; w++) {
    worker_report rep;
    char *token = NULL;
    bool ok = read_all(fds[w], &rep, sizeof rep);
    if (ok && rep.token_len) {
      token = malloc(rep.token_len + 1);
      ok = token && read_all(fds[w], token, rep.token_len);
      if (ok) token[rep.token_len] = '\0';
    }
    close(fds[w]);
    int wstatus = 0;
    waitpid(pids[w], &wstatus, 0);
    if (!ok || !WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
      if (!failed) snprintf(r->error, sizeof r->error, "worker %u of %u died without a report", w, jobs);
      failed = true;
      free(token);
      continue;
    }
    if (rep.status != HD_EXPLORE_RAN) {
      if (!failed) snprintf(r->error, sizeof r->error, "%s", rep.error);
      if (status == HD_EXPLORE_RAN) status = (hd_explore_status)rep.status;
      failed = true;
      free(token);
      continue;
    }
    total += rep.executions;
    complete = complete && rep.complete;
    if (rep.stopped_by[0] && !r->stopped_by[0]) snprintf(r->stopped_by, sizeof r->stopped_by, "%s", rep.stopped_by);
    /* random/pct: lowest index first; dfs: lowest worker first. */
    uint64_t key = by_index ? rep.bug_execution : w;
    if (rep.bug_found && token && key < best_index) {
      free(best_token);
      best_token = token;
      best_index = key;
      winner = (int)w;
    } else {
      free(token);
    }
  }
  if (failed) {
    free(best_token);
    return status == HD_EXPLORE_RAN ? HD_EXPLORE_FAILED : status;
  }
  if (winner < 0) {
    r->executions = total;
    r->complete = !by_index && complete;
    if (r->complete) r->stopped_by[0] = '\0';
    else if (!by_index && !r->stopped_by[0])
      snprintf(r->stopped_by, sizeof r->stopped_by, "stopped by --executions %llu in a worker before the search was "
               "complete", (unsigned long long)o->executions);
    return HD_EXPLORE_RAN;
  }
  char *scenario = NULL;
  hd_schedule schedule = {0};
  const char *why = hd_token_decode(best_token, &scenario, &schedule);
  free(best_token);
  free(scenario);
  if (why) {
    snprintf(r->error, sizeof r->error, "a worker sent a bad token: %s", why);
    return HD_EXPLORE_FAILED;
  }
  r->stopped_by[0] = '\0';
  int rc = hd__finish_failure(t, o, &schedule, by_index ? best_index : 0, r);
  hd_schedule_free(&schedule);
  r->executions = by_index ? best_index + 1 : total;
  if (!by_index) r->bug_execution = total - 1; /* the dfs shares ran side by side: report the total */
  return rc == 0 ? HD_EXPLORE_RAN : HD_EXPLORE_FAILED;
}

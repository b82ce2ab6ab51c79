/* Helper processes (helpers.h). */
#define _GNU_SOURCE
#include "harness/strategies/helpers.h"

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* How often a waiting parent looks at the helper's heartbeat, in ms. */
#define POLL_MS 50

static double now_s(void);

bool hd_helper_start(hd_helper *h, void (*child)(void *arg, int fd), void *arg) {
  memset(h, 0, sizeof *h);
  int fds[2];
  h->rec = hd__recorder_new();
  if (!h->rec) return false;
  if (pipe(fds) != 0) {
    hd__recorder_free(h->rec);
    return false;
  }
  pid_t parent = getpid();
  fflush(NULL); /* nothing buffered is written twice */
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    hd__recorder_free(h->rec);
    return false;
  }
  if (pid == 0) {
    close(fds[0]);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(98);
    signal(SIGINT, SIG_IGN); /* the parent decides when helpers stop */
    signal(SIGTERM, SIG_IGN);
    int null = open("/dev/null", O_WRONLY);
    if (null >= 0) {
      dup2(null, STDOUT_FILENO);
      dup2(null, STDERR_FILENO);
      close(null);
    }
    /* cmocka's assertions longjmp back into its test runner, whose copy in
     * this process must never resume: abort instead (the helper dies, and
     * its spawner finds the failure itself). */
    setenv("CMOCKA_TEST_ABORT", "1", 1);
    hd__recorder_attach(h->rec);
    child(arg, fds[1]);
    _exit(97); /* child() must not return */
  }
  close(fds[1]);
  h->pid = pid;
  h->fd = fds[0];
  h->beat_at = now_s();
  return true;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts); /* only to time a helper's silence, never a decision of the search */
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Reaps the helper, which has closed its end or been killed. */
static void reap(hd_helper *h, bool killed) {
  int status = 0;
  while (waitpid(h->pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (h->fd >= 0) close(h->fd);
  h->fd = -1;
  hd__recorder_free(h->rec);
  h->rec = NULL;
  h->ended = true;
  h->failed = killed || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || h->len == 0;
}

/* Gives the helper up: it is killed and reaped, as failed. */
static void kill_helper(hd_helper *h) {
  kill(h->pid, SIGKILL);
  reap(h, true);
}

/* Forgets a reaped helper (its bytes are freed or given away already). */
static void forget(hd_helper *h) {
  memset(h, 0, sizeof *h);
  h->fd = -1;
}

/* Reads what is there without waiting; reaps the helper at its end. */
static void drain(hd_helper *h) {
  for (;;) {
    struct pollfd p = {.fd = h->fd, .events = POLLIN};
    if (poll(&p, 1, 0) <= 0) return;
    if (h->len + 4096 > h->cap) { /* small first: fresh pages cost a fault each */
      size_t n = h->cap ? h->cap * 2 : 16384;
      char *grown = realloc(h->bytes, n);
      if (!grown) { /* out of memory: give it up */
        kill_helper(h);
        return;
      }
      h->bytes = grown;
      h->cap = n;
    }
    ssize_t got = read(h->fd, h->bytes + h->len, h->cap - h->len);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      reap(h, false);
      return;
    }
    h->len += (size_t)got;
  }
}

_Noreturn void hd_helper_exit(int status) {
  hd_recorder *mine = hd__recorder_attached();
  if (mine) mine->finished = 1;
  _exit(status);
}

static bool look_at(hd_helper *h, double watchdog);

bool hd_helper_poll(hd_helper *h, double watchdog) {
  if (!h->pid) return false;
  if (h->ended) return true;
  if (++h->polls % HD_HELPER_LOOK_EVERY && !h->rec->finished) return false;
  return look_at(h, watchdog);
}

/* hd_helper_poll at every call: the heartbeat, the pipe, the watchdog. */
static bool look_at(hd_helper *h, double watchdog) {
  if (h->ended) return true;
  /* A heartbeat that moved since the last look is a helper still
   * exploring: it writes only at its end, so there is nothing to read yet
   * and the system call is skipped (a search looks at every helper between
   * two of its executions). A helper that has stopped beating, or said it
   * has finished, is read. */
  if (!h->rec->finished && h->rec->heartbeat != h->beat) {
    h->beat = h->rec->heartbeat;
    h->beat_at = now_s();
    return false;
  }
  drain(h);
  if (!h->ended && watchdog > 0 && now_s() - h->beat_at > watchdog) kill_helper(h);
  return h->ended;
}

bool hd_helper_collect(hd_helper *h, double watchdog, char **bytes, size_t *len) {
  hd_recorder *mine = hd__recorder_attached();
  while (h->pid && !look_at(h, watchdog)) {
    if (mine) mine->heartbeat = mine->heartbeat + 1;
    struct pollfd p = {.fd = h->fd, .events = POLLIN};
    poll(&p, 1, POLL_MS);
  }
  bool ok = !h->failed;
  *bytes = ok ? h->bytes : NULL;
  *len = ok ? h->len : 0;
  if (!ok) free(h->bytes);
  forget(h);
  return ok;
}

void hd_helper_stop(hd_helper *h) {
  if (!h->pid) return;
  if (!h->ended) kill_helper(h);
  free(h->bytes);
  forget(h);
}

int *hd_helper_tokens_new(int count) {
  void *shared = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (shared == MAP_FAILED) return NULL;
  int *tokens = shared;
  *tokens = count;
  return tokens;
}

void hd_helper_tokens_free(int *tokens) {
  if (tokens) munmap(tokens, sizeof *tokens);
}

bool hd_helper_take_token(int *tokens) {
  int have = __atomic_load_n(tokens, __ATOMIC_ACQUIRE);
  while (have > 0)
    if (__atomic_compare_exchange_n(tokens, &have, have - 1, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) return true;
  return false;
}

void hd_helper_give_token(int *tokens) { __atomic_add_fetch(tokens, 1, __ATOMIC_RELEASE); }

hd_helper_slot *hd_helper_slot_at(hd_helper_slot *slots, unsigned n, size_t at) {
  for (unsigned k = 0; slots && k < n; k++)
    if (slots[k].h.pid && slots[k].at == at) return &slots[k];
  return NULL;
}

void hd_helper_slot_release(hd_helper_slot *slot, int *tokens) {
  if (!slot->token) return;
  slot->token = false;
  hd_helper_give_token(tokens);
}

void hd_helper_slot_stop(hd_helper_slot *slot, int *tokens) {
  hd_helper_stop(&slot->h);
  hd_helper_slot_release(slot, tokens);
}

bool hd_helper_collect_waiting(hd_helper *h, int *tokens, double watchdog, char **bytes, size_t *len) {
  hd_helper_give_token(tokens);
  bool sent = hd_helper_collect(h, watchdog, bytes, len);
  __atomic_sub_fetch(tokens, 1, __ATOMIC_ACQ_REL);
  return sent;
}

void hd_helper_send(int fd, const void *p, size_t n) {
  const char *at = p;
  while (n > 0) {
    ssize_t put = write(fd, at, n);
    if (put <= 0) _exit(95);
    at += put;
    n -= (size_t)put;
  }
}

bool hd_helper_take(const char *bytes, size_t len, size_t *at, void *out, size_t n) {
  if (*at + n > len) return false;
  memcpy(out, bytes + *at, n);
  *at += n;
  return true;
}

/* Helper processes for a search that speculates (dfs with --jobs N): a
 * helper is forked between two executions, explores a part of the search
 * in its own copy of the process, sends its findings back as bytes and
 * exits. The search decides what a helper does and what its bytes mean
 * (strategies/dfs.c); this file only starts, watches, collects and stops
 * helpers.
 *
 * Contract:
 *   - hd_helper_start forks. The child dies with its parent, writes nothing
 *     to the terminal (stdout and stderr go to /dev/null: the test's output
 *     belongs to the run that counts), records into a flight recorder of its
 *     own (engine/recorder.h, shared with the parent, so that the parent
 *     sees its heartbeat), runs child(arg, fd) and must end with
 *     hd_helper_exit (or _exit, seen later), never returning into the
 *     caller's stack.
 *   - hd_helper_poll takes what the child has sent so far without waiting
 *     (so that a child never blocks on a full pipe) and says whether it has
 *     ended; hd_helper_collect waits for the end and gives the bytes. Both
 *     give up on a child that passed no switch point for `watchdog` seconds
 *     (0: no limit), killing it; collect then returns false, as it does for
 *     a child that died or exited without sending: the caller does the work
 *     itself, so a helper that crashes or hangs costs time, never a result.
 *     While collect waits it beats the caller's own flight recorder, so that
 *     a supervising parent does not take the wait for a hang.
 *   - hd_helper_stop kills and reaps a helper whose work is not wanted. */
#ifndef HEDDLE_HARNESS_STRATEGIES_HELPERS_H
#define HEDDLE_HARNESS_STRATEGIES_HELPERS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "harness/engine/recorder.h"

typedef struct hd_helper {
  pid_t pid;          /* 0: none */
  int fd;             /* read end of its pipe, -1 once at its end */
  hd_recorder *rec;
  char *bytes;        /* what it sent so far */
  size_t len, cap;
  bool ended, failed; /* reaped; and then: it did not end cleanly, or hung */
  uint64_t beat;      /* its heartbeat when last seen changing, and when */
  double beat_at;
  unsigned polls;     /* hd_helper_poll calls, to look at the heartbeat on some only */
} hd_helper;

bool hd_helper_start(hd_helper *h, void (*child)(void *arg, int fd), void *arg);
/* In the child, at its end (sent or not): tells the parent, which then
 * looks at it at once, and exits with `status`. */
_Noreturn void hd_helper_exit(int status);

/* A helper writes its heartbeat at every switch point, and the cache line
 * holding it moves to the reader's core at every read and back at the next
 * write: a search that looked at its helper between every two executions
 * slowed both down. executor_map --jobs 2 ran at 0.87 of the ideal speed
 * of two cores (one worker's speed on each, added) looking at every call,
 * 0.90 at one call in 64 (medians of five alternating rounds). The end of
 * a helper that finished is seen at once (`finished`, on a line of its
 * own), which matters where executions are slow (64 executions of the
 * 1,000-thread program take some 0.3 s); one that died is seen 63 calls
 * late at most. */
#define HD_HELPER_LOOK_EVERY 64

/* True when the helper has ended (and is reaped). Cheap enough to call
 * between every two executions: it looks at the helper's heartbeat and
 * pipe at one call in HD_HELPER_LOOK_EVERY only, and at once after
 * hd_helper_exit (a helper that dies otherwise is seen that many calls
 * late at most). */
bool hd_helper_poll(hd_helper *h, double watchdog);
/* On true, *bytes (the caller frees it) and *len hold what it sent. */
bool hd_helper_collect(hd_helper *h, double watchdog, char **bytes, size_t *len);
void hd_helper_stop(hd_helper *h);

/* The count of processes that may still start, shared by a search and all
 * its helpers (and theirs): --jobs - 1 at first; a process that starts a
 * helper takes one, and gives it back when the helper is seen to end; one
 * that waits for a helper gives its own back meanwhile. NULL when out of
 * memory. */
int *hd_helper_tokens_new(int count);
void hd_helper_tokens_free(int *tokens);
bool hd_helper_take_token(int *tokens);
void hd_helper_give_token(int *tokens);
/* A search's helper in its slot: whether it still holds a token, and
 * where in the search its branch lies. */
typedef struct hd_helper_slot {
  hd_helper h;     /* h.pid 0: the slot is free */
  bool token;      /* it holds a token (until it is seen to have ended) */
  size_t at;       /* its branch's place: dfs's node, the reads-from search's stack index */
  uint64_t branch; /* dfs: the thread (or value) it explores there */
} hd_helper_slot;
/* The first n slots (NULL: none): the one whose helper is at `at`, or NULL. */
hd_helper_slot *hd_helper_slot_at(hd_helper_slot *slots, unsigned n, size_t at);
/* A helper seen to have ended (or stopped) gives its token back, once. */
void hd_helper_slot_release(hd_helper_slot *slot, int *tokens);
/* Stops the helper in the slot, if any, and gives its token back. */
void hd_helper_slot_stop(hd_helper_slot *slot, int *tokens);
/* hd_helper_collect by a process that runs on a token: it gives its place
 * up while it waits, and takes it back (briefly one too many, maybe). */
bool hd_helper_collect_waiting(hd_helper *h, int *tokens, double watchdog, char **bytes, size_t *len);
/* In a helper: writes all n bytes to fd, or exits (the search then does
 * the helper's work itself). */
void hd_helper_send(int fd, const void *p, size_t n);
/* Reads n bytes of a helper's message at *at into out; false past its end. */
bool hd_helper_take(const char *bytes, size_t len, size_t *at, void *out, size_t n);

#endif

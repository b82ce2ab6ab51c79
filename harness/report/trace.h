/* Traces: what each thread did in one execution, in order, with the
 * happens-before edges between threads, and its pictures: text with one
 * column per thread and the shared variables' values on the right (the
 * tutorial's Thread 1 / Thread 2 tables), a self-contained HTML page, and the
 * Chrome trace event format. Recording is off during exploration and on when
 * a failing execution is replayed, so exploring pays nothing for it. */
#ifndef HEDDLE_HARNESS_REPORT_TRACE_H
#define HEDDLE_HARNESS_REPORT_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "harness/engine/wire.h"
#include "harness/strategies/tset.h"
#include "primitives/backend.h"

typedef enum hd_trace_event_kind {
  HD_EV_OP,      /* passed a switch point and performs `op` */
  HD_EV_BLOCK,   /* blocked waiting on the object */
  HD_EV_WAKE,    /* woken by a notify */
  HD_EV_TIMEOUT, /* woken by its deadline */
  HD_EV_LOG,     /* a log line; `text` */
  HD_EV_FINISH,  /* the thread's function returned */
  HD_EV_FAIL,    /* the bug; `text` is its message */
} hd_trace_event_kind;

typedef struct hd_trace_event {
  hd_trace_event_kind kind;
  hd_op_kind op;
  int tid;
  bool has_value;
  bool preempted;      /* the scheduler switched away from a runnable thread here */
  bool flagged;        /* part of the bug (racing access, deadlocked wait) */
  uint8_t outcome;     /* a compare-exchange's (engine/memory.h: HD_OUTCOME_*), 0 for anything else */
  int64_t value;
  int64_t time;        /* virtual ns */
  uint32_t obj_id;
  const char *obj_kind;
  const char *obj_name;
  const char *file;
  int line;
  size_t text;         /* offset into the text pool, or SIZE_MAX */
  /* The event of another thread this one synchronises with (a release whose
   * monitor this event's thread then entered, the start of a thread, the
   * finish that woke a waiter), or SIZE_MAX. Set by hd_trace_add: an edge
   * is recorded only when it tells the thread something new, i.e. the
   * source is later than anything it already synchronised with from that
   * thread (set by hd_trace_add and hd_trace_acquire). */
  size_t sync_from;
  const char *why;     /* HD_EV_BLOCK: what it waits for ("acquire", "sleep"), static; or NULL */
} hd_trace_event;

/* Invariant: every event's `text` is SIZE_MAX or < text_len; its sync_from
 * is SIZE_MAX or the index of an earlier event of another thread.
 * The recording state below is stored as index + 1 so that a zeroed trace
 * means "nothing yet"; hd_trace_reset clears only the rows the previous
 * recording used, so a run that records nothing pays nothing. */
typedef struct hd_trace {
  hd_trace_event *events;
  size_t len, cap;
  char *text_pool;
  size_t text_len, text_cap;
  const char *thread_names[HD_MAX_THREADS];
  int nthreads;
  /* Happens-before edges are recorded among the first 64 threads (the
   * arrays below); later threads' steps are drawn without them. */
  /* recording state for sync_from (see hd_trace_acquire) */
  size_t last1[64];       /* per thread: 1 + its latest event, 0 none */
  size_t inbox1[64];      /* per thread: 1 + an edge source for its next event */
  size_t heard1[64][64];  /* [t][u]: 1 + the latest event of u that t synchronised with */
  size_t *released1;      /* per object id: 1 + the event that last released it */
  uint32_t released_cap, released_max;
} hd_trace;

/* What the pictures say about the execution besides its events; every
 * field may be NULL. */
typedef struct hd_trace_meta {
  const char *title;      /* the scenario or test name */
  const char *bug_kind;   /* "data_race", ...; NULL when the execution passed */
  const char *message;    /* the bug's one-line message */
  const char *details;    /* further lines (race accesses, wait-for graph) */
  const char *token;      /* the replay token */
  const char *replay;     /* the command that replays it (NULL: "tools/heddle replay TOKEN") */
} hd_trace_meta;

void hd_trace_reset(hd_trace *t);
void hd_trace_free(hd_trace *t);
/* Appends `e` (text copied from `text` when not NULL); returns its index or
 * SIZE_MAX when out of memory. */
size_t hd_trace_add(hd_trace *t, const hd_trace_event *e, const char *text);
const char *hd_trace_text(const hd_trace *t, const hd_trace_event *e);
/* "Lock 'name'" or "Lock#3" into buf. */
const char *hd_trace_obj_label(const hd_trace_event *e, char *buf, size_t size);
/* A copy of the events, texts and thread names (not the recording state);
 * NULL when out of memory. Free with hd_trace_free and free(). */
hd_trace *hd_trace_clone(const hd_trace *t);

/* The events, texts and thread names as bytes (engine/wire.h), for another
 * process; hd_trace_unpack reads them back (strings interned), or returns
 * NULL when the bytes are short or out of memory. */
void hd_trace_pack(const hd_trace *t, FILE *out);
hd_trace *hd_trace_unpack(hd_wire_reader *r);

/* Synchronises-with edges, called by the engine while recording.
 * Thread `tid` leaves object `obj_id`'s monitor: its latest event releases it. */
void hd_trace_release(hd_trace *t, uint32_t obj_id, int tid);
/* Thread `tid` enters object `obj_id`'s monitor: its latest event (or its
 * next one, if the latest is older than the release) synchronises with the
 * event that last released the object, if another thread's. */
void hd_trace_acquire(hd_trace *t, uint32_t obj_id, int tid);
/* Thread `to`'s next event synchronises with `from`'s latest (spawn: the
 * child's first event after the parent's start; a finish waking a waiter). */
void hd_trace_signal(hd_trace *t, int from, int to);

/* Shared by the renderers: a thread's name ("?" if unknown), and what event
 * `index` says in its thread's lane (for the bug, the head of its message,
 * which the report prints whole); `block_why` is the `why` of the
 * thread's latest HD_EV_BLOCK before it (for timeouts: a sleep ending or a
 * timed wait giving up). */
const char *hd_trace_thread_name(const hd_trace *t, int tid);
void hd_trace_describe(const hd_trace *t, size_t index, const char *block_why, char *buf, size_t size);

/* The interleaving as text, one column per thread, time downwards, lines
 * of about `width` characters (0: 100; a word such as file:line is never
 * cut). With `max_steps` > 0, a trace longer than that draws only the
 * first third and the last two thirds of max_steps, and a run of more than
 * 12 steps of one thread only its first and last 4; the bug's steps are
 * always drawn, and each run left out is one line saying how many (a
 * livelock of a million steps stays a page). 0 draws every step. */
void hd_trace_render_text(const hd_trace *t, FILE *out, size_t max_steps, int width);
/* Splits `text` into at most `max` lines of at most `width` bytes, breaking
 * after a space when one lies beyond `min_break`; fills starts/lens, returns
 * the line count (at least 1) and sets *cut when text is left over. */
int hd_trace_wrap(const char *text, int width, int min_break, int max, const char **starts, int *lens, bool *cut);
/* One self-contained HTML page (inline SVG and CSS, no scripts, no network):
 * a lane per thread, a box per step, arrows for sync_from edges, preemptions
 * and the bug marked, file:line on hover. harness/report/trace_html.c. */
void hd_trace_render_html(const hd_trace *t, const hd_trace_meta *m, FILE *out);
/* The Chrome trace event format (JSON), which chrome://tracing and Perfetto
 * open: one track per thread; see harness/report/trace_chrome.c for the time base. */
void hd_trace_render_chrome(const hd_trace *t, const hd_trace_meta *m, FILE *out);

#endif

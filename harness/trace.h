/* Traces: what each thread did in one execution, in order, and their
 * rendering as an interleaving with one column per thread and the shared
 * variables' values on the right (the tutorial's Thread 1 / Thread 2 tables).
 * Recording is off during exploration and on when a failing execution is
 * replayed, so exploring pays nothing for it. */
#ifndef HEDDLE_HARNESS_TRACE_H
#define HEDDLE_HARNESS_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "primitives/backend.h"

typedef enum hd_event_kind {
  HD_EV_OP,      /* passed a switch point and performs `op` */
  HD_EV_BLOCK,   /* blocked waiting on the object */
  HD_EV_WAKE,    /* woken by a notify */
  HD_EV_TIMEOUT, /* woken by its deadline */
  HD_EV_LOG,     /* a log line; `text` */
  HD_EV_FINISH,  /* the thread's function returned */
  HD_EV_FAIL,    /* the bug; `text` is its message */
} hd_event_kind;

typedef struct hd_event {
  hd_event_kind kind;
  hd_op_kind op;
  int tid;
  bool has_value;
  bool preempted;      /* the scheduler switched away from a runnable thread here */
  bool flagged;        /* part of the bug (racing access, deadlocked wait) */
  int64_t value;
  int64_t time;        /* virtual ns */
  uint32_t obj_id;
  const char *obj_kind;
  const char *obj_name;
  const char *file;
  int line;
  size_t text;         /* offset into the text pool, or SIZE_MAX */
} hd_event;

/* Invariant: every event's `text` is SIZE_MAX or < text_len. */
typedef struct hd_trace {
  hd_event *events;
  size_t len, cap;
  char *text_pool;
  size_t text_len, text_cap;
  const char *thread_names[64];
  int nthreads;
} hd_trace;

void hd_trace_reset(hd_trace *t);
void hd_trace_free(hd_trace *t);
/* Appends `e` (text copied from `text` when not NULL); returns its index or
 * SIZE_MAX when out of memory. */
size_t hd_trace_add(hd_trace *t, const hd_event *e, const char *text);
const char *hd_trace_text(const hd_trace *t, const hd_event *e);
/* "Lock 'name'" or "Lock#3" into buf. */
const char *hd_trace_obj_label(const hd_event *e, char *buf, size_t size);
/* The interleaving as text, one column per thread. */
void hd_trace_render_text(const hd_trace *t, FILE *out);

#endif

/* Recording and text rendering of an execution's events. */
#include "harness/trace.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

void hd_trace_reset(hd_trace *t) {
  t->len = 0;
  t->text_len = 0;
  t->nthreads = 0;
}

void hd_trace_free(hd_trace *t) {
  free(t->events);
  free(t->text_pool);
  memset(t, 0, sizeof *t);
}

size_t hd_trace_add(hd_trace *t, const hd_event *e, const char *text) {
  if (t->len == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 256;
    hd_event *events = realloc(t->events, cap * sizeof *events);
    if (!events) return SIZE_MAX;
    t->events = events;
    t->cap = cap;
  }
  hd_event *slot = &t->events[t->len];
  *slot = *e;
  slot->text = SIZE_MAX;
  if (text) {
    size_t n = strlen(text) + 1;
    if (t->text_len + n > t->text_cap) {
      size_t cap = t->text_cap ? t->text_cap : 1024;
      while (cap < t->text_len + n) cap *= 2;
      char *pool = realloc(t->text_pool, cap);
      if (!pool) return SIZE_MAX;
      t->text_pool = pool;
      t->text_cap = cap;
    }
    memcpy(t->text_pool + t->text_len, text, n);
    slot->text = t->text_len;
    t->text_len += n;
  }
  return t->len++;
}

const char *hd_trace_text(const hd_trace *t, const hd_event *e) {
  return e->text == SIZE_MAX ? "" : t->text_pool + e->text;
}

const char *hd_trace_obj_label(const hd_event *e, char *buf, size_t size) {
  if (!e->obj_kind) {
    snprintf(buf, size, "-");
  } else if (strcmp(e->obj_kind, "shared") == 0) {
    if (e->obj_name) snprintf(buf, size, "%s", e->obj_name);
    else snprintf(buf, size, "shared#%u", e->obj_id);
  } else if (e->obj_name) {
    snprintf(buf, size, "%s '%s'", e->obj_kind, e->obj_name);
  } else {
    snprintf(buf, size, "%s#%u", e->obj_kind, e->obj_id);
  }
  return buf;
}

/* What one event says in its thread's column. */
static void describe(const hd_trace *t, const hd_event *e, char *buf, size_t size) {
  char obj[96];
  hd_trace_obj_label(e, obj, sizeof obj);
  switch (e->kind) {
    case HD_EV_OP:
      if (e->op == HD_OP_SLEEP || e->op == HD_OP_YIELD) snprintf(buf, size, "%s", hd_op_verb(e->op));
      else if (e->has_value) snprintf(buf, size, "%s %s = %" PRId64, hd_op_verb(e->op), obj, e->value);
      else if (e->op == HD_OP_RANDOM) snprintf(buf, size, "random");
      else snprintf(buf, size, "%s %s", hd_op_verb(e->op), obj);
      if (e->op == HD_OP_RANDOM && e->has_value) snprintf(buf, size, "random -> %" PRId64, e->value);
      break;
    case HD_EV_BLOCK:
      if (e->obj_kind) snprintf(buf, size, "blocks on %s", obj);
      else snprintf(buf, size, "sleeps");
      break;
    case HD_EV_WAKE: snprintf(buf, size, "woken"); break;
    case HD_EV_TIMEOUT: snprintf(buf, size, "timeout"); break;
    case HD_EV_LOG: snprintf(buf, size, "log: %s", hd_trace_text(t, e)); break;
    case HD_EV_FINISH: snprintf(buf, size, "finished"); break;
    case HD_EV_FAIL: snprintf(buf, size, "BUG: %s", hd_trace_text(t, e)); break;
  }
}

#define COL 30

void hd_trace_render_text(const hd_trace *t, FILE *out) {
  /* Shared variables get a column each on the right, in order of first use. */
  uint32_t vars[16];
  const char *var_names[16];
  char var_labels[16][40];
  int nvars = 0;
  for (size_t i = 0; i < t->len; i++) {
    const hd_event *e = &t->events[i];
    if (!e->obj_kind || strcmp(e->obj_kind, "shared") != 0 || e->kind != HD_EV_OP) continue;
    int k = 0;
    while (k < nvars && vars[k] != e->obj_id) k++;
    if (k == nvars && nvars < 16) {
      vars[nvars] = e->obj_id;
      var_names[nvars] = hd_trace_obj_label(e, var_labels[nvars], sizeof var_labels[nvars]);
      nvars++;
    }
  }
  int64_t values[16];
  bool known[16] = {false};

  fprintf(out, "%5s %9s ", "step", "time(s)");
  for (int c = 0; c < t->nthreads; c++) fprintf(out, " %-*.*s", COL, COL, t->thread_names[c] ? t->thread_names[c] : "?");
  if (nvars) fprintf(out, " |");
  for (int k = 0; k < nvars; k++) fprintf(out, " %s", var_names[k]);
  fputc('\n', out);

  char cell[256];
  for (size_t i = 0; i < t->len; i++) {
    const hd_event *e = &t->events[i];
    if (e->kind == HD_EV_OP && e->obj_kind && strcmp(e->obj_kind, "shared") == 0 && e->has_value) {
      for (int k = 0; k < nvars; k++)
        if (vars[k] == e->obj_id) values[k] = e->value, known[k] = true;
    }
    describe(t, e, cell, sizeof cell);
    char mark = e->flagged ? '!' : e->preempted ? '>' : ' ';
    fprintf(out, "%5zu %9.3f%c", i + 1, (double)e->time / 1e9, mark);
    for (int c = 0; c < t->nthreads; c++) {
      if (c == e->tid) fprintf(out, " %-*.*s", COL, COL, cell);
      else fprintf(out, " %-*s", COL, c < e->tid || c > e->tid ? "" : "");
    }
    if (nvars) fprintf(out, " |");
    for (int k = 0; k < nvars; k++) {
      if (known[k]) fprintf(out, " %*" PRId64, (int)strlen(var_names[k]), values[k]);
      else fprintf(out, " %*s", (int)strlen(var_names[k]), "?");
    }
    fputc('\n', out);
    /* Long cells (log lines, bug messages) continue below, never truncated. */
    if (strlen(cell) > COL && (e->kind == HD_EV_LOG || e->kind == HD_EV_FAIL))
      fprintf(out, "%16s (%s, full text) %s\n", "", t->thread_names[e->tid], cell);
  }
  fprintf(out, "legend: '>' the scheduler preempted this runnable thread after this step; '!' part of the bug\n");
}

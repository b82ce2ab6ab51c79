/* Recording and text rendering of an execution's events. */
#include "harness/report/trace.h"

#include "harness/engine/memory.h"
#include "primitives/intern.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

void hd_trace_reset(hd_trace *t) {
  for (int i = 0; i < t->nthreads && i < 64; i++) {
    t->last1[i] = 0;
    t->inbox1[i] = 0;
    memset(t->heard1[i], 0, sizeof t->heard1[i]);
  }
  if (t->released1) memset(t->released1, 0, ((size_t)t->released_max + 1) * sizeof *t->released1);
  t->released_max = 0;
  t->len = 0;
  t->text_len = 0;
  t->nthreads = 0;
}

void hd_trace_free(hd_trace *t) {
  free(t->events);
  free(t->text_pool);
  free(t->released1);
  memset(t, 0, sizeof *t);
}

/* Makes event `dst` synchronise with event `src` of another thread, unless
 * dst's thread already synchronised with that event or a later one of the
 * same thread (the edge would add nothing), or dst already has an edge. */
static void link_events(hd_trace *t, size_t dst, size_t src) {
  hd_trace_event *d = &t->events[dst];
  int u = t->events[src].tid;
  if (u == d->tid || src >= dst || d->sync_from != SIZE_MAX) return;
  if (t->heard1[d->tid][u] >= src + 1) return;
  d->sync_from = src;
  t->heard1[d->tid][u] = src + 1;
}

size_t hd_trace_add(hd_trace *t, const hd_trace_event *e, const char *text) {
  if (t->len == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 256;
    hd_trace_event *events = realloc(t->events, cap * sizeof *events);
    if (!events) return SIZE_MAX;
    t->events = events;
    t->cap = cap;
  }
  hd_trace_event *slot = &t->events[t->len];
  *slot = *e;
  slot->text = SIZE_MAX;
  slot->sync_from = SIZE_MAX;
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
  if (e->tid >= 0 && e->tid < 64) {
    size_t src1 = t->inbox1[e->tid];
    t->inbox1[e->tid] = 0;
    if (src1) link_events(t, t->len, src1 - 1);
    t->last1[e->tid] = t->len + 1;
  }
  return t->len++;
}

void hd_trace_release(hd_trace *t, uint32_t obj_id, int tid) {
  if (tid < 0 || tid >= 64) return;
  if (obj_id >= t->released_cap) {
    /* Losing an edge to a failed allocation only thins the picture. */
    uint32_t cap = t->released_cap ? t->released_cap : 64;
    while (cap <= obj_id) cap *= 2;
    size_t *grown = realloc(t->released1, cap * sizeof *grown);
    if (!grown) return;
    memset(grown + t->released_cap, 0, (cap - t->released_cap) * sizeof *grown);
    t->released1 = grown;
    t->released_cap = cap;
  }
  t->released1[obj_id] = t->last1[tid];
  if (obj_id > t->released_max) t->released_max = obj_id;
}

void hd_trace_acquire(hd_trace *t, uint32_t obj_id, int tid) {
  if (tid < 0 || tid >= 64 || obj_id >= t->released_cap || !t->released1[obj_id]) return;
  size_t src = t->released1[obj_id] - 1;
  int u = t->events[src].tid;
  if (u == tid || t->heard1[tid][u] >= src + 1) return;
  size_t dst1 = t->last1[tid];
  if (dst1 && dst1 - 1 > src && t->events[dst1 - 1].sync_from == SIZE_MAX) link_events(t, dst1 - 1, src);
  else if (t->inbox1[tid] < src + 1) t->inbox1[tid] = src + 1;
}

void hd_trace_signal(hd_trace *t, int from, int to) {
  if (from < 0 || from >= 64 || to < 0 || to >= 64) return;
  if (t->last1[from] > t->inbox1[to]) t->inbox1[to] = t->last1[from];
}

hd_trace *hd_trace_clone(const hd_trace *t) {
  hd_trace *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  c->events = malloc((t->len ? t->len : 1) * sizeof *c->events);
  c->text_pool = malloc(t->text_len ? t->text_len : 1);
  if (!c->events || !c->text_pool) {
    hd_trace_free(c);
    free(c);
    return NULL;
  }
  if (t->len) memcpy(c->events, t->events, t->len * sizeof *c->events);
  if (t->text_len) memcpy(c->text_pool, t->text_pool, t->text_len);
  c->len = c->cap = t->len;
  c->text_len = c->text_cap = t->text_len;
  memcpy(c->thread_names, t->thread_names, sizeof c->thread_names);
  c->nthreads = t->nthreads;
  return c;
}

void hd_trace_pack(const hd_trace *t, FILE *out) {
  hd__wire_put_u64(out, t->len);
  hd__wire_put_u64(out, (uint64_t)t->nthreads);
  for (int i = 0; i < t->nthreads; i++) hd__wire_put_str(out, t->thread_names[i]);
  for (size_t i = 0; i < t->len; i++) {
    const hd_trace_event *e = &t->events[i];
    /* The event as bytes, then its strings: the pointers mean nothing in
     * another process. */
    fwrite(e, sizeof *e, 1, out);
    hd__wire_put_str(out, e->obj_kind);
    hd__wire_put_str(out, e->obj_name);
    hd__wire_put_str(out, e->file);
    hd__wire_put_str(out, e->why);
  }
  hd__wire_put_u64(out, t->text_len);
  fwrite(t->text_pool ? t->text_pool : "", 1, t->text_len, out);
}

hd_trace *hd_trace_unpack(hd_wire_reader *r) {
  uint64_t len = hd__wire_get_u64(r), nthreads = hd__wire_get_u64(r);
  if (r->bad || nthreads > HD_MAX_THREADS || len > (uint64_t)(r->end - r->p) / sizeof(hd_trace_event)) {
    r->bad = true;
    return NULL;
  }
  hd_trace *c = calloc(1, sizeof *c);
  if (!c || !(c->events = malloc((len ? len : 1) * sizeof *c->events))) {
    free(c);
    return NULL;
  }
  c->len = c->cap = len;
  c->nthreads = (int)nthreads;
  for (int i = 0; i < c->nthreads; i++) c->thread_names[i] = hd__wire_get_interned(r);
  for (size_t i = 0; i < len && !r->bad; i++) {
    hd_trace_event *e = &c->events[i];
    if ((size_t)(r->end - r->p) < sizeof *e) {
      r->bad = true;
      break;
    }
    memcpy(e, r->p, sizeof *e);
    r->p += sizeof *e;
    e->obj_kind = hd__wire_get_interned(r);
    e->obj_name = hd__wire_get_interned(r);
    e->file = hd__wire_get_interned(r);
    e->why = hd__wire_get_interned(r);
  }
  uint64_t text_len = hd__wire_get_u64(r);
  if (!r->bad && text_len <= (uint64_t)(r->end - r->p) && (c->text_pool = malloc(text_len ? text_len : 1))) {
    memcpy(c->text_pool, r->p, text_len);
    r->p += text_len;
    c->text_len = c->text_cap = text_len;
  } else {
    r->bad = true;
  }
  if (r->bad) {
    hd_trace_free(c);
    free(c);
    return NULL;
  }
  return c;
}

const char *hd_trace_text(const hd_trace *t, const hd_trace_event *e) {
  return e->text == SIZE_MAX ? "" : t->text_pool + e->text;
}

const char *hd_trace_obj_label(const hd_trace_event *e, char *buf, size_t size) {
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

/* Names a thread for a renderer; never NULL. */
const char *hd_trace_thread_name(const hd_trace *t, int tid) {
  return tid >= 0 && tid < t->nthreads && t->thread_names[tid] ? t->thread_names[tid] : "?";
}

/* An operation on an object: "acquire Lock 'l'", "read x = 3", and for
 * instrumented memory (which has no call of the user's to point at) where
 * it happened and a compare-exchange's outcome: "cas head (stack.c:31) = 4
 * -> failed". */
static void describe_access(const hd_trace_event *e, const char *obj, char *buf, size_t size) {
  int n = snprintf(buf, size, "%s %s", e->outcome ? "cas" : hd_op_verb(e->op), obj);
  if (e->obj_id >= HD_MEMORY_IDS && e->file && e->line > 0 && n > 0 && (size_t)n < size) {
    const char *slash = strrchr(e->file, '/');
    n += snprintf(buf + n, size - (size_t)n, " (%s:%d)", slash ? slash + 1 : e->file, e->line);
  }
  if (e->has_value && n > 0 && (size_t)n < size) n += snprintf(buf + n, size - (size_t)n, " = %" PRId64, e->value);
  if (e->outcome && n > 0 && (size_t)n < size)
    snprintf(buf + n, size - (size_t)n, " -> %s", e->outcome == HD_OUTCOME_OK ? "ok" : "failed");
}

void hd_trace_describe(const hd_trace *t, size_t index, const char *block_why, char *buf, size_t size) {
  const hd_trace_event *e = &t->events[index];
  char obj[96];
  hd_trace_obj_label(e, obj, sizeof obj);
  const hd_trace_event *src = e->sync_from != SIZE_MAX ? &t->events[e->sync_from] : NULL;
  switch (e->kind) {
    case HD_EV_OP:
      if (e->op == HD_OP_SLEEP || e->op == HD_OP_YIELD) snprintf(buf, size, "%s", hd_op_verb(e->op));
      else if (e->op == HD_OP_RANDOM && e->has_value) snprintf(buf, size, "random -> %" PRId64, e->value);
      else if (e->op == HD_OP_RANDOM) snprintf(buf, size, "random");
      else describe_access(e, obj, buf, size);
      break;
    case HD_EV_BLOCK:
      if (e->obj_kind) snprintf(buf, size, "blocks on %s (%s)", obj, e->why ? e->why : "wait");
      else if (e->why && strcmp(e->why, "sleep") != 0) snprintf(buf, size, "waits at %s", e->why);
      else snprintf(buf, size, "sleeps");
      break;
    case HD_EV_WAKE:
      if (src) snprintf(buf, size, "woken by %s", hd_trace_thread_name(t, src->tid));
      else snprintf(buf, size, "woken (notified)");
      break;
    case HD_EV_TIMEOUT:
      if (!block_why || strcmp(block_why, "sleep") == 0) snprintf(buf, size, "wakes: sleep over");
      else snprintf(buf, size, "wakes: %s timed out", block_why);
      break;
    case HD_EV_LOG: snprintf(buf, size, "log: %s", hd_trace_text(t, e)); break;
    case HD_EV_FINISH: snprintf(buf, size, "finished"); break;
    case HD_EV_FAIL: {
      /* The report has the whole message; the picture keeps its head
       * ("data race on x", "deadlock", "assertion failed in T at f:l"). */
      const char *text = hd_trace_text(t, e), *colon = strstr(text, ": ");
      snprintf(buf, size, "BUG: %.*s", colon ? (int)(colon - text) : (int)strlen(text), text);
      break;
    }
  }
}

/* The width of a thread's column: as wide as fits about 130 characters. */
/* The width of a thread's column when the whole line should fit `width`
 * characters: the step and time columns take 16, the shared variables
 * `vars_width`; never narrower than 16. */
static int column_width(int nthreads, int width, int vars_width) {
  /* never narrower than 22: "read counter = 3" should fit a line */
  int col = (width - 16 - vars_width) / (nthreads > 0 ? nthreads : 1) - 1;
  if (col > 48) col = 48;
  return col < 22 ? 22 : col;
}

/* Splits `text` into at most `max` lines of at most `width` bytes, at
 * spaces only: preferably after a space beyond `min_break`, else after any
 * space; a single word longer than a line (a long file:line) stays whole on
 * a line of its own rather than being cut. Returns the line count, starts
 * and lengths in the arrays, and sets *cut when text is left over. */
/* A space the text may break at: not one that ties a value to its '='
 * ("x = 3" stays whole). */
static bool breakable(const char *p, int k) { return p[k] == ' ' && p[k + 1] != '=' && !(k > 0 && p[k - 1] == '='); }

int hd_trace_wrap(const char *text, int width, int min_break, int max, const char **starts, int *lens, bool *cut) {
  int n = 0;
  const char *p = text;
  *cut = false;
  while (*p && n < max) {
    int len = (int)strlen(p);
    if (len > width) {
      int k = width;
      while (k > min_break && !breakable(p, k)) k--;
      if (k <= min_break) {
        k = width;
        while (k > 0 && !breakable(p, k)) k--;
      }
      if (k == 0) { /* one word longer than the line */
        k = width;
        while (p[k] && !breakable(p, k)) k++;
      }
      len = k;
    }
    starts[n] = p;
    lens[n++] = len;
    p += len;
    while (*p == ' ') p++;
  }
  if (*p) *cut = true;
  if (n == 0) {
    starts[0] = text;
    lens[0] = 0;
    n = 1;
  }
  return n;
}

/* A space the wrapping must not break at (inside "(after 3)" and "<< race"):
 * a byte that never occurs in a description, printed as a space. */
#define NBSP "\x01"

/* One cell's line: a space, the text with NBSPs as spaces, padded to `pad`. */
static void put_cell(FILE *out, const char *text, int len, int pad) {
  fputc(' ', out);
  for (int k = 0; k < len; k++) fputc(text[k] == NBSP[0] ? ' ' : text[k], out);
  for (int k = len; k < pad; k++) fputc(' ', out);
}

/* Which events a folded text trace leaves out: beyond max_steps, all but
 * the first third and last two thirds; and inside a run of more than
 * RUN_FOLD events of one thread, all but its first and last RUN_KEEP. Steps
 * of the bug are always drawn. */
enum { RUN_FOLD = 12, RUN_KEEP = 4 };

static bool *hidden_events(const hd_trace *t, size_t max_steps) {
  bool *hidden = calloc(t->len ? t->len : 1, sizeof *hidden);
  if (!hidden) return NULL;
  bool fold = max_steps > 0 && t->len > max_steps;
  size_t head = max_steps / 3, tail = max_steps - head;
  for (size_t i = 0; i < t->len; i++) hidden[i] = fold && i >= head && i < t->len - tail;
  if (max_steps == 0) return hidden; /* --full-trace: every step */
  for (size_t start = 0, end; start < t->len; start = end) {
    for (end = start + 1; end < t->len && t->events[end].tid == t->events[start].tid; end++) {
    }
    if (end - start <= RUN_FOLD) continue;
    for (size_t i = start + RUN_KEEP; i < end - RUN_KEEP; i++) hidden[i] = true;
  }
  for (size_t i = 0; i < t->len; i++)
    if (t->events[i].flagged || t->events[i].kind == HD_EV_FAIL) hidden[i] = false;
  return hidden;
}

void hd_trace_render_text(const hd_trace *t, FILE *out, size_t max_steps, int width) {
  /* Shared variables get a column each on the right, in order of first use. */
  uint32_t vars[16];
  const char *var_names[16];
  char var_labels[16][40];
  int nvars = 0;
  for (size_t i = 0; i < t->len; i++) {
    const hd_trace_event *e = &t->events[i];
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
  const char *block_why[64] = {NULL};

  int vars_width = nvars ? 2 : 0;
  for (int k = 0; k < nvars; k++) vars_width += 1 + (int)strlen(var_names[k]);
  const int full = width > 0 ? width : 100;
  const int COL = column_width(t->nthreads, full, vars_width);
  bool *hidden = hidden_events(t, max_steps);
  /* Too many threads for a column each (more than two screens wide): one
   * line per step, naming its thread. */
  int name_width = 0;
  for (int c = 0; c < t->nthreads; c++) {
    int n = (int)strlen(hd_trace_thread_name(t, c));
    if (n > name_width) name_width = n < 24 ? n : 24;
  }
  bool listed = 16 + vars_width + t->nthreads * (COL + 1) > 2 * full;
  int TEXT = COL;
  if (listed) TEXT = full - 18 - name_width < 40 ? 40 : full - 18 - name_width;
  if (listed) fprintf(out, "%5s %9s  %-*s %s\n", "step", "time(s)", name_width, "thread", "what");
  else fprintf(out, "%5s %9s ", "step", "time(s)");
  for (int c = 0; c < t->nthreads && !listed; c++)
    fprintf(out, " %-*.*s", c + 1 < t->nthreads || nvars ? COL : 0, COL, hd_trace_thread_name(t, c));
  if (nvars && !listed) fprintf(out, " |");
  for (int k = 0; k < nvars && !listed; k++) fprintf(out, " %s", var_names[k]);
  if (!listed) fputc('\n', out);

  char cell[600];
  size_t folded = 0;
  int folded_tid = -2; /* the one thread of the folded steps, or -1 for several */
  for (size_t i = 0; i < t->len; i++) {
    const hd_trace_event *e = &t->events[i];
    if (e->kind == HD_EV_OP && e->obj_kind && strcmp(e->obj_kind, "shared") == 0 && e->has_value) {
      for (int k = 0; k < nvars; k++)
        if (vars[k] == e->obj_id) values[k] = e->value, known[k] = true;
    }
    const char *why = e->tid >= 0 && e->tid < 64 ? block_why[e->tid] : NULL;
    if (e->kind == HD_EV_BLOCK && e->tid >= 0 && e->tid < 64) block_why[e->tid] = e->why;
    if (hidden && hidden[i]) {
      folded_tid = folded == 0 || folded_tid == e->tid ? e->tid : -1;
      folded++;
      continue;
    }
    if (folded) {
      fprintf(out, "%16s ... %zu step%s%s%s folded (draw them all with --full-trace or HEDDLE_TRACE_STEPS=0) ...\n",
              "", folded, folded == 1 ? "" : "s", folded_tid >= 0 ? " of " : "",
              folded_tid >= 0 ? hd_trace_thread_name(t, folded_tid) : "");
      folded = 0;
    }
    hd_trace_describe(t, i, why, cell, sizeof cell);
    size_t used = strlen(cell);
    /* Where the step comes from and why it matters, after the description. */
    if (e->sync_from != SIZE_MAX && used < sizeof cell)
      used += (size_t)snprintf(cell + used, sizeof cell - used, " (after" NBSP "%zu)", e->sync_from + 1);
    if (e->flagged && e->kind != HD_EV_FAIL && used < sizeof cell)
      snprintf(cell + used, sizeof cell - used, " %s",
               e->kind == HD_EV_OP ? "<<" NBSP "race" : e->kind == HD_EV_BLOCK ? "<<" NBSP "stuck" : "<<" NBSP "bug");
    const char *starts[24];
    int lens[24];
    bool cut;
    int nlines = hd_trace_wrap(cell, TEXT, TEXT / 3, 24, starts, lens, &cut);
    char mark = e->flagged ? '!' : e->preempted ? '>' : ' ';
    for (int l = 0; listed && l < nlines; l++) {
      if (l == 0) fprintf(out, "%5zu %9.3f%c %-*.*s", i + 1, (double)e->time / 1e9, mark, name_width, name_width,
                          hd_trace_thread_name(t, e->tid));
      else fprintf(out, "%*s", 17 + name_width, "");
      put_cell(out, starts[l], lens[l], 0);
      fputc('\n', out);
    }
    for (int l = 0; !listed && l < nlines; l++) {
      if (l == 0) fprintf(out, "%5zu %9.3f%c", i + 1, (double)e->time / 1e9, mark);
      else fprintf(out, "%16s", "");
      /* Continuation lines stop after their text: no trailing blanks. */
      int last_col = l == 0 && nvars ? t->nthreads - 1 : e->tid;
      for (int c = 0; c <= last_col && c < t->nthreads; c++) {
        if (c == e->tid) put_cell(out, starts[l], lens[l], c == last_col && !(l == 0 && nvars) ? 0 : COL);
        else fprintf(out, " %*s", COL, "");
      }
      if (l == 0 && nvars) {
        fprintf(out, " |");
        for (int k = 0; k < nvars; k++) {
          if (known[k]) fprintf(out, " %*" PRId64, (int)strlen(var_names[k]), values[k]);
          else fprintf(out, " %*s", (int)strlen(var_names[k]), "?");
        }
      }
      fputc('\n', out);
    }
  }
  free(hidden);
  fprintf(out,
          "legend: '!' part of the bug (<< race: a racing access, << stuck: a wait that never ends);\n"
          "        '>' the scheduler preempted this runnable thread after this step;\n"
          "        '(after N)' this step synchronises with step N of another thread (happens-before)\n");
}

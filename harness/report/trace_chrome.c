/* One execution in the Chrome trace event format (the JSON that
 * chrome://tracing and ui.perfetto.dev open), so a long interleaving can be
 * zoomed and searched in a real trace viewer.
 *
 * Time base: virtual time is mostly zero between sleeps, so it cannot order
 * the steps; `ts` is the step index instead, one step = 1 microsecond on the
 * viewer's axis (step N of the text trace starts at ts = N - 1). Each step's
 * virtual time is in its args as "virtual_time_s".
 * Tracks: pid 1 is the execution; tid = heddle thread id + 1 (MainThread is
 * tid 1: importers treat tid 0 as the idle task), with thread_name and
 * thread_sort_index metadata so every thread gets one named track in order.
 * Events: an operation is a complete event ("X", dur 1); a blocked wait is an
 * "X" slice from the block to the wake-up; logs, wake-ups, finishes and the
 * bug are instant events ("i"); a happens-before edge is a flow ("s" at the
 * source step, "f" at the destination, bound to the enclosing slice). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "harness/report/report.h"
#include "harness/report/trace.h"

/* The fields every event shares, up to and including "args":{ ... the
 * caller writes the rest of args and closes both braces. */
static void begin_event(const hd_trace *t, size_t i, const char *ph, const char *name, FILE *out) {
  const hd_trace_event *e = &t->events[i];
  fputs(",\n{\"name\":", out);
  hd_json_string(out, name);
  fprintf(out, ",\"cat\":\"heddle\",\"ph\":\"%s\",\"pid\":1,\"tid\":%d,\"ts\":%zu", ph, e->tid + 1, i);
  if (e->flagged) fputs(",\"cname\":\"terrible\"", out);
  fprintf(out, ",\"args\":{\"step\":%zu,\"virtual_time_s\":%.9f", i + 1, (double)e->time / 1e9);
  if (e->file) {
    fputs(",\"at\":", out);
    char where[512];
    snprintf(where, sizeof where, "%s:%d", e->file, e->line);
    hd_json_string(out, where);
  }
  if (e->flagged) fputs(",\"part_of_bug\":true", out);
  if (e->preempted) fputs(",\"preempted\":true", out);
}

void hd_trace_render_chrome(const hd_trace *t, const hd_trace_meta *m, FILE *out) {
  fputs("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"generator\":\"heddle\",\"time_base\":"
        "\"ts = step index (1 us per step); virtual time in args.virtual_time_s\"",
        out);
  if (m && m->title) {
    fputs(",\"test\":", out);
    hd_json_string(out, m->title);
  }
  if (m && m->bug_kind) {
    fputs(",\"bug\":", out);
    hd_json_string(out, m->bug_kind);
    fputs(",\"message\":", out);
    hd_json_string(out, m->message ? m->message : "");
  }
  if (m && m->token) {
    fputs(",\"token\":", out);
    hd_json_string(out, m->token);
  }
  fputs("},\n\"traceEvents\":[\n{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1,\"tid\":0,\"args\":{\"name\":", out);
  char process[256];
  snprintf(process, sizeof process, "heddle %s", m && m->title ? m->title : "execution");
  hd_json_string(out, process);
  fputs("}}", out);
  for (int c = 0; c < t->nthreads; c++) {
    fprintf(out, ",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":%d,\"args\":{\"name\":", c + 1);
    hd_json_string(out, hd_trace_thread_name(t, c));
    fprintf(out, "}},\n{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":1,\"tid\":%d,\"args\":{\"sort_index\":%d}}",
            c + 1, c);
  }

  /* next[i]: the same thread's next event after i (where a wait ends), or len. */
  size_t *next = malloc((t->len ? t->len : 1) * sizeof *next);
  if (!next) {
    fputs("]}\n", out);
    return;
  }
  size_t later[64];
  for (int c = 0; c < 64; c++) later[c] = t->len;
  for (size_t i = t->len; i-- > 0;) {
    int tid = t->events[i].tid;
    next[i] = tid >= 0 && tid < 64 ? later[tid] : t->len;
    if (tid >= 0 && tid < 64) later[tid] = i;
  }

  const char *block_why[64] = {NULL};
  char text[600];
  for (size_t i = 0; i < t->len; i++) {
    const hd_trace_event *e = &t->events[i];
    hd_trace_describe(t, i, e->tid >= 0 && e->tid < 64 ? block_why[e->tid] : NULL, text, sizeof text);
    if (e->kind == HD_EV_BLOCK && e->tid >= 0 && e->tid < 64) block_why[e->tid] = e->why;
    switch (e->kind) {
      case HD_EV_OP:
        begin_event(t, i, "X", text, out);
        if (e->has_value) fprintf(out, ",\"value\":%" PRId64, e->value);
        fputs("},\"dur\":1}", out);
        break;
      case HD_EV_BLOCK: {
        size_t end = next[i];
        begin_event(t, i, "X", text, out);
        fprintf(out, "},\"dur\":%zu}", end > i ? end - i : 1);
        break;
      }
      default:
        begin_event(t, i, "i", text, out);
        if (e->kind == HD_EV_FAIL) {
          fputs(",\"message\":", out);
          hd_json_string(out, hd_trace_text(t, e));
          fputs("},\"s\":\"g\"}", out); /* the bug: a line across every track */
        } else {
          fputs("},\"s\":\"t\"}", out);
        }
    }
    /* A happens-before edge as a flow from the source step to this one. */
    if (e->sync_from != SIZE_MAX && e->sync_from < i) {
      const hd_trace_event *s = &t->events[e->sync_from];
      fprintf(out,
              ",\n{\"name\":\"happens-before\",\"cat\":\"heddle.hb\",\"ph\":\"s\",\"id\":%zu,\"pid\":1,\"tid\":%d,"
              "\"ts\":%zu}",
              i + 1, s->tid + 1, e->sync_from);
      fprintf(out,
              ",\n{\"name\":\"happens-before\",\"cat\":\"heddle.hb\",\"ph\":\"f\",\"bp\":\"e\",\"id\":%zu,\"pid\":1,"
              "\"tid\":%d,\"ts\":%zu}",
              i + 1, e->tid + 1, i);
    }
  }
  fputs("\n]}\n", out);
  free(next);
}

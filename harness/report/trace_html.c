/* The HTML picture of one execution: a self-contained page (inline CSS and
 * SVG, no scripts, no fonts or images fetched) with a lane per thread, time
 * downwards as in the tutorial's tables, a box per step, green arrows for the
 * happens-before edges the engine recorded (sync_from), orange marks where
 * the scheduler preempted a runnable thread, and the bug in red. Hovering a
 * box shows its file:line (SVG <title>). The output depends only on the
 * trace, so one token always gives the same bytes. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "harness/report/trace.h"

/* Geometry, in SVG user units (pixels at zoom 100 %). */
enum {
  LEFT = 96,      /* the step / time column */
  TOP = 44,       /* the lane headers */
  LANE_W = 270,   /* a thread's lane */
  BOX_PAD = 12,   /* between a lane's edge and its boxes */
  LINE_H = 15,    /* one line of text in a box */
  ROW_GAP = 10,   /* between two steps */
  VAR_W = 130,    /* a shared variable's column */
  WRAP = 32,      /* characters per line in a box (12 px monospace, about 7.3 px each, in 246 px) */
  MAX_LINES = 4,  /* lines shown in a box; the full text is in its title */
  /* A longer execution keeps its first HEAD and last TAIL steps (and every
   * step of the bug); the page stays small enough for a browser. */
  MAX_DRAWN = 3000,
  HEAD = 1000,
  TAIL = 2000,
  GAP_H = 36,     /* the note that stands for the steps left out */
};

static void html_text(FILE *out, const char *s, size_t n) {
  for (size_t i = 0; i < n && s[i]; i++) {
    switch (s[i]) {
      case '&': fputs("&amp;", out); break;
      case '<': fputs("&lt;", out); break;
      case '>': fputs("&gt;", out); break;
      case '"': fputs("&quot;", out); break;
      case '\'': fputs("&#39;", out); break;
      default: fputc(s[i], out);
    }
  }
}

static void html(FILE *out, const char *s) { html_text(out, s, strlen(s)); }


/* Per-step layout. */
typedef struct row {
  int y, h;          /* box top and height */
  bool hidden;       /* left out of a long execution */
  size_t gap;        /* on the first hidden row of a run: how many steps the run leaves out */
  int nlines;
  const char *starts[MAX_LINES];
  int lens[MAX_LINES];
  bool cut;
  char text[600];
} row;

static int lane_x(int tid) { return LEFT + tid * LANE_W; }

static const char *box_class(const hd_trace_event *e) {
  if (e->kind == HD_EV_FAIL) return "fail";
  if (e->flagged) return "flag";
  switch (e->kind) {
    case HD_EV_BLOCK: return "block";
    case HD_EV_WAKE:
    case HD_EV_TIMEOUT: return "wake";
    case HD_EV_LOG: return "log";
    case HD_EV_FINISH: return "finish";
    default: return e->obj_kind && strcmp(e->obj_kind, "shared") == 0 ? "access" : "op";
  }
}

static const char STYLE[] =
    "body{font-family:sans-serif;margin:16px;color:#222;background:#fff}\n"
    "h1{font-size:20px;margin:0 0 8px}\n"
    ".bug{border:2px solid #c62828;background:#ffebee;padding:8px 12px;margin:8px 0;border-radius:4px}\n"
    ".bug b{color:#c62828}\n"
    ".pass{border:2px solid #2e7d32;background:#e8f5e9;padding:8px 12px;margin:8px 0;border-radius:4px}\n"
    "pre{margin:6px 0;font-size:12px;white-space:pre-wrap}\n"
    "code{font-size:12px}\n"
    ".legend{font-size:12px;color:#444;margin:8px 0}\n"
    ".legend span{display:inline-block;margin-right:14px}\n"
    ".sw{display:inline-block;width:12px;height:12px;vertical-align:middle;border:1px solid #555;margin-right:4px}\n"
    "svg text{font-family:monospace;font-size:12px}\n"
    "svg .lane{fill:#fafafa;stroke:#ddd}\n"
    "svg .lane.odd{fill:#f2f5f9}\n"
    "svg .head{font-family:sans-serif;font-size:14px;font-weight:bold}\n"
    "svg .step{fill:#777}\n"
    "svg rect.box{stroke:#78909c;stroke-width:1}\n"
    "svg .op rect.box{fill:#e3f2fd}\n"
    "svg .access rect.box{fill:#fff3e0;stroke:#ef6c00}\n"
    "svg .block rect.box{fill:#eeeeee;stroke-dasharray:4 3}\n"
    "svg .wake rect.box{fill:#f1f8e9}\n"
    "svg .log rect.box{fill:#fffde7}\n"
    "svg .finish rect.box{fill:#e0e0e0}\n"
    "svg .flag rect.box{fill:#ffcdd2;stroke:#c62828;stroke-width:3}\n"
    "svg .fail rect.box{fill:#c62828;stroke:#7f0000;stroke-width:2}\n"
    "svg .fail text{fill:#fff;font-weight:bold}\n"
    "svg .hb{fill:none;stroke:#2e7d32;stroke-width:1.6}\n"
    "svg .race{fill:none;stroke:#c62828;stroke-width:2.5;stroke-dasharray:7 4}\n"
    "svg .preempt{fill:#ef6c00}\n"
    "svg .pre-text{fill:#ef6c00;font-family:sans-serif;font-size:10px}\n"
    "svg .val{fill:#333}\n"
    "svg .val.changed{fill:#ef6c00;font-weight:bold}\n"
    "svg .vhead{font-family:sans-serif;font-size:13px;font-weight:bold}\n"
    "svg .gap{font-family:sans-serif;font-size:13px;font-style:italic;fill:#555}\n";

static void banner(const hd_trace_meta *m, FILE *out) {
  fputs("<h1>heddle: ", out);
  html(out, m && m->title ? m->title : "execution");
  fputs("</h1>\n", out);
  if (m && m->bug_kind) {
    fputs("<div class=\"bug\"><b>BUG (", out);
    html(out, m->bug_kind);
    fputs(")</b> ", out);
    html(out, m->message ? m->message : "");
    if (m->details && m->details[0]) {
      fputs("<pre>", out);
      html(out, m->details);
      fputs("</pre>", out);
    }
    fputs("</div>\n", out);
  } else {
    fputs("<div class=\"pass\">This execution passed: no bug.</div>\n", out);
  }
  if (m && m->token) {
    fputs("<div>replay: <code>", out);
    if (m->replay) {
      html(out, m->replay);
    } else {
      fputs("tools/heddle replay ", out);
      html(out, m->token);
    }
    fputs("</code></div>\n", out);
  }
  fputs("<div class=\"legend\">"
        "<span><i class=\"sw\" style=\"background:#ffcdd2;border:2px solid #c62828\"></i>part of the bug</span>"
        "<span><i class=\"sw\" style=\"background:#fff3e0;border-color:#ef6c00\"></i>shared variable access</span>"
        "<span><i class=\"sw\" style=\"background:#e3f2fd\"></i>operation</span>"
        "<span><i class=\"sw\" style=\"background:#eee;border-style:dashed\"></i>blocked</span>"
        "<span style=\"color:#2e7d32\">&#8594; happens-before (synchronises with)</span>"
        "<span style=\"color:#c62828\">- - racing pair</span>"
        "<span style=\"color:#ef6c00\">&#9654; preempted: the scheduler switched away from this runnable thread</span>"
        "<span>hover a step for its file:line</span></div>\n",
        out);
}

void hd_trace_render_html(const hd_trace *t, const hd_trace_meta *m, FILE *out) {
  /* Shared variables, in order of first use, get a column on the right. */
  uint32_t vars[16];
  char var_labels[16][48];
  int nvars = 0;
  for (size_t i = 0; i < t->len && nvars < 16; i++) {
    const hd_trace_event *e = &t->events[i];
    if (e->kind != HD_EV_OP || !e->obj_kind || strcmp(e->obj_kind, "shared") != 0) continue;
    int k = 0;
    while (k < nvars && vars[k] != e->obj_id) k++;
    if (k == nvars) {
      vars[nvars] = e->obj_id;
      hd_trace_obj_label(e, var_labels[nvars], sizeof var_labels[nvars]);
      nvars++;
    }
  }

  row *rows = calloc(t->len ? t->len : 1, sizeof *rows);
  if (!rows) {
    fputs("<!DOCTYPE html><p>heddle: out of memory rendering the trace</p>\n", out);
    return;
  }
  const char *block_why[64] = {NULL};
  int y = TOP + 8;
  size_t run = SIZE_MAX; /* the first row of the current run of hidden rows */
  for (size_t i = 0; i < t->len; i++) {
    const hd_trace_event *e = &t->events[i];
    row *r = &rows[i];
    r->hidden = t->len > MAX_DRAWN && i >= HEAD && i < t->len - TAIL && !e->flagged;
    if (r->hidden) {
      if (run == SIZE_MAX) {
        run = i;
        r->y = y;
        y += GAP_H + ROW_GAP;
      }
      rows[run].gap++;
    } else {
      run = SIZE_MAX;
    }
    hd_trace_describe(t, i, e->tid >= 0 && e->tid < 64 ? block_why[e->tid] : NULL, r->text, sizeof r->text);
    if (e->kind == HD_EV_BLOCK && e->tid >= 0 && e->tid < 64) block_why[e->tid] = e->why;
    /* Say in the box why it is red, not only by its colour. */
    size_t used = strlen(r->text);
    if (e->flagged && e->kind != HD_EV_FAIL && used < sizeof r->text)
      snprintf(r->text + used, sizeof r->text - used, " [%s]",
               e->kind == HD_EV_OP ? "racing access" : e->kind == HD_EV_BLOCK ? "stuck forever" : "part of the bug");
    if (r->hidden) continue;
    r->nlines = hd_trace_wrap(r->text, WRAP, WRAP / 2, MAX_LINES, r->starts, r->lens, &r->cut);
    r->y = y;
    r->h = r->nlines * LINE_H + 8;
    y += r->h + ROW_GAP;
  }
  int height = y + 16;
  int width = LEFT + t->nthreads * LANE_W + (nvars ? 16 + nvars * VAR_W : 0) + 16;

  fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>heddle: ", out);
  html(out, m && m->title ? m->title : "execution");
  fprintf(out, "</title>\n<style>\n%s</style></head><body>\n", STYLE);
  banner(m, out);

  fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n", width,
          height, width, height);
  fputs("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
        "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#2e7d32\"/></marker></defs>\n",
        out);
  /* Lanes and their headers. */
  for (int c = 0; c < t->nthreads; c++) {
    fprintf(out, "<g class=\"lane-group\" id=\"lane-%d\"><rect class=\"lane%s\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>",
            c, c % 2 ? " odd" : "", lane_x(c), TOP - 30, LANE_W, height - TOP + 22);
    fprintf(out, "<text class=\"head\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">", lane_x(c) + LANE_W / 2, TOP - 10);
    html(out, hd_trace_thread_name(t, c));
    fputs("</text></g>\n", out);
  }
  fprintf(out, "<text class=\"head\" x=\"8\" y=\"%d\">step</text><text class=\"head\" x=\"50\" y=\"%d\">t (s)</text>\n",
          TOP - 10, TOP - 10);
  int vx = LEFT + t->nthreads * LANE_W + 16;
  for (int k = 0; k < nvars; k++) {
    fprintf(out, "<text class=\"vhead\" x=\"%d\" y=\"%d\">", vx + k * VAR_W, TOP - 10);
    html(out, var_labels[k]);
    fputs("</text>\n", out);
  }

  /* Happens-before arrows, under the boxes so that an arrow crossing a lane
   * never hides a step: from the side of the source box facing the
   * destination lane to the destination box. */
  for (size_t i = 0; i < t->len; i++) {
    const hd_trace_event *e = &t->events[i];
    if (e->sync_from == SIZE_MAX || e->sync_from >= i) continue;
    const hd_trace_event *s = &t->events[e->sync_from];
    const row *rs = &rows[e->sync_from], *rd = &rows[i];
    if (rs->hidden || rd->hidden) continue;
    bool right = e->tid > s->tid;
    int x1 = lane_x(s->tid) + (right ? LANE_W - BOX_PAD : BOX_PAD), y1 = rs->y + rs->h / 2;
    int x2 = lane_x(e->tid) + (right ? BOX_PAD : LANE_W - BOX_PAD), y2 = rd->y + rd->h / 2;
    int bend = (x2 - x1) / 2;
    fprintf(out, "<g class=\"hb-edge\"><title>happens-before: step %zu (", i + 1);
    html(out, hd_trace_thread_name(t, e->tid));
    fprintf(out, ") synchronises with step %zu (", e->sync_from + 1);
    html(out, hd_trace_thread_name(t, s->tid));
    fprintf(out, ")</title><path class=\"hb\" marker-end=\"url(#arrow)\" d=\"M%d,%d C%d,%d %d,%d %d,%d\"/></g>\n", x1, y1,
            x1 + bend, y1, x2 - bend, y2, x2, y2);
  }

  /* Steps. */
  int64_t values[16];
  bool known[16] = {false};
  for (size_t i = 0; i < t->len; i++) {
    const hd_trace_event *e = &t->events[i];
    const row *r = &rows[i];
    int x = lane_x(e->tid) + BOX_PAD, w = LANE_W - 2 * BOX_PAD;
    if (r->hidden) {
      if (r->gap)
        fprintf(out,
                "<text class=\"gap\" x=\"%d\" y=\"%d\">&#8942; steps %zu to %zu (%zu steps) are not drawn; the text "
                "report (with --full-trace) has every step &#8942;</text>\n",
                LEFT + 12, r->y + GAP_H / 2 + 4, i + 1, i + r->gap, r->gap);
      for (int k = 0; k < nvars; k++)
        if (e->kind == HD_EV_OP && e->has_value && e->obj_kind && strcmp(e->obj_kind, "shared") == 0 &&
            e->obj_id == vars[k])
          values[k] = e->value, known[k] = true;
      continue;
    }
    fprintf(out, "<text class=\"step\" x=\"8\" y=\"%d\">%zu</text><text class=\"step\" x=\"50\" y=\"%d\">%.3f</text>\n",
            r->y + 15, i + 1, r->y + 15, (double)e->time / 1e9);
    fprintf(out, "<g class=\"%s\" id=\"step-%zu\"><title>step %zu, ", box_class(e), i + 1, i + 1);
    html(out, hd_trace_thread_name(t, e->tid));
    if (e->file) {
      fprintf(out, " at ");
      html(out, e->file);
      fprintf(out, ":%d", e->line);
    }
    fprintf(out, ", virtual time %.3f s\n", (double)e->time / 1e9);
    if (e->kind == HD_EV_FAIL) {
      fputs("BUG: ", out);
      html(out, hd_trace_text(t, e));
    } else {
      html(out, r->text);
    }
    if (e->sync_from != SIZE_MAX) fprintf(out, "\nhappens after step %zu", e->sync_from + 1);
    if (e->preempted) fputs("\npreempted here", out);
    fprintf(out, "</title><rect class=\"box\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"4\"/>", x, r->y, w, r->h);
    for (int l = 0; l < r->nlines; l++) {
      fprintf(out, "<text x=\"%d\" y=\"%d\">", x + 6, r->y + 4 + LINE_H * (l + 1) - 3);
      html_text(out, r->starts[l], (size_t)r->lens[l]);
      if (l == r->nlines - 1 && r->cut) fputs("&#8230;", out);
      fputs("</text>", out);
    }
    fputs("</g>\n", out);
    if (e->preempted) {
      /* An orange triangle pointing out of the lane: control leaves here. */
      int px = x + w + 2, py = r->y + r->h / 2;
      fputs("<g><title>preempted: the scheduler switched away from ", out);
      html(out, hd_trace_thread_name(t, e->tid));
      fprintf(out, " while it could still run</title><path class=\"preempt\" d=\"M%d,%d L%d,%d L%d,%d z\"/></g>\n", px,
              py - 6, px + 9, py, px, py + 6);
    }
    /* Shared values after this step; the one that changed in orange. */
    for (int k = 0; k < nvars; k++) {
      bool changed = false;
      if (e->kind == HD_EV_OP && e->has_value && e->obj_kind && strcmp(e->obj_kind, "shared") == 0 &&
          e->obj_id == vars[k] && (!known[k] || values[k] != e->value || e->op == HD_OP_WRITE)) {
        changed = e->op == HD_OP_WRITE || !known[k];
        values[k] = e->value;
        known[k] = true;
      }
      if (!known[k]) continue;
      fprintf(out, "<text class=\"val%s\" x=\"%d\" y=\"%d\">%" PRId64 "</text>\n", changed ? " changed" : "",
              vx + k * VAR_W, r->y + 15, values[k]);
    }
  }

  /* A data race: a dashed red line joins the two racing accesses. */
  size_t racing[2];
  int nracing = 0;
  for (size_t i = 0; i < t->len && nracing < 3; i++)
    if (t->events[i].flagged && t->events[i].kind == HD_EV_OP) {
      if (nracing < 2) racing[nracing] = i;
      nracing++;
    }
  if (nracing == 2 && t->events[racing[0]].tid != t->events[racing[1]].tid) {
    const hd_trace_event *a = &t->events[racing[0]], *b = &t->events[racing[1]];
    const row *ra = &rows[racing[0]], *rb = &rows[racing[1]];
    bool right = b->tid > a->tid;
    int x1 = lane_x(a->tid) + (right ? LANE_W - BOX_PAD : BOX_PAD), y1 = ra->y + ra->h / 2;
    int x2 = lane_x(b->tid) + (right ? BOX_PAD : LANE_W - BOX_PAD), y2 = rb->y + rb->h / 2;
    fprintf(out,
            "<g id=\"race\"><title>data race: steps %zu and %zu access the same variable, at least one writes, and "
            "neither happens before the other</title><path class=\"race\" d=\"M%d,%d L%d,%d\"/></g>\n",
            racing[0] + 1, racing[1] + 1, x1, y1, x2, y2);
  }
  fputs("</svg>\n</body></html>\n", out);
  free(rows);
}

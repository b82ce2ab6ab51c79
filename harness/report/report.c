/* Text and JSON renderings of an hd_result. */
#include "harness/report/report.h"

#include <errno.h>
#include <string.h>

#include "harness/report/trace.h"
#include "harness/strategies/table.h"

void hd_json_string(FILE *out, const char *s) {
  fputc('"', out);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    switch (*p) {
      case '"': fputs("\\\"", out); break;
      case '\\': fputs("\\\\", out); break;
      case '\n': fputs("\\n", out); break;
      case '\t': fputs("\\t", out); break;
      case '\r': fputs("\\r", out); break;
      default:
        if (*p < 0x20) fprintf(out, "\\u%04x", *p);
        else fputc(*p, out);
    }
  }
  fputc('"', out);
}

/* dfs, dfs-naive, bounded: searches that report wasted executions. */
static bool systematic_strategy(const hd_options *o) {
  const hd_strategy_kind *k = hd_strategy_find(o->strategy);
  return k && k->systematic;
}

/* The strategy's parameters as text, e.g. " (depth 3)"; "" when it has none. */
static const char *strategy_params(const hd_options *o, char *buf, size_t size) {
  buf[0] = '\0';
  if (strcmp(o->strategy, "pct") == 0) snprintf(buf, size, " (depth %u)", o->depth);
  else if (strcmp(o->strategy, "dfs") == 0 && o->preemptions >= 0)
    snprintf(buf, size, " (at most %lld preemption%s, no reduction)", (long long)o->preemptions,
             o->preemptions == 1 ? "" : "s");
  else if (strcmp(o->strategy, "dfs") == 0)
    snprintf(buf, size, " (%s)",
             !o->reduction  ? "no reduction"
             : o->reads_from ? "reads-from equivalence"
             : o->optimal  ? "optimal DPOR with wakeup trees"
             : o->symmetry && o->sections ? "source-DPOR with sleep sets, twin threads in one order, critical sections as steps"
             : o->symmetry ? "source-DPOR with sleep sets, twin threads in one order"
             : o->sections ? "source-DPOR with sleep sets, critical sections as steps"
                           : "source-DPOR with sleep sets");
  else if (strcmp(o->strategy, "dfs-naive") == 0 && o->preemptions >= 0)
    snprintf(buf, size, " (at most %lld preemption%s)", (long long)o->preemptions, o->preemptions == 1 ? "" : "s");
  else if (strcmp(o->strategy, "bounded") == 0) snprintf(buf, size, " (preemption bound 0, 1, 2, ...)");
  return buf;
}

void hd_report_text(FILE *out, const char *name, const char *expected, const hd_options *o, const hd_result *r) {
  bool replaying = strcmp(o->strategy, "replay") == 0;
  if (replaying) fprintf(out, "heddle replay %s\n", name);
  else
  {
    char params[128];
    fprintf(out, "heddle explore %s: strategy %s%s, seed %llu, up to %llu executions\n", name, o->strategy,
            strategy_params(o, params, sizeof params), (unsigned long long)o->seed,
            (unsigned long long)o->executions);
  }
  if (expected) fprintf(out, "expected: %s\n", expected);
  if (!r->bug_found) {
    if (replaying) fprintf(out, "the replayed execution passed (no bug)\n");
    else if (r->complete)
      fprintf(out, "complete: all %llu executions explored, no bug found\n", (unsigned long long)r->executions);
    else fprintf(out, "no bug found in %llu executions\n", (unsigned long long)r->executions);
    if (!replaying && r->wasted)
      fprintf(out, "wasted: %llu more executions %s (explored nothing new)\n", (unsigned long long)r->wasted,
              o->reads_from ? "ended with a read waiting for a write that never came" : "were sleep-set blocked");
    if (!replaying && r->sections_discarded)
      fprintf(out,
              "sections: memory used in a critical section was also used without its lock (or the lock was "
              "tried or queried): the search started again after %llu executions with sections ordered\n",
              (unsigned long long)r->sections_discarded);
    if (!replaying && r->stopped_by[0]) fprintf(out, "incomplete: %s\n", r->stopped_by);
    if (replaying && r->trace) fprintf(out, "\ntrace:\n%s", r->trace);
    return;
  }
  fprintf(out, "BUG FOUND (%s) in execution %llu of %llu, after %llu steps with %u preemption%s\n",
          hd_bug_kind_name(r->kind), (unsigned long long)r->bug_execution + 1, (unsigned long long)r->executions,
          (unsigned long long)r->steps, r->preemptions, r->preemptions == 1 ? "" : "s");
  if (r->shrunk)
    fprintf(out, "shrunk from %llu steps with %u preemption%s as found to %llu steps with %u\n",
            (unsigned long long)r->found_steps, r->found_preemptions, r->found_preemptions == 1 ? "" : "s",
            (unsigned long long)r->steps, r->preemptions);
  fprintf(out, "%s\n", r->message);
  if (r->details[0]) fprintf(out, "%s", r->details);
  if (r->trace) fprintf(out, "\ntrace:\n%s", r->trace);
  if (r->token) {
    char command[4096];
    fprintf(out, "\nreplay token: %s\nreplay with:  %s\n", r->token,
            r->replay ? r->replay : hd_replay_command(r->token, o, command, sizeof command));
  }
}

void hd_report_json(FILE *out, const char *name, const char *expected, const hd_options *o, const hd_result *r) {
  fputs("{\"scenario\":", out);
  hd_json_string(out, name);
  fputs(",\"strategy\":", out);
  hd_json_string(out, o->strategy);
  fprintf(out, ",\"seed\":%llu,\"executions\":%llu,\"complete\":%s", (unsigned long long)o->seed,
          (unsigned long long)r->executions, r->complete ? "true" : "false");
  if (strcmp(o->strategy, "pct") == 0) fprintf(out, ",\"depth\":%u", o->depth);
  if (o->jobs > 1) fprintf(out, ",\"jobs\":%u", o->jobs);
  if (strncmp(o->strategy, "dfs", 3) == 0) {
    fprintf(out, ",\"reduction\":%s",
            strcmp(o->strategy, "dfs") == 0 && o->reduction && o->preemptions < 0 ? "true" : "false");
    if (o->preemptions >= 0) fprintf(out, ",\"preemption_bound\":%lld", (long long)o->preemptions);
    /* Only when on, so that the JSON of the other runs stays as it was. */
    if (strcmp(o->strategy, "dfs") == 0 && o->reduction && o->preemptions < 0 && o->symmetry)
      fputs(",\"symmetry\":true", out);
    if (strcmp(o->strategy, "dfs") == 0 && o->reduction && o->preemptions < 0 && o->optimal)
      fputs(",\"optimal\":true", out);
    if (strcmp(o->strategy, "dfs") == 0 && o->reduction && o->preemptions < 0 && o->reads_from)
      fputs(",\"equivalence\":\"reads-from\"", out);
    if (strcmp(o->strategy, "dfs") == 0 && o->reduction && o->preemptions < 0 && o->sections)
      fputs(",\"sections\":true", out);
  }
  /* Always present: null when the run was complete or had no bound to hit. */
  fputs(",\"stopped_by\":", out);
  if (r->stopped_by[0]) hd_json_string(out, r->stopped_by);
  else fputs("null", out);
  if (systematic_strategy(o)) fprintf(out, ",\"wasted\":%llu", (unsigned long long)r->wasted);
  /* Only with helpers, so that a run's JSON is one worker's but for "jobs" and this. */
  if (systematic_strategy(o) && o->jobs > 1) fprintf(out, ",\"helped\":%llu", (unsigned long long)r->helped);
  if (o->sections && strcmp(o->strategy, "dfs") == 0 && o->reduction && o->preemptions < 0)
    fprintf(out, ",\"sections_discarded\":%llu", (unsigned long long)r->sections_discarded);
  if (r->has_estimate) fprintf(out, ",\"estimated_left\":%llu", (unsigned long long)r->estimated_left);
  else fputs(",\"estimated_left\":null", out);
  if (expected) {
    fputs(",\"expected\":", out);
    hd_json_string(out, expected);
  }
  fputs(",\"bug\":", out);
  if (!r->bug_found) {
    fputs("null}\n", out);
    return;
  }
  fputs("{\"kind\":", out);
  hd_json_string(out, hd_bug_kind_name(r->kind));
  fputs(",\"message\":", out);
  hd_json_string(out, r->message);
  fputs(",\"details\":", out);
  hd_json_string(out, r->details);
  fputs(",\"file\":", out);
  hd_json_string(out, r->file ? r->file : "");
  fprintf(out, ",\"line\":%d,\"execution\":%llu,\"steps\":%llu,\"preemptions\":%u", r->line,
          (unsigned long long)r->bug_execution + 1, (unsigned long long)r->steps, r->preemptions);
  if (r->shrunk)
    fprintf(out, ",\"found_steps\":%llu,\"found_preemptions\":%u", (unsigned long long)r->found_steps,
            r->found_preemptions);
  fputs(",\"token\":", out);
  hd_json_string(out, r->token ? r->token : "");
  fputs(",\"replay\":", out);
  char command[4096];
  hd_json_string(out, r->replay ? r->replay : hd_replay_command(r->token ? r->token : "", o, command, sizeof command));
  fputs("}}\n", out);
}

bool hd_report_picture(const char *name, const hd_result *r, hd_picture_format format, const char *path, char *why,
                       size_t why_size) {
  if (!r->trace_data) {
    snprintf(why, why_size, "no execution was recorded (no bug found, so there is nothing to draw)");
    return false;
  }
  FILE *f = fopen(path, "w");
  if (!f) {
    snprintf(why, why_size, "cannot write %s: %s", path, strerror(errno));
    return false;
  }
  hd_trace_meta m = {
      .title = name,
      .bug_kind = r->bug_found ? hd_bug_kind_name(r->kind) : NULL,
      .message = r->bug_found ? r->message : NULL,
      .details = r->bug_found ? r->details : NULL,
      .token = r->token,
      .replay = r->replay,
  };
  switch (format) {
    case HD_PICTURE_TEXT: hd_trace_render_text(r->trace_data, f, 0, 0); break;
    case HD_PICTURE_HTML: hd_trace_render_html(r->trace_data, &m, f); break;
    case HD_PICTURE_CHROME: hd_trace_render_chrome(r->trace_data, &m, f); break;
  }
  if (ferror(f) | fclose(f)) {
    snprintf(why, why_size, "cannot write %s: %s", path, strerror(errno));
    return false;
  }
  return true;
}

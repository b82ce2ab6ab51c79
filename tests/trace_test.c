/* Pictures of one execution: the text trace, the HTML page and the Chrome
 * trace JSON, and the happens-before edges the engine records for them.
 * Deterministic backend only: these tests drive hd_explore directly. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness/engine/exec.h"
#include "harness/explore.h"
#include "harness/report/report.h"
#include "harness/engine/schedule.h"
#include "harness/report/trace.h"
#include "primitives/heddle.h"
#include "scenarios/scenario.h"
#include "tests/support/scenario_run.h"

/* ---- helpers ------------------------------------------------------------------ */

/* The replay token of the non-preemptive schedule of `scenario` (malloc'd). */
static char *sequential_token(const char *scenario) {
  hd_test t = hd_scenario_test(scenario);
  hd_strategy strategy = hd_sequential_strategy();
  hd_exec *x = hd_exec_new();
  assert_non_null(x);
  hd_exec_config cfg = {.body = t.body, .check = t.check, .strategy = &strategy, .step_limit = 100000, .detect_races = false};
  const hd_exec_result *e;
  hd_exec_status status = hd_exec_run(x, &cfg, &e);
  assert_true(status == HD_EXEC_PASSED || status == HD_EXEC_BUG);
  hd_setup setup = hd_setup_default();
  setup.races = cfg.detect_races;
  char *token = hd_token_encode(t.name, &setup, e->schedule);
  hd_exec_free(x);
  assert_non_null(token);
  return token;
}

/* Explores `scenario` (or replays `token` when not NULL) into *r. */
static void run_scenario(const char *scenario, const char *token, uint64_t executions, hd_result *r) {
  hd_test t = hd_scenario_test(scenario);
  hd_options o;
  hd_options_default(&o);
  o.executions = executions;
  if (token) {
    o.strategy = "replay";
    o.token = token;
  }
  *r = hd_explore_or_fail(&t, &o);
}

/* A picture of r's traced execution, malloc'd and NUL-terminated. */
static char *picture(const char *name, const hd_result *r, hd_picture_format format) {
  char path[] = "/tmp/heddle_trace_test_XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  char why[600];
  if (!hd_report_picture(name, r, format, path, why, sizeof why)) fail_msg("%s", why);
  FILE *f = fdopen(fd, "r");
  assert_non_null(f);
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  rewind(f);
  char *text = malloc((size_t)size + 1);
  assert_non_null(text);
  assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
  text[size] = '\0';
  fclose(f);
  unlink(path);
  return text;
}

static int count(const char *haystack, const char *needle) {
  int n = 0;
  for (const char *p = strstr(haystack, needle); p; p = strstr(p + 1, needle)) n++;
  return n;
}

/* A strict JSON syntax check (RFC 8259): a recursive-descent parser that
 * accepts exactly one value and nothing after it. */
typedef struct json {
  const char *p;
  int depth;
} json;

static void json_ws(json *j) {
  while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r') j->p++;
}

static bool json_value(json *j);

static bool json_string(json *j) {
  if (*j->p != '"') return false;
  j->p++;
  for (;;) {
    unsigned char c = (unsigned char)*j->p;
    if (c == '"') {
      j->p++;
      return true;
    }
    if (c < 0x20) return false; /* includes the terminating NUL */
    if (c == '\\') {
      j->p++;
      if (*j->p == 'u') {
        for (int k = 1; k <= 4; k++)
          if (!strchr("0123456789abcdefABCDEF", j->p[k]) || !j->p[k]) return false;
        j->p += 5;
        continue;
      }
      if (!*j->p || !strchr("\"\\/bfnrt", *j->p)) return false;
    }
    j->p++;
  }
}

static bool json_number(json *j) {
  const char *p = j->p;
  if (*p == '-') p++;
  if (*p == '0') p++;
  else if (*p >= '1' && *p <= '9') while (*p >= '0' && *p <= '9') p++;
  else return false;
  if (*p == '.') {
    p++;
    if (!(*p >= '0' && *p <= '9')) return false;
    while (*p >= '0' && *p <= '9') p++;
  }
  if (*p == 'e' || *p == 'E') {
    p++;
    if (*p == '+' || *p == '-') p++;
    if (!(*p >= '0' && *p <= '9')) return false;
    while (*p >= '0' && *p <= '9') p++;
  }
  j->p = p;
  return true;
}

static bool json_value(json *j) {
  if (++j->depth > 64) return false;
  json_ws(j);
  bool ok;
  if (*j->p == '{' || *j->p == '[') {
    char close = *j->p == '{' ? '}' : ']';
    bool object = close == '}';
    j->p++;
    json_ws(j);
    ok = true;
    if (*j->p == close) {
      j->p++;
    } else {
      for (;;) {
        if (object) {
          json_ws(j);
          if (!json_string(j)) return false;
          json_ws(j);
          if (*j->p++ != ':') return false;
        }
        if (!json_value(j)) return false;
        json_ws(j);
        if (*j->p == ',') {
          j->p++;
          continue;
        }
        if (*j->p++ != close) return false;
        break;
      }
    }
  } else if (*j->p == '"') {
    ok = json_string(j);
  } else if (strncmp(j->p, "true", 4) == 0 || strncmp(j->p, "null", 4) == 0) {
    j->p += 4, ok = true;
  } else if (strncmp(j->p, "false", 5) == 0) {
    j->p += 5, ok = true;
  } else {
    ok = json_number(j);
  }
  j->depth--;
  return ok;
}

static bool json_valid(const char *text) {
  json j = {text, 0};
  if (!json_value(&j)) return false;
  json_ws(&j);
  return *j.p == '\0';
}

static void test_trace_json_checker_rejects_malformed_json(void **state) {
  (void)state;
  assert_true(json_valid("{\"a\":[1,-2.5e3,true,null,\"x\\n\\u00e9\"],\"b\":{}}"));
  assert_false(json_valid("{\"a\":1,}"));
  assert_false(json_valid("[1 2]"));
  assert_false(json_valid("{\"a\":\"unterminated}"));
  assert_false(json_valid("{} {}"));
  assert_false(json_valid("{\"a\":01}"));
}

/* ---- the pictures ------------------------------------------------------------------ */

static void test_trace_chrome_trace_is_valid_json_with_one_track_per_thread(void **state) {
  (void)state;
  hd_result r;
  run_scenario("lost_update", NULL, 1000, &r);
  assert_true(r.bug_found);
  assert_non_null(r.trace_data);
  char *text = picture("lost_update", &r, HD_PICTURE_CHROME);
  if (!json_valid(text)) fail_msg("the Chrome trace is not valid JSON:\n%s", text);
  assert_non_null(strstr(text, "\"traceEvents\":["));
  assert_int_equal(r.trace_data->nthreads, 3);
  assert_int_equal(count(text, "\"name\":\"thread_name\""), 3);
  const char *names[] = {"MainThread", "Thread-1", "Thread-2"};
  for (int c = 0; c < 3; c++) {
    char track[128];
    snprintf(track, sizeof track, "\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":%d,\"args\":{\"name\":\"%s\"}",
             c + 1, names[c]);
    if (!strstr(text, track)) fail_msg("no track %s in:\n%s", track, text);
  }
  /* Every step is an event on its thread's track; the bug is marked. */
  assert_int_equal(count(text, "\"cat\":\"heddle\""), (int)r.trace_data->len);
  assert_int_equal(count(text, "\"part_of_bug\":true"), 3);
  assert_true(count(text, "\"ph\":\"s\"") >= 2); /* the two starts: happens-before flows */
  assert_int_equal(count(text, "\"ph\":\"s\""), count(text, "\"ph\":\"f\""));
  free(text);
  hd_result_free(&r);
}

static void test_trace_html_has_a_lane_per_thread_and_marks_the_race(void **state) {
  (void)state;
  hd_result r;
  run_scenario("lost_update", NULL, 1000, &r);
  assert_true(r.bug_found);
  char *html = picture("lost_update", &r, HD_PICTURE_HTML);
  assert_int_equal(strncmp(html, "<!DOCTYPE html>", 15), 0);
  assert_int_equal(count(html, "class=\"lane-group\""), 3);
  for (int c = 0; c < 3; c++) {
    const char *names[] = {">MainThread</text>", ">Thread-1</text>", ">Thread-2</text>"};
    assert_non_null(strstr(html, names[c]));
  }
  assert_non_null(strstr(html, "BUG (data_race)"));
  assert_non_null(strstr(html, "<g id=\"race\">"));
  assert_int_equal(count(html, "<g class=\"flag\""), 2);
  assert_int_equal(count(html, "<g class=\"fail\""), 1);
  assert_true(count(html, "class=\"hb-edge\"") >= 2);
  /* Hover gives file:line; the replay command is on the page. */
  assert_non_null(strstr(html, "at scenarios/lost_update.c:14, virtual time"));
  assert_non_null(strstr(html, "tools/heddle replay hd2:lost_update:"));
  /* Self-contained: nothing fetched, nothing run. */
  assert_null(strstr(html, "<script"));
  assert_null(strstr(html, "src="));
  assert_null(strstr(html, "href="));
  assert_int_equal(count(html, "http"), 1); /* the SVG namespace only */
  free(html);
  hd_result_free(&r);
}

static void test_trace_same_token_gives_byte_identical_pictures(void **state) {
  (void)state;
  hd_result found;
  run_scenario("lost_update", NULL, 1000, &found);
  assert_true(found.bug_found);
  hd_result a, b;
  run_scenario("lost_update", found.token, 1, &a);
  run_scenario("lost_update", found.token, 1, &b);
  assert_string_equal(a.trace, b.trace);
  assert_string_equal(found.trace, a.trace); /* the explorer's picture is the replay's */
  hd_picture_format formats[] = {HD_PICTURE_TEXT, HD_PICTURE_HTML, HD_PICTURE_CHROME};
  for (int k = 0; k < 3; k++) {
    char *pa = picture("lost_update", &a, formats[k]), *pb = picture("lost_update", &b, formats[k]);
    assert_string_equal(pa, pb);
    free(pa);
    free(pb);
  }
  hd_result_free(&found);
  hd_result_free(&a);
  hd_result_free(&b);
}

static void test_trace_text_marks_racing_steps_and_wakeup_reasons(void **state) {
  (void)state;
  hd_result r;
  run_scenario("lost_update", NULL, 1000, &r);
  assert_true(r.bug_found);
  assert_int_equal(count(r.trace, "<< race"), 3); /* the two racing steps and the legend's "<< race:" */
  assert_non_null(strstr(r.trace, "wakes: sleep over"));
  assert_non_null(strstr(r.trace, "BUG: data race on"));
  assert_non_null(strstr(r.trace, "(after "));
  hd_result_free(&r);
}

/* Index of the first event of thread `tid` whose description contains `what`. */
static size_t find_event(const hd_trace *t, int tid, const char *what) {
  char text[600];
  for (size_t i = 0; i < t->len; i++) {
    if (t->events[i].tid != tid) continue;
    hd_trace_describe(t, i, NULL, text, sizeof text);
    if (strstr(text, what)) return i;
  }
  fail_msg("no event '%s' on thread %d", what, tid);
  return SIZE_MAX;
}

static void test_trace_records_happens_before_edges(void **state) {
  (void)state;
  /* locked_update, each thread in one go: Thread-1 takes the lock first and
   * Thread-2's acquire follows its release; main's join follows each exit. */
  char *token = sequential_token("locked_update");
  hd_result r;
  run_scenario("locked_update", token, 1, &r);
  assert_false(r.bug_found);
  const hd_trace *t = r.trace_data;
  assert_non_null(t);
  assert_int_equal(t->nthreads, 3);
  size_t start1 = find_event(t, 0, "start Thread 'Thread-1'");
  size_t first1 = 0;
  while (t->events[first1].tid != 1) first1++;
  assert_int_equal(t->events[first1].sync_from, start1);
  size_t release1 = find_event(t, 1, "release Lock");
  size_t acquire2 = find_event(t, 2, "acquire Lock");
  /* Thread-2 blocked on the held lock or came after the release: either its
   * acquire or its wake-up synchronises with Thread-1's release. */
  bool found = t->events[acquire2].sync_from == release1;
  for (size_t i = acquire2 + 1; i < t->len && !found; i++)
    if (t->events[i].tid == 2 && t->events[i].kind == HD_EV_WAKE) found = t->events[i].sync_from == release1;
  assert_true(found);
  size_t exit1 = find_event(t, 1, "exit Thread 'Thread-1'");
  bool joined = false;
  for (size_t i = exit1 + 1; i < t->len; i++)
    if (t->events[i].tid == 0 && t->events[i].sync_from == exit1) joined = true;
  assert_true(joined);
  /* Every edge goes forwards in time and between two threads. */
  for (size_t i = 0; i < t->len; i++) {
    if (t->events[i].sync_from == SIZE_MAX) continue;
    assert_true(t->events[i].sync_from < i);
    assert_int_not_equal(t->events[t->events[i].sync_from].tid, t->events[i].tid);
  }
  free(token);
  hd_result_free(&r);
}

/* A long execution: 4000 yields, then an unsynchronised write and read. */
static hd_shared flag;
static hd_thread spinner, reader;

static void spin_then_write(void *arg) {
  (void)arg;
  for (int i = 0; i < 4000; i++) hd_yield();
  hd_store(&flag, 1);
}

static void read_flag(void *arg) {
  (void)arg;
  for (int i = 0; i < 4000; i++) hd_yield();
  (void)hd_load(&flag);
}

static void long_race(void *arg) {
  (void)arg;
  hd_shared_init(&flag, "flag", 0);
  hd_thread_init(&spinner, spin_then_write, NULL, "spinner");
  hd_thread_init(&reader, read_flag, NULL, "reader");
  hd_thread_start(&spinner);
  hd_thread_start(&reader);
  hd_thread_join(&spinner, HD_FOREVER);
  hd_thread_join(&reader, HD_FOREVER);
}

static void test_trace_html_of_a_long_execution_leaves_out_the_middle_but_not_the_bug(void **state) {
  (void)state;
  hd_test t = {.name = "long_race", .body = long_race};
  hd_options o;
  hd_options_default(&o);
  hd_result r = hd_explore_or_fail(&t, &o);
  assert_true(r.bug_found);
  assert_int_equal(r.kind, HD_BUG_DATA_RACE);
  assert_true(r.trace_data->len > 8000);
  char *html = picture("long_race", &r, HD_PICTURE_HTML);
  assert_non_null(strstr(html, "are not drawn; the text report (with --full-trace) has every step"));
  int boxes = count(html, "<rect class=\"box\"");
  if (boxes > 3000 + 4) fail_msg("%d boxes drawn for %zu steps", boxes, r.trace_data->len);
  assert_int_equal(count(html, "<g class=\"flag\""), 2); /* both racing accesses are drawn */
  assert_int_equal(count(html, "<g class=\"fail\""), 1);
  assert_non_null(strstr(html, "<g id=\"race\">"));
  assert_true(strlen(html) < 3u * 1024 * 1024);
  free(html);
  hd_result_free(&r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_trace_json_checker_rejects_malformed_json),
      cmocka_unit_test(test_trace_chrome_trace_is_valid_json_with_one_track_per_thread),
      cmocka_unit_test(test_trace_html_has_a_lane_per_thread_and_marks_the_race),
      cmocka_unit_test(test_trace_same_token_gives_byte_identical_pictures),
      cmocka_unit_test(test_trace_text_marks_racing_steps_and_wakeup_reasons),
      cmocka_unit_test(test_trace_records_happens_before_edges),
      cmocka_unit_test(test_trace_html_of_a_long_execution_leaves_out_the_middle_but_not_the_bug),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

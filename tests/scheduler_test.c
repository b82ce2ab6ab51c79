/* The deterministic scheduler: virtual time, the bug oracles (assertion,
 * deadlock, livelock, misuse), seed determinism, replay round trips and bad
 * tokens. Runs only on the harness. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness/engine/schedule.h"
#include "harness/explore.h"
#include "harness/strategies/tset.h"
#include "primitives/heddle.h"

static hd_options defaults(void) {
  hd_options o;
  hd_options_default(&o);
  o.isolate = false; /* the test reads what the body left in its globals */
  return o;
}

/* Explores and returns the result; the exploration itself must run. */
static hd_result explore(const char *name, void (*body)(void *), const hd_options *o) {
  hd_test t = {.name = name, .body = body};
  hd_result r;
  hd_explore_status status = hd_explore(&t, o, &r);
  if (status != HD_EXPLORE_RAN) fail_msg("exploration did not run: %s", r.error);
  return r;
}

/* ---- virtual time ---- */

static hd_thread sleepers[2];
static hd_shared wake_order;
static double observed_elapsed;

static void sleep_then_record(void *arg) {
  long seconds = (long)arg;
  hd_sleep((double)seconds);
  hd_store(&wake_order, hd_load(&wake_order) * 10 + seconds);
}

static void two_sleepers(void *arg) {
  (void)arg;
  hd_shared_init(&wake_order, "wake_order", 0);
  double start = hd_monotonic();
  /* Started in the opposite order of their deadlines. */
  hd_thread_init(&sleepers[0], sleep_then_record, (void *)3L, NULL);
  hd_thread_init(&sleepers[1], sleep_then_record, (void *)1L, NULL);
  hd_thread_start(&sleepers[0]);
  hd_thread_start(&sleepers[1]);
  hd_thread_join(&sleepers[0], HD_FOREVER);
  hd_thread_join(&sleepers[1], HD_FOREVER);
  observed_elapsed = hd_monotonic() - start;
  HD_ASSERT(hd_load(&wake_order) == 13, "the 1 s sleeper must wake before the 3 s sleeper, order %lld",
            (long long)hd_load(&wake_order));
}

static void test_scheduler_virtual_time_wakes_sleepers_in_deadline_order(void **state) {
  (void)state;
  hd_options o = defaults();
  o.executions = 500;
  o.detect_races = false; /* time orders the two stores, happens-before does not */
  hd_result r = explore("two_sleepers", two_sleepers, &o);
  assert_false(r.bug_found);
  /* Exactly the longest sleep passed on the virtual clock: 3 s, no more. */
  assert_true(observed_elapsed == 3.0);
  hd_result_free(&r);
}

/* ---- deadlock ---- */

static hd_lock lock_a, lock_b;
static hd_thread abba[2];

static void take_in_order(void *arg) {
  bool reverse = arg != NULL;
  hd_lock *first = reverse ? &lock_b : &lock_a, *second = reverse ? &lock_a : &lock_b;
  hd_lock_acquire(first);
  hd_lock_acquire(second);
  hd_lock_release(second);
  hd_lock_release(first);
}

static void two_lock_inversion(void *arg) {
  (void)arg;
  hd_lock_init(&lock_a, "a");
  hd_lock_init(&lock_b, "b");
  hd_thread_init(&abba[0], take_in_order, NULL, "forward");
  hd_thread_init(&abba[1], take_in_order, (void *)1, "backward");
  hd_thread_start(&abba[0]);
  hd_thread_start(&abba[1]);
  hd_thread_join(&abba[0], HD_FOREVER);
  hd_thread_join(&abba[1], HD_FOREVER);
}

static void test_scheduler_reports_lock_order_inversion_with_its_cycle(void **state) {
  (void)state;
  hd_options o = defaults();
  o.executions = 200;
  hd_result r = explore("two_lock_inversion", two_lock_inversion, &o);
  assert_true(r.bug_found);
  assert_int_equal(r.kind, HD_BUG_DEADLOCK);
  assert_non_null(strstr(r.details, "forward waits on Lock 'b'"));
  assert_non_null(strstr(r.details, "held by backward"));
  assert_non_null(strstr(r.details, "backward waits on Lock 'a'"));
  assert_non_null(strstr(r.details, "held by forward"));
  assert_non_null(strstr(r.details, "wait-for cycle: "));
  assert_non_null(strstr(r.details, "MainThread waits on Thread 'forward'"));
  hd_result_free(&r);
}

/* Lines of a text. */
static size_t count_lines(const char *text) {
  size_t n = 0;
  for (const char *p = text; p && *p; p++) n += *p == '\n';
  return n;
}

/* ---- livelock ---- */

static void spin_forever(void *arg) {
  (void)arg;
  for (;;) hd_yield();
}

/* A long livelock's trace is a page: the first and last steps and a line
 * for what was folded; --full-trace draws them all. */
static void test_scheduler_long_livelock_trace_is_folded(void **state) {
  (void)state;
  hd_options o = defaults();
  o.step_limit = 100000;
  o.executions = 1;
  hd_result r = explore("spin_forever", spin_forever, &o);
  assert_int_equal(r.kind, HD_BUG_LIVELOCK);
  size_t lines = count_lines(r.trace);
  if (lines > 310 || !strstr(r.trace, "folded (draw them all with --full-trace"))
    fail_msg("a 100000-step livelock drew %zu lines", lines);
  assert_non_null(strstr(r.trace, "BUG: step limit exceeded")); /* the bug is always drawn */
  hd_result_free(&r);
  o.trace_steps = 0;
  r = explore("spin_forever", spin_forever, &o);
  assert_true(count_lines(r.trace) > 100000);
  assert_null(strstr(r.trace, "folded"));
  hd_result_free(&r);
}

static void test_scheduler_reports_step_limit_as_possible_livelock(void **state) {
  (void)state;
  hd_options o = defaults();
  o.step_limit = 500;
  hd_result r = explore("spin_forever", spin_forever, &o);
  assert_true(r.bug_found);
  assert_int_equal(r.kind, HD_BUG_LIVELOCK);
  assert_non_null(strstr(r.message, "possible livelock or spin loop"));
  assert_non_null(strstr(r.message, "500"));
  assert_int_equal(r.steps, 500);
  hd_result_free(&r);
}

/* ---- misuse and assertions ---- */

static hd_lock unlocked;

static void release_unlocked(void *arg) {
  (void)arg;
  hd_lock_init(&unlocked, "never_taken");
  hd_lock_release(&unlocked);
}

static void test_scheduler_reports_misuse_with_its_location(void **state) {
  (void)state;
  hd_options o = defaults();
  hd_result r = explore("release_unlocked", release_unlocked, &o);
  assert_true(r.bug_found);
  assert_int_equal(r.kind, HD_BUG_MISUSE);
  assert_non_null(strstr(r.message, "release unlocked lock"));
  assert_non_null(strstr(r.message, "scheduler_test.c"));
  assert_string_equal(r.file, "tests/scheduler_test.c");
  hd_result_free(&r);
}

static hd_lock stale;

static void use_stale_object(void *arg) {
  (void)arg;
  hd_lock_acquire(&stale);
}

static void test_scheduler_reports_object_initialised_outside_the_execution(void **state) {
  (void)state;
  hd_lock_init(&stale, "stale");
  hd_options o = defaults();
  hd_result r = explore("use_stale_object", use_stale_object, &o);
  assert_true(r.bug_found);
  assert_int_equal(r.kind, HD_BUG_MISUSE);
  assert_non_null(strstr(r.message, "not initialised in this execution"));
  /* The text form says where, as every misuse report does. */
  assert_non_null(strstr(r.message, "misuse in MainThread at tests/scheduler_test.c:"));
  hd_result_free(&r);
}

/* is_alive() is not a switch point, yet a thread of an earlier execution is
 * still not this run's thread: misuse, not a silent false. */
static hd_thread earlier_thread;
static void record_earlier(void *arg) {
  (void)arg;
  hd_thread_init(&earlier_thread, NULL, NULL, "earlier");
}
static void ask_earlier_is_alive(void *arg) {
  (void)arg;
  (void)hd_thread_is_alive(&earlier_thread);
}

static void test_scheduler_is_alive_of_a_thread_from_an_earlier_execution_is_misuse(void **state) {
  (void)state;
  hd_options o = defaults();
  o.executions = 1;
  hd_result first = explore("record_earlier", record_earlier, &o);
  assert_false(first.bug_found);
  hd_result_free(&first);
  hd_result r = explore("ask_earlier_is_alive", ask_earlier_is_alive, &o);
  assert_true(r.bug_found);
  assert_int_equal(r.kind, HD_BUG_MISUSE);
  assert_non_null(strstr(r.message, "Thread earlier was not initialised in this execution"));
  assert_non_null(strstr(r.message, "tests/scheduler_test.c:"));
  hd_result_free(&r);
}

static hd_thread asserter;

static void fail_in_thread(void *arg) {
  (void)arg;
  HD_ASSERT(1 + 1 == 3, "arithmetic is broken in %s", hd_current_name());
}

static void assertion_in_thread(void *arg) {
  (void)arg;
  hd_thread_init(&asserter, fail_in_thread, NULL, "checker");
  hd_thread_start(&asserter);
  hd_thread_join(&asserter, HD_FOREVER);
}

static void test_scheduler_reports_assertion_in_any_thread(void **state) {
  (void)state;
  hd_options o = defaults();
  hd_result r = explore("assertion_in_thread", assertion_in_thread, &o);
  assert_true(r.bug_found);
  assert_int_equal(r.kind, HD_BUG_ASSERTION);
  assert_non_null(strstr(r.message, "in checker at tests/scheduler_test.c:"));
  assert_non_null(strstr(r.message, "arithmetic is broken in checker"));
  hd_result_free(&r);
}

/* ---- thread limit ---- */

/* One more than fits: the main thread takes a slot too, so HD_MAX_THREADS - 1
 * start and the other 7 fail. */
#define TOO_MANY (HD_MAX_THREADS + 6)
static hd_thread many[TOO_MANY];
static hd_shared start_errors;

static void nothing(void *arg) { (void)arg; }

static void too_many_threads(void *arg) {
  (void)arg;
  hd_shared_init(&start_errors, "start_errors", 0);
  int started = 0;
  for (int i = 0; i < TOO_MANY; i++) {
    hd_thread_init(&many[i], nothing, NULL, NULL);
    if (hd_thread_start(&many[i]) == HD_OK) started++;
    else hd_store(&start_errors, hd_load(&start_errors) + 1);
  }
  for (int i = 0; i < started; i++) hd_thread_join(&many[i], HD_FOREVER);
  HD_ASSERT(started == HD_MAX_THREADS - 1, "%d threads besides main start, got %d", HD_MAX_THREADS - 1, started);
  HD_ASSERT(hd_load(&start_errors) == 7, "the rest fail with HD_ENOMEM");
}

static void test_scheduler_refuses_threads_beyond_its_limit(void **state) {
  (void)state;
  hd_options o = defaults();
  o.executions = 3;
  o.detect_races = false;
  hd_result r = explore("too_many_threads", too_many_threads, &o);
  if (r.bug_found) fail_msg("%s", r.message);
  hd_result_free(&r);
}

/* ---- determinism and replay ---- */

#define MAX_RECORDED 64
static hd_thread racers[3];
static hd_shared racy;
static char orders[MAX_RECORDED][16];
static int recorded;

static void racer(void *arg) {
  long id = (long)arg;
  for (int i = 0; i < 2; i++) {
    int64_t v = hd_load(&racy);
    hd_store(&racy, v * 4 + id);
  }
  (void)hd_random_below(3);
}

static void record_interleaving(void *arg) {
  (void)arg;
  hd_shared_init(&racy, "racy", 0);
  for (long i = 0; i < 3; i++) {
    hd_thread_init(&racers[i], racer, (void *)(i + 1), NULL);
    hd_thread_start(&racers[i]);
  }
  for (int i = 0; i < 3; i++) hd_thread_join(&racers[i], HD_FOREVER);
  if (recorded < MAX_RECORDED) snprintf(orders[recorded++], sizeof orders[0], "%lld", (long long)hd_load(&racy));
}

static void run_recorded(uint64_t seed, char out[MAX_RECORDED][16]) {
  hd_options o = defaults();
  o.seed = seed;
  o.executions = MAX_RECORDED;
  o.detect_races = false;
  recorded = 0;
  hd_result r = explore("record_interleaving", record_interleaving, &o);
  assert_false(r.bug_found);
  assert_int_equal(recorded, MAX_RECORDED);
  memcpy(out, orders, sizeof orders);
  hd_result_free(&r);
}

static void test_scheduler_same_seed_gives_same_executions(void **state) {
  (void)state;
  static char first[MAX_RECORDED][16], second[MAX_RECORDED][16], other[MAX_RECORDED][16];
  run_recorded(42, first);
  run_recorded(42, second);
  run_recorded(43, other);
  assert_memory_equal(first, second, sizeof first);
  assert_memory_not_equal(first, other, sizeof first);
  /* The executions really differ from each other. */
  int distinct = 0;
  for (int i = 1; i < MAX_RECORDED; i++) distinct += strcmp(first[i], first[0]) != 0;
  assert_true(distinct > 0);
}

static void lost_increment(void *arg) {
  (void)arg;
  hd_shared_init(&racy, "racy", 0);
  for (long i = 0; i < 2; i++) {
    hd_thread_init(&racers[i], racer, (void *)(i + 1), NULL);
    hd_thread_start(&racers[i]);
  }
  for (int i = 0; i < 2; i++) hd_thread_join(&racers[i], HD_FOREVER);
  int64_t v = hd_load(&racy);
  /* Without a lost write, both threads' four stores survive in base 4. */
  HD_ASSERT(v >= 4 * 4 * 4, "a store was lost: racy = %lld", (long long)v);
}

static void test_scheduler_replay_token_reproduces_bug_and_trace_byte_for_byte(void **state) {
  (void)state;
  hd_options o = defaults();
  o.executions = 1000;
  o.detect_races = false;
  hd_result found = explore("lost_increment", lost_increment, &o);
  assert_true(found.bug_found);
  assert_int_equal(found.kind, HD_BUG_ASSERTION);
  assert_non_null(found.token);
  assert_non_null(found.trace);

  hd_options replay = defaults();
  replay.strategy = "replay";
  replay.token = found.token;
  replay.detect_races = false;
  for (int round = 0; round < 2; round++) {
    hd_result again = explore("lost_increment", lost_increment, &replay);
    assert_true(again.bug_found);
    assert_int_equal(again.kind, found.kind);
    assert_string_equal(again.message, found.message);
    assert_string_equal(again.trace, found.trace);
    assert_string_equal(again.token, found.token);
    hd_result_free(&again);
  }
  hd_result_free(&found);
}

static void expect_bad_token(const char *token, const char *reason) {
  hd_options o = defaults();
  o.strategy = "replay";
  o.token = token;
  hd_test t = {.name = "lost_increment", .body = lost_increment};
  hd_result r;
  assert_int_equal(hd_explore(&t, &o, &r), HD_EXPLORE_BAD_INPUT);
  if (!strstr(r.error, reason)) fail_msg("token '%s': expected '%s' in '%s'", token, reason, r.error);
  hd_result_free(&r);
}

static void test_scheduler_rejects_malformed_tokens_with_a_reason(void **state) {
  (void)state;
  hd_options o = defaults();
  o.detect_races = false;
  hd_result found = explore("lost_increment", lost_increment, &o);
  assert_true(found.bug_found);
  char truncated[512];
  snprintf(truncated, sizeof truncated, "%s", found.token);
  truncated[strlen(truncated) - 3] = '\0';
  expect_bad_token(truncated, "checksum");
  char mistyped[512];
  snprintf(mistyped, sizeof mistyped, "%s", found.token);
  char *schedule = strchr(mistyped + 4, ':') + 1;
  *schedule = *schedule == '1' ? '2' : '1';
  expect_bad_token(mistyped, "checksum mismatch");
  expect_bad_token("", "must start with 'hd2:'");
  expect_bad_token("hd3:lost_increment:01:00000000", "unsupported token version");
  expect_bad_token("hd1:lost_increment", "missing fields");
  expect_bad_token("hd1:lost_increment:0!1:00000000", "checksum");
  hd_result_free(&found);
}

/* FNV-1a 32, the token's checksum, so a test can forge a token whose
 * checksum holds while its schedule is malformed. */
static unsigned fnv1a(const char *s, size_t n) {
  unsigned h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

static void test_scheduler_malformed_token_with_a_good_checksum_leaves_nothing_allocated(void **state) {
  (void)state;
  /* Two good choices, then a value field that never closes. */
  const char *body = "hd1:lost_increment:01.zz";
  char token[128];
  snprintf(token, sizeof token, "%s:%08x", body, fnv1a(body, strlen(body)));
  char *scenario = (char *)1;
  hd_schedule s = {0};
  const char *why = hd_token_decode(token, &scenario, NULL, &s);
  assert_non_null(why);
  assert_non_null(strstr(why, "bad value field"));
  assert_null(scenario);
  assert_null(s.items); /* the two choices decoded before the error were freed */
  assert_int_equal(s.cap, 0);
  expect_bad_token(token, "bad value field");
}

static void test_scheduler_rejects_token_of_another_test(void **state) {
  (void)state;
  hd_options o = defaults();
  o.detect_races = false;
  hd_result found = explore("lost_increment", lost_increment, &o);
  assert_true(found.bug_found);
  hd_options replay = defaults();
  replay.strategy = "replay";
  replay.token = found.token;
  hd_test other = {.name = "two_sleepers", .body = two_sleepers};
  hd_result r;
  assert_int_equal(hd_explore(&other, &replay, &r), HD_EXPLORE_BAD_INPUT);
  assert_non_null(strstr(r.error, "the token is for 'lost_increment', not 'two_sleepers'"));
  hd_result_free(&r);
  hd_result_free(&found);
}

static void test_scheduler_rejects_unknown_strategy_and_absurd_counts(void **state) {
  (void)state;
  hd_test t = {.name = "two_sleepers", .body = two_sleepers};
  hd_result r;
  hd_options o = defaults();
  o.strategy = "clairvoyant";
  assert_int_equal(hd_explore(&t, &o, &r), HD_EXPLORE_BAD_INPUT);
  assert_non_null(strstr(r.error, "unknown strategy 'clairvoyant'"));
  o = defaults();
  o.executions = 0;
  assert_int_equal(hd_explore(&t, &o, &r), HD_EXPLORE_BAD_INPUT);
  o = defaults();
  o.step_limit = HD_MAX_STEP_LIMIT + 1;
  assert_int_equal(hd_explore(&t, &o, &r), HD_EXPLORE_BAD_INPUT);
  hd_test spaced = {.name = "has a space", .body = two_sleepers};
  assert_int_equal(hd_explore(&spaced, &o, &r), HD_EXPLORE_BAD_INPUT);
  assert_non_null(strstr(r.error, "test names must be"));
  hd_test colon = {.name = "a:b", .body = two_sleepers};
  assert_int_equal(hd_explore(&colon, &o, &r), HD_EXPLORE_BAD_INPUT);
  uint64_t v;
  assert_false(hd_parse_count("-1", 0, 10, &v));
  assert_false(hd_parse_count("12abc", 0, 100, &v));
  assert_false(hd_parse_count("99999999999999999999999", 0, UINT64_MAX, &v));
  assert_true(hd_parse_count("10", 0, 10, &v) && v == 10);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_scheduler_virtual_time_wakes_sleepers_in_deadline_order),
      cmocka_unit_test(test_scheduler_reports_lock_order_inversion_with_its_cycle),
      cmocka_unit_test(test_scheduler_reports_step_limit_as_possible_livelock),
      cmocka_unit_test(test_scheduler_long_livelock_trace_is_folded),
      cmocka_unit_test(test_scheduler_reports_misuse_with_its_location),
      cmocka_unit_test(test_scheduler_reports_object_initialised_outside_the_execution),
      cmocka_unit_test(test_scheduler_is_alive_of_a_thread_from_an_earlier_execution_is_misuse),
      cmocka_unit_test(test_scheduler_reports_assertion_in_any_thread),
      cmocka_unit_test(test_scheduler_refuses_threads_beyond_its_limit),
      cmocka_unit_test(test_scheduler_same_seed_gives_same_executions),
      cmocka_unit_test(test_scheduler_replay_token_reproduces_bug_and_trace_byte_for_byte),
      cmocka_unit_test(test_scheduler_rejects_malformed_tokens_with_a_reason),
      cmocka_unit_test(test_scheduler_malformed_token_with_a_good_checksum_leaves_nothing_allocated),
      cmocka_unit_test(test_scheduler_rejects_token_of_another_test),
      cmocka_unit_test(test_scheduler_rejects_unknown_strategy_and_absurd_counts),
  };
  return cmocka_run_group_tests_name("scheduler", tests, NULL, NULL);
}

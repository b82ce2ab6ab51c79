/* Deadlock reports name the root cause: a producer stuck on a full queue
 * with no consumer left is the thread the report leads with, with its `why`
 * ("put: queue full"), and the picture marks its wait as stuck. Uses the
 * tutorial's scenario; skipped while the Queue scenario is not registered.
 * Deterministic backend only (drives hd_explore). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness/explore.h"
#include "harness/report/report.h"
#include "scenarios/scenario.h"

static void test_deadlock_producer_stuck_on_full_queue_with_no_consumer_left_is_named(void **state) {
  (void)state;
  const hd_scenario *s = hd_scenario_find("prodcon_queue_event_consumer_exits_early");
  if (!s) skip();
  hd_test t = {.name = s->name, .body = s->body, .check = s->check};
  int deadlocks = 0;
  for (uint64_t seed = 1; seed <= 10; seed++) {
    hd_options o;
    hd_options_default(&o);
    o.seed = seed;
    o.executions = s->find_within;
    hd_result r;
    assert_int_equal(hd_explore(&t, &o, &r), HD_EXPLORE_RAN);
    assert_true(r.bug_found);
    if (r.kind != HD_BUG_DEADLOCK) { /* the scenario may also fail its final assertion first */
      hd_result_free(&r);
      continue;
    }
    deadlocks++;
    /* The headline names the producer, its wait and why it never ends. */
    if (!strstr(r.message, "producer waits on Queue 'pipeline' (put: queue full") ||
        !strstr(r.message, ", and no thread is left to change it (") || !strstr(r.message, "consumer finished"))
      fail_msg("seed %llu: the report does not name the stuck producer:\n%s\n%s", (unsigned long long)seed,
               r.message, r.details);
    /* Every blocked thread with its object and holder. */
    assert_non_null(strstr(r.details, "  MainThread waits on Thread 'producer' (join at "));
    assert_non_null(strstr(r.details, "), held by producer\n"));
    assert_non_null(strstr(r.details, "  producer waits on Queue 'pipeline' (put: queue full"));
    /* The picture marks both never-ending waits. */
    assert_non_null(strstr(r.trace, "blocks on Queue 'pipeline'"));
    int stuck = 0;
    for (const char *p = strstr(r.trace, "<< stuck"); p; p = strstr(p + 1, "<< stuck")) stuck++;
    assert_int_equal(stuck, 2 + 1); /* and the legend's */
    hd_result_free(&r);
  }
  print_message("%d of 10 seeds ended in the stuck-producer deadlock\n", deadlocks);
  assert_true(deadlocks >= 1);
}

static void test_deadlock_self_deadlock_still_leads_with_the_cycle(void **state) {
  (void)state;
  const hd_scenario *s = hd_scenario_find("double_acquire");
  assert_non_null(s);
  hd_test t = {.name = s->name, .body = s->body, .check = s->check};
  hd_options o;
  hd_options_default(&o);
  hd_result r;
  assert_int_equal(hd_explore(&t, &o, &r), HD_EXPLORE_RAN);
  assert_int_equal(r.kind, HD_BUG_DEADLOCK);
  assert_non_null(strstr(r.message, "MainThread waits on Lock 'l' (acquire at scenarios/double_acquire.c:"));
  assert_non_null(strstr(r.message, "held by itself"));
  assert_null(strstr(r.message, "no thread is left")); /* a holder exists: it is a cycle, not an orphaned wait */
  hd_result_free(&r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_deadlock_producer_stuck_on_full_queue_with_no_consumer_left_is_named),
      cmocka_unit_test(test_deadlock_self_deadlock_still_leads_with_the_cycle),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

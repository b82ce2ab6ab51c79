/* A cmocka test binary whose first test's body calls exit(0) in some
 * schedules and also has a lost update: under heddle the test must fail with
 * a replayable `exit` report, never pass, and the second test must still
 * run. Run by cmocka_exit_test.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

#include "harness/cmocka/heddle_cmocka.h"
#include "primitives/heddle.h"

static hd_shared counter;
static hd_thread workers[2];

static void increment(void *arg) {
  (void)arg;
  int64_t v = hd_load(&counter);
  hd_store(&counter, v + 1);
}

static void body(void *arg) {
  (void)arg;
  hd_shared_init(&counter, "counter", 0);
  for (int i = 0; i < 2; i++) {
    hd_thread_init(&workers[i], increment, NULL, NULL);
    hd_thread_start(&workers[i]);
  }
  /* The "early success" path some programs have: leave as soon as one worker is done. */
  if (hd_load(&counter) == 1) exit(0);
  for (int i = 0; i < 2; i++) hd_thread_join(&workers[i], HD_FOREVER);
  HD_ASSERT(hd_load(&counter) == 2, "lost update: counter is %lld", (long long)hd_load(&counter));
}

static void test_exit_in_body_fails(void **state) {
  (void)state;
  hd_test t = {.name = "exits_early", .body = body};
  hd_options o;
  hd_options_default(&o);
  o.detect_races = false;
  hd_cmocka_expect_no_bug(&t, &o);
}

static void test_next_test_still_runs(void **state) {
  (void)state;
  assert_true(1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_exit_in_body_fails),
      cmocka_unit_test(test_next_test_still_runs),
  };
  return cmocka_run_group_tests_name("cmocka exit", tests, NULL, NULL);
}

/* Bazel sharding of a no-bug exploration (locked_counter_3, its check
 * counting executions): with shard_count = 4 each shard
 * explores its share (hd_cmocka_expect_no_bug reads TEST_TOTAL_SHARDS and
 * TEST_SHARD_INDEX and touches TEST_SHARD_STATUS_FILE). That the shares'
 * union is one run's exploration is checked in-process by parallel_test;
 * here each shard checks it ran a share and told Bazel so. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness/cmocka/heddle_cmocka.h"
#include "primitives/heddle.h"
#include "tests/support/scenario_run.h"

static void (*scenario_check)(void *); /* locked_counter_3's own check: the counter is 3 */
static int runs;

/* locked_counter_3's check, counting the executions this process ran. */
static void counting_check(void *arg) {
  runs++;
  scenario_check(arg);
}

static void test_sharded_locked_counter_explores_its_share(void **state) {
  (void)state;
  hd_test t = hd_scenario_test("locked_counter_3");
  scenario_check = t.check;
  t.check = counting_check;
  hd_options o;
  hd_options_default(&o);
  o.isolate = false; /* the test reads what the body left in its globals */
  o.strategy = "dfs";
  runs = 0;
  hd_cmocka_expect_no_bug(&t, &o);
  const char *total = getenv("TEST_TOTAL_SHARDS");
  const char *status = getenv("TEST_SHARD_STATUS_FILE");
  if (total && atoi(total) > 1) {
    /* A share: at most the 6 executions of the whole tree (a share that
     * owns no branch still walks once to the split point). */
    assert_true(runs >= 1 && runs <= 6);
    if (status) assert_int_equal(access(status, F_OK), 0);
  } else {
    assert_int_equal(runs, 6);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sharded_locked_counter_explores_its_share),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

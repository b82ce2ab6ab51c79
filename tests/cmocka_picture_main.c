/* A cmocka test that fails on purpose (a racy counter expected to have no
 * bug), for tests/cmocka_picture_test.sh: its failure output must carry the
 * report, the replay command and the path of the HTML picture. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "harness/cmocka/heddle_cmocka.h"
#include "primitives/heddle.h"

static hd_shared value;
static hd_thread workers[2];

static void unlocked_increment(void *arg) {
  (void)arg;
  int64_t v = hd_load(&value);
  hd_store(&value, v + 1);
}

static void racy_body(void *arg) {
  (void)arg;
  hd_shared_init(&value, "value", 0);
  for (int i = 0; i < 2; i++) {
    hd_thread_init(&workers[i], unlocked_increment, NULL, NULL);
    hd_thread_start(&workers[i]);
  }
  for (int i = 0; i < 2; i++) hd_thread_join(&workers[i], HD_FOREVER);
}

static void test_racy_counter_has_no_bug(void **state) {
  (void)state;
  hd_test t = {.name = "racy_counter", .body = racy_body};
  hd_cmocka_expect_no_bug(&t, NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_racy_counter_has_no_bug)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The buggy buffer (`if` around the wait) under heddle: exploring finds the
 * consumer that takes from an empty buffer, every time, with a token that
 * replays it. A teaching test: it passes because the bug is found. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "bounded_buffer/bounded_buffer.h"
#include "harness/cmocka/heddle_cmocka.h"
#include "primitives/heddle.h"

static bounded_buffer buffer;
static hd_thread producer, consumers[2];

static void produce(void *arg) {
  (void)arg;
  for (int64_t i = 1; i <= 2; i++) bounded_buffer_put(&buffer, i);
}

static void consume(void *arg) {
  (void)arg;
  bounded_buffer_get(&buffer);
}

static void two_consumers(void *arg) {
  (void)arg;
  bounded_buffer_init(&buffer);
  for (int c = 0; c < 2; c++) {
    hd_thread_init(&consumers[c], consume, NULL, c == 0 ? "consumer_a" : "consumer_b");
    hd_thread_start(&consumers[c]);
  }
  hd_thread_init(&producer, produce, NULL, "producer");
  hd_thread_start(&producer);
  hd_thread_join(&producer, HD_FOREVER);
  for (int c = 0; c < 2; c++) hd_thread_join(&consumers[c], HD_FOREVER);
}

static void test_bounded_buffer_with_if_takes_from_an_empty_buffer(void **state) {
  (void)state;
  hd_test t = {.name = "bounded_buffer_buggy", .body = two_consumers};
  hd_cmocka_expect_bug(&t, NULL, HD_BUG_ASSERTION, NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_bounded_buffer_with_if_takes_from_an_empty_buffer),
  };
  return cmocka_run_group_tests_name("bounded buffer (buggy)", tests, NULL, NULL);
}

/* The bounded buffer's tests, built once per backend by heddle_test():
 * under heddle's scheduler they explore interleavings (two consumers racing
 * for each item), on real pthreads they run once for ThreadSanitizer. The
 * same file tests the correct buffer (bounded_buffer.c) and, linked with
 * bounded_buffer_buggy.c, shows its bug (see BUILD). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "bounded_buffer/bounded_buffer.h"
#include "primitives/heddle.h"
#include "tests/support/both.h"

enum { ITEMS = 4, CONSUMERS = 2 };

static bounded_buffer buffer;
static hd_thread producer, consumers[CONSUMERS];
static int64_t taken[CONSUMERS];

static void produce(void *arg) {
  (void)arg;
  for (int64_t i = 1; i <= ITEMS; i++) bounded_buffer_put(&buffer, i);
}

static void consume(void *arg) {
  int64_t *sum = arg;
  for (int i = 0; i < ITEMS / CONSUMERS; i++) *sum += bounded_buffer_get(&buffer);
}

/* One producer, two consumers: every item arrives exactly once. */
static void every_item_once(void *arg) {
  (void)arg;
  bounded_buffer_init(&buffer);
  hd_thread_init(&producer, produce, NULL, "producer");
  hd_thread_start(&producer);
  for (int c = 0; c < CONSUMERS; c++) {
    taken[c] = 0;
    hd_thread_init(&consumers[c], consume, &taken[c], c == 0 ? "consumer_a" : "consumer_b");
    hd_thread_start(&consumers[c]);
  }
  hd_thread_join(&producer, HD_FOREVER);
  for (int c = 0; c < CONSUMERS; c++) hd_thread_join(&consumers[c], HD_FOREVER);
  HD_ASSERT(taken[0] + taken[1] == ITEMS * (ITEMS + 1) / 2, "items lost or duplicated: the consumers got %lld",
            (long long)(taken[0] + taken[1]));
}

static void test_bounded_buffer_delivers_every_item_once(void **state) {
  (void)state;
  hd_both_run("bounded_buffer_every_item_once", every_item_once, NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_bounded_buffer_delivers_every_item_once),
  };
  return cmocka_run_group_tests_name("bounded buffer", tests, NULL, NULL);
}

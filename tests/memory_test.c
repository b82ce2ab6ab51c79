/* Executions leak nothing: memory a primitive allocated is reclaimed when
 * its execution ends, even when a bug cut the execution short before the
 * body could destroy it. */
#include <malloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "harness/explore.h"
#include "primitives/heddle.h"
#include "primitives/queue.h"

enum { RUNS = 2000, QUEUE_SIZE = 4096 };

static hd_queue queue;

/* Allocates a 64 KiB ring, then fails before hd_queue_destroy. */
static void fail_with_queue_alive(void *arg) {
  (void)arg;
  HD_ASSERT(hd_queue_init(&queue, HD_QUEUE_FIFO, QUEUE_SIZE, "q") == HD_OK, "init");
  hd_queue_put(&queue, 1);
  HD_ASSERT(hd_queue_qsize(&queue) == 0, "a deliberate failure with the queue still alive");
}

/* Grows an unbounded queue and returns without destroying it. */
static void pass_without_destroy(void *arg) {
  (void)arg;
  hd_queue_init(&queue, HD_QUEUE_LIFO, 0, "unbounded");
  for (int i = 0; i < 100; i++) hd_queue_put(&queue, i);
}

static size_t heap_in_use(void) { return mallinfo2().uordblks; }

static void run_many(void (*body)(void *), bool expect_bug) {
  hd_test t = {.name = "memory", .body = body};
  hd_options o;
  hd_options_default(&o);
  o.executions = 1;
  o.shrink = false;
  o.isolate = false; /* the growth measured is this process's own */
  for (int i = 0; i < RUNS; i++) {
    o.seed = (uint64_t)i;
    hd_result r;
    assert_int_equal(hd_explore(&t, &o, &r), HD_EXPLORE_RAN);
    assert_int_equal(r.bug_found, expect_bug);
    hd_result_free(&r);
  }
}

static void test_memory_a_bug_ended_execution_leaks_nothing(void **state) {
  (void)state;
  run_many(fail_with_queue_alive, true); /* warm up pools and caches */
  size_t before = heap_in_use();
  run_many(fail_with_queue_alive, true);
  size_t after = heap_in_use();
  /* Leaking the ring would cost RUNS * 64 KiB = 125 MiB. */
  if (after > before + 256 * 1024) fail_msg("heap grew from %zu to %zu bytes over %d executions", before, after, RUNS);
}

static void test_memory_objects_never_destroyed_are_reclaimed(void **state) {
  (void)state;
  run_many(pass_without_destroy, false);
  size_t before = heap_in_use();
  run_many(pass_without_destroy, false);
  size_t after = heap_in_use();
  if (after > before + 256 * 1024) fail_msg("heap grew from %zu to %zu bytes over %d executions", before, after, RUNS);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_memory_a_bug_ended_execution_leaks_nothing),
      cmocka_unit_test(test_memory_objects_never_destroyed_are_reclaimed),
  };
  return cmocka_run_group_tests_name("memory", tests, NULL, NULL);
}

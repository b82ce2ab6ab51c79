/* Queue: Python's queue.Queue, LifoQueue and PriorityQueue semantics (3.13,
 * with shutdown) on both backends: order, bounds, every Full/Empty path with
 * and without timeouts, task_done/join, shutdown graceful and immediate. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "primitives/heddle.h"
#include "tests/support/both.h"

static hd_queue q;
static hd_thread threads[3];
static hd_shared seen;

/* One cmocka test per body: test_queue_<body>. */
#define BOTH(body)                             \
  static void test_queue_##body(void **state) { \
    (void)state;                               \
    hd_both_run("queue_" #body, body, NULL);   \
  }

static void init_queue(hd_queue_kind kind, size_t maxsize) {
  hd_err err = hd_queue_init(&q, kind, maxsize, "q");
  HD_ASSERT(err == HD_OK, "init: %s", hd_err_name(err));
}

static int64_t get_now(void) {
  int64_t item = -1;
  hd_err err = hd_queue_get_nowait(&q, &item);
  HD_ASSERT(err == HD_OK, "get_nowait: %s", hd_err_name(err));
  return item;
}

static void fifo_order_and_size(void *arg) {
  (void)arg;
  init_queue(HD_QUEUE_FIFO, 0);
  HD_ASSERT(hd_queue_empty(&q) && hd_queue_qsize(&q) == 0, "a new queue is empty");
  HD_ASSERT(!hd_queue_full(&q), "an unbounded queue is never full");
  for (int64_t i = 1; i <= 3; i++) HD_ASSERT(hd_queue_put(&q, i) == HD_OK, "put %lld", (long long)i);
  HD_ASSERT(hd_queue_qsize(&q) == 3 && !hd_queue_empty(&q), "qsize 3 after three puts");
  for (int64_t i = 1; i <= 3; i++) HD_ASSERT(get_now() == i, "FIFO order");
  HD_ASSERT(hd_queue_empty(&q), "empty again");
  hd_queue_destroy(&q);
}
BOTH(fifo_order_and_size)

static void lifo_order(void *arg) {
  (void)arg;
  init_queue(HD_QUEUE_LIFO, 0);
  for (int64_t i = 1; i <= 3; i++) hd_queue_put(&q, i);
  for (int64_t i = 3; i >= 1; i--) HD_ASSERT(get_now() == i, "LIFO order");
  hd_queue_destroy(&q);
}
BOTH(lifo_order)

static void priority_order_with_fifo_ties(void *arg) {
  (void)arg;
  init_queue(HD_QUEUE_PRIORITY, 0);
  int64_t items[] = {5, 1, 4, 1, 3, 9, 2};
  for (size_t i = 0; i < 7; i++) hd_queue_put(&q, items[i]);
  int64_t expect[] = {1, 1, 2, 3, 4, 5, 9};
  for (size_t i = 0; i < 7; i++) HD_ASSERT(get_now() == expect[i], "smallest item first (%zu)", i);
  /* (priority, data) pairs: equal priorities keep put order. */
  hd_queue_put_priority(&q, 2, 100, true, HD_FOREVER);
  hd_queue_put_priority(&q, 1, 200, true, HD_FOREVER);
  hd_queue_put_priority(&q, 2, 300, true, HD_FOREVER);
  hd_queue_put_priority(&q, 1, 400, true, HD_FOREVER);
  int64_t want_item[] = {200, 400, 100, 300}, want_prio[] = {1, 1, 2, 2};
  for (size_t i = 0; i < 4; i++) {
    int64_t prio = -1, item = -1;
    hd_err err = hd_queue_get_priority(&q, &prio, &item, false, HD_FOREVER);
    HD_ASSERT(err == HD_OK && prio == want_prio[i] && item == want_item[i],
              "entry %zu: (%lld, %lld), expected (%lld, %lld)", i, (long long)prio, (long long)item,
              (long long)want_prio[i], (long long)want_item[i]);
  }
  hd_queue_destroy(&q);
}
BOTH(priority_order_with_fifo_ties)

static void unbounded_queue_grows_keeping_order(void *arg) {
  (void)arg;
  init_queue(HD_QUEUE_FIFO, 0);
  /* Wrap the ring before it grows so growth must unroll it. */
  for (int64_t i = 0; i < 10; i++) hd_queue_put_nowait(&q, i);
  for (int64_t i = 0; i < 6; i++) HD_ASSERT(get_now() == i, "first gets in order");
  for (int64_t i = 10; i < 60; i++) HD_ASSERT(hd_queue_put_nowait(&q, i) == HD_OK, "unbounded put never fails");
  HD_ASSERT(hd_queue_qsize(&q) == 54, "qsize %zu, expected 54", hd_queue_qsize(&q));
  for (int64_t i = 6; i < 60; i++) HD_ASSERT(get_now() == i, "order kept across growth");
  hd_queue_destroy(&q);
  init_queue(HD_QUEUE_PRIORITY, 0);
  for (int64_t i = 40; i > 0; i--) hd_queue_put_nowait(&q, i);
  for (int64_t i = 1; i <= 40; i++) HD_ASSERT(get_now() == i, "heap order kept across growth");
  hd_queue_destroy(&q);
}
BOTH(unbounded_queue_grows_keeping_order)

static void full_queue_put_fails_nowait_and_on_timeout(void *arg) {
  (void)arg;
  init_queue(HD_QUEUE_FIFO, 2);
  hd_queue_put(&q, 1);
  HD_ASSERT(!hd_queue_full(&q), "1/2 is not full");
  hd_queue_put(&q, 2);
  HD_ASSERT(hd_queue_full(&q), "2/2 is full");
  hd_err err = hd_queue_put_nowait(&q, 3);
  HD_ASSERT(err == HD_EFULL, "put_nowait on a full queue: HD_EFULL, got %s", hd_err_name(err));
  err = hd_queue_put_timed(&q, 3, false, HD_FOREVER);
  HD_ASSERT(err == HD_EFULL, "put(block=False) on a full queue: HD_EFULL, got %s", hd_err_name(err));
  double before = hd_monotonic();
  err = hd_queue_put_timed(&q, 3, true, 0.01);
  double waited = hd_monotonic() - before;
  HD_ASSERT(err == HD_EFULL, "a timed-out put is HD_EFULL (Python's Full), got %s", hd_err_name(err));
  HD_ASSERT(waited >= 0.01, "the timed put returned after %g s, before its timeout", waited);
  err = hd_queue_put_timed(&q, 3, true, 0);
  HD_ASSERT(err == HD_EFULL, "put(timeout=0) on a full queue: HD_EFULL, got %s", hd_err_name(err));
  HD_ASSERT(hd_queue_qsize(&q) == 2, "failed puts add nothing");
  HD_ASSERT(get_now() == 1 && get_now() == 2, "the queued items are intact");
  hd_queue_destroy(&q);
}
BOTH(full_queue_put_fails_nowait_and_on_timeout)

static void empty_queue_get_fails_nowait_and_on_timeout(void *arg) {
  (void)arg;
  init_queue(HD_QUEUE_FIFO, 0);
  int64_t item = 42;
  hd_err err = hd_queue_get_nowait(&q, &item);
  HD_ASSERT(err == HD_EEMPTY, "get_nowait on an empty queue: HD_EEMPTY, got %s", hd_err_name(err));
  HD_ASSERT(item == 42, "a failed get leaves the output alone");
  double before = hd_monotonic();
  err = hd_queue_get_timed(&q, &item, true, 0.01);
  double waited = hd_monotonic() - before;
  HD_ASSERT(err == HD_EEMPTY, "a timed-out get is HD_EEMPTY (Python's Empty), got %s", hd_err_name(err));
  HD_ASSERT(waited >= 0.01, "the timed get returned after %g s, before its timeout", waited);
  err = hd_queue_get_timed(&q, &item, true, 0);
  HD_ASSERT(err == HD_EEMPTY, "get(timeout=0) on an empty queue: HD_EEMPTY, got %s", hd_err_name(err));
  hd_queue_destroy(&q);
}
BOTH(empty_queue_get_fails_nowait_and_on_timeout)

static void negative_timeout_is_value_error(void *arg) {
  (void)arg;
  init_queue(HD_QUEUE_FIFO, 1);
  hd_err err = hd_queue_put_timed(&q, 1, true, -2.0);
  HD_ASSERT(err == HD_EINVAL, "put with a negative timeout on a bounded queue: HD_EINVAL, got %s", hd_err_name(err));
  int64_t item;
  err = hd_queue_get_timed(&q, &item, true, -0.5);
  HD_ASSERT(err == HD_EINVAL, "get with a negative timeout: HD_EINVAL, got %s", hd_err_name(err));
  HD_ASSERT(hd_queue_qsize(&q) == 0, "nothing was put");
  hd_queue_destroy(&q);
  /* Python checks put's timeout only on a bounded queue. */
  init_queue(HD_QUEUE_FIFO, 0);
  err = hd_queue_put_timed(&q, 1, true, -2.0);
  HD_ASSERT(err == HD_OK, "put on an unbounded queue ignores the timeout, got %s", hd_err_name(err));
  hd_queue_destroy(&q);
}
BOTH(negative_timeout_is_value_error)

static void init_reports_out_of_memory(void *arg) {
  (void)arg;
  hd_err err = hd_queue_init(&q, HD_QUEUE_FIFO, SIZE_MAX / 4, "huge");
  HD_ASSERT(err == HD_ENOMEM, "a ring that cannot be allocated: HD_ENOMEM, got %s", hd_err_name(err));
  hd_queue_destroy(&q);
}
BOTH(init_reports_out_of_memory)

static void get_one_into_seen(void *arg) {
  (void)arg;
  int64_t item = -1;
  hd_err err = hd_queue_get(&q, &item);
  HD_ASSERT(err == HD_OK, "get: %s", hd_err_name(err));
  hd_store(&seen, item);
}

static void blocked_put_resumes_when_a_get_makes_room(void *arg) {
  (void)arg;
  init_queue(HD_QUEUE_FIFO, 1);
  hd_shared_init(&seen, "seen", 0);
  hd_queue_put(&q, 1);
  hd_thread_init(&threads[0], get_one_into_seen, NULL, "getter");
  hd_thread_start(&threads[0]);
  hd_err err = hd_queue_put(&q, 2); /* blocks until the getter took 1 */
  HD_ASSERT(err == HD_OK, "the blocked put succeeds, got %s", hd_err_name(err));
  hd_thread_join(&threads[0], HD_FOREVER);
  HD_ASSERT(hd_load(&seen) == 1, "the getter took the first item");
  HD_ASSERT(get_now() == 2, "the second item is queued");
  hd_queue_destroy(&q);
}
BOTH(blocked_put_resumes_when_a_get_makes_room)

static void put_seven(void *arg) {
  (void)arg;
  hd_queue_put(&q, 7);
}

static void blocked_get_resumes_when_an_item_arrives(void *arg) {
  (void)arg;
  init_queue(HD_QUEUE_LIFO, 0);
  hd_thread_init(&threads[0], put_seven, NULL, "putter");
  hd_thread_start(&threads[0]);
  int64_t item = 0;
  hd_err err = hd_queue_get_timed(&q, &item, true, 5.0);
  HD_ASSERT(err == HD_OK && item == 7, "the blocked get receives 7, got %s/%lld", hd_err_name(err), (long long)item);
  hd_thread_join(&threads[0], HD_FOREVER);
  hd_queue_destroy(&q);
}
BOTH(blocked_get_resumes_when_an_item_arrives)

static void worker_marks_three_done(void *arg) {
  (void)arg;
  for (int i = 0; i < 3; i++) {
    int64_t item;
    hd_queue_get(&q, &item);
    hd_store(&seen, hd_load(&seen) + item);
    HD_ASSERT(hd_queue_task_done(&q) == HD_OK, "task_done for a got item");
  }
}

static void join_waits_for_every_task_done(void *arg) {
  (void)arg;
  init_queue(HD_QUEUE_FIFO, 0);
  hd_shared_init(&seen, "sum", 0);
  hd_queue_join(&q); /* nothing put: returns at once */
  hd_thread_init(&threads[0], worker_marks_three_done, NULL, "worker");
  hd_thread_start(&threads[0]);
  for (int64_t i = 1; i <= 3; i++) hd_queue_put(&q, i);
  hd_queue_join(&q);
  /* join returned, so the worker's task_done calls (and the sums before them) happened. */
  HD_ASSERT(hd_load(&seen) == 6, "join returned before every item was processed: sum %lld", (long long)hd_load(&seen));
  hd_err err = hd_queue_task_done(&q);
  HD_ASSERT(err == HD_EINVAL, "task_done called too many times: HD_EINVAL, got %s", hd_err_name(err));
  hd_thread_join(&threads[0], HD_FOREVER);
  hd_queue_destroy(&q);
}
BOTH(join_waits_for_every_task_done)

static void graceful_shutdown_drains_then_fails(void *arg) {
  (void)arg;
  init_queue(HD_QUEUE_FIFO, 5);
  hd_queue_put(&q, 1);
  hd_queue_put(&q, 2);
  HD_ASSERT(!hd_queue_is_shutdown(&q), "not shut down yet");
  hd_queue_shutdown(&q, false);
  HD_ASSERT(hd_queue_is_shutdown(&q), "is_shutdown after shutdown");
  hd_err err = hd_queue_put_nowait(&q, 3);
  HD_ASSERT(err == HD_ESHUTDOWN, "put after shutdown: HD_ESHUTDOWN, got %s", hd_err_name(err));
  err = hd_queue_put(&q, 3);
  HD_ASSERT(err == HD_ESHUTDOWN, "blocking put after shutdown: HD_ESHUTDOWN, got %s", hd_err_name(err));
  HD_ASSERT(hd_queue_qsize(&q) == 2, "graceful shutdown keeps the items");
  HD_ASSERT(get_now() == 1 && get_now() == 2, "gets drain the queue");
  int64_t item;
  err = hd_queue_get_nowait(&q, &item);
  HD_ASSERT(err == HD_ESHUTDOWN, "get_nowait on a drained shut-down queue: HD_ESHUTDOWN, got %s", hd_err_name(err));
  err = hd_queue_get(&q, &item);
  HD_ASSERT(err == HD_ESHUTDOWN, "blocking get on a drained shut-down queue: HD_ESHUTDOWN, got %s", hd_err_name(err));
  hd_queue_task_done(&q);
  hd_queue_task_done(&q);
  hd_queue_join(&q);
  hd_queue_destroy(&q);
}
BOTH(graceful_shutdown_drains_then_fails)

static void get_expect_shutdown(void *arg) {
  (void)arg;
  int64_t item;
  hd_err err = hd_queue_get(&q, &item);
  HD_ASSERT(err == HD_ESHUTDOWN, "a get blocked at shutdown: HD_ESHUTDOWN, got %s", hd_err_name(err));
}

static void put_expect_shutdown(void *arg) {
  (void)arg;
  hd_err err = hd_queue_put(&q, 99);
  HD_ASSERT(err == HD_ESHUTDOWN, "a put blocked at shutdown: HD_ESHUTDOWN, got %s", hd_err_name(err));
}

static void shutdown_wakes_blocked_getters(void *arg) {
  (void)arg;
  init_queue(HD_QUEUE_FIFO, 0);
  for (int i = 0; i < 2; i++) {
    hd_thread_init(&threads[i], get_expect_shutdown, NULL, NULL);
    hd_thread_start(&threads[i]);
  }
  hd_queue_shutdown(&q, false);
  for (int i = 0; i < 2; i++) hd_thread_join(&threads[i], HD_FOREVER);
  hd_queue_destroy(&q);
}
BOTH(shutdown_wakes_blocked_getters)

static void shutdown_wakes_blocked_putters(void *arg) {
  (void)arg;
  init_queue(HD_QUEUE_FIFO, 1);
  hd_queue_put(&q, 1);
  hd_thread_init(&threads[0], put_expect_shutdown, NULL, "putter");
  hd_thread_start(&threads[0]);
  hd_queue_shutdown(&q, false);
  hd_thread_join(&threads[0], HD_FOREVER);
  HD_ASSERT(get_now() == 1, "the item put before shutdown can still be got");
  hd_queue_destroy(&q);
}
BOTH(shutdown_wakes_blocked_putters)

static void join_then_mark(void *arg) {
  (void)arg;
  hd_queue_join(&q);
  hd_store(&seen, 1);
}

static void immediate_shutdown_discards_and_releases_join(void *arg) {
  (void)arg;
  init_queue(HD_QUEUE_PRIORITY, 3);
  hd_shared_init(&seen, "joined", 0);
  for (int64_t i = 0; i < 3; i++) hd_queue_put(&q, i);
  hd_thread_init(&threads[0], join_then_mark, NULL, "joiner");
  hd_thread_init(&threads[1], put_expect_shutdown, NULL, "putter");
  hd_thread_start(&threads[0]);
  hd_thread_start(&threads[1]);
  hd_queue_shutdown(&q, true);
  HD_ASSERT(hd_queue_qsize(&q) == 0, "immediate shutdown empties the queue");
  int64_t item;
  hd_err err = hd_queue_get_nowait(&q, &item);
  HD_ASSERT(err == HD_ESHUTDOWN, "get after immediate shutdown: HD_ESHUTDOWN, got %s", hd_err_name(err));
  hd_thread_join(&threads[0], HD_FOREVER);
  hd_thread_join(&threads[1], HD_FOREVER);
  HD_ASSERT(hd_load(&seen) == 1, "join returned although no task_done was called");
  hd_queue_join(&q);
  err = hd_queue_task_done(&q);
  HD_ASSERT(err == HD_EINVAL, "the discarded items count as done: HD_EINVAL, got %s", hd_err_name(err));
  hd_queue_destroy(&q);
}
BOTH(immediate_shutdown_discards_and_releases_join)

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_queue_fifo_order_and_size),
      cmocka_unit_test(test_queue_lifo_order),
      cmocka_unit_test(test_queue_priority_order_with_fifo_ties),
      cmocka_unit_test(test_queue_unbounded_queue_grows_keeping_order),
      cmocka_unit_test(test_queue_full_queue_put_fails_nowait_and_on_timeout),
      cmocka_unit_test(test_queue_empty_queue_get_fails_nowait_and_on_timeout),
      cmocka_unit_test(test_queue_negative_timeout_is_value_error),
      cmocka_unit_test(test_queue_init_reports_out_of_memory),
      cmocka_unit_test(test_queue_blocked_put_resumes_when_a_get_makes_room),
      cmocka_unit_test(test_queue_blocked_get_resumes_when_an_item_arrives),
      cmocka_unit_test(test_queue_join_waits_for_every_task_done),
      cmocka_unit_test(test_queue_graceful_shutdown_drains_then_fails),
      cmocka_unit_test(test_queue_shutdown_wakes_blocked_getters),
      cmocka_unit_test(test_queue_shutdown_wakes_blocked_putters),
      cmocka_unit_test(test_queue_immediate_shutdown_discards_and_releases_join),
  };
  return cmocka_run_group_tests_name(hd_both_is_harness() ? "queue (deterministic)" : "queue (pthread)", tests, NULL,
                                     NULL);
}

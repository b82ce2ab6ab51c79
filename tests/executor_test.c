/* ThreadPoolExecutor: submit, failing tasks, lazy workers up to max_workers,
 * map (order, first failure, timeout), shutdown (wait, cancel_futures),
 * submit after shutdown, the scoped forms, and futures from a real pool
 * through wait/as_completed/callbacks, on both backends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "primitives/heddle.h"
#include "tests/support/both.h"

static hd_executor ex;
static hd_future futs[4];
static hd_future started; /* set by gated() when it begins */
static hd_lock gate;      /* held by main to keep gated() running */
static int callback_thread;

#define BOTH(body)                                \
  static void test_executor_##body(void **state) { \
    (void)state;                                  \
    hd_both_run("executor_" #body, body, NULL);   \
  }

static hd_err double_it(void *arg, int64_t *result) {
  *result = (int64_t)(long)arg * 2;
  return HD_OK;
}

static hd_err fail_task(void *arg, int64_t *result) {
  (void)arg, (void)result;
  return HD_ETASK;
}

/* Waits for main to open the gate. */
static hd_err gated(void *arg, int64_t *result) {
  hd_lock_acquire(&gate);
  hd_lock_release(&gate);
  *result = (int64_t)(long)arg;
  return HD_OK;
}

/* gated(), announcing through `started` that it began. */
static hd_err gated_announcing(void *arg, int64_t *result) {
  hd_future_set_result(&started, 1);
  return gated(arg, result);
}

static hd_err sleep_then_return(void *arg, int64_t *result) {
  long i = (long)arg;
  hd_sleep(0.03 - 0.01 * (double)i); /* later submissions finish first */
  *result = i * 10;
  return HD_OK;
}

static void init_ex(int max_workers) {
  hd_err err = hd_executor_init(&ex, max_workers, "pool");
  HD_ASSERT(err == HD_OK, "executor init: %s", hd_err_name(err));
}

static void close_gate(void) {
  hd_lock_init(&gate, "gate");
  hd_lock_acquire(&gate);
  hd_future_init(&started, "started");
}

static void submit_returns_future_with_result(void *arg) {
  (void)arg;
  init_ex(2);
  HD_ASSERT(hd_executor_submit(&ex, &futs[0], double_it, (void *)21) == HD_OK, "submit");
  int64_t v = 0;
  hd_err err = hd_future_result(&futs[0], &v, HD_FOREVER);
  HD_ASSERT(err == HD_OK && v == 42, "result 42, got %s/%lld", hd_err_name(err), (long long)v);
  HD_ASSERT(hd_future_done(&futs[0]) && !hd_future_cancelled(&futs[0]), "done, not cancelled");
  hd_executor_destroy(&ex);
}
BOTH(submit_returns_future_with_result)

static void failing_task_fails_its_future_and_worker_survives(void *arg) {
  (void)arg;
  init_ex(1);
  hd_executor_submit(&ex, &futs[0], fail_task, NULL);
  hd_err err = hd_future_result(&futs[0], NULL, HD_FOREVER);
  HD_ASSERT(err == HD_ETASK, "result of a failed task: its error, got %s", hd_err_name(err));
  hd_err e = HD_OK;
  HD_ASSERT(hd_future_exception(&futs[0], &e, HD_FOREVER) == HD_OK && e == HD_ETASK, "exception() is HD_ETASK");
  hd_executor_submit(&ex, &futs[1], double_it, (void *)5);
  int64_t v = 0;
  err = hd_future_result(&futs[1], &v, HD_FOREVER);
  HD_ASSERT(err == HD_OK && v == 10, "the only worker still runs tasks, got %s", hd_err_name(err));
  HD_ASSERT(ex.nthreads == 1, "one worker did both");
  hd_executor_destroy(&ex);
}
BOTH(failing_task_fails_its_future_and_worker_survives)

static void workers_start_lazily_up_to_max_workers(void *arg) {
  (void)arg;
  close_gate();
  init_ex(2);
  HD_ASSERT(ex.nthreads == 0, "no worker before the first submit");
  hd_executor_submit(&ex, &futs[0], gated, (void *)0);
  HD_ASSERT(ex.nthreads == 1, "the first submit starts one worker");
  hd_executor_submit(&ex, &futs[1], gated, (void *)1);
  HD_ASSERT(ex.nthreads == 2, "a second submit with no idle worker starts another");
  hd_executor_submit(&ex, &futs[2], gated, (void *)2);
  hd_executor_submit(&ex, &futs[3], gated, (void *)3);
  HD_ASSERT(ex.nthreads == 2, "never more than max_workers");
  hd_lock_release(&gate);
  for (int i = 0; i < 4; i++) {
    int64_t v = -1;
    HD_ASSERT(hd_future_result(&futs[i], &v, HD_FOREVER) == HD_OK && v == i, "task %d result", i);
  }
  hd_executor_destroy(&ex);
}
BOTH(workers_start_lazily_up_to_max_workers)

static void default_and_invalid_max_workers(void *arg) {
  (void)arg;
  init_ex(0);
  HD_ASSERT(ex.max_workers == HD_EXECUTOR_DEFAULT_WORKERS, "max_workers=None is %d workers, got %d",
            HD_EXECUTOR_DEFAULT_WORKERS, ex.max_workers);
  hd_executor_destroy(&ex);
  hd_err err = hd_executor_init(&ex, -1, NULL);
  HD_ASSERT(err == HD_EINVAL, "max_workers -1: HD_EINVAL, got %s", hd_err_name(err));
  err = hd_executor_init(&ex, HD_EXECUTOR_MAX_WORKERS + 1, NULL);
  HD_ASSERT(err == HD_EINVAL, "max_workers above the cap: HD_EINVAL, got %s", hd_err_name(err));
  hd_executor_destroy(&ex); /* harmless after a failed init */
}
BOTH(default_and_invalid_max_workers)

static void result_times_out_while_the_task_runs(void *arg) {
  (void)arg;
  close_gate();
  init_ex(1);
  hd_executor_submit(&ex, &futs[0], gated_announcing, (void *)3);
  hd_future_result(&started, NULL, HD_FOREVER);
  HD_ASSERT(hd_future_running(&futs[0]), "running once it started");
  HD_ASSERT(!hd_future_cancel(&futs[0]), "a running future cannot be cancelled");
  double before = hd_monotonic();
  hd_err err = hd_future_result(&futs[0], NULL, 0.01);
  HD_ASSERT(err == HD_ETIMEDOUT, "result(0.01) of a blocked task: HD_ETIMEDOUT, got %s", hd_err_name(err));
  HD_ASSERT(hd_monotonic() - before >= 0.01, "result returned before its timeout");
  hd_err e;
  err = hd_future_exception(&futs[0], &e, 0.01);
  HD_ASSERT(err == HD_ETIMEDOUT, "exception(0.01) of a blocked task: HD_ETIMEDOUT, got %s", hd_err_name(err));
  hd_lock_release(&gate);
  int64_t v = 0;
  HD_ASSERT(hd_future_result(&futs[0], &v, HD_FOREVER) == HD_OK && v == 3, "then the result");
  hd_executor_destroy(&ex);
}
BOTH(result_times_out_while_the_task_runs)

static void queued_future_can_be_cancelled(void *arg) {
  (void)arg;
  close_gate();
  init_ex(1);
  hd_executor_submit(&ex, &futs[0], gated, (void *)0);
  hd_executor_submit(&ex, &futs[1], double_it, (void *)1);
  /* The only worker takes futs[0] first and stays in it: futs[1] is pending. */
  HD_ASSERT(hd_future_cancel(&futs[1]), "a queued future can be cancelled");
  HD_ASSERT(hd_future_cancelled(&futs[1]), "cancelled()");
  hd_err err = hd_future_result(&futs[1], NULL, HD_FOREVER);
  HD_ASSERT(err == HD_ECANCELLED, "its result: HD_ECANCELLED, got %s", hd_err_name(err));
  hd_lock_release(&gate);
  HD_ASSERT(hd_future_result(&futs[0], NULL, HD_FOREVER) == HD_OK, "the running one finishes");
  HD_ASSERT(!hd_future_cancel(&futs[0]), "a finished future cannot be cancelled");
  hd_executor_destroy(&ex);
}
BOTH(queued_future_can_be_cancelled)

static void map_returns_results_in_submission_order(void *arg) {
  (void)arg;
  init_ex(3);
  void *const args[3] = {(void *)0L, (void *)1L, (void *)2L};
  int64_t results[3] = {-1, -1, -1};
  size_t n = 0;
  hd_err err = hd_executor_map(&ex, sleep_then_return, args, 3, results, HD_FOREVER, &n);
  HD_ASSERT(err == HD_OK && n == 3, "map: %s, %zu results", hd_err_name(err), n);
  for (int i = 0; i < 3; i++) HD_ASSERT(results[i] == i * 10, "result %d in submission order", i);
  err = hd_executor_map(&ex, sleep_then_return, args, 0, results, HD_FOREVER, &n);
  HD_ASSERT(err == HD_OK && n == 0, "map over nothing");
  hd_executor_destroy(&ex);
}
BOTH(map_returns_results_in_submission_order)

static hd_err fail_on_one(void *arg, int64_t *result) {
  if ((long)arg == 1) return HD_EINVAL;
  *result = (long)arg;
  return HD_OK;
}

static void map_stops_at_first_failure_and_on_timeout(void *arg) {
  (void)arg;
  init_ex(2);
  void *const args[3] = {(void *)0L, (void *)1L, (void *)2L};
  int64_t results[3] = {-1, -1, -1};
  size_t n = 9;
  hd_err err = hd_executor_map(&ex, fail_on_one, args, 3, results, HD_FOREVER, &n);
  HD_ASSERT(err == HD_EINVAL && n == 1 && results[0] == 0, "map raises the task's error at item 1: %s, %zu",
            hd_err_name(err), n);
  close_gate();
  double before = hd_monotonic();
  err = hd_executor_map(&ex, gated, args, 3, results, 0.01, &n);
  HD_ASSERT(err == HD_ETIMEDOUT && n == 0, "map times out: %s, %zu", hd_err_name(err), n);
  HD_ASSERT(hd_monotonic() - before >= 0.01, "map returned before its timeout");
  err = hd_executor_map(&ex, gated, args, 3, results, -1.5, &n);
  HD_ASSERT(err == HD_EINVAL, "negative timeout: HD_EINVAL, got %s", hd_err_name(err));
  hd_lock_release(&gate);
  hd_executor_destroy(&ex);
}
BOTH(map_stops_at_first_failure_and_on_timeout)

static void submit_after_shutdown_is_an_error(void *arg) {
  (void)arg;
  init_ex(2);
  hd_executor_submit(&ex, &futs[0], double_it, (void *)1);
  hd_executor_shutdown(&ex, true, false);
  HD_ASSERT(hd_future_done(&futs[0]), "shutdown(wait=True) waits for the work");
  hd_err err = hd_executor_submit(&ex, &futs[1], double_it, (void *)1);
  HD_ASSERT(err == HD_ESHUTDOWN, "submit after shutdown: HD_ESHUTDOWN, got %s", hd_err_name(err));
  void *const args[1] = {NULL};
  int64_t results[1];
  err = hd_executor_map(&ex, double_it, args, 1, results, HD_FOREVER, NULL);
  HD_ASSERT(err == HD_ESHUTDOWN, "map after shutdown: HD_ESHUTDOWN, got %s", hd_err_name(err));
  hd_executor_shutdown(&ex, true, false); /* again: allowed */
  hd_executor_destroy(&ex);
}
BOTH(submit_after_shutdown_is_an_error)

static void shutdown_cancel_futures_cancels_only_queued_ones(void *arg) {
  (void)arg;
  close_gate();
  init_ex(1);
  hd_executor_submit(&ex, &futs[0], gated_announcing, (void *)7);
  hd_executor_submit(&ex, &futs[1], double_it, (void *)1);
  hd_executor_submit(&ex, &futs[2], double_it, (void *)2);
  hd_future_result(&started, NULL, HD_FOREVER); /* futs[0] is running */
  hd_executor_shutdown(&ex, false, true);
  HD_ASSERT(hd_future_cancelled(&futs[1]) && hd_future_cancelled(&futs[2]), "queued futures are cancelled");
  HD_ASSERT(!hd_future_cancelled(&futs[0]), "the running one is not");
  hd_lock_release(&gate);
  hd_executor_shutdown(&ex, true, false);
  int64_t v = 0;
  HD_ASSERT(hd_future_result(&futs[0], &v, 0) == HD_OK && v == 7, "the running one finished before the join");
  hd_executor_destroy(&ex);
}
BOTH(shutdown_cancel_futures_cancels_only_queued_ones)

static void shutdown_without_cancel_runs_queued_work(void *arg) {
  (void)arg;
  close_gate();
  init_ex(1);
  hd_executor_submit(&ex, &futs[0], gated, (void *)0);
  hd_executor_submit(&ex, &futs[1], double_it, (void *)4);
  hd_executor_shutdown(&ex, false, false);
  hd_lock_release(&gate);
  int64_t v = 0;
  HD_ASSERT(hd_future_result(&futs[1], &v, HD_FOREVER) == HD_OK && v == 8, "queued work still runs after shutdown");
  hd_executor_destroy(&ex);
}
BOTH(shutdown_without_cancel_runs_queued_work)

static hd_err scoped(hd_executor *e, void *arg) {
  hd_executor_submit(e, &futs[0], double_it, arg);
  return HD_ETASK;
}

static void scoped_forms_always_shut_down(void *arg) {
  (void)arg;
  hd_err err = hd_executor_scope(2, "scope", scoped, (void *)4);
  HD_ASSERT(err == HD_ETASK, "the scope returns fn's result, got %s", hd_err_name(err));
  HD_ASSERT(hd_future_done(&futs[0]), "the scope waited for the submitted work");
  err = hd_executor_scope(-3, "scope", scoped, NULL);
  HD_ASSERT(err == HD_EINVAL, "a failed init is returned, got %s", hd_err_name(err));
  int ran = 0;
  HD_WITH_EXECUTOR(&ex, 2, "with") {
    hd_executor_submit(&ex, &futs[1], double_it, (void *)2);
    ran++;
  }
  HD_ASSERT(ran == 1, "the block ran once");
  HD_ASSERT(hd_future_done(&futs[1]), "the block's end waited for the work");
  HD_ASSERT(!ex.initialised, "and destroyed the executor");
}
BOTH(scoped_forms_always_shut_down)

static void record_thread(hd_future *f, void *arg) {
  (void)f, (void)arg;
  callback_thread = hd_get_ident();
}

static void pool_futures_work_with_wait_as_completed_and_callbacks(void *arg) {
  (void)arg;
  close_gate();
  callback_thread = -1;
  init_ex(2);
  hd_executor_submit(&ex, &futs[0], gated, (void *)0);
  hd_future_add_done_callback(&futs[0], record_thread, NULL);
  hd_executor_submit(&ex, &futs[1], double_it, (void *)1);
  hd_executor_submit(&ex, &futs[2], fail_task, NULL);
  hd_future *list[3] = {&futs[0], &futs[1], &futs[2]};
  bool done[3];
  size_t ndone = 0;
  hd_futures_wait(list, 3, HD_FOREVER, HD_FIRST_EXCEPTION, done, &ndone);
  HD_ASSERT(done[2] && !done[0], "FIRST_EXCEPTION: the failed task is done, the gated one is not");
  hd_lock_release(&gate);
  hd_as_completed it;
  HD_ASSERT(hd_as_completed_init(&it, list, 3, HD_FOREVER) == HD_OK, "as_completed");
  int seen = 0;
  hd_future *f;
  while (hd_as_completed_next(&it, &f) == HD_OK && f) seen++;
  hd_as_completed_destroy(&it);
  HD_ASSERT(seen == 3, "as_completed yields all three, got %d", seen);
  hd_executor_destroy(&ex);
  HD_ASSERT(callback_thread > 0 && callback_thread != hd_get_ident(), "the callback ran in a worker");
}
BOTH(pool_futures_work_with_wait_as_completed_and_callbacks)

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_executor_submit_returns_future_with_result),
      cmocka_unit_test(test_executor_failing_task_fails_its_future_and_worker_survives),
      cmocka_unit_test(test_executor_workers_start_lazily_up_to_max_workers),
      cmocka_unit_test(test_executor_default_and_invalid_max_workers),
      cmocka_unit_test(test_executor_result_times_out_while_the_task_runs),
      cmocka_unit_test(test_executor_queued_future_can_be_cancelled),
      cmocka_unit_test(test_executor_map_returns_results_in_submission_order),
      cmocka_unit_test(test_executor_map_stops_at_first_failure_and_on_timeout),
      cmocka_unit_test(test_executor_submit_after_shutdown_is_an_error),
      cmocka_unit_test(test_executor_shutdown_cancel_futures_cancels_only_queued_ones),
      cmocka_unit_test(test_executor_shutdown_without_cancel_runs_queued_work),
      cmocka_unit_test(test_executor_scoped_forms_always_shut_down),
      cmocka_unit_test(test_executor_pool_futures_work_with_wait_as_completed_and_callbacks),
  };
  return cmocka_run_group_tests_name(hd_both_is_harness() ? "executor (deterministic)" : "executor (pthread)", tests,
                                     NULL, NULL);
}

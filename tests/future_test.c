/* Future: concurrent.futures.Future states, result/exception with every
 * timeout and cancellation path, done callbacks, and the module functions
 * wait() and as_completed(), on both backends. Futures here are completed
 * by hand (set_result, set_exception) from other threads, as executors do. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "primitives/heddle.h"
#include "tests/support/both.h"

static hd_future fs[3];
static hd_thread threads[2];
static hd_shared calls;
static int callback_thread;

#define BOTH(body)                              \
  static void test_future_##body(void **state) { \
    (void)state;                                \
    hd_both_run("future_" #body, body, NULL);   \
  }

static void states_follow_python(void *arg) {
  (void)arg;
  hd_future_init(&fs[0], "f");
  HD_ASSERT(!hd_future_done(&fs[0]) && !hd_future_running(&fs[0]) && !hd_future_cancelled(&fs[0]), "a new future is pending");
  HD_ASSERT(hd_future_set_running_or_notify_cancel(&fs[0]), "pending -> running");
  HD_ASSERT(hd_future_running(&fs[0]) && !hd_future_done(&fs[0]), "running, not done");
  HD_ASSERT(!hd_future_cancel(&fs[0]), "a running future cannot be cancelled");
  HD_ASSERT(hd_future_set_result(&fs[0], 42) == HD_OK, "set_result");
  HD_ASSERT(hd_future_done(&fs[0]) && !hd_future_running(&fs[0]), "finished is done");
  HD_ASSERT(!hd_future_cancel(&fs[0]), "a finished future cannot be cancelled");
  int64_t v = 0;
  HD_ASSERT(hd_future_result(&fs[0], &v, HD_FOREVER) == HD_OK && v == 42, "result 42");
  hd_err e = HD_ETASK;
  HD_ASSERT(hd_future_exception(&fs[0], &e, 0) == HD_OK && e == HD_OK, "no exception (None)");
  hd_err err = hd_future_set_result(&fs[0], 1);
  HD_ASSERT(err == HD_EMISUSE, "set_result on a done future: HD_EMISUSE, got %s", hd_err_name(err));
  err = hd_future_set_exception(&fs[0], HD_ETASK);
  HD_ASSERT(err == HD_EMISUSE, "set_exception on a done future: HD_EMISUSE, got %s", hd_err_name(err));
  HD_ASSERT(!hd_future_set_running_or_notify_cancel(&fs[0]), "set_running on a finished future is refused");
  hd_future_destroy(&fs[0]);
}
BOTH(states_follow_python)

static void failed_task_keeps_its_error(void *arg) {
  (void)arg;
  hd_future_init(&fs[0], NULL);
  hd_err err = hd_future_set_exception(&fs[0], HD_OK);
  HD_ASSERT(err == HD_EINVAL, "set_exception(HD_OK): HD_EINVAL, got %s", hd_err_name(err));
  HD_ASSERT(hd_future_set_exception(&fs[0], HD_ETASK) == HD_OK, "set_exception");
  int64_t v = 7;
  err = hd_future_result(&fs[0], &v, HD_FOREVER);
  HD_ASSERT(err == HD_ETASK && v == 7, "result() gives the task's error, got %s", hd_err_name(err));
  hd_err e = HD_OK;
  HD_ASSERT(hd_future_exception(&fs[0], &e, HD_FOREVER) == HD_OK && e == HD_ETASK, "exception() gives HD_ETASK");
  hd_future_destroy(&fs[0]);
}
BOTH(failed_task_keeps_its_error)

static void cancel_only_while_pending(void *arg) {
  (void)arg;
  hd_future_init(&fs[0], NULL);
  HD_ASSERT(hd_future_cancel(&fs[0]), "a pending future can be cancelled");
  HD_ASSERT(hd_future_cancel(&fs[0]), "cancelling again still answers true");
  HD_ASSERT(hd_future_cancelled(&fs[0]) && hd_future_done(&fs[0]), "cancelled and done");
  hd_err err = hd_future_result(&fs[0], NULL, HD_FOREVER);
  HD_ASSERT(err == HD_ECANCELLED, "result of a cancelled future: HD_ECANCELLED, got %s", hd_err_name(err));
  hd_err e;
  err = hd_future_exception(&fs[0], &e, 1.0);
  HD_ASSERT(err == HD_ECANCELLED, "exception of a cancelled future: HD_ECANCELLED, got %s", hd_err_name(err));
  HD_ASSERT(!hd_future_set_running_or_notify_cancel(&fs[0]), "a cancelled future does not start");
  err = hd_future_set_result(&fs[0], 1);
  HD_ASSERT(err == HD_EMISUSE, "set_result on a cancelled future: HD_EMISUSE, got %s", hd_err_name(err));
  hd_future_destroy(&fs[0]);
}
BOTH(cancel_only_while_pending)

static void result_and_exception_time_out(void *arg) {
  (void)arg;
  hd_future_init(&fs[0], NULL);
  double before = hd_monotonic();
  hd_err err = hd_future_result(&fs[0], NULL, 0.01);
  HD_ASSERT(err == HD_ETIMEDOUT, "result(timeout) of a pending future: HD_ETIMEDOUT, got %s", hd_err_name(err));
  HD_ASSERT(hd_monotonic() - before >= 0.01, "result returned before its timeout");
  hd_err e;
  err = hd_future_exception(&fs[0], &e, 0);
  HD_ASSERT(err == HD_ETIMEDOUT, "exception(timeout=0) of a pending future: HD_ETIMEDOUT, got %s", hd_err_name(err));
  err = hd_future_result(&fs[0], NULL, -3.0);
  HD_ASSERT(err == HD_EINVAL, "a negative timeout: HD_EINVAL, got %s", hd_err_name(err));
  err = hd_future_exception(&fs[0], &e, -3.0);
  HD_ASSERT(err == HD_EINVAL, "a negative timeout: HD_EINVAL, got %s", hd_err_name(err));
  hd_future_cancel(&fs[0]);
  hd_future_destroy(&fs[0]);
}
BOTH(result_and_exception_time_out)

static void complete_fs0_with_5(void *arg) {
  (void)arg;
  if (hd_future_set_running_or_notify_cancel(&fs[0])) hd_future_set_result(&fs[0], 5);
}

static void result_waits_for_another_thread(void *arg) {
  (void)arg;
  hd_future_init(&fs[0], NULL);
  hd_thread_init(&threads[0], complete_fs0_with_5, NULL, "completer");
  hd_thread_start(&threads[0]);
  int64_t v = 0;
  hd_err err = hd_future_result(&fs[0], &v, HD_FOREVER);
  HD_ASSERT(err == HD_OK && v == 5, "result 5 from the other thread, got %s/%lld", hd_err_name(err), (long long)v);
  hd_thread_join(&threads[0], HD_FOREVER);
  hd_future_destroy(&fs[0]);
}
BOTH(result_waits_for_another_thread)

static void count_call(hd_future *f, void *arg) {
  (void)f;
  hd_store(&calls, hd_load(&calls) * 10 + (int64_t)(long)arg);
  callback_thread = hd_get_ident();
}

static void callbacks_run_in_order_once_done(void *arg) {
  (void)arg;
  hd_shared_init(&calls, "calls", 0);
  callback_thread = -1;
  hd_future_init(&fs[0], NULL);
  hd_future_add_done_callback(&fs[0], count_call, (void *)1);
  hd_future_add_done_callback(&fs[0], count_call, (void *)2);
  HD_ASSERT(hd_load(&calls) == 0, "no callback before done");
  hd_thread_init(&threads[0], complete_fs0_with_5, NULL, "completer");
  hd_thread_start(&threads[0]);
  hd_thread_join(&threads[0], HD_FOREVER);
  HD_ASSERT(hd_load(&calls) == 12, "both callbacks ran once, in order: %lld", (long long)hd_load(&calls));
  HD_ASSERT(callback_thread == hd_thread_ident(&threads[0]), "callbacks ran in the completing thread");
  hd_future_add_done_callback(&fs[0], count_call, (void *)3);
  HD_ASSERT(hd_load(&calls) == 123, "a callback added when done runs at once");
  HD_ASSERT(callback_thread == hd_get_ident(), "... in the calling thread");
  hd_future_destroy(&fs[0]);
  /* Cancelling runs them too; too many callbacks is HD_ENOMEM. */
  hd_store(&calls, 0);
  hd_future_init(&fs[1], NULL);
  for (int i = 0; i < HD_FUTURE_MAX_CALLBACKS; i++) hd_future_add_done_callback(&fs[1], count_call, (void *)1);
  hd_err err = hd_future_add_done_callback(&fs[1], count_call, (void *)1);
  HD_ASSERT(err == HD_ENOMEM, "callback %d: HD_ENOMEM, got %s", HD_FUTURE_MAX_CALLBACKS + 1, hd_err_name(err));
  hd_future_cancel(&fs[1]);
  HD_ASSERT(hd_load(&calls) == 11111111, "cancel ran the callbacks: %lld", (long long)hd_load(&calls));
  hd_future_destroy(&fs[1]);
}
BOTH(callbacks_run_in_order_once_done)

static void set_fs1_then_fs2_failed(void *arg) {
  (void)arg;
  hd_future_set_result(&fs[1], 1);
  hd_future_set_exception(&fs[2], HD_ETASK);
}

static void init_three(void) {
  for (int i = 0; i < 3; i++) hd_future_init(&fs[i], NULL);
}

static void destroy_three(void) {
  for (int i = 0; i < 3; i++) {
    hd_future_cancel(&fs[i]);
    hd_future_destroy(&fs[i]);
  }
}

static void wait_all_completed(void *arg) {
  (void)arg;
  init_three();
  hd_future *list[3] = {&fs[0], &fs[1], &fs[2]};
  hd_future_set_result(&fs[0], 0);
  hd_thread_init(&threads[0], set_fs1_then_fs2_failed, NULL, "completer");
  hd_thread_start(&threads[0]);
  bool done[3] = {false, false, false};
  size_t ndone = 0;
  hd_err err = hd_futures_wait(list, 3, HD_FOREVER, HD_ALL_COMPLETED, done, &ndone);
  HD_ASSERT(err == HD_OK && ndone == 3 && done[0] && done[1] && done[2], "ALL_COMPLETED: all done (%zu)", ndone);
  hd_thread_join(&threads[0], HD_FOREVER);
  destroy_three();
}
BOTH(wait_all_completed)

static void wait_first_completed_and_first_exception(void *arg) {
  (void)arg;
  init_three();
  hd_future *list[3] = {&fs[0], &fs[1], &fs[2]};
  hd_thread_init(&threads[0], set_fs1_then_fs2_failed, NULL, "completer");
  hd_thread_start(&threads[0]);
  bool done[3];
  size_t ndone = 0;
  hd_err err = hd_futures_wait(list, 3, HD_FOREVER, HD_FIRST_COMPLETED, done, &ndone);
  HD_ASSERT(err == HD_OK && ndone >= 1 && done[1] && !done[0], "FIRST_COMPLETED: fs[1] at least, got %zu", ndone);
  err = hd_futures_wait(list, 3, HD_FOREVER, HD_FIRST_EXCEPTION, done, &ndone);
  HD_ASSERT(err == HD_OK && ndone == 2 && done[1] && done[2] && !done[0],
            "FIRST_EXCEPTION returns once fs[2] failed, with fs[0] still pending (%zu done)", ndone);
  hd_thread_join(&threads[0], HD_FOREVER);
  /* FIRST_EXCEPTION without any exception waits for all. */
  hd_future_set_result(&fs[0], 0);
  err = hd_futures_wait(list, 2, HD_FOREVER, HD_FIRST_EXCEPTION, done, &ndone);
  HD_ASSERT(err == HD_OK && ndone == 2, "FIRST_EXCEPTION with no exception: all done");
  destroy_three();
}
BOTH(wait_first_completed_and_first_exception)

static void wait_times_out_without_error(void *arg) {
  (void)arg;
  init_three();
  hd_future *list[3] = {&fs[0], &fs[1], &fs[0]}; /* duplicates are allowed */
  hd_future_set_result(&fs[1], 1);
  bool done[3];
  size_t ndone = 9;
  double before = hd_monotonic();
  hd_err err = hd_futures_wait(list, 3, 0.01, HD_ALL_COMPLETED, done, &ndone);
  HD_ASSERT(err == HD_OK, "a timed-out wait is no error, got %s", hd_err_name(err));
  HD_ASSERT(hd_monotonic() - before >= 0.01, "wait returned before its timeout");
  HD_ASSERT(ndone == 1 && !done[0] && done[1] && !done[2], "only fs[1] is done (%zu)", ndone);
  err = hd_futures_wait(list, 3, -2.0, HD_ALL_COMPLETED, NULL, NULL);
  HD_ASSERT(err == HD_EINVAL, "negative timeout: HD_EINVAL, got %s", hd_err_name(err));
  err = hd_futures_wait(list, 3, HD_FOREVER, (hd_return_when)7, NULL, NULL);
  HD_ASSERT(err == HD_EINVAL, "bad return_when: HD_EINVAL, got %s", hd_err_name(err));
  err = hd_futures_wait(list, 0, HD_FOREVER, HD_ALL_COMPLETED, NULL, &ndone);
  HD_ASSERT(err == HD_OK && ndone == 0, "waiting on nothing returns at once");
  destroy_three();
}
BOTH(wait_times_out_without_error)

static void set_fs2_then_fs0(void *arg) {
  (void)arg;
  hd_future_set_result(&fs[2], 2);
  hd_future_set_result(&fs[0], 0);
}

static void as_completed_yields_done_first_then_completion_order(void *arg) {
  (void)arg;
  init_three();
  hd_future *list[4] = {&fs[0], &fs[1], &fs[2], &fs[1]};
  hd_future_set_result(&fs[1], 1);
  hd_as_completed it;
  HD_ASSERT(hd_as_completed_init(&it, list, 4, HD_FOREVER) == HD_OK, "as_completed init");
  hd_thread_init(&threads[0], set_fs2_then_fs0, NULL, "completer");
  hd_thread_start(&threads[0]);
  hd_future *expect[3] = {&fs[1], &fs[2], &fs[0]};
  for (int i = 0; i < 3; i++) {
    hd_future *f = NULL;
    hd_err err = hd_as_completed_next(&it, &f);
    HD_ASSERT(err == HD_OK && f == expect[i], "as_completed item %d: %s, wrong future", i, hd_err_name(err));
  }
  hd_future *f = &fs[0];
  HD_ASSERT(hd_as_completed_next(&it, &f) == HD_OK && f == NULL, "then the end (duplicates collapse)");
  hd_as_completed_destroy(&it);
  hd_thread_join(&threads[0], HD_FOREVER);
  destroy_three();
}
BOTH(as_completed_yields_done_first_then_completion_order)

static void as_completed_times_out(void *arg) {
  (void)arg;
  init_three();
  hd_future *list[2] = {&fs[0], &fs[1]};
  hd_future_set_result(&fs[1], 1);
  hd_as_completed it;
  double start = hd_monotonic();
  HD_ASSERT(hd_as_completed_init(&it, list, 2, 0.01) == HD_OK, "as_completed init");
  hd_future *f = NULL;
  HD_ASSERT(hd_as_completed_next(&it, &f) == HD_OK && f == &fs[1], "the done future first");
  hd_err err = hd_as_completed_next(&it, &f);
  HD_ASSERT(err == HD_ETIMEDOUT && f == NULL, "then HD_ETIMEDOUT (Python's TimeoutError), got %s", hd_err_name(err));
  HD_ASSERT(hd_monotonic() - start >= 0.01, "timed out before the 0.01 s from the call");
  hd_as_completed_destroy(&it);
  err = hd_as_completed_init(&it, list, 2, -5.0);
  HD_ASSERT(err == HD_EINVAL, "negative timeout: HD_EINVAL, got %s", hd_err_name(err));
  hd_as_completed_destroy(&it);
  destroy_three();
}
BOTH(as_completed_times_out)

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_future_states_follow_python),
      cmocka_unit_test(test_future_failed_task_keeps_its_error),
      cmocka_unit_test(test_future_cancel_only_while_pending),
      cmocka_unit_test(test_future_result_and_exception_time_out),
      cmocka_unit_test(test_future_result_waits_for_another_thread),
      cmocka_unit_test(test_future_callbacks_run_in_order_once_done),
      cmocka_unit_test(test_future_wait_all_completed),
      cmocka_unit_test(test_future_wait_first_completed_and_first_exception),
      cmocka_unit_test(test_future_wait_times_out_without_error),
      cmocka_unit_test(test_future_as_completed_yields_done_first_then_completion_order),
      cmocka_unit_test(test_future_as_completed_times_out),
  };
  return cmocka_run_group_tests_name(hd_both_is_harness() ? "future (deterministic)" : "future (pthread)", tests, NULL,
                                     NULL);
}

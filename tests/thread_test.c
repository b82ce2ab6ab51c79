/* Thread: start, join (with timeout), names, idents, daemon flag and the
 * misuse Python rejects, on both backends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "primitives/heddle.h"
#include "tests/support/both.h"

static hd_thread threads[3];
static hd_shared ran;
static hd_lock gate;

static void mark_ran(void *arg) { hd_store(&ran, (int64_t)(long)arg); }

static void start_then_join(void *arg) {
  (void)arg;
  hd_shared_init(&ran, "ran", 0);
  hd_thread_init(&threads[0], mark_ran, (void *)7, "worker");
  HD_ASSERT(!hd_thread_is_alive(&threads[0]), "not alive before start");
  HD_ASSERT(hd_thread_ident(&threads[0]) == 0, "no ident before start");
  HD_ASSERT(hd_thread_start(&threads[0]) == HD_OK, "start succeeds");
  HD_ASSERT(hd_thread_ident(&threads[0]) > 0, "an ident after start");
  HD_ASSERT(hd_thread_ident(&threads[0]) != hd_get_ident(), "the thread's ident differs from main's");
  HD_ASSERT(hd_thread_join(&threads[0], HD_FOREVER) == HD_OK, "join succeeds");
  HD_ASSERT(!hd_thread_is_alive(&threads[0]), "not alive after join");
  HD_ASSERT(hd_load(&ran) == 7, "the function ran with its argument");
  HD_ASSERT(strcmp(hd_thread_name(&threads[0]), "worker") == 0, "the given name is kept");
}

static void test_thread_start_runs_function_and_join_waits(void **state) {
  (void)state;
  hd_both_run("thread_start_join", start_then_join, NULL);
}

static void default_names(void *arg) {
  (void)arg;
  hd_thread_init(&threads[0], mark_ran, NULL, NULL);
  hd_thread_init(&threads[1], mark_ran, NULL, NULL);
  const char *a = hd_thread_name(&threads[0]), *b = hd_thread_name(&threads[1]);
  HD_ASSERT(strncmp(a, "Thread-", 7) == 0 && strncmp(b, "Thread-", 7) == 0, "default names are Thread-N: %s, %s", a, b);
  HD_ASSERT(strcmp(a, b) != 0, "default names are distinct: %s", a);
}

static void test_thread_default_names_are_numbered(void **state) {
  (void)state;
  hd_both_run("thread_default_names", default_names, NULL);
}

static void wait_for_gate(void *arg) {
  (void)arg;
  hd_lock_acquire(&gate);
  hd_lock_release(&gate);
}

static void join_timeout(void *arg) {
  (void)arg;
  hd_lock_init(&gate, "gate");
  hd_lock_acquire(&gate);
  hd_thread_init(&threads[0], wait_for_gate, NULL, "blocked");
  hd_thread_start(&threads[0]);
  hd_err err = hd_thread_join(&threads[0], 0.01);
  HD_ASSERT(err == HD_ETIMEDOUT, "join of a blocked thread times out, got %s", hd_err_name(err));
  HD_ASSERT(hd_thread_is_alive(&threads[0]), "still alive after the timed-out join");
  hd_lock_release(&gate);
  HD_ASSERT(hd_thread_join(&threads[0], HD_FOREVER) == HD_OK, "join after the release succeeds");
}

static void test_thread_join_with_timeout_returns_timed_out_while_alive(void **state) {
  (void)state;
  hd_both_run("thread_join_timeout", join_timeout, NULL);
}

static void misuse(void *arg) {
  (void)arg;
  hd_thread_init(&threads[0], mark_ran, NULL, NULL);
  hd_err err = hd_thread_join(&threads[0], HD_FOREVER);
  HD_ASSERT(err == HD_EMISUSE, "joining an unstarted thread is misuse, got %s", hd_err_name(err));
  hd_shared_init(&ran, "ran", 0);
  hd_thread_start(&threads[0]);
  err = hd_thread_start(&threads[0]);
  HD_ASSERT(err == HD_EMISUSE, "starting twice is misuse, got %s", hd_err_name(err));
  err = hd_thread_set_daemon(&threads[0], true);
  HD_ASSERT(err == HD_EMISUSE, "setting daemon after start is misuse, got %s", hd_err_name(err));
  hd_thread_join(&threads[0], HD_FOREVER);
}

static void test_thread_rejects_join_before_start_double_start_and_late_daemon(void **state) {
  (void)state;
  hd_both_run("thread_misuse", misuse, NULL);
}

static hd_thread self_joiner;
static hd_shared self_join_result;

static void join_self(void *arg) {
  (void)arg;
  hd_store(&self_join_result, hd_thread_join(&self_joiner, HD_FOREVER));
}

static void self_join(void *arg) {
  (void)arg;
  hd_shared_init(&self_join_result, "result", -1);
  hd_thread_init(&self_joiner, join_self, NULL, "selfish");
  hd_thread_start(&self_joiner);
  hd_thread_join(&self_joiner, HD_FOREVER);
  HD_ASSERT(hd_load(&self_join_result) == HD_EMISUSE, "a thread joining itself gets HD_EMISUSE, got %lld",
            (long long)hd_load(&self_join_result));
}

static void test_thread_joining_itself_is_misuse(void **state) {
  (void)state;
  hd_both_run("thread_self_join", self_join, NULL);
}

static void daemon_flag(void *arg) {
  (void)arg;
  hd_thread_init(&threads[0], mark_ran, NULL, NULL);
  HD_ASSERT(!hd_thread_daemon(&threads[0]), "threads are not daemons by default");
  HD_ASSERT(hd_thread_set_daemon(&threads[0], true) == HD_OK, "set daemon before start");
  HD_ASSERT(hd_thread_daemon(&threads[0]), "the daemon flag sticks");
}

static void test_thread_daemon_flag_is_set_before_start(void **state) {
  (void)state;
  hd_both_run("thread_daemon_flag", daemon_flag, NULL);
}

/* The differences CPython's own tests pin: a named thread uses up no
 * number and "" is no name, a daemon's threads are daemons, a negative
 * join timeout does not wait, and a thread with no function runs nothing. */
static void python_names(void *arg) {
  (void)arg;
  hd_thread_init(&threads[0], mark_ran, NULL, "x");
  hd_thread_init(&threads[1], mark_ran, NULL, NULL);
  hd_thread_init(&threads[2], mark_ran, NULL, "");
  const char *second = hd_thread_name(&threads[1]), *third = hd_thread_name(&threads[2]);
  HD_ASSERT(strcmp(hd_thread_name(&threads[0]), "x") == 0, "the given name is kept");
  /* Numbers count unnamed threads of this run (the pthread backend counts
   * over the process, so compare the two unnamed ones). */
  int n2 = 0, n3 = 0;
  HD_ASSERT(sscanf(second, "Thread-%d", &n2) == 1 && sscanf(third, "Thread-%d", &n3) == 1,
            "unnamed and \"\" threads get Thread-N: '%s', '%s'", second, third);
  HD_ASSERT(n3 == n2 + 1, "a named thread uses up no number: %s then %s", second, third);
  if (hd_both_is_harness()) HD_ASSERT(n2 == 1, "the first unnamed thread is Thread-1, got %s", second);
}

static void test_thread_names_follow_python(void **state) {
  (void)state;
  hd_both_run("thread_python_names", python_names, NULL);
}

static hd_shared inherited;

static void report_child_daemon(void *arg) {
  (void)arg;
  hd_thread_init(&threads[1], mark_ran, NULL, "grandchild");
  hd_store(&inherited, hd_thread_daemon(&threads[1]));
  hd_thread_start(&threads[1]);
  hd_thread_join(&threads[1], HD_FOREVER);
}

static void daemon_inherited(void *arg) {
  (void)arg;
  hd_shared_init(&ran, "ran", 0);
  hd_shared_init(&inherited, "inherited", -1);
  hd_thread_init(&threads[0], report_child_daemon, NULL, "daemon");
  hd_thread_set_daemon(&threads[0], true);
  hd_thread_start(&threads[0]);
  HD_ASSERT(hd_thread_join(&threads[0], HD_FOREVER) == HD_OK, "join the daemon");
  HD_ASSERT(hd_load(&inherited) == 1, "a thread created by a daemon is a daemon");
  hd_thread_init(&threads[2], mark_ran, NULL, NULL);
  HD_ASSERT(!hd_thread_daemon(&threads[2]), "a thread created by main is not");
}

static void test_thread_created_by_a_daemon_is_a_daemon(void **state) {
  (void)state;
  hd_both_run("thread_daemon_inherited", daemon_inherited, NULL);
}

static void negative_join(void *arg) {
  (void)arg;
  hd_lock_init(&gate, "gate");
  hd_lock_acquire(&gate);
  hd_thread_init(&threads[0], wait_for_gate, NULL, "blocked");
  hd_thread_start(&threads[0]);
  hd_err err = hd_thread_join(&threads[0], -0.5);
  HD_ASSERT(err == HD_ETIMEDOUT, "join(timeout=-0.5) does not wait, got %s", hd_err_name(err));
  err = hd_thread_join(&threads[0], 1e12);
  HD_ASSERT(err == HD_EINVAL, "join(timeout=1e12) is above TIMEOUT_MAX, got %s", hd_err_name(err));
  hd_lock_release(&gate);
  HD_ASSERT(hd_thread_join(&threads[0], HD_FOREVER) == HD_OK, "join after the release succeeds");
}

static void test_thread_negative_join_timeout_does_not_wait(void **state) {
  (void)state;
  hd_both_run("thread_negative_join", negative_join, NULL);
}

static void no_function(void *arg) {
  (void)arg;
  hd_thread_init(&threads[0], NULL, NULL, "idle");
  HD_ASSERT(hd_thread_start(&threads[0]) == HD_OK, "a thread without a function starts");
  HD_ASSERT(hd_thread_join(&threads[0], HD_FOREVER) == HD_OK, "and ends");
}

static void test_thread_without_a_function_runs_nothing(void **state) {
  (void)state;
  hd_both_run("thread_no_function", no_function, NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_thread_start_runs_function_and_join_waits),
      cmocka_unit_test(test_thread_default_names_are_numbered),
      cmocka_unit_test(test_thread_join_with_timeout_returns_timed_out_while_alive),
      cmocka_unit_test(test_thread_rejects_join_before_start_double_start_and_late_daemon),
      cmocka_unit_test(test_thread_joining_itself_is_misuse),
      cmocka_unit_test(test_thread_daemon_flag_is_set_before_start),
      cmocka_unit_test(test_thread_names_follow_python),
      cmocka_unit_test(test_thread_created_by_a_daemon_is_a_daemon),
      cmocka_unit_test(test_thread_negative_join_timeout_does_not_wait),
      cmocka_unit_test(test_thread_without_a_function_runs_nothing),
  };
  return cmocka_run_group_tests_name(hd_both_is_harness() ? "thread (deterministic)" : "thread (pthread)", tests, NULL, NULL);
}

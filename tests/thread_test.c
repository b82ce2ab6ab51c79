/* Thread: start, join (with timeout), names, idents, daemon flag and the
 * misuse Python rejects, on both backends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
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

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_thread_start_runs_function_and_join_waits),
      cmocka_unit_test(test_thread_default_names_are_numbered),
      cmocka_unit_test(test_thread_join_with_timeout_returns_timed_out_while_alive),
      cmocka_unit_test(test_thread_rejects_join_before_start_double_start_and_late_daemon),
      cmocka_unit_test(test_thread_joining_itself_is_misuse),
      cmocka_unit_test(test_thread_daemon_flag_is_set_before_start),
  };
  return cmocka_run_group_tests_name(hd_both_is_harness() ? "thread (deterministic)" : "thread (pthread)", tests, NULL, NULL);
}

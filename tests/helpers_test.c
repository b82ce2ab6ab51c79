/* Helper processes (harness/strategies/helpers.h), the machinery under dfs
 * --jobs: what a helper sends is what collect gives; a helper that ends
 * with hd_helper_exit is seen at the first poll after its end, one that
 * exits otherwise within HD_HELPER_LOOK_EVERY polls; a helper that dies,
 * or hangs past the watchdog, gives nothing (its spawner does the work
 * itself); tokens count the places left. A test waits for a child's end
 * with waitid(WNOWAIT), which leaves the child for the helper code to reap. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness/strategies/helpers.h"

static const char message[] = "a helper's findings";

static void send_and_finish(void *arg, int fd) {
  (void)arg;
  hd_helper_send(fd, message, sizeof message);
  hd_helper_exit(0);
}

static void send_and_exit_plainly(void *arg, int fd) {
  (void)arg;
  hd_helper_send(fd, message, sizeof message);
  _exit(0);
}

static void send_half_and_die(void *arg, int fd) {
  (void)arg;
  hd_helper_send(fd, message, sizeof message / 2);
  raise(SIGKILL);
  _exit(0); /* not reached */
}

static void hang(void *arg, int fd) {
  (void)arg;
  (void)fd;
  for (;;) pause(); /* no switch point: its heartbeat never moves */
}

/* Blocks until the helper's process has ended, without reaping it. */
static void wait_for_end(const hd_helper *h) {
  siginfo_t info;
  assert_int_equal(waitid(P_PID, (id_t)h->pid, &info, WEXITED | WNOWAIT), 0);
}

/* Collects the helper, which must have sent `message` whole and ended
 * cleanly; it is forgotten after (nothing left to stop). */
static void collect_message(hd_helper *h) {
  char *bytes;
  size_t len;
  assert_true(hd_helper_collect(h, 0, &bytes, &len));
  assert_int_equal(len, sizeof message);
  assert_memory_equal(bytes, message, sizeof message);
  free(bytes);
  assert_int_equal(h->pid, 0);
}

static void test_collect_gives_what_the_helper_sent(void **state) {
  (void)state;
  hd_helper h;
  assert_true(hd_helper_start(&h, send_and_finish, NULL));
  collect_message(&h);
}

static void test_a_finished_helper_is_seen_at_the_first_poll(void **state) {
  (void)state;
  hd_helper h;
  assert_true(hd_helper_start(&h, send_and_finish, NULL));
  wait_for_end(&h);
  assert_true(hd_helper_poll(&h, 0));
  collect_message(&h);
}

static void test_a_helper_exiting_otherwise_is_seen_within_the_look_interval(void **state) {
  (void)state;
  hd_helper h;
  assert_true(hd_helper_start(&h, send_and_exit_plainly, NULL));
  wait_for_end(&h);
  int polls = 1;
  while (!hd_helper_poll(&h, 0)) {
    polls++;
    assert_true(polls <= HD_HELPER_LOOK_EVERY);
  }
  assert_true(polls > 1); /* not told: seen at a look only */
  collect_message(&h);     /* it did send, and exited cleanly */
}

static void test_a_helper_that_dies_gives_nothing(void **state) {
  (void)state;
  hd_helper h;
  assert_true(hd_helper_start(&h, send_half_and_die, NULL));
  char *bytes = (char *)message;
  size_t len = 1;
  assert_false(hd_helper_collect(&h, 0, &bytes, &len));
  assert_null(bytes);
  assert_int_equal(len, 0);
}

static void test_a_hung_helper_is_given_up_by_the_watchdog(void **state) {
  (void)state;
  hd_helper h;
  assert_true(hd_helper_start(&h, hang, NULL));
  pid_t pid = h.pid;
  char *bytes;
  size_t len;
  assert_false(hd_helper_collect(&h, 0.2, &bytes, &len));
  assert_int_equal(kill(pid, 0), -1); /* killed and reaped: no such process */
}

static void test_stop_kills_a_running_helper(void **state) {
  (void)state;
  hd_helper h;
  assert_true(hd_helper_start(&h, hang, NULL));
  pid_t pid = h.pid;
  assert_false(hd_helper_poll(&h, 0));
  hd_helper_stop(&h);
  assert_int_equal(h.pid, 0);
  assert_int_equal(kill(pid, 0), -1);
}

static void test_tokens_count_the_places_left(void **state) {
  (void)state;
  int *tokens = hd_helper_tokens_new(2);
  assert_non_null(tokens);
  assert_true(hd_helper_take_token(tokens));
  assert_true(hd_helper_take_token(tokens));
  assert_false(hd_helper_take_token(tokens));
  hd_helper_give_token(tokens);
  assert_true(hd_helper_take_token(tokens));
  assert_false(hd_helper_take_token(tokens));
  hd_helper_tokens_free(tokens);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_collect_gives_what_the_helper_sent),
      cmocka_unit_test(test_a_finished_helper_is_seen_at_the_first_poll),
      cmocka_unit_test(test_a_helper_exiting_otherwise_is_seen_within_the_look_interval),
      cmocka_unit_test(test_a_helper_that_dies_gives_nothing),
      cmocka_unit_test(test_a_hung_helper_is_given_up_by_the_watchdog),
      cmocka_unit_test(test_stop_kills_a_running_helper),
      cmocka_unit_test(test_tokens_count_the_places_left),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

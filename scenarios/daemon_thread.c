/* The tutorial's first two programs, one body with the daemon flag as the
 * only difference: main starts a thread that logs 'starting', sleeps 2 s and
 * logs 'finishing', then logs 'all done' and returns without joining.
 *   daemon_thread: daemon=True. Daemons are abandoned at interpreter exit,
 *     so 'finishing' never happens in any schedule.
 *   thread_waited_at_exit: daemon=False. The program still waits for the
 *     thread at exit, so 'finishing' happens in every schedule.
 * Each check asserts its outcome. */
#include "scenarios/scenario.h"

static hd_shared finished;
static hd_thread worker;

static void thread_function(void *arg) {
  long name = (long)arg;
  hd_log("Thread %ld: starting", name);
  hd_sleep(2);
  hd_store(&finished, 1);
  hd_log("Thread %ld: finishing", name);
}

static void start_without_join(bool daemon) {
  hd_shared_init(&finished, "thread_finished", 0);
  hd_log("Main    : before creating thread");
  hd_thread_init(&worker, thread_function, (void *)1, NULL);
  hd_thread_set_daemon(&worker, daemon);
  hd_log("Main    : before running thread");
  hd_thread_start(&worker);
  hd_log("Main    : wait for the thread to finish");
  hd_log("Main    : all done");
}

static void daemon_body(void *arg) {
  (void)arg;
  start_without_join(true);
}

static void daemon_check(void *arg) {
  (void)arg;
  HD_ASSERT(hd_shared_peek(&finished) == 0, "the daemon thread finished although the program exited first");
}

static void non_daemon_body(void *arg) {
  (void)arg;
  start_without_join(false);
}

static void non_daemon_check(void *arg) {
  (void)arg;
  HD_ASSERT(hd_shared_peek(&finished) == 1, "the program exited before its non-daemon thread finished");
}

const hd_scenario hd_scenario_daemon_thread = {
    .name = "daemon_thread",
    .summary = "a daemon thread is abandoned at exit: its 'finishing' step never happens",
    .expect = HD_EXPECT_PASS,
    .body = daemon_body,
    .check = daemon_check,
};

const hd_scenario hd_scenario_thread_waited_at_exit = {
    .name = "thread_waited_at_exit",
    .summary = "a non-daemon thread that is never joined still finishes before the program exits",
    .expect = HD_EXPECT_PASS,
    .body = non_daemon_body,
    .check = non_daemon_check,
};

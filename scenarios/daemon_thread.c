/* The tutorial's daemon thread: main starts a daemon that logs 'starting',
 * sleeps 2 s and logs 'finishing', then main logs 'all done' and returns. At
 * interpreter exit daemon threads are abandoned, so 'finishing' never
 * happens in any schedule; the check asserts it. */
#include "scenarios/scenario.h"

static hd_shared finished;
static hd_thread daemon;

static void thread_function(void *arg) {
  long name = (long)arg;
  hd_log("Thread %ld: starting", name);
  hd_sleep(2);
  hd_store(&finished, 1);
  hd_log("Thread %ld: finishing", name);
}

static void body(void *arg) {
  (void)arg;
  hd_shared_init(&finished, "daemon_finished", 0);
  hd_log("Main    : before creating thread");
  hd_thread_init(&daemon, thread_function, (void *)1, NULL);
  hd_thread_set_daemon(&daemon, true);
  hd_log("Main    : before running thread");
  hd_thread_start(&daemon);
  hd_log("Main    : wait for the thread to finish");
  hd_log("Main    : all done");
}

static void check(void *arg) {
  (void)arg;
  HD_ASSERT(hd_shared_peek(&finished) == 0, "the daemon thread finished although the program exited first");
}

const hd_scenario hd_scenario_daemon_thread = {
    .name = "daemon_thread",
    .summary = "a daemon thread is abandoned at exit: its 'finishing' step never happens",
    .expect = HD_EXPECT_PASS,
    .body = body,
    .check = check,
};

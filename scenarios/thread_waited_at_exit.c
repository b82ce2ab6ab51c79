/* The tutorial's first program: main starts a (non-daemon) thread that logs
 * 'starting', sleeps 2 s and logs 'finishing', then logs 'all done' without
 * joining. The program still waits for the thread at exit, so 'finishing'
 * happens in every schedule; the check asserts it. Pair of daemon_thread. */
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

static void body(void *arg) {
  (void)arg;
  hd_shared_init(&finished, "thread_finished", 0);
  hd_log("Main    : before creating thread");
  hd_thread_init(&worker, thread_function, (void *)1, NULL);
  hd_log("Main    : before running thread");
  hd_thread_start(&worker);
  hd_log("Main    : wait for the thread to finish");
  hd_log("Main    : all done");
}

static void check(void *arg) {
  (void)arg;
  HD_ASSERT(hd_shared_peek(&finished) == 1, "the program exited before its non-daemon thread finished");
}

const hd_scenario hd_scenario_thread_waited_at_exit = {
    .name = "thread_waited_at_exit",
    .summary = "a non-daemon thread that is never joined still finishes before the program exits",
    .expect = HD_EXPECT_PASS,
    .body = body,
    .check = check,
};

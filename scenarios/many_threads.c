/* The tutorial's many threads: three threads started in a loop and joined in
 * a loop; each logs, sleeps 2 s and logs again. Their finishing order varies
 * from schedule to schedule, but all of them finish. The order of each
 * execution is kept in many_threads_finish_order for tests to compare. */
#include "scenarios/scenario.h"

static hd_thread threads[3];
static hd_shared finish_count;
/* Which thread finished 1st, 2nd, 3rd in the latest execution. */
int many_threads_finish_order[3];

static hd_lock order_lock;

static void thread_function(void *arg) {
  long index = (long)arg;
  hd_log("Thread %ld: starting", index);
  hd_sleep(2);
  hd_log("Thread %ld: finishing", index);
  /* Record the finishing position under a Lock: the counter is shared. */
  hd_lock_acquire(&order_lock);
  int64_t position = hd_load(&finish_count);
  many_threads_finish_order[position] = (int)(long)arg;
  hd_store(&finish_count, position + 1);
  hd_lock_release(&order_lock);
}

static void body(void *arg) {
  (void)arg;
  hd_shared_init(&finish_count, "finished", 0);
  hd_lock_init(&order_lock, "order_lock");
  for (long i = 0; i < 3; i++) {
    hd_log("Main    : create and start thread %ld.", i);
    hd_thread_init(&threads[i], thread_function, (void *)i, NULL);
    hd_thread_start(&threads[i]);
  }
  for (int i = 0; i < 3; i++) {
    hd_log("Main    : before joining thread %d.", i);
    hd_thread_join(&threads[i], HD_FOREVER);
    hd_log("Main    : thread %d done", i);
  }
  int64_t done = hd_load(&finish_count);
  HD_ASSERT(done == 3, "%lld of 3 threads finished", (long long)done);
}

const hd_scenario hd_scenario_many_threads = {
    .name = "many_threads",
    .summary = "three threads started and joined in loops: all finish, in an order that varies",
    .expect = HD_EXPECT_PASS,
    .body = body,
};

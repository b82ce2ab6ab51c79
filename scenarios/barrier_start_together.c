/* The tutorial's Barrier: workers initialise (for different lengths of
 * time), then wait on a Barrier so that none starts working before every
 * one of them is ready. Each worker counts itself ready under a Lock before
 * waiting and checks, once through, that all are ready. */
#include "scenarios/scenario.h"

enum { WORKERS = 3 };

static hd_barrier start_line;
static hd_lock lock;
static hd_shared ready; /* workers done initialising; under lock */
static hd_thread workers[WORKERS];

static void worker(void *arg) {
  long id = (long)arg;
  hd_sleep(0.01 * (double)hd_random_below(3)); /* initialisation takes a while */
  hd_lock_acquire(&lock);
  hd_store(&ready, hd_load(&ready) + 1);
  hd_lock_release(&lock);
  int index = -1;
  hd_err err = hd_barrier_wait(&start_line, &index);
  HD_ASSERT(err == HD_OK, "worker %ld: barrier wait failed with %s", id, hd_err_name(err));
  hd_lock_acquire(&lock);
  int64_t now_ready = hd_load(&ready);
  hd_lock_release(&lock);
  HD_ASSERT(now_ready == WORKERS, "worker %ld passed the barrier when only %lld of %d workers were ready", id,
            (long long)now_ready, WORKERS);
  hd_log("worker %ld starts (barrier index %d)", id, index);
}

static void body(void *arg) {
  (void)arg;
  hd_barrier_init(&start_line, WORKERS, NULL, NULL, HD_FOREVER, "start_line");
  hd_lock_init(&lock, "lock");
  hd_shared_init(&ready, "ready", 0);
  for (long i = 0; i < WORKERS; i++) {
    hd_thread_init(&workers[i], worker, (void *)i, NULL);
    hd_thread_start(&workers[i]);
  }
  for (int i = 0; i < WORKERS; i++) hd_thread_join(&workers[i], HD_FOREVER);
}

const hd_scenario hd_scenario_barrier_start_together = {
    .name = "barrier_start_together",
    .summary = "3 workers initialise, then meet at a Barrier: none starts before all are ready",
    .expect = HD_EXPECT_PASS,
    .body = body,
};

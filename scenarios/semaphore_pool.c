/* The tutorial's use of Semaphore: a pool of 3 database connections shared
 * by 6 threads. Each thread takes a connection (acquire), uses it for 0.1 s
 * and gives it back (release); a counter under a Lock tracks how many
 * threads are inside, and must never exceed the pool size. The virtual
 * sleep keeps holders inside while the others arrive, so every schedule
 * fills the pool to exactly 3. */
#include "scenarios/scenario.h"

enum { POOL_SIZE = 3, CLIENTS = 6 };

static hd_semaphore pool;
static hd_lock counter_lock;
static hd_shared in_use;      /* threads holding a connection; under counter_lock */
static hd_shared most_in_use; /* its maximum; under counter_lock */
static hd_thread clients[CLIENTS];

static void use_connection(void *arg) {
  (void)arg;
  hd_semaphore_acquire(&pool);
  hd_lock_acquire(&counter_lock);
  int64_t now_in_use = hd_load(&in_use) + 1;
  hd_store(&in_use, now_in_use);
  if (now_in_use > hd_load(&most_in_use)) hd_store(&most_in_use, now_in_use);
  hd_lock_release(&counter_lock);
  HD_ASSERT(now_in_use <= POOL_SIZE, "%lld threads hold a connection from a pool of %d", (long long)now_in_use,
            POOL_SIZE);
  hd_log("using a connection (%lld in use)", (long long)now_in_use);
  hd_sleep(0.1);
  hd_lock_acquire(&counter_lock);
  hd_store(&in_use, hd_load(&in_use) - 1);
  hd_lock_release(&counter_lock);
  hd_semaphore_release(&pool);
}

static void body(void *arg) {
  (void)arg;
  hd_bounded_semaphore_init(&pool, POOL_SIZE, "pool");
  hd_lock_init(&counter_lock, "counter_lock");
  hd_shared_init(&in_use, "in_use", 0);
  hd_shared_init(&most_in_use, "most_in_use", 0);
  for (int i = 0; i < CLIENTS; i++) {
    hd_thread_init(&clients[i], use_connection, NULL, NULL);
    hd_thread_start(&clients[i]);
  }
  for (int i = 0; i < CLIENTS; i++) hd_thread_join(&clients[i], HD_FOREVER);
  hd_lock_acquire(&counter_lock);
  int64_t most = hd_load(&most_in_use), left = hd_load(&in_use);
  hd_lock_release(&counter_lock);
  HD_ASSERT(left == 0, "%lld connections still in use after every client finished", (long long)left);
  HD_ASSERT(most == POOL_SIZE, "at most %lld connections were in use at once; the pool of %d was never full",
            (long long)most, POOL_SIZE);
}

const hd_scenario hd_scenario_semaphore_pool = {
    .name = "semaphore_pool",
    .summary = "a BoundedSemaphore(3) caps a connection pool shared by 6 threads: never more than 3 inside",
    .expect = HD_EXPECT_PASS,
    .body = body,
};

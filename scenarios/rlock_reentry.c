/* The tutorial's cure for double_acquire: an RLock lets its owner acquire it
 * again. A helper that takes the lock is called both from code that holds it
 * and from code that does not; a second thread contends for it meanwhile. */
#include "scenarios/scenario.h"

static hd_rlock lock;
static hd_shared balance;
static hd_thread other;

/* Takes the lock itself, so it is safe to call with or without it held. */
static void deposit(int64_t amount) {
  hd_rlock_acquire(&lock);
  hd_store(&balance, hd_load(&balance) + amount);
  hd_rlock_release(&lock);
}

static void transfer_twice(void *arg) {
  (void)arg;
  hd_rlock_acquire(&lock);
  HD_ASSERT(hd_rlock_count(&lock) == 1, "count is %d after the first acquire", hd_rlock_count(&lock));
  deposit(10); /* re-enters: count 2, back to 1 */
  deposit(5);
  HD_ASSERT(hd_rlock_owner(&lock) == hd_get_ident(), "the owner changed while the lock was held");
  hd_rlock_release(&lock);
}

static void body(void *arg) {
  (void)arg;
  hd_rlock_init(&lock, "account_lock");
  hd_shared_init(&balance, "balance", 0);
  hd_thread_init(&other, transfer_twice, NULL, "transfer");
  hd_thread_start(&other);
  deposit(100); /* without the lock held */
  hd_thread_join(&other, HD_FOREVER);
  int64_t final = hd_load(&balance);
  HD_ASSERT(final == 115, "balance is %lld, expected 115", (long long)final);
  HD_ASSERT(hd_rlock_owner(&lock) == -1 && hd_rlock_count(&lock) == 0, "the RLock is still held at the end");
}

const hd_scenario hd_scenario_rlock_reentry = {
    .name = "rlock_reentry",
    .summary = "an RLock re-acquired by its owner through a helper, with a contending thread: passes",
    .expect = HD_EXPECT_PASS,
    .body = body,
};

/* An account: a depositor thread adds 50 under the lock, and an auditor
 * thread checks the balance it expects once the deposit is in. main starts
 * both and returns without joining, so in many interleavings neither runs
 * at all; in one the auditor looks before the deposit. Expected: crash
 * (the auditor's failed assert). */
#include <assert.h>
#include <pthread.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int balance = 100;

static void *deposit(void *arg) {
  (void)arg;
  pthread_mutex_lock(&lock);
  balance += 50;
  pthread_mutex_unlock(&lock);
  return NULL;
}

static void *audit(void *arg) {
  (void)arg;
  pthread_mutex_lock(&lock);
  int seen = balance;
  pthread_mutex_unlock(&lock);
  assert(seen == 150); /* assumes the deposit happened first */
  return NULL;
}

int main(void) {
  pthread_t d, a;
  pthread_create(&d, NULL, deposit, NULL);
  pthread_create(&a, NULL, audit, NULL);
  return 0; /* no join: the program may end before either thread runs */
}

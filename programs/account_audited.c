/* account_unjoined's fix: the auditor waits on a condition variable until
 * the deposit is in, and main joins both threads. Expected: pass. */
#include <assert.h>
#include <pthread.h>
#include <stdbool.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t deposited = PTHREAD_COND_INITIALIZER;
static int balance = 100;
static bool done;

static void *deposit(void *arg) {
  (void)arg;
  pthread_mutex_lock(&lock);
  balance += 50;
  done = true;
  pthread_mutex_unlock(&lock);
  pthread_cond_signal(&deposited); /* after the unlock: POSIX allows it */
  return NULL;
}

static void *audit(void *arg) {
  (void)arg;
  pthread_mutex_lock(&lock);
  while (!done) pthread_cond_wait(&deposited, &lock);
  int seen = balance;
  pthread_mutex_unlock(&lock);
  assert(seen == 150);
  return NULL;
}

int main(void) {
  pthread_t d, a;
  pthread_create(&d, NULL, deposit, NULL);
  pthread_create(&a, NULL, audit, NULL);
  pthread_join(d, NULL);
  pthread_join(a, NULL);
  return 0;
}

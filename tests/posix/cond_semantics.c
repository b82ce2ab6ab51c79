/* Condition variables: signal and broadcast with or without the mutex,
 * timedwait on CLOCK_MONOTONIC and CLOCK_REALTIME timing out, broadcast
 * waking every waiter. Holds in every interleaving, natively too. */
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <time.h>

#define WAITERS 3
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t go = PTHREAD_COND_INITIALIZER, monotonic;
static bool open_gate;
static int passed;

static void *waiter(void *arg) {
  (void)arg;
  pthread_mutex_lock(&lock);
  while (!open_gate) pthread_cond_wait(&go, &lock);
  passed++;
  pthread_mutex_unlock(&lock);
  return NULL;
}

static struct timespec in_ms(clockid_t clock, long ms) {
  struct timespec t;
  clock_gettime(clock, &t);
  t.tv_nsec += ms * 1000000;
  t.tv_sec += t.tv_nsec / 1000000000;
  t.tv_nsec %= 1000000000;
  return t;
}

int main(void) {
  pthread_condattr_t attr;
  pthread_condattr_init(&attr);
  pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
  pthread_cond_init(&monotonic, &attr);
  pthread_condattr_destroy(&attr);

  /* Nobody signals: both clocks time out, and the mutex is held again. */
  pthread_mutex_lock(&lock);
  struct timespec t = in_ms(CLOCK_MONOTONIC, 10);
  assert(pthread_cond_timedwait(&monotonic, &lock, &t) == ETIMEDOUT);
  t = in_ms(CLOCK_REALTIME, 10);
  assert(pthread_cond_timedwait(&go, &lock, &t) == ETIMEDOUT);
  assert(pthread_mutex_unlock(&lock) == 0);
  /* A signal nobody waits for is not an error, with or without the mutex. */
  assert(pthread_cond_signal(&go) == 0);
  assert(pthread_cond_broadcast(&go) == 0);

  pthread_t t1[WAITERS];
  for (int i = 0; i < WAITERS; i++) pthread_create(&t1[i], NULL, waiter, NULL);
  pthread_mutex_lock(&lock);
  open_gate = true;
  pthread_mutex_unlock(&lock);
  pthread_cond_broadcast(&go); /* after the unlock: POSIX allows it */
  for (int i = 0; i < WAITERS; i++) pthread_join(t1[i], NULL);
  assert(passed == WAITERS);
  assert(pthread_cond_destroy(&go) == 0);
  return 0;
}

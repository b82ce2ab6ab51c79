/* Undefined behaviour: two threads wait on one condition variable with
 * different mutexes at the same time. Expected: misuse. */
#include <pthread.h>
#include <time.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;

static void *wait_with(void *arg) {
  pthread_mutex_t *m = arg;
  struct timespec later;
  clock_gettime(CLOCK_REALTIME, &later);
  later.tv_sec += 1;
  pthread_mutex_lock(m);
  pthread_cond_timedwait(&c, m, &later);
  pthread_mutex_unlock(m);
  return NULL;
}

int main(void) {
  pthread_t t1, t2;
  pthread_create(&t1, NULL, wait_with, &a);
  pthread_create(&t2, NULL, wait_with, &b);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  return 0;
}

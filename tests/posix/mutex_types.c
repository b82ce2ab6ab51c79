/* POSIX mutex types and their error returns: errorcheck relock EDEADLK and
 * foreign or repeated unlock EPERM, recursive counting, trylock EBUSY,
 * timedlock ETIMEDOUT. Holds in every interleaving, natively too. */
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <time.h>

static pthread_mutex_t plain = PTHREAD_MUTEX_INITIALIZER, checked, counted;
static sem_t held, done;

static void *holder(void *arg) {
  (void)arg;
  pthread_mutex_lock(&plain);
  pthread_mutex_lock(&counted);
  sem_post(&held);
  sem_wait(&done); /* keeps both until main has tried them */
  pthread_mutex_unlock(&counted);
  pthread_mutex_unlock(&plain);
  return NULL;
}

int main(void) {
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
  pthread_mutex_init(&checked, &attr);
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(&counted, &attr);
  pthread_mutexattr_destroy(&attr);
  sem_init(&held, 0, 0);
  sem_init(&done, 0, 0);

  assert(pthread_mutex_lock(&checked) == 0);
  assert(pthread_mutex_lock(&checked) == EDEADLK);
  assert(pthread_mutex_unlock(&checked) == 0);
  assert(pthread_mutex_unlock(&checked) == EPERM);

  for (int i = 0; i < 3; i++) assert(pthread_mutex_lock(&counted) == 0);
  for (int i = 0; i < 3; i++) assert(pthread_mutex_unlock(&counted) == 0);
  assert(pthread_mutex_unlock(&counted) == EPERM);

  pthread_t t;
  pthread_create(&t, NULL, holder, NULL);
  sem_wait(&held);
  assert(pthread_mutex_trylock(&plain) == EBUSY);
  assert(pthread_mutex_trylock(&counted) == EBUSY);
  assert(pthread_mutex_unlock(&counted) == EPERM); /* a recursive mutex another thread holds */
  struct timespec soon;
  clock_gettime(CLOCK_REALTIME, &soon);
  soon.tv_nsec += 20 * 1000 * 1000;
  if (soon.tv_nsec >= 1000000000) {
    soon.tv_sec++;
    soon.tv_nsec -= 1000000000;
  }
  assert(pthread_mutex_timedlock(&plain, &soon) == ETIMEDOUT);
  struct timespec bad = {0, 1000000000};
  assert(pthread_mutex_timedlock(&plain, &bad) == EINVAL);
  sem_post(&done);
  pthread_join(t, NULL);
  assert(pthread_mutex_trylock(&plain) == 0);
  assert(pthread_mutex_unlock(&plain) == 0);
  assert(pthread_mutex_destroy(&plain) == 0);
  return 0;
}

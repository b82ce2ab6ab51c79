/* glibc's extensions programs use: thread names (which heddle's reports
 * then use), tryjoin / timedjoin / clockjoin, and the clock* variants of the
 * timed waits, each timing out while the resource is held. Holds in every
 * interleaving, natively too. */
#define _GNU_SOURCE
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static sem_t holding, release, empty;

static void *holder(void *arg) {
  (void)arg;
  assert(pthread_setname_np(pthread_self(), "holder") == 0);
  pthread_mutex_lock(&lock);
  pthread_rwlock_rdlock(&rw);
  sem_post(&holding);
  sem_wait(&release); /* holds both until main has timed out on them */
  pthread_rwlock_unlock(&rw);
  pthread_mutex_unlock(&lock);
  return (void *)7;
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
  sem_init(&holding, 0, 0);
  sem_init(&release, 0, 0);
  sem_init(&empty, 0, 0);
  pthread_t t;
  pthread_create(&t, NULL, holder, NULL);
  sem_wait(&holding);
  char name[16];
  assert(pthread_getname_np(t, name, sizeof name) == 0 && strcmp(name, "holder") == 0);
  assert(pthread_setname_np(t, "a name longer than fifteen") == ERANGE);

  assert(pthread_tryjoin_np(t, NULL) == EBUSY);
  struct timespec soon = in_ms(CLOCK_REALTIME, 10);
  assert(pthread_timedjoin_np(t, NULL, &soon) == ETIMEDOUT);
  soon = in_ms(CLOCK_MONOTONIC, 10);
  assert(pthread_clockjoin_np(t, NULL, CLOCK_MONOTONIC, &soon) == ETIMEDOUT);

  soon = in_ms(CLOCK_MONOTONIC, 10);
  assert(pthread_mutex_clocklock(&lock, CLOCK_MONOTONIC, &soon) == ETIMEDOUT);
  soon = in_ms(CLOCK_MONOTONIC, 10);
  assert(pthread_rwlock_clockwrlock(&rw, CLOCK_MONOTONIC, &soon) == ETIMEDOUT);
  soon = in_ms(CLOCK_MONOTONIC, 10);
  assert(pthread_rwlock_clockrdlock(&rw, CLOCK_MONOTONIC, &soon) == 0); /* readers share */
  pthread_rwlock_unlock(&rw);
  soon = in_ms(CLOCK_MONOTONIC, 10);
  assert(sem_clockwait(&empty, CLOCK_MONOTONIC, &soon) == -1 && errno == ETIMEDOUT);

  pthread_mutex_t mine = PTHREAD_MUTEX_INITIALIZER;
  pthread_mutex_lock(&mine);
  soon = in_ms(CLOCK_MONOTONIC, 10);
  assert(pthread_cond_clockwait(&never, &mine, CLOCK_MONOTONIC, &soon) == ETIMEDOUT);
  pthread_mutex_unlock(&mine);

  sem_post(&release);
  void *ret;
  soon = in_ms(CLOCK_REALTIME, 60000);
  assert(pthread_timedjoin_np(t, &ret, &soon) == 0 && ret == (void *)7);
  return 0;
}

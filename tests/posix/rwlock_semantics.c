/* Read-write locks: readers share, a writer excludes, try and timed
 * variants fail with EBUSY and ETIMEDOUT. Holds in every interleaving. */
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <time.h>

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static sem_t holding, release;

static void *reader(void *arg) {
  (void)arg;
  assert(pthread_rwlock_rdlock(&rw) == 0);
  sem_post(&holding);
  sem_wait(&release);
  assert(pthread_rwlock_unlock(&rw) == 0);
  return NULL;
}

static void *writer(void *arg) {
  (void)arg;
  assert(pthread_rwlock_wrlock(&rw) == 0);
  sem_post(&holding);
  sem_wait(&release);
  assert(pthread_rwlock_unlock(&rw) == 0);
  return NULL;
}

int main(void) {
  sem_init(&holding, 0, 0);
  sem_init(&release, 0, 0);
  pthread_t t;
  pthread_create(&t, NULL, reader, NULL);
  sem_wait(&holding);
  assert(pthread_rwlock_tryrdlock(&rw) == 0); /* readers share */
  assert(pthread_rwlock_unlock(&rw) == 0);
  assert(pthread_rwlock_trywrlock(&rw) == EBUSY);
  struct timespec soon;
  clock_gettime(CLOCK_REALTIME, &soon);
  soon.tv_sec += 1;
  assert(pthread_rwlock_timedwrlock(&rw, &soon) == ETIMEDOUT);
  sem_post(&release);
  pthread_join(t, NULL);

  pthread_create(&t, NULL, writer, NULL);
  sem_wait(&holding);
  assert(pthread_rwlock_tryrdlock(&rw) == EBUSY);
  assert(pthread_rwlock_trywrlock(&rw) == EBUSY);
  clock_gettime(CLOCK_REALTIME, &soon);
  soon.tv_sec += 1;
  assert(pthread_rwlock_timedrdlock(&rw, &soon) == ETIMEDOUT);
  sem_post(&release);
  pthread_join(t, NULL);
  assert(pthread_rwlock_wrlock(&rw) == 0);
  assert(pthread_rwlock_wrlock(&rw) == EDEADLK); /* glibc's answer to a writer's relock */
  assert(pthread_rwlock_unlock(&rw) == 0);
  assert(pthread_rwlock_destroy(&rw) == 0);
  return 0;
}

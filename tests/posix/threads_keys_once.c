/* Threads and what belongs to them: return values through join and
 * pthread_exit, detach, self and equal, a barrier's one serial thread,
 * pthread_once, keys whose destructors run at thread exit, and
 * thread-local variables that each thread has its own copy of. Holds in
 * every interleaving, natively too. */
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdint.h>

#define N 3
static pthread_barrier_t barrier;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_key_t key;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int inits, serials, destroyed_sum;
static __thread int mine = 7;
static sem_t finished;

static void init(void) { inits++; }

static void destroy(void *value) {
  pthread_mutex_lock(&lock);
  destroyed_sum += (int)(intptr_t)value;
  pthread_mutex_unlock(&lock);
}

static void *worker(void *arg) {
  intptr_t id = (intptr_t)arg;
  pthread_once(&once, init);
  pthread_setspecific(key, (void *)id);
  assert(pthread_getspecific(key) == (void *)id);
  for (int i = 0; i < 3; i++) {
    mine += (int)id; /* each thread's own copy: others' updates never show */
    sched_yield();
  }
  assert(mine == 7 + 3 * (int)id);
  int r = pthread_barrier_wait(&barrier);
  assert(r == 0 || r == PTHREAD_BARRIER_SERIAL_THREAD);
  if (r == PTHREAD_BARRIER_SERIAL_THREAD) {
    pthread_mutex_lock(&lock);
    serials++;
    pthread_mutex_unlock(&lock);
  }
  if (id == 2) pthread_exit((void *)(id * 10)); /* the destructor still runs */
  return (void *)(id * 10);
}

static void *detached(void *arg) {
  (void)arg;
  sem_post(&finished);
  return NULL;
}

int main(void) {
  assert(pthread_equal(pthread_self(), pthread_self()));
  pthread_barrier_init(&barrier, NULL, N);
  sem_init(&finished, 0, 0);
  pthread_key_create(&key, destroy);
  pthread_t t[N];
  for (intptr_t i = 0; i < N; i++) pthread_create(&t[i], NULL, worker, (void *)(i + 1));
  assert(!pthread_equal(t[0], t[1]));
  for (int i = 0; i < N; i++) {
    void *ret;
    assert(pthread_join(t[i], &ret) == 0);
    assert(ret == (void *)(intptr_t)((i + 1) * 10));
  }
  assert(inits == 1 && serials == 1);
  assert(destroyed_sum == 1 + 2 + 3);
  assert(mine == 7); /* main's copy never changed */

  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_t d;
  assert(pthread_create(&d, &attr, detached, NULL) == 0);
  pthread_attr_destroy(&attr);
  pthread_t j;
  pthread_create(&j, NULL, detached, NULL);
  assert(pthread_detach(j) == 0);
  assert(pthread_key_delete(key) == 0);
  assert(pthread_barrier_destroy(&barrier) == 0);
  sem_wait(&finished);
  sem_wait(&finished);
  return 0;
}

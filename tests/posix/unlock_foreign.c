/* Undefined behaviour a checker can see: main unlocks a normal mutex that
 * a worker holds. Expected: misuse. */
#include <pthread.h>
#include <semaphore.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static sem_t locked;

static void *worker(void *arg) {
  (void)arg;
  pthread_mutex_lock(&m);
  sem_post(&locked);
  return NULL;
}

int main(void) {
  sem_init(&locked, 0, 0);
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  sem_wait(&locked);
  pthread_mutex_unlock(&m);
  pthread_join(t, NULL);
  return 0;
}

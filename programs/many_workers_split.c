/* many_workers with the count's read and write in two critical sections:
 * with 101 workers, two of them can read the same count. Expected: crash
 * (main's assert). */
#include <assert.h>
#include <pthread.h>

#define WORKERS 101
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int count;

static void *work(void *arg) {
  (void)arg;
  pthread_mutex_lock(&lock);
  int seen = count;
  pthread_mutex_unlock(&lock);
  pthread_mutex_lock(&lock);
  count = seen + 1;
  pthread_mutex_unlock(&lock);
  return NULL;
}

int main(void) {
  pthread_t t[WORKERS];
  for (long i = 0; i < WORKERS; i++) pthread_create(&t[i], NULL, work, (void *)i);
  for (int i = 0; i < WORKERS; i++) pthread_join(t[i], NULL);
  assert(count == WORKERS);
  return 0;
}

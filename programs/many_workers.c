/* 101 workers, each doing two critical sections (a count and a sum), and a
 * main that joins them all and checks both: 102 threads at once, more than
 * a 64-bit mask holds. Expected: pass. */
#include <assert.h>
#include <pthread.h>

#define WORKERS 101
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int count;
static long sum;

static void *work(void *arg) {
  long id = (long)arg;
  pthread_mutex_lock(&lock);
  count++;
  pthread_mutex_unlock(&lock);
  pthread_mutex_lock(&lock);
  sum += id;
  pthread_mutex_unlock(&lock);
  return NULL;
}

int main(void) {
  pthread_t t[WORKERS];
  for (long i = 0; i < WORKERS; i++) pthread_create(&t[i], NULL, work, (void *)i);
  for (int i = 0; i < WORKERS; i++) pthread_join(t[i], NULL);
  assert(count == WORKERS);
  assert(sum == (long)WORKERS * (WORKERS - 1) / 2);
  return 0;
}

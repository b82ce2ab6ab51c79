/* 3,000 threads over the program's life, 500 alive at a time: each batch is
 * joined before the next starts, so later threads take over the slots of
 * joined ones. Each adds its number under a mutex. Expected: pass. */
#include <assert.h>
#include <pthread.h>

#define BATCH 500
#define BATCHES 6
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long sum;

static void *add(void *arg) {
  pthread_mutex_lock(&lock);
  sum += (long)arg;
  pthread_mutex_unlock(&lock);
  return NULL;
}

int main(void) {
  static pthread_t batch[BATCH];
  long n = 0;
  for (int b = 0; b < BATCHES; b++) {
    for (int i = 0; i < BATCH; i++) assert(pthread_create(&batch[i], NULL, add, (void *)++n) == 0);
    for (int i = 0; i < BATCH; i++) pthread_join(batch[i], NULL);
  }
  assert(sum == n * (n + 1) / 2);
  return 0;
}

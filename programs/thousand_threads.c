/* 1,000 threads at once, each adding to a counter under a mutex, joined by
 * main. Expected: pass. */
#include <assert.h>
#include <pthread.h>
#include <stdio.h>

#define THREADS 1000
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int counter;
static pthread_t threads[THREADS];

static void *add(void *arg) {
  (void)arg;
  pthread_mutex_lock(&lock);
  counter++;
  pthread_mutex_unlock(&lock);
  return NULL;
}

int main(void) {
  for (int i = 0; i < THREADS; i++) {
    if (pthread_create(&threads[i], NULL, add, NULL) != 0) {
      fprintf(stderr, "pthread_create failed at thread %d\n", i);
      return 1;
    }
  }
  for (int i = 0; i < THREADS; i++) pthread_join(threads[i], NULL);
  assert(counter == THREADS);
  return 0;
}

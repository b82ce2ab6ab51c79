/* A consumer that waits with `if` instead of `while`: correct when wake-ups
 * only come from signals (one producer, one consumer), wrong when a
 * spurious wake-up can happen, as POSIX allows. Expected: pass, and crash
 * with spurious wake-ups on (see BUILD). */
#include <assert.h>
#include <pthread.h>
#include <stdbool.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready_changed = PTHREAD_COND_INITIALIZER;
static bool ready;

static void *consumer(void *arg) {
  (void)arg;
  pthread_mutex_lock(&lock);
  if (!ready) pthread_cond_wait(&ready_changed, &lock);
  assert(ready);
  pthread_mutex_unlock(&lock);
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, consumer, NULL);
  pthread_mutex_lock(&lock);
  ready = true;
  pthread_cond_signal(&ready_changed);
  pthread_mutex_unlock(&lock);
  pthread_join(t, NULL);
  return 0;
}

/* abba_deadlock's fix: both threads take the mutexes in one global order.
 * Expected: pass. */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static int transfers;

static void *transfer(void *arg) {
  (void)arg;
  pthread_mutex_lock(&a);
  pthread_mutex_lock(&b);
  transfers++;
  pthread_mutex_unlock(&b);
  pthread_mutex_unlock(&a);
  return NULL;
}

int main(void) {
  pthread_t t1, t2;
  pthread_create(&t1, NULL, transfer, NULL);
  pthread_create(&t2, NULL, transfer, NULL);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  printf("%d transfers\n", transfers);
  return transfers == 2 ? 0 : 1;
}

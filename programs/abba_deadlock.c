/* Two threads take two mutexes in opposite orders: in the interleaving
 * where each holds its first, both wait forever. Expected: deadlock. */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static int transfers;

static void *forward(void *arg) {
  (void)arg;
  pthread_mutex_lock(&a);
  pthread_mutex_lock(&b);
  transfers++;
  pthread_mutex_unlock(&b);
  pthread_mutex_unlock(&a);
  return NULL;
}

static void *backward(void *arg) {
  (void)arg;
  pthread_mutex_lock(&b);
  pthread_mutex_lock(&a);
  transfers++;
  pthread_mutex_unlock(&a);
  pthread_mutex_unlock(&b);
  return NULL;
}

int main(void) {
  pthread_t t1, t2;
  pthread_create(&t1, NULL, forward, NULL);
  pthread_create(&t2, NULL, backward, NULL);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  printf("%d transfers\n", transfers);
  return 0;
}

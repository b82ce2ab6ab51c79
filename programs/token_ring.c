/* token_ring_lost_signal's fix: the check of whose turn it is and the wait
 * are under one mutex, in a loop. Expected: pass. */
#include <pthread.h>

#define THREADS 3
#define ROUNDS 2
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_changed = PTHREAD_COND_INITIALIZER;
static int turn;

static void *member(void *arg) {
  int me = (int)(long)arg;
  for (int r = 0; r < ROUNDS; r++) {
    pthread_mutex_lock(&lock);
    while (turn != me) pthread_cond_wait(&turn_changed, &lock);
    turn = (me + 1) % THREADS;
    pthread_cond_broadcast(&turn_changed);
    pthread_mutex_unlock(&lock);
  }
  return NULL;
}

int main(void) {
  pthread_t t[THREADS];
  for (long i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, member, (void *)i);
  for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
  return 0;
}

/* A token ring: three threads pass a token around twice, each waiting for
 * its turn on one condition variable. Each waits only if the token is not
 * already its own, but checks outside the mutex: the holder can pass the
 * token and signal between the check and the wait, and that signal is lost.
 * Expected: deadlock. */
#include <pthread.h>

#define THREADS 3
#define ROUNDS 2
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_changed = PTHREAD_COND_INITIALIZER;
static volatile int turn;

static void *member(void *arg) {
  int me = (int)(long)arg;
  for (int r = 0; r < ROUNDS; r++) {
    if (turn != me) { /* the bug: the check is not under the mutex */
      pthread_mutex_lock(&lock);
      pthread_cond_wait(&turn_changed, &lock);
      pthread_mutex_unlock(&lock);
      r--; /* look again */
      continue;
    }
    pthread_mutex_lock(&lock);
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

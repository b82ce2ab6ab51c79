/* main frees the shared session and sets it to NULL while a worker may
 * still be about to use it: in that interleaving the worker dereferences
 * NULL. Expected: crash (SIGSEGV). */
#include <pthread.h>
#include <stdlib.h>

typedef struct session {
  int requests;
} session;

static session *current;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg) {
  (void)arg;
  pthread_mutex_lock(&lock);
  session *s = current; /* the bug: no check that it is still there */
  pthread_mutex_unlock(&lock);
  s->requests++;
  return NULL;
}

int main(void) {
  current = calloc(1, sizeof *current);
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  pthread_mutex_lock(&lock);
  free(current);
  current = NULL;
  pthread_mutex_unlock(&lock);
  pthread_join(t, NULL);
  return 0;
}

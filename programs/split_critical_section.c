/* An atomicity violation: each thread reads the counter in one critical
 * section and writes it back in another, so an update can be lost between
 * them. Expected: exit (main returns 1 when the count is wrong). */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int hits;

static void *hit(void *arg) {
  (void)arg;
  pthread_mutex_lock(&lock);
  int seen = hits;
  pthread_mutex_unlock(&lock);
  pthread_mutex_lock(&lock);
  hits = seen + 1;
  pthread_mutex_unlock(&lock);
  return NULL;
}

int main(void) {
  pthread_t t1, t2;
  pthread_create(&t1, NULL, hit, NULL);
  pthread_create(&t2, NULL, hit, NULL);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  if (hits != 2) {
    fprintf(stderr, "lost an update: %d hits\n", hits);
    return 1;
  }
  return 0;
}

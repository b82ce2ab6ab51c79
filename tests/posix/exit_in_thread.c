/* exit() in a thread ends the whole program at once with its status, while
 * main still waits in a join. Expected: exit (status 3). */
#include <pthread.h>
#include <stdlib.h>

static void *quit(void *arg) {
  (void)arg;
  exit(3);
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, quit, NULL);
  pthread_join(t, NULL);
  return 0;
}

/* abort() in a thread. Expected: crash. */
#include <pthread.h>
#include <stdlib.h>

static void *fail(void *arg) {
  (void)arg;
  abort();
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, fail, NULL);
  pthread_join(t, NULL);
  return 0;
}

/* Undefined behaviour: joining a detached thread. Expected: misuse. */
#include <pthread.h>

static void *nothing(void *arg) { return arg; }

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, nothing, NULL);
  pthread_detach(t);
  pthread_join(t, NULL);
  return 0;
}

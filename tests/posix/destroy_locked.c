/* Undefined behaviour: destroying a mutex that is locked. Expected: misuse. */
#include <pthread.h>

int main(void) {
  pthread_mutex_t m;
  pthread_mutex_init(&m, NULL);
  pthread_mutex_lock(&m);
  pthread_mutex_destroy(&m);
  return 0;
}

/* Four threads append their number to a log under a mutex; the last one
 * dereferences NULL when the first three came in reverse order (4, 3, 2):
 * a crash in one schedule of the 24, late in dfs's order. Expected: crash.
 * tests/program_cli_test.sh checks that dfs reports it the same with
 * helpers (--jobs) as alone. */
#include <pthread.h>
#include <stddef.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int order[4], n;

static void *append(void *arg) {
  pthread_mutex_lock(&lock);
  order[n++] = (int)(long)arg;
  if (n == 4 && order[0] == 4 && order[1] == 3 && order[2] == 2) {
    volatile int *nowhere = NULL;
    *nowhere = 1;
  }
  pthread_mutex_unlock(&lock);
  return NULL;
}

int main(void) {
  pthread_t t[4];
  for (long i = 0; i < 4; i++) pthread_create(&t[i], NULL, append, (void *)(i + 1));
  for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
  return 0;
}

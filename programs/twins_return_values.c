/* Two threads of one start routine and argument (twins) each take a number
 * from a shared counter and return it; main assumes the first thread it
 * created took 0, which the second can take first. Expected: crash (the
 * failed assert). dfs --symmetry refuses this program: main tells the twins
 * apart by the value one of them returns. */
#include <assert.h>
#include <pthread.h>
#include <stdint.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static intptr_t next;

static void *take_number(void *arg) {
  (void)arg;
  pthread_mutex_lock(&lock);
  intptr_t mine = next++;
  pthread_mutex_unlock(&lock);
  return (void *)mine;
}

int main(void) {
  pthread_t t[2];
  for (int i = 0; i < 2; i++) pthread_create(&t[i], NULL, take_number, NULL);
  void *first;
  pthread_join(t[0], &first);
  pthread_join(t[1], NULL);
  assert((intptr_t)first == 0);
  return 0;
}

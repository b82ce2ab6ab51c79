/* main calls pthread_exit: the program goes on until its last thread ends,
 * then exits with status 0, so the worker's late failure is still seen.
 * Expected: crash (the worker's assert). */
#include <assert.h>
#include <pthread.h>
#include <unistd.h>

static int steps;

static void *worker(void *arg) {
  (void)arg;
  sleep(1);
  steps++;
  assert(steps == 0); /* fails: only reached if the program outlives main */
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  pthread_exit(NULL);
}

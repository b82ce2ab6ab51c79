/* svcomp_atomic without its atomic sections: the increments interleave and
 * one is lost, or the race detector sees the unordered accesses first.
 * Expected: crash or data_race. */
#include <assert.h>
#include <pthread.h>
#include <sched.h>

static int counter, other;

void increment_other(void) {
  int seen = other;
  sched_yield();
  other = seen + 1;
}

static void *add(void *arg) {
  (void)arg;
  int seen = counter;
  sched_yield();
  counter = seen + 1;
  increment_other();
  return NULL;
}

int main(void) {
  pthread_t t1, t2;
  pthread_create(&t1, NULL, add, NULL);
  pthread_create(&t2, NULL, add, NULL);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  assert(counter == 2 && other == 2);
  return 0;
}

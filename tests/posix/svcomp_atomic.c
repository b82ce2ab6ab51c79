/* SV-COMP's atomic sections: two threads increment a counter with a
 * sched_yield between the read and the write, once inside
 * __VERIFIER_atomic_begin/_end and once inside a function named
 * __VERIFIER_atomic_*; neither may be interleaved, so no update is lost in
 * any schedule. Expected: pass (heddle only: natively the sections are not
 * atomic). */
#include <assert.h>
#include <pthread.h>
#include <sched.h>

extern void __VERIFIER_atomic_begin(void);
extern void __VERIFIER_atomic_end(void);

static int counter, other;

void __VERIFIER_atomic_increment_other(void) {
  int seen = other;
  sched_yield();
  other = seen + 1;
}

static void *add(void *arg) {
  (void)arg;
  __VERIFIER_atomic_begin();
  int seen = counter;
  sched_yield();
  counter = seen + 1;
  __VERIFIER_atomic_end();
  __VERIFIER_atomic_increment_other();
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

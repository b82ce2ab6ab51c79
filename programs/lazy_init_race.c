/* Lazy initialisation without synchronisation: two threads each see the
 * table missing and both build it; the second overwrites the first and the
 * first's registrations are lost. Expected: crash (assert). */
#include <assert.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>

typedef struct table {
  int entries;
} table;

static table *registry;
static int builds;

static table *get_registry(void) {
  if (!registry) {
    sched_yield(); /* building takes a while */
    table *t = calloc(1, sizeof *t);
    builds++;
    registry = t;
  }
  return registry;
}

static void *register_one(void *arg) {
  (void)arg;
  get_registry()->entries++;
  return NULL;
}

int main(void) {
  pthread_t t1, t2;
  pthread_create(&t1, NULL, register_one, NULL);
  pthread_create(&t2, NULL, register_one, NULL);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  assert(builds == 1);
  return 0;
}

/* lazy_init_race's fix: pthread_once builds the table exactly once, and a
 * mutex guards the registrations. Expected: pass. */
#include <assert.h>
#include <pthread.h>
#include <stdlib.h>

typedef struct table {
  int entries;
} table;

static table *registry;
static int builds;
static pthread_once_t built = PTHREAD_ONCE_INIT;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void build(void) {
  registry = calloc(1, sizeof *registry);
  builds++;
}

static void *register_one(void *arg) {
  (void)arg;
  pthread_once(&built, build);
  pthread_mutex_lock(&lock);
  registry->entries++;
  pthread_mutex_unlock(&lock);
  return NULL;
}

int main(void) {
  pthread_t t1, t2;
  pthread_create(&t1, NULL, register_one, NULL);
  pthread_create(&t2, NULL, register_one, NULL);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  assert(builds == 1 && registry->entries == 2);
  return 0;
}

/* Two mutexes guard one counter: each thread locks "its" mutex, so the
 * increments are not mutually exclusive. The read and the write are apart
 * (a sched_yield, as a longer computation would be) so the lost update
 * shows without instrumenting memory. Expected: exit (status 1). */
#include <pthread.h>
#include <sched.h>

static pthread_mutex_t reader_lock = PTHREAD_MUTEX_INITIALIZER, writer_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *add(void *arg) {
  pthread_mutex_t *mine = arg;
  pthread_mutex_lock(mine);
  long seen = counter;
  sched_yield();
  counter = seen + 1;
  pthread_mutex_unlock(mine);
  return NULL;
}

int main(void) {
  pthread_t t1, t2;
  pthread_create(&t1, NULL, add, &reader_lock);
  pthread_create(&t2, NULL, add, &writer_lock);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  return counter == 2 ? 0 : 1;
}

/* A circular buffer with condition variables whose consumers wait with
 * `if` instead of `while`: with two consumers, one can take the item the
 * other was woken for, and the woken one then takes from an empty buffer.
 * Expected: crash (assert). */
#include <assert.h>
#include <pthread.h>

#define SLOTS 2
static int ring[SLOTS], head, count;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER, not_full = PTHREAD_COND_INITIALIZER;

static void put(int v) {
  pthread_mutex_lock(&lock);
  while (count == SLOTS) pthread_cond_wait(&not_full, &lock);
  ring[(head + count) % SLOTS] = v;
  count++;
  pthread_cond_signal(&not_empty);
  pthread_mutex_unlock(&lock);
}

static int get(void) {
  pthread_mutex_lock(&lock);
  if (count == 0) pthread_cond_wait(&not_empty, &lock); /* the bug: `if`, not `while` */
  assert(count > 0);
  int v = ring[head];
  head = (head + 1) % SLOTS;
  count--;
  pthread_cond_signal(&not_full);
  pthread_mutex_unlock(&lock);
  return v;
}

static void *producer(void *arg) {
  (void)arg;
  for (int i = 1; i <= 2; i++) put(i);
  return NULL;
}

static void *consumer(void *arg) {
  (void)arg;
  get();
  return NULL;
}

int main(void) {
  pthread_t p, c1, c2;
  pthread_create(&c1, NULL, consumer, NULL);
  pthread_create(&c2, NULL, consumer, NULL);
  pthread_create(&p, NULL, producer, NULL);
  pthread_join(p, NULL);
  pthread_join(c1, NULL);
  pthread_join(c2, NULL);
  return 0;
}

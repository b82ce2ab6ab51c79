/* reorder_checker's fix: both writes in one critical section. Expected: pass. */
#include <assert.h>
#include <pthread.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int a, b;

static void *setter(void *arg) {
  (void)arg;
  pthread_mutex_lock(&lock);
  a = 1;
  b = -1;
  pthread_mutex_unlock(&lock);
  return NULL;
}

static void *checker(void *arg) {
  (void)arg;
  pthread_mutex_lock(&lock);
  int seen_a = a, seen_b = b;
  pthread_mutex_unlock(&lock);
  assert((seen_a == 0 && seen_b == 0) || (seen_a == 1 && seen_b == -1));
  return NULL;
}

int main(void) {
  pthread_t s, c;
  pthread_create(&s, NULL, setter, NULL);
  pthread_create(&c, NULL, checker, NULL);
  pthread_join(s, NULL);
  pthread_join(c, NULL);
  return 0;
}

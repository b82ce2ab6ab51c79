/* Semaphores (errno conventions: EAGAIN, ETIMEDOUT) and time: sleeps move
 * the clocks by at least what they ask, and a semaphore's timed wait gives
 * up at its deadline. Holds natively too (only lower bounds are checked). */
#include <assert.h>
#include <errno.h>
#include <semaphore.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static long long ns(clockid_t clock) {
  struct timespec t;
  clock_gettime(clock, &t);
  return (long long)t.tv_sec * 1000000000ll + t.tv_nsec;
}

int main(void) {
  sem_t s;
  assert(sem_init(&s, 0, 1) == 0);
  int v;
  assert(sem_getvalue(&s, &v) == 0 && v == 1);
  assert(sem_trywait(&s) == 0);
  errno = 0;
  assert(sem_trywait(&s) == -1 && errno == EAGAIN);
  struct timespec deadline;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_nsec += 5 * 1000 * 1000;
  deadline.tv_sec += deadline.tv_nsec / 1000000000;
  deadline.tv_nsec %= 1000000000;
  errno = 0;
  assert(sem_timedwait(&s, &deadline) == -1 && errno == ETIMEDOUT);
  assert(sem_post(&s) == 0);
  assert(sem_wait(&s) == 0);

  long long before = ns(CLOCK_MONOTONIC);
  assert(usleep(2000) == 0);
  struct timespec ten_ms = {0, 10 * 1000 * 1000};
  assert(nanosleep(&ten_ms, NULL) == 0);
  assert(ns(CLOCK_MONOTONIC) - before >= 12 * 1000 * 1000);
  struct timespec until;
  clock_gettime(CLOCK_MONOTONIC, &until);
  until.tv_sec += 1;
  assert(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) == 0);
  assert(ns(CLOCK_MONOTONIC) >= (long long)until.tv_sec * 1000000000ll + until.tv_nsec);
  struct timeval tv;
  assert(gettimeofday(&tv, NULL) == 0 && tv.tv_sec >= time(NULL) - 1);
  assert(sem_destroy(&s) == 0);
  return 0;
}

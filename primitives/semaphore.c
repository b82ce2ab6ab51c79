/* Semaphore over one monitor: a counter and waiters that loop on it.
 * CPython's Semaphore is a counter under a Condition; here the monitor plays
 * the Condition, and release(n) wakes every waiter, of which at most n find
 * the value positive (the rest go back to sleep). */
#include "primitives/semaphore.h"

#include "primitives/timeout.h"

hd_err hd_semaphore_init_at(hd_semaphore *s, int64_t value, const char *name, bool bounded, const char *file,
                            int line) {
  hd__mon_init(&s->mon, bounded ? "BoundedSemaphore" : "Semaphore", name);
  s->bounded = bounded;
  s->value = s->initial = value < 0 ? 0 : value;
  if (value < 0) {
    hd__misuse(file, line, "semaphore initial value must be >= 0, got %lld", (long long)value);
    return HD_EINVAL;
  }
  return HD_OK;
}

void hd_semaphore_destroy(hd_semaphore *s) { hd__mon_destroy(&s->mon); }

hd_err hd_semaphore_acquire_at(hd_semaphore *s, bool blocking, double timeout, const char *file, int line) {
  hd__point(&s->mon.obj, blocking ? HD_OP_ACQUIRE : HD_OP_TRY, file, line); /* lock.c says why */
  if (hd__check_timeout(timeout, file, line) != HD_OK) return HD_EINVAL;
  if (!blocking && timeout != HD_FOREVER) {
    hd__misuse(file, line, "can't specify timeout for non-blocking acquire");
    return HD_EINVAL;
  }
  int64_t deadline = hd__timeout_deadline(timeout);
  hd_err err = HD_OK;
  hd__mon_enter(&s->mon);
  while (s->value == 0) {
    if (!blocking) {
      err = HD_EWOULDBLOCK;
      break;
    }
    if (!hd__mon_wait(&s->mon, deadline, "acquire: Semaphore value 0") && s->value == 0) {
      err = HD_ETIMEDOUT;
      break;
    }
  }
  if (err == HD_OK) s->value--;
  hd__mon_exit(&s->mon);
  return err;
}

hd_err hd_semaphore_release_at(hd_semaphore *s, int64_t n, const char *file, int line) {
  hd__point(&s->mon.obj, HD_OP_RELEASE, file, line);
  if (n < 1) {
    hd__misuse(file, line, "n must be one or more, got %lld", (long long)n);
    return HD_EINVAL;
  }
  hd__mon_enter(&s->mon);
  if (s->bounded && n > s->initial - s->value) {
    int64_t value = s->value;
    hd__mon_exit(&s->mon);
    hd__misuse(file, line, "Semaphore released too many times (value %lld + %lld > initial %lld)", (long long)value,
               (long long)n, (long long)s->initial);
    return HD_EINVAL;
  }
  if (n > INT64_MAX - s->value) {
    hd__mon_exit(&s->mon);
    hd__misuse(file, line, "Semaphore value would exceed %lld", (long long)INT64_MAX);
    return HD_EINVAL;
  }
  s->value += n;
  hd__mon_notify_all(&s->mon);
  hd__mon_exit(&s->mon);
  return HD_OK;
}

int64_t hd_semaphore_value(hd_semaphore *s) {
  hd__mon_enter(&s->mon);
  int64_t value = s->value;
  hd__mon_exit(&s->mon);
  return value;
}

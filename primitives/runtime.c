/* Shared variables, sleep, yield, randomness and logging over the backend seam. */
#include "primitives/runtime.h"

void hd_shared_init(hd_shared *v, const char *name, int64_t value) {
  hd__obj_init(&v->obj, "shared", name);
  v->value = value;
}

int64_t hd_load_at(hd_shared *v, const char *file, int line) {
  hd__point(&v->obj, HD_OP_READ, file, line);
  int64_t value = v->value; /* deliberately plain: TSan must see real races */
  hd__note_value(value);
  hd__access(&v->obj, false, value, file, line);
  return value;
}

void hd_store_at(hd_shared *v, int64_t value, const char *file, int line) {
  hd__point(&v->obj, HD_OP_WRITE, file, line);
  v->value = value;
  hd__note_value(value);
  hd__access(&v->obj, true, value, file, line);
}

int64_t hd_shared_peek(const hd_shared *v) {
  hd__peek(&v->obj);
  return v->value;
}

void hd_sleep_at(double seconds, const char *file, int line) {
  hd__point(NULL, HD_OP_SLEEP, file, line);
  /* Python raises ValueError for a negative sleep; a zero sleep still yields. */
  if (seconds < 0) {
    hd__misuse(file, line, "sleep length must be non-negative, got %g", seconds);
    return;
  }
  if (hd__check_timeout(seconds, file, line) != HD_OK) return;
  hd__sleep_until(hd__deadline_after(seconds));
}

void hd_yield_at(const char *file, int line) { hd__point(NULL, HD_OP_YIELD, file, line); }

double hd_monotonic(void) { return (double)hd__now() / 1e9; }

/* hd_random_below and hd_random_data: `data` says which draw. */
static uint64_t draw(uint64_t bound, bool data, const char *file, int line) {
  hd__point(NULL, HD_OP_RANDOM, file, line);
  if (bound == 0) {
    hd__misuse(file, line, "random bound must be at least 1");
    return 0;
  }
  uint64_t value = data ? hd__random_data(bound) : hd__random(bound);
  hd__note_value((int64_t)value);
  return value;
}

uint64_t hd_random_below_at(uint64_t bound, const char *file, int line) { return draw(bound, false, file, line); }

uint64_t hd_random_data_at(uint64_t bound, const char *file, int line) { return draw(bound, true, file, line); }

void hd_log_at(const char *file, int line, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  hd__log(file, line, fmt, ap);
  va_end(ap);
}

/* Time under the harness: sleep, usleep, nanosleep, clock_nanosleep,
 * clock_gettime, time and gettimeofday on the virtual clock.
 *
 * The virtual clock starts at 0 in every execution and moves only when every
 * thread waits (engine/exec.c), so a program that sleeps a second runs in
 * microseconds and every execution sees the same times. CLOCK_REALTIME reads
 * as 2026-01-01T00:00:00Z plus the virtual time, so wall-clock arithmetic
 * (timedwait deadlines built from clock_gettime) works as it does for real.
 * Reading a clock is a switch point like any other call, read-only so that
 * partial-order reduction lets it commute with everything. */
#include <errno.h>
#include <sys/time.h>

#include "harness/posix/posix.h"

#define NS 1000000000ll
/* 2026-01-01T00:00:00Z in seconds since the epoch. */
#define REALTIME_BASE_S 1767225600ll

bool hd__px_clock_now(clockid_t clock, int64_t *ns) {
  switch (clock) {
  case CLOCK_REALTIME:
  case CLOCK_REALTIME_COARSE:
  case CLOCK_TAI:
    *ns = REALTIME_BASE_S * NS + hd__now();
    return true;
  case CLOCK_MONOTONIC:
  case CLOCK_MONOTONIC_RAW:
  case CLOCK_MONOTONIC_COARSE:
  case CLOCK_BOOTTIME:
  case CLOCK_PROCESS_CPUTIME_ID:
  case CLOCK_THREAD_CPUTIME_ID:
    *ns = hd__now();
    return true;
  default:
    return false;
  }
}

static bool valid(const struct timespec *ts) { return ts && ts->tv_nsec >= 0 && ts->tv_nsec < NS && ts->tv_sec >= 0; }

/* ts in nanoseconds, saturating instead of overflowing. */
static int64_t to_ns(const struct timespec *ts) {
  if (ts->tv_sec >= INT64_MAX / NS - 1) return INT64_MAX / 2;
  return (int64_t)ts->tv_sec * NS + ts->tv_nsec;
}

int hd__px_deadline(clockid_t clock, const struct timespec *abs, int64_t *deadline) {
  int64_t now;
  if (!abs || abs->tv_nsec < 0 || abs->tv_nsec >= NS || !hd__px_clock_now(clock, &now)) return EINVAL;
  int64_t target = abs->tv_sec < 0 ? 0 : to_ns(abs);
  /* The deadline on hd__now()'s scale: now on both clocks is hd__now(). */
  *deadline = hd__now() + (target > now ? target - now : 0);
  return 0;
}

/* A relative sleep of `ns`, a switch point first. */
static void sleep_ns(int64_t ns, const char *file, int line) {
  hd__point(NULL, HD_OP_SLEEP, file, line);
  if (ns > 0) hd__sleep_until(hd__now() + ns);
}

unsigned hd_px_sleep_at(unsigned seconds, const char *file, int line) {
  sleep_ns((int64_t)seconds * NS, file, line);
  return 0;
}

int hd_px_usleep_at(useconds_t usec, const char *file, int line) {
  sleep_ns((int64_t)usec * 1000, file, line);
  return 0;
}

int hd_px_nanosleep_at(const struct timespec *req, struct timespec *rem, const char *file, int line) {
  if (!valid(req)) {
    errno = EINVAL;
    return -1;
  }
  sleep_ns(to_ns(req), file, line);
  if (rem) *rem = (struct timespec){0, 0};
  return 0;
}

int hd_px_clock_nanosleep_at(clockid_t clock, int flags, const struct timespec *req, struct timespec *rem,
                             const char *file, int line) {
  int64_t now;
  if (!valid(req) || !hd__px_clock_now(clock, &now) || clock == CLOCK_THREAD_CPUTIME_ID) return EINVAL;
  if (flags & TIMER_ABSTIME) {
    hd__point(NULL, HD_OP_SLEEP, file, line);
    int64_t deadline; /* after the switch point, which may have let time pass */
    hd__px_deadline(clock, req, &deadline);
    hd__sleep_until(deadline);
    return 0;
  }
  sleep_ns(to_ns(req), file, line);
  if (rem) *rem = (struct timespec){0, 0};
  return 0;
}

int hd_px_clock_gettime_at(clockid_t clock, struct timespec *ts, const char *file, int line) {
  int64_t now;
  if (!hd__px_clock_now(clock, &now)) {
    errno = EINVAL;
    return -1;
  }
  hd__point(NULL, HD_OP_CLOCK, file, line);
  hd__px_clock_now(clock, &now);
  ts->tv_sec = (time_t)(now / NS);
  ts->tv_nsec = (long)(now % NS);
  return 0;
}

time_t hd_px_time_at(time_t *out, const char *file, int line) {
  struct timespec ts;
  hd_px_clock_gettime_at(CLOCK_REALTIME, &ts, file, line);
  if (out) *out = ts.tv_sec;
  return ts.tv_sec;
}

int hd_px_gettimeofday_at(struct timeval *tv, void *tz, const char *file, int line) {
  (void)tz; /* obsolete; glibc ignores it too */
  struct timespec ts;
  hd_px_clock_gettime_at(CLOCK_REALTIME, &ts, file, line);
  if (tv) *tv = (struct timeval){.tv_sec = ts.tv_sec, .tv_usec = ts.tv_nsec / 1000};
  return 0;
}

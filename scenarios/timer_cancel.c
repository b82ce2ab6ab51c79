/* The tutorial's Timer: a function run on a new thread after an interval.
 * One Timer is cancelled before its interval ends and never runs; another
 * runs once, no earlier than its interval; cancelling it after it fired
 * does nothing. */
#include "scenarios/scenario.h"

static hd_timer cancelled, kept;
static hd_lock lock;
static hd_shared cancelled_runs, kept_runs; /* under lock */
static double kept_fired_at;                /* written before kept_runs, under lock */
static double started_at;

static void count_run(void *arg) {
  hd_shared *runs = arg;
  hd_lock_acquire(&lock);
  if (runs == &kept_runs) kept_fired_at = hd_monotonic();
  hd_store(runs, hd_load(runs) + 1);
  hd_lock_release(&lock);
  hd_log("timer function ran");
}

static void body(void *arg) {
  (void)arg;
  hd_lock_init(&lock, "lock");
  hd_shared_init(&cancelled_runs, "cancelled_runs", 0);
  hd_shared_init(&kept_runs, "kept_runs", 0);
  hd_timer_init(&cancelled, 0.5, count_run, &cancelled_runs, "cancelled");
  hd_timer_init(&kept, 0.1, count_run, &kept_runs, "kept");
  started_at = hd_monotonic();
  hd_timer_start(&cancelled);
  hd_timer_start(&kept);
  hd_timer_cancel(&cancelled); /* long before its 0.5 s */
  hd_timer_join(&cancelled, HD_FOREVER);
  hd_timer_join(&kept, HD_FOREVER);
  hd_timer_cancel(&kept); /* after it fired: a no-op */
  hd_lock_acquire(&lock);
  int64_t c = hd_load(&cancelled_runs), k = hd_load(&kept_runs);
  double fired_after = kept_fired_at - started_at;
  hd_lock_release(&lock);
  HD_ASSERT(c == 0, "the cancelled Timer ran %lld times", (long long)c);
  HD_ASSERT(k == 1, "the kept Timer ran %lld times, expected once", (long long)k);
  HD_ASSERT(fired_after >= 0.1, "the kept Timer fired %g s after start, before its 0.1 s interval", fired_after);
  HD_ASSERT(hd_monotonic() - started_at < 0.5, "joining the cancelled Timer waited for its whole interval");
}

const hd_scenario hd_scenario_timer_cancel = {
    .name = "timer_cancel",
    .summary = "a Timer cancelled before its interval never runs; another fires after 0.1 s; late cancel is a no-op",
    .expect = HD_EXPECT_PASS,
    .body = body,
};

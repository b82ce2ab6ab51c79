/* The progress line (harness/progress.h). */
#define _GNU_SOURCE
#include "harness/progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

static double seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void hd__progress_start(hd_progress *p) {
  p->enabled = isatty(2) == 1;
  p->shown = false;
  p->start = p->last = p->enabled ? seconds() : 0;
}

void hd__progress_tick(hd_progress *p, uint64_t executions, uint64_t bugs, const hd_strategy *s) {
  if (!p->enabled || executions % 256 != 0) return;
  double now = seconds();
  if (now - p->start < 1.0 || now - p->last < 0.2) return;
  p->last = now;
  double rate = (double)executions / (now - p->start);
  double covered = hd_strategy_coverage(s);
  if (covered > 0 && covered < 1)
    fprintf(stderr, "\r\033[Kheddle: %llu executions, %.0f/s, %llu bug%s, tree ~%.2f%% covered, about %.0f left",
            (unsigned long long)executions, rate, (unsigned long long)bugs, bugs == 1 ? "" : "s", covered * 100,
            (double)executions * (1 - covered) / covered);
  else if (covered >= 0)
    fprintf(stderr, "\r\033[Kheddle: %llu executions, %.0f/s, %llu bug%s, tree ~%.2f%% covered",
            (unsigned long long)executions, rate, (unsigned long long)bugs, bugs == 1 ? "" : "s", covered * 100);
  else
    fprintf(stderr, "\r\033[Kheddle: %llu executions, %.0f/s, %llu bug%s", (unsigned long long)executions, rate,
            (unsigned long long)bugs, bugs == 1 ? "" : "s");
  fflush(stderr);
  p->shown = true;
}

void hd__progress_end(hd_progress *p) {
  if (p->shown) fputs("\r\033[K", stderr);
  p->shown = false;
}

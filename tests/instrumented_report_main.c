/* Explores the plain-C lost update (tests/instrumented_models.c, compiled
 * for heddle's instrumentation runtime) and prints the report, then replays
 * its token and prints that: built at -O0 and at -O2, the two outputs must be
 * the same bytes (instrumented_report_test.sh). */
#include <stdio.h>

#include "harness/explore.h"
#include "harness/report/report.h"
#include "tests/instrumented_models.h"

int main(void) {
#ifdef HD_NO_INSTRUMENT
  printf("skipped: under a sanitizer the models cannot be compiled for heddle's runtime\n");
  return 0;
#else
  hd_test t = {.name = "plain_lost_update", .body = model_plain_lost_update, .check = model_plain_lost_update_check};
  hd_options o;
  hd_options_default(&o);
  hd_result r;
  if (hd_explore(&t, &o, &r) != HD_EXPLORE_RAN || !r.bug_found) return 2;
  hd_report_text(stdout, t.name, NULL, &o, &r);
  hd_options replay;
  hd_options_default(&replay);
  replay.token = r.token;
  hd_result again;
  if (hd_explore(&t, &replay, &again) != HD_EXPLORE_RAN || !again.bug_found) return 3;
  hd_report_text(stdout, t.name, NULL, &replay, &again);
  hd_result_free(&again);
  hd_result_free(&r);
  return 0;
#endif
}

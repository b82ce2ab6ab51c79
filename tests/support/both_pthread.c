/* hd_both_run on real pthreads. */
#include "primitives/pthread_runner.h"
#include "tests/support/both.h"

void hd_both_run(const char *name, void (*body)(void *), void *arg) {
  (void)name;
  hd_pthread_run(body, arg);
}

bool hd_both_is_harness(void) { return false; }

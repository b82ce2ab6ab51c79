/* The plain-C lost update of tests/instrumented_models.c on real pthreads
 * (the pthread backend, no harness): under --config=tsan, TSan's own runtime
 * sees the same code that heddle schedules in instrument_test, and must
 * report the race. Run by instrumented_pthread_test.sh. */
#include <stdio.h>

#include "primitives/pthread_runner.h"
#include "tests/instrumented_models.h"

int main(void) {
  hd_pthread_run(model_plain_lost_update, NULL);
  model_plain_lost_update_check(NULL);
  printf("counter is 2\n");
  return 0;
}

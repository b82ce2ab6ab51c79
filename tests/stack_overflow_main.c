/* A body that recurses until its fiber stack runs out: the guard page must
 * turn that into a clear report naming the thread (exit status 3), never
 * silent corruption. Run by stack_overflow_test.sh. */
#include <stdio.h>

#include "harness/explore.h"
#include "primitives/heddle.h"

static hd_thread deep;

/* Each frame keeps a buffer live so the compiler cannot turn it into a loop. */
static long recurse(long depth) {
  volatile char frame[512];
  frame[0] = (char)depth;
  if (depth < 0) return 0;
  return recurse(depth + 1) + frame[0];
}

static void dive(void *arg) {
  (void)arg;
  printf("%ld\n", recurse(0));
}

static void body(void *arg) {
  (void)arg;
  hd_thread_init(&deep, dive, NULL, "diver");
  hd_thread_start(&deep);
  hd_thread_join(&deep, HD_FOREVER);
}

int main(void) {
  hd_test t = {.name = "stack_overflow", .body = body};
  hd_options o;
  hd_options_default(&o);
  o.executions = 1;
  hd_result r;
  hd_explore(&t, &o, &r);
  fprintf(stderr, "not reached: the recursion should have overflowed\n");
  return 0;
}

/* A body that recurses until its fiber stack runs out: the guard page must
 * turn that into a clear report naming the thread, never silent corruption.
 * Isolated (the default), the overflow is a crash bug with a token and this
 * program prints the report and exits 1; in process (argument "inline") the
 * guard-page handler prints one line and exits 3. Run by
 * stack_overflow_test.sh. */
#include <stdio.h>
#include <string.h>

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

int main(int argc, char **argv) {
  hd_test t = {.name = "stack_overflow", .body = body};
  hd_options o;
  hd_options_default(&o);
  o.executions = 1;
  o.isolate = !(argc > 1 && strcmp(argv[1], "inline") == 0);
  hd_result r;
  if (hd_explore(&t, &o, &r) == HD_EXPLORE_RAN && r.bug_found) {
    printf("%s: %s\ntoken: %s\n", hd_bug_kind_name(r.kind), r.message, r.token ? r.token : "(none)");
    hd_result_free(&r);
    return 1;
  }
  fprintf(stderr, "not reached: the recursion should have overflowed\n");
  return 0;
}

/* Three threads, each writing its own tracked variable once: no two
 * operations touch the same object, so every interleaving is the same
 * Mazurkiewicz trace and dfs with reduction runs exactly one execution.
 * Main starts the threads and returns without joining (the interpreter-exit
 * wait joins them), so main's own operations stay on the threads' Thread
 * objects, which are ordered by thread start. The check asserts every write
 * landed. */
#include "scenarios/scenario.h"

static hd_shared values[3];
static hd_thread writers[3];
static const char *const names[3] = {"value_a", "value_b", "value_c"};

static void write_own(void *arg) {
  long index = (long)arg;
  hd_store(&values[index], index + 1);
}

static void body(void *arg) {
  (void)arg;
  for (long i = 0; i < 3; i++) hd_shared_init(&values[i], names[i], 0);
  for (long i = 0; i < 3; i++) {
    hd_thread_init(&writers[i], write_own, (void *)i, NULL);
    hd_thread_start(&writers[i]);
  }
}

static void check(void *arg) {
  (void)arg;
  for (int i = 0; i < 3; i++)
    HD_ASSERT(hd_shared_peek(&values[i]) == i + 1, "%s is %lld, expected %d", names[i],
              (long long)hd_shared_peek(&values[i]), i + 1);
}

const hd_scenario hd_scenario_independent_writers = {
    .name = "independent_writers",
    .summary = "3 threads each write their own variable once: 1 execution with partial-order reduction",
    .expect = HD_EXPECT_PASS,
    .body = body,
    .check = check,
};

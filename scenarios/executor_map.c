/* The tutorial's ThreadPoolExecutor: three tasks through executor.map in a
 * `with` block (hd_executor_scope). Each logs, sleeps 2 s and returns its
 * argument times ten; map yields the results in submission order whatever
 * order the tasks finish in, and the scope joins the pool. */
#include "scenarios/scenario.h"

static hd_err thread_function(void *arg, int64_t *result) {
  long name = (long)arg;
  hd_log("Thread %ld: starting", name);
  hd_sleep(2);
  hd_log("Thread %ld: finishing", name);
  *result = name * 10;
  return HD_OK;
}

static hd_err with_executor(hd_executor *ex, void *arg) {
  (void)arg;
  void *const names[3] = {(void *)0L, (void *)1L, (void *)2L};
  int64_t results[3] = {-1, -1, -1};
  size_t got = 0;
  hd_err err = hd_executor_map(ex, thread_function, names, 3, results, HD_FOREVER, &got);
  HD_ASSERT(err == HD_OK && got == 3, "map: %s after %zu results", hd_err_name(err), got);
  for (int i = 0; i < 3; i++)
    HD_ASSERT(results[i] == i * 10, "map result %d is %lld, expected %d (submission order)", i, (long long)results[i],
              i * 10);
  return HD_OK;
}

static void body(void *arg) {
  (void)arg;
  hd_err err = hd_executor_scope(3, "pool", with_executor, NULL);
  HD_ASSERT(err == HD_OK, "the executor scope returned %s", hd_err_name(err));
}

const hd_scenario hd_scenario_executor_map = {
    .name = "executor_map",
    .summary = "ThreadPoolExecutor(3).map over three sleeping tasks: results in submission order",
    .expect = HD_EXPECT_PASS,
    .body = body,
};

/* The lost update written in ordinary C, for tools/bench: compiled for
 * heddle's instrumentation runtime, so its plain int is scheduled like
 * lost_update's hd_shared. */
#include "primitives/heddle.h"

int bench_value;
static hd_thread bench_threads[2];

static void update(void *arg) {
  (void)arg;
  int local = bench_value;
  local++;
  hd_sleep(0.1);
  bench_value = local;
}

void bench_plain_lost_update(void *arg) {
  (void)arg;
  bench_value = 0;
  for (int i = 0; i < 2; i++) {
    hd_thread_init(&bench_threads[i], update, NULL, NULL);
    hd_thread_start(&bench_threads[i]);
  }
  for (int i = 0; i < 2; i++) hd_thread_join(&bench_threads[i], HD_FOREVER);
}

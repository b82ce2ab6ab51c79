/* Runs one scenario once on real pthreads (no harness): what the TSan build
 * checks. Exit status: the scenario's own (0 passed, 1 assertion failed),
 * 2 for a usage error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "primitives/pthread_runner.h"
#include "scenarios/scenario.h"

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: heddle_pthread SCENARIO | --list-correct\n");
    return 2;
  }
  /* The scenarios declared correct: they terminate on real threads too,
   * where a buggy one may deadlock for real. */
  if (strcmp(argv[1], "--list-correct") == 0) {
    for (size_t i = 0; i < hd_scenario_count(); i++)
      if (hd_scenario_at(i)->expect == HD_EXPECT_PASS) printf("%s\n", hd_scenario_at(i)->name);
    return 0;
  }
  const hd_scenario *s = hd_scenario_find(argv[1]);
  if (!s) {
    fprintf(stderr, "heddle_pthread: unknown scenario '%s'\n", argv[1]);
    return 2;
  }
  hd_pthread_run(s->body, NULL);
  if (s->check) s->check(NULL);
  printf("heddle_pthread: %s finished\n", s->name);
  return 0;
}

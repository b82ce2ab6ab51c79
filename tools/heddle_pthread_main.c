/* Runs one scenario once on real pthreads (no harness): what the TSan build
 * checks. Exit status: the scenario's own (0 passed, 1 assertion failed),
 * 2 for a usage error. */
#include <stdio.h>
#include <stdlib.h>

#include "primitives/pthread_runner.h"
#include "scenarios/scenario.h"

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: heddle_pthread SCENARIO\n");
    return 2;
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

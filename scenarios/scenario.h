/* Scenarios: named test bodies with a declared expected outcome. They use
 * only the public API (primitives/heddle.h), so the same body runs under the
 * harness and on real pthreads. Names read as sentences; buggy and fixed
 * versions come in pairs. */
#ifndef HEDDLE_SCENARIOS_SCENARIO_H
#define HEDDLE_SCENARIOS_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "primitives/heddle.h"

typedef enum hd_expect {
  HD_EXPECT_PASS, /* no bug in any schedule */
  HD_EXPECT_BUG,  /* some schedule has a bug of one of `bug_kinds` */
} hd_expect;

/* A set of bug kinds. */
#define HD_KIND(k) (1u << (k))

typedef struct hd_scenario {
  const char *name;
  const char *summary;     /* one line: what it shows */
  hd_expect expect;
  unsigned bug_kinds;      /* HD_KIND(...) | ...: kinds that count as finding the bug */
  uint64_t find_within;    /* the random strategy finds the bug within this many executions (seed 1..) */
  void (*body)(void *arg);
  void (*check)(void *arg);/* after all non-daemon threads finished; may be NULL */
} hd_scenario;

/* Every scenario, sorted by name. */
size_t hd_scenario_count(void);
const hd_scenario *hd_scenario_at(size_t index);
/* The scenario named `name`, or NULL. */
const hd_scenario *hd_scenario_find(const char *name);
/* "pass", or "bug: data_race|assertion" into buf. */
const char *hd_scenario_expectation(const hd_scenario *s, char *buf, size_t size);

#endif

/* heddle inside cmocka tests: explore a body and assert on the outcome.
 *
 *   static void body(void *arg) { ... threads, locks, HD_ASSERT ... }
 *   static void test_counter_is_exact(void **state) {
 *     hd_test t = {.name = "counter_is_exact", .body = body};
 *     hd_cmocka_expect_no_bug(&t, NULL);
 *   }
 *
 * On failure the test prints the report, the interleaving, the replay token
 * and the command that replays it, then fails. The environment overrides the
 * test's options (see hd_options_from_env): HEDDLE_STRATEGY, HEDDLE_SEED,
 * HEDDLE_EXECUTIONS, HEDDLE_STEP_LIMIT, HEDDLE_RACES, and HEDDLE_REPLAY,
 * which replays one token instead of exploring (the token names its test, so
 * only that test replays it; the others run as usual). HEDDLE_PICTURES=DIR
 * writes the failing execution's HTML picture to DIR/<test name>.html (under
 * `bazel test` it goes to the test's undeclared outputs by default) and
 * prints its path. */
#ifndef HEDDLE_HARNESS_CMOCKA_HEDDLE_CMOCKA_H
#define HEDDLE_HARNESS_CMOCKA_HEDDLE_CMOCKA_H

#include "harness/explore.h"

/* Explores `t` with `options` (NULL: defaults) and fails the current cmocka
 * test if any execution has a bug or the exploration cannot run. */
void hd_cmocka_expect_no_bug(const hd_test *t, const hd_options *options);
/* Explores `t` and fails the current test unless a bug of `kind` is found:
 * for teaching tests that must fail. Fills *out when not NULL (free it). */
void hd_cmocka_expect_bug(const hd_test *t, const hd_options *options, hd_bug_kind kind, hd_result *out);

#endif

/* heddle inside cmocka tests: explore a body and assert on the outcome.
 *
 *   static void body(void *arg) { ... threads, locks, HD_ASSERT ... }
 *   static void test_counter_is_exact(void **state) {
 *     hd_test t = {.name = "counter_is_exact", .body = body};
 *     hd_cmocka_expect_no_bug(&t, NULL);
 *   }
 *
 * On failure the test prints the report, the interleaving, the replay token
 * and the command that replays it in this very test (under Bazel
 * `bazel test //pkg:target --test_env=HEDDLE_REPLAY=TOKEN`, elsewhere
 * `HEDDLE_REPLAY=TOKEN 'path/to/binary'`), then fails; on success it prints
 * one line of what it explored. The environment overrides the test's
 * options (see hd_options_from_env): HEDDLE_STRATEGY, HEDDLE_SEED,
 * HEDDLE_EXECUTIONS, HEDDLE_STEP_LIMIT, HEDDLE_RACES, HEDDLE_WATCHDOG,
 * HEDDLE_TRACE_STEPS, and HEDDLE_REPLAY, which replays one token instead of
 * exploring: the token names its test and carries its set-up, only that test
 * runs (the others return at once), a token that does not parse ends the run
 * with one line and exit status 2, and so does a token that no test of the
 * binary ran, at exit. HEDDLE_PICTURES=DIR
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

/* One test body, two backends (in the manner of concurrencykit's shared
 * validation bodies): a test file written against this header is built
 * twice by heddle_test() in tools/heddle.bzl, once linked with the
 * deterministic harness and once with real pthreads, so every primitive
 * passes the same checks under both. */
#ifndef HEDDLE_TESTS_SUPPORT_BOTH_H
#define HEDDLE_TESTS_SUPPORT_BOTH_H

#include <stdbool.h>

/* Runs body(arg) as the main thread of a program on this binary's backend:
 *   deterministic: explores random schedules (200 by default; HEDDLE_* from
 *     the environment apply), misuse returned as HD_EMISUSE rather than
 *     reported, and fails the cmocka test with the full report on any bug;
 *   pthread: runs it once on real threads; a failed HD_ASSERT exits 1.
 * The body checks with HD_ASSERT, not cmocka's assert_*: those longjmp,
 * which must not cross fibers. */
void hd_both_run(const char *name, void (*body)(void *arg), void *arg);
/* True on the deterministic backend. */
bool hd_both_is_harness(void);

#endif

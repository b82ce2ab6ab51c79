/* Shared helpers for the deterministic-only cmocka tests that drive
 * hd_explore on registered scenarios: look a scenario up as an hd_test,
 * explore and fail the cmocka test unless the exploration ran, and a
 * strategy that never preempts. Call these only from the cmocka test
 * function itself (they may fail_msg), never from inside a test body. */
#ifndef HEDDLE_TESTS_SUPPORT_SCENARIO_RUN_H
#define HEDDLE_TESTS_SUPPORT_SCENARIO_RUN_H

#include "harness/explore.h"
#include "harness/strategies/strategy.h"

/* The hd_test of scenario `name` (its body and check); fails the test if no
 * scenario has that name. */
hd_test hd_scenario_test(const char *name);

/* hd_explore(t, o) into the returned result; fails the test, printing
 * r.error, unless it returned HD_EXPLORE_RAN. */
hd_result hd_explore_or_fail(const hd_test *t, const hd_options *o);

/* Explores `t` in this process (the test reads what the body left in its
 * globals) with a systematic `strategy`, race detection off, up to two
 * million executions, `symmetry` for dfs and dfs's equivalence `mode`;
 * fails the test unless the search completes without a bug. */
/* Explores every scenario declared buggy with options `o` (in this process)
 * and fails the test, naming `what` (the search), unless each one's bug, of
 * a kind it declares, is found. */
void hd_expect_every_bug_found(const hd_options *o, const char *what);

/* dfs's modes: source-DPOR, --optimal, --reads-from, --sections */
enum { HD_TREE_SOURCE, HD_TREE_OPTIMAL, HD_TREE_READS_FROM, HD_TREE_SECTIONS };
hd_result hd_explore_whole_tree(const hd_test *t, const char *strategy, bool symmetry, int mode);

/* A strategy that never preempts: the current thread runs while it can,
 * then the lowest-numbered runnable one, so thread 1 runs to its end (or its
 * first block) before thread 2 starts. One execution (index 0) only;
 * stateless, so destroy does nothing. */
hd_strategy hd_sequential_strategy(void);

#endif

/* The numbers a report prints hold: "execution b of n" has b <= n for every
 * strategy, with shares (Bazel shards) and jobs; shrinking never returns a
 * longer or more preemptive schedule than it was given; the token replays
 * the same bug whatever options surround the replay. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "harness/explore.h"
#include "scenarios/scenario.h"
#include "tests/support/scenario_run.h"

static const char *const strategies[] = {"random", "pct", "dfs", "dfs-naive", "bounded"};

/* Under a sanitizer every exploration (and its child process) costs many
 * times more: one seed there, four in the plain build. */
#if defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
#define SEEDS 1
#endif
#endif
#if !defined(SEEDS) && (defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__))
#define SEEDS 1
#endif
#ifndef SEEDS
#define SEEDS 4
#endif

static hd_result run(const hd_scenario *s, const char *strategy, uint64_t seed, uint64_t shards, uint64_t shard,
                     unsigned jobs) {
  hd_test t = {.name = s->name, .body = s->body, .check = s->check};
  hd_options o;
  hd_options_default(&o);
  o.strategy = strategy;
  o.seed = seed;
  o.executions = 3000;
  o.shard_count = shards;
  o.shard_index = shard;
  o.jobs = jobs;
  return hd_explore_or_fail(&t, &o);
}

static void check_numbers(const hd_scenario *s, const char *how, const hd_result *r) {
  if (!r->bug_found) return;
  if (r->bug_execution >= r->executions)
    fail_msg("%s %s: bug in execution %llu of %llu", s->name, how, (unsigned long long)r->bug_execution + 1,
             (unsigned long long)r->executions);
  if (r->shrunk && (r->preemptions > r->found_preemptions ||
                    (r->preemptions == r->found_preemptions && r->steps > r->found_steps)))
    fail_msg("%s %s: shrunk from %llu steps with %u preemptions to %llu steps with %u", s->name, how,
             (unsigned long long)r->found_steps, r->found_preemptions, (unsigned long long)r->steps, r->preemptions);
}

static void test_report_numbers_hold_for_every_strategy_seed_share_and_job_count(void **state) {
  (void)state;
  int bugs = 0, scenarios = 0;
  for (size_t i = 0; i < hd_scenario_count(); i++) {
    const hd_scenario *s = hd_scenario_at(i);
    if (s->expect != HD_EXPECT_BUG) continue;
    if (SEEDS == 1 && ++scenarios > 3) break; /* under a sanitizer: three buggy scenarios */
    for (size_t k = 0; k < sizeof strategies / sizeof strategies[0]; k++) {
      for (uint64_t seed = 1; seed <= SEEDS; seed++) {
        char how[96];
        snprintf(how, sizeof how, "--strategy %s --seed %llu", strategies[k], (unsigned long long)seed);
        hd_result r = run(s, strategies[k], seed, 0, 0, 1);
        check_numbers(s, how, &r);
        bugs += r.bug_found;
        hd_result_free(&r);
        for (uint64_t shard = 0; shard < 4 && seed == 1; shard++) {
          snprintf(how, sizeof how, "--strategy %s shard %llu of 4", strategies[k], (unsigned long long)shard);
          r = run(s, strategies[k], seed, 4, shard, 1);
          check_numbers(s, how, &r);
          hd_result_free(&r);
        }
        if (seed == 1) {
          snprintf(how, sizeof how, "--strategy %s --jobs 2", strategies[k]);
          r = run(s, strategies[k], seed, 0, 0, 2);
          check_numbers(s, how, &r);
          hd_result_free(&r);
        }
      }
    }
  }
  assert_true(bugs > 0);
}

/* A token carries race detection and the step limit: replayed under other
 * options it is still the same execution and the same bug. */
static void test_report_token_replays_the_same_bug_under_any_options(void **state) {
  (void)state;
  const hd_scenario *s = hd_scenario_find("lost_update");
  hd_test t = {.name = s->name, .body = s->body, .check = s->check};
  for (int races = 0; races < 2; races++) {
    for (int limit = 0; limit < 2; limit++) {
      hd_options found_with;
      hd_options_default(&found_with);
      found_with.detect_races = races;
      found_with.step_limit = limit ? 9 : 100000; /* 9 steps: lost_update is a livelock then */
      hd_result found = hd_explore_or_fail(&t, &found_with);
      assert_true(found.bug_found);
      for (int other = 0; other < 2; other++) {
        hd_options replay;
        hd_options_default(&replay);
        replay.token = found.token;
        replay.strategy = "replay";
        replay.detect_races = other; /* whatever surrounds it */
        replay.step_limit = other ? 5 : 100000;
        hd_result again = hd_explore_or_fail(&t, &replay);
        if (!again.bug_found || again.kind != found.kind || strcmp(again.message, found.message) != 0)
          fail_msg("races %d, step limit %s: found %s, replayed as %s", races, limit ? "9" : "default", found.message,
                   again.bug_found ? again.message : "no bug");
        assert_string_equal(again.replay, found.replay);
        hd_result_free(&again);
      }
      hd_result_free(&found);
    }
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_report_numbers_hold_for_every_strategy_seed_share_and_job_count),
      cmocka_unit_test(test_report_token_replays_the_same_bug_under_any_options),
  };
  return cmocka_run_group_tests_name("report numbers", tests, NULL, NULL);
}

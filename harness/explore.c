/* The explorer: strategy in, executions out, first bug reported with its
 * token and trace. A failing execution found while exploring is replayed from
 * its own token with tracing on; if the replay does not fail the same way,
 * the test has nondeterminism heddle does not control, and that is reported
 * instead of a trace that would lie. */
#define _GNU_SOURCE
#include "harness/explore.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "harness/engine/exec.h"
#include "harness/engine/recorder.h"
#include "harness/engine/schedule.h"
#include "harness/progress.h"
#include "harness/shrink.h"
#include "harness/strategies/strategy.h"
#include "harness/strategies/table.h"

void hd_options_default(hd_options *o) {
  memset(o, 0, sizeof *o);
  o->strategy = "random";
  o->seed = 1;
  o->executions = 1000;
  o->step_limit = 100000;
  o->detect_races = true;
  o->depth = 3;
  o->preemptions = -1;
  o->reduction = true;
  o->shrink = true;
  o->jobs = 1;
  o->isolate = true;
  o->trace_steps = 300;
  o->watchdog = 10;
}

bool hd_parse_count(const char *text, uint64_t min, uint64_t max, uint64_t *out) {
  if (!text || !*text || *text == '-' || *text == '+' || *text == ' ') return false;
  errno = 0;
  char *end;
  unsigned long long v = strtoull(text, &end, 10);
  if (errno || *end || v < min || v > max) return false;
  *out = v;
  return true;
}

/* A variable that is 0 or 1 sets *flag (unset or empty: left as it is);
 * false when it is anything else. */
static bool env_flag(const char *name, bool *flag) {
  const char *v = getenv(name);
  if (!v || !*v) return true;
  if (strcmp(v, "0") == 0) *flag = false;
  else if (strcmp(v, "1") == 0) *flag = true;
  else return false;
  return true;
}

const char *hd_options_from_env(hd_options *o) {
  const char *v;
  if ((v = getenv("HEDDLE_STRATEGY")) && *v) o->strategy = v;
  if ((v = getenv("HEDDLE_SEED")) && *v && !hd_parse_count(v, 0, UINT64_MAX, &o->seed))
    return "HEDDLE_SEED must be an unsigned decimal integer";
  if ((v = getenv("HEDDLE_EXECUTIONS")) && *v && !hd_parse_count(v, 1, HD_MAX_EXECUTIONS, &o->executions))
    return "HEDDLE_EXECUTIONS must be a count between 1 and 10^12";
  if ((v = getenv("HEDDLE_STEP_LIMIT")) && *v && !hd_parse_count(v, 1, HD_MAX_STEP_LIMIT, &o->step_limit))
    return "HEDDLE_STEP_LIMIT must be a count between 1 and 10^9";
  if (!env_flag("HEDDLE_RACES", &o->detect_races)) return "HEDDLE_RACES must be 0 or 1";
  uint64_t n;
  if ((v = getenv("HEDDLE_DEPTH")) && *v) {
    if (!hd_parse_count(v, 1, 64, &n)) return "HEDDLE_DEPTH must be a count between 1 and 64";
    o->depth = (unsigned)n;
  }
  if ((v = getenv("HEDDLE_PREEMPTIONS")) && *v) {
    if (!hd_parse_count(v, 0, 1000000, &n)) return "HEDDLE_PREEMPTIONS must be a count between 0 and 10^6";
    o->preemptions = (int64_t)n;
  }
  if ((v = getenv("HEDDLE_JOBS")) && *v) {
    if (!hd_parse_count(v, 1, 64, &n)) return "HEDDLE_JOBS must be a count between 1 and 64";
    o->jobs = (unsigned)n;
  }
  if (!env_flag("HEDDLE_REDUCTION", &o->reduction)) return "HEDDLE_REDUCTION must be 0 or 1";
  if (!env_flag("HEDDLE_SYMMETRY", &o->symmetry)) return "HEDDLE_SYMMETRY must be 0 or 1";
  if (!env_flag("HEDDLE_OPTIMAL", &o->optimal)) return "HEDDLE_OPTIMAL must be 0 or 1";
  if (!env_flag("HEDDLE_READS_FROM", &o->reads_from)) return "HEDDLE_READS_FROM must be 0 or 1";
  if (!env_flag("HEDDLE_SECTIONS", &o->sections)) return "HEDDLE_SECTIONS must be 0 or 1";
  if ((v = getenv("HEDDLE_FIRST_EXECUTION")) && *v &&
      !hd_parse_count(v, 0, HD_MAX_EXECUTIONS, &o->first_execution))
    return "HEDDLE_FIRST_EXECUTION must be an execution index between 0 and 10^12";
  if ((v = getenv("HEDDLE_TRACE_STEPS")) && *v && !hd_parse_count(v, 0, UINT64_MAX, &o->trace_steps))
    return "HEDDLE_TRACE_STEPS must be a count (0 draws every step)";
  if ((v = getenv("HEDDLE_WATCHDOG")) && *v) {
    if (!hd_parse_count(v, 0, 86400, &n)) return "HEDDLE_WATCHDOG must be a number of seconds between 0 and 86400";
    o->watchdog = (double)n;
  }
  if ((v = getenv("HEDDLE_REPLAY")) && *v) {
    o->token = v;
    o->strategy = "replay";
  }
  return NULL;
}

void hd_result_free(hd_result *r) {
  free(r->token);
  free(r->trace);
  free(r->replay);
  r->token = r->trace = r->replay = NULL;
  if (r->trace_data) {
    hd_trace_free(r->trace_data);
    free(r->trace_data);
    r->trace_data = NULL;
  }
}

const char *hd_replay_command(const char *token, const hd_options *o, char *buf, size_t size) {
  if (o->replay_prefix || o->replay_suffix)
    snprintf(buf, size, "%s%s%s", o->replay_prefix ? o->replay_prefix : "", token,
             o->replay_suffix ? o->replay_suffix : "");
  else
    snprintf(buf, size, "tools/heddle replay %s", token);
  return buf;
}

/* Builds the strategy the options name, from the table; false and r->error
 * on failure. */
static bool make_strategy(const hd_test *t, const hd_options *o, unsigned ways, unsigned share, hd_strategy *s,
                          hd_result *r) {
  const hd_strategy_kind *kind = hd_strategy_find(o->strategy);
  if (!kind) {
    snprintf(r->error, sizeof r->error, "unknown strategy '%.64s' (known: %s, replay)", o->strategy,
             hd_strategy_names());
    return false;
  }
  if ((kind->takes & HD_TAKES_DEPTH) && (o->depth < 1 || o->depth > 64)) {
    snprintf(r->error, sizeof r->error, "the PCT depth must be between 1 and 64");
    return false;
  }
  if ((kind->takes & HD_TAKES_OPTIMAL) && o->optimal && (o->symmetry || o->jobs > 1)) {
    snprintf(r->error, sizeof r->error, "optimal DPOR runs one worker without symmetry (its wakeup trees do not %s yet)",
             o->symmetry ? "map twins" : "go to helpers");
    return false;
  }
  if ((kind->takes & HD_TAKES_READS_FROM) && o->reads_from && (o->symmetry || o->optimal || !o->reduction ||
                                                              o->preemptions >= 0)) {
    snprintf(r->error, sizeof r->error, "the reads-from search runs with no %s",
             o->symmetry ? "--symmetry" : o->optimal ? "--optimal" : "other reduction option");
    return false;
  }
  if ((kind->takes & HD_TAKES_SECTIONS) && o->sections && (o->optimal || o->reads_from || ways > 1)) {
    snprintf(r->error, sizeof r->error, "--sections runs with source-DPOR, unsplit (not with %s)",
             o->optimal ? "--optimal yet" : o->reads_from ? "--reads-from yet" : "shards: one that failed a check could not tell the others");
    return false;
  }
  if ((kind->takes & HD_TAKES_SECTIONS) && o->sections && t->memory_hidden) {
    snprintf(r->error, sizeof r->error,
             "--sections needs --instrument for a C program (without it heddle cannot see what a critical section "
             "reads and writes)");
    return false;
  }
  hd_strategy_params p = {
      .seed = o->seed,
      .depth = o->depth,
      .step_limit = o->step_limit,
      .preemptions = o->preemptions,
      .reduction = o->reduction,
      .symmetry = o->symmetry,
      .optimal = o->optimal,
      .reads_from = o->reads_from,
      .sections = o->sections && o->reduction && o->preemptions < 0,
      .ways = ways,
      .share = share,
  };
  hd_schedule schedule = {0};
  if (kind->make == hd_strategy_find("replay")->make) {
    if (!o->token) {
      snprintf(r->error, sizeof r->error, "strategy replay needs a token");
      return false;
    }
    char *scenario = NULL;
    const char *why = hd_token_decode(o->token, &scenario, NULL, &schedule);
    if (why) {
      snprintf(r->error, sizeof r->error, "%s", why);
      return false;
    }
    bool same = strcmp(scenario, t->name) == 0;
    if (!same) snprintf(r->error, sizeof r->error, "the token is for '%.64s', not '%s'", scenario, t->name);
    free(scenario);
    if (!same) {
      hd_schedule_free(&schedule);
      return false;
    }
    p.schedule = &schedule;
  }
  bool ok = kind->make(s, &p);
  hd_schedule_free(&schedule);
  if (!ok) snprintf(r->error, sizeof r->error, "out of memory");
  return ok;
}

/* One execution for a dfs helper (strategies/dfs.c, --jobs): 0 when it passed. */
typedef struct helper_run {
  hd_exec *x;
  const hd_exec_config *cfg;
} helper_run;

static int run_for_helper(void *ctx) {
  helper_run *h = ctx;
  const hd_exec_result *e;
  return hd_exec_run(h->x, h->cfg, &e) == HD_EXEC_PASSED ? 0 : 1;
}

/* Strategies that can finish: their runs end complete or stopped by a bound. */
static bool systematic(const char *strategy) {
  const hd_strategy_kind *k = hd_strategy_find(strategy);
  return k && k->systematic;
}

static void copy_bug(const hd_exec_result *e, uint64_t index, hd_result *r);

/* What the token must carry for its execution to be this one again. */
static hd_setup setup_of(const hd_exec_config *c) {
  return (hd_setup){.races = c->detect_races,
                    .misuse_returns = c->misuse_returns,
                    .eager_memory = c->eager_memory,
                    .step_limit = c->step_limit};
}

hd_setup hd__setup_of(const hd_options *o) {
  return (hd_setup){.races = o->detect_races,
                    .misuse_returns = o->misuse_returns,
                    .eager_memory = o->eager_memory,
                    .step_limit = o->step_limit};
}

static bool shrinkable(const char *strategy) {
  const hd_strategy_kind *k = hd_strategy_find(strategy);
  return k && k->shrinkable;
}

/* Shrinks the failing schedule of execution `index` (harness/shrink.c) and,
 * when that worked, refills the bug, its token and `message` from a strict
 * replay of the shrunk schedule, keeping the sizes as found. */
static void shrink_failure(const hd_test *t, const hd_exec_config *cfg, hd_exec *x, hd_schedule *failing,
                           uint64_t index, char *message, size_t size, hd_result *r) {
  uint64_t found_steps = r->steps;
  unsigned found_preemptions = r->preemptions;
  if (!hd__shrink(cfg, x, r->kind, failing, HD_SHRINK_BUDGET)) return;
  hd_strategy replay;
  if (!hd_strategy_replay(&replay, failing)) return;
  replay.ops->begin(replay.self, 0);
  hd_exec_config c = *cfg;
  c.strategy = &replay;
  c.record_trace = false;
  const hd_exec_result *e;
  /* Shrinking may only make the schedule smaller: fewer preemptions, or as
   * many and no more steps. */
  if (hd_exec_run(x, &c, &e) == HD_EXEC_BUG && e->bug == r->kind &&
      (e->preemptions < found_preemptions || (e->preemptions == found_preemptions && e->steps <= found_steps))) {
    hd_setup setup = setup_of(cfg);
    char *token = hd_token_encode(t->name, &setup, e->schedule);
    if (token) {
      free(r->token);
      r->token = token;
      copy_bug(e, index, r);
      snprintf(message, size, "%s", e->message);
      r->shrunk = true;
      r->found_steps = found_steps;
      r->found_preemptions = found_preemptions;
    }
  }
  replay.ops->destroy(replay.self);
}

static char *render_trace(const hd_trace *trace, const hd_options *o, hd_result *r) {
  if (!r->trace_data) r->trace_data = hd_trace_clone(trace);
  return hd__trace_text(trace, o);
}

char *hd__trace_text(const hd_trace *trace, const hd_options *o) {
  char *text = NULL;
  size_t size = 0;
  FILE *f = open_memstream(&text, &size);
  if (!f) return NULL;
  hd_trace_render_text(trace, f, o->trace_steps, o->trace_width);
  fclose(f);
  return text;
}

static void copy_bug(const hd_exec_result *e, uint64_t index, hd_result *r) {
  r->bug_found = true;
  r->kind = e->bug;
  snprintf(r->message, sizeof r->message, "%s", e->message);
  snprintf(r->details, sizeof r->details, "%s", e->details);
  r->file = e->file;
  r->line = e->line;
  r->bug_execution = index;
  r->steps = e->steps;
  r->preemptions = e->preemptions;
}

/* How every execution of `t` runs under options `o` and strategy `s`. */
static hd_exec_config exec_config(const hd_test *t, const hd_options *o, hd_strategy *s, bool record_trace) {
  return (hd_exec_config){
      .body = t->body,
      .check = t->check,
      .arg = t->arg,
      .strategy = s,
      .step_limit = o->step_limit,
      .misuse_returns = o->misuse_returns,
      .record_trace = record_trace,
      .detect_races = o->detect_races,
      .eager_memory = o->eager_memory,
      .c_program = t->c_program,
      /* The strategy that reads it (strategies/dfs.c: twins). */
      .symmetry = o->symmetry && strcmp(o->strategy, "dfs") == 0 && o->reduction && o->preemptions < 0,
  };
}

/* Replays `schedule` with tracing on; fills r->trace, or r->error when the
 * replay does not end in the same bug as `expected`. */
static int trace_failure(const hd_test *t, const hd_options *o, hd_exec *x, const hd_schedule *schedule,
                         hd_bug_kind kind, const char *message, hd_result *r) {
  hd_strategy replay;
  if (!hd_strategy_replay(&replay, schedule)) {
    snprintf(r->error, sizeof r->error, "out of memory");
    return -1;
  }
  replay.ops->begin(replay.self, 0);
  hd_exec_config cfg = exec_config(t, o, &replay, true);
  const hd_exec_result *e;
  hd_exec_status status = hd_exec_run(x, &cfg, &e);
  int rc = 0;
  if (status != HD_EXEC_BUG || e->bug != kind || strcmp(e->message, message) != 0) {
    snprintf(r->error, sizeof r->error,
             "the failing schedule did not fail the same way when replayed: the test depends on something heddle "
             "does not control (wall clock, rand(), addresses, state left by an earlier execution)");
    rc = -1;
  } else {
    r->trace = render_trace(e->trace, o, r);
  }
  replay.ops->destroy(replay.self);
  return rc;
}

/* An engine and a replay of `schedule` for one execution; false with
 * r->error when out of memory. */
static bool start_replay(const hd_schedule *schedule, hd_exec **x, hd_strategy *replay, hd_result *r) {
  *x = hd_exec_new();
  if (!*x || !hd_strategy_replay(replay, schedule)) {
    hd_exec_free(*x);
    snprintf(r->error, sizeof r->error, "out of memory");
    return false;
  }
  replay->ops->begin(replay->self, 0);
  return true;
}

int hd__trace_prefix(const hd_test *t, const hd_options *o, const hd_schedule *schedule, uint64_t steps,
                     hd_result *r) {
  hd_exec *x;
  hd_strategy replay;
  if (!start_replay(schedule, &x, &replay, r)) return -1;
  hd_exec_config cfg = exec_config(t, o, &replay, true);
  cfg.stop_after = steps;
  const hd_exec_result *e;
  int rc = 0;
  if (hd_exec_run(x, &cfg, &e) == HD_EXEC_STOPPED && e->trace) {
    r->trace_data = hd_trace_clone(e->trace);
  } else {
    snprintf(r->error, sizeof r->error, "the way into the death did not replay: the test depends on something heddle "
                                        "does not control");
    rc = -1;
  }
  replay.ops->destroy(replay.self);
  hd_exec_free(x);
  return rc;
}

int hd__finish_failure(const hd_test *t, const hd_options *o, const hd_schedule *schedule, uint64_t index,
                       hd_result *r) {
  hd_exec *x;
  hd_strategy replay;
  if (!start_replay(schedule, &x, &replay, r)) return -1;
  hd_exec_config cfg = exec_config(t, o, &replay, false);
  const hd_exec_result *e;
  int rc = -1;
  hd_recorder *rec = hd__recorder_attached();
  if (rec) rec->execution = index;
  hd_schedule failing = {0};
  if (hd_exec_run(x, &cfg, &e) != HD_EXEC_BUG) {
    snprintf(r->error, sizeof r->error, "a worker's failing schedule did not fail when replayed: the test depends on "
                                        "something heddle does not control");
  } else {
    copy_bug(e, index, r);
    hd_setup setup = setup_of(&cfg);
    r->token = hd_token_encode(t->name, &setup, e->schedule);
    char message[sizeof r->message];
    snprintf(message, sizeof message, "%s", e->message);
    if (hd_schedule_copy(&failing, e->schedule)) {
      if (o->shrink && shrinkable(o->strategy)) shrink_failure(t, &cfg, x, &failing, index, message, sizeof message, r);
      rc = trace_failure(t, o, x, &failing, r->kind, message, r);
    }
  }
  hd_schedule_free(&failing);
  replay.ops->destroy(replay.self);
  hd_exec_free(x);
  return rc;
}

/* Test names go into replay tokens and shell commands: keep them to a
 * shell-safe alphabet without the token's ':' separator. */
static bool valid_test_name(const char *name) {
  return name && *name && strlen(name) < 128 &&
         strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./") == strlen(name);
}

hd_explore_status hd_explore(const hd_test *t, const hd_options *o, hd_result *r) {
  if (!valid_test_name(t->name)) {
    memset(r, 0, sizeof *r);
    snprintf(r->error, sizeof r->error, "test names must be 1-127 characters of A-Z a-z 0-9 _ - . /");
    return HD_EXPLORE_BAD_INPUT;
  }
  hd_options run = *o;
  if (o->token) {
    /* The token's own set-up wins over whatever surrounds the replay. */
    char *scenario = NULL;
    hd_schedule schedule = {0};
    hd_setup setup;
    const char *why = hd_token_decode(o->token, &scenario, &setup, &schedule);
    hd_schedule_free(&schedule);
    bool other = !why && strcmp(scenario, t->name) != 0;
    memset(r, 0, sizeof *r);
    if (why) snprintf(r->error, sizeof r->error, "%s", why);
    else if (other) snprintf(r->error, sizeof r->error, "the token is for '%.64s', not '%s'", scenario, t->name);
    free(scenario);
    if (why || other) return HD_EXPLORE_BAD_INPUT;
    run.strategy = "replay";
    run.detect_races = setup.races;
    run.misuse_returns = setup.misuse_returns;
    run.eager_memory = setup.eager_memory;
    run.step_limit = setup.step_limit;
  } else {
    /* A search that claims to have covered every schedule cannot group a
     * thread's first accesses into its step (engine/memory.h). */
    const hd_strategy_kind *kind = hd_strategy_find(run.strategy);
    run.eager_memory = kind && kind->systematic;
  }
  hd_explore_status status =
      run.isolate ? hd__explore_supervised(t, &run, r)
                  : hd__explore_share(t, &run, run.shard_count > 1 ? run.shard_count : 1,
                                      run.shard_count > 1 ? run.shard_index : 0, r);
  if (r->token && !r->replay) {
    char command[4096];
    r->replay = strdup(hd_replay_command(r->token, &run, command, sizeof command));
  }
  return status;
}

hd_explore_status hd__explore_share(const hd_test *t, const hd_options *o, uint64_t ways, uint64_t share,
                                    hd_result *r) {
  memset(r, 0, sizeof *r);
  if (ways < 1 || share >= ways || ways > HD_MAX_THREADS) {
    snprintf(r->error, sizeof r->error, "a share must be one of at most 64 ways");
    return HD_EXPLORE_BAD_INPUT;
  }
  if (o->executions < 1 || o->executions > HD_MAX_EXECUTIONS) {
    snprintf(r->error, sizeof r->error, "executions must be between 1 and 10^12");
    return HD_EXPLORE_BAD_INPUT;
  }
  if (o->step_limit < 1 || o->step_limit > HD_MAX_STEP_LIMIT) {
    snprintf(r->error, sizeof r->error, "the step limit must be between 1 and 10^9");
    return HD_EXPLORE_BAD_INPUT;
  }
  hd_strategy s;
  if (!make_strategy(t, o, (unsigned)ways, (unsigned)share, &s, r)) return strcmp(r->error, "out of memory") ? HD_EXPLORE_BAD_INPUT : HD_EXPLORE_FAILED;
  bool replaying = strcmp(o->strategy, "replay") == 0;
  hd_exec *x = hd_exec_new();
  hd_schedule failing = {0};
  if (!x) {
    s.ops->destroy(s.self);
    snprintf(r->error, sizeof r->error, "out of memory");
    return HD_EXPLORE_FAILED;
  }
  hd_exec_config cfg = exec_config(t, o, &s, replaying || o->record_traces);
  const hd_strategy_kind *kind = hd_strategy_find(o->strategy);
  helper_run helper_ctx = {x, &cfg};
  if (!replaying && kind->split == HD_SPLIT_BY_BRANCH && ways == 1 && o->jobs > 1)
    hd_strategy_dfs_helpers(&s, o->jobs - 1, run_for_helper, &helper_ctx, o->watchdog);
  int rc = 0; /* 0 or -1 */
  uint64_t limit = replaying ? 1 : o->executions;
  /* Random and PCT shares take the execution indices share, share + ways,
   * ...; a systematic share walks its part of the tree (make_strategy). */
  /* By-index strategies (random, pct) run execution indices: a share takes
   * those congruent to it, from --first-execution on (resuming a run). */
  bool by_index = !replaying && kind->split == HD_SPLIT_BY_INDEX && (ways > 1 || o->first_execution > 0);
  uint64_t first = by_index ? o->first_execution : 0;
  uint64_t base = first + (share + ways - first % ways) % ways;
  if (by_index && kind->calibrates && base != 0) {
    /* PCT's later executions depend on the calibration execution's length
     * (execution 0, or the first that was not pruned): calibrate. */
    const hd_exec_result *e;
    for (uint64_t i = 0; i < HD_PCT_CALIBRATION_TRIES; i++) {
      s.ops->begin(s.self, i);
      hd_exec_run(x, &cfg, &e);
      if (!e->pruned) break;
    }
  }
  hd_progress progress;
  hd__progress_start(&progress);
  hd_recorder *rec = hd__recorder_attached();
  /* --executions caps the executions counted: a dfs run that was sleep-set
   * blocked explored nothing new and is not counted (hd_strategy_uncounted). */
  for (uint64_t k = 0, i = by_index ? base : 0; by_index ? i < first + limit : r->executions < limit;
       k++, i = by_index ? base + k * ways : k) {
    if (!replaying) hd__progress_tick(&progress, r->executions, 0, &s);
    if (rec) {
      if (rec->stop_before && i + 1 >= rec->stop_before) break; /* a worker found a bug before this index */
      rec->execution = i;
      rec->counted = r->executions;
    }
    if (!by_index) hd_strategy_dfs_budget(&s, limit - r->executions);
    bool begun = s.ops->begin(s.self, i);
    uint64_t absorbed, absorbed_wasted; /* what dfs's helpers explored (--jobs) */
    hd_strategy_dfs_absorbed(&s, &absorbed, &absorbed_wasted);
    r->executions += absorbed;
    r->helped += absorbed;
    r->wasted += absorbed_wasted;
    if (rec && !by_index) { /* a death in the coming execution is numbered as copy_bug numbers a bug: after them */
      rec->execution = r->executions;
      rec->counted = r->executions;
    }
    if (!begun) {
      /* Out of schedules: exhaustive, unless the strategy's own bound cut it. */
      const char *why = s.ops->summary(s.self);
      if (why) snprintf(r->stopped_by, sizeof r->stopped_by, "%s", why);
      else r->complete = true;
      break;
    }
    const hd_exec_result *e;
    hd_exec_status status = hd_exec_run(x, &cfg, &e);
    r->executions++;
    size_t unused = replaying && status != HD_EXEC_DIVERGED ? hd_strategy_replay_unused(&s) : 0;
    if (unused) {
      /* The execution ended before the token did: a token with choices
       * added, or of another build of the test. */
      snprintf(r->error, sizeof r->error,
               "the token has %zu choice%s more than its execution made: it does not match this build of the test",
               unused, unused == 1 ? "" : "s");
      rc = -1;
      break;
    }
    if (status == HD_EXEC_PASSED) {
      if (hd_strategy_uncounted(&s)) {
        r->executions--;
        r->wasted++;
      }
      if (replaying) r->trace = render_trace(e->trace, o, r);
      continue;
    }
    if (status == HD_EXEC_DIVERGED) {
      snprintf(r->error, sizeof r->error,
               replaying ? "replay diverged after %llu steps: the token does not match this build of the test, or "
                           "the test is nondeterministic"
                         : "strategy gave up after %llu steps",
               (unsigned long long)e->steps);
      rc = -1;
      break;
    }
    if (status == HD_EXEC_ERROR) {
      snprintf(r->error, sizeof r->error, "harness error: %s", e->message[0] ? e->message : "out of memory");
      rc = -1;
      break;
    }
    /* "execution b of n" with b <= n: a share reports what one process would
     * have run to reach index i; a tree search counts what it counted. */
    copy_bug(e, by_index ? i : r->executions - 1, r);
    if (by_index) r->executions = i + 1;
    hd_setup setup = setup_of(&cfg);
    r->token = hd_token_encode(t->name, &setup, e->schedule);
    if (replaying) {
      r->trace = render_trace(e->trace, o, r);
    } else {
      char message[sizeof r->message];
      snprintf(message, sizeof message, "%s", e->message);
      if (!hd_schedule_copy(&failing, e->schedule)) {
        snprintf(r->error, sizeof r->error, "out of memory");
        rc = -1;
      } else {
        if (o->shrink && shrinkable(o->strategy)) shrink_failure(t, &cfg, x, &failing, i, message, sizeof message, r);
        rc = trace_failure(t, o, x, &failing, r->kind, message, r);
      }
    }
    break;
  }
  hd__progress_end(&progress);
  r->sections_discarded = hd_strategy_dfs_sections_discarded(&s);
  /* A search that used up exactly --executions may have nothing left. */
  /* Nothing may be taken from helpers here: the budget is spent. */
  if (!replaying) hd_strategy_dfs_budget(&s, 0);
  if (rc == 0 && !r->bug_found && !r->complete && !r->stopped_by[0] && systematic(o->strategy) &&
      !s.ops->begin(s.self, r->executions)) {
    const char *why = s.ops->summary(s.self);
    if (why) snprintf(r->stopped_by, sizeof r->stopped_by, "%s", why);
    else r->complete = true;
  }
  if (rc == 0 && !r->bug_found && !r->complete && !r->stopped_by[0] && systematic(o->strategy)) {
    /* How much is left, from the tree's known branching along the current
     * path (hd_strategy_coverage); DPOR finds more branches as it goes, so
     * it is an estimate that can rise. */
    double covered = hd_strategy_coverage(&s);
    char left[96] = "";
    if (covered > 0 && covered < 1) {
      double estimate = (double)r->executions * (1 - covered) / covered;
      r->estimated_left = estimate > 1e18 ? (uint64_t)1e18 : (uint64_t)(estimate + 0.5);
      r->has_estimate = true;
      snprintf(left, sizeof left, " (about %llu executions left, by the tree's shape so far)",
               (unsigned long long)r->estimated_left);
    }
    snprintf(r->stopped_by, sizeof r->stopped_by, "stopped by --executions %llu before the search was complete%s",
             (unsigned long long)o->executions, left);
  }
  hd_schedule_free(&failing);
  s.ops->destroy(s.self);
  hd_exec_free(x);
  return rc == 0 ? HD_EXPLORE_RAN : HD_EXPLORE_FAILED;
}

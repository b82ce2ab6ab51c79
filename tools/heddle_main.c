/* The heddle command line: list scenarios, explore one, replay a token.
 * Exit status: 0 no bug, 1 bug found, 2 usage error (one line on stderr),
 * 3 harness error (a replay that diverged, out of memory), 128 + the signal
 * when SIGINT or SIGTERM stopped the exploration. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/explore.h"
#include "harness/report/report.h"
#include "harness/strategies/table.h"
#include "scenarios/scenario.h"

enum { EXIT_PASS = 0, EXIT_BUG = 1, EXIT_USAGE = 2, EXIT_HARNESS = 3 };

static const char usage[] =
    "usage: heddle list [--json]\n"
    "       heddle explore SCENARIO [--strategy random|pct|dfs|dfs-naive|bounded] [--seed N] [--executions N]\n"
    "                               [--step-limit N] [--depth D] [--preemptions K] [--no-reduction] [--no-shrink]\n"
    "                               [--jobs N] [--no-races] [--watchdog SECONDS] [--full-trace] [--json]\n"
    "                               [PICTURES]\n"
    "       heddle replay TOKEN [--no-races] [--watchdog SECONDS] [--full-trace] [--json] [PICTURES]\n"
    "PICTURES of the failing (or replayed) execution: [--format text] (the trace in the report)\n"
    "       [--html FILE] (one self-contained page: a lane per thread, happens-before arrows)\n"
    "       [--chrome-trace FILE] (Chrome trace event JSON for chrome://tracing or ui.perfetto.dev)\n"
    "--full-trace: draw every step of the trace (default: the first 100 and last 200, and the bug's)\n"
    "--watchdog: seconds a thread may run without a switch point before it is a livelock (default 10, 0: off)\n"
    "exit status: 0 no bug, 1 bug found, 2 usage error, 3 harness error, 130/143 interrupted (SIGINT/SIGTERM)\n";

static int usage_error(const char *fmt, const char *arg) {
  fputs("heddle: ", stderr);
  fprintf(stderr, fmt, arg);
  fputs(" (try 'heddle --help')\n", stderr);
  return EXIT_USAGE;
}

static int cmd_list(int argc, char **argv) {
  bool json = false;
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--json") == 0) json = true;
    else return usage_error("unknown option '%s' for list", argv[i]);
  }
  char expected[128];
  if (json) fputs("[", stdout);
  for (size_t i = 0; i < hd_scenario_count(); i++) {
    const hd_scenario *s = hd_scenario_at(i);
    hd_scenario_expectation(s, expected, sizeof expected);
    if (json) {
      fputs(i ? ",{\"name\":" : "{\"name\":", stdout);
      hd_json_string(stdout, s->name);
      fputs(",\"expected\":", stdout);
      hd_json_string(stdout, expected);
      fputs(",\"summary\":", stdout);
      hd_json_string(stdout, s->summary);
      fputs("}", stdout);
    } else {
      printf("%-44s %-28s %s\n", s->name, expected, s->summary);
    }
  }
  if (json) fputs("]\n", stdout);
  return EXIT_PASS;
}

/* Where --html and --chrome-trace write their pictures; NULL for none. */
static const char *html_path, *chrome_path;

/* Parses the options shared by explore and replay into *o; returns -1 on
 * success or an exit status. */
static int parse_options(int argc, char **argv, bool replay, hd_options *o, bool *json) {
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    const char *value = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "--json") == 0) {
      *json = true;
    } else if (strcmp(a, "--format") == 0) {
      if (!value || strcmp(value, "text") != 0)
        return usage_error("--format knows only 'text' (use --html FILE or --chrome-trace FILE), got '%s'",
                           value ? value : "");
      i++;
    } else if (strcmp(a, "--html") == 0 || strcmp(a, "--chrome-trace") == 0) {
      if (!value || !*value) return usage_error("%s needs a file name", a);
      if (a[2] == 'h') html_path = value;
      else chrome_path = value;
      i++;
    } else if (strcmp(a, "--no-races") == 0) {
      o->detect_races = false;
    } else if (!replay && strcmp(a, "--strategy") == 0) {
      if (!value) return usage_error("%s needs a value", a);
      const hd_strategy_kind *kind = hd_strategy_find(value);
      if (!kind || !kind->explorable) {
        fprintf(stderr, "heddle: unknown strategy '%.64s' (known: %s; use 'heddle replay' to replay) (try 'heddle --help')\n",
                value, hd_strategy_names());
        return EXIT_USAGE;
      }
      o->strategy = argv[++i];
    } else if (!replay && strcmp(a, "--depth") == 0) {
      uint64_t n;
      if (!value || !hd_parse_count(value, 1, 64, &n))
        return usage_error("--depth needs a count between 1 and 64, got '%s'", value ? value : "");
      o->depth = (unsigned)n;
      i++;
    } else if (!replay && strcmp(a, "--preemptions") == 0) {
      uint64_t n;
      if (!value || !hd_parse_count(value, 0, 1000000, &n))
        return usage_error("--preemptions needs a count between 0 and 10^6, got '%s'", value ? value : "");
      o->preemptions = (int64_t)n;
      i++;
    } else if (!replay && strcmp(a, "--jobs") == 0) {
      uint64_t n;
      if (!value || !hd_parse_count(value, 1, 64, &n))
        return usage_error("--jobs needs a count between 1 and 64, got '%s'", value ? value : "");
      o->jobs = (unsigned)n;
      i++;
    } else if (!replay && strcmp(a, "--no-reduction") == 0) {
      o->reduction = false;
    } else if (!replay && strcmp(a, "--no-shrink") == 0) {
      o->shrink = false;
    } else if (!replay && strcmp(a, "--seed") == 0) {
      if (!value || !hd_parse_count(value, 0, UINT64_MAX, &o->seed))
        return usage_error("--seed needs an unsigned decimal integer, got '%s'", value ? value : "");
      i++;
    } else if (!replay && strcmp(a, "--executions") == 0) {
      if (!value || !hd_parse_count(value, 1, HD_MAX_EXECUTIONS, &o->executions))
        return usage_error("--executions needs a count between 1 and 10^12, got '%s'", value ? value : "");
      i++;
    } else if (strcmp(a, "--full-trace") == 0) {
      o->trace_steps = 0;
    } else if (strcmp(a, "--watchdog") == 0) {
      uint64_t n;
      if (!value || !hd_parse_count(value, 0, 86400, &n))
        return usage_error("--watchdog needs a number of seconds between 0 (off) and 86400, got '%s'",
                           value ? value : "");
      o->watchdog = (double)n;
      i++;
    } else if (strcmp(a, "--step-limit") == 0) {
      if (!value || !hd_parse_count(value, 1, HD_MAX_STEP_LIMIT, &o->step_limit))
        return usage_error("--step-limit needs a count between 1 and 10^9, got '%s'", value ? value : "");
      i++;
    } else {
      return usage_error("unknown option '%s'", a);
    }
  }
  return -1;
}

static int run(const hd_scenario *s, const hd_options *o, bool json) {
  hd_test t = {.name = s->name, .body = s->body, .check = s->check};
  hd_result r;
  char expected[128];
  hd_scenario_expectation(s, expected, sizeof expected);
  hd_explore_status ran = hd_explore(&t, o, &r);
  if (ran == HD_EXPLORE_INTERRUPTED) {
    /* Random and PCT execution i depends only on (seed, i): say how far it got. */
    fprintf(stderr, "heddle: %s (strategy %s, seed %llu); nothing found before that\n", r.error, o->strategy,
            (unsigned long long)o->seed);
    int sig = r.interrupted;
    hd_result_free(&r);
    return 128 + sig;
  }
  if (ran != HD_EXPLORE_RAN) {
    fprintf(stderr, "heddle: %s\n", r.error);
    hd_result_free(&r);
    return ran == HD_EXPLORE_BAD_INPUT ? EXIT_USAGE : EXIT_HARNESS;
  }
  if (json) hd_report_json(stdout, s->name, expected, o, &r);
  else hd_report_text(stdout, s->name, expected, o, &r);
  int status = r.bug_found ? EXIT_BUG : EXIT_PASS;
  const char *paths[2] = {html_path, chrome_path};
  for (int k = 0; k < 2; k++) {
    char why[600];
    if (!paths[k]) continue;
    if (!hd_report_picture(s->name, &r, k == 0 ? HD_PICTURE_HTML : HD_PICTURE_CHROME, paths[k], why, sizeof why))
      fprintf(stderr, "heddle: no picture written to %s: %s\n", paths[k], why);
    else if (!json)
      printf("picture:      %s\n", paths[k]);
  }
  hd_result_free(&r);
  return status;
}

static int cmd_explore(int argc, char **argv) {
  if (argc < 1 || argv[0][0] == '-') return usage_error("%s", "explore needs a scenario name; 'heddle list' shows them");
  const hd_scenario *s = hd_scenario_find(argv[0]);
  if (!s) return usage_error("unknown scenario '%s'; 'heddle list' shows them", argv[0]);
  hd_options o;
  hd_options_default(&o);
  bool json = false;
  int status = parse_options(argc - 1, argv + 1, false, &o, &json);
  if (status >= 0) return status;
  return run(s, &o, json);
}

static int cmd_replay(int argc, char **argv) {
  if (argc < 1 || argv[0][0] == '-') return usage_error("%s", "replay needs a token (printed by 'heddle explore')");
  hd_options o;
  hd_options_default(&o);
  o.strategy = "replay";
  o.token = argv[0];
  o.executions = 1;
  bool json = false;
  int status = parse_options(argc - 1, argv + 1, true, &o, &json);
  if (status >= 0) return status;
  /* The scenario's name is inside the token; errors in the rest of the
   * token are reported by the explorer. */
  const char *name = strchr(o.token, ':');
  const char *end = name ? strchr(name + 1, ':') : NULL;
  if (strncmp(o.token, "hd1:", 4) != 0 || !end) {
    fprintf(stderr, "heddle: malformed token: expected hd1:SCENARIO:SCHEDULE:CHECKSUM\n");
    return EXIT_USAGE;
  }
  char scenario[128];
  size_t n = (size_t)(end - name - 1);
  if (n == 0 || n >= sizeof scenario) {
    fprintf(stderr, "heddle: malformed token: bad scenario name\n");
    return EXIT_USAGE;
  }
  memcpy(scenario, name + 1, n);
  scenario[n] = '\0';
  const hd_scenario *s = hd_scenario_find(scenario);
  if (!s) {
    fprintf(stderr, "heddle: the token names unknown scenario '%s'\n", scenario);
    return EXIT_USAGE;
  }
  return run(s, &o, json);
}

int main(int argc, char **argv) {
  if (argc < 2) return usage_error("%s", "missing command: list, explore or replay");
  const char *cmd = argv[1];
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
    fputs(usage, stdout);
    return EXIT_PASS;
  }
  if (strcmp(cmd, "list") == 0) return cmd_list(argc - 2, argv + 2);
  if (strcmp(cmd, "explore") == 0) return cmd_explore(argc - 2, argv + 2);
  if (strcmp(cmd, "replay") == 0) return cmd_replay(argc - 2, argv + 2);
  return usage_error("unknown command '%s'", cmd);
}

/* The heddle command line: list scenarios, explore one, replay a token.
 * Exit status: 0 no bug, 1 bug found, 2 usage error (one line on stderr),
 * 3 harness error (a replay that diverged, out of memory), 5 a program's
 * sources that do not compile, 128 + the signal
 * when SIGINT or SIGTERM stopped the exploration. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "harness/explore.h"
#include "tools/cli_options.h"
#include "tools/cli_program.h"
#include "harness/report/report.h"
#include "harness/strategies/table.h"
#include "scenarios/scenario.h"

enum { EXIT_PASS = 0, EXIT_BUG = 1, EXIT_USAGE = 2, EXIT_HARNESS = 3 };


static int cmd_list(int argc, char **argv) {
  bool json = false;
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--json") == 0) json = true;
    else return hd_cli_usage_error("unknown option '%s' for list", argv[i]);
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

/* The options, and on a terminal a trace as wide as the terminal (files
 * get 100 columns, so what a test compares never depends on it). */
static int parse_options(int argc, char **argv, bool replay, hd_options *o, bool *json) {
  struct winsize ws;
  if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40) o->trace_width = ws.ws_col;
  return hd_cli_parse_options(argc, argv, replay, o, json, &html_path, &chrome_path);
}

/* Explores (or replays) `t` and prints the report; `expected` is the
 * scenario's declared outcome, NULL for a program. */
static int run_test(const hd_test *t, const char *expected, const hd_options *o, bool json) {
  hd_result r;
  hd_explore_status ran = hd_explore(t, o, &r);
  if (ran == HD_EXPLORE_INTERRUPTED) {
    /* Random and PCT execution i depends only on (seed, i): say how far it got. */
    if (r.resume_from != UINT64_MAX)
      fprintf(stderr, "heddle: %s (strategy %s, seed %llu), no bug among them; to go on: --seed %llu "
                      "--first-execution %llu\n",
              r.error, o->strategy, (unsigned long long)o->seed, (unsigned long long)o->seed,
              (unsigned long long)r.resume_from);
    else
      fprintf(stderr, "heddle: %s (strategy %s), no bug among them; it cannot go on part-way: run it again\n",
              r.error, o->strategy);
    int sig = r.interrupted;
    hd_result_free(&r);
    return 128 + sig;
  }
  if (ran != HD_EXPLORE_RAN) {
    fprintf(stderr, "heddle: %s\n", r.error);
    hd_result_free(&r);
    return ran == HD_EXPLORE_BAD_INPUT ? EXIT_USAGE : EXIT_HARNESS;
  }
  if (json) hd_report_json(stdout, t->name, expected, o, &r);
  else hd_report_text(stdout, t->name, expected, o, &r);
  int status = r.bug_found ? EXIT_BUG : EXIT_PASS;
  const char *paths[2] = {html_path, chrome_path};
  for (int k = 0; k < 2; k++) {
    char why[600];
    if (!paths[k]) continue;
    if (!hd_report_picture(t->name, &r, k == 0 ? HD_PICTURE_HTML : HD_PICTURE_CHROME, paths[k], why, sizeof why))
      fprintf(stderr, "heddle: no picture written to %s: %s\n", paths[k], why);
    else if (!json)
      printf("picture:      %s\n", paths[k]);
  }
  hd_result_free(&r);
  return status;
}

static int run(const hd_scenario *s, const hd_options *o, bool json) {
  hd_test t = {.name = s->name, .body = s->body, .check = s->check};
  char expected[128];
  hd_scenario_expectation(s, expected, sizeof expected);
  return run_test(&t, expected, o, json);
}

/* explore prog.c ... and replay TOKEN prog.c ...: options sit between the
 * sources and "--". */
static int run_program(int argc, char **argv, hd_options *o, bool replay, const char *token_name) {
  hd_cli_program p;
  hd_cli_program_split(argc, argv, &p);
  bool json = false;
  int status = parse_options(p.noptions, p.options, replay, o, &json);
  if (status >= 0) return status;
  return hd_cli_program_run(&p, o, json, token_name, run_test);
}

static bool asks_for_help(int argc, char **argv) {
  return argc >= 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0);
}

static int cmd_explore(int argc, char **argv) {
  if (asks_for_help(argc, argv)) {
    fputs(hd_cli_usage, stdout);
    return EXIT_PASS;
  }
  if (argc < 1 || argv[0][0] == '-')
    return hd_cli_usage_error("%s", "explore needs a scenario name ('heddle list' shows them) or a program's .c files");
  if (hd_cli_is_source(argv[0])) {
    hd_options o;
    hd_options_default(&o);
    return run_program(argc, argv, &o, false, NULL);
  }
  const hd_scenario *s = hd_scenario_find(argv[0]);
  if (!s) return hd_cli_usage_error("unknown scenario '%s'; 'heddle list' shows them", argv[0]);
  hd_options o;
  hd_options_default(&o);
  bool json = false;
  int status = parse_options(argc - 1, argv + 1, false, &o, &json);
  if (status >= 0) return status;
  return run(s, &o, json);
}

static int cmd_replay(int argc, char **argv) {
  if (asks_for_help(argc, argv)) {
    fputs(hd_cli_usage, stdout);
    return EXIT_PASS;
  }
  if (argc < 1 || argv[0][0] == '-') return hd_cli_usage_error("%s", "replay needs a token (printed by 'heddle explore')");
  hd_options o;
  hd_options_default(&o);
  o.strategy = "replay";
  o.token = argv[0];
  o.executions = 1;
  /* The scenario's (or program's) name is inside the token; errors in the
   * rest of the token are reported by the explorer. */
  char scenario[128];
  bool program = argc >= 2 && hd_cli_is_source(argv[1]);
  bool json = false;
  int status = program ? -1 : parse_options(argc - 1, argv + 1, true, &o, &json);
  if (status >= 0) return status;
  const char *why = hd_cli_token_scenario(o.token, scenario, sizeof scenario);
  if (why) {
    fprintf(stderr, "heddle: %s\n", why);
    return EXIT_USAGE;
  }
  if (program) return run_program(argc - 1, argv + 1, &o, true, scenario);
  const hd_scenario *s = hd_scenario_find(scenario);
  if (!s) {
    fprintf(stderr, "heddle: the token names unknown scenario '%s'\n", scenario);
    return EXIT_USAGE;
  }
  return run(s, &o, json);
}

int main(int argc, char **argv) {
  if (argc < 2) return hd_cli_usage_error("%s", "missing command: list, explore or replay");
  const char *cmd = argv[1];
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
    fputs(hd_cli_usage, stdout);
    return EXIT_PASS;
  }
  if (strcmp(cmd, "list") == 0) return cmd_list(argc - 2, argv + 2);
  if (strcmp(cmd, "explore") == 0) return cmd_explore(argc - 2, argv + 2);
  if (strcmp(cmd, "replay") == 0) return cmd_replay(argc - 2, argv + 2);
  return hd_cli_usage_error("unknown command '%s'", cmd);
}

/* The command line's option parsing, apart from main so that the fuzzer
 * (fuzz/cli_fuzz.c) can drive it with any argv. */
#include "tools/cli_options.h"

#include <stdio.h>
#include <string.h>

#include "harness/strategies/table.h"

int hd_cli_usage_error(const char *fmt, const char *arg) {
  fputs("heddle: ", stderr);
  fprintf(stderr, fmt, arg);
  fputs(" (try 'heddle --help')\n", stderr);
  return HD_CLI_EXIT_USAGE;
}

int hd_cli_parse_options(int argc, char **argv, bool replay, hd_options *o, bool *json, const char **html_path,
                         const char **chrome_path) {
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    const char *value = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "--json") == 0) {
      *json = true;
    } else if (strcmp(a, "--format") == 0) {
      if (!value || strcmp(value, "text") != 0)
        return hd_cli_usage_error("--format knows only 'text' (use --html FILE or --chrome-trace FILE), got '%s'",
                           value ? value : "");
      i++;
    } else if (strcmp(a, "--html") == 0 || strcmp(a, "--chrome-trace") == 0) {
      if (!value || !*value) return hd_cli_usage_error("%s needs a file name", a);
      if (a[2] == 'h') *html_path = value;
      else *chrome_path = value;
      i++;
    } else if (strcmp(a, "--no-races") == 0) {
      o->detect_races = false;
    } else if (!replay && strcmp(a, "--strategy") == 0) {
      if (!value) return hd_cli_usage_error("%s needs a value", a);
      const hd_strategy_kind *kind = hd_strategy_find(value);
      if (!kind || !kind->explorable) {
        fprintf(stderr, "heddle: unknown strategy '%.64s' (known: %s; use 'heddle replay' to replay) (try 'heddle --help')\n",
                value, hd_strategy_names());
        return HD_CLI_EXIT_USAGE;
      }
      o->strategy = argv[++i];
    } else if (!replay && strcmp(a, "--depth") == 0) {
      uint64_t n;
      if (!value || !hd_parse_count(value, 1, 64, &n))
        return hd_cli_usage_error("--depth needs a count between 1 and 64, got '%s'", value ? value : "");
      o->depth = (unsigned)n;
      i++;
    } else if (!replay && strcmp(a, "--preemptions") == 0) {
      uint64_t n;
      if (!value || !hd_parse_count(value, 0, 1000000, &n))
        return hd_cli_usage_error("--preemptions needs a count between 0 and 10^6, got '%s'", value ? value : "");
      o->preemptions = (int64_t)n;
      i++;
    } else if (!replay && strcmp(a, "--jobs") == 0) {
      uint64_t n;
      if (!value || !hd_parse_count(value, 1, 64, &n))
        return hd_cli_usage_error("--jobs needs a count between 1 and 64, got '%s'", value ? value : "");
      o->jobs = (unsigned)n;
      i++;
    } else if (!replay && strcmp(a, "--no-reduction") == 0) {
      o->reduction = false;
    } else if (!replay && strcmp(a, "--no-shrink") == 0) {
      o->shrink = false;
    } else if (!replay && strcmp(a, "--seed") == 0) {
      if (!value || !hd_parse_count(value, 0, UINT64_MAX, &o->seed))
        return hd_cli_usage_error("--seed needs an unsigned decimal integer, got '%s'", value ? value : "");
      i++;
    } else if (!replay && strcmp(a, "--executions") == 0) {
      if (!value || !hd_parse_count(value, 1, HD_MAX_EXECUTIONS, &o->executions))
        return hd_cli_usage_error("--executions needs a count between 1 and 10^12, got '%s'", value ? value : "");
      i++;
    } else if (strcmp(a, "--full-trace") == 0) {
      o->trace_steps = 0;
    } else if (strcmp(a, "--watchdog") == 0) {
      uint64_t n;
      if (!value || !hd_parse_count(value, 0, 86400, &n))
        return hd_cli_usage_error("--watchdog needs a number of seconds between 0 (off) and 86400, got '%s'",
                           value ? value : "");
      o->watchdog = (double)n;
      i++;
    } else if (strcmp(a, "--step-limit") == 0) {
      if (!value || !hd_parse_count(value, 1, HD_MAX_STEP_LIMIT, &o->step_limit))
        return hd_cli_usage_error("--step-limit needs a count between 1 and 10^9, got '%s'", value ? value : "");
      i++;
    } else {
      return hd_cli_usage_error("unknown option '%s'", a);
    }
  }
  return -1;
}

const char *hd_cli_token_scenario(const char *token, char *out, size_t size) {
  const char *name = strchr(token, ':');
  const char *end = name ? strchr(name + 1, ':') : NULL;
  if ((strncmp(token, "hd2:", 4) != 0 && strncmp(token, "hd1:", 4) != 0) || !end)
    return "malformed token: expected hd2:SCENARIO:SETUP:SCHEDULE:CHECKSUM";
  size_t n = (size_t)(end - name - 1);
  if (n == 0 || n >= size) return "malformed token: bad scenario name";
  memcpy(out, name + 1, n);
  out[n] = '\0';
  return NULL;
}

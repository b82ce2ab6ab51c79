/* The fuzz target: the replay token parser and the command line's option
 * parsing, fed arbitrary bytes (libFuzzer's entry point).
 *
 * The input is split at NUL bytes and newlines into argv. Each piece is
 * decoded as a token: a token that decodes must encode back to itself
 * (the parser and the encoder agree), and a token that does not decode must
 * leave nothing allocated (LeakSanitizer sees it). The whole argv is parsed
 * as explore's options and as replay's: every outcome must be "parsed" or
 * the usage exit status, and the parsed options must be in their documented
 * ranges. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/engine/schedule.h"
#include "harness/explore.h"
#include "tools/cli_options.h"

enum { MAX_ARGS = 64 };

static void check(bool ok, const char *what) {
  if (!ok) {
    fprintf(stderr, "cli_fuzz: violated: %s\n", what);
    abort();
  }
}

static void fuzz_token(const char *text) {
  char *scenario = NULL;
  hd_schedule s = {0};
  hd_setup setup;
  const char *why = hd_token_decode(text, &scenario, &setup, &s);
  if (why) {
    check(scenario == NULL && s.items == NULL && s.cap == 0, "a rejected token leaves nothing allocated");
    return;
  }
  char *again = hd_token_encode(scenario, &setup, &s);
  check(again != NULL, "a decoded token encodes");
  /* Version 2 tokens in canonical form (set-up in r, m, l order) come back
   * byte for byte; any decoded token's re-encoding decodes to the same. */
  char *scenario2 = NULL;
  hd_schedule s2 = {0};
  hd_setup setup2;
  check(hd_token_decode(again, &scenario2, &setup2, &s2) == NULL, "a re-encoded token decodes");
  check(strcmp(scenario, scenario2) == 0 && s.len == s2.len && setup.races == setup2.races &&
            setup.misuse_returns == setup2.misuse_returns && setup.step_limit == setup2.step_limit,
        "a re-encoded token decodes to the same");
  for (size_t i = 0; i < s.len; i++)
    check(s.items[i].is_value == s2.items[i].is_value && s.items[i].value == s2.items[i].value,
          "a re-encoded token has the same choices");
  free(scenario2);
  hd_schedule_free(&s2);
  free(again);
  free(scenario);
  hd_schedule_free(&s);
  char name[128];
  hd_cli_token_scenario(text, name, sizeof name);
}

static void fuzz_options(int argc, char **argv, bool replay) {
  hd_options o;
  hd_options_default(&o);
  bool json = false;
  const char *html = NULL, *chrome = NULL;
  int rc = hd_cli_parse_options(argc, argv, replay, &o, &json, &html, &chrome);
  check(rc == -1 || rc == 0 || rc == HD_CLI_EXIT_USAGE, "options parse, ask for help, or are a usage error");
  char quoted[512];
  for (int i = 0; i < argc; i++) {
    hd_cli_quote(argv[i], quoted, sizeof quoted);
    for (const char *q = quoted; *q; q++) check(*q >= 0x20 && *q < 0x7f, "a quoted argument prints on one line");
  }
  if (rc != -1) return;
  check(o.executions >= 1 && o.executions <= HD_MAX_EXECUTIONS, "executions in range");
  check(o.step_limit >= 1 && o.step_limit <= HD_MAX_STEP_LIMIT, "step limit in range");
  check(o.depth >= 1 && o.depth <= 64, "depth in range");
  check(o.jobs >= 1 && o.jobs <= 64, "jobs in range");
  check(o.watchdog >= 0 && o.watchdog <= 86400, "watchdog in range");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = malloc(size + 1);
  if (!text) return 0;
  memcpy(text, data, size);
  text[size] = '\0';
  char *argv[MAX_ARGS + 1];
  int argc = 0;
  char *p = text, *end = text + size;
  while (p <= end && argc < MAX_ARGS) {
    size_t n = strcspn(p, "\n");
    p[n] = '\0';
    argv[argc++] = p;
    p += n + 1;
  }
  argv[argc] = NULL;
  for (int i = 0; i < argc; i++) fuzz_token(argv[i]);
  fuzz_options(argc, argv, false);
  fuzz_options(argc, argv, true);
  free(text);
  return 0;
}

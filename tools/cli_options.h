/* Parsing the heddle command line's options (tools/heddle_main.c). */
#ifndef HEDDLE_TOOLS_CLI_OPTIONS_H
#define HEDDLE_TOOLS_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "harness/explore.h"

#define HD_CLI_EXIT_USAGE 2

/* The text of --help. */
extern const char hd_cli_usage[];
/* `arg` made safe to print in one line: control characters and quotes
 * escaped, and a long one cut to its first 80 characters and its length. */
const char *hd_cli_quote(const char *arg, char *buf, size_t size);
/* Prints "heddle: " fmt (with one %s for arg) and a pointer to --help as one
 * line on stderr; returns HD_CLI_EXIT_USAGE. */
int hd_cli_usage_error(const char *fmt, const char *arg);
/* Parses the options shared by explore and replay (replay takes fewer) into
 * *o, *json and the picture paths (*html_path, *chrome_path; left alone when
 * not given). An option the chosen strategy does not read is a usage error.
 * Returns -1 on success, 0 after printing --help, or the exit status after
 * printing one line. */
int hd_cli_parse_options(int argc, char **argv, bool replay, hd_options *o, bool *json, const char **html_path,
                         const char **chrome_path);
/* The scenario named by `token` into out; NULL, or why the token is
 * malformed. Only the name is looked at; the explorer checks the rest. */
const char *hd_cli_token_scenario(const char *token, char *out, size_t size);

#endif

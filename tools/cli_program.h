/* The command line's program mode: `heddle explore prog.c [more.c ...]
 * [options] [-- program arguments]` and `heddle replay TOKEN prog.c ...`
 * compile the sources against the POSIX layer (harness/posix) into a
 * shared object and explore or replay the program. */
#ifndef HEDDLE_TOOLS_CLI_PROGRAM_H
#define HEDDLE_TOOLS_CLI_PROGRAM_H

#include <stdbool.h>

#include "harness/explore.h"

/* Exit status when the program's sources do not compile (the compiler's
 * messages are printed above the one-line error). */
#define HD_CLI_EXIT_COMPILE 5

/* Whether `arg` names a C source file (".c") or a program built already
 * with heddle_posix.h's compile line (".so"). */
bool hd_cli_is_source(const char *arg);

/* What a run of a program needs from the command line. */
typedef struct hd_cli_program {
  int nsources;
  char **sources;
  int noptions;
  char **options; /* between the sources and "--" */
  int nargs;
  char **args;    /* after "--": the program's own arguments */
  bool instrument; /* --instrument: every shared memory access and C11 atomic is a switch point
                      (harness/instrument), compiled with -fsanitize=thread */
  bool spurious;   /* --spurious-wakeups: condition variables may wake without a signal */
} hd_cli_program;

/* Splits argv (starting at the first source) into the three parts, taking
 * out the options of programs only (--instrument, --spurious-wakeups): it
 * moves the other options to the front of the options part. */
void hd_cli_program_split(int argc, char **argv, hd_cli_program *out);

/* The run callback: explores `t` named `name` under `o` and prints the report
 * (heddle_main.c's run). */
typedef int (*hd_cli_runner)(const hd_test *t, const char *expected, const hd_options *o, bool json);

/* Compiles and loads the program of `p`, sets the options (`o` already holds
 * the parsed ones) and calls `runner`; `token_name`, when not NULL, must be
 * the program's name (replay). Returns the exit status. */
int hd_cli_program_run(const hd_cli_program *p, hd_options *o, bool json, const char *token_name,
                       hd_cli_runner runner);

#endif

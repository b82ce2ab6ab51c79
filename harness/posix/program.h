/* A whole C program as a heddle test.
 *
 * The program's sources are compiled with harness/posix/heddle_posix.h
 * forced in, as a shared object (-fPIC -shared). hd_program_load() opens it
 * and takes a snapshot of its writable data (its globals and statics, after
 * its constructors ran); each execution then restores that snapshot, frees
 * what the previous execution left on the heap, closes the files it left
 * open, and calls the program's main(argc, argv) as the main thread, with
 * C's rules for the end of the program (heddle_posix.h says which).
 *
 * Why a snapshot of a shared object rather than a process per execution:
 * measured on this machine, restoring a program's data costs nanoseconds
 * to a few microseconds (its size), while a fork costs tens of
 * microseconds and an exec a millisecond (tools/bench prints both, the
 * README records them). The price is that state outside the program's own
 * data is not reset: what its constructors put on the heap, and files it
 * opened with open(2) rather than fopen. */
#ifndef HEDDLE_HARNESS_POSIX_PROGRAM_H
#define HEDDLE_HARNESS_POSIX_PROGRAM_H

#include <stdbool.h>
#include <stddef.h>

#include "harness/explore.h"

typedef struct hd_program hd_program;

/* Loads the program at `path` (a shared object built as above) to be run as
 * `name` (the name in tokens and reports) with argv[0] = `path` and
 * `argc` - 1 more arguments from `argv`. NULL with a one-line reason in
 * `why` when it cannot be loaded (not a shared object, no main, not built
 * with heddle_posix.h). */
hd_program *hd_program_load(const char *path, const char *name, int argc, char **argv, char *why, size_t size);
/* The test that runs the program once per execution. */
hd_test hd_program_test(hd_program *p);
/* Whether a condition variable's wait may wake without a signal, as an
 * explorable choice (POSIX allows it; off by default). The replay of a token
 * found with it on needs it on too. */
void hd_program_spurious_wakeups(bool on);
/* Bytes of writable data restored before every execution. */
size_t hd_program_data_size(const hd_program *p);
/* Restores the program's initial state now (what every execution does
 * first), for benchmarks. */
void hd_program_reset(hd_program *p);
void hd_program_unload(hd_program *p);

#endif

/* Entry points of the pthread backend (no harness): run a body as a program. */
#ifndef HEDDLE_PRIMITIVES_PTHREAD_RUNNER_H
#define HEDDLE_PRIMITIVES_PTHREAD_RUNNER_H

#include <stdint.h>

/* Runs body(arg) on the calling thread, then waits for every non-daemon
 * thread it (transitively) started, as Python does at interpreter exit.
 * Daemon threads keep running until the process exits. */
void hd_pthread_run(void (*body)(void *), void *arg);
/* Seeds hd_random_below() on this backend. */
void hd_pthread_seed(uint64_t seed);

#endif

/* The flight recorder: what a supervisor needs to know about an execution
 * when the process running it dies.
 *
 * A supervised exploration (harness/supervise.c) runs its executions in a
 * child process that writes, as it goes, into this block of memory shared
 * with the parent: a heartbeat at every switch point, which execution is
 * running, the choices it has made so far, which thread runs and where each
 * thread was last seen, and, from its fault handler, the signal it is dying
 * of. Nothing is written at the moment of death beyond that flag, so the
 * block is right even when the child cannot run another instruction (a
 * SIGKILL, a sanitizer that defers signals). When the child exits, crashes
 * or hangs, the parent reads the block and reports a bug whose token is
 * exactly the choices recorded, so replaying the token walks the same path
 * into the same death. Every field but `stop_before` is written by the child
 * only. */
#ifndef HEDDLE_HARNESS_ENGINE_RECORDER_H
#define HEDDLE_HARNESS_ENGINE_RECORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harness/engine/schedule.h"

/* The longest schedule a death can be replayed from; the pages are mapped
 * lazily, so only the choices made cost memory. */
#define HD_RECORDER_CHOICES (1u << 22)
#define HD_RECORDER_THREADS 64

typedef struct hd_recorder {
  volatile uint64_t heartbeat;  /* switch points passed, over every execution */
  volatile uint64_t execution;  /* 0-based index of the execution running */
  volatile uint64_t counted;    /* executions the exploration has counted so far */
  volatile uint64_t stop_before; /* written by the parent: 1 + the first execution index not to
                                    start (another worker found a bug there); 0 for no limit */
  volatile int in_execution;    /* 1 while an execution runs (the watchdog watches only then) */
  volatile int overflow;        /* the schedule outgrew the recorder: no token */
  volatile int stack_overflow;  /* the death was a fiber's guard-page hit */
  volatile int death_signal;    /* the signal the child was dying of, 0 if none (a sanitizer's
                                   handler may turn it into an exit status afterwards) */
  volatile uint64_t steps;      /* the running execution's switch points so far */
  volatile unsigned preemptions;/* and its preemptions */
  /* Where every thread was last seen, kept up to date as the execution runs
   * so that the parent can say where a child stopped even when the child
   * cannot answer (a sanitizer defers the watchdog's signal in a loop that
   * calls nothing). Threads past HD_RECORDER_THREADS are named by number. */
  volatile int current;         /* the running thread */
  struct {
    char name[48];
    const char *file_ptr;       /* the child's pointer behind `file`, to copy only on change */
    char file[200];
    int line;                   /* 0: no switch point yet */
  } threads[HD_RECORDER_THREADS];
  /* Set once, by a helper process that has sent all it will send
   * (strategies/helpers.h), on a cache line of its own: its parent reads
   * it between every two executions without pulling to its core the lines
   * the helper writes at every switch point. */
  _Alignas(64) volatile int finished;
  _Alignas(64) volatile uint64_t len; /* choices[0..len) are the running execution's */
  hd_choice choices[HD_RECORDER_CHOICES];
} hd_recorder;

/* A zeroed recorder in memory shared with children forked after this call;
 * NULL when it cannot be mapped. */
hd_recorder *hd__recorder_new(void);
void hd__recorder_free(hd_recorder *rec);
/* The recorded choices as a schedule (copied); false when out of memory or
 * the recorder overflowed. */
bool hd__recorder_schedule(const hd_recorder *rec, hd_schedule *out);

/* In the child: the recorder the engine writes to, or NULL for none. The
 * exploration sets it once; every hd_exec_run then records into it. */
void hd__recorder_attach(hd_recorder *rec);
hd_recorder *hd__recorder_attached(void);

#endif

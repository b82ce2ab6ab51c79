/* The flight recorder: what a supervisor needs to know about an execution
 * when the process running it dies.
 *
 * A supervised exploration (harness/supervise.c) runs its executions in a
 * child process that writes, as it goes, into this block of memory shared
 * with the parent: a heartbeat at every switch point, which execution is
 * running, the choices it has made so far, and, when the child is dying (a
 * signal, exit(), the watchdog's interrupt), a description of where. When the
 * child exits, crashes or hangs, the parent reads the block and reports a bug
 * whose token is exactly the choices recorded, so replaying the token walks
 * the same path into the same death. Every field is written by the child
 * only; the parent reads it after the child is gone (or, for the heartbeat,
 * while it runs). */
#ifndef HEDDLE_HARNESS_ENGINE_RECORDER_H
#define HEDDLE_HARNESS_ENGINE_RECORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harness/engine/schedule.h"

/* The longest schedule a death can be replayed from; the pages are mapped
 * lazily, so only the choices made cost memory. */
#define HD_RECORDER_CHOICES (1u << 22)

typedef struct hd_recorder {
  volatile uint64_t heartbeat;  /* switch points passed, over every execution */
  volatile uint64_t execution;  /* 0-based index of the execution running */
  volatile uint64_t counted;    /* executions the exploration has counted so far */
  volatile uint64_t stop_before; /* written by the parent: 1 + the first execution index not to
                                    start (another worker found a bug there); 0 for no limit */
  volatile int in_execution;    /* 1 while an execution runs (the watchdog watches only then) */
  volatile int dying;           /* 1 once `death` below is written */
  volatile int overflow;        /* the schedule outgrew the recorder: no token */
  volatile int stack_overflow;  /* the death was a fiber's guard-page hit */
  volatile int death_signal;    /* the signal the child was dying of, 0 if none (a sanitizer's
                                   handler may turn it into an exit status afterwards) */
  char death_thread[64];        /* the thread that was running, "" if none */
  char death_where[320];        /* "after its switch point at FILE:LINE" or "before its first switch point" */
  char death[3072];             /* the last steps, one line each */
  char death_file[256];         /* FILE of that switch point, "" if none */
  int death_line;
  uint64_t death_steps;         /* switch points the dying execution had passed */
  unsigned death_preemptions;
  volatile uint64_t len;        /* choices[0..len) are the running execution's */
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
/* In the child, from a signal handler, an exit handler or the watchdog's
 * interrupt: describes where the running execution is (its thread, its last
 * switch point, its last steps) into the attached recorder and marks it
 * dying. Does nothing outside an execution or without a recorder. */
void hd__recorder_note_death(void);

#endif

/* Schedules: the choices one execution made, and their replay token.
 *
 * Only real choices are logged: a thread picked when two or more could run,
 * and every value drawn by hd_random_below(). Replaying the log through the
 * same test, set up the same way, reproduces the execution exactly; the
 * token carries that set-up too, so it replays the same execution whatever
 * options or environment surround the replay.
 *
 * Token grammar (version 2), all of it shell-safe:
 *   token    = "hd2:" scenario ":" setup ":" choices ":" checksum
 *   setup    = { "r0" | "m1" | "e1" | "l" decimal }  (races off, misuse
 *              returned, memory shared from its first access, step limit
 *              when not HD_DEFAULT_STEP_LIMIT; each at most once)
 *   choices  = { thread | value }
 *   thread   = one char of 0-9 A-Z a-z - _   (thread id 0..63)
 *            | "~" lowercase-hex "~"         (thread id 64 and up)
 *   value    = "." lowercase-hex "."
 *   checksum = 8 lowercase hex digits, FNV-1a 32 of everything before the last ':'
 * Version 1 ("hd1:" scenario ":" choices ":" checksum) is still read, with
 * the default set-up. The checksum catches truncated and mistyped tokens. */
#ifndef HEDDLE_HARNESS_ENGINE_SCHEDULE_H
#define HEDDLE_HARNESS_ENGINE_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The step limit a token does not mention. */
#define HD_DEFAULT_STEP_LIMIT 100000u

/* What changes what an execution does besides its choices. */
typedef struct hd_setup {
  bool races;          /* happens-before race detection on */
  bool misuse_returns; /* misuse returns HD_EMISUSE instead of being a bug */
  bool eager_memory;   /* every instrumented access is a switch point (engine/memory.h) */
  uint64_t step_limit; /* switch points before a livelock is reported */
} hd_setup;

/* races on, misuse reported, HD_DEFAULT_STEP_LIMIT. */
hd_setup hd_setup_default(void);

typedef struct hd_choice {
  bool is_value;  /* false: a thread id; true: a drawn value */
  uint64_t value;
} hd_choice;

/* Invariant: len <= cap; items is NULL when cap is 0. */
typedef struct hd_schedule {
  hd_choice *items;
  size_t len, cap;
} hd_schedule;

void hd_schedule_clear(hd_schedule *s);
void hd_schedule_free(hd_schedule *s);
/* Returns false when out of memory. */
bool hd_schedule_push(hd_schedule *s, bool is_value, uint64_t value);
bool hd_schedule_copy(hd_schedule *dst, const hd_schedule *src);

/* The token of `s` for `scenario` run with `setup`, malloc'd; NULL when out
 * of memory. */
char *hd_token_encode(const char *scenario, const hd_setup *setup, const hd_schedule *s);
/* Parses `token`. On success returns NULL, fills *out and *setup_out (which
 * may be NULL) and writes the scenario name (malloc'd) to *scenario_out. On
 * failure returns a static one-line reason and leaves nothing allocated. */
const char *hd_token_decode(const char *token, char **scenario_out, hd_setup *setup_out, hd_schedule *out);

#endif

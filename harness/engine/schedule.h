/* Schedules: the choices one execution made, and their replay token.
 *
 * Only real choices are logged: a thread picked when two or more could run,
 * and every value drawn by hd_random_below(). Replaying the log through the
 * same test reproduces the execution exactly.
 *
 * Token grammar (version 1), all of it shell-safe:
 *   token    = "hd1:" scenario ":" choices ":" checksum
 *   choices  = { thread | value }
 *   thread   = one char of 0-9 A-Z a-z - _   (the thread id, 0..63)
 *   value    = "." lowercase-hex "."
 *   checksum = 8 lowercase hex digits, FNV-1a 32 of everything before the last ':'
 * The checksum catches truncated and mistyped tokens. */
#ifndef HEDDLE_HARNESS_ENGINE_SCHEDULE_H
#define HEDDLE_HARNESS_ENGINE_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/* The token of `s` for `scenario`, malloc'd; NULL when out of memory. */
char *hd_token_encode(const char *scenario, const hd_schedule *s);
/* Parses `token`. On success returns NULL, fills *out and writes the scenario
 * name (malloc'd) to *scenario_out. On failure returns a static one-line
 * reason and leaves nothing allocated. */
const char *hd_token_decode(const char *token, char **scenario_out, hd_schedule *out);

#endif

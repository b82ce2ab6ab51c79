/* A byte format for sending results between processes: a supervised child
 * sends its hd_result (and its trace) to the parent through a pipe. Numbers
 * are fixed-width in host order (both ends are the same binary); strings are
 * a length and bytes, with a distinct length for NULL. A reader never reads
 * past its end: a short or corrupt message makes every later get fail. */
#ifndef HEDDLE_HARNESS_ENGINE_WIRE_H
#define HEDDLE_HARNESS_ENGINE_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

void hd__wire_put_u64(FILE *out, uint64_t v);
void hd__wire_put_str(FILE *out, const char *s); /* s may be NULL */

typedef struct hd_wire_reader {
  const char *p, *end;
  bool bad; /* set by the first get that ran past the end */
} hd_wire_reader;

uint64_t hd__wire_get_u64(hd_wire_reader *r);
/* A malloc'd copy (NULL for a NULL string, or when bad or out of memory). */
char *hd__wire_get_str(hd_wire_reader *r);
/* An interned copy (primitives/intern.h), for pointers that must outlive the
 * result; NULL for NULL. */
const char *hd__wire_get_interned(hd_wire_reader *r);
/* Copies a string into buf (truncated); "" for NULL. */
void hd__wire_get_into(hd_wire_reader *r, char *buf, size_t size);

#endif

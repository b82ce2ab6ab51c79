/* Reports of an exploration, as text for people and as one JSON object for
 * programs. Both are byte-identical for the same options: they print nothing
 * that depends on time, addresses or the machine. */
#ifndef HEDDLE_HARNESS_REPORT_H
#define HEDDLE_HARNESS_REPORT_H

#include <stdio.h>

#include "harness/explore.h"

/* `expected` is the scenario's declared outcome ("pass", "bug: deadlock"), or NULL. */
void hd_report_text(FILE *out, const char *name, const char *expected, const hd_options *o, const hd_result *r);
void hd_report_json(FILE *out, const char *name, const char *expected, const hd_options *o, const hd_result *r);
/* Writes `s` as a JSON string literal. */
void hd_json_string(FILE *out, const char *s);

#endif

/* Reports of an exploration, as text for people and as one JSON object for
 * programs. Both are byte-identical for the same options: they print nothing
 * that depends on time, addresses or the machine. */
#ifndef HEDDLE_HARNESS_REPORT_REPORT_H
#define HEDDLE_HARNESS_REPORT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "harness/explore.h"

/* `expected` is the scenario's declared outcome ("pass", "bug: deadlock"), or NULL. */
void hd_report_text(FILE *out, const char *name, const char *expected, const hd_options *o, const hd_result *r);
void hd_report_json(FILE *out, const char *name, const char *expected, const hd_options *o, const hd_result *r);
/* The pictures of r's traced execution (the failing one, or the replayed one). */
typedef enum hd_picture_format {
  HD_PICTURE_TEXT,   /* hd_trace_render_text */
  HD_PICTURE_HTML,   /* hd_trace_render_html: one self-contained page */
  HD_PICTURE_CHROME, /* hd_trace_render_chrome: Chrome trace event JSON */
} hd_picture_format;
/* Writes the picture of r->trace_data, titled `name`, to the file `path`.
 * Returns false with a one-line reason in `why` when there is no recorded
 * execution or the file cannot be written. */
bool hd_report_picture(const char *name, const hd_result *r, hd_picture_format format, const char *path, char *why,
                       size_t why_size);
/* Writes `s` as a JSON string literal. */
void hd_json_string(FILE *out, const char *s);

#endif

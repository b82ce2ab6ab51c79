/* Interned strings: names and `why` phrases built at run time (a worker's
 * "pool_0", a queue's "put: queue full (10/10)") must outlive every
 * execution that mentions them, because traces and reports keep the
 * pointers and are rendered after the execution and its objects are gone. */
#ifndef HEDDLE_PRIMITIVES_INTERN_H
#define HEDDLE_PRIMITIVES_INTERN_H

#include <stddef.h>

/* A copy of `text` that lives until the process exits; equal texts give the
 * same pointer, so memory grows only with distinct texts. NULL when out of
 * memory. Safe from any thread. */
const char *hd__intern(const char *text);
/* hd__intern of a printf-formatted text (truncated to 255 bytes). */
const char *hd__internf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* prefix, infix (either may be NULL) and n in decimal into buf (truncated
 * to size - 1 bytes), as snprintf("%s%s%lld") would write them, at a
 * fraction of its cost: names made every execution use it. */
void hd__format_numbered(char *buf, size_t size, const char *prefix, const char *infix, long long n);
/* hd__intern of that text. */
const char *hd__intern_numbered(const char *prefix, const char *infix, long long n);

#endif

/* Interned strings in one process-wide list guarded by a spin flag (the
 * primitives library cannot depend on a backend's mutex, and interning is
 * rare: once per executor worker slot or queue). The list is never freed,
 * and stays reachable, so leak checkers stay quiet. */
#include "primitives/intern.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct interned {
  struct interned *next;
  char text[];
} interned;

static interned *all;
static atomic_flag busy = ATOMIC_FLAG_INIT;

const char *hd__intern(const char *text) {
  while (atomic_flag_test_and_set_explicit(&busy, memory_order_acquire)) {
  }
  const char *found = NULL;
  for (interned *i = all; i && !found; i = i->next)
    if (strcmp(i->text, text) == 0) found = i->text;
  if (!found) {
    size_t n = strlen(text) + 1;
    interned *i = malloc(sizeof *i + n);
    if (i) {
      memcpy(i->text, text, n);
      i->next = all;
      all = i;
      found = i->text;
    }
  }
  atomic_flag_clear_explicit(&busy, memory_order_release);
  return found;
}

const char *hd__internf(const char *fmt, ...) {
  char buf[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  return hd__intern(buf);
}

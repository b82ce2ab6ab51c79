/* Interned strings in one process-wide hash table guarded by a spin flag
 * (the primitives library cannot depend on a backend's mutex). Names are
 * interned every execution (an executor's workers, an instrumented
 * program's unnamed shared memory, its threads), so a lookup is a hash
 * probe, and numbered names are formatted without printf. The strings are
 * never freed, and stay reachable, so leak checkers stay quiet. */
#include "primitives/intern.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char **table; /* open addressing; NULL: free */
static size_t cap, count;
static atomic_flag busy = ATOMIC_FLAG_INIT;

static uint64_t hash(const char *text) {
  uint64_t h = 1469598103934665603ull; /* FNV-1a */
  for (const unsigned char *p = (const unsigned char *)text; *p; p++) h = (h ^ *p) * 1099511628211ull;
  return h;
}

/* Doubles the table (the lock held); false when out of memory. */
static bool grow(void) {
  size_t n = cap ? cap * 2 : 256;
  char **t = calloc(n, sizeof *t);
  if (!t) return false;
  for (size_t i = 0; i < cap; i++) {
    if (!table[i]) continue;
    size_t k = hash(table[i]) & (n - 1);
    while (t[k]) k = (k + 1) & (n - 1);
    t[k] = table[i];
  }
  free(table); /* the strings stay: the table only points at them */
  table = t;
  cap = n;
  return true;
}

const char *hd__intern(const char *text) {
  while (atomic_flag_test_and_set_explicit(&busy, memory_order_acquire)) {
  }
  const char *found = NULL;
  if ((count + 1) * 2 <= cap || grow()) {
    size_t k = hash(text) & (cap - 1);
    while (table[k] && strcmp(table[k], text) != 0) k = (k + 1) & (cap - 1);
    if (table[k]) {
      found = table[k];
    } else {
      size_t n = strlen(text) + 1;
      char *copy = malloc(n);
      if (copy) {
        memcpy(copy, text, n);
        table[k] = copy;
        count++;
        found = copy;
      }
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

void hd__format_numbered(char *buf, size_t size, const char *prefix, const char *infix, long long n) {
  if (size == 0) return;
  char digits[24];
  size_t nd = 0;
  unsigned long long v = n < 0 ? 0ull - (unsigned long long)n : (unsigned long long)n;
  do digits[nd++] = (char)('0' + v % 10); while ((v /= 10) != 0);
  if (n < 0) digits[nd++] = '-';
  size_t at = 0;
  for (const char *part[2] = {prefix, infix}, **p = part; p < part + 2; p++)
    for (const char *c = *p; c && *c && at + 1 < size; c++) buf[at++] = *c;
  while (nd > 0 && at + 1 < size) buf[at++] = digits[--nd];
  buf[at] = '\0';
}

const char *hd__intern_numbered(const char *prefix, const char *infix, long long n) {
  char buf[256];
  hd__format_numbered(buf, sizeof buf, prefix, infix, n);
  return hd__intern(buf);
}

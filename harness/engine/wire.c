/* The wire format (wire.h). */
#include "harness/engine/wire.h"

#include <stdlib.h>
#include <string.h>

#include "primitives/intern.h"

#define NULL_LEN UINT64_MAX

void hd__wire_put_u64(FILE *out, uint64_t v) { fwrite(&v, sizeof v, 1, out); }

void hd__wire_put_str(FILE *out, const char *s) {
  if (!s) {
    hd__wire_put_u64(out, NULL_LEN);
    return;
  }
  size_t n = strlen(s);
  hd__wire_put_u64(out, n);
  fwrite(s, 1, n, out);
}

uint64_t hd__wire_get_u64(hd_wire_reader *r) {
  uint64_t v = 0;
  if (r->bad || (size_t)(r->end - r->p) < sizeof v) {
    r->bad = true;
    return 0;
  }
  memcpy(&v, r->p, sizeof v);
  r->p += sizeof v;
  return v;
}

/* Points *s at the next string's bytes; returns its length, or NULL_LEN. */
static uint64_t get_bytes(hd_wire_reader *r, const char **s) {
  uint64_t n = hd__wire_get_u64(r);
  if (r->bad || n == NULL_LEN) return NULL_LEN;
  if (n > (uint64_t)(r->end - r->p)) {
    r->bad = true;
    return NULL_LEN;
  }
  *s = r->p;
  r->p += n;
  return n;
}

char *hd__wire_get_str(hd_wire_reader *r) {
  const char *s;
  uint64_t n = get_bytes(r, &s);
  if (n == NULL_LEN) return NULL;
  char *copy = malloc(n + 1);
  if (!copy) return NULL;
  memcpy(copy, s, n);
  copy[n] = '\0';
  return copy;
}

const char *hd__wire_get_interned(hd_wire_reader *r) {
  char *s = hd__wire_get_str(r);
  if (!s) return NULL;
  const char *interned = hd__intern(s);
  free(s);
  return interned;
}

void hd__wire_get_into(hd_wire_reader *r, char *buf, size_t size) {
  const char *s;
  uint64_t n = get_bytes(r, &s);
  if (n == NULL_LEN) n = 0;
  if (n >= size) n = size - 1;
  if (n) memcpy(buf, s, n);
  buf[n] = '\0';
}

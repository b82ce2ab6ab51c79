/* Choice logs and their compact, checksummed text form. */
#include "harness/engine/schedule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

void hd_schedule_clear(hd_schedule *s) { s->len = 0; }

void hd_schedule_free(hd_schedule *s) {
  free(s->items);
  s->items = NULL;
  s->len = s->cap = 0;
}

bool hd_schedule_push(hd_schedule *s, bool is_value, uint64_t value) {
  if (s->len == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 256;
    hd_choice *items = realloc(s->items, cap * sizeof *items);
    if (!items) return false;
    s->items = items;
    s->cap = cap;
  }
  s->items[s->len++] = (hd_choice){.is_value = is_value, .value = value};
  return true;
}

bool hd_schedule_copy(hd_schedule *dst, const hd_schedule *src) {
  hd_schedule_clear(dst);
  for (size_t i = 0; i < src->len; i++)
    if (!hd_schedule_push(dst, src->items[i].is_value, src->items[i].value)) return false;
  return true;
}

static uint32_t fnv1a(const char *p, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) {
    h ^= (unsigned char)p[i];
    h *= 16777619u;
  }
  return h;
}

char *hd_token_encode(const char *scenario, const hd_schedule *s) {
  /* Worst case: a value takes 18 chars. */
  size_t cap = strlen(scenario) + s->len * 18 + 32;
  char *out = malloc(cap);
  if (!out) return NULL;
  size_t n = (size_t)snprintf(out, cap, "hd1:%s:", scenario);
  for (size_t i = 0; i < s->len; i++) {
    if (s->items[i].is_value)
      n += (size_t)snprintf(out + n, cap - n, ".%llx.", (unsigned long long)s->items[i].value);
    else
      out[n++] = alphabet[s->items[i].value & 63];
  }
  out[n] = '\0';
  snprintf(out + n, cap - n, ":%08x", fnv1a(out, n));
  return out;
}

static int digit_of(char c) {
  const char *p = c ? strchr(alphabet, c) : NULL;
  return p ? (int)(p - alphabet) : -1;
}

/* The choices between `p` and `last` into `out`; NULL or why not. */
static const char *decode_choices(const char *p, const char *last, hd_schedule *out) {
  while (p < last) {
    if (*p == '.') {
      const char *end = memchr(p + 1, '.', (size_t)(last - p - 1));
      if (!end || end == p + 1 || end - p - 1 > 16) return "malformed token: bad value field";
      uint64_t v = 0;
      for (const char *q = p + 1; q < end; q++) {
        int d = (*q >= '0' && *q <= '9') ? *q - '0' : (*q >= 'a' && *q <= 'f') ? *q - 'a' + 10 : -1;
        if (d < 0) return "malformed token: bad value field";
        v = v * 16 + (uint64_t)d;
      }
      if (!hd_schedule_push(out, true, v)) return "out of memory";
      p = end + 1;
    } else {
      int d = digit_of(*p);
      if (d < 0) return "malformed token: unexpected character in the schedule";
      if (!hd_schedule_push(out, false, (uint64_t)d)) return "out of memory";
      p++;
    }
  }
  return NULL;
}

const char *hd_token_decode(const char *token, char **scenario_out, hd_schedule *out) {
  hd_schedule_clear(out);
  *scenario_out = NULL;
  if (strncmp(token, "hd1:", 4) != 0) {
    if (strncmp(token, "hd", 2) == 0 && token[2] >= '0' && token[2] <= '9')
      return "unsupported token version (this heddle reads hd1 tokens)";
    return "malformed token: it must start with 'hd1:'";
  }
  const char *name = token + 4;
  const char *colon = strchr(name, ':');
  const char *last = strrchr(token, ':');
  if (!colon || colon == name || last == colon) return "malformed token: missing fields (truncated?)";
  if (strlen(last + 1) != 8 || strspn(last + 1, "0123456789abcdef") != 8)
    return "malformed token: bad checksum field (truncated?)";
  unsigned expected = (unsigned)strtoul(last + 1, NULL, 16);
  if (fnv1a(token, (size_t)(last - token)) != expected)
    return "malformed token: checksum mismatch (truncated or mistyped)";
  const char *why = decode_choices(colon + 1, last, out);
  if (why) {
    hd_schedule_free(out); /* the promise: nothing allocated on failure */
    return why;
  }
  size_t name_len = (size_t)(colon - name);
  char *scenario = malloc(name_len + 1);
  if (!scenario) {
    hd_schedule_free(out);
    return "out of memory";
  }
  memcpy(scenario, name, name_len);
  scenario[name_len] = '\0';
  *scenario_out = scenario;
  return NULL;
}

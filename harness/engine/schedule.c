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

hd_setup hd_setup_default(void) {
  return (hd_setup){.races = true, .misuse_returns = false, .step_limit = HD_DEFAULT_STEP_LIMIT};
}

char *hd_token_encode(const char *scenario, const hd_setup *setup, const hd_schedule *s) {
  /* Worst case: a choice takes 18 chars; the set-up at most 25. */
  size_t cap = strlen(scenario) + s->len * 18 + 64;
  char *out = malloc(cap);
  if (!out) return NULL;
  size_t n = (size_t)snprintf(out, cap, "hd2:%s:%s%s%s", scenario, setup->races ? "" : "r0",
                              setup->misuse_returns ? "m1" : "", setup->eager_memory ? "e1" : "");
  if (setup->step_limit != HD_DEFAULT_STEP_LIMIT)
    n += (size_t)snprintf(out + n, cap - n, "l%llu", (unsigned long long)setup->step_limit);
  out[n++] = ':';
  for (size_t i = 0; i < s->len; i++) {
    uint64_t v = s->items[i].value;
    if (s->items[i].is_value) n += (size_t)snprintf(out + n, cap - n, ".%llx.", (unsigned long long)v);
    else if (v < 64) out[n++] = alphabet[v];
    else n += (size_t)snprintf(out + n, cap - n, "~%llx~", (unsigned long long)v);
  }
  out[n] = '\0';
  snprintf(out + n, cap - n, ":%08x", fnv1a(out, n));
  return out;
}

/* A hex number between `p` and its closing `close` (at most 16 digits)
 * into *v; returns the char after `close`, or NULL. */
static const char *hex_field(const char *p, const char *last, char close, uint64_t *v) {
  const char *end = memchr(p, close, (size_t)(last - p));
  if (!end || end == p || end - p > 16) return NULL;
  *v = 0;
  for (const char *q = p; q < end; q++) {
    int d = (*q >= '0' && *q <= '9') ? *q - '0' : (*q >= 'a' && *q <= 'f') ? *q - 'a' + 10 : -1;
    if (d < 0) return NULL;
    *v = *v * 16 + (uint64_t)d;
  }
  return end + 1;
}

/* The set-up between `p` and `end` into *setup; NULL or why not. */
static const char *decode_setup(const char *p, const char *end, hd_setup *setup) {
  bool seen_r = false, seen_m = false, seen_e = false, seen_l = false;
  while (p < end) {
    char key = *p++;
    if (key == 'r' && !seen_r && p < end && *p == '0') {
      setup->races = false;
      seen_r = true;
      p++;
    } else if (key == 'm' && !seen_m && p < end && *p == '1') {
      setup->misuse_returns = true;
      seen_m = true;
      p++;
    } else if (key == 'e' && !seen_e && p < end && *p == '1') {
      setup->eager_memory = true;
      seen_e = true;
      p++;
    } else if (key == 'l' && !seen_l && p < end && *p >= '1' && *p <= '9') {
      uint64_t v = 0;
      while (p < end && *p >= '0' && *p <= '9') {
        if (v > (UINT64_MAX - 9) / 10) return "malformed token: step limit too large";
        v = v * 10 + (uint64_t)(*p++ - '0');
      }
      setup->step_limit = v;
      seen_l = true;
    } else {
      return "malformed token: bad set-up field";
    }
  }
  return NULL;
}

static int digit_of(char c) {
  const char *p = c ? strchr(alphabet, c) : NULL;
  return p ? (int)(p - alphabet) : -1;
}

/* The choices between `p` and `last` into `out`; NULL or why not. */
static const char *decode_choices(const char *p, const char *last, hd_schedule *out) {
  while (p < last) {
    uint64_t v;
    if (*p == '.' || *p == '~') {
      bool is_value = *p == '.';
      if (!(p = hex_field(p + 1, last, is_value ? '.' : '~', &v)))
        return is_value ? "malformed token: bad value field" : "malformed token: bad thread field";
      if (!is_value && v < 64) return "malformed token: bad thread field";
      if (!hd_schedule_push(out, is_value, v)) return "out of memory";
    } else {
      int d = digit_of(*p);
      if (d < 0) return "malformed token: unexpected character in the schedule";
      if (!hd_schedule_push(out, false, (uint64_t)d)) return "out of memory";
      p++;
    }
  }
  return NULL;
}

const char *hd_token_decode(const char *token, char **scenario_out, hd_setup *setup_out, hd_schedule *out) {
  hd_schedule_clear(out);
  *scenario_out = NULL;
  bool v2 = strncmp(token, "hd2:", 4) == 0;
  if (!v2 && strncmp(token, "hd1:", 4) != 0) {
    if (strncmp(token, "hd", 2) == 0 && token[2] >= '0' && token[2] <= '9')
      return "unsupported token version (this heddle reads hd1 and hd2 tokens)";
    return "malformed token: it must start with 'hd2:' (or 'hd1:')";
  }
  const char *name = token + 4;
  const char *colon = strchr(name, ':');
  const char *last = strrchr(token, ':');
  if (!colon || colon == name || last == colon) return "malformed token: missing fields (truncated?)";
  /* Version 2: the set-up field sits between the name and the choices. */
  const char *setup_end = v2 ? strchr(colon + 1, ':') : colon;
  if (!setup_end || setup_end >= last) return "malformed token: missing fields (truncated?)";
  if (strlen(last + 1) != 8 || strspn(last + 1, "0123456789abcdef") != 8)
    return "malformed token: bad checksum field (truncated?)";
  unsigned expected = (unsigned)strtoul(last + 1, NULL, 16);
  if (fnv1a(token, (size_t)(last - token)) != expected)
    return "malformed token: checksum mismatch (truncated or mistyped)";
  hd_setup setup = hd_setup_default();
  const char *why = decode_setup(colon + 1, setup_end, &setup);
  if (!why) why = decode_choices(setup_end + 1, last, out);
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
  if (setup_out) *setup_out = setup;
  return NULL;
}

/* The SV-COMP verification interface (sv-comp.h states what it does). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "harness/engine/exec.h"
#include "harness/engine/memory.h"
#include "harness/posix/posix.h"

#define SAMPLE 24

/* The sample of a signed type from its minimum and maximum. */
static int64_t signed_draw(int64_t min, int64_t max) {
  uint64_t i = hd__random(SAMPLE);
  if (i <= 16) return (int64_t)i;
  const int64_t rest[SAMPLE - 17] = {-1, -2, min, min + 1, max, max - 1, max / 2};
  return rest[i - 17];
}

static uint64_t unsigned_draw(uint64_t max) {
  uint64_t i = hd__random(SAMPLE);
  if (i <= 16) return i;
  const uint64_t rest[SAMPLE - 17] = {max, max - 1, max / 2 - 2, max / 2 - 1, max / 2, max / 2 + 1, max / 2 + 2};
  return rest[i - 17];
}

int __VERIFIER_nondet_int(void) { return (int)signed_draw(INT_MIN, INT_MAX); }
unsigned int __VERIFIER_nondet_uint(void) { return (unsigned)unsigned_draw(UINT_MAX); }
long __VERIFIER_nondet_long(void) { return (long)signed_draw(LONG_MIN, LONG_MAX); }
unsigned long __VERIFIER_nondet_ulong(void) { return (unsigned long)unsigned_draw(ULONG_MAX); }
long long __VERIFIER_nondet_longlong(void) { return (long long)signed_draw(LLONG_MIN, LLONG_MAX); }
unsigned long long __VERIFIER_nondet_ulonglong(void) { return unsigned_draw(ULLONG_MAX); }
short __VERIFIER_nondet_short(void) { return (short)signed_draw(SHRT_MIN, SHRT_MAX); }
unsigned short __VERIFIER_nondet_ushort(void) { return (unsigned short)unsigned_draw(USHRT_MAX); }
unsigned long __VERIFIER_nondet_size_t(void) { return (unsigned long)unsigned_draw(SIZE_MAX); }
/* Eight bits or fewer: the whole domain. */
char __VERIFIER_nondet_char(void) { return (char)(CHAR_MIN + (int)hd__random((uint64_t)CHAR_MAX - CHAR_MIN + 1)); }
unsigned char __VERIFIER_nondet_uchar(void) { return (unsigned char)hd__random(UCHAR_MAX + 1ull); }
_Bool __VERIFIER_nondet_bool(void) { return hd__random(2) == 1; }

/* NULL or a pointer to memory nobody else uses. */
void *__VERIFIER_nondet_pointer(void) {
  static char somewhere[16];
  return hd__random(2) ? somewhere : NULL;
}

void __VERIFIER_assume(int condition) {
  if (!condition) hd__exec_prune("?", 0, "__VERIFIER_assume: condition false, the execution is pruned");
}

void __VERIFIER_atomic_begin(void) { hd__exec_atomic(true); }
void __VERIFIER_atomic_end(void) { hd__exec_atomic(false); }

static _Noreturn void reached(const char *what) {
  char message[256];
  snprintf(message, sizeof message, "assertion failed in %s: %s was called", hd__self_name(), what);
  hd__exec_report(HD_BUG_ASSERTION, "?", 0, message);
}

void __VERIFIER_error(void) { reached("__VERIFIER_error()"); }
void reach_error(void) { reached("reach_error()"); }

/* Functions named __VERIFIER_atomic_*: a program compiled with
 * -finstrument-functions calls these around every function; whether a
 * function is atomic is looked up once by name (dladdr) and cached by
 * address. The cache is only a lookup, never a scheduling input. */
#define CACHE 1024
static struct {
  void *fn;
  bool atomic;
} cache[CACHE];

static bool atomic_function(void *fn) {
  size_t i = (size_t)(((uintptr_t)fn * 0x9e3779b97f4a7c15ull) >> 54) & (CACHE - 1);
  for (size_t n = 0; n < CACHE; n++, i = (i + 1) & (CACHE - 1)) {
    if (cache[i].fn == fn) return cache[i].atomic;
    if (cache[i].fn) continue;
    Dl_info info;
    bool atomic = dladdr(fn, &info) && info.dli_sname && strncmp(info.dli_sname, "__VERIFIER_atomic_", 18) == 0 &&
                  strcmp(info.dli_sname, "__VERIFIER_atomic_begin") != 0 &&
                  strcmp(info.dli_sname, "__VERIFIER_atomic_end") != 0;
    cache[i].fn = fn;
    cache[i].atomic = atomic;
    return atomic;
  }
  return false; /* a full cache: programs have fewer functions than that */
}

void __cyg_profile_func_enter(void *fn, void *caller) {
  (void)caller;
  if (hd__exec_generation() && atomic_function(fn)) hd__exec_atomic(true);
}

void __cyg_profile_func_exit(void *fn, void *caller) {
  (void)caller;
  if (hd__exec_generation() && atomic_function(fn)) hd__exec_atomic(false);
}

/* The SV-COMP verification interface, as heddle serves it (svcomp.c).
 * SV-COMP's benchmark programs declare these themselves; this header is for
 * programs written here. Under the harness:
 *   - __VERIFIER_nondet_T() is a choice of the strategy, recorded in tokens,
 *     so a replay gives the same value. Types of at most 8 bits are drawn
 *     from their whole domain (dfs enumerates it); wider types from a fixed
 *     sample of 24 values: 0..16, -1, -2, the minimum, the minimum + 1, the
 *     maximum, the maximum - 1 and half the maximum (unsigned types: 0..16,
 *     the maximum, the maximum - 1 and five values around half of it), so
 *     dfs enumerates that sample, not the type;
 *   - __VERIFIER_assume(c) with c false ends the execution as passed (it is
 *     pruned, not a bug);
 *   - __VERIFIER_atomic_begin() / _end() and every function whose name
 *     begins with __VERIFIER_atomic_ run without switch points (compile with
 *     -finstrument-functions for the latter; heddle's compile line does);
 *   - reach_error() and __VERIFIER_error() are assertion bugs. */
#ifndef HEDDLE_POSIX_SV_COMP_H
#define HEDDLE_POSIX_SV_COMP_H

#include <stdbool.h>

int __VERIFIER_nondet_int(void);
unsigned int __VERIFIER_nondet_uint(void);
long __VERIFIER_nondet_long(void);
unsigned long __VERIFIER_nondet_ulong(void);
long long __VERIFIER_nondet_longlong(void);
unsigned long long __VERIFIER_nondet_ulonglong(void);
short __VERIFIER_nondet_short(void);
unsigned short __VERIFIER_nondet_ushort(void);
char __VERIFIER_nondet_char(void);
unsigned char __VERIFIER_nondet_uchar(void);
_Bool __VERIFIER_nondet_bool(void);
void *__VERIFIER_nondet_pointer(void);
unsigned long __VERIFIER_nondet_size_t(void);
void __VERIFIER_assume(int condition);
void __VERIFIER_atomic_begin(void);
void __VERIFIER_atomic_end(void);
void __VERIFIER_error(void);
void reach_error(void);

#endif

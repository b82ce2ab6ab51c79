/* The SV-COMP functions for a program built natively (cc -pthread), so the
 * corpus's SV-COMP programs also run outside heddle: nondeterministic values
 * come from a fixed sequence (the native run is one run, not a search),
 * __VERIFIER_assume(false) ends the run successfully, reach_error aborts. */
#include <stdio.h>
#include <stdlib.h>

static unsigned long next_value = 1;

static unsigned long draw(void) {
  next_value = next_value * 6364136223846793005ul + 1442695040888963407ul;
  return next_value >> 33;
}

int __VERIFIER_nondet_int(void) { return (int)(draw() % 8); }
unsigned int __VERIFIER_nondet_uint(void) { return (unsigned)(draw() % 8); }
_Bool __VERIFIER_nondet_bool(void) { return draw() & 1; }
char __VERIFIER_nondet_char(void) { return (char)(draw() % 8); }
unsigned char __VERIFIER_nondet_uchar(void) { return (unsigned char)(draw() % 8); }
short __VERIFIER_nondet_short(void) { return (short)(draw() % 8); }
unsigned short __VERIFIER_nondet_ushort(void) { return (unsigned short)(draw() % 8); }
long __VERIFIER_nondet_long(void) { return (long)(draw() % 8); }
unsigned long __VERIFIER_nondet_ulong(void) { return draw() % 8; }
void __VERIFIER_assume(int condition) {
  if (!condition) exit(0);
}
void __VERIFIER_atomic_begin(void) {}
void __VERIFIER_atomic_end(void) {}
void reach_error(void) {
  fprintf(stderr, "reach_error() was called\n");
  abort();
}
void __VERIFIER_error(void) { reach_error(); }

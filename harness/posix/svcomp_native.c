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

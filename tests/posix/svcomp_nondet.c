/* SV-COMP's nondeterministic values: the assertion fails only for one
 * unsigned char (200) together with a true bool, and __VERIFIER_assume
 * prunes the odd values. dfs enumerates the whole 8-bit domain, so it finds
 * the one combination; the token replays the values. Expected: assertion. */
extern unsigned char __VERIFIER_nondet_uchar(void);
extern _Bool __VERIFIER_nondet_bool(void);
extern void __VERIFIER_assume(int);
extern void reach_error(void);

int main(void) {
  unsigned char c = __VERIFIER_nondet_uchar();
  __VERIFIER_assume(c % 2 == 0);
  _Bool b = __VERIFIER_nondet_bool();
  if (c == 200 && b) reach_error();
  return 0;
}

/* SV-COMP style: the amount is a nondeterministic value the program
 * assumes to be 1..4; two threads withdraw it with a check-then-act split
 * across two critical sections, and reach_error() when the balance goes
 * negative: only amounts above 2 overdraw a balance of 5, and only when
 * both checks pass before either withdrawal. Expected: assertion. */
#include <pthread.h>

extern int __VERIFIER_nondet_int(void);
extern void __VERIFIER_assume(int);
extern void reach_error(void);

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int balance = 5, amount;

static void *withdraw(void *arg) {
  (void)arg;
  pthread_mutex_lock(&lock);
  int enough = balance >= amount;
  pthread_mutex_unlock(&lock);
  if (!enough) return NULL;
  pthread_mutex_lock(&lock);
  balance -= amount;
  pthread_mutex_unlock(&lock);
  return NULL;
}

int main(void) {
  amount = __VERIFIER_nondet_int();
  __VERIFIER_assume(amount >= 1 && amount <= 4);
  pthread_t t1, t2;
  pthread_create(&t1, NULL, withdraw, NULL);
  pthread_create(&t2, NULL, withdraw, NULL);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  if (balance < 0) reach_error();
  return 0;
}

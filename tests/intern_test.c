/* Interned strings (primitives/intern.h): equal texts give one pointer that
 * outlives everything, however many texts there are, and numbered names
 * are written as snprintf("%s%s%lld") would write them, truncation
 * included. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "primitives/intern.h"

/* hd__format_numbered against snprintf, for one size and number. */
static void check_like_snprintf(size_t size, const char *prefix, const char *infix, long long n) {
  char mine[64], theirs[64];
  memset(mine, 'x', sizeof mine);
  memset(theirs, 'x', sizeof theirs);
  hd__format_numbered(mine, size, prefix, infix, n);
  snprintf(theirs, size, "%s%s%lld", prefix ? prefix : "", infix ? infix : "", n);
  assert_memory_equal(mine, theirs, size);
}

static void test_intern_numbered_names_are_written_as_snprintf_writes_them(void **state) {
  (void)state;
  const long long numbers[] = {0, 7, 10, -12, 123456789, LLONG_MAX, LLONG_MIN};
  for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++)
    for (size_t size = 1; size <= 40; size++) {
      check_like_snprintf(size, "Thread-", NULL, numbers[i]);
      check_like_snprintf(size, "pool", "_", numbers[i]);
      check_like_snprintf(size, NULL, NULL, numbers[i]);
    }
}

static void test_intern_gives_one_pointer_per_text_however_many(void **state) {
  (void)state;
  enum { N = 20000 }; /* far past the table's first size: it grows many times */
  static const char *first[N];
  for (int i = 0; i < N; i++) first[i] = hd__intern_numbered("memory#", NULL, i);
  for (int i = 0; i < N; i++) {
    char text[32];
    snprintf(text, sizeof text, "memory#%d", i);
    assert_string_equal(first[i], text);
    assert_ptr_equal(hd__intern(text), first[i]); /* the same pointer after every growth */
    assert_ptr_equal(hd__internf("memory#%d", i), first[i]);
  }
  assert_ptr_not_equal(hd__intern("pool_1"), hd__intern("pool_2"));
  assert_ptr_equal(hd__intern_numbered("pool", "_", 1), hd__intern("pool_1"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_intern_numbered_names_are_written_as_snprintf_writes_them),
      cmocka_unit_test(test_intern_gives_one_pointer_per_text_however_many),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* hd_both_run on the deterministic harness. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "harness/cmocka/heddle_cmocka.h"
#include "tests/support/both.h"

void hd_both_run(const char *name, void (*body)(void *), void *arg) {
  hd_options o;
  hd_options_default(&o);
  o.executions = 200;
  o.misuse_returns = true;
  hd_test t = {.name = name, .body = body, .arg = arg};
  hd_cmocka_expect_no_bug(&t, &o);
}

bool hd_both_is_harness(void) { return true; }

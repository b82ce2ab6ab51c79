/* heddle_program_test's runner for an instrumented program in a sanitizer
 * build: heddle's instrumentation runtime cannot be linked beside TSan's or
 * ASan's, so the test says it skipped (the native test still runs). */
#include <stdio.h>

int main(int argc, char **argv) {
  printf("skipped: %s is instrumented, and this is a sanitizer build\n", argc > 2 ? argv[2] : "the program");
  return 0;
}

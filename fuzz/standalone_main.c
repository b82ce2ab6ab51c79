/* Runs the fuzz target once on each file named on the command line, for the
 * builds that have no libFuzzer (gcc, ThreadSanitizer): the corpus becomes a
 * regression test there. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv) {
  int ran = 0;
  for (int i = 1; i < argc; i++) {
    FILE *f = fopen(argv[i], "rb");
    if (!f) {
      fprintf(stderr, "standalone: cannot open %s\n", argv[i]);
      return 2;
    }
    static uint8_t buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    LLVMFuzzerTestOneInput(buf, n);
    ran++;
  }
  printf("standalone: ran %d inputs\n", ran);
  return 0;
}

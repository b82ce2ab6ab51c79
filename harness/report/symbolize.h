/* Names for raw addresses, for reports and traces of instrumented code:
 * the file:line of a code address and the variable at a data address.
 * Results are cached and interned (they outlive every execution), and never
 * contain an address, so the same program gives the same words every run. */
#ifndef HEDDLE_HARNESS_REPORT_SYMBOLIZE_H
#define HEDDLE_HARNESS_REPORT_SYMBOLIZE_H

/* The source line of the call that returns to `return_address`: *file
 * ("tests/models.c", or the module's name when it has no line table) and
 * *line (0 when unknown). Uses addr2line (binutils) on the module holding
 * the address; compile with -g for lines. */
void hd__symbolize_code(const void *return_address, const char **file, int *line);
/* "counter" or "table+8" for a global at `addr` (the executable must export
 * its symbols: -rdynamic), or NULL. */
const char *hd__symbolize_data(const void *addr);

#endif

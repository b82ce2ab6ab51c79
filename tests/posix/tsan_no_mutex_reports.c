/* ThreadSanitizer's defaults for mutex_types' native test: it unlocks
 * mutexes it does not own on purpose, to check POSIX's EPERM. */
const char *__tsan_default_options(void);
const char *__tsan_default_options(void) { return "report_mutex_bugs=0"; }

/* What a test body needs besides the primitives: tracked shared variables,
 * sleep, yield, assertions, logging and data randomness. Every call is a
 * switch point under the harness and a plain call on the pthread backend. */
#ifndef HEDDLE_PRIMITIVES_RUNTIME_H
#define HEDDLE_PRIMITIVES_RUNTIME_H

#include <stdint.h>

#include "primitives/backend.h"

/* Python's `timeout=None`/`-1`: wait forever. */
#define HD_FOREVER (-1.0)
/* threading.TIMEOUT_MAX on Linux: the longest timeout, in seconds, that
 * CPython accepts (PY_TIMEOUT_MAX microseconds); a longer one, an infinite
 * one or a NaN is misuse (Python: OverflowError, ValueError). */
#define HD_TIMEOUT_MAX 9223372036.854776

/* A shared integer variable whose every load and store is a switch point and
 * is recorded in traces with its value; unsynchronised accesses are what the
 * race detector reports. On the pthread backend it is a plain int64_t, so
 * ThreadSanitizer sees the real race. */
typedef struct hd_shared {
  hd__obj obj;
  int64_t value;
} hd_shared;

/* Sets the variable's name (static string, may be NULL) and initial value;
 * not a switch point (call it before starting threads). */
void hd_shared_init(hd_shared *v, const char *name, int64_t value);
#define hd_load(v) hd_load_at((v), __FILE__, __LINE__)
#define hd_store(v, value) hd_store_at((v), (value), __FILE__, __LINE__)
int64_t hd_load_at(hd_shared *v, const char *file, int line);
void hd_store_at(hd_shared *v, int64_t value, const char *file, int line);
/* The value without a switch point, for checks after every thread finished. */
int64_t hd_shared_peek(const hd_shared *v);

/* time.sleep(seconds): virtual time under the harness. */
#define hd_sleep(seconds) hd_sleep_at((seconds), __FILE__, __LINE__)
void hd_sleep_at(double seconds, const char *file, int line);
/* A bare switch point: lets the scheduler run another thread. */
#define hd_yield() hd_yield_at(__FILE__, __LINE__)
void hd_yield_at(const char *file, int line);
/* The current time in seconds (virtual under the harness; starts at 0). */
double hd_monotonic(void);

/* A number in [0, bound): random.randrange(bound), replayable under the harness. */
#define hd_random_below(bound) hd_random_below_at((bound), __FILE__, __LINE__)
uint64_t hd_random_below_at(uint64_t bound, const char *file, int line);
/* A number in [0, bound) that the program only passes along (a message's
 * payload: stored, copied, compared for equality), never a reason to take a
 * different path. random and pct draw it like hd_random_below; dfs does not
 * branch on it but draws it from a fixed stream per thread (its n-th draw is
 * always the same), so its proof covers every schedule of that data. By data
 * independence (Wolper, POPL 1986) that is every data too for a program
 * that only moves and compares the value; one that branches on it must use
 * hd_random_below, whose every value dfs explores. */
#define hd_random_data(bound) hd_random_data_at((bound), __FILE__, __LINE__)
uint64_t hd_random_data_at(uint64_t bound, const char *file, int line);

/* logging.info(fmt, ...): one line, prefixed by the thread name. */
#define hd_log(...) hd_log_at(__FILE__, __LINE__, __VA_ARGS__)
void hd_log_at(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* assert: on failure the harness reports an assertion bug at this line and
 * ends the execution; the pthread backend prints it and exits with status 1. */
#define HD_ASSERT(cond, ...)                                           \
  do {                                                                 \
    if (!(cond)) hd__fail(HD_BUG_ASSERTION, __FILE__, __LINE__, __VA_ARGS__); \
  } while (0)

#endif

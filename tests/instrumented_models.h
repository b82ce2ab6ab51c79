/* Programs written in ordinary C (plain ints, <stdatomic.h>), compiled with
 * -fsanitize=thread for heddle's instrumentation runtime; their threads are
 * heddle threads. Each body is an hd_test body; instrument_test.c explores
 * them. */
#ifndef HEDDLE_TESTS_INSTRUMENTED_MODELS_H
#define HEDDLE_TESTS_INSTRUMENTED_MODELS_H

#include <stdatomic.h>
#include <stdbool.h>

/* Two threads do `counter = counter + 1` on a plain int: the lost update. */
void model_plain_lost_update(void *arg);
void model_plain_lost_update_check(void *arg);
extern const int model_increment_line;
/* Three threads each atomic_fetch_add one atomic int: 3! orders. */
void model_atomic_adders(void *arg);
void model_atomic_adders_check(void *arg);
/* One thread stores an atomic, three load it: 2^3 orders. */
void model_atomic_readers(void *arg);
/* Two threads each fill a buffer of their own: nothing shared. */
void model_private_work(void *arg);
/* One thread writes a plain int while it is still private to it, another
 * reads it: both outcomes exist. model_seen reports which the reader saw. */
void model_write_then_read(void *arg);
/* Two first accesses in one step, split by another thread (instrument_test). */
void model_split_first_touches(void *arg);
/* Sets split_x and split_z to 0 from code that is not instrumented (the
 * test sets it; the model calls it first). */
extern void (*model_split_reset)(void);
extern atomic_int split_x, split_z;
void model_split_first_touches_check(void *arg);
extern int model_seen, shared_value;
/* Two threads increment a plain int under a spinlock built on
 * atomic_exchange; with model_relaxed_release its release is relaxed, which
 * orders nothing: a data race. */
void model_spinlock(void *arg);
extern bool model_relaxed_release;
/* A seqlock with one writer and one reader; with
 * model_seqlock_skips_second_check the reader forgets to check the sequence
 * after reading, and can see a torn value. */
void model_seqlock(void *arg);
extern bool model_seqlock_skips_second_check;
/* A Treiber stack whose head is an index and, with model_stack_tagged, a
 * change counter; untagged it has the ABA bug when a popped node is pushed
 * back while another thread's pop is under way. */
void model_treiber_stack(void *arg);
extern bool model_stack_tagged;
/* lastzero with N = 5 (plain accesses; explore with races off). */
void model_lastzero(void *arg);
/* Two threads add one with a compare-exchange loop. */
void model_cas_loop(void *arg);
/* A Chase-Lev work-stealing deque: the owner pushes and pops one item while
 * a thief steals; with model_deque_pop_without_cas, pop takes the last item
 * without its compare-exchange, and both can get it. */
void model_work_stealing_deque(void *arg);
extern bool model_deque_pop_without_cas;
/* A thread spins on an atomic that nobody sets: a livelock. */
void model_spin_forever(void *arg);

#endif

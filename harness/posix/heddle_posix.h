/* The POSIX layer's contract with the code under test.
 *
 * A C program is tested as it is: its sources are compiled with
 *     -include harness/posix/heddle_posix.h -fPIC -shared
 * into a shared object that the program runner (harness/posix/program.c)
 * loads, and every pthread, semaphore, sleep and clock call it makes is then
 * served by heddle's deterministic scheduler, with POSIX's semantics. The
 * same sources build natively with `cc -pthread`, without this header.
 *
 * Why a forced header rather than link-time --wrap or symbol interposition:
 *   - only the code under test is redirected; the harness, the C library and
 *     cmocka keep the real functions (interposing pthread_mutex_lock in the
 *     runner would also catch the C library's own callers);
 *   - every call carries its file:line (__FILE__, __LINE__), so traces and
 *     reports name the program's lines without a symbolizer;
 *   - a call through a function pointer (`fp = pthread_mutex_lock`) is still
 *     caught: each function is also renamed with an asm label, so the symbol
 *     the object refers to is heddle's, and only the location is lost ("?").
 * glibc's types and static initialisers are kept as they are: heddle's state
 * for an object lives beside it, found by its address (posix/objects.c).
 *
 * What changes under the harness, beside scheduling:
 *   - `exit`, `_Exit`, `_exit` and returning from `main` end the execution and
 *     every thread with it; a status other than 0 is a bug (kind `exit`);
 *   - `abort` and a failed `assert` are bugs (kind `crash`) at their line;
 *   - `malloc` and friends, `fopen` and `open` are tracked, so the next
 *     execution starts with the heap and the files of the program's start;
 *   - `__thread` and `_Thread_local` variables are placed in one section that
 *     the runner swaps on every switch between threads, so each thread has
 *     its own copy (a pointer to another thread's copy sees the running
 *     thread's: the one thing that differs from real threads);
 *   - the clocks are virtual: time moves only when every thread waits.
 * This header is for the code under test only; never include it from code
 * that runs natively. */
#ifndef HEDDLE_POSIX_HEDDLE_POSIX_H
#define HEDDLE_POSIX_HEDDLE_POSIX_H

/* Every header whose functions are renamed, first, so that their own
 * declarations are seen before the renaming. */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Declares heddle's function NAME_at with the call site, routes NAME (a call
 * through a pointer) to heddle's NAME_any, and makes a direct call pass its
 * file:line. */
#define HD__PX_RENAME(ret, name, params) extern ret name params __asm__("hd_px_" #name "_any");

/* ---- threads ---- */
int hd_px_pthread_create_at(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *, const char *, int);
int hd_px_pthread_join_at(pthread_t, void **, const char *, int);
int hd_px_pthread_detach_at(pthread_t, const char *, int);
_Noreturn void hd_px_pthread_exit_at(void *, const char *, int);
pthread_t hd_px_pthread_self_at(const char *, int);
int hd_px_pthread_equal_at(pthread_t, pthread_t, const char *, int);
int hd_px_pthread_once_at(pthread_once_t *, void (*)(void), const char *, int);
int hd_px_pthread_key_create_at(pthread_key_t *, void (*)(void *), const char *, int);
int hd_px_pthread_key_delete_at(pthread_key_t, const char *, int);
void *hd_px_pthread_getspecific_at(pthread_key_t, const char *, int);
int hd_px_pthread_setspecific_at(pthread_key_t, const void *, const char *, int);
int hd_px_sched_yield_at(const char *, int);
int hd_px_pthread_tryjoin_np_at(pthread_t, void **, const char *, int);
int hd_px_pthread_timedjoin_np_at(pthread_t, void **, const struct timespec *, const char *, int);
int hd_px_pthread_clockjoin_np_at(pthread_t, void **, clockid_t, const struct timespec *, const char *, int);
int hd_px_pthread_setname_np_at(pthread_t, const char *, const char *, int);
int hd_px_pthread_getname_np_at(pthread_t, char *, size_t, const char *, int);

/* ---- mutexes, condition variables, read-write locks, spinlocks, barriers ---- */
int hd_px_pthread_mutex_init_at(pthread_mutex_t *, const pthread_mutexattr_t *, const char *, int);
int hd_px_pthread_mutex_destroy_at(pthread_mutex_t *, const char *, int);
int hd_px_pthread_mutex_lock_at(pthread_mutex_t *, const char *, int);
int hd_px_pthread_mutex_trylock_at(pthread_mutex_t *, const char *, int);
int hd_px_pthread_mutex_timedlock_at(pthread_mutex_t *, const struct timespec *, const char *, int);
int hd_px_pthread_mutex_unlock_at(pthread_mutex_t *, const char *, int);
int hd_px_pthread_mutex_clocklock_at(pthread_mutex_t *, clockid_t, const struct timespec *, const char *, int);
int hd_px_pthread_cond_init_at(pthread_cond_t *, const pthread_condattr_t *, const char *, int);
int hd_px_pthread_cond_destroy_at(pthread_cond_t *, const char *, int);
int hd_px_pthread_cond_wait_at(pthread_cond_t *, pthread_mutex_t *, const char *, int);
int hd_px_pthread_cond_timedwait_at(pthread_cond_t *, pthread_mutex_t *, const struct timespec *, const char *, int);
int hd_px_pthread_cond_clockwait_at(pthread_cond_t *, pthread_mutex_t *, clockid_t, const struct timespec *,
                                    const char *, int);
int hd_px_pthread_cond_signal_at(pthread_cond_t *, const char *, int);
int hd_px_pthread_cond_broadcast_at(pthread_cond_t *, const char *, int);
int hd_px_pthread_rwlock_init_at(pthread_rwlock_t *, const pthread_rwlockattr_t *, const char *, int);
int hd_px_pthread_rwlock_destroy_at(pthread_rwlock_t *, const char *, int);
int hd_px_pthread_rwlock_rdlock_at(pthread_rwlock_t *, const char *, int);
int hd_px_pthread_rwlock_wrlock_at(pthread_rwlock_t *, const char *, int);
int hd_px_pthread_rwlock_tryrdlock_at(pthread_rwlock_t *, const char *, int);
int hd_px_pthread_rwlock_trywrlock_at(pthread_rwlock_t *, const char *, int);
int hd_px_pthread_rwlock_timedrdlock_at(pthread_rwlock_t *, const struct timespec *, const char *, int);
int hd_px_pthread_rwlock_timedwrlock_at(pthread_rwlock_t *, const struct timespec *, const char *, int);
int hd_px_pthread_rwlock_unlock_at(pthread_rwlock_t *, const char *, int);
int hd_px_pthread_rwlock_clockrdlock_at(pthread_rwlock_t *, clockid_t, const struct timespec *, const char *, int);
int hd_px_pthread_rwlock_clockwrlock_at(pthread_rwlock_t *, clockid_t, const struct timespec *, const char *, int);
int hd_px_pthread_spin_init_at(pthread_spinlock_t *, int, const char *, int);
int hd_px_pthread_spin_destroy_at(pthread_spinlock_t *, const char *, int);
int hd_px_pthread_spin_lock_at(pthread_spinlock_t *, const char *, int);
int hd_px_pthread_spin_trylock_at(pthread_spinlock_t *, const char *, int);
int hd_px_pthread_spin_unlock_at(pthread_spinlock_t *, const char *, int);
int hd_px_pthread_barrier_init_at(pthread_barrier_t *, const pthread_barrierattr_t *, unsigned, const char *, int);
int hd_px_pthread_barrier_destroy_at(pthread_barrier_t *, const char *, int);
int hd_px_pthread_barrier_wait_at(pthread_barrier_t *, const char *, int);

/* ---- semaphores ---- */
int hd_px_sem_init_at(sem_t *, int, unsigned, const char *, int);
int hd_px_sem_destroy_at(sem_t *, const char *, int);
int hd_px_sem_wait_at(sem_t *, const char *, int);
int hd_px_sem_trywait_at(sem_t *, const char *, int);
int hd_px_sem_timedwait_at(sem_t *, const struct timespec *, const char *, int);
int hd_px_sem_clockwait_at(sem_t *, clockid_t, const struct timespec *, const char *, int);
int hd_px_sem_post_at(sem_t *, const char *, int);
int hd_px_sem_getvalue_at(sem_t *, int *, const char *, int);

/* ---- time ---- */
unsigned hd_px_sleep_at(unsigned, const char *, int);
int hd_px_usleep_at(useconds_t, const char *, int);
int hd_px_nanosleep_at(const struct timespec *, struct timespec *, const char *, int);
int hd_px_clock_nanosleep_at(clockid_t, int, const struct timespec *, struct timespec *, const char *, int);
int hd_px_clock_gettime_at(clockid_t, struct timespec *, const char *, int);
time_t hd_px_time_at(time_t *, const char *, int);
int hd_px_gettimeofday_at(struct timeval *, void *, const char *, int);

/* ---- the program's end, its heap and its files ---- */
_Noreturn void hd_px_exit_at(int, const char *, int);
_Noreturn void hd_px__exit_at(int, const char *, int);
_Noreturn void hd_px_abort_at(const char *, int);
_Noreturn void hd_px_assert_fail(const char *, const char *, unsigned, const char *);
FILE *hd_px_fopen_at(const char *, const char *, const char *, int);
int hd_px_fclose_at(FILE *, const char *, int);

/* The implementation (harness/posix/posix.h) sees the declarations above
 * only, to check them against its definitions. */
#ifndef HD_PX_IMPLEMENTATION

HD__PX_RENAME(int, pthread_create, (pthread_t *, const pthread_attr_t *, void *(*)(void *), void *))
HD__PX_RENAME(int, pthread_join, (pthread_t, void **))
HD__PX_RENAME(int, pthread_detach, (pthread_t))
HD__PX_RENAME(void, pthread_exit, (void *))
HD__PX_RENAME(pthread_t, pthread_self, (void))
/* pthread_equal is not renamed: glibc may define it inline (a plain ==,
 * right for heddle's pthread_t too), and a rename after a definition is
 * ignored. */
HD__PX_RENAME(int, pthread_once, (pthread_once_t *, void (*)(void)))
HD__PX_RENAME(int, pthread_key_create, (pthread_key_t *, void (*)(void *)))
HD__PX_RENAME(int, pthread_key_delete, (pthread_key_t))
HD__PX_RENAME(void *, pthread_getspecific, (pthread_key_t))
HD__PX_RENAME(int, pthread_setspecific, (pthread_key_t, const void *))
HD__PX_RENAME(int, sched_yield, (void))
HD__PX_RENAME(int, pthread_tryjoin_np, (pthread_t, void **))
HD__PX_RENAME(int, pthread_timedjoin_np, (pthread_t, void **, const struct timespec *))
HD__PX_RENAME(int, pthread_clockjoin_np, (pthread_t, void **, clockid_t, const struct timespec *))
HD__PX_RENAME(int, pthread_setname_np, (pthread_t, const char *))
HD__PX_RENAME(int, pthread_getname_np, (pthread_t, char *, size_t))
HD__PX_RENAME(int, pthread_mutex_clocklock, (pthread_mutex_t *, clockid_t, const struct timespec *))
HD__PX_RENAME(int, pthread_cond_clockwait, (pthread_cond_t *, pthread_mutex_t *, clockid_t, const struct timespec *))
HD__PX_RENAME(int, pthread_rwlock_clockrdlock, (pthread_rwlock_t *, clockid_t, const struct timespec *))
HD__PX_RENAME(int, pthread_rwlock_clockwrlock, (pthread_rwlock_t *, clockid_t, const struct timespec *))
HD__PX_RENAME(int, sem_clockwait, (sem_t *, clockid_t, const struct timespec *))
HD__PX_RENAME(int, pthread_mutex_init, (pthread_mutex_t *, const pthread_mutexattr_t *))
HD__PX_RENAME(int, pthread_mutex_destroy, (pthread_mutex_t *))
HD__PX_RENAME(int, pthread_mutex_lock, (pthread_mutex_t *))
HD__PX_RENAME(int, pthread_mutex_trylock, (pthread_mutex_t *))
HD__PX_RENAME(int, pthread_mutex_timedlock, (pthread_mutex_t *, const struct timespec *))
HD__PX_RENAME(int, pthread_mutex_unlock, (pthread_mutex_t *))
HD__PX_RENAME(int, pthread_cond_init, (pthread_cond_t *, const pthread_condattr_t *))
HD__PX_RENAME(int, pthread_cond_destroy, (pthread_cond_t *))
HD__PX_RENAME(int, pthread_cond_wait, (pthread_cond_t *, pthread_mutex_t *))
HD__PX_RENAME(int, pthread_cond_timedwait, (pthread_cond_t *, pthread_mutex_t *, const struct timespec *))
HD__PX_RENAME(int, pthread_cond_signal, (pthread_cond_t *))
HD__PX_RENAME(int, pthread_cond_broadcast, (pthread_cond_t *))
HD__PX_RENAME(int, pthread_rwlock_init, (pthread_rwlock_t *, const pthread_rwlockattr_t *))
HD__PX_RENAME(int, pthread_rwlock_destroy, (pthread_rwlock_t *))
HD__PX_RENAME(int, pthread_rwlock_rdlock, (pthread_rwlock_t *))
HD__PX_RENAME(int, pthread_rwlock_wrlock, (pthread_rwlock_t *))
HD__PX_RENAME(int, pthread_rwlock_tryrdlock, (pthread_rwlock_t *))
HD__PX_RENAME(int, pthread_rwlock_trywrlock, (pthread_rwlock_t *))
HD__PX_RENAME(int, pthread_rwlock_timedrdlock, (pthread_rwlock_t *, const struct timespec *))
HD__PX_RENAME(int, pthread_rwlock_timedwrlock, (pthread_rwlock_t *, const struct timespec *))
HD__PX_RENAME(int, pthread_rwlock_unlock, (pthread_rwlock_t *))
HD__PX_RENAME(int, pthread_spin_init, (pthread_spinlock_t *, int))
HD__PX_RENAME(int, pthread_spin_destroy, (pthread_spinlock_t *))
HD__PX_RENAME(int, pthread_spin_lock, (pthread_spinlock_t *))
HD__PX_RENAME(int, pthread_spin_trylock, (pthread_spinlock_t *))
HD__PX_RENAME(int, pthread_spin_unlock, (pthread_spinlock_t *))
HD__PX_RENAME(int, pthread_barrier_init, (pthread_barrier_t *, const pthread_barrierattr_t *, unsigned))
HD__PX_RENAME(int, pthread_barrier_destroy, (pthread_barrier_t *))
HD__PX_RENAME(int, pthread_barrier_wait, (pthread_barrier_t *))
HD__PX_RENAME(int, sem_init, (sem_t *, int, unsigned))
HD__PX_RENAME(int, sem_destroy, (sem_t *))
HD__PX_RENAME(int, sem_wait, (sem_t *))
HD__PX_RENAME(int, sem_trywait, (sem_t *))
HD__PX_RENAME(int, sem_timedwait, (sem_t *, const struct timespec *))
HD__PX_RENAME(int, sem_post, (sem_t *))
HD__PX_RENAME(int, sem_getvalue, (sem_t *, int *))
HD__PX_RENAME(unsigned, sleep, (unsigned))
HD__PX_RENAME(int, usleep, (useconds_t))
HD__PX_RENAME(int, nanosleep, (const struct timespec *, struct timespec *))
HD__PX_RENAME(int, clock_nanosleep, (clockid_t, int, const struct timespec *, struct timespec *))
HD__PX_RENAME(int, clock_gettime, (clockid_t, struct timespec *))
HD__PX_RENAME(time_t, time, (time_t *))
HD__PX_RENAME(int, gettimeofday, (struct timeval *, void *))
HD__PX_RENAME(void, exit, (int))
HD__PX_RENAME(void, _exit, (int))
HD__PX_RENAME(void, _Exit, (int))
HD__PX_RENAME(void, abort, (void))
HD__PX_RENAME(FILE *, fopen, (const char *, const char *))
HD__PX_RENAME(int, fclose, (FILE *))
/* The heap has no call site worth naming: renamed only. */
HD__PX_RENAME(void *, malloc, (size_t))
HD__PX_RENAME(void *, calloc, (size_t, size_t))
HD__PX_RENAME(void *, realloc, (void *, size_t))
HD__PX_RENAME(void, free, (void *))
HD__PX_RENAME(char *, strdup, (const char *))
HD__PX_RENAME(char *, strndup, (const char *, size_t))
HD__PX_RENAME(int, posix_memalign, (void **, size_t, size_t))
HD__PX_RENAME(void *, aligned_alloc, (size_t, size_t))
#undef HD__PX_RENAME

#define HD__PX_HERE __FILE__, __LINE__
#define pthread_create(t, a, f, x) hd_px_pthread_create_at((t), (a), (f), (x), HD__PX_HERE)
#define pthread_join(t, r) hd_px_pthread_join_at((t), (r), HD__PX_HERE)
#define pthread_detach(t) hd_px_pthread_detach_at((t), HD__PX_HERE)
#define pthread_exit(r) hd_px_pthread_exit_at((r), HD__PX_HERE)
#define pthread_self() hd_px_pthread_self_at(HD__PX_HERE)
#define pthread_equal(a, b) hd_px_pthread_equal_at((a), (b), HD__PX_HERE)
#define pthread_once(o, f) hd_px_pthread_once_at((o), (f), HD__PX_HERE)
#define pthread_key_create(k, d) hd_px_pthread_key_create_at((k), (d), HD__PX_HERE)
#define pthread_key_delete(k) hd_px_pthread_key_delete_at((k), HD__PX_HERE)
#define pthread_getspecific(k) hd_px_pthread_getspecific_at((k), HD__PX_HERE)
#define pthread_setspecific(k, v) hd_px_pthread_setspecific_at((k), (v), HD__PX_HERE)
#define sched_yield() hd_px_sched_yield_at(HD__PX_HERE)
#define pthread_tryjoin_np(t, r) hd_px_pthread_tryjoin_np_at((t), (r), HD__PX_HERE)
#define pthread_timedjoin_np(t, r, a) hd_px_pthread_timedjoin_np_at((t), (r), (a), HD__PX_HERE)
#define pthread_clockjoin_np(t, r, c, a) hd_px_pthread_clockjoin_np_at((t), (r), (c), (a), HD__PX_HERE)
#define pthread_setname_np(t, n) hd_px_pthread_setname_np_at((t), (n), HD__PX_HERE)
#define pthread_getname_np(t, b, n) hd_px_pthread_getname_np_at((t), (b), (n), HD__PX_HERE)
#define pthread_mutex_clocklock(m, c, a) hd_px_pthread_mutex_clocklock_at((m), (c), (a), HD__PX_HERE)
#define pthread_cond_clockwait(v, m, c, a) hd_px_pthread_cond_clockwait_at((v), (m), (c), (a), HD__PX_HERE)
#define pthread_rwlock_clockrdlock(l, c, a) hd_px_pthread_rwlock_clockrdlock_at((l), (c), (a), HD__PX_HERE)
#define pthread_rwlock_clockwrlock(l, c, a) hd_px_pthread_rwlock_clockwrlock_at((l), (c), (a), HD__PX_HERE)
#define sem_clockwait(s, c, a) hd_px_sem_clockwait_at((s), (c), (a), HD__PX_HERE)
#define pthread_mutex_init(m, a) hd_px_pthread_mutex_init_at((m), (a), HD__PX_HERE)
#define pthread_mutex_destroy(m) hd_px_pthread_mutex_destroy_at((m), HD__PX_HERE)
#define pthread_mutex_lock(m) hd_px_pthread_mutex_lock_at((m), HD__PX_HERE)
#define pthread_mutex_trylock(m) hd_px_pthread_mutex_trylock_at((m), HD__PX_HERE)
#define pthread_mutex_timedlock(m, t) hd_px_pthread_mutex_timedlock_at((m), (t), HD__PX_HERE)
#define pthread_mutex_unlock(m) hd_px_pthread_mutex_unlock_at((m), HD__PX_HERE)
#define pthread_cond_init(c, a) hd_px_pthread_cond_init_at((c), (a), HD__PX_HERE)
#define pthread_cond_destroy(c) hd_px_pthread_cond_destroy_at((c), HD__PX_HERE)
#define pthread_cond_wait(c, m) hd_px_pthread_cond_wait_at((c), (m), HD__PX_HERE)
#define pthread_cond_timedwait(c, m, t) hd_px_pthread_cond_timedwait_at((c), (m), (t), HD__PX_HERE)
#define pthread_cond_signal(c) hd_px_pthread_cond_signal_at((c), HD__PX_HERE)
#define pthread_cond_broadcast(c) hd_px_pthread_cond_broadcast_at((c), HD__PX_HERE)
#define pthread_rwlock_init(l, a) hd_px_pthread_rwlock_init_at((l), (a), HD__PX_HERE)
#define pthread_rwlock_destroy(l) hd_px_pthread_rwlock_destroy_at((l), HD__PX_HERE)
#define pthread_rwlock_rdlock(l) hd_px_pthread_rwlock_rdlock_at((l), HD__PX_HERE)
#define pthread_rwlock_wrlock(l) hd_px_pthread_rwlock_wrlock_at((l), HD__PX_HERE)
#define pthread_rwlock_tryrdlock(l) hd_px_pthread_rwlock_tryrdlock_at((l), HD__PX_HERE)
#define pthread_rwlock_trywrlock(l) hd_px_pthread_rwlock_trywrlock_at((l), HD__PX_HERE)
#define pthread_rwlock_timedrdlock(l, t) hd_px_pthread_rwlock_timedrdlock_at((l), (t), HD__PX_HERE)
#define pthread_rwlock_timedwrlock(l, t) hd_px_pthread_rwlock_timedwrlock_at((l), (t), HD__PX_HERE)
#define pthread_rwlock_unlock(l) hd_px_pthread_rwlock_unlock_at((l), HD__PX_HERE)
#define pthread_spin_init(s, p) hd_px_pthread_spin_init_at((s), (p), HD__PX_HERE)
#define pthread_spin_destroy(s) hd_px_pthread_spin_destroy_at((s), HD__PX_HERE)
#define pthread_spin_lock(s) hd_px_pthread_spin_lock_at((s), HD__PX_HERE)
#define pthread_spin_trylock(s) hd_px_pthread_spin_trylock_at((s), HD__PX_HERE)
#define pthread_spin_unlock(s) hd_px_pthread_spin_unlock_at((s), HD__PX_HERE)
#define pthread_barrier_init(b, a, n) hd_px_pthread_barrier_init_at((b), (a), (n), HD__PX_HERE)
#define pthread_barrier_destroy(b) hd_px_pthread_barrier_destroy_at((b), HD__PX_HERE)
#define pthread_barrier_wait(b) hd_px_pthread_barrier_wait_at((b), HD__PX_HERE)
#define sem_init(s, p, v) hd_px_sem_init_at((s), (p), (v), HD__PX_HERE)
#define sem_destroy(s) hd_px_sem_destroy_at((s), HD__PX_HERE)
#define sem_wait(s) hd_px_sem_wait_at((s), HD__PX_HERE)
#define sem_trywait(s) hd_px_sem_trywait_at((s), HD__PX_HERE)
#define sem_timedwait(s, t) hd_px_sem_timedwait_at((s), (t), HD__PX_HERE)
#define sem_post(s) hd_px_sem_post_at((s), HD__PX_HERE)
#define sem_getvalue(s, v) hd_px_sem_getvalue_at((s), (v), HD__PX_HERE)
#define sleep(s) hd_px_sleep_at((s), HD__PX_HERE)
#define usleep(u) hd_px_usleep_at((u), HD__PX_HERE)
#define nanosleep(r, m) hd_px_nanosleep_at((r), (m), HD__PX_HERE)
#define clock_nanosleep(c, f, r, m) hd_px_clock_nanosleep_at((c), (f), (r), (m), HD__PX_HERE)
#define clock_gettime(c, t) hd_px_clock_gettime_at((c), (t), HD__PX_HERE)
#define time(t) hd_px_time_at((t), HD__PX_HERE)
#define gettimeofday(t, z) hd_px_gettimeofday_at((t), (z), HD__PX_HERE)
#define exit(s) hd_px_exit_at((s), HD__PX_HERE)
#define _exit(s) hd_px__exit_at((s), HD__PX_HERE)
#define _Exit(s) hd_px__exit_at((s), HD__PX_HERE)
#define abort() hd_px_abort_at(HD__PX_HERE)
#define fopen(p, m) hd_px_fopen_at((p), (m), HD__PX_HERE)
#define fclose(f) hd_px_fclose_at((f), HD__PX_HERE)
/* assert.h's macro calls __assert_fail: a failed assert is heddle's bug. */
#define __assert_fail hd_px_assert_fail

/* Where the thread-local section starts and ends, for the runner; its
 * presence also tells the runner the program was built with this header.
 * A weak definition in every file: the linker keeps one. */
extern char __start_hd_px_tls[] __attribute__((weak)), __stop_hd_px_tls[] __attribute__((weak));
__attribute__((weak, used, visibility("default"))) char *const hd_px_tls_bounds[2] = {__start_hd_px_tls,
                                                                                      __stop_hd_px_tls};

/* Thread-local variables become ordinary ones in the section the runner
 * swaps per thread (see above). */
#define __thread __attribute__((section("hd_px_tls")))
#define _Thread_local __attribute__((section("hd_px_tls")))

#endif /* HD_PX_IMPLEMENTATION */

#ifdef __cplusplus
}
#endif

#endif

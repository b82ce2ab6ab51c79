/* Calls through a pointer: heddle_posix.h renames each function NAME to
 * hd_px_NAME_any, which has no call site to pass ("?" and line 0). */
#include "harness/posix/posix.h"

int hd_px_pthread_create_any(pthread_t *a0, const pthread_attr_t *a1,
                             void *(*a2)(void *), void *a3) {
  return hd_px_pthread_create_at(a0, a1, a2, a3, "?", 0);
}
int hd_px_pthread_join_any(pthread_t a0, void **a1) {
  return hd_px_pthread_join_at(a0, a1, "?", 0);
}
int hd_px_pthread_detach_any(pthread_t a0) {
  return hd_px_pthread_detach_at(a0, "?", 0);
}
void hd_px_pthread_exit_any(void *a0) { hd_px_pthread_exit_at(a0, "?", 0); }
pthread_t hd_px_pthread_self_any(void) { return hd_px_pthread_self_at("?", 0); }
int hd_px_pthread_once_any(pthread_once_t *a0, void (*a1)(void)) {
  return hd_px_pthread_once_at(a0, a1, "?", 0);
}
int hd_px_pthread_key_create_any(pthread_key_t *a0, void (*a1)(void *)) {
  return hd_px_pthread_key_create_at(a0, a1, "?", 0);
}
int hd_px_pthread_key_delete_any(pthread_key_t a0) {
  return hd_px_pthread_key_delete_at(a0, "?", 0);
}
void *hd_px_pthread_getspecific_any(pthread_key_t a0) {
  return hd_px_pthread_getspecific_at(a0, "?", 0);
}
int hd_px_pthread_setspecific_any(pthread_key_t a0, const void *a1) {
  return hd_px_pthread_setspecific_at(a0, a1, "?", 0);
}
int hd_px_sched_yield_any(void) { return hd_px_sched_yield_at("?", 0); }
int hd_px_pthread_mutex_init_any(pthread_mutex_t *a0,
                                 const pthread_mutexattr_t *a1) {
  return hd_px_pthread_mutex_init_at(a0, a1, "?", 0);
}
int hd_px_pthread_mutex_destroy_any(pthread_mutex_t *a0) {
  return hd_px_pthread_mutex_destroy_at(a0, "?", 0);
}
int hd_px_pthread_mutex_lock_any(pthread_mutex_t *a0) {
  return hd_px_pthread_mutex_lock_at(a0, "?", 0);
}
int hd_px_pthread_mutex_trylock_any(pthread_mutex_t *a0) {
  return hd_px_pthread_mutex_trylock_at(a0, "?", 0);
}
int hd_px_pthread_mutex_timedlock_any(pthread_mutex_t *a0,
                                      const struct timespec *a1) {
  return hd_px_pthread_mutex_timedlock_at(a0, a1, "?", 0);
}
int hd_px_pthread_mutex_unlock_any(pthread_mutex_t *a0) {
  return hd_px_pthread_mutex_unlock_at(a0, "?", 0);
}
int hd_px_pthread_cond_init_any(pthread_cond_t *a0,
                                const pthread_condattr_t *a1) {
  return hd_px_pthread_cond_init_at(a0, a1, "?", 0);
}
int hd_px_pthread_cond_destroy_any(pthread_cond_t *a0) {
  return hd_px_pthread_cond_destroy_at(a0, "?", 0);
}
int hd_px_pthread_cond_wait_any(pthread_cond_t *a0, pthread_mutex_t *a1) {
  return hd_px_pthread_cond_wait_at(a0, a1, "?", 0);
}
int hd_px_pthread_cond_timedwait_any(pthread_cond_t *a0, pthread_mutex_t *a1,
                                     const struct timespec *a2) {
  return hd_px_pthread_cond_timedwait_at(a0, a1, a2, "?", 0);
}
int hd_px_pthread_cond_signal_any(pthread_cond_t *a0) {
  return hd_px_pthread_cond_signal_at(a0, "?", 0);
}
int hd_px_pthread_cond_broadcast_any(pthread_cond_t *a0) {
  return hd_px_pthread_cond_broadcast_at(a0, "?", 0);
}
int hd_px_pthread_rwlock_init_any(pthread_rwlock_t *a0,
                                  const pthread_rwlockattr_t *a1) {
  return hd_px_pthread_rwlock_init_at(a0, a1, "?", 0);
}
int hd_px_pthread_rwlock_destroy_any(pthread_rwlock_t *a0) {
  return hd_px_pthread_rwlock_destroy_at(a0, "?", 0);
}
int hd_px_pthread_rwlock_rdlock_any(pthread_rwlock_t *a0) {
  return hd_px_pthread_rwlock_rdlock_at(a0, "?", 0);
}
int hd_px_pthread_rwlock_wrlock_any(pthread_rwlock_t *a0) {
  return hd_px_pthread_rwlock_wrlock_at(a0, "?", 0);
}
int hd_px_pthread_rwlock_tryrdlock_any(pthread_rwlock_t *a0) {
  return hd_px_pthread_rwlock_tryrdlock_at(a0, "?", 0);
}
int hd_px_pthread_rwlock_trywrlock_any(pthread_rwlock_t *a0) {
  return hd_px_pthread_rwlock_trywrlock_at(a0, "?", 0);
}
int hd_px_pthread_rwlock_timedrdlock_any(pthread_rwlock_t *a0,
                                         const struct timespec *a1) {
  return hd_px_pthread_rwlock_timedrdlock_at(a0, a1, "?", 0);
}
int hd_px_pthread_rwlock_timedwrlock_any(pthread_rwlock_t *a0,
                                         const struct timespec *a1) {
  return hd_px_pthread_rwlock_timedwrlock_at(a0, a1, "?", 0);
}
int hd_px_pthread_rwlock_unlock_any(pthread_rwlock_t *a0) {
  return hd_px_pthread_rwlock_unlock_at(a0, "?", 0);
}
int hd_px_pthread_spin_init_any(pthread_spinlock_t *a0, int a1) {
  return hd_px_pthread_spin_init_at(a0, a1, "?", 0);
}
int hd_px_pthread_spin_destroy_any(pthread_spinlock_t *a0) {
  return hd_px_pthread_spin_destroy_at(a0, "?", 0);
}
int hd_px_pthread_spin_lock_any(pthread_spinlock_t *a0) {
  return hd_px_pthread_spin_lock_at(a0, "?", 0);
}
int hd_px_pthread_spin_trylock_any(pthread_spinlock_t *a0) {
  return hd_px_pthread_spin_trylock_at(a0, "?", 0);
}
int hd_px_pthread_spin_unlock_any(pthread_spinlock_t *a0) {
  return hd_px_pthread_spin_unlock_at(a0, "?", 0);
}
int hd_px_pthread_barrier_init_any(pthread_barrier_t *a0,
                                   const pthread_barrierattr_t *a1,
                                   unsigned a2) {
  return hd_px_pthread_barrier_init_at(a0, a1, a2, "?", 0);
}
int hd_px_pthread_barrier_destroy_any(pthread_barrier_t *a0) {
  return hd_px_pthread_barrier_destroy_at(a0, "?", 0);
}
int hd_px_pthread_barrier_wait_any(pthread_barrier_t *a0) {
  return hd_px_pthread_barrier_wait_at(a0, "?", 0);
}
int hd_px_sem_init_any(sem_t *a0, int a1, unsigned a2) {
  return hd_px_sem_init_at(a0, a1, a2, "?", 0);
}
int hd_px_sem_destroy_any(sem_t *a0) {
  return hd_px_sem_destroy_at(a0, "?", 0);
}
int hd_px_sem_wait_any(sem_t *a0) { return hd_px_sem_wait_at(a0, "?", 0); }
int hd_px_sem_trywait_any(sem_t *a0) {
  return hd_px_sem_trywait_at(a0, "?", 0);
}
int hd_px_sem_timedwait_any(sem_t *a0, const struct timespec *a1) {
  return hd_px_sem_timedwait_at(a0, a1, "?", 0);
}
int hd_px_sem_post_any(sem_t *a0) { return hd_px_sem_post_at(a0, "?", 0); }
int hd_px_sem_getvalue_any(sem_t *a0, int *a1) {
  return hd_px_sem_getvalue_at(a0, a1, "?", 0);
}
unsigned hd_px_sleep_any(unsigned a0) { return hd_px_sleep_at(a0, "?", 0); }
int hd_px_usleep_any(useconds_t a0) { return hd_px_usleep_at(a0, "?", 0); }
int hd_px_nanosleep_any(const struct timespec *a0, struct timespec *a1) {
  return hd_px_nanosleep_at(a0, a1, "?", 0);
}
int hd_px_clock_nanosleep_any(clockid_t a0, int a1, const struct timespec *a2,
                              struct timespec *a3) {
  return hd_px_clock_nanosleep_at(a0, a1, a2, a3, "?", 0);
}
int hd_px_clock_gettime_any(clockid_t a0, struct timespec *a1) {
  return hd_px_clock_gettime_at(a0, a1, "?", 0);
}
time_t hd_px_time_any(time_t *a0) { return hd_px_time_at(a0, "?", 0); }
int hd_px_gettimeofday_any(struct timeval *a0, void *a1) {
  return hd_px_gettimeofday_at(a0, a1, "?", 0);
}
int hd_px_pthread_tryjoin_np_any(pthread_t a0, void **a1) { return hd_px_pthread_tryjoin_np_at(a0, a1, "?", 0); }
int hd_px_pthread_timedjoin_np_any(pthread_t a0, void **a1, const struct timespec *a2) {
  return hd_px_pthread_timedjoin_np_at(a0, a1, a2, "?", 0);
}
int hd_px_pthread_clockjoin_np_any(pthread_t a0, void **a1, clockid_t a2, const struct timespec *a3) {
  return hd_px_pthread_clockjoin_np_at(a0, a1, a2, a3, "?", 0);
}
int hd_px_pthread_setname_np_any(pthread_t a0, const char *a1) { return hd_px_pthread_setname_np_at(a0, a1, "?", 0); }
int hd_px_pthread_getname_np_any(pthread_t a0, char *a1, size_t a2) {
  return hd_px_pthread_getname_np_at(a0, a1, a2, "?", 0);
}
int hd_px_pthread_mutex_clocklock_any(pthread_mutex_t *a0, clockid_t a1, const struct timespec *a2) {
  return hd_px_pthread_mutex_clocklock_at(a0, a1, a2, "?", 0);
}
int hd_px_pthread_cond_clockwait_any(pthread_cond_t *a0, pthread_mutex_t *a1, clockid_t a2, const struct timespec *a3) {
  return hd_px_pthread_cond_clockwait_at(a0, a1, a2, a3, "?", 0);
}
int hd_px_pthread_rwlock_clockrdlock_any(pthread_rwlock_t *a0, clockid_t a1, const struct timespec *a2) {
  return hd_px_pthread_rwlock_clockrdlock_at(a0, a1, a2, "?", 0);
}
int hd_px_pthread_rwlock_clockwrlock_any(pthread_rwlock_t *a0, clockid_t a1, const struct timespec *a2) {
  return hd_px_pthread_rwlock_clockwrlock_at(a0, a1, a2, "?", 0);
}
int hd_px_sem_clockwait_any(sem_t *a0, clockid_t a1, const struct timespec *a2) {
  return hd_px_sem_clockwait_at(a0, a1, a2, "?", 0);
}

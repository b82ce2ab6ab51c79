/* heddle's implementation of the ThreadSanitizer instrumentation ABI
 * (instrument.h states the contract): every function turns into the
 * engine's memory model (engine/memory.h) and then does what the compiler
 * asked for. The return address of each function is the instrumented
 * instruction's, which the engine turns into file:line. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "harness/engine/memory.h"
#include "harness/instrument/instrument.h"

#define PC __builtin_return_address(0)

/* ---- plain accesses ------------------------------------------------------------ */

#define HD__PLAIN(size)                                                                    \
  void __tsan_read##size(void *addr) { hd__memory_access(addr, size, false, PC); }         \
  void __tsan_write##size(void *addr) { hd__memory_access(addr, size, true, PC); }         \
  void __tsan_unaligned_read##size(void *addr) { hd__memory_access(addr, size, false, PC); } \
  void __tsan_unaligned_write##size(void *addr) { hd__memory_access(addr, size, true, PC); } \
  void __tsan_volatile_read##size(void *addr) { hd__memory_access(addr, size, false, PC); } \
  void __tsan_volatile_write##size(void *addr) { hd__memory_access(addr, size, true, PC); } \
  void __tsan_read##size##_pc(void *addr, void *pc) { hd__memory_access(addr, size, false, pc); } \
  void __tsan_write##size##_pc(void *addr, void *pc) { hd__memory_access(addr, size, true, pc); }

HD__PLAIN(1)
HD__PLAIN(2)
HD__PLAIN(4)
HD__PLAIN(8)
HD__PLAIN(16)

/* A range: scheduled as one access at its start, race-checked granule by
 * granule (each granule is its own location). */
static void range(const void *addr, size_t size, bool is_write, const void *pc) {
  const char *p = addr;
  for (size_t done = 0; done < size; done += 8) hd__memory_access(p + done, size - done < 8 ? size - done : 8, is_write, pc);
}

void __tsan_read_range(void *addr, size_t size) { range(addr, size, false, PC); }
void __tsan_write_range(void *addr, size_t size) { range(addr, size, true, PC); }

void *__tsan_memcpy(void *dst, const void *src, size_t size) {
  range(src, size, false, PC);
  range(dst, size, true, PC);
  return memcpy(dst, src, size);
}

void *__tsan_memmove(void *dst, const void *src, size_t size) {
  range(src, size, false, PC);
  range(dst, size, true, PC);
  return memmove(dst, src, size);
}

void *__tsan_memset(void *dst, int c, size_t size) {
  range(dst, size, true, PC);
  return memset(dst, c, size);
}

/* ---- atomics ---------------------------------------------------------------------- */

typedef __int128 a128;

/* One width: every operation is a switch point, the operation itself in
 * sequentially consistent order, and its outcome. */
#define HD__ATOMICS(bits, type)                                                                                 \
  type __tsan_atomic##bits##_load(const volatile type *a, int mo) {                                            \
    hd__memory_atomic(a, sizeof(type), true, mo, NULL, PC);                                                    \
    type v = __atomic_load_n(a, __ATOMIC_SEQ_CST);                                                             \
    hd__memory_atomic_done(a, HD_ATOMIC_LOAD, mo, (int64_t)v, false);                                          \
    return v;                                                                                                  \
  }                                                                                                            \
  void __tsan_atomic##bits##_store(volatile type *a, type v, int mo) {                                         \
    hd__memory_atomic(a, sizeof(type), false, mo, NULL, PC);                                                   \
    type old = __atomic_exchange_n(a, v, __ATOMIC_SEQ_CST);                                                    \
    hd__memory_atomic_done(a, HD_ATOMIC_STORE, mo, (int64_t)v, old != v);                                      \
  }                                                                                                            \
  HD__RMW(bits, type, exchange, __atomic_exchange_n(a, v, __ATOMIC_SEQ_CST))                                   \
  HD__RMW(bits, type, fetch_add, __atomic_fetch_add(a, v, __ATOMIC_SEQ_CST))                                   \
  HD__RMW(bits, type, fetch_sub, __atomic_fetch_sub(a, v, __ATOMIC_SEQ_CST))                                   \
  HD__RMW(bits, type, fetch_and, __atomic_fetch_and(a, v, __ATOMIC_SEQ_CST))                                   \
  HD__RMW(bits, type, fetch_or, __atomic_fetch_or(a, v, __ATOMIC_SEQ_CST))                                     \
  HD__RMW(bits, type, fetch_xor, __atomic_fetch_xor(a, v, __ATOMIC_SEQ_CST))                                   \
  HD__RMW(bits, type, fetch_nand, __atomic_fetch_nand(a, v, __ATOMIC_SEQ_CST))                                 \
  static int hd__cas##bits(volatile type *a, type *c, type v, int mo, int fmo, const void *pc) {               \
    int64_t expected = (int64_t)*c;                                                                            \
    hd__memory_atomic(a, sizeof(type), false, mo, &expected, pc);                                              \
    bool ok = __atomic_compare_exchange_n(a, c, v, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);                 \
    hd__memory_atomic_done(a, ok ? HD_ATOMIC_RMW : HD_ATOMIC_CAS_FAIL, ok ? mo : fmo, (int64_t)(ok ? v : *c),   \
                           ok && *c != v);                                                                     \
    return ok;                                                                                                 \
  }                                                                                                            \
  int __tsan_atomic##bits##_compare_exchange_strong(volatile type *a, type *c, type v, int mo, int fmo) {       \
    return hd__cas##bits(a, c, v, mo, fmo, PC);                                                                \
  }                                                                                                            \
  int __tsan_atomic##bits##_compare_exchange_weak(volatile type *a, type *c, type v, int mo, int fmo) {         \
    /* A weak compare-exchange never fails spuriously here: one choice fewer, the same outcomes. */           \
    return hd__cas##bits(a, c, v, mo, fmo, PC);                                                                \
  }                                                                                                            \
  type __tsan_atomic##bits##_compare_exchange_val(volatile type *a, type c, type v, int mo, int fmo) {          \
    int64_t wanted = (int64_t)c;                                                                               \
    hd__memory_atomic(a, sizeof(type), false, mo, &wanted, PC);                                                \
    type expected = c;                                                                                         \
    bool ok = __atomic_compare_exchange_n(a, &expected, v, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);         \
    hd__memory_atomic_done(a, ok ? HD_ATOMIC_RMW : HD_ATOMIC_CAS_FAIL, ok ? mo : fmo, (int64_t)expected,       \
                           ok && c != v);                                                                      \
    return expected;                                                                                           \
  }

/* A read-modify-write: returns the old value, as the builtins do. */
#define HD__RMW(bits, type, name, op)                                   \
  type __tsan_atomic##bits##_##name(volatile type *a, type v, int mo) { \
    hd__memory_atomic(a, sizeof(type), false, mo, NULL, PC);            \
    type old = op;                                                      \
    bool changed = __atomic_load_n(a, __ATOMIC_SEQ_CST) != old;         \
    hd__memory_atomic_done(a, HD_ATOMIC_RMW, mo, (int64_t)old, changed); \
    return old;                                                         \
  }

HD__ATOMICS(8, uint8_t)
HD__ATOMICS(16, uint16_t)
HD__ATOMICS(32, uint32_t)
HD__ATOMICS(64, uint64_t)
HD__ATOMICS(128, a128)

void __tsan_atomic_thread_fence(int mo) {
  (void)mo;
  __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void __tsan_atomic_signal_fence(int mo) {
  (void)mo;
  __atomic_signal_fence(__ATOMIC_SEQ_CST);
}

/* ---- the allocator ----------------------------------------------------------------- */

/* free(): as TSan's own runtime intercepts it, so that memory freed by one
 * thread and handed to another by malloc is not taken for shared memory.
 * Defined here, it replaces libc's for the whole test binary, which is why
 * only instrumented tests link this library. */
void __libc_free(void *p);
size_t malloc_usable_size(void *p);

void free(void *p) {
  if (p) hd__memory_forget(p, malloc_usable_size(p));
  __libc_free(p);
}

/* realloc(): a new block and the old one freed, as TSan models it; the old
 * block is forgotten first (if realloc then fails it is merely treated as
 * fresh memory again). */
void *__libc_realloc(void *p, size_t size);

void *realloc(void *p, size_t size) {
  if (p) hd__memory_forget(p, malloc_usable_size(p));
  return __libc_realloc(p, size);
}

/* ---- the rest: nothing to do under the harness ------------------------------------ */

void __tsan_init(void) {}
void __tsan_func_entry(void *call_pc) { (void)call_pc; }
void __tsan_func_exit(void) {}
void __tsan_vptr_update(void **vptr, void *value) { (void)vptr, (void)value; }
void __tsan_vptr_read(void **vptr) { (void)vptr; }
void __tsan_ignore_thread_begin(void) {}
void __tsan_ignore_thread_end(void) {}

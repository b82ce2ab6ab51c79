/* The instrumentation runtime: heddle's definitions of the functions that a
 * compiler's ThreadSanitizer instrumentation calls (clang 14 and gcc 12 with
 * -fsanitize=thread), linked into a test instead of TSan's own runtime.
 *
 * The contract, function by function group (instrument/tsan_abi.c):
 *   - __tsan_read{1,2,4,8,16}, __tsan_write{..}, their unaligned_ and
 *     volatile_ forms, __tsan_read_range / __tsan_write_range and
 *     __tsan_memcpy / memmove / memset: a plain access, about to happen;
 *     becomes hd__memory_access (engine/memory.h): a switch point once the
 *     memory is shared, checked by the race detector on its real address. A
 *     range is one access of its first granule for scheduling and a race
 *     check of each granule.
 *   - __tsan_atomic{8,16,32,64,128}_{load, store, exchange, fetch_add, _sub,
 *     _and, _or, _xor, _nand, compare_exchange_strong, _weak, _val}: a switch
 *     point (hd__memory_atomic), then the operation itself, done here with
 *     the compiler's __atomic builtins in sequentially consistent order,
 *     then its outcome (hd__memory_atomic_done: happens-before edges by its
 *     memory order, the value for traces). Never a race.
 *   - __tsan_atomic_thread_fence, __tsan_atomic_signal_fence: the fence
 *     (everything is sequentially consistent under the harness).
 *   - free() and realloc(): replaced, so that freed memory (a moved block's
 *     old place too) starts afresh for the memory model (engine/memory.h:
 *     hd__memory_forget), as TSan intercepts them.
 *   - __tsan_init, __tsan_func_entry / _exit, __tsan_vptr_update / _read,
 *     __tsan_ignore_thread_begin / _end: nothing to do.
 * Outside an execution (before exploring, in a pthread-backend build linked
 * with TSan's own runtime this file is not linked at all) every function
 * just performs its access.
 *
 * Only the code under test is compiled with -fsanitize=thread; the harness,
 * the primitives and cmocka are not, so their own memory is never seen. */
#ifndef HEDDLE_HARNESS_INSTRUMENT_INSTRUMENT_H
#define HEDDLE_HARNESS_INSTRUMENT_INSTRUMENT_H

/* The flags that compile code under test for this runtime, for build files:
 * -fsanitize=thread, plus for clang -mllvm -tsan-instrument-read-before-write=1
 * (so `x = x + 1` is a read and a write, not only the write). */
#define HD_INSTRUMENT_FLAGS_GCC "-fsanitize=thread"
#define HD_INSTRUMENT_FLAGS_CLANG "-fsanitize=thread -mllvm -tsan-instrument-read-before-write=1"

#endif

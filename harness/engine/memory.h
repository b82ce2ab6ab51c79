/* Plain memory and C11 atomics as switch points: the engine's side of the
 * instrumentation runtime (harness/instrument/).
 *
 * Every location (the exact address of an access: two variables are never
 * one location, and mixed-size accesses to one variable at different
 * offsets are not seen as the same) has, per execution, a record:
 * the one thread that has touched it so far, or "shared". Sharing is
 * detected at the first access of a second thread:
 *   - while a location is private to a thread, its accesses are not switch
 *     points (most memory of a real program is: its stack, its own heap), so
 *     they cost a table lookup;
 *   - the first access of another thread is a switch point whose pending
 *     operation conflicts with the location AND with the step in which the
 *     owner last touched it (hd_pending.conflict_step1), so dfs still tries
 *     that access before the owner's step: the owner's private accesses were
 *     not switch points of their own, they belong to the step around them;
 *   - from then on every access is a switch point on the location's object
 *     (so accesses to different locations are independent for dfs, and two
 *     reads commute) and goes through the happens-before race detector,
 *     seeded with the owner's last private read and write.
 * That private path groups a thread's first accesses into its step, so no
 * other thread ever runs between two of them: a schedule that needs one
 * there (a thread reads x and then writes z, another writes x and reads z
 * in between) is never tried. The systematic strategies cannot claim
 * completeness with it, so with eager memory (hd_exec_config.eager_memory,
 * which they set, and a token's "e1") every access is shared from the
 * first, except to the running thread's own stack (hd_exec_hot.stack_lo
 * .. stack_hi); random and pct keep the cheap path.
 * Atomics are switch points on their location with sequentially consistent
 * semantics (every atomic operation is a read-modify-write of the location
 * at its switch point, and one thread runs at a time), and they are never
 * races: an atomic operation with release semantics or stronger publishes
 * the thread's clock to the location, one with acquire semantics or
 * stronger joins it.
 *
 * Spin loops do not defeat exhaustive search. A thread whose previous
 * operation on shared memory read a location (a load, an unchanging
 * read-modify-write, a failed compare-exchange) and whose next one is the
 * same instruction reading it again (a loop, not two reads in a row; for a
 * compare-exchange, expecting the same value that failed), with no write to
 * it in between, can only repeat itself: it is parked until
 * another thread writes there. This is the idea of GenMC's spin-assume
 * transformation (Kokologiannakis et al., "Effective lock handling in
 * stateless model checking", OOPSLA 2019) applied at run time, and of CHESS's
 * fair scheduler (Musuvathi & Qadeer, PLDI 2008), which never lets a thread
 * that yields without progress starve the others: the parked thread's
 * pending read still conflicts with the writes that wake it, so dfs keeps
 * every order that matters, and a program whose every thread is parked is
 * reported as a livelock (a real one: nothing can ever change).
 *
 * A weaker C11 mode would go here: the record would keep
 * the stores a load may still read (loom, GenMC), and a relaxed load would
 * become a choice among them. */
#ifndef HEDDLE_HARNESS_ENGINE_MEMORY_H
#define HEDDLE_HARNESS_ENGINE_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harness/engine/race.h"
#include "primitives/backend.h"

/* What an atomic operation does to its location. */
typedef enum hd_atomic_kind {
  HD_ATOMIC_LOAD,
  HD_ATOMIC_STORE,
  HD_ATOMIC_RMW,      /* exchange, fetch-and-op, a compare-exchange that succeeds */
  HD_ATOMIC_CAS_FAIL, /* a compare-exchange that fails: a load */
} hd_atomic_kind;

/* C11 memory orders, as the instrumentation passes them. */
enum { HD_MO_RELAXED, HD_MO_CONSUME, HD_MO_ACQUIRE, HD_MO_RELEASE, HD_MO_ACQ_REL, HD_MO_SEQ_CST };

/* A plain read or write of `size` bytes at `addr` by the calling thread,
 * about to happen; `pc` is the instruction's return address, for file:line.
 * Outside an execution it does nothing. */
void hd__memory_access(const volatile void *addr, size_t size, bool is_write, const void *pc);
/* An atomic operation on `addr`, before it is performed (the caller then
 * performs it, and tells the outcome with hd__memory_atomic_done).
 * `expected`: a compare-exchange's expected value, NULL for the others (a
 * compare-exchange is a spin only when it expects again what failed). */
void hd__memory_atomic(const volatile void *addr, size_t size, bool is_load, int order, const int64_t *expected,
                       const void *pc);
/* After the atomic operation: what it turned out to do, the value it read
 * or wrote (for traces), and whether it changed the location's value (an
 * exchange of 1 for 1 did not: for spin detection it is a read). */
void hd__memory_atomic_done(const volatile void *addr, hd_atomic_kind kind, int order, int64_t value, bool changed);

/* Memory being freed: its locations start afresh, owned by the next thread
 * that touches them (a block freed by one thread and reused by another is
 * not shared, and the allocator's own ordering is not seen). */
void hd__memory_forget(const void *addr, size_t size);

/* ---- what the engine gives the memory model (engine/exec.c) ---------------------- */

/* Object ids of shared memory locations start here (below: the primitives'
 * per-execution ids), so a renderer can tell an instrumented access. */
#define HD_MEMORY_IDS 0x40000000u
/* Attaches a compare-exchange's outcome to the calling thread's latest
 * switch point, for traces. */
enum { HD_OUTCOME_NONE, HD_OUTCOME_OK, HD_OUTCOME_FAILED };
void hd__note_outcome(int outcome);

/* Where the calling thread is, kept current by the engine (engine/exec.c
 * writes it when an execution starts and ends, at every switch and every
 * decision) so that the private path reads it without a call: that path is
 * on every instrumented access of the program. Read-only elsewhere. */
typedef struct hd_exec_hot {
  uint32_t generation; /* the execution running; 0 outside any */
  int tid;             /* the thread running */
  uint64_t decisions;  /* decisions made so far */
  const hd_vc *clock;  /* the running thread's vector clock (its own component is its epoch) */
  bool races;          /* race detection is on */
  bool eager;          /* no private path but for the running thread's own stack (hd_exec_config.eager_memory) */
  uintptr_t stack_lo, stack_hi; /* the running thread's stack (0, 0 before it has one) */
  uint64_t hidden1;    /* 1 + the step (decisions - 1) of the latest access not made a switch point */
} hd_exec_hot;
extern hd_exec_hot hd__exec_hot;
uint32_t hd__exec_generation(void);
/* Zeroed memory freed when the execution ends. */
void *hd__exec_scratch(size_t size);
/* The calling thread's access, now, for the race detector. */
hd_access hd__exec_access(bool is_write, int64_t value, const char *file, int line);
/* The calling thread's clock covers `earlier`. */
bool hd__exec_ordered_after(const hd_access *earlier);
_Noreturn void hd__exec_race(const hd__obj *o, const hd_access *earlier, const hd_access *now);
/* hd__access (primitives/backend.h) for an access whose value may be unknown. */
void hd__access_value(hd__obj *o, bool is_write, int64_t value, bool known, const char *file, int line);
/* Records `a` in o's race history without checking it. */
void hd__exec_seed(hd__obj *o, const hd_access *a);
/* A switch point before `op` on `o`, conflicting also with decision
 * conflict_step1 - 1's step when nonzero. */
void hd__exec_memory_point(hd__obj *o, hd_op_kind op, const char *file, int line, uint64_t conflict_step1);
/* Slot `tid` has a new thread (engine/exec.c): forget what the old one read. */
void hd__memory_thread_reset(int tid);
/* Blocks the calling thread until hd__exec_unpark names it (a spin on
 * memory nobody wrote); `why` is static or interned. A program whose every
 * thread is parked is a livelock. */
void hd__exec_park(const char *why, const char *file, int line);
/* Wakes the parked threads of the mask. */
void hd__exec_unpark(uint64_t threads);
/* Atomics' happens-before edges: the calling thread's clock into `clock`
 * (release), or `clock` into the thread's (acquire). */
void hd__exec_release_to(hd_vc *clock);
void hd__exec_acquire_from(const hd_vc *clock);

#endif

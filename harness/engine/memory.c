/* Plain memory and atomics as switch points, with sharing detection and
 * race detection on real addresses (memory.h says how and why). */
#include "harness/engine/memory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "primitives/intern.h"

#include "harness/report/symbolize.h"

/* Spin loops are recognised (and the spinning thread parked) for the first
 * this many threads of an execution, whose parked sets fit in a word; the
 * threads of a program beyond them spin until the step limit, as they would
 * without the rule. */
#define SPIN_THREADS 64

enum { BUCKETS = 4096 };

/* No thread has touched the location yet / more than one has. */
enum { OWNER_NONE = -2, OWNER_SHARED = -1 };

/* One location of this execution. Invariant: obj has an id exactly when
 * owner == OWNER_SHARED; while private, last_* hold the owner's latest
 * accesses (epoch and return address), for the race check at sharing. */
typedef struct mem_loc {
  uintptr_t granule;
  struct mem_loc *next;
  hd__obj obj;
  int owner;
  uint64_t owner_step1;   /* 1 + the decision that chose the owner for its latest access's step, or 0 */
  bool owner_wrote;
  bool has_read, has_write;
  uint32_t read_epoch, write_epoch;
  const void *read_pc, *write_pc;
  hd_vc *clock;           /* released by atomics, lazily */
  uint64_t writes;        /* changes of its value so far (shared only) */
  uint64_t parked;        /* bit t: thread t waits for the next write (t < SPIN_THREADS) */
  const char *spin_why;   /* "waits for another thread to write X", interned */
} mem_loc;

/* Each thread's latest shared-memory operation, when it only read: the
 * location and how many writes it had seen then. */
static struct {
  uint32_t generation;
  const mem_loc *loc;
  const void *pc;
  uint64_t writes;
  bool cas;         /* it was a failed compare-exchange expecting `expected` */
  int64_t expected;
} last_read[SPIN_THREADS];

/* The table of locations. The records are scratch memory of the execution
 * running; a bucket whose generation is not the execution's is empty, so a
 * new execution clears nothing. */
static mem_loc *buckets[BUCKETS];
static uint32_t bucket_generation[BUCKETS];
/* The execution that made locations last (0: none yet): until a test's
 * memory is tracked, a free() (which the instrumented runtime passes on
 * for every block the process frees, the harness's own included) has
 * nothing to forget and returns at once. */
static uint32_t tracking_generation;

static size_t bucket_of(uintptr_t address) { return (address * 0x9e3779b97f4a7c15u) >> 52; /* 12 bits */ }

/* Identities of shared locations for the strategies, stable from one
 * execution to the next (dfs compares the pending operations it recorded in
 * one execution with those of the next): a location keeps the id it got
 * when it was first shared in this process, in a range of its own above the
 * primitives' per-execution ids. Its name in reports is per execution
 * ("memory#3" by the order of sharing), so that an exploration and a replay
 * print the same words. A heap block is known by its address, so memory
 * that a program allocates anew in every execution may get a new id each
 * time: dfs then treats it as new memory (sound, but less reduced). */
#define MEMORY_IDS HD_MEMORY_IDS
static struct {
  uintptr_t *addresses;
  uint32_t *ids;
  size_t cap, count;
} stable;

static uint32_t stable_id(uintptr_t address) {
  if ((stable.count + 1) * 2 > stable.cap) {
    size_t cap = stable.cap ? stable.cap * 2 : 1024;
    uintptr_t *addresses = calloc(cap, sizeof *addresses);
    uint32_t *ids = calloc(cap, sizeof *ids);
    if (!addresses || !ids) {
      free(addresses);
      free(ids);
      return 0;
    }
    for (size_t i = 0; i < stable.cap; i++) {
      if (!stable.ids[i]) continue;
      size_t k = bucket_of(stable.addresses[i]) & (cap - 1);
      while (ids[k]) k = (k + 1) & (cap - 1);
      addresses[k] = stable.addresses[i];
      ids[k] = stable.ids[i];
    }
    free(stable.addresses);
    free(stable.ids);
    stable.addresses = addresses;
    stable.ids = ids;
    stable.cap = cap;
  }
  size_t k = bucket_of(address) & (stable.cap - 1);
  for (; stable.ids[k]; k = (k + 1) & (stable.cap - 1))
    if (stable.addresses[k] == address) return stable.ids[k];
  stable.addresses[k] = address;
  stable.ids[k] = MEMORY_IDS + (uint32_t)++stable.count;
  return stable.ids[k];
}

/* The bucket's chain in execution `gen`. */
static mem_loc *chain(size_t b, uint32_t gen) { return bucket_generation[b] == gen ? buckets[b] : NULL; }

static mem_loc *location(const volatile void *addr, uint32_t gen);

/* Makes `l` fresh again: the next thread to use the memory owns it. */
static void forget(mem_loc *l) {
  uintptr_t address = l->granule;
  mem_loc *next = l->next;
  memset(l, 0, sizeof *l);
  l->granule = address;
  l->next = next;
  l->owner = OWNER_NONE;
}

void hd__memory_forget(const void *addr, size_t size) {
  uint32_t gen = hd__exec_generation();
  if (!gen || gen != tracking_generation) return;
  uintptr_t start = (uintptr_t)addr, end = start + size;
  if (size > BUCKETS) { /* a large block: cheaper to look at every location */
    for (size_t b = 0; b < BUCKETS; b++)
      for (mem_loc *l = chain(b, gen); l; l = l->next)
        if (l->granule >= start && l->granule < end) forget(l);
    return;
  }
  for (uintptr_t g = start; g < end; g++)
    for (mem_loc *l = chain(bucket_of(g), gen); l; l = l->next)
      if (l->granule == g) forget(l);
}

static mem_loc *location(const volatile void *addr, uint32_t gen) {
  uintptr_t granule = (uintptr_t)addr;
  size_t b = bucket_of(granule);
  mem_loc *first = chain(b, gen);
  for (mem_loc *l = first; l; l = l->next)
    if (l->granule == granule) return l;
  mem_loc *l = hd__exec_scratch(sizeof *l);
  tracking_generation = gen;
  l->granule = granule;
  l->owner = OWNER_NONE;
  l->next = first;
  buckets[b] = l;
  bucket_generation[b] = gen;
  return l;
}

/* The running thread's own stack: private even with eager memory (a local
 * whose address another thread gets becomes shared at that thread's first
 * access, as any location does without eager memory). */
static bool own_stack(uintptr_t address) {
  return address >= hd__exec_hot.stack_lo && address < hd__exec_hot.stack_hi;
}

/* The private path: the owner's access is remembered, not a switch point.
 * The epoch is the race detector's and read only when it is on. */
static bool private_access(mem_loc *l, int self, bool is_write, const void *pc) {
  if (hd__exec_hot.eager && !own_stack(l->granule)) return false;
  if (l->owner == OWNER_NONE) l->owner = self;
  if (l->owner != self) return false;
  l->owner_step1 = hd__exec_hot.hidden1 = hd__exec_hot.decisions;
  uint32_t epoch = hd__exec_hot.races ? hd_vc_get(hd__exec_hot.clock, self) : 0;
  if (is_write) {
    l->owner_wrote = l->has_write = true;
    l->write_epoch = epoch;
    l->write_pc = pc;
  } else {
    l->has_read = true;
    l->read_epoch = epoch;
    l->read_pc = pc;
  }
  return true;
}

/* The owner's remembered access, as the race detector sees it. */
static hd_access owner_access(const mem_loc *l, bool is_write) {
  hd_access a = {.tid = l->owner, .epoch = is_write ? l->write_epoch : l->read_epoch, .is_write = is_write,
                 .value_unknown = true, .event = SIZE_MAX};
  hd__symbolize_code(is_write ? l->write_pc : l->read_pc, &a.file, &a.line);
  return a;
}

/* The first access of a second thread: the location gets its object.
 * Returns the conflict with the owner's step (none when both only read). */
static uint64_t share(mem_loc *l, bool is_write) {
  const char *name = hd__symbolize_data((const void *)l->granule);
  hd__obj_init(&l->obj, "shared", name);
  if (!name) l->obj.name = hd__intern_numbered("memory#", NULL, l->obj.id); /* the order of sharing in this execution */
  uint32_t id = stable_id(l->granule);
  if (id) l->obj.id = id;
  return l->owner_wrote || is_write ? l->owner_step1 : 0; /* two reads commute */
}

/* At sharing: the owner's remembered accesses are checked against `now`
 * and seeded into the location's race history. */
static void check_owner(mem_loc *l, const hd_access *now) {
  if (!hd__exec_hot.races) return;
  for (int w = 1; w >= 0; w--) {
    bool has = w ? l->has_write : l->has_read;
    if (!has || (!w && !now->is_write)) continue; /* read after read is no race */
    hd_access earlier = owner_access(l, w);
    if (!hd__exec_ordered_after(&earlier)) hd__exec_race(&l->obj, &earlier, now);
  }
  if (l->has_write) {
    hd_access a = owner_access(l, true);
    hd__exec_seed(&l->obj, &a);
  }
  if (l->has_read) {
    hd_access a = owner_access(l, false);
    hd__exec_seed(&l->obj, &a);
  }
}

void hd__memory_thread_reset(int tid) {
  if (tid < SPIN_THREADS) last_read[tid].loc = NULL;
}

/* Before a shared read by `self`: a re-read with no write in between parks
 * the thread until another writes (memory.h: spin loops). */
static void spin_check(mem_loc *l, int self, const void *pc, const int64_t *expected, const char *file, int line) {
  uint32_t gen = hd__exec_generation();
  if (self >= SPIN_THREADS) return;
  /* The same instruction again (a loop: two reads in a row are not a spin),
   * and for a compare-exchange the same expectation (one that took the
   * value it read will succeed). */
  while (last_read[self].generation == gen && last_read[self].loc == l && last_read[self].pc == pc &&
         last_read[self].writes == l->writes &&
         (!expected || (last_read[self].cas && last_read[self].expected == *expected))) {
    if (!l->spin_why) {
      char label[96];
      if (l->obj.name) snprintf(label, sizeof label, "%s", l->obj.name);
      else snprintf(label, sizeof label, "%s#%u", l->obj.kind, l->obj.id);
      l->spin_why = hd__internf("re-reads %s, which nobody wrote since: waits for another thread to write it", label);
    }
    l->parked |= 1ull << self;
    hd__exec_park(l->spin_why, file, line);
  }
}

/* After a shared operation by `self`: what it read, or that it wrote (which
 * wakes the threads parked on the location). */
static void note_operation(mem_loc *l, int self, const void *pc, bool changed, bool cas, int64_t expected) {
  if (self >= SPIN_THREADS) return;
  if (changed) {
    l->writes++;
    last_read[self].loc = NULL;
    if (l->parked) {
      hd__exec_unpark(l->parked);
      l->parked = 0;
    }
    return;
  }
  last_read[self].generation = hd__exec_generation();
  last_read[self].loc = l;
  last_read[self].pc = pc;
  last_read[self].writes = l->writes;
  last_read[self].cas = cas;
  last_read[self].expected = expected;
}

/* The value at a location of at most 8 bytes, for traces. */
/* Whether a value read from memory is (most likely) a pointer: it lies in a
 * mapped page. Such a value differs from run to run (address-space layout
 * randomisation), so traces and reports leave it out rather than print it:
 * the same token must give the same bytes. Small numbers never take the
 * system call. */
static bool looks_like_address(int64_t v) {
  if (v < 65536 || (uint64_t)v >= 0x800000000000ull) return false;
  static uintptr_t page;
  if (!page) page = (uintptr_t)sysconf(_SC_PAGESIZE);
  unsigned char resident;
  return mincore((void *)((uintptr_t)v & ~(page - 1)), 1, &resident) == 0;
}

static int64_t value_at(const volatile void *addr, size_t size) {
  switch (size) {
    case 1: return *(const volatile int8_t *)addr;
    case 2: return *(const volatile int16_t *)addr;
    case 4: return *(const volatile int32_t *)addr;
    case 8: return *(const volatile int64_t *)addr;
    default: return 0;
  }
}

void hd__memory_access(const volatile void *addr, size_t size, bool is_write, const void *pc) {
  uint32_t gen = hd__exec_hot.generation;
  if (!gen) return;
  int self = hd__exec_hot.tid;
  mem_loc *l = location(addr, gen);
  if (private_access(l, self, is_write, pc)) return;
  const char *file;
  int line;
  hd__symbolize_code(pc, &file, &line);
  bool sharing = l->owner != OWNER_SHARED;
  uint64_t conflict = sharing ? share(l, is_write) : 0;
  if (!sharing && !is_write) spin_check(l, self, pc, NULL, file, line);
  hd__exec_memory_point(&l->obj, is_write ? HD_OP_WRITE : HD_OP_READ, file, line, conflict);
  int64_t value = is_write ? 0 : value_at(addr, size);
  bool known = !is_write && !looks_like_address(value);
  if (known) hd__note_value(value);
  /* Another thread may have shared it during the switch point: then its
   * owner's accesses were checked already. */
  if (sharing && l->owner != OWNER_SHARED) {
    hd_access now = hd__exec_access(is_write, value, file, line);
    now.value_unknown = !known;
    check_owner(l, &now);
    l->owner = OWNER_SHARED;
  }
  note_operation(l, self, pc, is_write, false, 0);
  hd__access_value(&l->obj, is_write, value, known, file, line);
}

/* The instruction of each thread's atomic operation in progress, for
 * hd__memory_atomic_done's spin bookkeeping. */
static const void *atomic_pc[HD_MAX_THREADS];
static int64_t atomic_expected[HD_MAX_THREADS];
static bool atomic_cas[HD_MAX_THREADS]; /* it is a compare-exchange */

void hd__memory_atomic(const volatile void *addr, size_t size, bool is_load, int order, const int64_t *expected,
                       const void *pc) {
  (void)size;
  (void)order;
  uint32_t gen = hd__exec_hot.generation;
  if (!gen) return;
  int self = hd__exec_hot.tid;
  if (self < HD_MAX_THREADS) {
    atomic_pc[self] = pc;
    atomic_expected[self] = expected ? *expected : 0;
    atomic_cas[self] = expected != NULL;
  }
  mem_loc *l = location(addr, gen);
  /* Atomics are never races: only the owner bookkeeping, no race history. */
  if ((!hd__exec_hot.eager || own_stack(l->granule)) && (l->owner == OWNER_NONE || l->owner == self)) {
    if (l->owner == OWNER_NONE) l->owner = self;
    l->owner_step1 = hd__exec_hot.hidden1 = hd__exec_hot.decisions;
    if (!is_load) l->owner_wrote = true;
    return;
  }
  const char *file;
  int line;
  hd__symbolize_code(pc, &file, &line);
  uint64_t conflict = 0;
  if (l->owner != OWNER_SHARED) {
    conflict = share(l, !is_load);
    l->owner = OWNER_SHARED;
  } else {
    spin_check(l, self, pc, expected, file, line); /* a read-modify-write that changes nothing counts as a read */
  }
  hd__exec_memory_point(&l->obj, is_load ? HD_OP_READ : HD_OP_UPDATE, file, line, conflict);
}

void hd__memory_atomic_done(const volatile void *addr, hd_atomic_kind kind, int order, int64_t value, bool changed) {
  uint32_t gen = hd__exec_generation();
  if (!gen) return;
  mem_loc *l = location(addr, gen);
  if (l->owner == OWNER_SHARED) {
    if (!looks_like_address(value)) hd__note_value(value);
    int self = hd__self();
    bool mine = self < HD_MAX_THREADS;
    if (mine && atomic_cas[self]) hd__note_outcome(kind == HD_ATOMIC_CAS_FAIL ? HD_OUTCOME_FAILED : HD_OUTCOME_OK);
    note_operation(l, self, mine ? atomic_pc[self] : NULL, changed, kind == HD_ATOMIC_CAS_FAIL,
                   mine ? atomic_expected[self] : 0);
  }
  bool writes = kind == HD_ATOMIC_STORE || kind == HD_ATOMIC_RMW;
  bool reads = kind != HD_ATOMIC_STORE;
  bool releases = writes && (order == HD_MO_RELEASE || order == HD_MO_ACQ_REL || order == HD_MO_SEQ_CST);
  bool acquires = reads && (order == HD_MO_CONSUME || order == HD_MO_ACQUIRE || order == HD_MO_ACQ_REL ||
                            order == HD_MO_SEQ_CST);
  if (!releases && !acquires) return;
  if (!l->clock) l->clock = hd__exec_scratch(sizeof *l->clock);
  if (acquires) hd__exec_acquire_from(l->clock);
  if (releases) hd__exec_release_to(l->clock);
}

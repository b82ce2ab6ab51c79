/* Ordinary C models for the instrumentation runtime (instrumented_models.h).
 * This file alone is compiled with -fsanitize=thread: its plain and atomic
 * accesses are what heddle schedules. */
#include "tests/instrumented_models.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

#include "primitives/heddle.h"

static hd_thread threads[4];

static void start_all(int n, void (*fn)(void *)) {
  for (int i = 0; i < n; i++) {
    hd_thread_init(&threads[i], fn, NULL, NULL);
    hd_thread_start(&threads[i]);
  }
  for (int i = 0; i < n; i++) hd_thread_join(&threads[i], HD_FOREVER);
}

int counter;

const int model_increment_line = __LINE__ + 3; /* the line of `counter = counter + 1` */
static void increment(void *arg) {
  (void)arg;
  counter = counter + 1;
}

void model_plain_lost_update(void *arg) {
  (void)arg;
  counter = 0;
  start_all(2, increment);
}

void model_plain_lost_update_check(void *arg) {
  (void)arg;
  HD_ASSERT(counter == 2, "lost update: counter is %d", counter);
}

atomic_int hits;

static void add_one(void *arg) {
  (void)arg;
  atomic_fetch_add(&hits, 1);
}

void model_atomic_adders(void *arg) {
  (void)arg;
  atomic_store(&hits, 0);
  start_all(3, add_one);
}

void model_atomic_adders_check(void *arg) {
  (void)arg;
  HD_ASSERT(atomic_load(&hits) == 3, "atomic adds lost: %d", atomic_load(&hits));
}

atomic_int flag;

static void store_flag(void *arg) {
  (void)arg;
  atomic_store(&flag, 1);
}

static void load_flag(void *arg) {
  (void)arg;
  (void)atomic_load(&flag);
}

void model_atomic_readers(void *arg) {
  (void)arg;
  atomic_store(&flag, 0);
  hd_thread_init(&threads[0], store_flag, NULL, "writer");
  hd_thread_start(&threads[0]);
  for (int i = 1; i < 4; i++) {
    hd_thread_init(&threads[i], load_flag, NULL, NULL);
    hd_thread_start(&threads[i]);
  }
  for (int i = 0; i < 4; i++) hd_thread_join(&threads[i], HD_FOREVER);
}

static void fill_own_buffer(void *arg) {
  (void)arg;
  int *buffer = malloc(64 * sizeof *buffer);
  for (int i = 0; i < 64; i++) buffer[i] = i;
  int sum = 0;
  for (int i = 0; i < 64; i++) sum += buffer[i];
  HD_ASSERT(sum == 64 * 63 / 2, "a private buffer changed under its thread");
  free(buffer);
}

void model_private_work(void *arg) {
  (void)arg;
  start_all(2, fill_own_buffer);
}

int shared_value, model_seen;

static void write_value(void *arg) {
  (void)arg;
  shared_value = 1;
}

static void read_value(void *arg) {
  (void)arg;
  model_seen = shared_value;
}

void model_write_then_read(void *arg) {
  (void)arg;
  /* shared_value is not touched here: the writer's access is the first, so
   * the location is private to it until the reader comes. */
  hd_thread_init(&threads[0], write_value, NULL, "writer");
  hd_thread_init(&threads[1], read_value, NULL, "reader");
  hd_thread_start(&threads[0]);
  hd_thread_start(&threads[1]);
  hd_thread_join(&threads[0], HD_FOREVER);
  hd_thread_join(&threads[1], HD_FOREVER);
}

atomic_int spin_lock, never_set;
int guarded;
bool model_relaxed_release;

static void spin_acquire(void) {
  while (atomic_exchange(&spin_lock, 1)) {
  }
}

static void spin_release(void) {
  if (model_relaxed_release) atomic_store_explicit(&spin_lock, 0, memory_order_relaxed); /* the bug */
  else atomic_store(&spin_lock, 0);
}

static void locked_increment(void *arg) {
  (void)arg;
  spin_acquire();
  guarded = guarded + 1;
  spin_release();
}

void model_spinlock(void *arg) {
  (void)arg;
  guarded = 0;
  atomic_store(&spin_lock, 0);
  start_all(2, locked_increment);
  HD_ASSERT(guarded == 2, "the spinlock let an increment through: %d", guarded);
}

static void wait_for_never(void *arg) {
  (void)arg;
  while (!atomic_load(&never_set)) {
  }
}

void model_spin_forever(void *arg) {
  (void)arg;
  atomic_store(&never_set, 0);
  start_all(1, wait_for_never);
}

/* A seqlock: the writer makes the sequence odd, writes both halves, makes
 * it even; a reader retries while the sequence is odd or changed under it.
 * The halves are relaxed atomics (a seqlock's data races by design). */
atomic_uint seq;
atomic_int half1, half2;
bool model_seqlock_skips_second_check;

static void seq_write(void *arg) {
  (void)arg;
  atomic_fetch_add(&seq, 1);
  atomic_store_explicit(&half1, 1, memory_order_relaxed);
  atomic_store_explicit(&half2, 1, memory_order_relaxed);
  atomic_fetch_add(&seq, 1);
}

static void seq_read(void *arg) {
  (void)arg;
  for (;;) {
    unsigned before = atomic_load(&seq);
    if (before & 1) continue; /* a write in progress */
    int a = atomic_load_explicit(&half1, memory_order_relaxed);
    int b = atomic_load_explicit(&half2, memory_order_relaxed);
    if (!model_seqlock_skips_second_check && atomic_load(&seq) != before) continue; /* torn: again */
    HD_ASSERT(a == b, "the reader saw a torn value: %d and %d", a, b);
    return;
  }
}

void model_seqlock(void *arg) {
  (void)arg;
  atomic_store(&seq, 0);
  atomic_store(&half1, 0);
  atomic_store(&half2, 0);
  hd_thread_init(&threads[0], seq_write, NULL, "writer");
  hd_thread_init(&threads[1], seq_read, NULL, "reader");
  hd_thread_start(&threads[0]);
  hd_thread_start(&threads[1]);
  hd_thread_join(&threads[0], HD_FOREVER);
  hd_thread_join(&threads[1], HD_FOREVER);
}

/* A Treiber stack of three preallocated nodes, its head an atomic word of a
 * node index and (when tagged) a counter of changes. T1 pops once while T2
 * pops twice and pushes its first node back: untagged, T1's compare-exchange
 * can succeed on a head that is the same node but no longer the same stack
 * (ABA), and the stack ends up holding a node T2 owns. */
#define NIL 0xffffu
static struct {
  atomic_uint next;
} nodes[3];
static atomic_ullong top;
bool model_stack_tagged;
static unsigned t1_popped, t2_popped[2];

static unsigned long long make_top(unsigned long long old, unsigned index) {
  unsigned long long tag = model_stack_tagged ? (old >> 16) + 1 : 0;
  return tag << 16 | index;
}

static unsigned stack_pop(void) {
  for (;;) {
    unsigned long long old = atomic_load(&top);
    unsigned index = (unsigned)(old & 0xffff);
    if (index == NIL) return NIL;
    unsigned next = atomic_load_explicit(&nodes[index].next, memory_order_relaxed);
    if (atomic_compare_exchange_strong(&top, &old, make_top(old, next))) return index;
  }
}

static void stack_push(unsigned index) {
  for (;;) {
    unsigned long long old = atomic_load(&top);
    atomic_store_explicit(&nodes[index].next, (unsigned)(old & 0xffff), memory_order_relaxed);
    if (atomic_compare_exchange_strong(&top, &old, make_top(old, index))) return;
  }
}

static void pop_once(void *arg) {
  (void)arg;
  t1_popped = stack_pop();
}

static void pop_pop_push(void *arg) {
  (void)arg;
  t2_popped[0] = stack_pop();
  t2_popped[1] = stack_pop();
  stack_push(t2_popped[0]);
  t2_popped[0] = NIL; /* given back */
}

void model_treiber_stack(void *arg) {
  (void)arg;
  for (unsigned i = 0; i < 3; i++) atomic_store(&nodes[i].next, i + 1 < 3 ? i + 1 : NIL);
  atomic_store(&top, 0); /* A -> B -> C */
  hd_thread_init(&threads[0], pop_once, NULL, "popper");
  hd_thread_init(&threads[1], pop_pop_push, NULL, "recycler");
  hd_thread_start(&threads[0]);
  hd_thread_start(&threads[1]);
  hd_thread_join(&threads[0], HD_FOREVER);
  hd_thread_join(&threads[1], HD_FOREVER);
  /* Every node is on the stack or owned by one thread, never both. */
  unsigned on_stack = 0;
  for (unsigned i = (unsigned)(atomic_load(&top) & 0xffff), steps = 0; i != NIL && steps < 4; steps++) {
    HD_ASSERT(i != t1_popped && i != t2_popped[1], "ABA: node %u is on the stack and owned by a thread", i);
    on_stack++;
    i = atomic_load(&nodes[i].next);
  }
  HD_ASSERT(on_stack + 2 == 3, "the stack holds %u nodes, not 1", on_stack);
}

/* lastzero (Abdulla et al., "Source sets", POPL 2014): thread 0 scans an
 * array from the end for its last zero while threads 1..N each set
 * array[i] = array[i-1] + 1. Plain accesses (run with races off). */
enum { LASTZERO_N = 5 };
static int lastzero_array[LASTZERO_N + 1];
static hd_thread lastzero_threads[LASTZERO_N + 1];

static void lastzero_scan(void *arg) {
  (void)arg;
  for (int i = LASTZERO_N; lastzero_array[i] != 0; i--) {
  }
}

static void lastzero_set(void *arg) {
  long i = (long)arg;
  lastzero_array[i] = lastzero_array[i - 1] + 1;
}

void model_lastzero(void *arg) {
  (void)arg;
  for (int i = 0; i <= LASTZERO_N; i++) lastzero_array[i] = 0;
  hd_thread_init(&lastzero_threads[0], lastzero_scan, NULL, NULL);
  for (long i = 1; i <= LASTZERO_N; i++) hd_thread_init(&lastzero_threads[i], lastzero_set, (void *)i, NULL);
  for (int i = 0; i <= LASTZERO_N; i++) hd_thread_start(&lastzero_threads[i]);
  for (int i = 0; i <= LASTZERO_N; i++) hd_thread_join(&lastzero_threads[i], HD_FOREVER);
}

/* Two threads each add one to an atomic with a compare-exchange loop. */
static atomic_int cas_counter;

static void cas_increment(void *arg) {
  (void)arg;
  int old = atomic_load(&cas_counter);
  while (!atomic_compare_exchange_strong(&cas_counter, &old, old + 1)) {
  }
}

void model_cas_loop(void *arg) {
  (void)arg;
  atomic_store(&cas_counter, 0);
  start_all(2, cas_increment);
  HD_ASSERT(atomic_load(&cas_counter) == 2, "a compare-exchange increment was lost");
}

/* A work-stealing deque (Chase and Lev, SPAA 2005), one slot used: the
 * owner pushes an item and pops it back while a thief steals. When one item
 * is left, pop must win it with a compare-exchange on top, as steal does;
 * with model_deque_pop_without_cas it just takes it, and owner and thief
 * can both get the same item. */
enum { DEQUE_EMPTY = -1 };
static atomic_long deque_top, deque_bottom;
static atomic_int deque_items[4];
bool model_deque_pop_without_cas;
static int deque_owner_got, deque_thief_got;

static void deque_push(int x) {
  long b = atomic_load(&deque_bottom);
  atomic_store_explicit(&deque_items[b % 4], x, memory_order_relaxed);
  atomic_store(&deque_bottom, b + 1);
}

static int deque_pop(void) {
  long b = atomic_load(&deque_bottom) - 1;
  atomic_store(&deque_bottom, b);
  long t = atomic_load(&deque_top);
  if (t > b) { /* empty */
    atomic_store(&deque_bottom, b + 1);
    return DEQUE_EMPTY;
  }
  int x = atomic_load_explicit(&deque_items[b % 4], memory_order_relaxed);
  if (t == b) { /* the last item: the thief may be after it too */
    if (!model_deque_pop_without_cas && !atomic_compare_exchange_strong(&deque_top, &t, t + 1)) x = DEQUE_EMPTY;
    atomic_store(&deque_bottom, b + 1);
  }
  return x;
}

static int deque_steal(void) {
  long t = atomic_load(&deque_top);
  long b = atomic_load(&deque_bottom);
  if (t >= b) return DEQUE_EMPTY;
  int x = atomic_load_explicit(&deque_items[t % 4], memory_order_relaxed);
  if (!atomic_compare_exchange_strong(&deque_top, &t, t + 1)) return DEQUE_EMPTY;
  return x;
}

static void deque_owner(void *arg) {
  (void)arg;
  deque_push(7);
  deque_owner_got = deque_pop();
}

static void deque_thief(void *arg) {
  (void)arg;
  deque_thief_got = deque_steal();
}

void model_work_stealing_deque(void *arg) {
  (void)arg;
  atomic_store(&deque_top, 0);
  atomic_store(&deque_bottom, 0);
  hd_thread_init(&threads[0], deque_owner, NULL, "owner");
  hd_thread_init(&threads[1], deque_thief, NULL, "thief");
  hd_thread_start(&threads[0]);
  hd_thread_start(&threads[1]);
  hd_thread_join(&threads[0], HD_FOREVER);
  hd_thread_join(&threads[1], HD_FOREVER);
  HD_ASSERT(!(deque_owner_got == 7 && deque_thief_got == 7), "the item was taken twice: by pop and by steal");
  HD_ASSERT(deque_owner_got == 7 || deque_thief_got == 7, "the item was lost");
}

/* T0: under a lock, x = 1; then, if z is still 0, z = 1. T1: if x is 0,
 * z = 2 twice. T2: if x is 0, z = 3, then x = 3 under the lock. The end
 * x = 3, z = 1 needs T2's read of x before T0's write of it and T2's write
 * of z after T0's read of it: T0 runs between two accesses of T2 to
 * locations no other thread had touched yet. */
atomic_int split_x, split_z;
void (*model_split_reset)(void);
static hd_lock split_lock;

static void split_t0(void *arg) {
  (void)arg;
  hd_lock_acquire(&split_lock);
  atomic_store(&split_x, 1);
  hd_lock_release(&split_lock);
  if (atomic_load(&split_z)) return;
  atomic_store(&split_z, 1);
}

static void split_t1(void *arg) {
  (void)arg;
  if (atomic_load(&split_x)) return;
  atomic_store(&split_z, 2);
  atomic_store(&split_z, 2);
}

static void split_t2(void *arg) {
  (void)arg;
  if (atomic_load(&split_x)) return;
  atomic_store(&split_z, 3);
  hd_lock_acquire(&split_lock);
  atomic_store(&split_x, 3);
  hd_lock_release(&split_lock);
}

void model_split_first_touches(void *arg) {
  (void)arg;
  hd_lock_init(&split_lock, "lock");
  if (model_split_reset) model_split_reset(); /* not instrumented: no thread has touched x or z when they start */
  void (*fns[3])(void *) = {split_t0, split_t1, split_t2};
  for (int i = 0; i < 3; i++) {
    hd_thread_init(&threads[i], fns[i], NULL, NULL);
    hd_thread_start(&threads[i]);
  }
  for (int i = 0; i < 3; i++) hd_thread_join(&threads[i], HD_FOREVER);
}

void model_split_first_touches_check(void *arg) {
  (void)arg;
  HD_ASSERT(!(atomic_load(&split_x) == 3 && atomic_load(&split_z) == 1), "x = 3 and z = 1");
}

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

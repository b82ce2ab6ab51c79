/* The classic bug: `if` instead of `while` around the wait. A consumer
 * woken by a put can find the item already taken by a consumer that came in
 * between, and takes from an empty buffer (count goes negative, the item is
 * a stale slot). Same interface as bounded_buffer.c. */
#include "bounded_buffer/bounded_buffer.h"

void bounded_buffer_init(bounded_buffer *b) {
  hd_lock_init(&b->lock, "buffer");
  hd_condition_init_lock(&b->not_full, &b->lock, "not_full");
  hd_condition_init_lock(&b->not_empty, &b->lock, "not_empty");
  b->head = 0;
  b->count = 0;
}

void bounded_buffer_put(bounded_buffer *b, int64_t item) {
  hd_lock_acquire(&b->lock);
  if (b->count == BOUNDED_BUFFER_CAPACITY) hd_condition_wait(&b->not_full, HD_FOREVER);
  b->slots[(b->head + b->count) % BOUNDED_BUFFER_CAPACITY] = item;
  b->count++;
  hd_condition_notify(&b->not_empty, 1);
  hd_lock_release(&b->lock);
}

int64_t bounded_buffer_get(bounded_buffer *b) {
  hd_lock_acquire(&b->lock);
  if (b->count == 0) hd_condition_wait(&b->not_empty, HD_FOREVER);
  HD_ASSERT(b->count > 0, "get from an empty buffer: count is %d after the wait", b->count);
  int64_t item = b->slots[b->head];
  b->head = (b->head + 1) % BOUNDED_BUFFER_CAPACITY;
  b->count--;
  hd_condition_notify(&b->not_full, 1);
  hd_lock_release(&b->lock);
  return item;
}

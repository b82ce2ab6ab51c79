/* A bounded buffer of integers: put blocks while it is full, get blocks
 * while it is empty. One Lock guards the slots; two Conditions over it say
 * "not full" and "not empty". Built on heddle's primitives, so the same code
 * runs under heddle's scheduler and on real pthreads. */
#ifndef EXAMPLES_BOUNDED_BUFFER_H
#define EXAMPLES_BOUNDED_BUFFER_H

#include <stdint.h>

#include "primitives/heddle.h"

#define BOUNDED_BUFFER_CAPACITY 2

typedef struct bounded_buffer {
  hd_lock lock;
  hd_condition not_full, not_empty;
  int64_t slots[BOUNDED_BUFFER_CAPACITY];
  int head, count;
} bounded_buffer;

void bounded_buffer_init(bounded_buffer *b);
/* Waits for a free slot, then stores `item`. */
void bounded_buffer_put(bounded_buffer *b, int64_t item);
/* Waits for an item, then takes the oldest. */
int64_t bounded_buffer_get(bounded_buffer *b);

#endif

/* Queue: queue.Queue, queue.LifoQueue and queue.PriorityQueue (Python 3.13,
 * with shutdown), as one type with a kind chosen at init.
 *
 * Items are int64_t values (store a pointer with (int64_t)(intptr_t)p).
 * A priority queue hands out the smallest priority first; hd_queue_put()
 * uses the item itself as its priority (Python compares the items), and
 * hd_queue_put_priority() gives a separate priority, the C form of putting a
 * (priority, data) tuple. Equal priorities come out in put order, so the
 * order never depends on anything but the schedule. FIFO and LIFO queues
 * ignore priorities.
 *
 * Errors follow Python: HD_EFULL / HD_EEMPTY when non-blocking or when the
 * timeout expired (Python raises Full/Empty on a timeout, not TimeoutError);
 * HD_ESHUTDOWN after shutdown (put at once, get once the queue is drained);
 * HD_EINVAL plus misuse for a negative timeout other than HD_FOREVER and for
 * task_done() called more times than items were put (Python's ValueError). */
#ifndef HEDDLE_PRIMITIVES_QUEUE_H
#define HEDDLE_PRIMITIVES_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "primitives/backend.h"
#include "primitives/runtime.h"

typedef enum hd_queue_kind {
  HD_QUEUE_FIFO,     /* queue.Queue */
  HD_QUEUE_LIFO,     /* queue.LifoQueue */
  HD_QUEUE_PRIORITY, /* queue.PriorityQueue */
} hd_queue_kind;

/* One stored item. `seq` numbers puts so that equal priorities stay FIFO. */
typedef struct hd__queue_entry {
  int64_t priority;
  int64_t item;
  uint64_t seq;
} hd__queue_entry;

/* Invariants (all fields change only inside `mon`):
 *   - count <= cap; maxsize == 0 or count <= maxsize; a bounded queue has
 *     cap == maxsize from init on and never allocates again;
 *   - FIFO/LIFO: the items are buf[(head + i) % cap], i = 0..count-1, oldest
 *     first; PRIORITY: head == 0 and buf[0..count) is a binary min-heap on
 *     (priority, seq);
 *   - unfinished_tasks counts puts not yet matched by task_done() (immediate
 *     shutdown forgives the items it discards);
 *   - is_shutdown only goes from false to true;
 *   - full_why is "put: queue full (n/n)", interned (traces keep it after
 *     the queue is gone), for deadlock reports: it names the queue's state
 *     beside the blocked producer. */
typedef struct hd_queue {
  hd__mon mon;
  hd_queue_kind kind;
  size_t maxsize;
  hd__queue_entry *buf;
  size_t cap, head, count;
  uint64_t next_seq;
  uint64_t unfinished_tasks;
  bool is_shutdown;
  const char *full_why;
} hd_queue;

/* Queue(maxsize): 0 means unbounded. A bounded queue allocates its whole ring
 * here. HD_ENOMEM when the allocation fails (the queue is then unusable). */
hd_err hd_queue_init(hd_queue *q, hd_queue_kind kind, size_t maxsize, const char *name);
/* Frees the storage; no thread may be using the queue. */
void hd_queue_destroy(hd_queue *q);

/* put(item): blocks while full. */
#define hd_queue_put(q, item) hd_queue_put_at((q), (item), (item), true, HD_FOREVER, __FILE__, __LINE__)
/* put(item, block, timeout). */
#define hd_queue_put_timed(q, item, block, timeout) \
  hd_queue_put_at((q), (item), (item), (block), (timeout), __FILE__, __LINE__)
/* put_nowait(item) == put(item, block=False). */
#define hd_queue_put_nowait(q, item) hd_queue_put_at((q), (item), (item), false, HD_FOREVER, __FILE__, __LINE__)
/* put((priority, item), block, timeout) on a priority queue. */
#define hd_queue_put_priority(q, priority, item, block, timeout) \
  hd_queue_put_at((q), (priority), (item), (block), (timeout), __FILE__, __LINE__)
/* HD_OK, HD_EFULL (non-blocking and full, or timed out), HD_ESHUTDOWN,
 * HD_EINVAL (negative timeout on a bounded queue, as Python checks it only
 * there), HD_ENOMEM (an unbounded queue could not grow). */
hd_err hd_queue_put_at(hd_queue *q, int64_t priority, int64_t item, bool block, double timeout, const char *file,
                       int line);

/* get(): blocks while empty; the item goes to *item_out. */
#define hd_queue_get(q, item_out) hd_queue_get_at((q), (item_out), NULL, true, HD_FOREVER, __FILE__, __LINE__)
#define hd_queue_get_timed(q, item_out, block, timeout) \
  hd_queue_get_at((q), (item_out), NULL, (block), (timeout), __FILE__, __LINE__)
#define hd_queue_get_nowait(q, item_out) hd_queue_get_at((q), (item_out), NULL, false, HD_FOREVER, __FILE__, __LINE__)
/* get() returning the (priority, item) pair of a priority queue. */
#define hd_queue_get_priority(q, priority_out, item_out, block, timeout) \
  hd_queue_get_at((q), (item_out), (priority_out), (block), (timeout), __FILE__, __LINE__)
/* HD_OK, HD_EEMPTY (non-blocking and empty, or timed out), HD_ESHUTDOWN (shut
 * down and empty), HD_EINVAL (negative timeout with block). The out
 * parameters may be NULL and are written only on HD_OK. */
hd_err hd_queue_get_at(hd_queue *q, int64_t *item_out, int64_t *priority_out, bool block, double timeout,
                       const char *file, int line);

/* qsize(), empty(), full(): snapshots, as in Python. */
#define hd_queue_qsize(q) hd_queue_qsize_at((q), __FILE__, __LINE__)
#define hd_queue_empty(q) (hd_queue_qsize_at((q), __FILE__, __LINE__) == 0)
#define hd_queue_full(q) hd_queue_full_at((q), __FILE__, __LINE__)
size_t hd_queue_qsize_at(hd_queue *q, const char *file, int line);
bool hd_queue_full_at(hd_queue *q, const char *file, int line);
/* The is_shutdown attribute. */
#define hd_queue_is_shutdown(q) hd_queue_is_shutdown_at((q), __FILE__, __LINE__)
bool hd_queue_is_shutdown_at(hd_queue *q, const char *file, int line);

/* task_done(): HD_EINVAL plus misuse when called more times than items were put. */
#define hd_queue_task_done(q) hd_queue_task_done_at((q), __FILE__, __LINE__)
hd_err hd_queue_task_done_at(hd_queue *q, const char *file, int line);
/* join(): blocks until every item put has been matched by task_done() (or
 * discarded by an immediate shutdown). */
#define hd_queue_join(q) hd_queue_join_at((q), __FILE__, __LINE__)
void hd_queue_join_at(hd_queue *q, const char *file, int line);

/* shutdown(immediate): later puts fail with HD_ESHUTDOWN; gets drain what is
 * left, then fail. immediate=true also discards the items (counting them as
 * done for join) so every blocked get, put and join returns at once. */
#define hd_queue_shutdown(q, immediate) hd_queue_shutdown_at((q), (immediate), __FILE__, __LINE__)
void hd_queue_shutdown_at(hd_queue *q, bool immediate, const char *file, int line);

#endif

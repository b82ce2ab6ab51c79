/* Queue over one monitor: Python's three conditions (not_empty, not_full,
 * all_tasks_done) collapse into the monitor's single wait queue, and every
 * waiter loops on its own predicate. Storage is a ring (FIFO, LIFO) or a
 * binary heap (PRIORITY) in one array. */
#include "primitives/queue.h"

#include "primitives/intern.h"

#include <stdlib.h>
#include <string.h>

static const char GET_WHY[] = "get: queue empty";
static const char JOIN_WHY[] = "join: unfinished tasks";

hd_err hd_queue_init(hd_queue *q, hd_queue_kind kind, size_t maxsize, const char *name) {
  memset(q, 0, sizeof *q);
  q->full_why = "put: queue full";
  hd__mon_init(&q->mon, kind == HD_QUEUE_LIFO ? "LifoQueue" : kind == HD_QUEUE_PRIORITY ? "PriorityQueue" : "Queue",
               name);
  q->kind = kind;
  q->maxsize = maxsize;
  q->cap = maxsize ? maxsize : 16;
  if (q->cap > SIZE_MAX / sizeof *q->buf) return HD_ENOMEM;
  q->buf = hd__alloc(&q->mon.obj, q->cap * sizeof *q->buf);
  if (!q->buf) {
    q->cap = 0;
    return HD_ENOMEM;
  }
  q->full_why = hd__internf("put: queue full (%zu/%zu)", maxsize, maxsize);
  if (!q->full_why) q->full_why = "put: queue full";
  return HD_OK;
}

void hd_queue_destroy(hd_queue *q) {
  hd__mon_destroy(&q->mon);
  hd__free(&q->mon.obj, q->buf);
  q->buf = NULL;
  q->cap = q->count = 0;
}

/* ---- storage (inside the monitor) ---------------------------------------------- */

static bool entry_less(const hd__queue_entry *a, const hd__queue_entry *b) {
  return a->priority < b->priority || (a->priority == b->priority && a->seq < b->seq);
}

/* Doubles an unbounded queue's array, unrolling the ring to start at 0. */
static bool grow(hd_queue *q) {
  if (q->cap > SIZE_MAX / 2 / sizeof *q->buf) return false;
  size_t cap = q->cap * 2;
  hd__queue_entry *buf = hd__alloc(&q->mon.obj, cap * sizeof *buf);
  if (!buf) return false;
  for (size_t i = 0; i < q->count; i++) buf[i] = q->buf[(q->head + i) % q->cap];
  hd__free(&q->mon.obj, q->buf);
  q->buf = buf;
  q->cap = cap;
  q->head = 0;
  return true;
}

static void push(hd_queue *q, int64_t priority, int64_t item) {
  hd__queue_entry e = {.priority = priority, .item = item, .seq = q->next_seq++};
  if (q->kind != HD_QUEUE_PRIORITY) {
    q->buf[(q->head + q->count) % q->cap] = e;
    q->count++;
    return;
  }
  size_t i = q->count++;
  while (i > 0) { /* sift up */
    size_t parent = (i - 1) / 2;
    if (!entry_less(&e, &q->buf[parent])) break;
    q->buf[i] = q->buf[parent];
    i = parent;
  }
  q->buf[i] = e;
}

static hd__queue_entry pop(hd_queue *q) {
  hd__queue_entry e;
  if (q->kind == HD_QUEUE_FIFO) {
    e = q->buf[q->head];
    q->head = (q->head + 1) % q->cap;
    q->count--;
    return e;
  }
  if (q->kind == HD_QUEUE_LIFO) {
    q->count--;
    return q->buf[(q->head + q->count) % q->cap];
  }
  e = q->buf[0];
  hd__queue_entry last = q->buf[--q->count];
  size_t i = 0;
  for (;;) { /* sift down */
    size_t child = 2 * i + 1;
    if (child >= q->count) break;
    if (child + 1 < q->count && entry_less(&q->buf[child + 1], &q->buf[child])) child++;
    if (!entry_less(&q->buf[child], &last)) break;
    q->buf[i] = q->buf[child];
    i = child;
  }
  if (q->count) q->buf[i] = last;
  return e;
}

static bool is_full(const hd_queue *q) { return q->maxsize > 0 && q->count >= q->maxsize; }

/* ---- operations ------------------------------------------------------------------ */

hd_err hd_queue_put_at(hd_queue *q, int64_t priority, int64_t item, bool block, double timeout, const char *file,
                       int line) {
  hd__point(&q->mon.obj, HD_OP_PUT, file, line);
  hd__note_value(item);
  if (hd__check_timeout(timeout, file, line) != HD_OK) return HD_EINVAL;
  hd_err err = HD_OK;
  hd__mon_enter(&q->mon);
  if (q->is_shutdown) {
    err = HD_ESHUTDOWN;
  } else if (q->maxsize > 0) {
    if (block && timeout < 0 && timeout != HD_FOREVER) {
      hd__mon_exit(&q->mon);
      hd__misuse(file, line, "'timeout' must be a non-negative number");
      return HD_EINVAL;
    }
    int64_t deadline = block ? hd__deadline_after(timeout) : 0;
    while (is_full(q) && !q->is_shutdown) {
      if (!block) {
        err = HD_EFULL;
        break;
      }
      if (!hd__mon_wait(&q->mon, deadline, q->full_why) && is_full(q) && !q->is_shutdown) {
        err = HD_EFULL;
        break;
      }
    }
    if (err == HD_OK && q->is_shutdown) err = HD_ESHUTDOWN;
  }
  if (err == HD_OK && q->count == q->cap && !grow(q)) err = HD_ENOMEM;
  if (err == HD_OK) {
    push(q, priority, item);
    q->unfinished_tasks++;
    hd__mon_notify_all(&q->mon);
  }
  hd__mon_exit(&q->mon);
  return err;
}

hd_err hd_queue_get_at(hd_queue *q, int64_t *item_out, int64_t *priority_out, bool block, double timeout,
                       const char *file, int line) {
  hd__point(&q->mon.obj, HD_OP_GET, file, line);
  if (hd__check_timeout(timeout, file, line) != HD_OK) return HD_EINVAL;
  hd_err err = HD_OK;
  hd__mon_enter(&q->mon);
  if (q->is_shutdown && q->count == 0) {
    err = HD_ESHUTDOWN;
  } else if (!block) {
    if (q->count == 0) err = HD_EEMPTY;
  } else if (timeout < 0 && timeout != HD_FOREVER) {
    hd__mon_exit(&q->mon);
    hd__misuse(file, line, "'timeout' must be a non-negative number");
    return HD_EINVAL;
  } else {
    int64_t deadline = hd__deadline_after(timeout);
    while (q->count == 0) {
      bool notified = hd__mon_wait(&q->mon, deadline, GET_WHY);
      if (q->is_shutdown && q->count == 0) {
        err = HD_ESHUTDOWN;
        break;
      }
      if (!notified && q->count == 0) {
        err = HD_EEMPTY;
        break;
      }
    }
  }
  if (err == HD_OK) {
    hd__queue_entry e = pop(q);
    if (item_out) *item_out = e.item;
    if (priority_out) *priority_out = e.priority;
    hd__note_value(e.item);
    hd__mon_notify_all(&q->mon);
  }
  hd__mon_exit(&q->mon);
  return err;
}

size_t hd_queue_qsize_at(hd_queue *q, const char *file, int line) {
  hd__point(&q->mon.obj, HD_OP_QUERY, file, line);
  hd__mon_enter(&q->mon);
  size_t n = q->count;
  hd__mon_exit(&q->mon);
  return n;
}

bool hd_queue_full_at(hd_queue *q, const char *file, int line) {
  hd__point(&q->mon.obj, HD_OP_QUERY, file, line);
  hd__mon_enter(&q->mon);
  bool full = is_full(q);
  hd__mon_exit(&q->mon);
  return full;
}

bool hd_queue_is_shutdown_at(hd_queue *q, const char *file, int line) {
  hd__point(&q->mon.obj, HD_OP_QUERY, file, line);
  hd__mon_enter(&q->mon);
  bool down = q->is_shutdown;
  hd__mon_exit(&q->mon);
  return down;
}

hd_err hd_queue_task_done_at(hd_queue *q, const char *file, int line) {
  hd__point(&q->mon.obj, HD_OP_UPDATE, file, line);
  hd__mon_enter(&q->mon);
  if (q->unfinished_tasks == 0) {
    hd__mon_exit(&q->mon);
    hd__misuse(file, line, "task_done() called too many times");
    return HD_EINVAL;
  }
  if (--q->unfinished_tasks == 0) hd__mon_notify_all(&q->mon);
  hd__mon_exit(&q->mon);
  return HD_OK;
}

void hd_queue_join_at(hd_queue *q, const char *file, int line) {
  hd__point(&q->mon.obj, HD_OP_JOIN, file, line);
  hd__mon_enter(&q->mon);
  while (q->unfinished_tasks > 0) hd__mon_wait(&q->mon, HD__NEVER, JOIN_WHY);
  hd__mon_exit(&q->mon);
}

void hd_queue_shutdown_at(hd_queue *q, bool immediate, const char *file, int line) {
  hd__point(&q->mon.obj, HD_OP_CANCEL, file, line);
  hd__mon_enter(&q->mon);
  q->is_shutdown = true;
  if (immediate) {
    while (q->count > 0) {
      pop(q);
      if (q->unfinished_tasks > 0) q->unfinished_tasks--;
    }
  }
  /* Getters re-check for emptiness, putters for shutdown, joiners for the count. */
  hd__mon_notify_all(&q->mon);
  hd__mon_exit(&q->mon);
}

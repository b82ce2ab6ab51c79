/* Wakeup trees (wakeup.h says what they are and cites the paper). */
#include "harness/strategies/wakeup.h"

#include <stdlib.h>

typedef struct hd_wnode {
  hd_wstep step;
  int32_t first, last, next; /* children, and the next sibling; -1 none (next: the free list's link when free) */
} hd_wnode;

/* A node from the free list (0 ends it: index 0 is never used), else a new one. */
static int32_t take_node(hd_wtree *t) {
  if (t->free_list > 0) {
    int32_t x = t->free_list;
    t->free_list = t->nodes[x].next;
    return x;
  }
  if (t->n == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 256;
    hd_wnode *p = realloc(t->nodes, cap * sizeof *p);
    if (!p) return -1;
    t->nodes = p;
    t->cap = cap;
  }
  if (t->n == 0) t->n = 1; /* index 0 is never used: 0 ends the free list */
  return (int32_t)t->n++;
}

static int32_t new_node(hd_wtree *t, const hd_wstep *step) {
  int32_t x = take_node(t);
  if (x < 0) return -1;
  t->nodes[x] = (hd_wnode){.step = step ? *step : (hd_wstep){.tid = -1}, .first = -1, .last = -1, .next = -1};
  return x;
}

int32_t hd_wtree_root(hd_wtree *t) { return new_node(t, NULL); }
int32_t hd_wtree_first(const hd_wtree *t, int32_t x) { return t->nodes[x].first; }
int32_t hd_wtree_next(const hd_wtree *t, int32_t c) { return t->nodes[c].next; }
const hd_wstep *hd_wtree_step(const hd_wtree *t, int32_t x) { return &t->nodes[x].step; }

int32_t hd_wtree_append(hd_wtree *t, int32_t x, const hd_wstep *step) {
  int32_t c = new_node(t, step);
  if (c < 0) return -1;
  if (t->nodes[x].last >= 0) t->nodes[t->nodes[x].last].next = c;
  else t->nodes[x].first = c;
  t->nodes[x].last = c;
  return c;
}

/* Frees x's subtree, x included. */
static void free_subtree(hd_wtree *t, int32_t x) {
  for (int32_t c = t->nodes[x].first; c >= 0;) {
    int32_t next = t->nodes[c].next;
    free_subtree(t, c);
    c = next;
  }
  t->nodes[x].next = t->free_list;
  t->free_list = x;
}

void hd_wtree_remove(hd_wtree *t, int32_t x, int32_t c) {
  int32_t prev = -1;
  for (int32_t k = t->nodes[x].first; k >= 0; prev = k, k = t->nodes[k].next) {
    if (k != c) continue;
    int32_t next = t->nodes[k].next;
    if (prev >= 0) t->nodes[prev].next = next;
    else t->nodes[x].first = next;
    if (t->nodes[x].last == k) t->nodes[x].last = prev;
    free_subtree(t, k);
    return;
  }
}

bool hd_wseq_weak_initial(const hd_wseq *w, const bool *gone, int32_t tid, const hd_wstep *next) {
  for (size_t m = 0; m < w->n; m++) {
    if ((gone && gone[m]) || w->steps[m].tid != tid) continue;
    /* Its first step in w: an initial unless something before it in w
     * happens before it. */
    for (size_t l = 0; l < m; l++)
      if (!(gone && gone[l]) && w->ordered(w->ctx, l, m)) return false;
    return true;
  }
  for (size_t b = 0; b < w->n; b++)
    if (!(gone && gone[b]) && w->conflicts(w->ctx, next, b)) return false;
  return true;
}

int32_t hd_wtree_insert(hd_wtree *t, int32_t root, const hd_wseq *w) {
  bool *gone = calloc(w->n ? w->n : 1, sizeof *gone);
  if (!gone) return -1;
  size_t left = w->n;
  int32_t x = root;
  int32_t result = -1;
  for (;;) {
    if (left == 0 || (x != root && t->nodes[x].first < 0)) break; /* covered by what is there */
    int32_t match = -1;
    for (int32_t c = t->nodes[x].first; c >= 0 && match < 0; c = t->nodes[c].next)
      if (hd_wseq_weak_initial(w, gone, t->nodes[c].step.tid, &t->nodes[c].step)) match = c;
    if (match < 0) {
      /* Append what is left of w under x, in order. */
      int32_t at = x;
      for (size_t m = 0; m < w->n; m++) {
        if (gone[m]) continue;
        int32_t c = hd_wtree_append(t, at, &w->steps[m]);
        if (c < 0) break;
        if (at == root) result = c;
        else if (result < 0) result = 0;
        at = c;
      }
      break;
    }
    int32_t tid = t->nodes[match].step.tid;
    for (size_t m = 0; m < w->n; m++)
      if (!gone[m] && w->steps[m].tid == tid) {
        gone[m] = true;
        left--;
        break;
      }
    x = match;
  }
  free(gone);
  return result;
}

void hd_wtree_release(hd_wtree *t) {
  free(t->nodes);
  *t = (hd_wtree){0};
}

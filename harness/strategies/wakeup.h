/* Wakeup trees, for optimal DPOR (Abdulla, Aronis, Jonsson, Sagonas,
 * "Source sets: a foundation for optimal dynamic partial order reduction",
 * JACM 64(4), 2017, section 6).
 *
 * The contract. A wakeup tree belongs to a node of dfs's path: an ordered
 * tree of steps (a thread and the operation it is about to do), each path
 * from its root a sequence the search must follow from that node before it
 * chooses freely again. The children of the root are the node's branches
 * still to explore, leftmost first; the subtree of a child is what its
 * branch's node inherits. Trees of all nodes live in one pool (hd_wtree),
 * addressed by index; removing a branch frees its subtree.
 *
 * Insertion needs two facts about a sequence w the race analysis built
 * (events of the current execution, in order): whether w[a] happens
 * before w[b], and whether a step outside w conflicts with w[b]. A
 * thread is a weak initial of w when its first step in w has no
 * predecessor in w, or when it has no step in w and its next step
 * conflicts with none of w (section 6's WI). A caller that cannot tell
 * answers "ordered" or "conflicts": insertion then adds a branch rather than
 * trust a match, which is the safe side. */
#ifndef HD_STRATEGIES_WAKEUP_H
#define HD_STRATEGIES_WAKEUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A step: its thread, and the operation (object, kind, whether it was a
 * blocked attempt: a read). `opaque`: its conflicts are not all in those
 * (the caller's conflicts() then says it conflicts with everything). */
typedef struct hd_wstep {
  int32_t tid;
  uint32_t obj;
  uint8_t op;
  bool attempt;
  bool opaque;
} hd_wstep;

typedef struct hd_wtree {
  struct hd_wnode *nodes;
  size_t n, cap;
  int32_t free_list;
} hd_wtree;

/* What insertion asks of the sequence it inserts (see above). */
typedef struct hd_wseq {
  const hd_wstep *steps;
  size_t n;
  bool (*ordered)(void *ctx, size_t a, size_t b);              /* steps[a] happens before steps[b], a < b */
  bool (*conflicts)(void *ctx, const hd_wstep *x, size_t b);   /* a step not in the sequence, with steps[b] */
  void *ctx;
} hd_wseq;

/* A new empty tree's root, or -1 when out of memory. */
int32_t hd_wtree_root(hd_wtree *t);
/* x's first child, the child after c, its step. */
int32_t hd_wtree_first(const hd_wtree *t, int32_t x);
int32_t hd_wtree_next(const hd_wtree *t, int32_t c);
const hd_wstep *hd_wtree_step(const hd_wtree *t, int32_t x);
/* Appends a child with `step` under x (rightmost); -1 when out of memory. */
int32_t hd_wtree_append(hd_wtree *t, int32_t x, const hd_wstep *step);
/* Removes child c of x and frees its subtree. */
void hd_wtree_remove(hd_wtree *t, int32_t x, int32_t c);
/* Thread `tid` about to take `next` (used when it has no step in w) is a
 * weak initial of w with the steps marked in `gone` left out (gone may be
 * NULL). */
bool hd_wseq_weak_initial(const hd_wseq *w, const bool *gone, int32_t tid, const hd_wstep *next);
/* Inserts w under root: follows the children that are weak initials of
 * what is left of w (removing their thread's step from it); a leaf reached,
 * or nothing left, means a sequence that covers w is there already;
 * otherwise what is left is appended as a new rightmost path. Returns the
 * first node appended under the root when the root gained a child, 0 when
 * it was appended deeper, -1 when nothing was added (or out of memory). */
int32_t hd_wtree_insert(hd_wtree *t, int32_t root, const hd_wseq *w);
void hd_wtree_release(hd_wtree *t);

#endif

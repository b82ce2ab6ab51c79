/* dfs --reads-from: exhaustive search modulo reads-from equivalence.
 *
 * Two executions are reads-from equivalent when they run the same events and
 * every read reads the value of the same write (Abdulla, Atig, Jonsson, Lång,
 * Ngo, Sagonas, "Optimal stateless model checking for reads-from equivalence
 * under sequential consistency", OOPSLA 2019). Unlike Mazurkiewicz traces,
 * the order of two writes nobody reads between is not part of the class: N
 * writers of one variable and one reader are N + 1 classes (what the reader
 * sees), not (N + 1)!.
 *
 * The search builds execution graphs event by event, in the manner of
 * TruSt (Kokologiannakis, Marmanis, Gladstein, Vafeiadis, "Truly stateless,
 * optimal dynamic partial order reduction", POPL 2022), with the program
 * itself as the oracle for each thread's next event: a graph G is realised
 * by running a schedule that is a linearisation of it (its witness), and is
 * extended by the canonical scheduler, which always runs the lowest thread
 * that can go on. Each new event that reads chooses what it reads:
 *   - the write the run gave it (the latest), which the run goes on with;
 *   - any other write already in G, when a witness exists (found by
 *     `witness`, a search over linearisations with a failure cache: checking
 *     a reads-from graph is NP-complete in general, Gibbons and Korach 1997);
 *   - a write not in G yet: the read is postponed (its thread waits), and
 *     each later write to its location by another thread may resolve it.
 * Where TruSt revisits reads backwards when a later write appears,
 * postponing them forwards is what makes every graph come from exactly one
 * path (so no duplicate needs detecting): given a complete consistent graph
 * H, the path to it is forced (at each read, the write H gives it if it is
 * in G, else wait; at each write, resolve exactly the waiting reads H gives
 * it), and every graph on the way is a restriction of H, so consistent.
 * The price is branches that wait for a write that never comes: they end
 * stuck, and are counted as wasted executions.
 *
 * What a step reads and writes: instrumented and tracked memory (a load
 * reads, a store writes, an atomic update does both). Every other object's
 * operations are read-modify-writes of the object (read-only ones are
 * reads), so their order is kept as Mazurkiewicz keeps it; blocked
 * attempts (an acquire or join that blocks, a condition wait's check) are
 * not events at all: they change nothing, and the retry is the event.
 * Threads: a thread's first step follows the step that created it; a join
 * reads the thread's exit. Moves of the virtual clock are barriers (every
 * thread was blocked). The end of a program that abandons threads is the
 * last event, and which steps came before it is what it "reads": it may
 * wait while others take steps (a branch per step it could follow), and a
 * thread it may abandon may stop before any of its steps the end does not
 * depend on (a frozen thread: "the end of the program" below). Not
 * modelled, so the search stops and says so: thread slots reused after a
 * join, thread ids that depend on the schedule. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/strategies/helpers.h"
#include "harness/strategies/strategy.h"

typedef enum rf_kind {
  RF_LOCAL,   /* on no object */
  RF_READ,    /* reads its location */
  RF_WRITE,   /* writes it */
  RF_RMW,     /* reads it, then writes it, atomically */
  RF_JOIN,    /* reads a thread's exit: no choice */
  RF_JOINALL, /* main waiting for every other thread at its end */
  RF_END,     /* the end of the program abandoning the threads still running: last */
  RF_FROZEN,  /* (a wait's kind) the thread never runs again: the end abandons it */
  RF_TICK,    /* the virtual clock moved (tid -1): nothing could run, so everything before
                 it in the run stays before it, everything after it after it */
} rf_kind;

typedef struct rf_event {
  int32_t tid;
  uint32_t loc;     /* canonical location (see `locate`), 0 for none */
  int32_t rf;       /* the event read from, -1 for the initial value */
  int32_t creator;  /* a thread's first event: the event that created the thread (-1: none); else -2 */
  int64_t key;      /* where it ran in the last run that ran it (twice the position), for witnesses */
  uint32_t node;    /* a read that may wait (see "waiting lazily"): its number, else 0 */
  uint32_t fnode;   /* a step of a thread the end may abandon: its number, else 0 */
  int32_t since;    /* a postponed read resolved: when it began to wait (graph size); else -1 */
  uint8_t op, kind;
  bool fresh;       /* not run yet (a postponed read resolved): it may turn out to block */
  bool held;        /* its thread held its object (hd_pending.holds) */
} rf_event;

typedef struct rf_wait { /* a postponed read: thread `tid` waits for a later write to `loc` */
  int32_t tid;
  uint32_t loc;
  int32_t since; /* the graph's size when it began to wait */
  uint8_t op, kind;
} rf_wait;

typedef struct rf_draw { /* thread tid's n-th hd_random_below draw */
  int32_t tid;
  uint32_t n;
  int32_t stamp; /* drawn in the step of event `stamp` (the graph's size then) */
  uint64_t value;
} rf_draw;

typedef struct rf_branch {
  rf_event *events;
  rf_wait *waits;
  rf_draw *draws;
  size_t nevents, nwaits, ndraws;
  bool search; /* a read was moved before later writes: the order needs a witness */
} rf_branch;

typedef enum rf_mode { RF_REPLAY, RF_EXTEND, RF_FINISH } rf_mode;

/* A witness search gives up after this many steps (and the search says it
 * stopped incomplete). */
#define RF_WITNESS_BUDGET 4000000u

typedef struct rf_state {
  rf_branch *stack;
  size_t nstack, cap_stack;
  bool started;
  char why[256]; /* set: the search stopped, not complete */

  /* The graph of the current execution: the branch's events, then the new ones. */
  rf_event *ev;
  size_t nev, cap_ev;
  rf_wait *waits;
  size_t nwaits, cap_waits;
  rf_draw *draws;
  size_t ndraws, cap_draws;
  int32_t *order; /* events to replay, in order */
  size_t norder, at, cap_order;
  rf_mode mode;
  bool fruitless; /* stuck: every thread left waits for a write that never came */
  uint64_t pos;   /* steps committed in this run */

  /* Per run. */
  int32_t *cur; /* per location: the latest write, -1 initial */
  size_t cap_cur;
  uint32_t nlocs;  /* locations named so far in this graph */
  uint32_t *map_obj, *map_loc; /* open addressing: run object id -> location */
  size_t map_cap, map_n;
  int32_t tcount[HD_MAX_THREADS];  /* events of each thread so far */
  int32_t gcount[HD_MAX_THREADS];  /* events of each thread in the branch's graph */
  int32_t creator[HD_MAX_THREADS]; /* the event that created it */
  uint32_t tloc[HD_MAX_THREADS];   /* the location of its Thread object, 0 unknown */
  uint32_t ndraws_of[HD_MAX_THREADS];
  bool finished[HD_MAX_THREADS];
  int known;
  int running;
  int32_t last_stamp;    /* the event committed last, -1 none */
  int yielded;           /* the thread whose yield or sleep was committed last, -1 none */
  const hd_pending *pending; /* the engine's, from the last decision */
  bool others_could_run;     /* when the picked step is an end of the program: another thread could run */
  int nthreads;
  int picked; /* the thread of the step being run, -1 none */
  hd_pending picked_pending;
  bool picked_replay;
  bool picked_probe; /* an attempt run again to block, as it did before the clock moved */
  bool picked_resume; /* a thread woken from a spin, going on to its read */
  bool parked[HD_MAX_THREADS]; /* blocked in a spin (or woken from one, not run since) */
  bool abandonable[HD_MAX_THREADS]; /* the end of the program may abandon it (hd_pending.abandonable) */
  bool ended;                       /* the run committed an end of the program */
  bool moved;                       /* the branch moved a read: its graph is new once replayed */

  /* Vector clocks of the graph's events over program order, reads-from and
   * creation (stamp order is a topological order of those), for the first
   * `nvc`; `width` threads each. */
  uint32_t *vc;
  int32_t *tidx; /* an event's index among its thread's events */
  int32_t vlast[HD_MAX_THREADS]; /* each thread's last event among the first nvc */
  size_t cap_vc, cap_tidx, nvc;
  int width;
  uint32_t *vc_e; /* scratch: a new read's clock */
  size_t cap_vc_e;

  /* Reads that may wait, by number: whether their waiting branch exists. */
  uint8_t *waited;
  size_t cap_waited;
  uint32_t nnodes;
  uint8_t *porf; /* scratch: the causal past of a write */
  size_t cap_porf;

  /* Witness search scratch. */
  uint64_t *failed;
  size_t failed_cap, failed_n;

  /* For the estimate of what is left (rf_coverage): the search is a tree
   * whose node is a branch run once, its children the branches pushed
   * while it or its descendants run; `path` is the current path, each node
   * with where it was on the stack (its descendants lie above that), the
   * execution it began at and the size of the graph it began with; per
   * such size, the subtrees finished (how many, their executions in all). */
  struct rf_open {
    size_t at;
    uint64_t begun;
    size_t given; /* events its branch began with */
  } *path;
  size_t npath, cap_path;
  struct rf_size {
    uint64_t finished;
    double executions;
  } *sizes;
  size_t nsizes, cap_sizes;
  uint64_t runs; /* branches run so far */

  /* Speculation (--jobs; "helpers" below). */
  hd_helper_slot *specs; /* HD_DFS_MAX_HELPERS slots: a helper that has ended keeps
                          * its slot (and its results) until the search reaches
                          * its branch, while its place goes to the next */
  unsigned max_helpers; /* how many may run at once (the tokens at first) */
  int *tokens;     /* shared by the search and every helper (helpers.h) */
  int (*runner)(void *ctx);
  void *runner_ctx;
  double watchdog;
  size_t floor;    /* the stack's lowest own index: 0 in the search, its branch's in a helper */
  bool is_helper;
  size_t spawn_at; /* the branch the next helper takes */
  uint32_t outside; /* in a helper: reads numbered below this were made before it began */
  uint32_t *touched; /* in a helper: those of them it gave waiting branches, in order */
  size_t ntouched, cap_touched;
  uint64_t budget_left; /* executions the caller will still count */
  uint64_t absorbed_counted, absorbed_wasted; /* taken from helpers, not yet told to the caller */
  uint64_t nwaited, nmade; /* waiting branches made, of reads that could be given one (helpers' too) */
} rf_state;


/* In a helper: a read made before it began was given its waiting branch
 * here, which the search must know (absorb: it may have given it one
 * first, elsewhere). */
static void note_touched(rf_state *s, uint32_t node) {
  if (!hd_grow((void **)&s->touched, &s->cap_touched, s->ntouched + 1, sizeof *s->touched)) _exit(96); /* gives up */
  s->touched[s->ntouched++] = node;
}

static void stop(rf_state *s, const char *why) {
  if (!s->why[0]) snprintf(s->why, sizeof s->why, "reads-from search stopped: %s", why);
  s->mode = RF_FINISH;
}

static bool reads(uint8_t kind) { return kind == RF_READ || kind == RF_RMW || kind == RF_JOIN; }
static bool writes(uint8_t kind) { return kind == RF_WRITE || kind == RF_RMW; }

static rf_kind classify(const hd_pending *p) {
  if (p->op == HD_OP_END) return RF_END;
  if (p->obj_id == 0) return p->op == HD_OP_JOIN ? RF_JOINALL : RF_LOCAL;
  if (p->op == HD_OP_JOIN) return RF_JOIN;
  /* Starting a thread and its exit only publish: joins and queries read them. */
  if (p->op == HD_OP_EXIT || p->op == HD_OP_START || p->op == HD_OP_WRITE) return RF_WRITE;
  if (hd_op_read_only(p->op)) return RF_READ;
  return RF_RMW;
}

/* ---- locations: object ids are handed out as objects are first used, so
 * they depend on the schedule; a location is the object as the graph knows
 * it, bound to the run's id when an event of the graph first touches it. */

static uint32_t map_hash(uint32_t obj, size_t cap) { return (uint32_t)((obj * 0x9e3779b1u) & (cap - 1)); }

static bool map_grow(rf_state *s) {
  size_t cap = s->map_cap ? s->map_cap * 2 : 256;
  uint32_t *o = calloc(cap, sizeof *o), *l = calloc(cap, sizeof *l);
  if (!o || !l) return free(o), free(l), false;
  for (size_t i = 0; i < s->map_cap; i++) {
    if (!s->map_obj[i]) continue;
    uint32_t h = map_hash(s->map_obj[i], cap);
    while (o[h]) h = (h + 1) & (uint32_t)(cap - 1);
    o[h] = s->map_obj[i], l[h] = s->map_loc[i];
  }
  free(s->map_obj), free(s->map_loc);
  s->map_obj = o, s->map_loc = l, s->map_cap = cap;
  return true;
}

/* Where `obj` is in the map, or the free slot where it would go. */
static uint32_t map_probe(const rf_state *s, uint32_t obj) {
  uint32_t h = map_hash(obj, s->map_cap);
  while (s->map_obj[h] && s->map_obj[h] != obj) h = (h + 1) & (uint32_t)(s->map_cap - 1);
  return h;
}

static uint32_t *map_slot(rf_state *s, uint32_t obj, bool *found) {
  if ((s->map_n + 1) * 2 > s->map_cap && !map_grow(s)) return NULL;
  uint32_t h = map_probe(s, obj);
  *found = s->map_obj[h] == obj;
  if (!*found) s->map_obj[h] = obj;
  return &s->map_loc[h];
}

/* The location of run object `obj`, binding it to `want` (nonzero) or to a
 * new location; 0 when `want` is bound to another object (the program is
 * not the one the graph came from). */
static uint32_t locate(rf_state *s, uint32_t obj, uint32_t want) {
  if (obj == 0 || obj == HD_OBJ_ALL) return 0; /* none, or the end of the program's "everything" */
  bool found;
  uint32_t *slot = map_slot(s, obj, &found);
  if (!slot) return 0;
  if (found) return want && *slot != want ? 0 : *slot;
  s->map_n++;
  uint32_t loc = want ? want : ++s->nlocs;
  *slot = loc;
  if (!hd_grow((void **)&s->cur, &s->cap_cur, (size_t)loc + 1, sizeof *s->cur)) return 0;
  if (!want) s->cur[loc] = -1; /* new: nothing wrote it yet */
  return loc;
}

/* The location bound to run object `obj`, 0 if none yet. */
static uint32_t lookup(const rf_state *s, uint32_t obj) {
  if (obj == 0 || !s->map_cap) return 0;
  uint32_t h = map_probe(s, obj);
  return s->map_obj[h] == obj ? s->map_loc[h] : 0;
}

/* ---- branches ---- */

static void branch_free(rf_branch *b) {
  free(b->events);
  free(b->waits);
  free(b->draws);
}

/* memcpy of n elements, which may be none from a buffer never allocated. */
static void copy(void *dst, const void *src, size_t n, size_t size) {
  if (n) memcpy(dst, src, n * size);
}

static void *dup_array(const void *p, size_t n, size_t size) {
  if (n == 0) return NULL;
  void *q = malloc(n * size);
  if (q) memcpy(q, p, n * size);
  return q;
}

/* Pushes the current graph's first `nev` events plus `extra` (n of them),
 * the current waits, and the draws plus `draw` (NULL: none). */
static void push(rf_state *s, size_t nev, const rf_event *extra, size_t nextra, const rf_draw *draw, bool search) {
  if (!hd_grow((void **)&s->stack, &s->cap_stack, s->nstack + 1, sizeof *s->stack)) {
    stop(s, "out of memory");
    return;
  }
  rf_branch b = {.nevents = nev + nextra, .search = search};
  b.events = malloc((b.nevents ? b.nevents : 1) * sizeof *b.events);
  b.waits = malloc((s->nwaits + 1) * sizeof *b.waits);
  b.draws = malloc((s->ndraws + 1) * sizeof *b.draws);
  if (!b.events || !b.waits || !b.draws) {
    branch_free(&b);
    stop(s, "out of memory");
    return;
  }
  copy(b.events, s->ev, nev, sizeof *b.events);
  copy(b.events + nev, extra, nextra, sizeof *extra);
  copy(b.waits, s->waits, s->nwaits, sizeof *b.waits);
  b.nwaits = s->nwaits;
  copy(b.draws, s->draws, s->ndraws, sizeof *b.draws);
  b.ndraws = s->ndraws;
  if (draw) b.draws[b.ndraws++] = *draw;
  s->stack[s->nstack++] = b;
}

/* ---- witnesses ---- */

static uint64_t mix(uint64_t x) { return hd_splitmix64(&x); }

/* The cache's keys are never 0 (its empty slot). */
static uint64_t failed_key(uint64_t h) { return h ? h : 1; }

static bool failed_has(const rf_state *s, uint64_t h) {
  h = failed_key(h);
  if (!s->failed_cap) return false;
  for (size_t i = h & (s->failed_cap - 1);; i = (i + 1) & (s->failed_cap - 1)) {
    if (s->failed[i] == h) return true;
    if (!s->failed[i]) return false;
  }
}

static bool failed_add(rf_state *s, uint64_t h) {
  h = failed_key(h);
  if ((s->failed_n + 1) * 2 > s->failed_cap) {
    size_t cap = s->failed_cap ? s->failed_cap * 2 : 1024;
    uint64_t *t = calloc(cap, sizeof *t);
    if (!t) return false;
    for (size_t i = 0; i < s->failed_cap; i++)
      if (s->failed[i])
        for (size_t j = s->failed[i] & (cap - 1);; j = (j + 1) & (cap - 1))
          if (!t[j]) {
            t[j] = s->failed[i];
            break;
          }
    free(s->failed);
    s->failed = t, s->failed_cap = cap;
  }
  for (size_t i = h & (s->failed_cap - 1);; i = (i + 1) & (s->failed_cap - 1))
    if (!s->failed[i]) {
      s->failed[i] = h;
      s->failed_n++;
      return true;
    }
}

/* A linearisation of the events (into s->order) in which every read reads
 * the write the graph gives it, no step runs before the step that created
 * its thread, a join follows the exit, and main's final wait follows every
 * other thread's events. Depth-first over which thread goes next, the
 * earliest-keyed first (the last run's order, a moved read right after its
 * write), with a cache of states known to lead nowhere (the threads'
 * positions and every location's latest write). 1: found; 0: none; -1: out
 * of budget or memory. */
static int witness(rf_state *s, const rf_event *e, size_t n) {
  int nthreads = 0;
  for (size_t i = 0; i < n; i++)
    if (e[i].tid + 1 > nthreads) nthreads = e[i].tid + 1;
  uint32_t nl = s->nlocs + 1;
  size_t clock = (size_t)nthreads; /* the ticks, in order, are one more thread's events */
  size_t nt = clock + 1;
#define LANE(x) ((x).tid < 0 ? clock : (size_t)(x).tid)
  /* Per thread its events in order; per event the count of its readers. */
  int32_t *first = calloc(nt + 1, sizeof *first), *list = malloc((n + 1) * sizeof *list);
  int32_t *pos = calloc(nt, sizeof *pos), *unread = calloc(n + nl, sizeof *unread);
  int32_t *cur = malloc(nl * sizeof *cur), *done_at = malloc((n + 1) * sizeof *done_at);
  int32_t *prev_cur = malloc((n + 1) * sizeof *prev_cur), *tried = malloc((n + 1) * sizeof *tried);
  int rc = -1;
  if (!first || !list || !pos || !unread || !cur || !done_at || !prev_cur || !tried) goto out;
  for (size_t i = 0; i < n; i++) first[LANE(e[i]) + 1]++;
  for (size_t t = 0; t < nt; t++) first[t + 1] += first[t];
  {
    int32_t *fill = calloc(nt, sizeof *fill);
    if (!fill) goto out;
    for (size_t i = 0; i < n; i++) list[first[LANE(e[i])] + fill[LANE(e[i])]++] = (int32_t)i;
    free(fill);
  }
  /* unread[i] for event i, unread[n + loc] for a location's initial value. */
  for (size_t i = 0; i < n; i++)
    if (reads(e[i].kind)) unread[e[i].rf >= 0 ? (size_t)e[i].rf : n + e[i].loc]++;
  for (uint32_t l = 0; l < nl; l++) cur[l] = -1;
  for (size_t i = 0; i < n; i++) done_at[i] = -1;
  s->failed_n = 0;
  if (s->failed_cap) memset(s->failed, 0, s->failed_cap * sizeof *s->failed);
  if (!hd_grow((void **)&s->order, &s->cap_order, n + 1, sizeof *s->order)) goto out;
  uint64_t h = 0, budget = RF_WITNESS_BUDGET;
  size_t depth = 0;
  tried[0] = -1;
  for (;;) {
    if (depth == n) {
      rc = 1;
      break;
    }
    if (budget-- == 0) break;
    /* The next untried enabled event with the smallest key above tried[depth]'s. */
    int64_t floor_key = tried[depth] >= 0 ? e[tried[depth]].key : INT64_MIN;
    int32_t floor_idx = tried[depth];
    int32_t best = -1;
    bool known_failed = tried[depth] < 0 && failed_has(s, h);
    if (!known_failed) {
      for (size_t t = 0; t < nt; t++) {
        if (first[t] + pos[t] >= first[t + 1]) continue;
        int32_t i = list[first[t] + pos[t]];
        const rf_event *x = &e[i];
        if (x->key < floor_key || (x->key == floor_key && i <= floor_idx)) continue;
        if (best >= 0 && (x->key > e[best].key || (x->key == e[best].key && i > best))) continue;
        if (x->creator >= 0 && done_at[x->creator] < 0) continue;
        /* Ticks are barriers: nothing crosses one. */
        if (t != clock && first[clock] + pos[clock] < first[clock + 1] && e[list[first[clock] + pos[clock]]].key < x->key)
          continue;
        if (t == clock) {
          bool before_done = true;
          for (size_t u = 0; u < clock && before_done; u++)
            if (first[u] + pos[u] < first[u + 1] && e[list[first[u] + pos[u]]].key < x->key) before_done = false;
          if (!before_done) continue;
        }
        if (reads(x->kind) && cur[x->loc] != x->rf) continue;
        if (writes(x->kind)) {
          int32_t c = cur[x->loc];
          int32_t left = unread[c >= 0 ? (size_t)c : n + x->loc] - (x->kind == RF_RMW ? 1 : 0);
          if (left > 0) continue;
        }
        if (x->kind == RF_JOINALL || x->kind == RF_END) {
          bool all = true;
          for (size_t u = 0; u < clock && all; u++)
            if ((int)u != x->tid && first[u] + pos[u] < first[u + 1]) all = false;
          if (!all) continue;
        }
        best = i;
      }
    }
    if (best < 0) {
      /* Nothing (more) from this state: remember it, undo the step into it. */
      if (!known_failed && !failed_add(s, h)) break;
      if (depth == 0) {
        rc = 0;
        break;
      }
      depth--;
      int32_t i = s->order[depth];
      const rf_event *x = &e[i];
      pos[LANE(*x)]--;
      h ^= mix(((uint64_t)LANE(*x) << 32 | (uint64_t)pos[LANE(*x)]) + 1);
      done_at[i] = -1;
      if (reads(x->kind)) unread[x->rf >= 0 ? (size_t)x->rf : n + x->loc]++;
      if (writes(x->kind)) {
        h ^= mix((uint64_t)x->loc << 32 | (uint32_t)(cur[x->loc] + 1)) ^ mix((uint64_t)x->loc << 32 | (uint32_t)(prev_cur[depth] + 1));
        cur[x->loc] = prev_cur[depth];
      }
      tried[depth] = i;
      continue;
    }
    tried[depth] = best;
    const rf_event *x = &e[best];
    s->order[depth] = best;
    h ^= mix(((uint64_t)LANE(*x) << 32 | (uint64_t)pos[LANE(*x)]) + 1);
    pos[LANE(*x)]++;
    done_at[best] = (int32_t)depth;
    if (reads(x->kind)) unread[x->rf >= 0 ? (size_t)x->rf : n + x->loc]--;
    prev_cur[depth] = cur[x->loc];
    if (writes(x->kind)) {
      h ^= mix((uint64_t)x->loc << 32 | (uint32_t)(cur[x->loc] + 1)) ^ mix((uint64_t)x->loc << 32 | (uint32_t)(best + 1));
      cur[x->loc] = best;
    }
    depth++;
    tried[depth] = -1;
  }
  if (rc == 1) s->norder = n;
out:
  free(first), free(list), free(pos), free(unread), free(cur), free(done_at), free(prev_cur), free(tried);
  return rc;
#undef LANE
}

/* The order of a branch that needs no search: its events by key. */
static const rf_event *sort_events;
static int cmp_key(const void *a, const void *b) {
  const rf_event *x = &sort_events[*(const int32_t *)a], *y = &sort_events[*(const int32_t *)b];
  if (x->key != y->key) return x->key < y->key ? -1 : 1;
  return *(const int32_t *)a < *(const int32_t *)b ? -1 : 1;
}

/* ---- the strategy ---- */

/* ---- the estimate of what is left ---- */

/* The stack is down to `size`: every node of the path that was taken from
 * above it has its subtree finished (out of memory: not counted). */
static void close_path(rf_state *s, size_t size) {
  while (s->npath > 0 && s->path[s->npath - 1].at > size) {
    const struct rf_open *n = &s->path[--s->npath];
    if (!hd_grow((void **)&s->sizes, &s->cap_sizes, n->given + 1, sizeof *s->sizes)) continue;
    while (s->nsizes <= n->given) s->sizes[s->nsizes++] = (struct rf_size){0};
    s->sizes[n->given].finished++;
    s->sizes[n->given].executions += (double)(s->runs - n->begun);
  }
}

/* The branch just taken from the stack (now `size` long), which began
 * with `given` events, runs: a new node below the path's last. */
static void open_node(rf_state *s, size_t size, size_t given) {
  s->runs++;
  if (!hd_grow((void **)&s->path, &s->cap_path, s->npath + 1, sizeof *s->path)) return;
  s->path[s->npath++] = (struct rf_open){.at = size, .begun = s->runs - 1, .given = given};
}

/* The expected executions of the subtree of a branch that begins with
 * `given` events: the largest average of the finished subtrees of
 * branches that began with as many events or more (a branch fixes less of
 * the run the earlier it is, so its subtree is not expected smaller than
 * a later one's: the averages of single sizes mix waiting branches that
 * end at once with ones that grow a whole tree); 1 when none has
 * finished. */
static double expected_size(const rf_state *s, size_t given) {
  double most = 1;
  for (size_t k = given; k < s->nsizes; k++)
    if (s->sizes[k].finished && s->sizes[k].executions / (double)s->sizes[k].finished > most)
      most = s->sizes[k].executions / (double)s->sizes[k].finished;
  return most;
}

/* Knuth's estimator for a search in progress, with a subtree's size taken
 * to depend on how much of the run its branch fixes rather than on its
 * depth in the tree: the stack is a list of branches, the earliest of
 * them (the alternatives of the first reads) the largest, and the search,
 * taking the last first, finishes small subtrees long before the large
 * ones (by depth, the estimate of executor_map's tree at a tenth of it
 * was a fiftieth of the truth). Each branch still on the stack is taken
 * to be as large as the finished subtrees of branches that began with as
 * many events; and each read of the current graph that could still be
 * given a waiting branch (made lazily, so not on the stack yet) is given
 * one with the chance that reads so far were. */
static double rf_left(const rf_state *s) {
  double left = 0;
  for (size_t i = 0; i < s->nstack; i++) left += expected_size(s, s->stack[i].nevents);
  /* The waiting branches the current graph's reads may still be given, each
   * as likely as the share of reads so far given one. */
  double chance = s->nmade ? (double)s->nwaited / (double)s->nmade : 0;
  for (size_t i = 0; i < s->nev && chance > 0; i++) {
    const rf_event *e = &s->ev[i];
    int open = (e->node && !s->waited[e->node]) + (e->fnode && !s->waited[e->fnode]);
    if (open) left += chance * open * expected_size(s, i);
  }
  return left;
}

static double rf_coverage(void *self) {
  const rf_state *s = self;
  if (s->why[0] || !s->started) return -1; /* stopped: what it covers is not known */
  return (double)s->runs / ((double)s->runs + rf_left(s));
}

/* ---- helpers: speculation for --jobs ---- */

static bool rf_begin(void *self, uint64_t index);

/* With --jobs N, N - 1 helper processes explore ahead, as dfs's do
 * (dfs.c, "helpers"), without changing what the search finds or counts.
 * The stack is taken from the top, so a branch low on it is reached last,
 * and it is the largest (the alternatives of the earliest reads): a helper
 * forked now takes such a branch and explores its whole subtree in its own
 * copy of the search, and when the search comes to that branch it takes
 * the helper's results instead (absorb): its executions, wasted ones and
 * statistics. A subtree depends on the rest of the search in one way only:
 * a read made before the branch (in the graph they share) is given its
 * waiting branch once, by the first run that finds a write it could wait
 * for; the helper reports the reads of that kind it gave one, and its
 * results stand only if the search gave none of them one in the meantime
 * (then its subtree is what the search's own would have been), else the
 * search explores the branch itself. So it does when the helper found a
 * bug, stopped, died, hung or would count more than the budget has left:
 * a run with helpers gives one process's bytes. Helpers start helpers of
 * their own on their own branches; a count shared by all (`tokens`) keeps
 * at most --jobs processes running, and one that waits gives its place up
 * meanwhile. */

static hd_helper_slot *spec_at(rf_state *s, size_t at) { return hd_helper_slot_at(s->specs, HD_DFS_MAX_HELPERS, at); }

static void stop_all_speculation(rf_state *s) {
  for (unsigned k = 0; s->specs && k < HD_DFS_MAX_HELPERS; k++) hd_helper_slot_stop(&s->specs[k], s->tokens);
}

/* A helper's message: {runs, counted, wasted, waiting branches made, reads
 * that could be given one, reads made before it given one (n), sizes with
 * statistics (m)}, the n reads, then m {size, subtrees finished, their
 * executions}. */
enum { RF_HEAD = 7 };

_Noreturn static void helper_give_up(rf_state *s) {
  stop_all_speculation(s);
  hd_helper_exit(0);
}

/* Closes every node of the helper's path: its subtree is done. */
static void close_all(rf_state *s) {
  while (s->npath > 0) {
    s->path[s->npath - 1].at = SIZE_MAX;
    close_path(s, 0);
  }
}

static void helper_main(void *arg, int fd) {
  rf_state *s = arg;
  size_t k = s->spawn_at;
  for (size_t i = k + 1; i < s->nstack; i++) branch_free(&s->stack[i]); /* the search's, not this one's */
  s->nstack = k + 1;
  s->floor = k;
  s->is_helper = true;
  s->specs = calloc(HD_DFS_MAX_HELPERS, sizeof *s->specs); /* its own helpers, below its branch */
  s->outside = s->nnodes + 1;
  s->ntouched = 0;
  s->npath = 0;
  for (size_t i = 0; i < s->nsizes; i++) s->sizes[i] = (struct rf_size){0}; /* from here on: what it adds */
  uint64_t runs = s->runs, nwaited = s->nwaited, nmade = s->nmade, counted = 0, wasted = 0;
  s->absorbed_counted = s->absorbed_wasted = 0;
  for (;;) {
    bool more = rf_begin(s, 0);
    counted += s->absorbed_counted;
    wasted += s->absorbed_wasted;
    s->absorbed_counted = s->absorbed_wasted = 0;
    if (!more) break;
    if (s->budget_left == 0) helper_give_up(s); /* more than the search may count */
    if (s->runner(s->runner_ctx) != 0 || s->why[0]) helper_give_up(s); /* the search finds it itself */
    if (s->fruitless) {
      wasted++;
    } else {
      counted++;
      s->budget_left--;
    }
  }
  if (s->why[0]) helper_give_up(s);
  close_all(s);
  uint64_t nsized = 0;
  for (size_t i = 0; i < s->nsizes; i++) nsized += s->sizes[i].finished > 0;
  uint64_t head[RF_HEAD] = {s->runs - runs, counted, wasted, s->nwaited - nwaited, s->nmade - nmade, s->ntouched, nsized};
  hd_helper_send(fd, head, sizeof head);
  hd_helper_send(fd, s->touched, s->ntouched * sizeof *s->touched);
  for (size_t i = 0; i < s->nsizes; i++) {
    if (!s->sizes[i].finished) continue;
    uint64_t at[2] = {i, s->sizes[i].finished};
    hd_helper_send(fd, at, sizeof at);
    hd_helper_send(fd, &s->sizes[i].executions, sizeof s->sizes[i].executions);
  }
  hd_helper_exit(0);
}

/* Takes a helper's message into the search: false (and nothing taken)
 * when it is malformed, over the budget, or one of its reads was given a
 * waiting branch by the search meanwhile. */
static bool apply_helper(rf_state *s, const char *bytes, size_t len) {
  uint64_t head[RF_HEAD];
  size_t at = 0;
  if (!hd_helper_take(bytes, len, &at, head, sizeof head) || head[1] >= s->budget_left) return false;
  size_t touched_at = at;
  for (uint64_t i = 0; i < head[5]; i++) {
    uint32_t node;
    if (!hd_helper_take(bytes, len, &at, &node, sizeof node) || node > s->nnodes || s->waited[node]) return false;
  }
  size_t sizes_at = at;
  for (uint64_t i = 0; i < head[6]; i++) {
    uint64_t a[2];
    double executions;
    if (!hd_helper_take(bytes, len, &at, a, sizeof a) || !hd_helper_take(bytes, len, &at, &executions, sizeof executions) ||
        !hd_grow((void **)&s->sizes, &s->cap_sizes, a[0] + 1, sizeof *s->sizes))
      return false;
  }
  if (at != len) return false;
  at = touched_at;
  for (uint64_t i = 0; i < head[5]; i++) {
    uint32_t node;
    hd_helper_take(bytes, len, &at, &node, sizeof node);
    s->waited[node] = 1;
    if (s->is_helper && node < s->outside) note_touched(s, node); /* made before this helper, too */
  }
  at = sizes_at;
  for (uint64_t i = 0; i < head[6]; i++) {
    uint64_t a[2];
    double executions;
    hd_helper_take(bytes, len, &at, a, sizeof a);
    hd_helper_take(bytes, len, &at, &executions, sizeof executions);
    while (s->nsizes <= a[0]) s->sizes[s->nsizes++] = (struct rf_size){0};
    s->sizes[a[0]].finished += a[1];
    s->sizes[a[0]].executions += executions;
  }
  s->runs += head[0];
  s->nwaited += head[3];
  s->nmade += head[4];
  s->absorbed_counted += head[1];
  s->absorbed_wasted += head[2];
  s->budget_left -= head[1];
  return true;
}

/* The branch at the stack's top is next: true when a helper explored it
 * and its results are now the search's (the branch is then gone). */
static bool absorb(rf_state *s) {
  size_t top = s->nstack - 1;
  hd_helper_slot *sp = spec_at(s, top);
  if (!sp) return false;
  char *bytes;
  size_t len;
  bool sent = hd_helper_collect_waiting(&sp->h, s->tokens, s->watchdog, &bytes, &len);
  hd_helper_slot_release(sp, s->tokens);
  if (!sent) return false;
  /* What taking the branch from the stack closes, closed before the
   * helper's runs are added: they come after (with two helpers' branches
   * in a row, a node closed by the second was counted the first's runs
   * and the second's; the estimate came out differently with helpers). */
  close_path(s, top);
  bool applied = apply_helper(s, bytes, len);
  free(bytes);
  if (!applied) return false;
  branch_free(&s->stack[top]);
  s->nstack = top;
  return true;
}

/* Starts helpers while tokens allow, each on the lowest own branch of the
 * stack without one, short of the top (the search takes that next). */
static void speculate(rf_state *s) {
  if (!s->max_helpers || !s->specs || !s->tokens) return;
  for (unsigned k = 0; k < HD_DFS_MAX_HELPERS; k++)
    if (s->specs[k].h.pid && hd_helper_poll(&s->specs[k].h, s->watchdog)) hd_helper_slot_release(&s->specs[k], s->tokens);
  size_t next = s->floor;
  for (unsigned k = 0; k < HD_DFS_MAX_HELPERS; k++) {
    if (s->specs[k].h.pid) continue;
    if (s->budget_left < 2) return; /* nothing a helper could bring back */
    while (next + 1 < s->nstack && spec_at(s, next)) next++;
    if (next + 1 >= s->nstack || !hd_helper_take_token(s->tokens)) return;
    s->spawn_at = next;
    if (!hd_helper_start(&s->specs[k].h, helper_main, s)) {
      hd_helper_give_token(s->tokens);
      return;
    }
    s->specs[k].token = true;
    s->specs[k].at = next++;
  }
}

static void rf_helpers(void *self, unsigned helpers, int (*runner)(void *ctx), void *ctx, double watchdog) {
  rf_state *s = self;
  if (helpers > HD_DFS_MAX_HELPERS) helpers = HD_DFS_MAX_HELPERS;
  if (!s->specs && !(s->specs = calloc(HD_DFS_MAX_HELPERS, sizeof *s->specs))) return; /* alone, then */
  if (!s->tokens && !(s->tokens = hd_helper_tokens_new((int)helpers))) return;
  s->max_helpers = helpers;
  s->runner = runner;
  s->runner_ctx = ctx;
  s->watchdog = watchdog;
}

static void rf_budget(void *self, uint64_t left) { ((rf_state *)self)->budget_left = left; }

static void rf_absorbed(void *self, uint64_t *counted, uint64_t *wasted) {
  rf_state *s = self;
  *counted = s->absorbed_counted;
  *wasted = s->absorbed_wasted;
  s->absorbed_counted = s->absorbed_wasted = 0;
}

static bool rf_begin(void *self, uint64_t index) {
  rf_state *s = self;
  (void)index;
  if (s->why[0]) return false;
  if (!s->started) {
    s->started = true;
    push(s, 0, NULL, 0, NULL, false);
  }
  for (;;) {
    if (s->why[0] || s->nstack <= s->floor) return false; /* (in a helper: its subtree is done) */
    if (absorb(s)) continue;
    rf_branch b = s->stack[--s->nstack];
    close_path(s, s->nstack);
    s->nev = 0;
    if (!hd_grow((void **)&s->ev, &s->cap_ev, b.nevents + 1, sizeof *s->ev) ||
        !hd_grow((void **)&s->waits, &s->cap_waits, b.nwaits + 1, sizeof *s->waits) ||
        !hd_grow((void **)&s->draws, &s->cap_draws, b.ndraws + 1, sizeof *s->draws) ||
        !hd_grow((void **)&s->order, &s->cap_order, b.nevents + 1, sizeof *s->order)) {
      branch_free(&b);
      stop(s, "out of memory");
      return false;
    }
    copy(s->ev, b.events, b.nevents, sizeof *s->ev);
    s->nev = b.nevents;
    copy(s->waits, b.waits, b.nwaits, sizeof *s->waits);
    s->nwaits = b.nwaits;
    copy(s->draws, b.draws, b.ndraws, sizeof *s->draws);
    s->ndraws = b.ndraws;
    bool search = b.search;
    s->moved = search;
    branch_free(&b);
    /* Locations are names within one graph: new ones follow the branch's. */
    s->nlocs = 0;
    for (size_t i = 0; i < s->nev; i++)
      if (s->ev[i].loc > s->nlocs) s->nlocs = s->ev[i].loc;
    for (size_t i = 0; i < s->nwaits; i++)
      if (s->waits[i].loc > s->nlocs) s->nlocs = s->waits[i].loc;
    if (!hd_grow((void **)&s->cur, &s->cap_cur, (size_t)s->nlocs + 1, sizeof *s->cur)) {
      stop(s, "out of memory");
      return false;
    }
    if (search) {
      int w = witness(s, s->ev, s->nev);
      if (w < 0) {
        stop(s, "a consistency check of a reads-from graph was too large (or out of memory)");
        return false;
      }
      if (w == 0) continue; /* no schedule makes that read read that write: not a class (nor a node) */
    } else {
      for (size_t i = 0; i < s->nev; i++) s->order[i] = (int32_t)i;
      sort_events = s->ev;
      qsort(s->order, s->nev, sizeof *s->order, cmp_key);
      s->norder = s->nev;
    }
    break;
  }
  open_node(s, s->nstack, s->nev);
  speculate(s);
  s->at = 0;
  s->pos = 0;
  s->nvc = 0;
  s->mode = s->norder ? RF_REPLAY : RF_EXTEND;
  s->fruitless = false;
  s->map_n = 0;
  if (s->map_cap) memset(s->map_obj, 0, s->map_cap * sizeof *s->map_obj);
  for (size_t l = 0; l <= s->nlocs && l < s->cap_cur; l++) s->cur[l] = -1;
  memset(s->tcount, 0, sizeof s->tcount);
  memset(s->gcount, 0, sizeof s->gcount);
  for (size_t i = 0; i < s->nev; i++)
    if (s->ev[i].tid >= 0) s->gcount[s->ev[i].tid]++;
  memset(s->tloc, 0, sizeof s->tloc);
  memset(s->ndraws_of, 0, sizeof s->ndraws_of);
  memset(s->finished, 0, sizeof s->finished);
  memset(s->parked, 0, sizeof s->parked);
  memset(s->abandonable, 0, sizeof s->abandonable);
  s->abandonable[0] = true; /* main: the engine's start-up says so (conservatively) */
  s->ended = false;
  s->creator[0] = -1;
  s->known = 1;
  s->running = 0;
  s->picked = -1;
  s->last_stamp = -1;
  s->yielded = -1;
  return true;
}

static bool waiting(const rf_state *s, int t) {
  for (size_t i = 0; i < s->nwaits; i++)
    if (s->waits[i].tid == t) return true;
  return false;
}

/* Thread t is frozen: the end of the program will abandon it where it is. */
static bool frozen(const rf_state *s, int t) {
  for (size_t i = 0; i < s->nwaits; i++)
    if (s->waits[i].tid == t && s->waits[i].kind == RF_FROZEN) return true;
  return false;
}

/* Thread t's read may still read a write not made yet: some other thread
 * has not finished, is not frozen, and is not waiting (at a join) for t to. */
static bool may_postpone(const rf_state *s, int t) {
  for (int u = 0; u < s->nthreads; u++) {
    if (u == t || s->finished[u] || frozen(s, u)) continue;
    const hd_pending *p = &s->pending[u];
    if (p->op == HD_OP_JOIN && p->obj_id == 0) continue; /* main's final wait */
    if (p->op == HD_OP_JOIN && s->tloc[t] && lookup(s, p->obj_id) == s->tloc[t]) continue;
    return true;
  }
  return false;
}

/* The choices a new read (or update) `e` did not take, pushed as branches:
 * each other write of G it could read (if a witness has it read that), and
 * waiting for a write not made yet. */
/* A new number for a branch to be made once (`waited` says if it was). */
static bool new_node(rf_state *s, uint32_t *node) {
  if (!hd_grow((void **)&s->waited, &s->cap_waited, (size_t)s->nnodes + 2, 1)) {
    stop(s, "out of memory");
    return false;
  }
  *node = ++s->nnodes;
  s->waited[*node] = 0;
  s->nmade++;
  return true;
}

/* Joins event `from`'s clock (none when negative) into c. */
static void join_clock(const rf_state *s, uint32_t *c, int32_t from) {
  if (from < 0) return;
  const uint32_t *f = s->vc + (size_t)from * (size_t)s->width;
  for (int t = 0; t < s->width; t++)
    if (f[t] > c[t]) c[t] = f[t];
}

/* Extends the vector clocks to every event of the graph (from scratch
 * when a thread beyond their width appeared). False when out of memory. */
static bool clocks(rf_state *s) {
  int width = s->width;
  for (size_t i = 0; i < s->nev; i++)
    if (s->ev[i].tid + 1 > width) width = s->ev[i].tid + 1;
  if (width != s->width) s->nvc = 0, s->width = width;
  if (s->nvc == 0)
    for (int t = 0; t < width; t++) s->vlast[t] = -1;
  size_t w = (size_t)width;
  if (!hd_grow((void **)&s->vc, &s->cap_vc, (s->nev + 1) * w, sizeof *s->vc) ||
      !hd_grow((void **)&s->tidx, &s->cap_tidx, s->nev + 1, sizeof *s->tidx) ||
      !hd_grow((void **)&s->vc_e, &s->cap_vc_e, w + 1, sizeof *s->vc_e))
    return false;
  for (size_t i = s->nvc; i < s->nev; i++) {
    const rf_event *e = &s->ev[i];
    uint32_t *c = s->vc + i * w;
    memset(c, 0, w * sizeof *c);
    s->tidx[i] = 0;
    if (e->tid < 0) continue; /* ticks and final reads: read by nothing */
    int32_t j = s->vlast[e->tid]; /* its thread's previous event */
    if (j >= 0) {
      memcpy(c, s->vc + (size_t)j * w, w * sizeof *c);
      s->tidx[i] = s->tidx[j] + 1;
    }
    s->vlast[e->tid] = (int32_t)i;
    join_clock(s, c, reads(e->kind) ? e->rf : -1);
    join_clock(s, c, e->creator);
    c[e->tid] = (uint32_t)s->tidx[i] + 1;
  }
  s->nvc = s->nev;
  return true;
}

/* Event a (of a thread) happens before or is event b's clock `c`. */
static bool before(const rf_state *s, int32_t a, const uint32_t *c) {
  return c[s->ev[a].tid] >= (uint32_t)s->tidx[a] + 1;
}

/* A necessary condition for new read `e` (its clock s->vc_e; NULL: after
 * everything) to read `w` (-1: the initial value): nothing it happens after
 * (a write of the location, or a read of one) is of a write later than w in
 * happens-before. Where it fails, no witness exists: the search for one
 * would only find that out more slowly. */
static bool may_read(const rf_state *s, const rf_event *e, const uint32_t *ce, int32_t w) {
  size_t width = (size_t)s->width;
  for (size_t i = 0; i < s->nev; i++) {
    const rf_event *y = &s->ev[i];
    if (y->loc != e->loc || y->tid < 0 || (ce && !before(s, (int32_t)i, ce))) continue;
    int32_t z = writes(y->kind) ? (int32_t)i : reads(y->kind) ? y->rf : -2;
    if (z == -2 || z == w) continue;
    if (w < 0 && z >= 0) return false; /* it saw a write: the initial value is gone */
    if (w >= 0 && z >= 0 && before(s, w, s->vc + (size_t)z * width)) return false;
  }
  return true;
}

static void push_alternatives(rf_state *s, rf_event *e) {
  if (!clocks(s)) {
    stop(s, "out of memory");
    return;
  }
  /* Its thread's last event (the clocks cover every event now), whose clock
   * it extends, or the event that created its thread. */
  int32_t mine = e->tid >= 0 && e->tid < s->width ? s->vlast[e->tid] : -1;
  const uint32_t *ce = NULL; /* a final read comes after everything */
  if (e->tid >= 0) {
    memset(s->vc_e, 0, (size_t)s->width * sizeof *s->vc_e);
    join_clock(s, s->vc_e, mine >= 0 ? mine : e->creator);
    ce = s->vc_e;
  }
  int64_t after_mine = mine >= 0 ? s->ev[mine].key : -1;
  for (size_t i = 0; i < s->nev; i++) /* and after the clock's last move, which it followed */
    if (s->ev[i].kind == RF_TICK && s->ev[i].key > after_mine) after_mine = s->ev[i].key;
  for (int32_t w = -1; w < (int32_t)s->nev; w++) {
    if (w == e->rf) continue;
    if (w >= 0 && (!writes(s->ev[w].kind) || s->ev[w].loc != e->loc)) continue;
    bool taken = false; /* another update read w: an update cannot */
    for (size_t i = w < 0 ? 0 : (size_t)w + 1; i < s->nev && e->kind == RF_RMW; i++)
      if (s->ev[i].loc == e->loc && s->ev[i].kind == RF_RMW && s->ev[i].rf == w) taken = true;
    if (taken || !may_read(s, e, ce, w)) continue;
    rf_event moved = *e;
    moved.rf = w;
    moved.node = 0; /* the branch that has it wait is this read's, not the moved one's */
    int64_t k = w >= 0 ? s->ev[w].key : -1;
    moved.key = (k > after_mine ? k : after_mine) + 1; /* odd: right after its write and its thread */
    if (e->tid < 0) moved.key = e->key;                /* a final read: after everything */
    push(s, s->nev, &moved, 1, NULL, true);
  }
  if (e->tid < 0 || !may_postpone(s, e->tid)) return;
  new_node(s, &e->node); /* waiting lazily: the branch is made when a write it could read appears */
}

/* ---- waiting lazily ----
 * A read waiting for a later write is a branch that ends stuck unless some
 * thread writes there after it: in a graph with that read, critical
 * sections and private variables, usually none. So a read's waiting branch
 * is made only when a run of its subtree (the graphs that keep the read)
 * adds a write to its location by another thread that does not depend on
 * it (is not in the write's causal past: program order, reads-from, thread
 * creation), the condition under which TruSt revisits
 * a read backwards; `waited` makes it once. For an update (a lock's
 * acquire, an atomic add) the reads-from edges of its own location do not
 * count: the later update read the chain the earlier one is in, and could
 * have gone first, the chain then running through it the other way. The
 * branch is the graph as it was before the read, with the waits and draws
 * it had then. */
static void push_waiting(rf_state *s, int32_t r, bool freeze) {
  const rf_event *e = &s->ev[r];
  uint32_t node = freeze ? e->fnode : e->node;
  s->waited[node] = 1;
  if (s->is_helper && node < s->outside) note_touched(s, node);
  s->nwaited++;
  if (!hd_grow((void **)&s->stack, &s->cap_stack, s->nstack + 1, sizeof *s->stack)) {
    stop(s, "out of memory");
    return;
  }
  rf_branch b = {.nevents = (size_t)r};
  b.events = malloc(((size_t)r + 1) * sizeof *b.events);
  b.waits = malloc((s->nwaits + s->nev + 1) * sizeof *b.waits);
  b.draws = malloc((s->ndraws + 1) * sizeof *b.draws);
  if (!b.events || !b.waits || !b.draws) {
    branch_free(&b);
    stop(s, "out of memory");
    return;
  }
  copy(b.events, s->ev, (size_t)r, sizeof *b.events);
  for (size_t i = 0; i < s->nwaits; i++) /* waiting then, and still */
    if (s->waits[i].since <= r) b.waits[b.nwaits++] = s->waits[i];
  for (size_t i = (size_t)r + 1; i < s->nev; i++) { /* waiting then, resolved since */
    const rf_event *x = &s->ev[i];
    if (x->since >= 0 && x->since <= r)
      b.waits[b.nwaits++] = (rf_wait){.tid = x->tid, .loc = x->loc, .since = x->since, .op = x->op, .kind = x->kind};
  }
  b.waits[b.nwaits++] =
      (rf_wait){.tid = e->tid, .loc = e->loc, .since = r, .op = e->op, .kind = freeze ? RF_FROZEN : e->kind};
  for (size_t i = 0; i < s->ndraws; i++)
    if (s->draws[i].stamp < r) b.draws[b.ndraws++] = s->draws[i];
  s->stack[s->nstack++] = b;
}

/* Marks in s->porf (w + 1 entries) the causal past of event w, from w
 * down: a marked event marks its thread's earlier events, what it read
 * (unless it is an access of `skip_loc`, nonzero) and its thread's
 * creator. Not the moves of the clock: they order this graph's events,
 * but where the clock moves depends on the graph, and in the one where the
 * read waits, it may move elsewhere. */
static void causal_past(rf_state *s, int32_t w, uint32_t skip_loc) {
  static bool marked_thread[HD_MAX_THREADS];
  memset(marked_thread, 0, sizeof marked_thread);
  memset(s->porf, 0, (size_t)w + 1);
  s->porf[w] = 1;
  for (int32_t i = w; i >= 0; i--) {
    const rf_event *y = &s->ev[i];
    if (y->tid >= 0 && marked_thread[y->tid]) s->porf[i] = 1;
    if (!s->porf[i]) continue;
    if (y->tid >= 0) marked_thread[y->tid] = true;
    if (y->rf >= 0 && reads(y->kind) && (!skip_loc || y->loc != skip_loc)) s->porf[y->rf] = 1;
    if (y->creator >= 0) s->porf[y->creator] = 1;
  }
}

/* The end of the program, event `end`, abandoned the threads still
 * running. Executions in which it abandons them earlier differ in which
 * steps they ran: each step of a thread the end may abandon that the end
 * does not depend on gets a branch, made once, where its thread is frozen
 * just before it (never runs again, so the end abandons it there); the
 * same lazy rule as waiting reads, the end reading every thread's progress. */
static void abandon(rf_state *s, int32_t end) {
  s->ended = true;
  if (!hd_grow((void **)&s->porf, &s->cap_porf, (size_t)end + 1, 1)) {
    stop(s, "out of memory");
    return;
  }
  causal_past(s, end, 0);
  /* Steps taken while the end waited have their branches already
   * (end_after, freeze_while_ending): only those before it began to. */
  int32_t began = s->ev[end].since >= 0 ? s->ev[end].since : end;
  for (int32_t i = 0; i < began; i++) { /* each step: the thread may have stopped at any of them */
    const rf_event *y = &s->ev[i];
    if (y->tid < 0 || y->tid == s->ev[end].tid || !y->fnode || s->porf[i] || s->waited[y->fnode]) continue;
    push_waiting(s, i, true);
  }
}

/* Write `w` was added: the reads of its location by other threads that it
 * does not depend on get their waiting branch, if they have none yet
 * (reads first, then updates, each against its own causal past). */
static void wake_waiting(rf_state *s, int32_t w) {
  const rf_event *x = &s->ev[w];
  for (int pass = 0; pass < 2; pass++) {
    uint8_t kind = pass == 0 ? RF_READ : RF_RMW;
    bool any = false;
    for (int32_t i = 0; i < w && !any; i++) {
      const rf_event *y = &s->ev[i];
      any = y->node && !s->waited[y->node] && y->kind == kind && y->loc == x->loc && y->tid != x->tid;
    }
    if (!any) continue;
    if (!hd_grow((void **)&s->porf, &s->cap_porf, (size_t)w + 1, 1)) {
      stop(s, "out of memory");
      return;
    }
    causal_past(s, w, kind == RF_RMW ? x->loc : 0);
    for (int32_t i = 0; i < w; i++) {
      const rf_event *y = &s->ev[i];
      if (!y->node || s->waited[y->node] || y->kind != kind || y->loc != x->loc || y->tid == x->tid || s->porf[i])
        continue;
      /* A blocking acquire or join of the object cannot go before a step
       * of its holder (the holder would have to let go first), nor can
       * what comes after one: the write, or anything it depends on, being
       * such an acquire after the holder's step, it cannot go first. */
      bool after_acquire = false;
      for (int32_t j = i + 1; j <= w && y->held && !after_acquire; j++) {
        const rf_event *a = &s->ev[j];
        after_acquire = s->porf[j] && a->loc == x->loc && a->tid != y->tid &&
                        (a->op == HD_OP_ACQUIRE || a->op == HD_OP_JOIN);
      }
      if (after_acquire) continue;
      push_waiting(s, i, false);
    }
  }
}

/* The waits match[j] that `set` resolves to write w, as events: the reads
 * first, the update last (the reads must see w before it writes). */
static size_t resolved_events(const rf_state *s, const size_t *match, size_t k, uint64_t set, int32_t w,
                              rf_event *out) {
  size_t n = 0;
  for (int pass = 0; pass < 2; pass++)
    for (size_t j = 0; j < k; j++) {
      const rf_wait *q = &s->waits[match[j]];
      if (!(set >> j & 1) || (q->kind == RF_RMW) != (pass == 1)) continue;
      out[n] = (rf_event){.tid = q->tid, .loc = q->loc, .rf = w, .creator = -2, .since = q->since, .op = q->op,
                          .kind = q->kind, .fresh = true};
      out[n].key = s->ev[w].key + 2 * (int64_t)(n + 1);
      n++;
    }
  return n;
}

/* Removes from s->waits those match[j] that `set` resolves. */
static void drop_waits(rf_state *s, const size_t *match, size_t k, uint64_t set) {
  size_t keep = 0;
  for (size_t i = 0; i < s->nwaits; i++) {
    bool resolved = false;
    for (size_t j = 0; j < k; j++)
      if (match[j] == i && set >> j & 1) resolved = true;
    if (!resolved) s->waits[keep++] = s->waits[i];
  }
  s->nwaits = keep;
}

/* A write `w` (just appended) by another thread than the waiting ones:
 * every set of waits on its location it may resolve (reads any number, at
 * most one update) is a branch; the run goes on with all the reads and the
 * lowest update resolved, appended to be replayed next. */
static void resolve_waits(rf_state *s, int32_t w) {
  const rf_event *x = &s->ev[w];
  size_t match[64];
  size_t k = 0;
  for (size_t i = 0; i < s->nwaits && k < 64; i++)
    if (s->waits[i].loc == x->loc && s->waits[i].tid != x->tid && s->waits[i].kind != RF_FROZEN) match[k++] = i;
  if (k == 0) return;
  if (k > 20) {
    stop(s, "more than 20 reads wait for one location");
    return;
  }
  size_t first_rmw = k;
  for (size_t j = 0; j < k; j++)
    if (s->waits[match[j]].kind == RF_RMW && first_rmw == k) first_rmw = j;
  uint64_t chosen = 0;
  for (size_t j = 0; j < k; j++)
    if (s->waits[match[j]].kind != RF_RMW || j == first_rmw) chosen |= 1ull << j;
  rf_event extra[64];
  for (uint64_t set = 0; set < (1ull << k); set++) {
    unsigned rmws = 0;
    for (size_t j = 0; j < k; j++)
      if (set >> j & 1 && s->waits[match[j]].kind == RF_RMW) rmws++;
    if (rmws > 1 || set == chosen) continue;
    /* A branch: the waits resolved by `set` become events; the rest still wait. */
    size_t n = resolved_events(s, match, k, set, w, extra);
    rf_wait *saved = dup_array(s->waits, s->nwaits, sizeof *s->waits);
    size_t nsaved = s->nwaits;
    if (!saved && nsaved) {
      stop(s, "out of memory");
      return;
    }
    drop_waits(s, match, k, set);
    push(s, s->nev, extra, n, NULL, false);
    copy(s->waits, saved, nsaved, sizeof *saved);
    s->nwaits = nsaved;
    free(saved);
  }
  /* The run goes on with `chosen`: append them and replay them next. */
  size_t n = resolved_events(s, match, k, chosen, w, extra);
  drop_waits(s, match, k, chosen);
  if (!hd_grow((void **)&s->ev, &s->cap_ev, s->nev + n, sizeof *s->ev) ||
      !hd_grow((void **)&s->order, &s->cap_order, s->nev + n, sizeof *s->order)) {
    stop(s, "out of memory");
    return;
  }
  /* After whatever is still to be replayed (nothing, as an update resolves
   * last, but the order does not rely on it). */
  memmove(s->order, s->order + s->at, (s->norder - s->at) * sizeof *s->order);
  s->norder -= s->at;
  s->at = 0;
  for (size_t j = 0; j < n; j++) {
    s->order[s->norder++] = (int32_t)s->nev;
    s->ev[s->nev++] = extra[j];
  }
  s->mode = RF_REPLAY;
}

/* Thread t is about to end the program while others could still run: a
 * branch where the end waits, so that they take steps first. */
static void end_later(rf_state *s, int t) {
  if (!s->others_could_run || !hd_grow((void **)&s->waits, &s->cap_waits, s->nwaits + 1, sizeof *s->waits)) return;
  s->waits[s->nwaits++] = (rf_wait){.tid = t, .since = (int32_t)s->nev, .op = HD_OP_END, .kind = RF_END};
  push(s, s->nev, NULL, 0, NULL, false);
  s->nwaits--;
}

/* Event `e` (new) was added while an end of the program waits: a branch
 * where the end comes right after it, and one where its thread, if the end
 * may abandon it, stopped just before it. */
static void end_after(rf_state *s, int32_t e, bool any_thread) {
  for (size_t i = 0; i < s->nwaits; i++) {
    const rf_wait w = s->waits[i];
    if (w.kind != RF_END || (w.tid == s->ev[e].tid && !any_thread)) continue;
    rf_event end = {.tid = w.tid, .rf = -1, .creator = -2, .key = s->ev[e].key + 1, .since = w.since,
                    .op = HD_OP_END, .kind = RF_END, .fresh = true};
    s->waits[i] = s->waits[--s->nwaits];
    push(s, s->nev, &end, 1, NULL, false);
    s->waits[s->nwaits++] = s->waits[i];
    s->waits[i] = w;
    if (s->ev[e].tid != w.tid && s->ev[e].fnode && !s->waited[s->ev[e].fnode]) push_waiting(s, e, true);
    return;
  }
}

/* The step of thread `picked` is done: it becomes an event of the graph
 * (unless it was a blocked attempt, which changed nothing). `stopped`: the
 * thread cannot run now, or the clock just moved (which may have woken it
 * from the wait it blocked in); `now`: its operation now. */
static void commit(rf_state *s, bool stopped, bool blocked, const hd_pending *now) {
  int t = s->picked;
  s->picked = -1;
  const hd_pending *p = &s->picked_pending;
  hd_op_kind op = p->op;
  if (s->picked_resume) { /* it only went on to its next switch point */
    s->picked_resume = false;
    return;
  }
  /* A memory access after which the thread blocked: its next read was a
   * spin, a re-read nobody wrote since, and it waits for a write
   * (engine/memory.h); when woken, its first step only goes on to that read. */
  if (blocked && now && (op == HD_OP_READ || op == HD_OP_WRITE || op == HD_OP_UPDATE) && p->obj_id)
    s->parked[t] = true;
  bool attempt = now && stopped && hd_op_attempts(op) &&
                 now->obj_id == p->obj_id && now->op == p->op && now->line == p->line && now->file == p->file;
  if (s->picked_probe) {
    s->picked_probe = false;
    if (attempt) return;
    if (s->mode == RF_REPLAY) stop(s, "the program did not repeat an execution (is it deterministic?)");
    s->fruitless = true; /* a waiting operation went through: not this branch's */
    s->mode = RF_FINISH;
    return;
  }
  if (s->picked_replay) {
    rf_event *e = &s->ev[s->order[s->at]];
    if (attempt) {
      /* A resolved read that blocks: the write it was to follow left its
       * object unavailable (an acquire resolved after another acquire). */
      if (e->fresh) s->fruitless = true, s->mode = RF_FINISH;
      else stop(s, "a step that had run blocked when run again (a bug in heddle: please report it)");
      return;
    }
    s->at++;
    e->key = 2 * (int64_t)s->pos++;
    if (e->creator >= -1 && e->creator != s->creator[t]) {
      stop(s, "thread ids depend on the schedule (threads created by more than one thread)");
      return;
    }
    if (reads(e->kind) && s->cur[e->loc] != e->rf) {
      stop(s, "a replayed read read another write (a bug in heddle: please report it)");
      return;
    }
    int32_t stamp = (int32_t)(e - s->ev);
    s->last_stamp = stamp;
    s->yielded = op == HD_OP_YIELD || op == HD_OP_SLEEP ? t : -1;
    if (op == HD_OP_EXIT) s->finished[t] = true;
    s->tcount[t]++;
    if (s->at == s->norder) s->mode = RF_EXTEND;
    bool fresh = e->fresh;
    e->fresh = false; /* before the branches below copy it */
    if (writes(e->kind)) {
      s->cur[e->loc] = stamp;
      if (fresh) { /* a new write: the reads it may be read by */
        wake_waiting(s, stamp);
        resolve_waits(s, stamp);
      }
    }
    /* A graph with a moved read is new as a whole once replayed: an end
     * that waits may come right after it. */
    if (fresh || (s->moved && s->mode == RF_EXTEND)) end_after(s, stamp, !fresh);
    if (s->mode == RF_EXTEND) s->moved = false;
    if (e->kind == RF_END) abandon(s, stamp);
    return;
  }
  if (attempt || s->mode != RF_EXTEND) return;
  rf_kind kind = classify(p);
  uint32_t loc = locate(s, p->obj_id, 0);
  if ((p->obj_id && p->obj_id != HD_OBJ_ALL && !loc) || !hd_grow((void **)&s->ev, &s->cap_ev, s->nev + 1, sizeof *s->ev)) {
    stop(s, "out of memory");
    return;
  }
  rf_event e = {.tid = t, .loc = loc, .rf = -1, .creator = s->tcount[t] == 0 ? s->creator[t] : -2,
                .key = 2 * (int64_t)s->pos++, .since = -1, .op = (uint8_t)op, .kind = (uint8_t)kind, .held = p->holds};
  if (s->abandonable[t] && !new_node(s, &e.fnode)) return;
  if (reads(kind)) e.rf = s->cur[loc];
  if (kind == RF_READ || kind == RF_RMW) push_alternatives(s, &e);
  if (kind == RF_END) end_later(s, t);
  int32_t stamp = (int32_t)s->nev;
  s->ev[s->nev++] = e;
  s->last_stamp = stamp;
  s->yielded = op == HD_OP_YIELD || op == HD_OP_SLEEP ? t : -1;
  s->tcount[t]++;
  if (op == HD_OP_EXIT) s->finished[t] = true;
  if (writes(kind)) {
    s->cur[loc] = stamp;
    wake_waiting(s, stamp);
    resolve_waits(s, stamp);
  }
  end_after(s, stamp, false);
  if (kind == RF_END) abandon(s, stamp);
}

/* Runs thread t for a step of the given sort (an event to replay, a probe,
 * a resume, or none of them: a new event). */
static int take(rf_state *s, const hd_decision *d, int t, bool replay, bool probe, bool resume) {
  /* The end abandons the others, and the engine marks them finished at
   * once: whether one could have run is known only now. */
  s->others_could_run = false;
  for (int u = 0; u < d->nthreads && d->pending[t].op == HD_OP_END && !s->others_could_run; u++)
    s->others_could_run = u != t && hd_tset_has(d->runnable, u) && !waiting(s, u);
  s->picked = t;
  s->picked_pending = d->pending[t];
  s->picked_replay = replay;
  s->picked_probe = probe;
  s->picked_resume = resume;
  s->running = t;
  return t;
}

/* Runs thread t from its spin to its read: a step that is no event. */
static int resume(rf_state *s, const hd_decision *d, int t) {
  s->parked[t] = false;
  return take(s, d, t, false, false, true);
}

/* A runnable thread whose operation blocks when nothing else can run (an
 * acquire of a held lock, a join, a condition wait's check), run to
 * attempt it and block; -1 for none. */
static int probe(rf_state *s, const hd_decision *d) {
  for (int t = 0; t < d->nthreads; t++) {
    hd_op_kind op = d->pending[t].op;
    if (hd_tset_has(d->runnable, t) && hd_op_attempts(op))
      return take(s, d, t, false, true, false);
  }
  return -1;
}

static int rf_pick_thread(void *self, const hd_decision *d) {
  rf_state *s = self;
  s->pending = d->pending;
  s->nthreads = d->nthreads;
  if (s->picked >= 0)
    commit(s, d->time_advanced || !hd_tset_has(d->runnable, s->picked), !hd_tset_has(d->runnable, s->picked),
           &d->pending[s->picked]);
  if (d->time_advanced && s->mode == RF_REPLAY) {
    rf_event *e = &s->ev[s->order[s->at]];
    if (e->kind != RF_TICK) {
      stop(s, "the program did not repeat an execution (is it deterministic?)");
    } else {
      s->at++;
      e->key = 2 * (int64_t)s->pos++;
      if (s->at == s->norder) s->mode = RF_EXTEND;
    }
  } else if (d->time_advanced && s->mode == RF_EXTEND) {
    if (!hd_grow((void **)&s->ev, &s->cap_ev, s->nev + 1, sizeof *s->ev)) stop(s, "out of memory");
    else
      s->ev[s->nev++] =
          (rf_event){.tid = -1, .rf = -1, .creator = -2, .key = 2 * (int64_t)s->pos++, .since = -1, .kind = RF_TICK};
  }
  if (s->mode == RF_REPLAY && s->ev[s->order[s->at]].kind == RF_TICK) {
    /* The clock moved here because every thread was blocked: those blocked
     * by attempts (not events) must attempt again, and block. */
    int t = probe(s, d);
    if (t >= 0) return t;
    stop(s, "the program did not repeat an execution (is it deterministic?)");
  }
  if (d->respawned1) stop(s, "a thread took over a joined thread's slot");
  /* Threads created by the last step. */
  for (; s->known < d->nthreads; s->known++) {
    s->abandonable[s->known] = d->pending[s->known].op != HD_OP_START || d->pending[s->known].abandonable;
    s->creator[s->known] = s->last_stamp;
    if (s->last_stamp >= 0 && s->ev[s->last_stamp].op == HD_OP_START) s->tloc[s->known] = s->ev[s->last_stamp].loc;
  }
  /* A waiting thread's operation is on the location it waits for: bind its
   * object before another thread's new event gives the object a new one. */
  for (size_t i = 0; i < s->nwaits && s->mode != RF_FINISH; i++) {
    const rf_wait *w = &s->waits[i];
    if (w->tid >= d->nthreads || s->tcount[w->tid] != s->gcount[w->tid]) continue;
    const hd_pending *p = &d->pending[w->tid];
    if (p->op != w->op || locate(s, p->obj_id, w->loc) != w->loc)
      stop(s, "the program did not repeat an execution (is it deterministic?)");
  }
  int choice = -1;
  if (s->mode == RF_REPLAY) {
    const rf_event *e = &s->ev[s->order[s->at]];
    if (e->tid >= 0 && e->tid < d->nthreads && s->parked[e->tid]) {
      if (!hd_tset_has(d->runnable, e->tid)) {
        /* It spins where the graph has it read: a re-read of what it read
         * already, which the engine turns into a wait (engine/memory.h);
         * the graph with the read after a write is explored too. */
        s->fruitless = true;
        s->mode = RF_FINISH;
      } else {
        return resume(s, d, e->tid);
      }
    }
  }
  if (s->mode == RF_REPLAY) {
    const rf_event *e = &s->ev[s->order[s->at]];
    const hd_pending *p = &d->pending[e->tid < 0 ? 0 : e->tid];
    if (e->tid < 0 || e->tid >= d->nthreads || !hd_tset_has(d->runnable, e->tid) || p->op != e->op ||
        locate(s, p->obj_id, e->loc) != e->loc)
      stop(s, "the program did not repeat an execution (is it deterministic?)");
    else
      choice = e->tid;
  }
  if (s->mode == RF_EXTEND) {
    /* The canonical scheduler: the lowest thread that can go on and waits
     * for no write, after the last one to yield (so a spin loop lets the
     * others run). */
    int from = s->yielded >= 0 ? s->yielded + 1 : 0;
    for (int k = 0; k < d->nthreads && choice < 0; k++) {
      int t = (from + k) % d->nthreads;
      if (hd_tset_has(d->runnable, t) && !waiting(s, t)) choice = t;
    }
    if (choice >= 0 && s->parked[choice]) return resume(s, d, choice);
    if (choice < 0) {
      /* Only waiting threads can run. One whose operation would block
       * (an acquire of a held lock) is blocked in the executions this
       * branch stands for: let it attempt, so the clock can move. */
      int t = probe(s, d);
      if (t >= 0) return t;
      s->fruitless = true; /* only threads waiting for writes that will not come */
      s->mode = RF_FINISH;
    }
  }
  if (s->mode == RF_FINISH) {
    for (int t = 0; t < d->nthreads && choice < 0; t++)
      if (hd_tset_has(d->runnable, t)) choice = t;
    s->running = choice;
    return choice;
  }
  return take(s, d, choice, s->mode == RF_REPLAY, false, false);
}

/* thread t's n-th draw: the value the branch fixed, else 0 and a branch for
 * each other value (the thread's step is its last event in the graph, or
 * not in it yet, so the graph stays valid with another value). */
static uint64_t rf_pick_value(void *self, uint64_t bound) {
  rf_state *s = self;
  int t = s->running < 0 ? 0 : s->running;
  uint32_t n = s->ndraws_of[t]++;
  for (size_t i = 0; i < s->ndraws; i++)
    if (s->draws[i].tid == t && s->draws[i].n == n) return s->draws[i].value % bound;
  if (s->mode == RF_FINISH) return 0;
  for (uint64_t v = bound; v-- > 1;) {
    rf_draw dr = {.tid = t, .n = n, .stamp = (int32_t)s->nev, .value = v};
    push(s, s->nev, NULL, 0, &dr, false);
  }
  if (!hd_grow((void **)&s->draws, &s->cap_draws, s->ndraws + 1, sizeof *s->draws)) return UINT64_MAX;
  s->draws[s->ndraws++] = (rf_draw){.tid = t, .n = n, .stamp = (int32_t)s->nev, .value = 0};
  return 0;
}

/* Data is not a branch: a fixed function of (thread, n-th draw), as in dfs. */
static uint64_t rf_pick_data(void *self, uint64_t bound) {
  rf_state *s = self;
  int t = s->running < 0 ? 0 : s->running;
  uint64_t state = ((uint64_t)t << 32 | s->ndraws_of[t]++) * 0x9e3779b97f4a7c15u;
  return hd_random_below_state(&state, bound);
}

/* Keys of the final reads: after every event. */
#define RF_FINAL_KEY (INT64_MAX / 4)

/* The check read variables at the end (hd_outcome.peeked): reads of the
 * final state, which other orders of the writes change while every read of
 * the program reads the same. Each is a read by no thread, after
 * everything, choosing its write like any other. */
static void final_reads(rf_state *s, const hd_outcome *o) {
  while (s->mode == RF_REPLAY && s->at < s->norder) { /* the branch's own, replayed */
    rf_event *e = &s->ev[s->order[s->at]];
    if (e->tid >= 0 || e->kind != RF_READ) return; /* the run ended early: a bug */
    if (s->cur[e->loc] != e->rf) {
      stop(s, "a replayed read read another write (a bug in heddle: please report it)");
      return;
    }
    s->at++;
  }
  if (s->mode == RF_REPLAY) s->mode = RF_EXTEND;
  if (s->mode != RF_EXTEND || o->bug != HD_BUG_NONE || o->pruned || s->fruitless) return;
  if (o->peeks_lost) {
    stop(s, "the check read more variables than heddle keeps track of");
    return;
  }
  for (size_t i = 0; i < o->npeeked; i++) {
    uint32_t loc = lookup(s, o->peeked[i]);
    if (!loc) continue; /* no event touched it: its value is its first */
    bool have = false;
    for (size_t j = 0; j < s->nev && !have; j++) have = s->ev[j].tid < 0 && s->ev[j].kind == RF_READ && s->ev[j].loc == loc;
    if (have) continue;
    if (!hd_grow((void **)&s->ev, &s->cap_ev, s->nev + 1, sizeof *s->ev)) {
      stop(s, "out of memory");
      return;
    }
    rf_event e = {.tid = -1, .loc = loc, .rf = s->cur[loc], .creator = -2, .key = RF_FINAL_KEY + (int64_t)s->nev,
                  .since = -1, .kind = RF_READ};
    push_alternatives(s, &e);
    s->ev[s->nev++] = e;
  }
}

static void rf_end(void *self, const hd_outcome *o) {
  rf_state *s = self;
  if (s->picked >= 0) commit(s, true, true, NULL); /* the last step ended the program */
  for (size_t i = 0; i < s->nwaits && !s->why[0]; i++) /* still waiting, or frozen with no end to abandon it */
    if (s->waits[i].kind != RF_FROZEN || !s->ended) s->fruitless = true;
  if (!s->fruitless) final_reads(s, o);
  s->pending = NULL;
}

static bool rf_uncounted(void *self) { return ((rf_state *)self)->fruitless; }

static const char *rf_summary(void *self) {
  rf_state *s = self;
  return s->why[0] ? s->why : NULL;
}

static void rf_destroy(void *self) {
  rf_state *s = self;
  stop_all_speculation(s);
  free(s->specs);
  hd_helper_tokens_free(s->tokens);
  free(s->touched);
  for (size_t i = 0; i < s->nstack; i++) branch_free(&s->stack[i]);
  free(s->stack);
  free(s->ev);
  free(s->waits);
  free(s->draws);
  free(s->order);
  free(s->cur);
  free(s->map_obj);
  free(s->map_loc);
  free(s->failed);
  free(s->path);
  free(s->sizes);
  free(s->waited);
  free(s->porf);
  free(s->vc);
  free(s->tidx);
  free(s->vc_e);
  free(s);
}

static const hd_strategy_ops rf_ops = {
    .name = "dfs",
    .begin = rf_begin,
    .pick_thread = rf_pick_thread,
    .pick_value = rf_pick_value,
    .pick_data = rf_pick_data,
    .end = rf_end,
    .summary = rf_summary,
    .destroy = rf_destroy,
    .uncounted = rf_uncounted,
    .coverage = rf_coverage,
    .helpers = rf_helpers,
    .budget = rf_budget,
    .absorbed = rf_absorbed,
};

bool hd_strategy_reads_from(hd_strategy *out) {
  rf_state *s = calloc(1, sizeof *s);
  if (!s) return false;
  s->picked = -1;
  s->budget_left = UINT64_MAX;
  out->ops = &rf_ops;
  out->self = s;
  return true;
}

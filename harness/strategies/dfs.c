/* The systematic strategies: exhaustive depth-first search by re-execution,
 * with or without dynamic partial-order reduction, optionally bounded in
 * preemptions, and iterative preemption bounding.
 *
 * Stateless search (Godefroid, VeriSoft): the search tree is the list of
 * decisions of the latest execution; each new execution replays a prefix of
 * it and takes a different branch at its deepest node with one left, then
 * extends with the default choice (keep running the current thread, else the
 * lowest runnable one). Every switch point is a node, also those with one
 * runnable thread. A drawn value (pick_value) is not a node: the search
 * runs one such tree per assignment of values to the draws, thread t's n-th
 * draw being one key (dfs_state.assigned).
 *
 * Reduction: source-DPOR with sleep sets (Abdulla, Aronis, Jonsson,
 * Sagonas, "Optimal dynamic partial order reduction", POPL 2014, the
 * "source sets" algorithm). Each executed event is its thread's pending
 * operation (object id and kind). Two events are dependent iff they touch
 * the same nonzero object and are not both read-only (hd_op_read_only);
 * object 0 (yield, sleep, thread start-up) commutes with everything.
 * Happens-before is tracked with vector clocks over dependent events, plus
 * thread creation (the new thread starts after the event that started it)
 * and interpreter exit (main's final wait ends after every finished thread).
 * For each race e < e' (dependent, different threads, e' not already ordered
 * after e by another event) the initials of notdep(e).e' are computed and,
 * when none of them is already in backtrack(pre(e)), one is added (the racing
 * thread when it can run there, else an initial that can run, else every
 * runnable thread: conservative). Sleep sets remove redundant branches.
 *
 * What the engine adds to the textbook model, and how it is handled:
 *   - a thread that blocks inside its operation (a monitor wait) shows up
 *     again later with the same pending operation. Such a blocked step is an
 *     event of its own (conservative), except for blocked ACQUIRE, JOIN and
 *     AWAIT: those primitives (Lock, RLock, Thread.join, the second point of
 *     a condition wait, once its waiter is queued) change nothing before they
 *     wait, so the blocked attempt is a pure read of the object's state: it
 *     races with the write that made it block, never as the earlier event of a
 *     race (undoing a no-op gives the same trace);
 *   - a RELEASE followed by another thread's ACQUIRE, and an EXIT followed by
 *     a JOIN of that thread, are ordered by happens-before but never reversed:
 *     before the release the acquire could not complete (the lock was held),
 *     before the exit the join could not. A non-blocking acquire (HD_OP_TRY)
 *     can complete before the release (it fails), so it is reversed; The race that matters is with the
 *     earlier ACQUIRE (or the blocked attempt), which is found instead;
 *   - the end of the program (main's HD_OP_END, after its non-daemon
 *     threads finished) abandons every daemon thread still alive: it is
 *     dependent with every operation (object HD_OBJ_ALL), so a daemon's
 *     pending operation, even a yield or its start-up, races with it and is
 *     tried before it; the engine makes it a point also when a daemon
 *     finished unjoined, so that it races with the daemon's last steps
 *     (without that, ending before a daemon's release was never tried once
 *     another thread had read what the daemon wrote before it); so does the start of an SV-COMP atomic section (its
 *     accesses are not events of their own, so its first step stands for
 *     all of them, conservatively);
 *   - a thread started in the slot of a finished thread it joined
 *     (hd_decision.respawned1) continues that thread's clock from the event
 *     that started it;
 *   - a thread woken from a wait (by a notify, a release, a set, a put ...)
 *     takes its next step after the event that woke it: that pair is ordered
 *     by happens-before when they conflict, and never reversed (before the
 *     waking event the thread was waiting); a wake-up by another thread or
 *     by a timeout is found through their own races and moves of the clock;
 *   - virtual time moves only when no thread can run (the engine's
 *     hd_decision.time_advanced), so the threads a move wakes (sleepers,
 *     timed waits) start after every thread's latest event (time_wakes):
 *     dfs does not try to run a sleeper's next step before a step that a
 *     runnable thread had still to take, which the clock never allows. An
 *     outcome that depends on which of two timeouts fires first is explored
 *     only as far as the orders of the other operations make it happen.
 *     Without these two rules a third of the executions of the
 *     producer-consumer scenarios ended sleep-set blocked (wasted); with
 *     them prodcon_queue_event wastes none;
 *   - a free step (a wake-up, a yield, a start-up: free_step) commutes with
 *     everything and cannot be disabled, so once its branch is explored at
 *     a node, that node needs no other (executor_map wasted 20 without
 *     this, and explores the same 245,760 classes with it).
 * With these, 3 threads writing 3 variables give 1 execution, 3 increments
 * under one Lock give 3! = 6, and 2 unlocked increments give 4.
 *
 * Which operations of the primitives commute, then: on different objects,
 * all of them; on one object, two read-only ones (hd_op_read_only: queries
 * such as Event.is_set, Queue.qsize/empty/full, Lock.locked, shared reads,
 * and blocked acquire/join attempts, which change nothing), and no other
 * pair. Pairs that look commutative (two Event.set, two Semaphore.release,
 * two Timer.cancel) are kept ordered on purpose: each can be the one that
 * wakes a waiter, and the rule that a woken thread's step is not tried
 * before what woke it holds only if its possible wakers are ordered among
 * themselves. A failed try-acquire and a release are reversed (dfs_test
 * checks both orders); timeouts are ordered by the moves of the clock. A
 * coarser equivalence, reads-from (N writers and one reader in N+1
 * executions instead of the (N+1)! orders), is a search of its own:
 * readsfrom.c, dfs --reads-from.
 *
 * Preemption bounding (Musuvathi and Qadeer, "Iterative context bounding
 * for systematic testing of multithreaded programs", PLDI 2007): with a bound
 * k the search keeps only schedules with at most k preemptions (switching
 * away from a thread that could continue). Combining DPOR naively with a
 * bound is unsound (Coons, Musuvathi, McKinley, "Bounded partial-order
 * reduction", OOPSLA 2013), so a bounded search does not reduce. The
 * "bounded" strategy runs the bounded search for k = 0, 1, 2, ... so the
 * first bug found has the fewest preemptions; a round that pruned nothing
 * was the full tree, and the search ends there, complete.
 *
 * With --optimal, optimal DPOR replaces source-DPOR: races insert their
 * reversals in wakeup trees ("optimal DPOR" below).
 *
 * With --sections, a critical section that only reads and writes memory is
 * one step, so sections on one lock that touch nothing in common are one
 * class ("sections" below).
 *
 * With --jobs, helper processes explore ahead without changing what the
 * search finds or counts ("helpers" below). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/strategies/helpers.h"
#include "harness/strategies/strategy.h"
#include "harness/strategies/wakeup.h"

/* One node of the current path. Invariants: choice is in runnable and in
 * done; done is a subset of runnable; sleep holds threads whose branch here
 * is known to be redundant. `preemptions` counts preemptions on the path
 * before this node. */
typedef struct node {
  int16_t current;
  uint16_t choice;
  uint16_t nw; /* words of its thread sets: the threads that existed here */
  unsigned preemptions;
  uint64_t begun_at; /* the execution (1-based) that created it: its subtree's first */
  /* Optimal DPOR: its wakeup tree (the children of wroot are its branches
   * to come; wroot is the parent's wcur, or the tree's top) and the child
   * being explored; -1 when the node has none (a redundant execution's). */
  int32_t wroot, wcur;
  size_t sets_at; /* its sets runnable, backtrack, done, sleep: nw words each in dfs_state's setpool */
} node;

/* One executed step: thread `tid` performed `op` on `obj`. Invariant: after
 * the analysis in end(), its vector clock is event_clock_of(s, index)
 * (clock[tid] == local, its 1-based index among tid's events); prev_obj is
 * the previous event on the same object or -1. */
typedef struct event {
  uint16_t tid;
  uint8_t op;
  bool attempt;  /* a blocked ACQUIRE/JOIN: a pure read */
  bool finishes; /* its thread finished with it */
  uint32_t obj;
  uint32_t local;
  int32_t prev_obj;
  uint32_t node;
  uint64_t step;            /* the engine's decision index (hd_decision.step) */
  uint64_t conflict_step1;  /* hd_pending.conflict_step1 of the operation */
  int32_t woken_by;         /* the event that woke its thread from a wait (its first step since), or -1 */
  int32_t tx;               /* the first event of its transaction ("sections"); its own index when none */
  uint32_t sec;             /* the lock of the transaction it belongs to, 0 none */
  uint32_t guard;           /* hd_pending.guard when it ran */
  bool neutral;             /* an acquire or release of a transaction that ended with its release */
} event;

/* Per-object happens-before state: the latest event on it; its clocks (of
 * the last write, and the join of reads since it) are in dfs_state's
 * objclocks at the object's slot. */
typedef struct objstate {
  int32_t last; /* latest event on it, -1 none, -2 untouched by this analysis */
} objstate;

typedef struct dfs_state {
  bool reduction;
  bool symmetry;       /* twins (hd_pending.twin_class) not started yet: only the lowest is a branch */
  bool optimal;        /* optimal DPOR: wakeup trees (see "optimal DPOR" below) */
  hd_wtree wt;         /*   the trees of the path's nodes, */
  int32_t wtop;        /*   the root node's, -1 until made */
  hd_wstep *wsteps;    /*   scratch: a race's reversal, */
  size_t *windex;      /*   its events' indices (SIZE_MAX: p's pending operation), */
  size_t cap_wsteps;
  int nsets;           /* sets per thread node: 5, and TWINS with symmetry */
  bool iterative;      /* the "bounded" strategy */
  int64_t bound;       /* preemption bound, -1 none */
  bool bound_hit;      /* a branch was pruned by the bound in this round */
  /* Critical sections as transactions (--sections; "sections" below). */
  bool sections;        /* asked for, */
  bool sections_off;    /*   given up after a check failed (the search restarted with them ordered), */
  bool restart;         /*   to restart at the next begin */
  bool violation;       /* this execution failed a check */
  uint64_t discarded;   /* executions run before the restart */
  int tx_thread;        /* the thread whose transaction is open, -1 none */
  uint32_t tx_lock;     /*   its lock, */
  size_t tx_start;      /*   its first event (the acquire) */
  /* Sleepers about to take the lock of the transaction a thread is taking
   * or in, kept asleep until it ends (asleep_past_lock_op). */
  hd_tset lock_sleepers;
  uint32_t *tx_locks;   /* the locks of this execution's transactions */
  size_t ntx_locks, cap_tx_locks;
  /* The transactions taken at each depth's node, by thread, as explored
   * (a sleeper's next step is one of them: what it touches decides when
   * it wakes). Reset when the node is made anew. */
  struct footprint {
    uint32_t depth;
    int32_t tid;
    uint32_t at, n; /* its steps: footprint_steps[at .. at + n) */
  } *footprints;
  size_t nfootprints, cap_footprints;
  struct footprint_step {
    uint32_t obj;
    uint8_t op;
    bool ro; /* read-only there (a neutral lock operation, a blocked attempt) */
  } *footprint_steps;
  size_t nfootprint_steps, cap_footprint_steps;
  bool exhausted;
  bool exhausted_after; /* end the current tree after the current execution */
  bool uncounted;       /* the last execution explored nothing new */
  char summary[200];
  uint64_t executions; /* begun */
  /* Drawn values (pick_value) are not nodes of the tree but an assignment
   * to keys (thread, its n-th draw): the search runs one DPOR tree per
   * assignment, in depth-first order over the keys as they are met. A tree
   * is then the tree of a program without data nondeterminism, whose races
   * are reversed only under the values they were found with: when values
   * were nodes, a race found under one value added a branch explored under
   * every value, and under the others that branch could only end sleep-set
   * blocked (barrier_start_together wasted 38 of 2,232 executions). The
   * stack of keys: [0, nassigned) assigned, then nnoted met by this tree
   * for the first time (drawing 0). */
  struct keyed_draw {
    uint32_t tid, n;
    uint64_t value, bound;
  } *assigned;
  size_t nassigned, nnoted, cap_assigned;
  uint64_t trees_done;        /* trees finished, and */
  uint64_t tree_executions;   /*   their executions (for the estimate) */
  uint64_t tree_begun_at;     /* the current tree's first execution */
  /* For the estimate of what is left (hd_strategy_coverage): per depth, the
   * subtrees finished there (how many, their executions in all, and the
   * branches their roots ended with). */
  struct depth_stats {
    uint64_t finished;
    double executions, branches;
  } *stats;
  size_t cap_stats, nstats;
  /* In a helper: the statistics it was forked with. It decides where its
   * own helpers go by all it knows (worth_a_helper), and sends the search
   * only what it added. */
  struct depth_stats *stats_base;
  size_t nstats_base;
  /* Splitting the tree between workers (--jobs, Bazel shards): the first
   * node with several runnable threads is expanded in full, and this worker
   * takes the branches whose rank (in thread order) is split_index modulo
   * split_ways. */
  unsigned split_ways, split_index;
  size_t split_depth;  /* SIZE_MAX until found */
  hd_tset owned;

  node *nodes;
  size_t nnodes, cap_nodes;
  /* The nodes' thread sets, stacked like the nodes (node d's after node
   * d - 1's): a node of a few threads takes four words, not four 1,024-bit
   * sets. */
  uint64_t *setpool;
  size_t cap_setpool;
  size_t replay_len;   /* nodes [0, replay_len) are replayed */
  size_t depth;        /* node index of the next decision */
  unsigned preemptions;
  hd_tset next_sleep;  /* sleep set of the next new thread node, */
  hd_tset next_free;   /*   the FREE set it comes from, */
  int next_sleep_nw;   /*   their words in use */

  /* DPOR bookkeeping. The events are recorded during the execution and
   * analysed in end(), on the host's stack rather than a fiber's (the
   * analysis is the heavy part, and sanitizer runtimes need deep stacks). */
  event *events;
  size_t nevents, cap_events;
  bool flags_pending;      /* events[nevents-1] waits for the next decision */
  hd_pending last_pending; /* the pending op recorded for it */
  bool redundant;          /* sleep-set blocked: no new branches below */
  size_t redundant_from;   /* first event not analysed for races, or SIZE_MAX */
  int known;               /* threads seen */
  /* Threads started in the slot of a finished thread (hd_decision.respawned1):
   * the event that started each, in order; its clock restarts the slot's. */
  struct respawn {
    size_t event;
    int tid;
  } *respawns;
  size_t nrespawns, cap_respawns, next_respawn;
  /* The events that follow a move of the virtual clock (hd_decision.
   * time_advanced), in order: the threads runnable there were woken by it,
   * after every thread's latest event. */
  size_t *ticks;
  size_t nticks, cap_ticks, next_tick;
  /* Wake-ups: the threads runnable at the previous decision, and for each
   * thread that was waiting then and can run now, the event that woke it
   * (-1: none, or a move of the clock), until its next step. */
  hd_tset prev_runnable;
  int prev_nthreads;
  /* The analysis's vector clocks, all `width` components wide (the threads
   * of the execution analysed, so a small program pays for a few): one per
   * event, one per thread (its latest), two per object slot. */
  int width;
  uint32_t *clocks;        /* event m: clocks + m * width */
  size_t cap_clocks;
  uint32_t *tclocks;       /* thread t: tclocks + t * width */
  size_t cap_tclocks;
  uint32_t *objclocks;     /* slot i: write clock at 2i * width, read clock after it */
  size_t cap_objclocks;
  uint32_t *scratch;       /* two clocks for find_races and the pending operations */
  size_t cap_scratch;
  hd_tset finished;
  size_t *all_events;      /* the events that conflict with everything (HD_OBJ_ALL: the end of the */
  size_t nall, cap_all;    /*   program, an SV-COMP atomic section), in order */
  objstate *objs;          /* dense, one per object seen: slot_index maps ids to them */
  size_t cap_objs, nslots;
  uint32_t *slot_ids;      /* open addressing: object id, 0 for an empty entry */
  uint32_t *slot_index;
  size_t slot_cap;         /* a power of two */
  const hd_pending *pending; /* the engine's array, valid until end() */
  int nthreads;
  /* Per thread of the execution, as many as it has had (grown, not sized
   * for HD_MAX_THREADS: a strategy is made for every tree, and a small
   * program's tree is a few executions). */
  struct thread_info {
    int32_t creator;     /* event that started it, -1 for main */
    uint32_t tcount;     /* the analysis: its events so far */
    uint32_t draws;      /* data draws so far (pick_data) */
    uint32_t values;     /* value draws so far (pick_value) */
    uint32_t twin_class; /* symmetry: hd_pending.twin_class, 0 none */
    uint32_t first_node; /* symmetry: its first step after its start-up, UINT32_MAX: none */
    int32_t asleep_tx;   /* sections: asleep, its next step is the transaction at this index of
                            `footprints`, -1 none */
    int32_t waker;       /* the event that woke it from a wait (until its next step), -1 none */
    bool abandonable;    /* hd_pending.abandonable at its start */
    bool end_unread;     /* hd_pending.end_unread at its start */
  } *ti;
  size_t cap_ti;
  /* Draws (pick_data, pick_value): the thread running and how many each
   * thread drew in this execution, entries [0, ndrawers) in use. */
  int running;
  int ndrawers;
  /* Symmetry: the twin classes met while computing a node's twins (stamped,
   * not cleared; the threads' classes are in ti). */
  uint64_t *class_seen;
  size_t cap_class_seen;
  uint64_t class_stamp;

  /* Speculation (--jobs N, see "helpers" below): helper processes, each
   * exploring the branch a node on the current path takes next. */
  unsigned max_helpers;
  hd_helper_slot *specs; /* HD_DFS_MAX_HELPERS of them, allocated with the first helper; only
             * the first max_helpers are used (HELPER_SLOTS per place), and a
             * search looks at those only, between every two executions. A
             * helper that has ended keeps its slot (and its results) until
             * the search comes to its branch, while its place goes to another */
  unsigned quiet;           /* speculate calls left before looking for a branch again */
  /* Processes that may run besides the ones running, shared by the search
   * and every helper (helpers start helpers of their own inside their
   * subtree): one is taken to start a helper and given back when it is
   * seen to have ended, and a process that waits for a helper gives its own
   * back meanwhile. */
  int *tokens;
  int (*runner)(void *ctx); /* runs one execution with this strategy: 0 when it passed */
  void *runner_ctx;
  double watchdog;          /* a helper silent this long (seconds, 0: no limit) is given up */
  uint64_t budget_left;     /* executions the search may still count */
  uint64_t absorbed_counted, absorbed_wasted; /* taken from helpers, not yet told to the caller */
  /* In a helper process: the node whose branch it explores (SIZE_MAX in the
   * search itself), and what it found for the nodes above that node. */
  size_t helper_of;
  size_t spawn_depth;       /* the node and branch the next helper takes */
  uint64_t spawn_branch;
  char *found;
  size_t nfound, cap_found;
  uint64_t nrequests;
  uint64_t *request_seen; /* open addressing: (offset in found + 1) of each distinct request */
  size_t cap_request_seen;
} dfs_state;

/* A node's set: 0 runnable, 1 backtrack, 2 done, 3 sleep, 4 free, 5 twins
 * (n->nw words; the last only with symmetry). Free: runnable threads about
 * to take a free step (free_step). Twins: runnable threads not started yet
 * whose twin of a lower id is not started either, so never a branch of
 * their own. */
static hd_tset *node_set(const dfs_state *s, const node *n, int which) {
  return (hd_tset *)(s->setpool + n->sets_at + (size_t)which * n->nw);
}
#define RUNNABLE(s, n) node_set(s, n, 0)
#define BACKTRACK(s, n) node_set(s, n, 1)
#define DONE(s, n) node_set(s, n, 2)
#define SLEEP(s, n) node_set(s, n, 3)
#define FREE(s, n) node_set(s, n, 4)
#define TWINS(s, n) node_set(s, n, 5)

/* Symmetry reduction (after Emerson and Sistla, "Symmetry and model
 * checking", FMSD 1996, and Ip and Dill, "Better verification through
 * symmetry", FMSD 1996, on a stateless search). Twins are threads spawned one
 * right after another running the same function with the same argument
 * (engine: hd_pending.twin_class). Until either has taken a step after its
 * start-up (which reads nothing: the code before the first switch point is
 * the thread's own, given the same function and argument), they are in the
 * same state, and swapping their names maps every execution in which the
 * higher one starts first onto one in which the lower one does: so at a node
 * where several twins have not started, only the lowest is a branch, and a
 * race that asks for a higher one (add_backtrack) gets the lowest. What this
 * assumes, and the option's documentation says: the rest of the program does
 * not tell twins apart by their identity. The engine refuses a run in which
 * a thread reads a twin's identity (hd__twin_identity: get_ident, the name,
 * is_alive, pthread_self, a try or timed join, pthread_join's value); a
 * handle compared with another it cannot see. */
static int twin_representative(const dfs_state *s, const node *n, int t) {
  if (!s->symmetry || t >= n->nw * 64 || !hd_tset_has(TWINS(s, n), t)) return t;
  uint32_t at = (uint32_t)(n - s->nodes);
  for (int r = hd_tset_first(RUNNABLE(s, n), n->nw); r >= 0 && r < t; r = hd_tset_next(RUNNABLE(s, n), r, n->nw))
    if (s->ti[r].twin_class == s->ti[t].twin_class && !hd_tset_has(TWINS(s, n), r) && s->ti[r].first_node >= at) return r;
  return t; /* not reached: a twin has an unstarted lower twin at its node */
}

/* ---- dependency ------------------------------------------------------------------ */

static bool ro(hd_op_kind op, bool attempt) { return attempt || hd_op_read_only(op); }

/* ---- sections: critical sections as transactions ----------------------------------
 *
 * With --sections, a critical section runs as one step of the search, a
 * transaction, from the acquire of its lock to the release, as long as what
 * it does in between is reads and writes of memory (and draws, and looks at
 * the clock, which does not move while a thread can run). Lipton's
 * reduction theorem ("Reduction: a method of proving properties of parallel
 * programs", CACM 1975) says why the steps in between need no switch
 * points: an acquire is a right mover, a release a left mover, and an
 * access to memory that every thread touches only while holding the lock
 * is a both-mover, so every execution can be rearranged into one with each
 * such section in one piece, reaching the same state (Flanagan and Qadeer,
 * "Transactions for software model checking", SoftMC 2003, use it the same
 * way). A transaction's footprint is then what its accesses touch, and its
 * acquire and release commute with another transaction's on the same lock
 * (the lock is free before and after each): two sections that touch
 * nothing in common are one class, not two, and sections that do conflict
 * are ordered both ways through their accesses.
 *
 * What the theorem assumes is checked, not trusted: every pair of
 * conflicting accesses the analysis finds racing (find_races: no other event
 * orders them), one of them in a transaction on lock L, must both be made
 * holding L (hd_pending.guard), and no thread may try, query or give up a
 * transaction's lock without holding it (a failed try-acquire inside the
 * section would see it held). A violation shows up as such a race in some
 * execution of the reduced search whenever some execution of the program
 * has one (the argument of Stoller, "Model-checking multi-threaded
 * distributed Java programs", STTT 2002, for scheduling only at
 * synchronisation when a race check finds no race: take the shortest
 * execution with a violation; the rest of it rearranges into transactions).
 * On a violation the search starts again from the beginning with sections
 * ordered as they were without the option, so `complete` keeps its meaning
 * either way; the executions before count, as `sections_discarded` says.
 * A section ends early (the rest of it runs with its usual switch points)
 * at anything else: another lock (a lock order such as ABBA is then found as
 * before), a wait, a notify, a queue, a yield or a sleep, an atomic
 * read-modify-write; its acquire is then an ordinary one. (Lipton's theorem
 * allows one step that moves neither way inside a transaction, such as a
 * notify; no scenario explored fewer executions with one, so a transaction
 * takes none. Trying it lost a final state with the sleep sets --sections
 * kept then: see backtrack_choice.) Sleep sets follow transactions: a
 * sleeper about to take a lock sleeps through a transaction it commutes
 * with, by the footprint of the one it took where it was explored
 * (asleep_independent, asleep_past_lock_op). A daemon the end
 * of the program may abandon gets no transactions: the end could come in
 * the middle of its section, and the test's check reads what it left. The
 * threads of a C program may be abandoned too (exit() ends them all), but
 * its check reads only the exit status (hd_pending.end_unread): an end in
 * the middle of a section is an end before it. */

/* Whether a pending step can go on in a transaction on `lock`. */
static bool section_step(const hd_pending *p, uint32_t lock) {
  if (p->obj_id == HD_OBJ_ALL) return false;
  if (p->op == HD_OP_READ || p->op == HD_OP_WRITE) return p->obj_id != 0;
  if (p->obj_id == 0) return p->op == HD_OP_RANDOM || p->op == HD_OP_CLOCK;
  return p->obj_id == lock && p->holds && (p->op == HD_OP_ACQUIRE || p->op == HD_OP_RELEASE || p->op == HD_OP_QUERY);
}

static bool sections_on(const dfs_state *s) { return s->sections && !s->sections_off; }

static bool is_tx_lock(const dfs_state *s, uint32_t obj) {
  for (size_t i = 0; i < s->ntx_locks; i++)
    if (s->tx_locks[i] == obj) return true;
  return false;
}

/* Keeps the open transaction going, ends it, or opens one, at a decision:
 * the thread whose step is forced (the one in its transaction), or -1 when
 * the search chooses freely. */
static int transaction_step(dfs_state *s, const hd_decision *d) {
  if (s->nevents == 0) return -1;
  event *last = &s->events[s->nevents - 1];
  int t = last->tid;
  bool goes_on = t == d->current && t < d->nthreads && hd_tset_has(d->runnable, t);
  const hd_pending *p = &d->pending[t];
  if (s->tx_thread >= 0) {
    uint32_t lock = s->tx_lock;
    if (goes_on && p->guard == lock) {
      if (section_step(p, lock)) return t;
      s->tx_thread = -1; /* the section goes on with its usual switch points */
      return -1;
    }
    /* The lock is given up: the section was one transaction from its acquire
     * to its release (else its thread stopped inside it, which is no
     * transaction of its own either). */
    if (goes_on && last->op == HD_OP_RELEASE && last->obj == lock && p->guard != lock)
      for (size_t m = s->tx_start; m < s->nevents; m++)
        if (s->events[m].obj == lock) s->events[m].neutral = true;
    s->tx_thread = -1;
    return -1;
  }
  /* A transaction starts where its thread takes the lock, not where it
   * takes it again (the lock is free before a transaction and after it). */
  if (last->op != HD_OP_ACQUIRE || last->attempt || s->last_pending.holds || !goes_on || p->guard != last->obj ||
      (s->ti[t].abandonable && !s->ti[t].end_unread) || !section_step(p, last->obj))
    return -1;
  if (!is_tx_lock(s, last->obj)) {
    if (!hd_grow((void **)&s->tx_locks, &s->cap_tx_locks, s->ntx_locks + 1, sizeof *s->tx_locks)) return -1;
    s->tx_locks[s->ntx_locks++] = last->obj;
  }
  s->tx_thread = t;
  s->tx_lock = last->obj;
  s->tx_start = s->nevents - 1;
  last->sec = last->obj;
  return t;
}

/* A lock is held by whoever's latest lock it is, or whose transaction it is. */
static bool guarded_by(uint32_t guard, uint32_t sec, uint32_t lock) { return guard == lock || sec == lock; }

static bool data_op(hd_op_kind op) { return op == HD_OP_READ || op == HD_OP_WRITE || op == HD_OP_UPDATE; }

/* Earlier event ej and a later access (with its thread's guard and
 * transaction) conflict and race: both must hold the lock of a transaction
 * either belongs to. */
static void check_section(dfs_state *s, const event *ej, uint32_t guard, uint32_t sec) {
  if ((ej->sec && !guarded_by(guard, sec, ej->sec)) || (sec && !guarded_by(ej->guard, ej->sec, sec)))
    s->violation = true;
}

/* A try, a query or a release of a transaction's lock by a thread that does
 * not hold it could come in the middle of the transaction. */
static void check_lock_use(dfs_state *s, uint32_t obj, hd_op_kind op, uint32_t guard, uint32_t sec) {
  if ((op == HD_OP_TRY || op == HD_OP_QUERY || op == HD_OP_RELEASE) && obj && !guarded_by(guard, sec, obj) &&
      is_tx_lock(s, obj))
    s->violation = true;
}

static bool dependent_ops(uint32_t oa, hd_op_kind a, bool aa, uint32_t ob, hd_op_kind b, bool ab) {
  if (oa == HD_OBJ_ALL || ob == HD_OBJ_ALL) return true; /* the end of the program abandons everything */
  return oa != 0 && oa == ob && !(ro(a, aa) && ro(b, ab));
}

/* True when an earlier `e` and a later op `later` on the same object may be
 * reversed (see the header comment). */
static bool reversible(const event *e, size_t j, hd_op_kind later, int32_t later_woken_by) {
  if (e->attempt) return false;
  /* A thread's first step after e woke it could not come before e: it was
   * waiting (woken otherwise, by another thread or a timeout, is another
   * race, or a move of the clock, which dfs orders: time_wakes). */
  if (later_woken_by == (int32_t)j) return false;
  if (e->op == HD_OP_RELEASE && later == HD_OP_ACQUIRE) return false;
  if (e->op == HD_OP_EXIT && later == HD_OP_JOIN) return false;
  return true;
}

/* Also for a later step inside a transaction whose first event is tx_first
 * (-1: none): the transaction is one step, which cannot come before what
 * its first event could not (its acquire before the release it needed, the
 * event that woke its thread). */
static bool reversible_in(const dfs_state *s, const event *e, size_t j, hd_op_kind later, int32_t later_woken_by,
                          int32_t tx_first) {
  if (!reversible(e, j, later, later_woken_by)) return false;
  if (tx_first < 0) return true;
  const event *first = &s->events[tx_first];
  return first->woken_by != (int32_t)j && (e->obj != first->obj || reversible(e, j, first->op, -1));
}

/* e happens-before a point whose clock is `c`. */
static bool hb(const event *e, const uint32_t *c) { return c[e->tid] >= e->local; }

/* Clock copies: loops, since a memcpy of a run-time size (a few words
 * here) is a library call. */
static void clock_copy(uint32_t *into, const uint32_t *from, int n) {
  for (int t = 0; t < n; t++) into[t] = from[t];
}

static void join(uint32_t *into, const uint32_t *from, int n) {
  for (int t = 0; t < n; t++)
    if (from[t] > into[t]) into[t] = from[t];
}

/* The slot of object `id` in objs, or -1 (insert: make one). Object ids
 * are sparse (memory locations have large ones, engine/memory.c), so they
 * are hashed to dense slots. */
static int64_t obj_slot(dfs_state *s, uint32_t id, bool insert) {
  if (s->slot_cap == 0) {
    if (!insert) return -1;
    s->slot_cap = 256;
    s->slot_ids = calloc(s->slot_cap, sizeof *s->slot_ids);
    s->slot_index = calloc(s->slot_cap, sizeof *s->slot_index);
    if (!s->slot_ids || !s->slot_index) return -1;
  }
  size_t mask = s->slot_cap - 1;
  for (size_t k = (id * 2654435761u) & mask;; k = (k + 1) & mask) {
    if (s->slot_ids[k] == id) return s->slot_index[k];
    if (s->slot_ids[k] != 0) continue;
    if (!insert) return -1;
    if ((s->nslots + 1) * 2 > s->slot_cap) { /* keep the table half empty: rehash */
      uint32_t *ids = s->slot_ids;
      uint32_t *index = s->slot_index;
      size_t cap = s->slot_cap;
      s->slot_ids = calloc(cap * 2, sizeof *s->slot_ids);
      s->slot_index = calloc(cap * 2, sizeof *s->slot_index);
      if (!s->slot_ids || !s->slot_index) return -1;
      s->slot_cap = cap * 2;
      for (size_t i = 0; i < cap; i++) {
        if (!ids[i]) continue;
        size_t m2 = s->slot_cap - 1, j = (ids[i] * 2654435761u) & m2;
        while (s->slot_ids[j]) j = (j + 1) & m2;
        s->slot_ids[j] = ids[i];
        s->slot_index[j] = index[i];
      }
      free(ids);
      free(index);
      return obj_slot(s, id, true);
    }
    size_t slot = s->nslots;
    if (!hd_grow((void **)&s->objs, &s->cap_objs, slot + 1, sizeof(objstate))) return -1;
    for (size_t i = slot; i < s->cap_objs; i++) s->objs[i].last = -2; /* untouched this execution */
    s->slot_ids[k] = id;
    s->slot_index[k] = (uint32_t)slot;
    s->nslots++;
    return (int64_t)slot;
  }
}

/* The clocks of the analysis (see dfs_state). */
static uint32_t *event_clock_of(dfs_state *s, size_t m) { return s->clocks + m * (size_t)s->width; }
static uint32_t *thread_clock(dfs_state *s, int t) { return s->tclocks + (size_t)t * (size_t)s->width; }
static uint32_t *write_clock(dfs_state *s, int64_t slot) { return s->objclocks + (size_t)slot * 2 * (size_t)s->width; }
static uint32_t *read_clock(dfs_state *s, int64_t slot) { return write_clock(s, slot) + s->width; }

/* The slot of object `id`, its state reset if this analysis had not touched
 * it yet; -1 when out of memory. */
static int64_t obj_state(dfs_state *s, uint32_t id) {
  int64_t slot = obj_slot(s, id, true);
  if (slot < 0) return -1;
  if (!hd_grow((void **)&s->objclocks, &s->cap_objclocks, (size_t)(slot + 1) * 2 * (size_t)s->width, sizeof(uint32_t)))
    return -1;
  objstate *o = &s->objs[slot];
  if (o->last == -2) {
    o->last = -1;
    memset(write_clock(s, slot), 0, 2 * (size_t)s->width * sizeof(uint32_t));
  }
  return slot;
}

/* ---- source-DPOR --------------------------------------------------------------------- */

/* The source-DPOR rule at node n, for a race whose reversal can start with
 * any thread of `initials`, preferably p: nothing when one of them is a
 * branch there already (BRANCH_KNOWN), else one that can run there (its
 * id), else every thread that can (BRANCH_EVERY). decide_backtrack applies
 * it. */
enum { BRANCH_KNOWN = -2, BRANCH_EVERY = -1 };
static int backtrack_choice(dfs_state *s, const node *n, const hd_tset *initials, int p) {
  /* Only threads that existed at the node can be branches there. */
  hd_tset known_here;
  hd_tset_or(&known_here, BACKTRACK(s, n), DONE(s, n), n->nw);
  /* A sleeping initial is a branch explored already above (the rule may
   * choose any initial; choosing it adds nothing). With --sections, while
   * every sleeper about to take a lock woke at any transaction's acquire,
   * this lost a final state of a generated program (when transactions could
   * hold a condition wait, an extension since dropped), and an awake
   * initial was chosen instead, at a cost of sleep-set-blocked executions
   * (executor_locked 18 of 56); such sleepers now sleep through a
   * transaction they commute with (asleep_past_lock_op), none is wasted,
   * and sections_test checks every final state on generated programs. */
  hd_tset_or(&known_here, &known_here, SLEEP(s, n), n->nw);
  if (hd_tset_intersects(initials, &known_here, n->nw)) return BRANCH_KNOWN;
  hd_tset can;
  hd_tset_and(&can, initials, RUNNABLE(s, n), n->nw);
  if (p < n->nw * 64 && hd_tset_has(&can, p)) return p;
  int q = hd_tset_first(&can, n->nw);
  return q >= 0 ? q : BRANCH_EVERY;
}

static void decide_backtrack(dfs_state *s, node *n, const hd_tset *initials, int p) {
  int q = backtrack_choice(s, n, initials, p);
  if (q >= 0) hd_tset_add(BACKTRACK(s, n), q);
  else if (q == BRANCH_EVERY) hd_tset_or(BACKTRACK(s, n), BACKTRACK(s, n), RUNNABLE(s, n), n->nw);
}

static void request_backtrack(dfs_state *s, uint32_t node_index, const hd_tset *initials, int p, int nw);

/* The source-DPOR rule at node `node_index`, or, in a helper and for a node
 * above its subtree, a request to the search it helps, which decides in its
 * own order (apply_helper). `nw`: the words of `initials` in use. */
static void backtrack_at(dfs_state *s, uint32_t node_index, const hd_tset *initials, int p, int nw) {
  if (s->helper_of != SIZE_MAX && node_index <= s->helper_of) request_backtrack(s, node_index, initials, p, nw);
  else decide_backtrack(s, &s->nodes[node_index], initials, p);
}

static bool free_step_explored(const dfs_state *s, const node *n);

/* ---- optimal DPOR -------------------------------------------------------------------- */

/* With wakeup trees (wakeup.h; Abdulla, Aronis, Jonsson, Sagonas, JACM
 * 2017, Algorithm 2) a race does not add a thread to a node's backtrack
 * set: its reversal, the sequence v = notdep(e).e' (what followed e without
 * happening after it, then the racing step), is inserted in the node's
 * wakeup tree, unless a thread explored at the node (done, or asleep
 * there) is a weak initial of v, and the branch follows v step by step
 * before it chooses freely again. Source-DPOR may start a branch whose
 * continuations are all redundant and learn it only when every thread
 * that can run is asleep (a wasted execution); the tree's sequence leads
 * to the reversal itself. The steps of a tree come from earlier
 * executions, so a fact that cannot be checked against the sequence being
 * inserted is taken on the safe side (wakeup.h): a step whose memory
 * conflicts were found late (hd_pending.conflict_step1) conflicts with
 * everything. A thread woken from a wait needs no such care: a step of the
 * tree or of a thread explored at the node can run there, so what woke it
 * came before, never in the sequence. */

static hd_wstep step_of_event(const event *e) {
  return (hd_wstep){
      .tid = e->tid, .obj = e->obj, .op = e->op, .attempt = e->attempt, .opaque = e->conflict_step1 != 0};
}

static hd_wstep step_of_pending(const dfs_state *s, int t) {
  const hd_pending *p = &s->pending[t];
  return (hd_wstep){.tid = t, .obj = p->obj_id, .op = (uint8_t)p->op, .opaque = p->conflict_step1 != 0};
}

/* Thread t's step after event j (its pending operation at j's node):
 * its first event after j, else what it was about to do at the end. */
static bool step_after(const dfs_state *s, size_t j, int t, hd_wstep *out) {
  for (size_t m = j + 1; m < s->nevents; m++)
    if (s->events[m].tid == t) {
      *out = step_of_event(&s->events[m]);
      return true;
    }
  if (!s->pending || t >= s->nthreads || t >= s->known || hd_tset_has(&s->finished, t)) return false;
  *out = step_of_pending(s, t);
  return true;
}

struct reversal {
  dfs_state *s;
  const uint32_t *pclock; /* the racing step's clock */
};

static bool reversal_ordered(void *ctx, size_t a, size_t b) {
  const struct reversal *r = ctx;
  size_t ib = r->s->windex[b];
  return hb(&r->s->events[r->s->windex[a]], ib == SIZE_MAX ? r->pclock : event_clock_of(r->s, ib));
}

static bool reversal_conflicts(void *ctx, const hd_wstep *x, size_t b) {
  const struct reversal *r = ctx;
  const hd_wstep *y = &r->s->wsteps[b];
  if (x->tid == y->tid || x->opaque || y->opaque) return true;
  if (dependent_ops(x->obj, (hd_op_kind)x->op, x->attempt, y->obj, (hd_op_kind)y->op, y->attempt)) return true;
  size_t ib = r->s->windex[b]; /* the event that started x's thread */
  return ib != SIZE_MAX && x->tid < r->s->known && r->s->ti[x->tid].creator == (int32_t)ib;
}

/* The reversal of the race between events[j] and p's step (event `upto`,
 * or p's pending operation at the end): v = notdep(e).e', the events after
 * events[j] that do not happen after it, then p's step, in s->wsteps and
 * s->windex; false when out of memory. */
static bool build_reversal(dfs_state *s, size_t j, int p, size_t upto, struct reversal *ctx, hd_wseq *v) {
  const event *ej = &s->events[j];
  size_t need = upto - j + 1;
  if (need > s->cap_wsteps) {
    hd_wstep *steps = realloc(s->wsteps, need * sizeof *steps);
    if (steps) s->wsteps = steps;
    size_t *index = realloc(s->windex, need * sizeof *index);
    if (index) s->windex = index;
    if (!steps || !index) return false;
    s->cap_wsteps = need;
  }
  size_t k = 0;
  for (size_t m = j + 1; m < upto; m++) {
    if (hb(ej, event_clock_of(s, m))) continue;
    s->wsteps[k] = step_of_event(&s->events[m]);
    s->windex[k++] = m;
  }
  s->wsteps[k] = upto < s->nevents ? step_of_event(&s->events[upto]) : step_of_pending(s, p);
  s->windex[k++] = upto < s->nevents ? upto : SIZE_MAX;
  *v = (hd_wseq){s->wsteps, k, reversal_ordered, reversal_conflicts, ctx};
  return true;
}

/* Optimal DPOR: inserts v, the reversal of a race with events[j], in the
 * wakeup tree of j's node. */
static void insert_reversal(dfs_state *s, size_t j, const hd_wseq *v) {
  const event *ej = &s->events[j];
  node *n = &s->nodes[ej->node];
  /* Covered by a thread explored here (sleep(E') of Algorithm 2). */
  hd_tset explored;
  hd_tset_or(&explored, DONE(s, n), SLEEP(s, n), n->nw);
  for (int q = hd_tset_first(&explored, n->nw); q >= 0; q = hd_tset_next(&explored, q, n->nw)) {
    hd_wstep next;
    if (q != ej->tid && step_after(s, j, q, &next) && hd_wseq_weak_initial(v, NULL, q, &next)) return;
  }
  int32_t added = hd_wtree_insert(&s->wt, n->wroot, v);
  if (added > 0) hd_tset_add(BACKTRACK(s, n), hd_wtree_step(&s->wt, added)->tid);
}

/* Adds a backtrack point at events[j]'s node for the race between it and a
 * later step of thread p with clock `pclock`, which is (or would be) event
 * index `upto`: source-DPOR adds one of the initials of the reversal v
 * (the threads whose first step in v nothing in v happens before), optimal
 * DPOR inserts v itself. */
static void add_backtrack(dfs_state *s, size_t j, int p, const uint32_t *pclock, size_t upto) {
  j = (size_t)s->events[j].tx; /* a transaction is one step: its branch is at its start */
  const event *ej = &s->events[j];
  node *n = &s->nodes[ej->node];
  struct reversal ctx = {s, pclock};
  hd_wseq v;
  if (!build_reversal(s, j, p, upto, &ctx, &v)) return; /* out of memory: no new branch (never a crash) */
  if (s->optimal && n->wroot >= 0) {
    insert_reversal(s, j, &v);
    return;
  }
  int nw = hd_tset_words(s->width);
  hd_tset initials, seen;
  hd_tset_clear(&initials, nw);
  hd_tset_clear(&seen, nw);
  for (size_t a = 0; a < v.n; a++) {
    int t = v.steps[a].tid;
    if (hd_tset_has(&seen, t)) continue;
    hd_tset_add(&seen, t);
    if (hd_wseq_weak_initial(&v, NULL, t, NULL)) hd_tset_add(&initials, t); /* t occurs in v: no `next` needed */
  }
  if (s->symmetry) { /* a twin's branch is its lowest unstarted twin's */
    hd_tset mapped;
    hd_tset_clear(&mapped, nw);
    for (int t = hd_tset_first(&initials, nw); t >= 0; t = hd_tset_next(&initials, t, nw))
      hd_tset_add(&mapped, twin_representative(s, n, t));
    hd_tset_copy(&initials, &mapped, nw);
    p = twin_representative(s, n, p);
  }
  backtrack_at(s, ej->node, &initials, p, nw);
}

/* The first child of node n's wakeup tree that can be its next branch
 * (its thread can run there, and is neither done nor asleep there), or -1;
 * `prune`: remove the children before it, which never can. */
static int32_t wakeup_next(dfs_state *s, const node *n, bool prune) {
  if (free_step_explored(s, n)) return -1;
  for (int32_t c = hd_wtree_first(&s->wt, n->wroot); c >= 0;) {
    int t = hd_wtree_step(&s->wt, c)->tid;
    if (t < n->nw * 64 && hd_tset_has(RUNNABLE(s, n), t) && !hd_tset_has(DONE(s, n), t) &&
        !hd_tset_has(SLEEP(s, n), t))
      return c;
    int32_t next = hd_wtree_next(&s->wt, c);
    if (prune) hd_wtree_remove(&s->wt, n->wroot, c);
    c = next;
  }
  return -1;
}

/* Finds the races of a (real or virtual) event of thread p with op/obj and
 * the clock it gets, against every earlier event on the same object.
 * `before` is p's clock before it; `c` is scratch of the analysis's width. */
static void find_races(dfs_state *s, int p, uint32_t obj, hd_op_kind op, bool attempt, int32_t woken_by,
                       int32_t tx_first, uint32_t guard, uint32_t sec, const uint32_t *before, const uint32_t *after,
                       size_t upto, uint32_t *c) {
  clock_copy(c, before, s->width);
  if (obj == HD_OBJ_ALL) {
    /* The end of the program races with every earlier event of another
     * thread that it is not ordered after. */
    for (size_t j = upto; j-- > 0;) {
      const event *ej = &s->events[j];
      if (ej->tid == p || hb(ej, c)) continue;
      add_backtrack(s, j, p, after, upto);
      join(c, event_clock_of(s, j), s->width);
    }
    return;
  }
  /* An operation after an event that conflicts with everything (one the end
   * of the program abandoned, or one an atomic section kept out). */
  for (size_t k = 0; k < s->nall && s->all_events[k] < upto; k++) {
    const event *ea = &s->events[s->all_events[k]];
    if (ea->tid != p && !hb(ea, before)) add_backtrack(s, s->all_events[k], p, after, upto);
  }
  int64_t slot = obj == 0 ? -1 : obj_slot(s, obj, false);
  if (slot < 0) return;
  for (int32_t j = s->objs[slot].last < 0 ? -1 : s->objs[slot].last; j >= 0; j = s->events[j].prev_obj) {
    const event *ej = &s->events[j];
    if (ej->tid == p) continue;
    if (!dependent_ops(ej->obj, ej->op, ej->attempt || ej->neutral, obj, op, attempt)) continue;
    if (hb(ej, c)) continue;
    if (sections_on(s) && data_op((hd_op_kind)ej->op) && data_op(op)) check_section(s, ej, guard, sec);
    if (reversible_in(s, ej, (size_t)j, op, woken_by, tx_first)) {
      add_backtrack(s, (size_t)j, p, after, upto);
    } else if (woken_by != j) {
      /* A release before an acquire, an exit before a join, a blocked
       * attempt: never reversed, and the race that matters may be with an
       * event before it (the earlier acquire, for a thread that did not
       * wait), so its clock is not taken. */
      continue;
    }
    /* The event that woke p's thread (a release, a notify, a barrier's last
     * wait): what happens before it happens before p's step too. p could
     * run earlier only if woken earlier, by another event whose own races
     * find that, or if it had not waited, which is the race of the step
     * that blocked it (its attempt, or its wait). Without this, a barrier's
     * last waiter made every earlier wait race with the threads it woke,
     * and the branches added for them could only end sleep-set blocked. */
    join(c, event_clock_of(s, (size_t)j), s->width);
  }
}

/* An operation of thread p that also conflicts with the step chosen at
 * decision conflict_step1 - 1 (memory that thread touched while it was
 * private): a race with that step's event unless ordered after it. */
static void find_conflict_race(dfs_state *s, int p, uint64_t conflict_step1, uint32_t guard, uint32_t sec,
                               const uint32_t *before, const uint32_t *after, size_t upto) {
  if (!conflict_step1) return;
  for (size_t j = upto; j-- > 0;) {
    const event *ej = &s->events[j];
    if (ej->step + 1 < conflict_step1) return;
    if (ej->step + 1 != conflict_step1) continue;
    if (ej->tid != p && !hb(ej, before)) {
      if (sections_on(s)) check_section(s, ej, guard, sec);
      add_backtrack(s, j, p, after, upto);
    }
    return;
  }
}

/* The clock event (p, obj, op) would get. */
static void event_clock(dfs_state *s, int p, uint32_t obj, hd_op_kind op, bool attempt, uint32_t *out) {
  clock_copy(out, thread_clock(s, p), s->width);
  if (obj != 0 && obj != HD_OBJ_ALL) {
    int64_t slot = obj_state(s, obj);
    if (slot >= 0) {
      join(out, write_clock(s, slot), s->width);
      if (!ro(op, attempt)) join(out, read_clock(s, slot), s->width);
    }
  } else if (p == 0 && op == HD_OP_JOIN) {
    /* Interpreter exit: main goes on only after its threads finished. */
    for (int t = 1; t < s->known; t++)
      if (hd_tset_has(&s->finished, t)) join(out, thread_clock(s, t), s->width);
  }
  out[p] = s->ti[p].tcount + 1;
}

/* The virtual clock moved just before event m (hd_decision.time_advanced):
 * it moves only when no thread can run, so every thread's latest event
 * happened before, and the threads it woke (the runnable ones at m's node)
 * start from all of them. Without this edge dfs would try to run a sleeper's
 * next step before a step of a thread that could still run, which the clock
 * never allows (time does not pass while a thread can run): every such try
 * ends sleep-set blocked. The edge is never reversed, like a release before
 * an acquire. */
static void time_wakes(dfs_state *s, size_t m) {
  uint32_t *all = s->scratch;
  memset(all, 0, (size_t)s->width * sizeof *all);
  for (int t = 0; t < s->known; t++) join(all, thread_clock(s, t), s->width);
  const node *n = &s->nodes[s->events[m].node];
  for (int t = hd_tset_first(RUNNABLE(s, n), n->nw); t >= 0; t = hd_tset_next(RUNNABLE(s, n), t, n->nw))
    if (t < s->width) join(thread_clock(s, t), all, s->width);
}

/* Event m's object state after it, and its place in the object's chain;
 * false when out of memory. */
static bool update_object(dfs_state *s, size_t m, const uint32_t *clock) {
  event *e = &s->events[m];
  e->prev_obj = -1;
  if (e->obj == HD_OBJ_ALL && hd_grow((void **)&s->all_events, &s->cap_all, s->nall + 1, sizeof *s->all_events))
    s->all_events[s->nall++] = m;
  if (!e->obj || e->obj == HD_OBJ_ALL) return true;
  int64_t slot = obj_state(s, e->obj);
  if (slot < 0) return false;
  e->prev_obj = s->objs[slot].last;
  s->objs[slot].last = (int32_t)m;
  if (e->attempt) {
    /* A blocked attempt changed nothing and is never reversed with a
     * later write: it orders nothing after it either, or the chain
     * through it (its thread's earlier steps, the attempt, the write that
     * wakes it, the writer's later steps) would hide real races of those
     * steps, which a schedule without the attempt reverses. */
  } else if (ro((hd_op_kind)e->op, e->neutral)) {
    join(read_clock(s, slot), clock, s->width);
  } else {
    clock_copy(write_clock(s, slot), clock, s->width);
    uint32_t *reads = read_clock(s, slot);
    for (int t = 0; t < s->width; t++) reads[t] = 0;
  }
  return true;
}

/* The event after the step that begins at event m: m's, or the
 * transaction's that m begins (its events name m as their first). */
static size_t step_end(const dfs_state *s, size_t m) {
  size_t end = m + 1;
  while (end < s->nevents && s->events[end].tx == (int32_t)m) end++;
  return end;
}

/* Analyses the step that begins at event m: its clock, its races with
 * earlier events (before the redundant point), and the object states after
 * it; returns the event after it. A step is one event, or a transaction
 * ("sections"): its events share one clock, which comes after what any of
 * them comes after, taken before any of them changes an object. */
static size_t process_step(dfs_state *s, size_t m) {
  for (; s->next_tick < s->nticks && s->ticks[s->next_tick] == m; s->next_tick++) time_wakes(s, m);
  size_t end = step_end(s, m);
  int p = s->events[m].tid;
  uint32_t *clock = event_clock_of(s, m), *part = s->scratch + s->width;
  for (size_t k = m; k < end; k++) {
    const event *e = &s->events[k];
    if (e->obj && e->obj != HD_OBJ_ALL && obj_state(s, e->obj) < 0) return end; /* out of memory: analysis incomplete */
    event_clock(s, p, e->obj, (hd_op_kind)e->op, e->attempt || e->neutral, k == m ? clock : part);
    if (k > m) join(clock, part, s->width);
  }
  if (m < s->redundant_from)
    for (size_t k = m; k < end; k++) {
      const event *e = &s->events[k];
      find_races(s, p, e->obj, (hd_op_kind)e->op, e->attempt || e->neutral, e->woken_by, k > m ? (int32_t)m : -1,
                 e->guard, e->sec, thread_clock(s, p), clock, m, s->scratch);
      find_conflict_race(s, p, e->conflict_step1, e->guard, e->sec, thread_clock(s, p), clock, m);
      if (sections_on(s)) check_lock_use(s, e->obj, (hd_op_kind)e->op, e->guard, e->sec);
    }
  uint32_t local = clock[p];
  s->ti[p].tcount = local;
  clock_copy(thread_clock(s, p), clock, s->width);
  for (size_t k = m; k < end; k++) {
    event *e = &s->events[k];
    e->local = local;
    if (k > m) clock_copy(event_clock_of(s, k), clock, s->width);
    if (!update_object(s, k, clock)) return end; /* out of memory: analysis incomplete, never a crash */
    if (e->finishes) hd_tset_add(&s->finished, p);
    /* Threads it started begin after it. */
    for (int t = 0; t < s->known; t++)
      if (s->ti[t].creator == (int32_t)k) clock_copy(thread_clock(s, t), clock, s->width);
    for (; s->next_respawn < s->nrespawns && s->respawns[s->next_respawn].event == k; s->next_respawn++) {
      int t = s->respawns[s->next_respawn].tid;
      clock_copy(thread_clock(s, t), clock, s->width);
      hd_tset_del(&s->finished, t);
    }
  }
  return end;
}

/* ---- the search tree ------------------------------------------------------------------ */

static bool same_pending(const hd_pending *a, const hd_pending *b) {
  return a->obj_id == b->obj_id && a->op == b->op && a->file == b->file && a->line == b->line;
}

/* A free step: one on no object (a yield, a sleep, a start-up) of a thread
 * the end of the program cannot abandon. It commutes with every operation
 * but the end of the program, and nothing can disable it, so every maximal
 * execution from a node where a thread is about to take one takes it, and
 * can take it first: that thread alone is a source set there (Abdulla,
 * Aronis, Jonsson, Sagonas, "Source sets", JACM 2017; the singleton
 * persistent sets of Godefroid's thesis, LNCS 1032). An execution that
 * stops at a bug before the step meets the same bug with the step first,
 * which the step's thread cannot influence. A step also runs its thread's
 * code up to the next switch point: one that touched memory without a
 * switch point (instrumented code, memory private so far:
 * hd_decision.hidden_step) may conflict with a later access, so it is not
 * free. Whether it did is known once it ran: FREE(n) holds the threads
 * whose step at n may be free, and loses one when its step turns out not
 * to be; what the rule reads is exact, since it reads only threads whose
 * step ran (done at n, or asleep there: the same step ran above, and the
 * bit comes down with the sleep set). */
static bool free_step(const dfs_state *s, const hd_decision *d, int t) {
  const hd_pending *p = &d->pending[t];
  return p->obj_id == 0 && p->conflict_step1 == 0 && !s->ti[t].abandonable;
}

/* Once a free step's branch is explored at n (or asleep there: explored
 * above), every other branch at n is redundant. Without this rule such
 * branches, added for races before that thread's turn came, ended
 * sleep-set blocked: the free step's thread stays asleep (its step
 * commutes with everything), until it is the only one that can run. */
static bool free_step_explored(const dfs_state *s, const node *n) {
  hd_tset explored;
  hd_tset_or(&explored, DONE(s, n), SLEEP(s, n), n->nw);
  return hd_tset_intersects(&explored, FREE(s, n), n->nw);
}

/* Branches still open at thread node n, into *cand: known_branches those
 * the search knows of, open_branches after the preemption bound too. */
static int32_t wakeup_next(dfs_state *s, const node *n, bool prune);

static void known_branches(const dfs_state *s, const node *n, hd_tset *cand) {
  int nw = n->nw;
  if (s->reduction && free_step_explored(s, n)) {
    hd_tset_clear(cand, nw);
    return;
  }
  if (s->optimal && n->wroot >= 0) { /* the wakeup tree's children that can still be branches */
    hd_tset_clear(cand, nw);
    for (int32_t c = hd_wtree_first(&s->wt, n->wroot); c >= 0; c = hd_wtree_next(&s->wt, c)) {
      int t = hd_wtree_step(&s->wt, c)->tid;
      if (t < nw * 64 && hd_tset_has(RUNNABLE(s, n), t) && !hd_tset_has(DONE(s, n), t) && !hd_tset_has(SLEEP(s, n), t))
        hd_tset_add(cand, t);
    }
    return;
  }
  hd_tset_and(cand, BACKTRACK(s, n), RUNNABLE(s, n), nw);
  hd_tset_andnot(cand, cand, DONE(s, n), nw);
  hd_tset_andnot(cand, cand, SLEEP(s, n), nw);
  if (s->symmetry) hd_tset_andnot(cand, cand, TWINS(s, n), nw);
  if ((size_t)(n - s->nodes) == s->split_depth) hd_tset_and(cand, cand, &s->owned, nw);
}

static void open_branches(dfs_state *s, node *n, hd_tset *cand) {
  int nw = n->nw;
  known_branches(s, n, cand);
  if (s->bound >= 0 && n->current >= 0 && hd_tset_has(RUNNABLE(s, n), n->current)) {
    bool current_open = hd_tset_has(cand, n->current);
    hd_tset_del(cand, n->current);
    bool preempting = hd_tset_any(cand, nw);
    if (n->preemptions + 1 > (unsigned)s->bound && preempting) {
      s->bound_hit = true;
      hd_tset_clear(cand, nw);
    }
    if (current_open) hd_tset_add(cand, n->current);
  }
}

/* The statistics of depth `depth` (zero until a subtree there finishes),
 * or NULL when out of memory. */
static struct depth_stats *stats_at(dfs_state *s, size_t depth) {
  if (!hd_grow((void **)&s->stats, &s->cap_stats, depth + 1, sizeof *s->stats)) return NULL;
  while (s->nstats <= depth) s->stats[s->nstats++] = (struct depth_stats){0};
  return &s->stats[depth];
}

/* Node `depth`'s subtree is finished: its size and branching go into the
 * statistics of its depth (out of memory: they are not kept). */
static void finish_subtree(dfs_state *s, size_t depth) {
  struct depth_stats *st = stats_at(s, depth);
  if (!st) return;
  const node *n = &s->nodes[depth];
  st->finished++;
  st->executions += (double)(s->executions - n->begun_at + 1);
  st->branches += (double)hd_tset_count(DONE(s, n), n->nw);
}

static bool absorb_speculation(dfs_state *s, size_t depth, uint64_t branch);
static void stop_speculation(dfs_state *s, size_t depth);

/* The thread node n takes next, or -1 for none. */
static int64_t next_branch_of(dfs_state *s, node *n) {
  if (s->optimal && n->wroot >= 0) {
    int32_t c = wakeup_next(s, n, false);
    return c < 0 ? -1 : hd_wtree_step(&s->wt, c)->tid;
  }
  hd_tset cand;
  open_branches(s, n, &cand);
  return hd_tset_first(&cand, n->nw);
}

/* Moves to the next branch: the deepest node with one left. False when the
 * tree is exhausted (in a helper: its subtree). A branch a helper has
 * explored already is taken from it (absorb_speculation) and the search
 * looks again at the same node. */
static bool next_branch(dfs_state *s) {
  while (s->nnodes > 0) {
    if (s->helper_of != SIZE_MAX && s->nnodes <= s->helper_of + 1) return false; /* the helper's subtree is done */
    size_t depth = s->nnodes - 1;
    node *n = &s->nodes[depth];
    if (s->optimal && n->wroot >= 0) {
      /* The branch just explored leaves the tree; the next is its leftmost child. */
      if (n->wcur >= 0) hd_wtree_remove(&s->wt, n->wroot, n->wcur);
      n->wcur = wakeup_next(s, n, true);
    }
    int64_t branch = next_branch_of(s, n);
    if (branch >= 0) {
      n->choice = (uint16_t)branch;
      hd_tset_add(DONE(s, n), (int)branch);
      if (absorb_speculation(s, depth, (uint64_t)branch)) continue;
      s->replay_len = s->nnodes;
      return true;
    }
    stop_speculation(s, depth);
    finish_subtree(s, depth);
    s->nnodes--;
  }
  return false;
}

/* Resets what one execution records. */
static void start_execution(dfs_state *s) {
  s->executions++;
  s->depth = 0;
  s->preemptions = 0;
  s->next_sleep_nw = 0;
  s->nevents = 0;
  s->flags_pending = false;
  s->redundant = false;
  s->redundant_from = SIZE_MAX;
  s->known = 0;
  s->nrespawns = 0;
  s->nticks = 0;
  s->prev_nthreads = 0;
  hd_tset_clear(&s->prev_runnable, HD_TSET_WORDS);
  s->pending = NULL;
  s->nthreads = 0;
  s->running = 0;
  for (int t = 0; t < s->ndrawers; t++) s->ti[t].draws = s->ti[t].values = 0;
  s->ndrawers = 0;
  s->tx_thread = -1;
  hd_tset_clear(&s->lock_sleepers, HD_TSET_WORDS);
  s->ntx_locks = 0;
  s->violation = false;
}

static void speculate(dfs_state *s);

static void stop_all_speculation(dfs_state *s);
static bool next_assignment(dfs_state *s);

static bool dfs_begin(void *self, uint64_t index) {
  dfs_state *s = self;
  (void)index;
  if (s->exhausted) return false;
  if (s->restart) {
    /* A check of --sections failed: everything again, sections ordered. */
    s->restart = false;
    s->discarded = s->executions;
    stop_all_speculation(s);
    hd_wtree_release(&s->wt);
    s->wtop = -1;
    s->nnodes = s->replay_len = 0;
    s->nassigned = s->nnoted = 0;
    s->nstats = 0;
    s->trees_done = s->tree_executions = 0;
    s->tree_begun_at = s->executions + 1;
    start_execution(s);
    return true;
  }
  /* A share that owns no branch of its split node is done with this tree. */
  if (s->executions > 0 && (s->exhausted_after || !next_branch(s))) {
    s->trees_done++;
    s->tree_executions += s->executions - s->tree_begun_at + 1;
    if (next_assignment(s)) {
      /* The next assignment's tree, from the root. */
    } else if (s->iterative && s->bound_hit) {
      /* Next round: one more preemption allowed, from the root. */
      s->bound++;
      s->bound_hit = false;
    } else {
      s->exhausted = true;
      return false;
    }
    stop_all_speculation(s);
    hd_wtree_release(&s->wt);
    s->wtop = -1;
    s->nnodes = 0;
    s->replay_len = 0;
    s->split_depth = SIZE_MAX;
    s->exhausted_after = false;
    s->tree_begun_at = s->executions + 1;
  }
  start_execution(s);
  speculate(s);
  return true;
}

/* ---- helpers: speculation for --jobs ------------------------------------------------ */

/* With --jobs N, N - 1 helper processes (helpers.h) explore ahead, without
 * changing what the search finds or counts. A node on the current path
 * will take its lowest open branch next, once the subtree of its current
 * branch is done; a helper forked now explores that branch's subtree in its
 * own copy of the search, with the node's done and sleep sets as they will
 * be then (exploring deeper nodes changes neither). Nodes above that subtree
 * are not the helper's: the backtrack points its races ask for there are
 * recorded (request_backtrack), not decided. When the search reaches the
 * node and takes that branch, it takes the helper's results instead of
 * exploring it (absorb_speculation): its executions and wasted executions,
 * the statistics of its finished subtrees, and its requests, decided in the
 * order the helper made them, exactly as the search would have decided them
 * in that subtree itself. A helper is given up, and the search explores the
 * branch itself, when the branch is not the one taken after all (a lower
 * thread became a branch meanwhile), or the helper found a bug, died, hung,
 * or would take more executions than the budget has left: so a run with
 * helpers gives the same bytes as a run without (tests/jobs_test.sh). The
 * shallowest node with an open branch is chosen first: its subtree is the
 * largest piece of work. A helper is a search of its subtree like any other
 * and starts helpers of its own below its node, passing their requests for
 * nodes above it on; a count shared by all (`tokens`) keeps at most --jobs
 * processes running, and a process waiting for a helper gives its place up
 * meanwhile. (A helper killed with helpers of its own running takes their
 * places with it: the count is lower from then on, never higher.) This is
 * speculation, not work stealing, which would need a set of executions that
 * does not depend on the order the subtrees are explored in: optimal DPOR
 * gives that, source-DPOR does not. */

static void found_bytes(dfs_state *s, const void *p, size_t n) {
  if (!hd_grow((void **)&s->found, &s->cap_found, s->nfound + n, 1)) _exit(96); /* a helper out of memory gives up */
  memcpy(s->found + s->nfound, p, n);
  s->nfound += n;
}

static uint64_t request_hash(uint32_t node_index, const hd_tset *initials, int nw) {
  uint64_t h = node_index;
  for (int w = 0; w < nw; w++) h = hd_splitmix64(&h) ^ initials->w[w];
  return hd_splitmix64(&h);
}

/* A request the helper made already (the same node and initials: p does
 * not matter) is not sent again. Deciding it a second time changes nothing:
 * after the first, the node's backtrack set holds one of the initials (then
 * the rule finds it known), or every runnable thread (when no initial could
 * run there, which stays so), and its sets only grow. executor_map's
 * helpers sent up to 36,864 requests each, a few distinct. */
static bool request_known(dfs_state *s, uint32_t node_index, const hd_tset *initials, int nw) {
  if ((s->nrequests + 1) * 2 > s->cap_request_seen) {
    size_t cap = s->cap_request_seen ? s->cap_request_seen * 2 : 256;
    uint64_t *t = calloc(cap, sizeof *t);
    if (!t) _exit(96);
    for (size_t i = 0; i < s->cap_request_seen; i++) {
      if (!s->request_seen[i]) continue;
      uint32_t head[3];
      hd_tset at;
      memcpy(head, s->found + s->request_seen[i] - 1, sizeof head);
      memcpy(at.w, s->found + s->request_seen[i] - 1 + sizeof head, (size_t)head[2] * sizeof at.w[0]);
      size_t k = request_hash(head[0], &at, (int)head[2]) & (cap - 1);
      while (t[k]) k = (k + 1) & (cap - 1);
      t[k] = s->request_seen[i];
    }
    free(s->request_seen);
    s->request_seen = t;
    s->cap_request_seen = cap;
  }
  size_t k = request_hash(node_index, initials, nw) & (s->cap_request_seen - 1);
  for (; s->request_seen[k]; k = (k + 1) & (s->cap_request_seen - 1)) {
    uint32_t head[3];
    memcpy(head, s->found + s->request_seen[k] - 1, sizeof head);
    if (head[0] == node_index && head[2] == (uint32_t)nw &&
        memcmp(s->found + s->request_seen[k] - 1 + sizeof head, initials->w, (size_t)nw * sizeof initials->w[0]) == 0)
      return true;
  }
  s->request_seen[k] = s->nfound + 1; /* where this one is about to go */
  return false;
}

static void request_backtrack(dfs_state *s, uint32_t node_index, const hd_tset *initials, int p, int nw) {
  if (request_known(s, node_index, initials, nw)) return;
  uint32_t head[3] = {node_index, (uint32_t)p, (uint32_t)nw};
  found_bytes(s, head, sizeof head);
  found_bytes(s, initials->w, (size_t)nw * sizeof initials->w[0]);
  s->nrequests++;
}

/* A helper that does not finish cleanly sends nothing: its spawner then
 * explores the branch itself. Its own helpers go first. */
_Noreturn static void helper_give_up(dfs_state *s) {
  stop_all_speculation(s);
  hd_helper_exit(0);
}

static const struct footprint *footprint_at(const dfs_state *s, size_t depth, int t);
static struct footprint_step *add_footprint(dfs_state *s, size_t depth, int t, uint32_t n);
static void forget_footprints(dfs_state *s, size_t depth);

/* What a helper added to the statistics of a depth since it was forked. */
static struct depth_stats stats_added(const dfs_state *s, size_t depth) {
  struct depth_stats st = s->stats[depth];
  if (depth < s->nstats_base) {
    st.finished -= s->stats_base[depth].finished;
    st.executions -= s->stats_base[depth].executions;
    st.branches -= s->stats_base[depth].branches;
  }
  return st;
}

/* The helper process: explores its branch's subtree (with helpers of its
 * own inside it), then sends what it found and exits. */
static void helper_main(void *arg, int fd) {
  dfs_state *s = arg;
  size_t depth = s->spawn_depth;
  /* The search's other helpers are not this one's (their slots go with the
   * process); this one may start its own, below its node. */
  s->specs = calloc(HD_DFS_MAX_HELPERS, sizeof *s->specs);
  s->quiet = 0;
  s->helper_of = depth;
  node *n = &s->nodes[depth];
  n->choice = (uint16_t)s->spawn_branch;
  hd_tset_add(DONE(s, n), (int)s->spawn_branch);
  s->nnodes = s->replay_len = depth + 1;
  /* Its statistics from here on are the search's and what it adds: a
   * helper that started from none took every depth for one where subtrees
   * are large, and prodcon_queue_event --jobs 2 forked chains of helpers of
   * 1 to 180 executions (22 of 55 in one run; none now, and about 0.56 of
   * one worker's time instead of 0.58 in four rounds of each). */
  free(s->stats_base); /* a helper's helper: its spawner's */
  s->stats_base = s->nstats ? malloc(s->nstats * sizeof *s->stats_base) : NULL;
  if (s->nstats && !s->stats_base) _exit(96); /* a helper out of memory gives up */
  if (s->nstats) memcpy(s->stats_base, s->stats, s->nstats * sizeof *s->stats_base);
  s->nstats_base = s->nstats;
  s->nfound = 0;
  s->nrequests = 0;
  if (s->cap_request_seen) memset(s->request_seen, 0, s->cap_request_seen * sizeof *s->request_seen);
  s->absorbed_counted = s->absorbed_wasted = 0;
  uint64_t start = s->executions, counted = 0, wasted = 0;
  for (bool first = true;; first = false) {
    bool more = first || next_branch(s);
    counted += s->absorbed_counted; /* its own helpers' (apply_helper took them off the budget) */
    wasted += s->absorbed_wasted;
    s->absorbed_counted = s->absorbed_wasted = 0;
    if (!more) break;
    if (s->budget_left == 0) helper_give_up(s); /* more than the search may count: it would not take it */
    start_execution(s);
    speculate(s);
    /* A bug, or worse, or a failed check of --sections: the search finds it itself. */
    if (s->runner(s->runner_ctx) != 0 || s->restart) helper_give_up(s);
    if (s->uncounted) {
      wasted++;
    } else {
      counted++;
      s->budget_left--;
    }
  }
  uint64_t nstats = 0;
  for (size_t i = 0; i < s->nstats; i++) nstats += stats_added(s, i).finished > 0;
  const struct footprint *branch_footprint = footprint_at(s, depth, (int)s->spawn_branch);
  uint64_t head[6] = {s->executions - start, counted, wasted, s->nrequests, nstats,
                      branch_footprint ? branch_footprint->n : 0};
  hd_helper_send(fd, head, sizeof head);
  hd_helper_send(fd, s->found, s->nfound);
  for (size_t i = 0; i < s->nstats; i++) {
    struct depth_stats added = stats_added(s, i);
    if (!added.finished) continue;
    uint64_t at[2] = {i, added.finished};
    double sums[2] = {added.executions, added.branches}; /* whole numbers: the differences are exact */
    hd_helper_send(fd, at, sizeof at);
    hd_helper_send(fd, sums, sizeof sums);
  }
  /* --sections: the transaction its branch began with, for the sleepers of
   * the search (as the search would have recorded it, exploring the branch). */
  for (uint64_t k = 0; k < head[5]; k++) {
    const struct footprint_step *st = &s->footprint_steps[branch_footprint->at + k];
    uint64_t packed = (uint64_t)st->obj << 16 | (uint64_t)st->op << 8 | st->ro;
    hd_helper_send(fd, &packed, sizeof packed);
  }
  hd_helper_exit(0);
}

static hd_helper_slot *speculation_at(dfs_state *s, size_t depth) {
  return hd_helper_slot_at(s->specs, s->max_helpers, depth);
}

static void stop_speculation(dfs_state *s, size_t depth) {
  hd_helper_slot *sp = speculation_at(s, depth);
  if (sp) hd_helper_slot_stop(sp, s->tokens);
}

static void stop_all_speculation(dfs_state *s) {
  for (unsigned k = 0; s->specs && k < s->max_helpers; k++) hd_helper_slot_stop(&s->specs[k], s->tokens);
}

/* A helper's message: a head {executions begun, counted, wasted, requests,
 * depths with statistics}, its requests (request_backtrack), then one
 * {depth, subtrees finished, their executions, their branches} per depth. */

/* Reads the request at *at: its node (below s->nnodes), preferred thread
 * and initials; false past the message's end or when it is malformed. */
static bool next_request(const dfs_state *s, const char *bytes, size_t len, size_t *at, uint32_t *node_index, int *p,
                         hd_tset *initials, int *nw) {
  uint32_t h[3];
  if (!hd_helper_take(bytes, len, at, h, sizeof h) || h[0] >= s->nnodes || h[2] > HD_TSET_WORDS) return false;
  hd_tset_clear(initials, HD_TSET_WORDS);
  if (!hd_helper_take(bytes, len, at, initials->w, (size_t)h[2] * sizeof(uint64_t))) return false;
  *node_index = h[0];
  *p = (int)h[1];
  *nw = (int)h[2];
  return true;
}

/* Reads one depth's statistics at *at; false past the message's end. */
static bool next_stats(const char *bytes, size_t len, size_t *at, uint64_t *depth, struct depth_stats *out) {
  uint64_t a[2];
  double sums[2];
  if (!hd_helper_take(bytes, len, at, a, sizeof a) || !hd_helper_take(bytes, len, at, sums, sizeof sums)) return false;
  *depth = a[0];
  *out = (struct depth_stats){.finished = a[1], .executions = sums[0], .branches = sums[1]};
  return true;
}

/* Applies a helper's message to the search (see above); false when it is
 * malformed or over the budget, and then nothing is applied. */
static bool apply_helper(dfs_state *s, size_t helped_depth, int branch, const char *bytes, size_t len) {
  uint64_t head[6];
  size_t at = 0;
  if (!hd_helper_take(bytes, len, &at, head, sizeof head) || head[1] >= s->budget_left) return false;
  /* Validate the whole message (and make room for its statistics) before
   * changing anything. */
  uint32_t node_index;
  int p, nw;
  hd_tset initials;
  uint64_t depth;
  struct depth_stats add;
  size_t requests_at = at;
  for (uint64_t r = 0; r < head[3]; r++)
    if (!next_request(s, bytes, len, &at, &node_index, &p, &initials, &nw)) return false;
  size_t stats_from = at;
  for (uint64_t k = 0; k < head[4]; k++)
    if (!next_stats(bytes, len, &at, &depth, &add) || !stats_at(s, depth)) return false;
  size_t footprint_from = at;
  if (head[5] > (len - at) / sizeof(uint64_t)) return false;
  at += head[5] * sizeof(uint64_t);
  if (at != len) return false;
  at = requests_at;
  for (uint64_t r = 0; r < head[3]; r++) {
    next_request(s, bytes, len, &at, &node_index, &p, &initials, &nw);
    backtrack_at(s, node_index, &initials, p, nw);
  }
  at = stats_from;
  for (uint64_t k = 0; k < head[4]; k++) {
    next_stats(bytes, len, &at, &depth, &add);
    struct depth_stats *st = stats_at(s, depth);
    st->finished += add.finished;
    st->executions += add.executions;
    st->branches += add.branches;
  }
  if (head[5]) {
    forget_footprints(s, helped_depth + 1); /* the subtree before it is done */
    struct footprint_step *steps = add_footprint(s, helped_depth, branch, (uint32_t)head[5]);
    for (uint64_t k = 0; steps && k < head[5]; k++) {
      uint64_t packed;
      memcpy(&packed, bytes + footprint_from + k * sizeof packed, sizeof packed);
      steps[k] = (struct footprint_step){.obj = (uint32_t)(packed >> 16), .op = (uint8_t)(packed >> 8), .ro = packed & 1};
    }
  }
  s->executions += head[0];
  s->absorbed_counted += head[1];
  s->absorbed_wasted += head[2];
  s->budget_left -= head[1];
  return true;
}

/* The search takes `branch` at node `depth`: true when a helper had
 * explored it and its results are now the search's. */
static bool absorb_speculation(dfs_state *s, size_t depth, uint64_t branch) {
  hd_helper_slot *sp = speculation_at(s, depth);
  if (!sp) return false;
  if (sp->branch != branch) { /* another branch comes first after all */
    hd_helper_slot_stop(sp, s->tokens);
    return false;
  }
  char *bytes;
  size_t len;
  bool sent = hd_helper_collect_waiting(&sp->h, s->tokens, s->watchdog, &bytes, &len);
  hd_helper_slot_release(sp, s->tokens);
  if (!sent) return false;
  bool applied = apply_helper(s, depth, (int)branch, bytes, len);
  free(bytes);
  return applied;
}

/* A helper costs a fork and the copy-on-write faults both processes take
 * after it, on the search's critical path too: a few ms here (a page
 * fault costs some 14 us on this project's VM, measured by writing the
 * pages of a forked 64 MiB heap). A branch smaller than that is explored
 * faster by the search itself: `prodcon_queue_event` gave
 * 55 of its 91 helpers fewer than 100 executions. So a branch of a node at
 * a depth whose finished subtrees average fewer than HELPER_MIN_EXECUTIONS
 * executions per branch gets no helper; a depth with none finished yet
 * does (nothing is known against it). */
#define HELPER_MIN_EXECUTIONS 256
static bool worth_a_helper(const dfs_state *s, size_t depth) {
  if (depth >= s->nstats || s->stats[depth].finished == 0) return true;
  const struct depth_stats *st = &s->stats[depth];
  return st->executions >= HELPER_MIN_EXECUTIONS * st->branches;
}

/* A branch the search does not have yet but will (most likely) get when it
 * takes an ended helper's results: the first request of such a helper that
 * would add a branch at a node with no helper, as decide_backtrack would
 * decide it now. Found: spawn_depth and spawn_branch are set. Speculating on
 * it is as safe as on any branch (absorb_speculation checks that it is the
 * one taken); it keeps the helpers busy where DPOR finds the branches of a
 * shallow node only as the subtrees below it end. */
static bool foreseen_target(dfs_state *s) {
  if (!s->specs) return false;
  for (unsigned k = 0; k < s->max_helpers; k++) {
    const hd_helper *h = &s->specs[k].h;
    if (!h->pid || !h->ended || h->failed) continue;
    uint64_t head[5];
    size_t at = 0;
    if (!hd_helper_take(h->bytes, h->len, &at, head, sizeof head)) continue;
    uint32_t node_index;
    int p, nw;
    hd_tset initials;
    for (uint64_t r = 0; r < head[3] && next_request(s, h->bytes, h->len, &at, &node_index, &p, &initials, &nw); r++) {
      node *n = &s->nodes[node_index];
      if (speculation_at(s, node_index) || !worth_a_helper(s, node_index)) continue;
      if (s->helper_of != SIZE_MAX && node_index <= s->helper_of) continue; /* not this helper's node */
      int q = backtrack_choice(s, n, &initials, p);
      int64_t first_open = next_branch_of(s, n);
      if (q < 0 || hd_tset_has(SLEEP(s, n), q) || (first_open >= 0 && first_open < q)) continue;
      if (s->symmetry && hd_tset_has(TWINS(s, n), q)) continue;
      s->spawn_depth = node_index;
      s->spawn_branch = (uint64_t)q;
      return true;
    }
  }
  return false;
}

/* Slots per place a process may start helpers in (per --jobs - 1). A
 * helper that ends before its spawner comes to its branch keeps its slot,
 * and with one slot per place its place stood idle until then (38 ms of
 * one core at a time on executor_map); a second slot lets another helper
 * take the place meanwhile: executor_map --jobs 2 runs at 0.93 of the
 * ideal speed of two cores against 0.90 with one (medians of five
 * alternating rounds; prodcon_queue_event 0.90 either way). More slots
 * fork more helpers for smaller branches: with all 63, prodcon_queue_event
 * --jobs 2 took 0.62 of one worker's time against 0.59 with one (an
 * earlier release). */
#define HELPER_SLOTS 2

/* Looking for a branch to give a helper parses every ended helper's
 * requests; one search that finds none is followed by this many
 * executions without looking (done at every execution, it cost a third
 * more time in all on executor_map --jobs 2 with two slots). */
#define QUIET_AFTER_NONE 32

/* Starts helpers while tokens allow, each on the shallowest node with an
 * open branch and no helper yet (in a helper: below its own node); a helper
 * that has ended waits for the search to come to its branch. */
static void speculate(dfs_state *s) {
  if (!s->max_helpers || !s->specs || !s->tokens) return;
  for (unsigned k = 0; k < s->max_helpers; k++)
    if (s->specs[k].h.pid && hd_helper_poll(&s->specs[k].h, s->watchdog)) hd_helper_slot_release(&s->specs[k], s->tokens);
  if (s->quiet) {
    s->quiet--;
    return;
  }
  size_t lowest = s->helper_of == SIZE_MAX ? 0 : s->helper_of + 1;
  for (unsigned k = 0; k < s->max_helpers; k++) {
    if (s->specs[k].h.pid) continue;
    if (s->budget_left < 2) return; /* nothing a helper could bring back */
    if (!hd_helper_take_token(s->tokens)) return;
    bool found = foreseen_target(s);
    for (size_t d = lowest; d < s->nnodes && !found; d++) {
      int64_t branch = speculation_at(s, d) || !worth_a_helper(s, d) ? -1 : next_branch_of(s, &s->nodes[d]);
      if (branch < 0) continue;
      s->spawn_depth = d;
      s->spawn_branch = (uint64_t)branch;
      found = true;
    }
    if (!found || !hd_helper_start(&s->specs[k].h, helper_main, s)) { /* nothing to do, or no process */
      hd_helper_give_token(s->tokens);
      s->quiet = QUIET_AFTER_NONE;
      return;
    }
    s->specs[k].token = true;
    s->specs[k].at = s->spawn_depth;
    s->specs[k].branch = s->spawn_branch;
  }
}

/* Where node `depth`'s sets start: after its parent's. */
static size_t sets_start(const dfs_state *s, size_t depth) {
  if (depth == 0) return 0;
  const node *parent = &s->nodes[depth - 1];
  return parent->sets_at + (size_t)s->nsets * parent->nw;
}

/* Fills TWINS(n): each runnable thread not started yet whose twin class
 * already has such a thread of a lower id here. False when out of memory. */
static bool mark_twins(dfs_state *s, node *n, const hd_decision *d) {
  hd_tset_clear(TWINS(s, n), n->nw);
  s->class_stamp++;
  for (int t = hd_tset_first(d->runnable, n->nw); t >= 0; t = hd_tset_next(d->runnable, t, n->nw)) {
    uint32_t c = s->ti[t].twin_class;
    if (!c || s->ti[t].first_node != UINT32_MAX) continue;
    size_t had = s->cap_class_seen;
    if (!hd_grow((void **)&s->class_seen, &s->cap_class_seen, (size_t)c + 1, sizeof *s->class_seen)) return false;
    memset(s->class_seen + had, 0, (s->cap_class_seen - had) * sizeof *s->class_seen); /* never stamped */
    if (s->class_seen[c] == s->class_stamp) hd_tset_add(TWINS(s, n), t);
    else s->class_seen[c] = s->class_stamp;
  }
  return true;
}

/* A fresh thread node for decision d at the current depth, or NULL when
 * out of memory. */
static void forget_footprints(dfs_state *s, size_t depth);

static node *new_thread_node(dfs_state *s, const hd_decision *d) {
  int nw = hd_tset_words(d->nthreads);
  forget_footprints(s, s->depth);
  size_t at = sets_start(s, s->depth);
  if (!hd_grow((void **)&s->setpool, &s->cap_setpool, at + (size_t)s->nsets * nw, sizeof(uint64_t))) return NULL;
  node *n = &s->nodes[s->depth];
  n->sets_at = at;
  n->begun_at = s->executions;
  n->wroot = n->wcur = -1;
  n->current = (int16_t)d->current;
  n->nw = (uint16_t)nw;
  n->preemptions = s->preemptions;
  hd_tset_copy(RUNNABLE(s, n), d->runnable, nw);
  hd_tset_clear(BACKTRACK(s, n), nw);
  hd_tset_clear(DONE(s, n), nw);
  hd_tset_clear(SLEEP(s, n), nw);
  hd_tset_clear(FREE(s, n), nw);
  for (int t = hd_tset_first(d->runnable, nw); t >= 0; t = hd_tset_next(d->runnable, t, nw))
    if (free_step(s, d, t)) hd_tset_add(FREE(s, n), t);
  /* The inherited sleep set covers the threads of the previous node. */
  if (s->reduction) {
    int inherited = s->next_sleep_nw < nw ? s->next_sleep_nw : nw;
    hd_tset_and(SLEEP(s, n), &s->next_sleep, d->runnable, inherited);
    /* A sleeper's step is the one that ran above: free only if it was. */
    hd_tset sleepers_not_free;
    hd_tset_andnot(&sleepers_not_free, SLEEP(s, n), &s->next_free, inherited);
    hd_tset_andnot(FREE(s, n), FREE(s, n), &sleepers_not_free, nw);
  }
  if (s->symmetry && !mark_twins(s, n, d)) return NULL;
  return n;
}

/* Which threads the last event woke (dfs_state.waker). */
static void note_wakeups(dfs_state *s, const hd_decision *d, int nw) {
  for (int t = s->prev_nthreads; t < d->nthreads; t++) s->ti[t].waker = -1; /* new threads: created, not woken */
  hd_tset woken;
  hd_tset_andnot(&woken, d->runnable, &s->prev_runnable, nw);
  int last = s->prev_nthreads < d->nthreads ? s->prev_nthreads : d->nthreads;
  for (int t = hd_tset_first(&woken, nw); t >= 0 && t < last; t = hd_tset_next(&woken, t, nw))
    s->ti[t].waker = d->time_advanced ? -1 : (int32_t)s->nevents - 1;
  hd_tset_copy(&s->prev_runnable, d->runnable, nw);
  s->prev_nthreads = d->nthreads;
}

/* Optimal DPOR at a fresh node n: its tree is the subtree of the branch its
 * parent takes (the tree's top at the root); it follows the tree's leftmost
 * child when there is one, else its default choice becomes a child. False
 * when out of memory. */
static bool wakeup_enter(dfs_state *s, node *n, const hd_decision *d, int *choice) {
  if (s->depth == 0 && s->wtop < 0 && (s->wtop = hd_wtree_root(&s->wt)) < 0) return false;
  n->wroot = s->depth == 0 ? s->wtop : s->nodes[s->depth - 1].wcur;
  if (n->wroot < 0) return true; /* the parent has none: choose as source-DPOR does */
  n->wcur = wakeup_next(s, n, true);
  if (n->wcur >= 0) {
    *choice = hd_wtree_step(&s->wt, n->wcur)->tid;
    return true;
  }
  hd_wstep step = {.tid = *choice,
                   .obj = d->pending[*choice].obj_id,
                   .op = (uint8_t)d->pending[*choice].op,
                   .opaque = d->pending[*choice].conflict_step1 != 0};
  n->wcur = hd_wtree_append(&s->wt, n->wroot, &step);
  return n->wcur >= 0;
}

/* Room in ti for n threads; entries new to it are zeroed (a thread's draw
 * counts, kept from its first draw, maybe before the first decision, and
 * zeroed again by start_execution). False when out of memory. */
static bool threads_known(dfs_state *s, int n) {
  size_t had = s->cap_ti;
  if ((size_t)n <= had) return true;
  if (!hd_grow((void **)&s->ti, &s->cap_ti, (size_t)n, sizeof *s->ti)) return false;
  memset(s->ti + had, 0, (s->cap_ti - had) * sizeof *s->ti);
  return true;
}

static int record_step(dfs_state *s, const hd_decision *d, int choice, int nw);

/* Sections: the footprints recorded at node `depth` and below are gone (the
 * node is made anew); they were recorded in depth order along the path, so
 * they are the top of the stack. */
static void forget_footprints(dfs_state *s, size_t depth) {
  while (s->nfootprints > 0 && s->footprints[s->nfootprints - 1].depth >= depth) {
    s->nfootprints--;
    s->nfootprint_steps = s->footprints[s->nfootprints].at;
  }
}

/* The transaction thread t took at node `depth`, as recorded, or NULL. */
static const struct footprint *footprint_at(const dfs_state *s, size_t depth, int t) {
  for (size_t i = s->nfootprints; i-- > 0 && s->footprints[i].depth >= depth;)
    if (s->footprints[i].depth == depth && s->footprints[i].tid == t) return &s->footprints[i];
  return NULL;
}

/* Room for the n steps of thread t's transaction at node `depth`, recorded
 * (NULL: recorded already, a deeper node has entries, or out of memory, and
 * the sleepers' rule stays conservative). Entries are kept in depth order. */
static struct footprint_step *add_footprint(dfs_state *s, size_t depth, int t, uint32_t n) {
  if (footprint_at(s, depth, t) || (s->nfootprints > 0 && s->footprints[s->nfootprints - 1].depth > depth)) return NULL;
  if (!hd_grow((void **)&s->footprints, &s->cap_footprints, s->nfootprints + 1, sizeof *s->footprints) ||
      !hd_grow((void **)&s->footprint_steps, &s->cap_footprint_steps, s->nfootprint_steps + n,
               sizeof *s->footprint_steps))
    return NULL;
  s->footprints[s->nfootprints++] =
      (struct footprint){.depth = (uint32_t)depth, .tid = t, .at = (uint32_t)s->nfootprint_steps, .n = n};
  s->nfootprint_steps += n;
  return &s->footprint_steps[s->nfootprint_steps - n];
}

/* Records the transactions of the execution that just ended, at their
 * nodes, for threads with none recorded there yet. */
static void record_footprints(dfs_state *s) {
  for (size_t m = 0; m < s->nevents;) {
    size_t end = step_end(s, m);
    const event *e = &s->events[m];
    struct footprint_step *steps = e->sec ? add_footprint(s, e->node, e->tid, (uint32_t)(end - m)) : NULL;
    for (size_t k = m; steps && k < end; k++)
      steps[k - m] = (struct footprint_step){
          .obj = s->events[k].obj, .op = s->events[k].op, .ro = s->events[k].neutral || s->events[k].attempt};
    m = end;
  }
}

/* The transaction sleeper r took where it was explored (its index in
 * footprints, -1: none recorded). `fresh`: r was explored at the current
 * node, where it is looked up and kept for the nodes below. */
static int32_t asleep_tx(dfs_state *s, int r, bool fresh) {
  if (fresh) {
    const struct footprint *f = footprint_at(s, s->depth, r);
    s->ti[r].asleep_tx = f ? (int32_t)(f - s->footprints) : -1;
  }
  return s->ti[r].asleep_tx;
}

/* Thread r, asleep at the current node (`fresh`: explored here, else asleep
 * from above) and about to take a lock, stays asleep past q's step: q is
 * independent of the transaction r took (as explored) or, when none is
 * recorded, q is no access to memory (r's transaction can touch only
 * memory and its lock, and its lock is the pending operation's). */
static bool asleep_independent(dfs_state *s, int r, const hd_pending *q, bool fresh) {
  int32_t i = asleep_tx(s, r, fresh);
  if (i < 0) return !(data_op(q->op) && q->obj_id != 0);
  const struct footprint *f = &s->footprints[i];
  for (uint32_t k = 0; k < f->n; k++) {
    const struct footprint_step *st = &s->footprint_steps[f->at + k];
    if (dependent_ops(st->obj, (hd_op_kind)st->op, st->ro, q->obj_id, q->op, false)) return false;
  }
  return true;
}

/* Thread r, asleep and about to take lock L, and `choice` about to
 * acquire or release L: its acquire could start a transaction, or it is in
 * one. Two transactions on one lock commute when what they touch does (their
 * acquires and releases only read the lock), which is known once the one
 * being taken ends. So r stays asleep past these lock operations when the
 * transaction it took (as explored) went from its acquire to its release;
 * past the memory accesses in between as asleep_independent says; and the
 * search wakes it (end_lock_sleepers) unless this transaction too went from
 * its acquire to its release. Without this, every sleeper about to take the
 * lock woke at any transaction's acquire, and sleep sets were not exact. */
static bool asleep_past_lock_op(dfs_state *s, int r, const hd_pending *pr, int choice, const hd_pending *q,
                                bool fresh) {
  if (pr->op != HD_OP_ACQUIRE || q->obj_id != pr->obj_id || (q->op != HD_OP_ACQUIRE && q->op != HD_OP_RELEASE))
    return false;
  if (s->tx_thread >= 0 ? s->tx_thread != choice || s->tx_lock != q->obj_id : q->op != HD_OP_ACQUIRE) return false;
  int32_t i = asleep_tx(s, r, fresh);
  if (i < 0) return false;
  const struct footprint *f = &s->footprints[i];
  bool acquire = false;
  for (uint32_t k = 0; k < f->n; k++) {
    const struct footprint_step *st = &s->footprint_steps[f->at + k];
    if (st->obj != pr->obj_id) continue;
    if (!st->ro) return false; /* r's took the lock as an update: not one transaction */
    acquire = true;
  }
  return acquire;
}

/* At a decision after lock_sleepers were kept asleep: while the transaction
 * goes on they sleep; when it has just ended from its acquire to its release
 * (transaction_step made that release, the last event, neutral) they stay
 * asleep; else (no transaction began, or it was cut short) its acquire
 * updated the lock, and they wake. (They could not run before the lock is
 * given up, which wakes them too, by a release or a wait's; waking them here
 * keeps the sleep set what it means from this step on.) */
static void end_lock_sleepers(dfs_state *s) {
  if (s->tx_thread >= 0 || !hd_tset_any(&s->lock_sleepers, HD_TSET_WORDS)) return;
  const event *last = &s->events[s->nevents - 1]; /* the acquire, at least, was recorded */
  bool whole = last->op == HD_OP_RELEASE && last->neutral;
  if (!whole) hd_tset_andnot(&s->next_sleep, &s->next_sleep, &s->lock_sleepers, s->next_sleep_nw);
  hd_tset_clear(&s->lock_sleepers, HD_TSET_WORDS);
}

static int dfs_pick_thread(void *self, const hd_decision *d) {
  dfs_state *s = self;
  s->pending = d->pending;
  s->nthreads = d->nthreads;
  int nw = hd_tset_words(d->nthreads);
  if (s->flags_pending) {
    /* The last event's thread stopped: it blocked inside its operation or
     * finished. */
    event *e = &s->events[s->nevents - 1];
    bool stopped = !hd_tset_has(d->runnable, e->tid);
    e->attempt = stopped && hd_op_attempts((hd_op_kind)e->op) &&
                 same_pending(&d->pending[e->tid], &s->last_pending);
    e->finishes = stopped && e->op == HD_OP_EXIT;
    if (d->hidden_step) hd_tset_del(FREE(s, &s->nodes[e->node]), e->tid);
    s->flags_pending = false;
  }
  if (!threads_known(s, d->nthreads)) return -1;
  if (s->reduction) note_wakeups(s, d, nw);
  if (d->time_advanced && s->reduction) {
    if (!hd_grow((void **)&s->ticks, &s->cap_ticks, s->nticks + 1, sizeof *s->ticks)) return -1;
    s->ticks[s->nticks++] = s->nevents;
  }
  /* Threads created by the last event. */
  for (; s->known < d->nthreads; s->known++) {
    s->ti[s->known].creator = (int32_t)s->nevents - 1;
    s->ti[s->known].tcount = 0;
    s->ti[s->known].twin_class = d->pending[s->known].op == HD_OP_START ? d->pending[s->known].twin_class : 0;
    s->ti[s->known].first_node = UINT32_MAX;
    s->ti[s->known].asleep_tx = -1;
    s->ti[s->known].abandonable = s->known == 0 || d->pending[s->known].op != HD_OP_START || d->pending[s->known].abandonable;
    s->ti[s->known].end_unread = d->pending[s->known].op == HD_OP_START && d->pending[s->known].end_unread;
  }
  if (d->respawned1 && s->nevents > 0) {
    if (!hd_grow((void **)&s->respawns, &s->cap_respawns, s->nrespawns + 1, sizeof *s->respawns)) return -1;
    s->respawns[s->nrespawns++] = (struct respawn){.event = s->nevents - 1, .tid = d->respawned1 - 1};
    const hd_pending *start = &d->pending[d->respawned1 - 1];
    s->ti[d->respawned1 - 1].abandonable = start->op != HD_OP_START || start->abandonable;
    s->ti[d->respawned1 - 1].end_unread = start->op == HD_OP_START && start->end_unread;
  }

  int choice;
  bool current_runnable = d->current >= 0 && hd_tset_has(d->runnable, d->current);
  int forced = sections_on(s) ? transaction_step(s, d) : -1; /* a transaction goes on */
  if (sections_on(s)) end_lock_sleepers(s);
  if (s->depth < s->replay_len) {
    node *n = &s->nodes[s->depth];
    if (n->nw != nw || !hd_tset_has(d->runnable, n->choice) ||
        !hd_tset_equal(RUNNABLE(s, n), d->runnable, nw) || (forced >= 0 && forced != n->choice))
      return -1;
    choice = n->choice;
  } else {
    if (!hd_grow((void **)&s->nodes, &s->cap_nodes, s->depth + 1, sizeof(node))) return -1;
    node *n = new_thread_node(s, d);
    if (!n) return -1;
    if (forced >= 0) {
      /* Inside a transaction: no branch here (a race with this step asks for
       * one at the transaction's start). */
      n->choice = (uint16_t)forced;
      hd_tset_add(DONE(s, n), forced);
      hd_tset_add(BACKTRACK(s, n), forced);
      s->nnodes = s->depth + 1;
      return record_step(s, d, forced, nw);
    }
    hd_tset avail;
    hd_tset_andnot(&avail, d->runnable, SLEEP(s, n), nw);
    if (s->symmetry) hd_tset_andnot(&avail, &avail, TWINS(s, n), nw);
    if (!hd_tset_any(&avail, nw)) {
      s->redundant = true; /* sleep-set blocked: nothing new below */
      if (s->redundant_from == SIZE_MAX) s->redundant_from = s->nevents;
      hd_tset_copy(&avail, d->runnable, nw);
      hd_tset_clear(SLEEP(s, n), nw);
    }
    choice = current_runnable && hd_tset_has(&avail, d->current) ? d->current : hd_tset_first(&avail, nw);
    bool split_here = s->split_ways > 1 && s->split_depth == SIZE_MAX && d->nrunnable > 1;
    if (split_here) {
      s->split_depth = s->depth;
      hd_tset_clear(&s->owned, HD_TSET_WORDS);
      unsigned rank = 0;
      for (int t = hd_tset_first(d->runnable, nw); t >= 0; t = hd_tset_next(d->runnable, t, nw), rank++)
        if (rank % s->split_ways == s->split_index) hd_tset_add(&s->owned, t);
      hd_tset mine;
      hd_tset_and(&mine, &s->owned, &avail, nw);
      if (hd_tset_any(&mine, nw)) choice = hd_tset_first(&mine, nw);
      else s->exhausted_after = true; /* nothing here is ours: this run only found the split */
    }
    if (s->optimal && !s->redundant && !wakeup_enter(s, n, d, &choice)) return -1;
    n->choice = (uint16_t)choice;
    hd_tset_add(DONE(s, n), choice);
    if (s->reduction && !s->redundant && !split_here) hd_tset_add(BACKTRACK(s, n), choice);
    else hd_tset_copy(BACKTRACK(s, n), d->runnable, nw);
    if (s->redundant) hd_tset_copy(DONE(s, n), d->runnable, nw); /* never branch here */
    s->nnodes = s->depth + 1;
  }
  return record_step(s, d, choice, nw);
}

/* The choice at the current node is made: the sleep set the next node
 * inherits, the counts, and the event, which is processed at the next
 * decision. */
static int record_step(dfs_state *s, const hd_decision *d, int choice, int nw) {
  bool current_runnable = d->current >= 0 && hd_tset_has(d->runnable, d->current);
  node *n = &s->nodes[s->depth];
  /* The sleep set the next thread node inherits. */
  if (s->reduction) {
    hd_tset next, candidates;
    hd_tset_clear(&next, nw);
    const hd_pending *q = &d->pending[choice];
    hd_tset_or(&candidates, SLEEP(s, n), DONE(s, n), nw);
    /* At the split node the branches of lower rank were (or are being)
     * explored by other workers: they sleep here as in one sequential run. */
    if (s->depth == s->split_depth)
      for (int t = hd_tset_first(RUNNABLE(s, n), nw); t >= 0 && t < choice; t = hd_tset_next(RUNNABLE(s, n), t, nw))
        hd_tset_add(&candidates, t);
    hd_tset_del(&candidates, choice);
    for (int r = hd_tset_first(&candidates, nw); r >= 0; r = hd_tset_next(&candidates, r, nw)) {
      const hd_pending *pr = &d->pending[r];
      bool fresh = hd_tset_has(DONE(s, n), r);
      if (dependent_ops(pr->obj_id, pr->op, false, q->obj_id, q->op, false)) {
        if (!sections_on(s) || !asleep_past_lock_op(s, r, pr, choice, q, fresh)) continue;
        hd_tset_add(&s->lock_sleepers, r);
        hd_tset_add(&next, r);
        continue;
      }
      /* A sleeper about to take a lock may be about to run a transaction:
       * its footprint decides. */
      if (sections_on(s) && pr->op == HD_OP_ACQUIRE && !asleep_independent(s, r, q, fresh)) continue;
      hd_tset_add(&next, r);
    }
    hd_tset_copy(&s->next_sleep, &next, nw);
    hd_tset_copy(&s->next_free, FREE(s, n), nw);
    s->next_sleep_nw = nw;
  }
  if (choice != d->current && current_runnable) s->preemptions++;
  s->depth++;
  s->running = choice;
  /* Its start-up step is not its first: it reads nothing, so twins that
   * took only that one are still in the same state. */
  if (s->ti[choice].first_node == UINT32_MAX && d->pending[choice].op != HD_OP_START)
    s->ti[choice].first_node = (uint32_t)(s->depth - 1);

  /* Record the event; it is processed at the next decision. */
  if (!hd_grow((void **)&s->events, &s->cap_events, s->nevents + 1, sizeof(event))) return -1;
  event *e = &s->events[s->nevents++];
  e->tid = (uint16_t)choice;
  e->op = (uint8_t)d->pending[choice].op;
  e->obj = d->pending[choice].obj_id;
  e->attempt = false;
  e->node = (uint32_t)(s->depth - 1);
  e->step = d->step;
  e->conflict_step1 = d->pending[choice].conflict_step1;
  e->finishes = false;
  e->woken_by = s->reduction ? s->ti[choice].waker : -1;
  e->tx = s->tx_thread == choice ? (int32_t)s->tx_start : (int32_t)(s->nevents - 1);
  e->sec = s->tx_thread == choice ? s->tx_lock : 0;
  e->guard = d->pending[choice].guard;
  e->neutral = false;
  s->ti[choice].waker = -1;
  s->last_pending = d->pending[choice];
  s->flags_pending = true;
  return choice;
}

/* A drawn value (hd_random_below) is thread t's n-th draw: the search fixes
 * a value for each such key and runs one DPOR tree per assignment (see
 * "draws" at dfs_state). A key not assigned yet draws 0 and is noted, to be
 * enumerated after this tree. */
static uint64_t dfs_pick_value(void *self, uint64_t bound) {
  dfs_state *s = self;
  int t = s->running;
  if (!threads_known(s, t + 1)) return UINT64_MAX;
  if (t >= s->ndrawers) s->ndrawers = t + 1;
  uint32_t n = s->ti[t].values++;
  for (size_t i = 0; i < s->nassigned + s->nnoted; i++) {
    struct keyed_draw *k = &s->assigned[i];
    if (k->tid != (uint32_t)t || k->n != n) continue;
    if (bound > k->bound) k->bound = bound; /* drawn with a larger bound elsewhere: enumerate up to it */
    return k->value < bound ? k->value : k->value % bound;
  }
  /* A helper's tree is the search's: a key the search has not met means
   * work that may not apply, which the search does itself. */
  if (s->helper_of != SIZE_MAX) helper_give_up(s);
  if (!hd_grow((void **)&s->assigned, &s->cap_assigned, s->nassigned + s->nnoted + 1, sizeof *s->assigned))
    return UINT64_MAX;
  s->assigned[s->nassigned + s->nnoted++] = (struct keyed_draw){.tid = (uint32_t)t, .n = n, .value = 0, .bound = bound};
  return 0;
}

/* After a tree: the keys it met are assigned (at 0, the value they had in
 * it), and the deepest assigned key with a value left takes the next one,
 * those after it being forgotten (met again, they start from 0). False when
 * every assignment has had its tree. */
static bool next_assignment(dfs_state *s) {
  s->nassigned += s->nnoted;
  s->nnoted = 0;
  while (s->nassigned > 0) {
    struct keyed_draw *k = &s->assigned[s->nassigned - 1];
    if (k->value + 1 < k->bound) {
      k->value++;
      return true;
    }
    s->nassigned--;
  }
  return false;
}

/* Assignments still to come after the current tree's (with the keys it met
 * so far at 0): each assigned key's remaining values times every value of
 * the keys after it. */
static double assignments_left(const dfs_state *s) {
  double left = 0, below = 1;
  for (size_t i = s->nassigned + s->nnoted; i-- > 0;) {
    const struct keyed_draw *k = &s->assigned[i];
    left += (double)(k->bound - k->value - 1) * below;
    below *= (double)k->bound;
  }
  return left;
}

/* Data is not a branch (hd_random_data): thread t's n-th draw is a fixed
 * function of (t, n), the same in every execution, so it is a thread-local
 * constant to the reduction and the tree has no node for it. */
static uint64_t dfs_pick_data(void *self, uint64_t bound) {
  dfs_state *s = self;
  int t = s->running;
  if (!threads_known(s, t + 1)) return UINT64_MAX;
  if (t >= s->ndrawers) s->ndrawers = t + 1;
  uint64_t state = ((uint64_t)t << 32 | s->ti[t].draws++) * 0x9e3779b97f4a7c15u;
  return hd_random_below_state(&state, bound);
}

/* Sizes the analysis's clocks for `width` threads and zeroes the threads'. */
static bool prepare_analysis(dfs_state *s, int width) {
  s->width = width;
  size_t w = (size_t)width;
  if (!hd_grow((void **)&s->clocks, &s->cap_clocks, (s->nevents ? s->nevents : 1) * w, sizeof(uint32_t)) ||
      !hd_grow((void **)&s->tclocks, &s->cap_tclocks, w * w, sizeof(uint32_t)) ||
      !hd_grow((void **)&s->scratch, &s->cap_scratch, 2 * w, sizeof(uint32_t)))
    return false;
  memset(s->tclocks, 0, w * w * sizeof(uint32_t));
  for (int t = 0; t < width && t < (int)s->cap_ti; t++) s->ti[t].tcount = 0;
  hd_tset_clear(&s->finished, hd_tset_words(width));
  return true;
}

static void dfs_end(void *self, const hd_outcome *o) {
  dfs_state *s = self;
  (void)o;
  /* Sleep-set blocked: every continuation is equivalent to an explored
   * execution. A share that owns no branch only walked to the split. */
  s->uncounted = s->redundant || (s->exhausted_after && s->split_depth != SIZE_MAX);
  if (!s->reduction) return;
  /* Replay the execution's events through the vector clocks. */
  if (!prepare_analysis(s, s->known > 0 ? s->known : 1)) return; /* out of memory: no new branches */
  s->nall = 0;
  s->next_respawn = 0;
  s->next_tick = 0;
  for (size_t i = 0; i < s->cap_objs; i++) s->objs[i].last = -2;
  for (size_t m = 0; m < s->nevents;) m = process_step(s, m);
  if (sections_on(s)) record_footprints(s);
  if (s->violation) s->restart = s->sections_off = true; /* "sections" */
  /* The operations the other threads were about to do race too. */
  if (s->redundant_from == SIZE_MAX && s->pending && s->nevents > 0) {
    int last = s->events[s->nevents - 1].tid;
    uint32_t *c = s->scratch + s->width;
    for (int t = 0; t < s->nthreads && t < s->known; t++) {
      if (t == last || hd_tset_has(&s->finished, t)) continue;
      const hd_pending *p = &s->pending[t];
      if (p->obj_id == 0 && s->nall == 0) continue;
      event_clock(s, t, p->obj_id, p->op, false, c);
      find_races(s, t, p->obj_id, p->op, false, s->ti[t].waker, -1, p->guard, 0, thread_clock(s, t), c, s->nevents,
                 s->scratch);
      find_conflict_race(s, t, p->conflict_step1, p->guard, 0, thread_clock(s, t), c, s->nevents);
      if (sections_on(s)) check_lock_use(s, p->obj_id, p->op, p->guard, 0);
    }
  }
  s->pending = NULL;
}

static const char *dfs_summary(void *self) {
  dfs_state *s = self;
  if (!s->exhausted || !s->bound_hit || s->iterative) return NULL;
  snprintf(s->summary, sizeof s->summary,
           "stopped by the preemption bound --preemptions %lld: every schedule with at most %lld preemption%s explored, "
           "the rest of the tree was not",
           (long long)s->bound, (long long)s->bound, s->bound == 1 ? "" : "s");
  return s->summary;
}

static void dfs_destroy(void *self) {
  dfs_state *s = self;
  stop_all_speculation(s);
  hd_helper_tokens_free(s->tokens);
  free(s->found);
  free(s->clocks);
  free(s->setpool);
  free(s->respawns);
  free(s->ticks);
  free(s->all_events);
  free(s->tclocks);
  free(s->objclocks);
  free(s->scratch);
  free(s->nodes);
  free(s->events);
  free(s->tx_locks);
  free(s->footprints);
  free(s->footprint_steps);
  free(s->objs);
  free(s->slot_ids);
  free(s->slot_index);
  free(s->class_seen);
  free(s->stats);
  free(s->stats_base);
  free(s->ti);
  free(s->assigned);
  hd_wtree_release(&s->wt);
  free(s->wsteps);
  free(s->windex);
  free(s->specs);
  free(s->request_seen);
  free(s);
}

/* The helpers of --jobs (see "helpers" above): not for bounded, which
 * restarts its tree, nor a shard of Bazel's (it walks its own part), nor
 * optimal DPOR (helpers send source-DPOR's requests, not sequences). */
static void dfs_helpers(void *self, unsigned helpers, int (*runner)(void *ctx), void *ctx, double watchdog) {
  dfs_state *d = self;
  if (d->split_ways > 1 || d->optimal) return;
  if (!d->specs && !(d->specs = calloc(HD_DFS_MAX_HELPERS, sizeof *d->specs))) return; /* alone, then */
  if (!d->tokens && !(d->tokens = hd_helper_tokens_new(0))) return;
  if (helpers > HD_DFS_MAX_HELPERS) helpers = HD_DFS_MAX_HELPERS;
  *d->tokens = (int)helpers;
  d->max_helpers = helpers * HELPER_SLOTS < HD_DFS_MAX_HELPERS ? helpers * HELPER_SLOTS : HD_DFS_MAX_HELPERS;
  d->runner = runner;
  d->runner_ctx = ctx;
  d->watchdog = watchdog;
}

static void dfs_budget(void *self, uint64_t left) { ((dfs_state *)self)->budget_left = left; }

static void dfs_absorbed(void *self, uint64_t *counted, uint64_t *wasted) {
  dfs_state *d = self;
  *counted = d->absorbed_counted;
  *wasted = d->absorbed_wasted;
  d->absorbed_counted = d->absorbed_wasted = 0;
}

static bool dfs_uncounted(void *self) { return ((const dfs_state *)self)->uncounted; }

static double estimate_left(const dfs_state *d);

static double dfs_coverage(void *self) {
  const dfs_state *d = self;
  if (d->exhausted) return 1;
  double left = estimate_left(d);
  return (double)d->executions / ((double)d->executions + left);
}

/* dfs and bounded are one search; only their names and dfs's helpers differ. */
#define HD__DFS_OPS(label, ...)                                                                            \
  {                                                                                                        \
    .name = label, .begin = dfs_begin, .pick_thread = dfs_pick_thread, .pick_value = dfs_pick_value,       \
    .pick_data = dfs_pick_data, .end = dfs_end, .summary = dfs_summary, .uncounted = dfs_uncounted,        \
    .coverage = dfs_coverage, .destroy = dfs_destroy, __VA_ARGS__                                          \
  }

static const hd_strategy_ops dfs_ops =
    HD__DFS_OPS("dfs", .helpers = dfs_helpers, .budget = dfs_budget, .absorbed = dfs_absorbed);
static const hd_strategy_ops bounded_ops = HD__DFS_OPS("bounded");

bool hd_strategy_dfs(hd_strategy *out, bool reduction, int64_t preemption_bound) {
  dfs_state *s = calloc(1, sizeof *s);
  if (!s) return false;
  s->bound = preemption_bound;
  s->reduction = reduction && preemption_bound < 0;
  s->split_depth = SIZE_MAX;
  s->nsets = 5;
  s->helper_of = SIZE_MAX;
  s->budget_left = UINT64_MAX;
  s->tree_begun_at = 1;
  s->wtop = -1;
  out->ops = &dfs_ops;
  out->self = s;
  return true;
}

void hd_strategy_dfs_helpers(hd_strategy *s, unsigned helpers, int (*runner)(void *ctx), void *ctx,
                             double watchdog) {
  if (s->ops->helpers) s->ops->helpers(s->self, helpers, runner, ctx, watchdog);
}

void hd_strategy_dfs_budget(const hd_strategy *s, uint64_t left) {
  if (s->ops->budget) s->ops->budget(s->self, left);
}

void hd_strategy_dfs_absorbed(const hd_strategy *s, uint64_t *counted, uint64_t *wasted) {
  *counted = *wasted = 0;
  if (s->ops->absorbed) s->ops->absorbed(s->self, counted, wasted);
}

void hd_strategy_dfs_optimal(hd_strategy *s) {
  dfs_state *d = s->self;
  d->optimal = d->reduction && !d->symmetry && !d->max_helpers && d->split_ways <= 1;
}

void hd_strategy_dfs_sections(hd_strategy *s) {
  dfs_state *d = s->self;
  /* Not split: a share that failed a check could not tell the others. */
  d->sections = d->reduction && !d->optimal && d->split_ways <= 1;
}

uint64_t hd_strategy_dfs_sections_discarded(const hd_strategy *s) {
  if (s->ops != &dfs_ops) return 0;
  const dfs_state *d = s->self;
  return d->sections_off ? d->discarded : 0;
}

void hd_strategy_dfs_symmetry(hd_strategy *s) {
  dfs_state *d = s->self;
  if (!d->reduction) return; /* dfs-naive and bounded search the whole tree */
  d->symmetry = true;
  d->optimal = false; /* wakeup trees do not map twins yet */
  d->nsets = 6;
}

bool hd_strategy_dfs_split(hd_strategy *out, bool reduction, int64_t preemption_bound, unsigned ways, unsigned index) {
  if (!hd_strategy_dfs(out, reduction, preemption_bound)) return false;
  dfs_state *s = out->self;
  s->split_ways = ways;
  s->split_index = index;
  return true;
}

bool hd_strategy_bounded(hd_strategy *out) {
  dfs_state *s = calloc(1, sizeof *s);
  if (!s) return false;
  s->bound = 0;
  s->split_depth = SIZE_MAX;
  s->nsets = 5;
  s->helper_of = SIZE_MAX;
  s->budget_left = UINT64_MAX;
  s->tree_begun_at = 1;
  s->wtop = -1;
  s->iterative = true;
  s->reduction = false;
  out->ops = &bounded_ops;
  out->self = s;
  return true;
}

/* Branches of node n not taken yet that the search knows of (the bound
 * aside). */
static double known_open(const dfs_state *s, const node *n) {
  hd_tset cand;
  known_branches(s, n, &cand);
  return hd_tset_count(&cand, n->nw);
}

/* An estimate of the executions left, in the manner of Knuth's estimator
 * ("Estimating the efficiency of backtrack programs", Math. Comp. 1975) and
 * of Kilby, Slaney, Thiebaux and Walsh's estimators for a search that is
 * running ("Estimating search tree size", AAAI 2006): the subtrees still to
 * come are taken to be as large as those already finished at the same depth,
 * and each node on the current path to end with as many branches as the
 * finished nodes of its depth did (DPOR finds branches as it goes, so a node
 * knows fewer than it will have). Where no subtree of a depth has finished
 * yet, the one in progress (its executions so far and its own estimate)
 * stands for its siblings. Computed from the deepest node up. */
static double estimate_left(const dfs_state *d) {
  double finished = 0, branches = 0;
  for (size_t i = 0; i < d->nstats; i++) finished += (double)d->stats[i].finished, branches += d->stats[i].branches;
  double all_branches = finished > 0 ? branches / finished : 1; /* for depths with nothing finished */
  double below = 0;   /* left inside the current child of the node at hand */
  double current = 1; /* executions of that child's subtree so far, and left in it */
  for (size_t i = d->nnodes; i-- > 0;) {
    const node *n = &d->nodes[i];
    double open = known_open(d, n);
    double taken = hd_tset_count(DONE(d, n), n->nw);
    double expected = i < d->nstats && d->stats[i].finished ? d->stats[i].branches / (double)d->stats[i].finished
                                                               : all_branches;
    if (expected > taken + open) open = expected - taken;
    double child = i + 1 < d->nstats && d->stats[i + 1].finished
                       ? d->stats[i + 1].executions / (double)d->stats[i + 1].finished
                       : current + below;
    below += open * child;
    current = (double)(d->executions - n->begun_at + 1);
  }
  /* The trees of the assignments to come (drawn values), each as large as
   * the finished trees on average, or as this one will be. */
  double this_tree = (double)(d->executions - d->tree_begun_at + 1) + below;
  double per_tree = d->trees_done ? (double)d->tree_executions / (double)d->trees_done : this_tree;
  return below + assignments_left(d) * per_tree;
}

double hd_strategy_coverage(const hd_strategy *s) { return s->ops->coverage ? s->ops->coverage(s->self) : -1; }

bool hd_strategy_uncounted(const hd_strategy *s) { return s->ops->uncounted && s->ops->uncounted(s->self); }

unsigned hd_strategy_bounded_round(const hd_strategy *s) {
  const dfs_state *d = s->self;
  return d->bound < 0 ? 0 : (unsigned)d->bound;
}

/* Fibers: user-space threads with their own guarded stacks, switched by hand.
 *
 * A switch saves the callee-saved registers and the stack pointer and loads
 * the other fiber's (about 10 ns here), where swapcontext also makes a
 * sigprocmask system call per switch (about 1.1 us). Stacks are pooled and
 * reused across executions; the lowest page of each is a guard page, and a
 * fault in it is reported as a stack overflow naming the fiber. */
#ifndef HEDDLE_HARNESS_ENGINE_FIBER_H
#define HEDDLE_HARNESS_ENGINE_FIBER_H

#include <signal.h>
#include <stddef.h>

/* Invariant: `sp` is valid only while the fiber is switched out. */
typedef struct hd__fiber {
  void *sp;           /* saved stack pointer */
  void *stack;        /* lowest address of the mapping (the guard page) */
  size_t stack_size;  /* usable bytes above the guard page */
  const char *label;  /* named in the stack-overflow report */
  void *sanitizer;    /* TSan fiber handle, or NULL */
  void *ucontext;     /* fallback switch on other architectures */
  void (*entry)(void *);
  void *arg;
  void *asan_fake_stack;      /* ASan: this fiber's fake stack while switched out */
  const void *asan_bottom;    /* ASan: the stack's bounds, told at every switch */
  size_t asan_size;
} hd__fiber;

/* Makes `f` start entry(arg) on a stack from the pool when first switched to.
 * `entry` must never return: it switches away for good instead. Returns 0, or
 * -1 when no stack can be mapped. */
int hd__fiber_make(hd__fiber *f, void (*entry)(void *), void *arg, const char *label);
/* Returns the fiber's stack to the pool. */
void hd__fiber_release(hd__fiber *f);
/* Initialises `f` as the calling OS thread's own context (the host). */
void hd__fiber_init_host(hd__fiber *f);
/* Saves the current context into `from` and resumes `to`. */
void hd__fiber_switch(hd__fiber *from, hd__fiber *to);
/* Installs the SIGSEGV/SIGBUS handler that reports a guard-page hit as a
 * stack overflow naming the fiber and chains every other fault to the
 * handler that was there before (a sanitizer's, or the default). Done by the
 * first stack mapping; idempotent. */
void hd__fiber_install_fault_handler(void);
/* The label of the fiber whose guard page holds `addr`, or NULL. Async-signal-safe. */
const char *hd__fiber_guard_label(const void *addr);
/* Stack size of new fibers in bytes (HEDDLE_STACK_SIZE, default 256 KiB). */
size_t hd__fiber_stack_size(void);

/* Passes signal `sig` on to `previous` (what was installed before heddle's
 * handler): calls its handler, or restores the default action and raises
 * the signal again so the process dies of it. */
void hd__chain_signal(int sig, siginfo_t *info, void *uctx, const struct sigaction *previous);

#endif

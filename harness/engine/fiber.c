/* Fiber stacks (pooled, guarded) and the context switch. */
#define _GNU_SOURCE
#include "harness/engine/fiber.h"

#include <dlfcn.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness/engine/sanitizers.h"

#ifdef HD_ASAN
/* ASan must be told which stack is live, or it reports the fiber stacks as
 * wild accesses when it unpoisons a stack before a noreturn call. */
void __sanitizer_start_switch_fiber(void **fake_stack_save, const void *bottom, size_t size);
void __sanitizer_finish_switch_fiber(void *fake_stack_save, const void **bottom_old, size_t *size_old);
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
#endif
/* The fiber being left by the switch in progress: a new fiber learns from it
 * the bounds of the stack it came from (the host's are not known before). */
static hd__fiber *switching_from;

#ifdef HD_TSAN
void *__tsan_get_current_fiber(void);
void *__tsan_create_fiber(unsigned flags);
void __tsan_destroy_fiber(void *fiber);
void __tsan_switch_to_fiber(void *fiber, unsigned flags);
#endif

#if !defined(__x86_64__)
#include <ucontext.h>
#endif

/* ---- the stack pool -------------------------------------------------------- */

/* A free stack; the pool is a singly linked list through the stacks' own
 * memory. Every mapping ever made is remembered so the fault handler can tell
 * a guard-page hit from any other crash. */
typedef struct free_stack {
  struct free_stack *next;
} free_stack;

#define MAX_MAPPINGS 4096
static free_stack *pool;
static void *mappings[MAX_MAPPINGS];
static const char *mapping_labels[MAX_MAPPINGS];
static int n_mappings;
static size_t page_size;
static size_t stack_size;

size_t hd__fiber_stack_size(void) {
  if (!stack_size) {
    page_size = (size_t)sysconf(_SC_PAGESIZE);
    stack_size = 256 * 1024;
    const char *env = getenv("HEDDLE_STACK_SIZE");
    if (env && *env) {
      char *end;
      unsigned long long v = strtoull(env, &end, 10);
      if (*end || v < 16 * 1024 || v > (1ull << 30)) {
        fprintf(stderr, "heddle: HEDDLE_STACK_SIZE must be a byte count between 16384 and 1073741824\n");
        exit(2);
      }
      stack_size = (size_t)v;
    }
    stack_size = (stack_size + page_size - 1) & ~(page_size - 1);
  }
  return stack_size;
}

const char *hd__fiber_guard_label(const void *addr) {
  uintptr_t a = (uintptr_t)addr;
  for (int i = 0; i < n_mappings; i++) {
    uintptr_t low = (uintptr_t)mappings[i];
    if (a >= low && a < low + page_size) return mapping_labels[i] ? mapping_labels[i] : "?";
  }
  return NULL;
}

/* What SIGSEGV and SIGBUS did before heddle's handler: a sanitizer's report
 * or the default death, chained to for every fault that is not a guard-page
 * hit, so ASan still prints its own report. */
static struct sigaction previous_segv, previous_bus;

/* cmocka's exception handler longjmps into its test runner, which cannot
 * work from a fiber's stack (and, in a supervised child, would resume the
 * runner's copy there); it also allocates inside the handler. A fault in a
 * body skips it and dies of the signal, which the explorer reports. */
static bool is_cmocka_handler(const struct sigaction *action) {
  void *handler = (action->sa_flags & SA_SIGINFO) ? (void *)action->sa_sigaction : (void *)action->sa_handler;
  Dl_info info;
  return handler && dladdr(handler, &info) && info.dli_fname && strstr(info.dli_fname, "cmocka");
}

void hd__chain_signal(int sig, siginfo_t *info, void *uctx, const struct sigaction *previous) {
  bool cmocka = is_cmocka_handler(previous); /* treated as the default action */
  if (!cmocka && (previous->sa_flags & SA_SIGINFO) && previous->sa_sigaction) {
    previous->sa_sigaction(sig, info, uctx);
  } else if (!cmocka && previous->sa_handler != SIG_DFL && previous->sa_handler != SIG_IGN) {
    previous->sa_handler(sig);
  } else {
    /* The default action: restore it; the signal is blocked while this
     * handler runs, so the raise is delivered (and kills) when it returns,
     * for a raise() as well as for a fault. */
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
    raise(sig);
  }
}

static void on_fault(int sig, siginfo_t *info, void *uctx) {
  const char *label = hd__fiber_guard_label(info->si_addr);
  if (label) {
    /* Only async-signal-safe calls here. */
    static const char head[] = "heddle: stack overflow in thread '";
    static const char tail[] = "': it used its whole fiber stack; raise HEDDLE_STACK_SIZE (bytes) or reduce recursion\n";
    ssize_t ignored = write(2, head, sizeof head - 1);
    ignored = write(2, label, strlen(label));
    ignored = write(2, tail, sizeof tail - 1);
    (void)ignored;
    _exit(3);
  }
  hd__chain_signal(sig, info, uctx, sig == SIGBUS ? &previous_bus : &previous_segv);
}

void hd__fiber_install_fault_handler(void) {
  static int installed;
  if (installed) return;
  installed = 1;
  /* The handler needs a stack of its own: the faulting one is exhausted. */
  static char alt[64 * 1024];
  stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0};
  sigaltstack(&ss, NULL);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_fault;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSEGV, &sa, &previous_segv);
  sigaction(SIGBUS, &sa, &previous_bus);
}

static void *take_stack(const char *label) {
  size_t size = hd__fiber_stack_size();
  void *low;
  if (pool) {
    low = (char *)pool - page_size;
    pool = pool->next;
  } else {
    if (n_mappings == MAX_MAPPINGS) return NULL;
    hd__fiber_install_fault_handler();
    low = mmap(NULL, size + page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (low == MAP_FAILED) return NULL;
    mprotect(low, page_size, PROT_NONE);
    mappings[n_mappings++] = low;
  }
  for (int i = 0; i < n_mappings; i++)
    if (mappings[i] == low) mapping_labels[i] = label;
  return low;
}

/* The free-list link lives just above the guard page. */
static void give_stack(void *low) {
  free_stack *node = (free_stack *)((char *)low + page_size);
  node->next = pool;
  pool = (free_stack *)node;
}

/* ---- the switch ------------------------------------------------------------- */

#if defined(__x86_64__)
/* hd__fiber_swap(void **save_sp, void *load_sp): pushes the callee-saved
 * registers, saves rsp, loads the other rsp, pops its registers, returns into
 * it. MXCSR and the x87 control word are callee-saved too but nothing in
 * heddle changes them, so they are left alone. */
void hd__fiber_swap(void **save_sp, void *load_sp);
__asm__(
    ".text\n"
    ".globl hd__fiber_swap\n"
    ".type hd__fiber_swap,@function\n"
    "hd__fiber_swap:\n"
    "  pushq %rbp\n"
    "  pushq %rbx\n"
    "  pushq %r12\n"
    "  pushq %r13\n"
    "  pushq %r14\n"
    "  pushq %r15\n"
    "  movq %rsp, (%rdi)\n"
    "  movq %rsi, %rsp\n"
    "  popq %r15\n"
    "  popq %r14\n"
    "  popq %r13\n"
    "  popq %r12\n"
    "  popq %rbx\n"
    "  popq %rbp\n"
    "  ret\n"
    ".size hd__fiber_swap, .-hd__fiber_swap\n"
    /* A new fiber 'returns' here from its first swap with r12 = arg and
     * r13 = entry; the call needs a 16-byte aligned stack. */
    ".globl hd__fiber_boot\n"
    ".type hd__fiber_boot,@function\n"
    "hd__fiber_boot:\n"
    "  movq %r12, %rdi\n"
    "  andq $-16, %rsp\n"
    "  callq *%r13\n"
    "  ud2\n"
    ".size hd__fiber_boot, .-hd__fiber_boot\n");
void hd__fiber_boot(void);
#else
static void ucontext_entry(unsigned hi_entry, unsigned lo_entry, unsigned hi_arg, unsigned lo_arg) {
  void (*entry)(void *) = (void (*)(void *))(((uintptr_t)hi_entry << 32) | lo_entry);
  void *arg = (void *)(((uintptr_t)hi_arg << 32) | lo_arg);
  entry(arg);
  abort();
}
#endif

/* Every fiber starts here: finish the sanitizer's switch, then run. */
static void fiber_start(void *p) {
  hd__fiber *f = p;
#ifdef HD_ASAN
  __sanitizer_finish_switch_fiber(NULL, &switching_from->asan_bottom, &switching_from->asan_size);
#endif
  f->entry(f->arg);
  abort(); /* entries switch away for good instead of returning */
}

int hd__fiber_make(hd__fiber *f, void (*entry)(void *), void *arg, const char *label) {
  void *low = take_stack(label);
  if (!low) return -1;
  f->stack = low;
  f->stack_size = hd__fiber_stack_size();
  f->label = label;
  f->entry = entry;
  f->arg = arg;
  f->asan_fake_stack = NULL;
  f->asan_bottom = (char *)low + page_size;
  f->asan_size = f->stack_size;
#ifdef HD_ASAN
  /* A reused stack may still carry the redzones of frames an abandoned
   * fiber never returned from. */
  __asan_unpoison_memory_region(f->asan_bottom, f->asan_size);
#endif
  char *top = (char *)low + page_size + f->stack_size;
#if defined(__x86_64__)
  uintptr_t *sp = (uintptr_t *)((uintptr_t)top & ~(uintptr_t)15);
  *--sp = 0;                          /* padding: keeps the frame 16-aligned */
  *--sp = (uintptr_t)hd__fiber_boot;  /* where the first swap returns to */
  *--sp = 0;                          /* rbp */
  *--sp = 0;                          /* rbx */
  *--sp = (uintptr_t)f;               /* r12: fiber_start's argument */
  *--sp = (uintptr_t)fiber_start;     /* r13 */
  *--sp = 0;                          /* r14 */
  *--sp = 0;                          /* r15 */
  f->sp = sp;
#else
  ucontext_t *uc = f->ucontext ? f->ucontext : malloc(sizeof *uc);
  if (!uc) return -1;
  getcontext(uc);
  uc->uc_stack.ss_sp = (char *)low + page_size;
  uc->uc_stack.ss_size = f->stack_size;
  uc->uc_link = NULL;
  void (*start)(void *) = fiber_start;
  makecontext(uc, (void (*)(void))ucontext_entry, 4, (unsigned)((uintptr_t)start >> 32), (unsigned)(uintptr_t)start,
              (unsigned)((uintptr_t)f >> 32), (unsigned)(uintptr_t)f);
  f->ucontext = uc;
#endif
#ifdef HD_TSAN
  if (!f->sanitizer) f->sanitizer = __tsan_create_fiber(0);
#endif
  return 0;
}

void hd__fiber_release(hd__fiber *f) {
  if (f->stack) give_stack(f->stack);
  f->stack = NULL;
#ifdef HD_TSAN
  /* TSan keeps a history per fiber as for a thread that never ends: a
   * handle reused for every execution grows until the process is killed
   * (about 13,000 executions of a 4-thread program). A fiber released is
   * never the running one, so its handle can go. */
  if (f->sanitizer) __tsan_destroy_fiber(f->sanitizer);
  f->sanitizer = NULL;
#endif
}

void hd__fiber_init_host(hd__fiber *f) {
  memset(f, 0, sizeof *f);
  f->label = "host";
#ifdef HD_TSAN
  f->sanitizer = __tsan_get_current_fiber();
#endif
#if !defined(__x86_64__)
  f->ucontext = malloc(sizeof(ucontext_t));
#endif
}

void hd__fiber_switch(hd__fiber *from, hd__fiber *to) {
  switching_from = from;
#ifdef HD_ASAN
  __sanitizer_start_switch_fiber(&from->asan_fake_stack, to->asan_bottom, to->asan_size);
#endif
#ifdef HD_TSAN
  /* flags 0: the switch synchronises, so TSan sees the fibers' strict
   * alternation as ordering and reports no race within the harness. */
  __tsan_switch_to_fiber(to->sanitizer, 0);
#endif
#if defined(__x86_64__)
  hd__fiber_swap(&from->sp, to->sp);
#else
  swapcontext(from->ucontext, to->ucontext);
#endif
#ifdef HD_ASAN
  __sanitizer_finish_switch_fiber(from->asan_fake_stack, &switching_from->asan_bottom, &switching_from->asan_size);
#endif
}

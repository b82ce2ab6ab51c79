/* The program runner: a C program's main() as the body of every execution,
 * started each time from the program's initial state (program.h says how
 * and why), and the C library calls that end a program or own resources:
 * exit, abort, assert, the heap and fopen. */
#define _GNU_SOURCE
#include "harness/posix/program.h"

#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/engine/exec.h"
#include "harness/engine/memory.h"
#include "harness/engine/recorder.h"
#include "harness/engine/sanitizers.h"
#include "harness/posix/posix.h"

typedef struct range {
  unsigned char *addr;
  size_t size;
  unsigned char *image; /* its contents right after loading */
} range;

struct hd_program {
  char *path, *name;
  void *handle;
  int (*main)(int, char **, char **);
  int argc;
  char **argv;   /* the arguments as given; each execution gets a fresh copy */
  range *ranges; /* the writable data to restore */
  size_t nranges;
  unsigned char *tls_image;
  /* The execution's end: exit status and where the program ended. */
  int status;
  const char *end_file;
  int end_line;
};

/* The program being explored (one per process). */
static hd_program *running;

/* ---- the heap and the files of an execution ------------------------------------- */

/* Blocks the program allocated in an execution and has not freed, in an
 * open-addressing set with backward-shift deletion, kept across executions
 * (in the harness's own heap) so the next execution can free them. */
static struct {
  void **slots;
  size_t size, used;
} heap;

static size_t slot_of(const void *p) {
  return (size_t)(((uintptr_t)p * 0x9e3779b97f4a7c15ull) >> 20) & (heap.size - 1);
}

static void heap_add(void *p) {
  if (!p || hd__exec_generation() == 0) return; /* outside an execution: part of the initial state */
  if (heap.used + 1 > heap.size / 2) {
    size_t old_size = heap.size;
    void **old = heap.slots;
    heap.size = old_size ? old_size * 2 : 1024;
    heap.slots = calloc(heap.size, sizeof *heap.slots);
    if (!heap.slots) {
      fprintf(stderr, "heddle: out of memory tracking the program's heap\n");
      abort();
    }
    heap.used = 0;
    for (size_t i = 0; i < old_size; i++)
      if (old[i]) heap_add(old[i]);
    free(old);
  }
  size_t i = slot_of(p);
  while (heap.slots[i]) i = (i + 1) & (heap.size - 1);
  heap.slots[i] = p;
  heap.used++;
}

static void heap_remove(void *p) {
  if (!p || !heap.size) return;
  size_t i = slot_of(p);
  while (heap.slots[i] && heap.slots[i] != p) i = (i + 1) & (heap.size - 1);
  if (!heap.slots[i]) return; /* not the execution's: allocated before it, or by the C library */
  heap.slots[i] = NULL;
  heap.used--;
  /* Backward shift: move later members of the cluster into the hole. */
  for (size_t j = (i + 1) & (heap.size - 1); heap.slots[j]; j = (j + 1) & (heap.size - 1)) {
    size_t home = slot_of(heap.slots[j]);
    bool movable = i <= j ? (home <= i || home > j) : (home <= i && home > j);
    if (!movable) continue;
    heap.slots[i] = heap.slots[j];
    heap.slots[j] = NULL;
    i = j;
  }
}

static struct {
  FILE **files;
  size_t len, cap;
} open_files;

static void heap_and_files_reset(void) {
  for (size_t i = 0; i < heap.size; i++) {
    if (!heap.slots[i]) continue;
    free(heap.slots[i]);
    heap.slots[i] = NULL;
  }
  heap.used = 0;
  for (size_t i = 0; i < open_files.len; i++) fclose(open_files.files[i]);
  open_files.len = 0;
}

void *hd_px_malloc_any(size_t size) {
  void *p = malloc(size);
  heap_add(p);
  return p;
}

void *hd_px_calloc_any(size_t n, size_t size) {
  void *p = calloc(n, size);
  heap_add(p);
  return p;
}

void *hd_px_realloc_any(void *old, size_t size) {
  heap_remove(old);
  void *p = realloc(old, size);
  heap_add(p ? p : size ? old : NULL); /* on failure the old block is still there */
  return p;
}

void hd_px_free_any(void *p) {
  heap_remove(p);
  free(p);
}

char *hd_px_strdup_any(const char *s) {
  char *p = strdup(s);
  heap_add(p);
  return p;
}

char *hd_px_strndup_any(const char *s, size_t n) {
  char *p = strndup(s, n);
  heap_add(p);
  return p;
}

int hd_px_posix_memalign_any(void **out, size_t align, size_t size) {
  int err = posix_memalign(out, align, size);
  if (!err) heap_add(*out);
  return err;
}

void *hd_px_aligned_alloc_any(size_t align, size_t size) {
  void *p = aligned_alloc(align, size);
  heap_add(p);
  return p;
}

FILE *hd_px_fopen_at(const char *path, const char *mode, const char *file, int line) {
  (void)file, (void)line;
  FILE *f = fopen(path, mode);
  if (!f || hd__exec_generation() == 0) return f;
  if (open_files.len == open_files.cap) {
    size_t cap = open_files.cap ? open_files.cap * 2 : 16;
    FILE **grown = realloc(open_files.files, cap * sizeof *grown);
    if (!grown) return f; /* untracked: it stays open, nothing worse */
    open_files.files = grown;
    open_files.cap = cap;
  }
  open_files.files[open_files.len++] = f;
  return f;
}

int hd_px_fclose_at(FILE *f, const char *file, int line) {
  (void)file, (void)line;
  for (size_t i = 0; i < open_files.len; i++) {
    if (open_files.files[i] != f) continue;
    open_files.files[i] = open_files.files[--open_files.len];
    break;
  }
  return fclose(f);
}

FILE *hd_px_fopen_any(const char *path, const char *mode) { return hd_px_fopen_at(path, mode, "?", 0); }
int hd_px_fclose_any(FILE *f) { return hd_px_fclose_at(f, "?", 0); }

/* ---- the end of the program -------------------------------------------------------- */

void hd__px_end_program(int status, const char *file, int line) {
  running->status = status;
  running->end_file = file;
  running->end_line = line;
  hd__exec_exit_program(file, line);
}

void hd_px_exit_at(int status, const char *file, int line) {
  if (!running || hd__exec_generation() == 0) exit(status); /* a constructor or destructor: no execution */
  hd__px_end_program(status, file, line);
}

void hd_px__exit_at(int status, const char *file, int line) {
  if (!running || hd__exec_generation() == 0) _exit(status);
  hd__px_end_program(status, file, line);
}

void hd_px_exit_any(int status) { hd_px_exit_at(status, "?", 0); }
void hd_px__exit_any(int status) { hd_px__exit_at(status, "?", 0); }
void hd_px__Exit_any(int status) { hd_px__exit_at(status, "?", 0); }

void hd_px_abort_at(const char *file, int line) {
  if (hd__exec_generation() == 0) abort();
  char message[512];
  snprintf(message, sizeof message, "crash: abort() in %s at %s:%d", hd__self_name(), file, line);
  hd__exec_report(HD_BUG_CRASH, file, line, message);
}

void hd_px_abort_any(void) { hd_px_abort_at("?", 0); }

void hd_px_assert_fail(const char *expr, const char *file, unsigned line, const char *function) {
  if (hd__exec_generation() == 0) {
    fprintf(stderr, "%s:%u: %s: assertion `%s' failed\n", file, line, function, expr);
    abort();
  }
  char message[512];
  /* SV-COMP's programs define reach_error() as a failing assert: reaching
   * it is the property violation, an assertion bug rather than a crash. */
  bool sv_comp = function && strcmp(function, "reach_error") == 0;
  if (sv_comp)
    snprintf(message, sizeof message, "assertion failed in %s: reach_error() was called (%s:%u)", hd__self_name(),
             file, line);
  else
    snprintf(message, sizeof message, "crash: assertion `%s' failed in %s at %s:%u (%s), which aborts", expr,
             hd__self_name(), file, line, function ? function : "?");
  hd__exec_report(sv_comp ? HD_BUG_ASSERTION : HD_BUG_CRASH, file, (int)line, message);
}

/* ---- loading and resetting ------------------------------------------------------------- */

typedef struct find_data {
  hd_program *p;
  ElfW(Addr) base;
  bool found;
  char *why;
  size_t size;
} find_data;

/* Copies a segment of the program's data. Under AddressSanitizer the
 * segment holds the redzones between globals, which a checked memcpy
 * refuses to read: copy them unchecked (they are copied back unchanged). */
#ifdef HD_ASAN
__attribute__((no_sanitize_address)) static void copy_data(unsigned char *to, const unsigned char *from, size_t n) {
  volatile unsigned char *dst = to; /* volatile: not turned back into a checked memcpy */
  for (size_t i = 0; i < n; i++) dst[i] = from[i];
}
#else
static void copy_data(unsigned char *to, const unsigned char *from, size_t n) { memcpy(to, from, n); }
#endif

static bool add_range(hd_program *p, unsigned char *addr, size_t size) {
  if (size == 0) return true;
  range *grown = realloc(p->ranges, (p->nranges + 1) * sizeof *grown);
  if (!grown) return false;
  p->ranges = grown;
  unsigned char *image = malloc(size);
  if (!image) return false;
  copy_data(image, addr, size);
  p->ranges[p->nranges++] = (range){.addr = addr, .size = size, .image = image};
  return true;
}

/* The program's writable segments, minus the part the loader made read-only
 * after relocation (PT_GNU_RELRO, protected up to its last whole page). */
static int find_segments(struct dl_phdr_info *info, size_t size, void *arg) {
  (void)size;
  find_data *f = arg;
  if (info->dlpi_addr != f->base || f->found) return 0;
  f->found = true;
  uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
  uintptr_t relro_end = 0;
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    if (ph->p_type == PT_GNU_RELRO) relro_end = (info->dlpi_addr + ph->p_vaddr + ph->p_memsz) & ~(page - 1);
  }
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_W)) continue;
    uintptr_t start = info->dlpi_addr + ph->p_vaddr, end = start + ph->p_memsz;
    if (relro_end > start) start = relro_end < end ? relro_end : end;
    if (!add_range(f->p, (unsigned char *)start, end - start)) {
      snprintf(f->why, f->size, "out of memory");
      return 1;
    }
  }
  return 0;
}

static void set_why(char *why, size_t size, const char *fmt, const char *a, const char *b) {
  snprintf(why, size, fmt, a, b);
}

hd_program *hd_program_load(const char *path, const char *name, int argc, char **argv, char *why, size_t size) {
  if (running) {
    snprintf(why, size, "a program is already loaded in this process");
    return NULL;
  }
  hd_program *p = calloc(1, sizeof *p);
  if (!p) {
    snprintf(why, size, "out of memory");
    return NULL;
  }
  p->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!p->handle) {
    set_why(why, size, "cannot load %s: %s", path, dlerror());
    free(p);
    return NULL;
  }
  char *const *bounds = dlsym(p->handle, "hd_px_tls_bounds");
  *(void **)&p->main = dlsym(p->handle, "main");
  if (!bounds || !p->main) {
    set_why(why, size, "%s %s", path,
            !bounds ? "was not compiled with -include harness/posix/heddle_posix.h" : "has no main function");
    dlclose(p->handle);
    free(p);
    return NULL;
  }
  struct link_map *lm = NULL;
  find_data f = {.p = p, .why = why, .size = size};
  if (dlinfo(p->handle, RTLD_DI_LINKMAP, &lm) != 0 || !lm) {
    set_why(why, size, "cannot inspect %s: %s", path, dlerror());
    hd_program_unload(p);
    return NULL;
  }
  f.base = lm->l_addr;
  why[0] = '\0';
  dl_iterate_phdr(find_segments, &f);
  if (why[0] || !f.found) {
    if (!why[0]) set_why(why, size, "cannot find the segments of %s%s", path, "");
    hd_program_unload(p);
    return NULL;
  }
  p->path = strdup(path);
  p->name = strdup(name);
  p->argc = argc + 1;
  p->argv = calloc((size_t)argc + 2, sizeof *p->argv);
  if (!p->path || !p->name || !p->argv) {
    snprintf(why, size, "out of memory");
    hd_program_unload(p);
    return NULL;
  }
  p->argv[0] = p->path;
  for (int i = 0; i < argc; i++) p->argv[i + 1] = argv[i];
  /* Thread-local variables: each thread starts from their initial image. */
  if (bounds[0] && bounds[1] > bounds[0]) {
    hd__px_tls_start = (unsigned char *)bounds[0];
    hd__px_tls_size = (size_t)(bounds[1] - bounds[0]);
    p->tls_image = malloc(hd__px_tls_size);
    if (!p->tls_image) {
      snprintf(why, size, "out of memory");
      hd_program_unload(p);
      return NULL;
    }
    memcpy(p->tls_image, hd__px_tls_start, hd__px_tls_size);
    hd__px_tls_image = p->tls_image;
    hd__exec_switch_hook = hd__px_swap_tls;
  }
  running = p;
  return p;
}

void hd_program_spurious_wakeups(bool on) { hd__px_spurious_wakeups = on; }

void hd_program_reset(hd_program *p) {
  heap_and_files_reset();
  for (size_t i = 0; i < p->nranges; i++) copy_data(p->ranges[i].addr, p->ranges[i].image, p->ranges[i].size);
  p->status = 0;
  p->end_file = NULL;
  p->end_line = 0;
}

size_t hd_program_data_size(const hd_program *p) {
  size_t n = 0;
  for (size_t i = 0; i < p->nranges; i++) n += p->ranges[i].size;
  return n;
}

/* The program's output would be printed once per execution: in a
 * supervised child (the CLI's and the tests' way) it goes to /dev/null
 * unless HEDDLE_PROGRAM_OUTPUT=1; a run in the caller's process
 * (isolate = false) leaves the caller's stdout alone. */
static void quiet_stdout(void) {
  static bool done;
  if (done || !hd__recorder_attached()) return;
  done = true;
  const char *keep = getenv("HEDDLE_PROGRAM_OUTPUT");
  if (keep && strcmp(keep, "1") == 0) return;
  fflush(stdout);
  int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (null >= 0) {
    dup2(null, STDOUT_FILENO);
    close(null);
  }
}

static void program_body(void *arg) {
  hd_program *p = arg;
  quiet_stdout();
  hd_program_reset(p);
  /* A fresh argv each time: main may write to its arguments. */
  char **argv = hd__exec_scratch(((size_t)p->argc + 1) * sizeof *argv);
  for (int i = 0; i < p->argc; i++) {
    size_t len = strlen(p->argv[i]) + 1;
    argv[i] = hd__exec_scratch(len);
    memcpy(argv[i], p->argv[i], len);
  }
  p->status = p->main(p->argc, argv, environ);
  p->end_file = p->name;
  p->end_line = 0;
  fflush(stdout);
}

static void program_check(void *arg) {
  hd_program *p = arg;
  fflush(stdout);
  if (p->status == 0) return;
  char message[512];
  if (p->end_line > 0)
    snprintf(message, sizeof message, "exit: the program exited with status %d in %s at %s:%d", p->status,
             hd__self_name(), p->end_file, p->end_line);
  else
    snprintf(message, sizeof message, "exit: main returned %d", p->status);
  hd__exec_report(HD_BUG_EXIT, p->end_line > 0 ? p->end_file : p->name, p->end_line, message);
}

hd_test hd_program_test(hd_program *p) {
  /* Hidden until the caller says it was built with --instrument. */
  return (hd_test){
      .name = p->name, .body = program_body, .check = program_check, .arg = p, .c_program = true, .memory_hidden = true};
}

void hd_program_unload(hd_program *p) {
  if (!p) return;
  if (running == p) {
    running = NULL;
    hd__exec_switch_hook = NULL;
    hd__px_tls_start = NULL;
    hd__px_tls_size = 0;
    hd__px_tls_image = NULL;
  }
  for (size_t i = 0; i < p->nranges; i++) free(p->ranges[i].image);
  free(p->ranges);
  free(p->tls_image);
  free(p->argv);
  free(p->path);
  free(p->name);
  if (p->handle) dlclose(p->handle);
  free(p);
}

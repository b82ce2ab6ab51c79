/* Code and data addresses to names (symbolize.h). */
#define _GNU_SOURCE
#include "harness/report/symbolize.h"

#include <dlfcn.h>
#include <link.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "primitives/intern.h"

/* One addr2line process per module, owned by the process that started it
 * (a forked child starts its own rather than share the pipes). */
typedef struct resolver {
  char module[512];
  pid_t owner;
  FILE *to, *from;
} resolver;

enum { MAX_RESOLVERS = 16, CACHE = 4096 };
static resolver resolvers[MAX_RESOLVERS];
static struct {
  const void *pc;
  const char *file;
  int line;
} cache[CACHE];

static resolver *resolver_for(const char *module) {
  pid_t self = getpid();
  resolver *free_slot = NULL;
  for (int i = 0; i < MAX_RESOLVERS; i++) {
    resolver *r = &resolvers[i];
    if (r->owner == self && strcmp(r->module, module) == 0) return r;
    if (!free_slot && r->owner != self) free_slot = r;
  }
  if (!free_slot) return NULL;
  int in[2], out[2];
  if (pipe(in) != 0) return NULL;
  if (pipe(out) != 0) {
    close(in[0]);
    close(in[1]);
    return NULL;
  }
  pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    dup2(in[0], 0);
    dup2(out[1], 1);
    close(in[1]);
    close(out[0]);
    execlp("addr2line", "addr2line", "-e", module, (char *)NULL);
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  if (pid < 0) {
    close(in[1]);
    close(out[0]);
    return NULL;
  }
  snprintf(free_slot->module, sizeof free_slot->module, "%s", module);
  free_slot->owner = self;
  free_slot->to = fdopen(in[1], "w");
  free_slot->from = fdopen(out[0], "r");
  return free_slot;
}

/* addr2line's "path/file.c:14 (discriminator 2)" as an interned path
 * relative to the build's working directory, and the line. */
static void parse_location(char *text, const char **file, int *line) {
  text[strcspn(text, "\n")] = '\0';
  char *space = strstr(text, " (discriminator");
  if (space) *space = '\0';
  char *colon = strrchr(text, ':');
  if (!colon || strncmp(text, "??", 2) == 0) return;
  *colon = '\0';
  *line = atoi(colon + 1);
  const char *path = text;
  /* Bazel compiles in its execroot, which shows as this prefix; a program
   * compiled by the CLI shows the directory it was compiled in, the one
   * heddle runs in: paths are relative to it, as the user typed them. */
  static char cwd[1024];
  static size_t cwd_len;
  if (!cwd_len && getcwd(cwd, sizeof cwd - 1)) {
    cwd_len = strlen(cwd);
    cwd[cwd_len++] = '/';
  }
  if (strncmp(path, "/proc/self/cwd/", 15) == 0) path += 15;
  else if (cwd_len > 1 && strncmp(path, cwd, cwd_len) == 0) path += cwd_len;
  *file = hd__intern(path);
}

void hd__symbolize_code(const void *return_address, const char **file, int *line) {
  size_t slot = ((uintptr_t)return_address >> 2) % CACHE;
  if (cache[slot].pc == return_address) {
    *file = cache[slot].file;
    *line = cache[slot].line;
    return;
  }
  *file = "?";
  *line = 0;
  Dl_info info;
  if (dladdr(return_address, &info) && info.dli_fname) {
    const char *slash = strrchr(info.dli_fname, '/');
    *file = hd__intern(slash ? slash + 1 : info.dli_fname);
    resolver *r = resolver_for(info.dli_fname);
    /* The call is the instruction before the return address. */
    uintptr_t offset = (uintptr_t)return_address - 1 - (uintptr_t)info.dli_fbase;
    char answer[1024];
    if (r && r->to && r->from && fprintf(r->to, "0x%lx\n", (unsigned long)offset) > 0 && fflush(r->to) == 0 &&
        fgets(answer, sizeof answer, r->from))
      parse_location(answer, file, line);
  }
  cache[slot].pc = return_address;
  cache[slot].file = *file;
  cache[slot].line = *line;
}

static struct {
  const void *addr;
  const char *name;
  bool known;
} data_cache[CACHE];

static const char *lookup_data(const void *addr);

const char *hd__symbolize_data(const void *addr) {
  /* dladdr walks symbol tables: once per address. */
  size_t slot = ((uintptr_t)addr >> 3) % CACHE;
  if (data_cache[slot].known && data_cache[slot].addr == addr) return data_cache[slot].name;
  const char *name = lookup_data(addr);
  data_cache[slot].addr = addr;
  data_cache[slot].name = name;
  data_cache[slot].known = true;
  return name;
}

/* A module's data symbols from its .symtab, local ones included (dladdr
 * sees only exported symbols, and a program's globals are often static):
 * sorted by address, read once per module. */
typedef struct data_symbol {
  uintptr_t addr;
  size_t size;
  const char *name; /* interned */
} data_symbol;

typedef struct symtab {
  char module[512];
  data_symbol *syms;
  size_t n;
} symtab;

enum { MAX_SYMTABS = 16 };
static symtab symtabs[MAX_SYMTABS];
static int nsymtabs;

static int by_address(const void *a, const void *b) {
  uintptr_t x = ((const data_symbol *)a)->addr, y = ((const data_symbol *)b)->addr;
  return x < y ? -1 : x > y;
}

/* Reads the object symbols of the ELF file `path` loaded at `base`. */
static void read_symtab(symtab *t, const char *path, uintptr_t base) {
  FILE *f = fopen(path, "rb");
  if (!f) return;
  ElfW(Ehdr) eh;
  ElfW(Shdr) *sh = NULL;
  char *strings = NULL;
  if (fread(&eh, sizeof eh, 1, f) != 1 || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_shentsize != sizeof *sh ||
      eh.e_shnum == 0 || eh.e_shnum > 4096)
    goto done;
  sh = calloc(eh.e_shnum, sizeof *sh);
  if (!sh || fseek(f, (long)eh.e_shoff, SEEK_SET) != 0 || fread(sh, sizeof *sh, eh.e_shnum, f) != eh.e_shnum)
    goto done;
  for (int i = 0; i < eh.e_shnum; i++) {
    if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh.e_shnum || sh[i].sh_entsize != sizeof(ElfW(Sym))) continue;
    const ElfW(Shdr) *str = &sh[sh[i].sh_link];
    strings = malloc(str->sh_size + 1);
    if (!strings || fseek(f, (long)str->sh_offset, SEEK_SET) != 0 || fread(strings, 1, str->sh_size, f) != str->sh_size)
      goto done;
    strings[str->sh_size] = '\0';
    size_t count = sh[i].sh_size / sizeof(ElfW(Sym));
    t->syms = calloc(count ? count : 1, sizeof *t->syms);
    if (!t->syms || fseek(f, (long)sh[i].sh_offset, SEEK_SET) != 0) goto done;
    /* An executable's addresses are absolute; a shared object's (or a
     * PIE's) are relative to where it was loaded. */
    uintptr_t offset = eh.e_type == ET_DYN ? base : 0;
    for (size_t k = 0; k < count; k++) {
      ElfW(Sym) sym;
      if (fread(&sym, sizeof sym, 1, f) != 1) break;
      if (ELF64_ST_TYPE(sym.st_info) != STT_OBJECT || sym.st_size == 0 || sym.st_name >= str->sh_size) continue;
      t->syms[t->n++] = (data_symbol){.addr = offset + sym.st_value, .size = sym.st_size,
                                      .name = hd__intern(strings + sym.st_name)};
    }
    qsort(t->syms, t->n, sizeof *t->syms, by_address);
    break;
  }
done:
  free(sh);
  free(strings);
  fclose(f);
}

/* The symbol covering `addr` in the module at `path`, or NULL. */
static const data_symbol *static_symbol(const char *path, uintptr_t base, uintptr_t addr) {
  symtab *t = NULL;
  for (int i = 0; i < nsymtabs && !t; i++)
    if (strcmp(symtabs[i].module, path) == 0) t = &symtabs[i];
  if (!t) {
    if (nsymtabs == MAX_SYMTABS) return NULL;
    t = &symtabs[nsymtabs++];
    snprintf(t->module, sizeof t->module, "%s", path);
    read_symtab(t, path, base);
  }
  size_t lo = 0, hi = t->n;
  while (lo < hi) { /* the last symbol at or below addr */
    size_t mid = (lo + hi) / 2;
    if (t->syms[mid].addr <= addr) lo = mid + 1;
    else hi = mid;
  }
  if (lo == 0) return NULL;
  const data_symbol *sym = &t->syms[lo - 1];
  return addr - sym->addr < sym->size ? sym : NULL;
}

static const char *lookup_data(const void *addr) {
  Dl_info info;
  const ElfW(Sym) *symbol = NULL;
  if (!dladdr1(addr, &info, (void **)&symbol, RTLD_DL_SYMENT) || !info.dli_fname) return NULL;
  if (info.dli_sname && info.dli_saddr && symbol) {
    uintptr_t offset = (uintptr_t)addr - (uintptr_t)info.dli_saddr;
    /* dladdr names the nearest symbol below; only a symbol that covers the
     * address is its name. */
    if (offset < symbol->st_size)
      return offset ? hd__internf("%s+%lu", info.dli_sname, (unsigned long)offset) : hd__intern(info.dli_sname);
  }
  const data_symbol *sym = static_symbol(info.dli_fname, (uintptr_t)info.dli_fbase, (uintptr_t)addr);
  if (!sym) return NULL;
  uintptr_t offset = (uintptr_t)addr - sym->addr;
  return offset ? hd__internf("%s+%lu", sym->name, (unsigned long)offset) : sym->name;
}

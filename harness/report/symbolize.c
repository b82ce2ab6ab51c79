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
  /* Bazel compiles in its execroot, which shows as this prefix. */
  if (strncmp(path, "/proc/self/cwd/", 15) == 0) path += 15;
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

static const char *lookup_data(const void *addr) {
  Dl_info info;
  const ElfW(Sym) *symbol = NULL;
  if (!dladdr1(addr, &info, (void **)&symbol, RTLD_DL_SYMENT) || !info.dli_sname || !info.dli_saddr || !symbol)
    return NULL;
  uintptr_t offset = (uintptr_t)addr - (uintptr_t)info.dli_saddr;
  /* dladdr names the nearest symbol below; only a symbol that covers the
   * address is its name. */
  if (offset >= symbol->st_size) return NULL;
  return offset ? hd__internf("%s+%lu", info.dli_sname, (unsigned long)offset) : hd__intern(info.dli_sname);
}

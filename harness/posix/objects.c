/* The records of POSIX objects, found by address.
 *
 * An open-addressing table keyed by the object's address, in the
 * execution's scratch memory (so it is empty at the start of every
 * execution, like the program's restored globals). The address is only a
 * key: records get their identity (hd__obj id) in the order the execution
 * first uses them, so nothing the strategies see depends on where the
 * loader or the heap put an object. */
#include <errno.h>
#include <string.h>

#include "harness/engine/memory.h"
#include "harness/report/symbolize.h"
#include "harness/posix/posix.h"

typedef struct slot {
  const void *addr;
  px_object *obj;
} slot;

static struct {
  uint32_t generation; /* the execution the table belongs to */
  slot *slots;
  size_t size, used;   /* size is a power of two; used <= size / 2 */
} table;

static size_t hash(const void *addr, size_t size) {
  uint64_t h = (uint64_t)(uintptr_t)addr * 0x9e3779b97f4a7c15ull;
  return (size_t)(h >> 17) & (size - 1);
}

/* The table of the running execution, emptied when a new one began. */
static void fresh(void) {
  uint32_t g = hd__exec_generation();
  if (table.generation == g && table.slots) return;
  table.generation = g;
  table.size = 64;
  table.used = 0;
  table.slots = hd__exec_scratch(table.size * sizeof(slot));
}

static slot *lookup(const void *addr) {
  fresh();
  for (size_t i = hash(addr, table.size);; i = (i + 1) & (table.size - 1))
    if (table.slots[i].addr == addr || !table.slots[i].addr) return &table.slots[i];
}

static void grow(void) {
  slot *old = table.slots;
  size_t old_size = table.size;
  table.size *= 2;
  table.slots = hd__exec_scratch(table.size * sizeof(slot)); /* the old array goes with the execution */
  for (size_t i = 0; i < old_size; i++) {
    if (!old[i].addr) continue;
    size_t j = hash(old[i].addr, table.size);
    while (table.slots[j].addr) j = (j + 1) & (table.size - 1);
    table.slots[j] = old[i];
  }
}

px_object *hd__px_find(const void *addr, px_kind kind) {
  slot *s = lookup(addr);
  if (!s->addr || s->obj->kind != kind || s->obj->destroyed) return NULL;
  return s->obj;
}

bool hd__px_was_destroyed(const void *addr, px_kind kind) {
  slot *s = lookup(addr);
  return s->addr && s->obj->kind == kind && s->obj->destroyed;
}

px_object *hd__px_create(const void *addr, px_kind kind, const char *kind_name) {
  slot *s = lookup(addr);
  if (!s->addr) {
    if (table.used + 1 > table.size / 2) {
      grow();
      s = lookup(addr);
    }
    table.used++;
    s->addr = addr;
  }
  px_object *o = hd__exec_scratch(sizeof *o);
  o->kind = kind;
  /* A global or static object is named after its variable ("mutex 'lock'");
   * one on the heap or the stack after its kind and number. */
  hd__mon_init(&o->mon, kind_name, hd__symbolize_data(addr));
  s->obj = o;
  return o;
}

void hd__px_destroy(px_object *o) {
  hd__mon_destroy(&o->mon);
  o->destroyed = true;
}

px_object *hd__px_lookup(const void *addr, px_kind kind, const char *kind_name, const char *api, const char *initializer,
                         bool is_static, bool *created, const char *file, int line) {
  *created = false;
  px_object *o = hd__px_find(addr, kind);
  if (o) return o;
  if (hd__px_was_destroyed(addr, kind)) {
    hd__misuse(file, line, "use of a %s after %s_destroy (undefined behaviour)", kind_name, api);
    return NULL;
  }
  if (!is_static) {
    hd__misuse(file, line, "use of a %s that was never initialised (%s_init or %s)", kind_name, api, initializer);
    return NULL;
  }
  *created = true;
  return hd__px_create(addr, kind, kind_name);
}

int hd__px_destroy_unless(px_object *o, bool (*busy)(const px_object *), const char *what, const char *file,
                          int line) {
  hd__point(&o->mon.obj, HD_OP_UPDATE, file, line);
  if (busy(o)) { /* decided after the switch point: what other threads did before it counts */
    hd__misuse(file, line, "%s (undefined behaviour)", what);
    return EBUSY;
  }
  hd__px_destroy(o);
  return 0;
}

bool hd__px_all_zero(const void *addr, size_t size) {
  const unsigned char *p = addr;
  for (size_t i = 0; i < size; i++)
    if (p[i]) return false;
  return true;
}

/* The flight recorder's memory (recorder.h); the engine writes into it from
 * exec.c. */
#define _GNU_SOURCE
#include "harness/engine/recorder.h"

#include <string.h>
#include <sys/mman.h>

static hd_recorder *attached;

hd_recorder *hd__recorder_new(void) {
  /* MAP_NORESERVE: the choices array is large and almost never touched. */
  void *p = mmap(NULL, sizeof(hd_recorder), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? NULL : p;
}

void hd__recorder_free(hd_recorder *rec) {
  if (rec) munmap(rec, sizeof *rec);
}

bool hd__recorder_schedule(const hd_recorder *rec, hd_schedule *out) {
  if (rec->overflow) return false;
  hd_schedule_clear(out);
  for (uint64_t i = 0; i < rec->len; i++)
    if (!hd_schedule_push(out, rec->choices[i].is_value, rec->choices[i].value)) return false;
  return true;
}

void hd__recorder_attach(hd_recorder *rec) { attached = rec; }
hd_recorder *hd__recorder_attached(void) { return attached; }

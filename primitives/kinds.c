/* Names of bug kinds and operation kinds, from their X-macro lists in backend.h. */
#include <string.h>

#include "primitives/backend.h"
#include "primitives/runtime.h"

#define HD__BUG_NAME(name, text) text,
static const char *const bug_names[] = {HD_BUG_LIST(HD__BUG_NAME)};
#define HD__OP_VERB(name, verb, ro) verb,
static const char *const op_verbs[] = {HD_OP_LIST(HD__OP_VERB)};
#define HD__OP_RO(name, verb, ro) ro,
static const bool op_read_only[] = {HD_OP_LIST(HD__OP_RO)};

const char *hd_bug_kind_name(hd_bug_kind kind) {
  return (unsigned)kind < (unsigned)HD__BUG_COUNT ? bug_names[kind] : NULL;
}

int hd_bug_kind_parse(const char *name) {
  for (int k = 0; k < HD__BUG_COUNT; k++)
    if (strcmp(bug_names[k], name) == 0) return k;
  return -1;
}

const char *hd_op_verb(hd_op_kind op) { return (unsigned)op < (unsigned)HD__OP_COUNT ? op_verbs[op] : "?"; }
bool hd_op_read_only(hd_op_kind op) { return (unsigned)op < (unsigned)HD__OP_COUNT && op_read_only[op]; }

int64_t hd__deadline_after(double seconds) {
  if (seconds < 0 || seconds != seconds) return HD__NEVER;
  /* Python accepts any float; cap at about 292 years so the sum cannot overflow. */
  double ns = seconds * 1e9;
  if (ns > 9.0e18) return HD__NEVER;
  int64_t now = hd__now();
  int64_t delta = (int64_t)ns;
  return delta > HD__NEVER - now ? HD__NEVER : now + delta;
}

hd_err hd__check_timeout(double seconds, const char *file, int line) {
  if (seconds != seconds) {
    hd__misuse(file, line, "invalid timeout: NaN (not a number)");
    return HD_EINVAL;
  }
  if (seconds > HD_TIMEOUT_MAX) {
    hd__misuse(file, line, "timeout value is too large: %g s (at most HD_TIMEOUT_MAX, %.0f s)", seconds, HD_TIMEOUT_MAX);
    return HD_EINVAL;
  }
  return HD_OK;
}

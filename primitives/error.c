/* Name, message and Python counterpart of every hd_err, from HD_ERROR_LIST. */
#include "primitives/error.h"

#define HD__ERR_NAME(name, py, msg) #name,
#define HD__ERR_PY(name, py, msg) py,
#define HD__ERR_MSG(name, py, msg) msg,
static const char *const names[] = {HD_ERROR_LIST(HD__ERR_NAME)};
static const char *const pythons[] = {HD_ERROR_LIST(HD__ERR_PY)};
static const char *const messages[] = {HD_ERROR_LIST(HD__ERR_MSG)};

static int in_range(hd_err err) { return (unsigned)err < (unsigned)HD__ERR_COUNT; }

const char *hd_err_name(hd_err err) { return in_range(err) ? names[err] : "HD_E?"; }
const char *hd_strerror(hd_err err) { return in_range(err) ? messages[err] : "unknown error"; }
const char *hd_err_python(hd_err err) { return in_range(err) ? pythons[err] : "?"; }

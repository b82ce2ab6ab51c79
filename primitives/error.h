/* heddle's error codes: one enum, generated with its name and message
 * functions from one X-macro list, so the three can never disagree. */
#ifndef HEDDLE_PRIMITIVES_ERROR_H
#define HEDDLE_PRIMITIVES_ERROR_H

/* X(constant, python_equivalent, message) */
#define HD_ERROR_LIST(X)                                                        \
  X(HD_OK, "ok", "success")                                                     \
  X(HD_ETIMEDOUT, "TimeoutError", "the timeout expired before the operation could complete") \
  X(HD_EWOULDBLOCK, "WouldBlock", "the operation would block and blocking was not requested") \
  X(HD_EMISUSE, "RuntimeError", "the primitive was used in a way its contract forbids") \
  X(HD_EBROKEN, "BrokenBarrierError", "the barrier is broken")                  \
  X(HD_EFULL, "queue.Full", "the queue is full")                                \
  X(HD_EEMPTY, "queue.Empty", "the queue is empty")                             \
  X(HD_ESHUTDOWN, "ShutDown", "the object has been shut down")                  \
  X(HD_ECANCELLED, "CancelledError", "the operation was cancelled")             \
  X(HD_ENOMEM, "MemoryError", "out of memory")                                  \
  X(HD_EINVAL, "ValueError", "an argument is out of range")                     \
  X(HD_ETASK, "Exception", "the task failed")

typedef enum hd_err {
#define HD__ERR_ENUM(name, py, msg) name,
  HD_ERROR_LIST(HD__ERR_ENUM)
#undef HD__ERR_ENUM
  HD__ERR_COUNT
} hd_err;

/* The constant's name, e.g. "HD_ETIMEDOUT"; "HD_E?" for a value outside the enum. */
const char *hd_err_name(hd_err err);
/* A one-line human message. */
const char *hd_strerror(hd_err err);
/* The Python exception the error stands for, e.g. "queue.Full". */
const char *hd_err_python(hd_err err);

#endif

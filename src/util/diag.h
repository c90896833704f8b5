/* diag: how mailc2 reports bad input without stopping.
 *
 * A decoder that meets a malformed record calls diag_bad() with where it was
 * (file and line, or byte offset), what was wrong, and a key that orders the
 * records of a run (input, then line). The `max_shown` messages with the
 * lowest keys are kept and go to the logger as `file:line: message` when
 * diag_flush() is called; the rest are only counted, and diag_finish() says
 * how many were not shown. Nothing is dropped silently: every call
 * increments `bad`.
 *
 * Why kept, not printed at once: worker threads meet bad records in no
 * fixed order, and a run must say the same for every thread count.
 * Calls are serialised by the lock.
 *
 * Ownership: a diag owns its kept messages (freed by diag_flush) and its
 * lock; `out` is borrowed. */
#ifndef MAILC2_DIAG_H
#define MAILC2_DIAG_H

#include <pthread.h>
#include <stdint.h>

#include "util/log.h"

typedef struct diag_msg {
    uint64_t key;
    char *text;
} diag_msg;

typedef struct diag {
    logger out;             /* where messages go; no fn = count only */
    unsigned max_shown;     /* messages shown; the others only counted */
    uint64_t bad;           /* bad records seen so far */
    diag_msg *kept;         /* the lowest keys so far, in key order */
    unsigned nkept;
    pthread_mutex_t lock;
} diag;

void diag_init(diag *d, logger out, unsigned max_shown);
/* Line-oriented input: `file:line: message`. */
void diag_bad(diag *d, uint64_t key, const char *file, uint64_t line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Binary input: `file: offset N: message`. */
void diag_bad_at(diag *d, uint64_t key, const char *file, uint64_t offset, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Says the kept messages, in key order, and frees them. */
void diag_flush(diag *d);
/* Forgets every record reported so far, unsaid: a run that starts over
 * reports them again (driver/run.c). */
void diag_forget(diag *d);
/* Flushes, then prints "N more bad records not shown" when some were
 * suppressed. */
void diag_finish(diag *d);

#endif

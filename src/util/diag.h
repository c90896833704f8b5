/* diag: how mailc2 reports bad input without stopping.
 *
 * A decoder that meets a malformed record calls diag_bad() with where it was
 * (file and line, or byte offset) and what was wrong. The first `max_shown`
 * messages go to the logger as `file:line: message`; the rest are only
 * counted, and diag_finish() says how many were not shown. Nothing is
 * dropped silently: every call increments `bad`.
 *
 * Worker threads report into one diag: calls are serialised by its lock.
 *
 * Ownership: a diag owns nothing but its lock; `out` is borrowed. */
#ifndef MAILC2_DIAG_H
#define MAILC2_DIAG_H

#include <pthread.h>
#include <stdint.h>

#include "util/log.h"

typedef struct diag {
    logger out;             /* where messages go; no fn = count only */
    unsigned max_shown;     /* messages printed before only counting */
    uint64_t bad;           /* bad records seen so far */
    pthread_mutex_t lock;
} diag;

void diag_init(diag *d, logger out, unsigned max_shown);
/* Line-oriented input: `file:line: message`. */
void diag_bad(diag *d, const char *file, uint64_t line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Binary input: `file: offset N: message`. */
void diag_bad_at(diag *d, const char *file, uint64_t offset, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Prints "N more bad records not shown" when some were suppressed. */
void diag_finish(diag *d);

#endif

/* lint: what a detection engineer must know before deploying a rule — the
 * places where the SIEM will quietly answer something other than what the
 * rule seems to say (a direction test that hides loopback, a threshold a
 * QRadar rule counts per 5 minutes, keys whose absence drops events, an
 * exclusion a renamed binary slips through, limits that cut rows, ports
 * compared as text, fields an input format does not map).
 *
 * The checks read the compiled plan, so most of them hold for every
 * language (an unanchored exclusion regex is one whether LogScale or Sigma
 * wrote it); the few that depend on one SIEM's behaviour (AQL's direction
 * and 5-minute rule window) look at plan->lang. The plan carries no source
 * positions, so each warning names the token it is about and locate.c
 * finds it in the rule text.
 *
 * Ownership: a lint_list owns its warnings (lint_list_free); the source and
 * plan are borrowed while the checks run. No globals: every setting is in
 * the lint_ctx passed down. */
#ifndef MAILC2_LINT_H
#define MAILC2_LINT_H

#include <stddef.h>

#include "plan/plan.h"

/* The rule text the plan was compiled from; text NULL for the built-in
 * rule, which has no text (its warnings have no position). */
typedef struct lint_src {
    const char *file;
    const char *text;          /* NUL-terminated, or NULL */
    size_t len;
} lint_src;

typedef struct lint_warning {
    const char *id;            /* stable: "aql-l2r-loopback" */
    long off;                  /* byte offset in the text, -1: none */
    int line, col;             /* 1-based, from off; 0 when none */
    char msg[512];             /* one line */
    char fix[400];             /* one line */
} lint_warning;

typedef struct lint_list {
    lint_warning *w;
    size_t n, cap;
} lint_list;

typedef struct lint_ctx {
    const plan *p;
    const lint_src *src;
    const char *family;        /* --format-of's source family, or NULL */
    const char *format;        /* --format-of's name, for messages */
    lint_list *out;
} lint_ctx;

/* Runs every check; the list comes back ordered by position (warnings
 * without one first). Returns the number of warnings. */
size_t lint_plan(const plan *p, const lint_src *src, const char *format, const char *family,
                 lint_list *out);
void lint_list_free(lint_list *l);

/* Appends a warning at byte offset `off` of the rule text (-1: none): its
 * message from fmt and the arguments, its fix as given (plain text). A
 * second warning with the same id at the same place is dropped. */
void lint_add(lint_ctx *c, const char *id, long off, const char *fix, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* The checks, one file each. */
void lint_aql_direction(lint_ctx *c);     /* aql.c */
void lint_aql_window(lint_ctx *c);        /* aql.c */
void lint_group_keys(lint_ctx *c);        /* groups.c */
void lint_exclusions(lint_ctx *c);        /* exclusion.c */
void lint_limits(lint_ctx *c);            /* limits.c */
void lint_ports(lint_ctx *c);             /* ports.c */
void lint_format(lint_ctx *c);            /* format.c */

#endif

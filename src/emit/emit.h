/* emit: a compiled plan rendered back as query text for another engine
 * (`mailc2 convert`). Emitters are a sibling of the executor: they read the
 * plan and the view tables only, never records, and include nothing from
 * src/input/ beyond the canonical field numbers the plan itself uses, nor
 * anything from src/exec/.
 *
 * An emitter renders the whole plan with the target's own NULL, case and
 * regular-expression semantics, or refuses: the error names the construct
 * and the target, and nothing is written. A plan is never rendered in part
 * unless the caller allows loss (emit_opts.allow_loss), and then only the
 * parts the query stands without (a window LogScale takes from the search,
 * a limit Sigma has no place for) are left out, each said in a comment.
 *
 * Ownership: emit_plan writes the text to `out` only when the whole plan
 * was rendered; it keeps nothing. */
#ifndef MAILC2_EMIT_H
#define MAILC2_EMIT_H

#include <stdio.h>

#include "plan/plan.h"

/* What an SQL target's table looks like. */
enum emit_schema {
    EMIT_SCHEMA_NATIVE, /* columns are the query's own field names */
    EMIT_SCHEMA_OCSF,   /* OCSF Network Activity (4001), as Security Lake stores it */
};

typedef struct emit_opts {
    const char *table;  /* SQL, SPL, KQL, ES|QL: the table, index or source
                           read; NULL: "events" */
    int schema;         /* enum emit_schema */
    int has_now;        /* 1: `now` is the literal now_ms, not the engine's clock */
    int64_t now_ms;
    int allow_loss;     /* 1: a part the target cannot express but the query
                           stands without (emit_lose) is a comment, not a refusal */
    void (*lost)(const char *what, void *arg); /* told each such part; may be NULL */
    void *lost_arg;
    int64_t search_ms;  /* the search's time range where the rule's language keeps
                           it outside the query (LogScale); 0: not given */
} emit_opts;

enum { EMIT_OK = 0, EMIT_REFUSED = -1, EMIT_NO_TARGET = -2 };

/* Renders `p` for `target` (emit_target_name lists them). Returns EMIT_OK,
 * EMIT_REFUSED with err naming the construct and the target, or
 * EMIT_NO_TARGET with err listing the targets. */
int emit_plan(const plan *p, const char *target, const emit_opts *o, FILE *out, char *err,
              size_t errlen);

/* The i-th target's name, or NULL past the last. */
const char *emit_target_name(size_t i);

#endif

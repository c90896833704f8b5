/* emit_int: what the emitters share (emit.c): the context one rendering
 * runs in, the first refusal, and the reading of the plan every target
 * needs — which slot an eval defines, which steps only count for a note,
 * the filter LogScale's groupBy adds on its own.
 *
 * Ownership: a context borrows the plan and the options; the text goes to
 * ctx->out, a memory stream emit_plan copies out only on success. */
#ifndef MAILC2_EMIT_INT_H
#define MAILC2_EMIT_INT_H

#include "emit/emit.h"
#include "view/view.h"

typedef struct emit_target emit_target;

typedef struct emit_ctx {
    const plan *p;
    const emit_opts *o;
    const char *target;          /* for messages: "sql:postgres" */
    const emit_target *t;
    FILE *out;
    char *err;
    size_t errlen;
    int refused;
    char lost[8][300];           /* emit_lose's parts, told once the plan is written */
    int nlost;
} emit_ctx;

struct emit_target {
    const char *name;
    int (*emit)(emit_ctx *c);    /* 0, or -1 after emit_refuse */
    const char *comment[2];      /* a comment's start and end: "// ", "" */
};

/* Records the first refusal: "TARGET cannot express CONSTRUCT". Returns -1. */
int emit_refuse(emit_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A part the target cannot express but the query stands without: with
 * allow_loss, `comment` (or "not carried: WHAT" when NULL) is written at
 * the current place as the target's comment, the caller is told WHAT, and
 * 0 is returned; without it, a refusal naming WHAT (-1). */
int emit_lose(emit_ctx *c, const char *comment, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The eval step that defines slot `slot`, or NULL for an input field. */
const expr *emit_eval_def(const plan *p, int slot);

/* Whether step `s` is the filter LogScale's groupBy adds for its keys
 * (`not k1 is null and ...`), which the LogScale text must not repeat. */
int emit_is_groupby_null_filter(const plan *p, int s);

/* Whether the filters before the aggregate keep only events with every
 * group key (a test on it, `not k is null`, LogScale's groupBy filter), or
 * the key can never be NULL (a case with an else of literals): then a
 * target that drops events lacking a key (SPL's stats, LogScale's groupBy)
 * groups the same events as the plan. */
int emit_keys_present(const plan *p);
/* The same for key k alone. */
int emit_key_present(const plan *p, int k);


/* A pattern's leading inline "(?i)" folded into PCRE2_CASELESS: the
 * pattern without it and whether matching ignores case. */
const char *emit_regex_caseless(const expr *re, int *caseless);

/* The networks of an EX_CIDR node as one regular expression over the
 * canonical address text (dotted quad; RFC 5952 IPv6), for targets with no
 * address type: written to out, or a refusal naming the network it cannot
 * express that way (emit/cidr.c). */
int emit_cidr_regex(emit_ctx *c, const expr *e, FILE *out);

/* A regular expression's syntax outside what RE2, Java and PostgreSQL's
 * AREs agree on with PCRE (backreferences, lookaround, \b, \x, \Q...):
 * 0, or a refusal naming it. */
int emit_regex_portable(emit_ctx *c, const char *pattern);

/* Each target family (one file each). */
int emit_aql(emit_ctx *c);
int emit_logscale(emit_ctx *c);
int emit_sigma(emit_ctx *c);
int emit_spl(emit_ctx *c);
int emit_kql(emit_ctx *c);
int emit_esql(emit_ctx *c);
int emit_sql_duckdb(emit_ctx *c);
int emit_sql_postgres(emit_ctx *c);
int emit_sql_clickhouse(emit_ctx *c);
int emit_sql_spark(emit_ctx *c);

#endif

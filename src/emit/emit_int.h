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
/* emit_lose with comment "" writes nothing where it is called, for a part
 * lost inside an expression; the emitter then writes the parts lost since
 * c->nlost was `from`, each a "not carried:" comment between `before` and
 * `after`. */
void emit_write_lost(emit_ctx *c, int from, const char *before, const char *after);

/* Whether result column `col` is a count: a whole number, never NULL,
 * whatever a sort's type or a comparison's rules. */
int emit_count_column(const plan *p, int col);
/* A threshold on a count, `COL op n`, or LogScale's istrue(float(COL) op
 * n), the same test on a count: the comparison, with *col set; NULL for
 * any other test. */
const expr *emit_count_test(const plan *p, const expr *e, int *col);

/* The eval step that defines slot `slot`, or NULL for an input field. */
const expr *emit_eval_def(const plan *p, int slot);

/* Whether step `s` is the last filter before the aggregate and requires
 * exactly the key fields (LogScale's groupBy's `not k1 is null and ...`,
 * Sigma's group-by `not (k1 is null or ...)`): LogScale's groupBy and
 * Sigma's group-by drop the same events, so their text need not repeat it. */
int emit_is_groupby_null_filter(const plan *p, int s);

/* Whether the filters before the aggregate keep only events with group
 * key k (a test on it, `not k is null`, LogScale's groupBy filter), or the
 * key can never be NULL (a case with an else of literals): then a target
 * that drops events lacking a key (SPL's stats, LogScale's groupBy) groups
 * the same events as the plan. */
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

/* ---- derived fields (derived.c) ------------------------------------------ */

/* What a field the plan's language derives means (view/logscale.c,
 * view/sigma.c): */
enum {
    EMIT_D_NONE,
    EMIT_D_SECONDS,     /* LogScale's ContextTimeStamp: the time in seconds */
    EMIT_D_EVENT_NAME,  /* LogScale's #event_simpleName: kind, direction, family */
    EMIT_D_DIRECTION,   /* LogScale's ConnectionDirection, Sigma's Initiated */
    EMIT_D_PRODUCT,     /* Sigma's logsource.product: the system of the path */
    EMIT_D_LOCALITY,    /* AQL's Event Direction: local or remote by networks */
};
int emit_derived(const plan *p, int slot);

/* An event name of the LogScale view, read back. */
typedef struct emit_event {
    const char *kind;       /* "conn", "proc" */
    const char *direction;  /* "out", "in"; NULL for a process */
    int family;             /* 4 or 6: the remote address's; 0 for a process */
} emit_event;
/* A filter on the event name, `#event_simpleName=N` or an OR of such (as
 * in() builds it): how many names, each in ev[]; -1 for any other test. */
int emit_event_test(const plan *p, const expr *e, emit_event *ev, int max);

/* The Sigma front end's logsource product test (`p is null or p = 'X'`):
 * X, or NULL for any other test. */
const char *emit_product_test(const plan *p, const expr *e);
/* The paths of system `os` ("windows", "linux") as a regex over the whole
 * path, and the other system; NULL for another name. */
const char *emit_os_paths(const char *os);
const char *emit_other_os(const char *os);

/* A test that the direction is a value (the canonical `direction =
 * 'out'`, or a derived one: `lower(str(Initiated)) in ('true')`,
 * `str(ConnectionDirection) = '0'`): "out", "in", or NULL. */
const char *emit_direction_test(const plan *p, const expr *e);
/* `kind = 'conn'` on the canonical kind: the kind, or NULL. */
const char *emit_kind_test(const plan *p, const expr *e);
/* A test on AQL's Event Direction (`"Event Direction" = 'L2R'`): the
 * field's name, or NULL. */
const char *emit_locality_test(const plan *p, const expr *e);
/* A filter `time > now() - W` on the canonical time (AQL's `starttime >
 * NOW() - 86400000`): W in ms, or 0. */
int64_t emit_since_test(const plan *p, const expr *e);

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

/* pipe: what the piped query languages share — SPL, KQL and ES|QL read
 * events from a source and pass them through stages (where, eval, stats,
 * sort, head). This holds the expression writer and the pipeline's
 * reading of the plan; spl.c, kql.c and esql.c hold each language's
 * syntax (a pipe_dialect) and its stages.
 *
 * NULL: the plan's logic is SQL's three-valued one, and the engines'
 * NOT of NULL differs (SPL's eval, KQL's empty strings), so no condition
 * leaves a NOT to the engine over something that may be NULL: a filter is
 * written for the events on which it is TRUE, its negation for those on
 * which it is FALSE (de Morgan down to the tests), and a test on the FALSE
 * side first requires its operands to be present. A test with a missing
 * operand is then never TRUE in any of the three, which is the plan's rule.
 *
 * Ownership: a pipe_q borrows the emit context; nothing is kept. */
#ifndef MAILC2_EMIT_PIPE_H
#define MAILC2_EMIT_PIPE_H

#include "emit/emit_int.h"

typedef struct pipe_q pipe_q;

typedef struct pipe_dialect {
    const char *and_, *or_;            /* " AND " */
    const char *not_;                  /* applied as not_(...) */
    const char *cmp[6];                /* enum expr_cmp */
    const char *isnull[2], *notnull[2]; /* written before and after the value */
    const char *fn[FN_DATEFORMAT + 1]; /* enum expr_fn; NULL: refused */
    /* int() as mailc2 reads text (value_parse_number): an integer, or a
     * decimal or exponent form under 64 characters truncated toward zero,
     * else NULL; {x} stands for the argument. The engines' own casts
     * accept other forms (spaces, hex) or round, so the form tests the
     * text first (pipe_int_* in each dialect's file). NULL: refused. */
    const char *to_int;
    const char *case_fn;
    const char *case_else;             /* condition written before the else
                                          value (SPL's true()), or NULL */
    int case_needs_else;               /* KQL: a case must have an else;
                                          of text results, "" is its missing
                                          text, so that stands for NULL */
    int in_function;                   /* SPL: in(x, a, b); else x IN (a, b) */
    const char *in_op;                 /* " in (" */
    const char *where, *eval, *assign; /* "| where ", "| eval ", " = " */
    void (*name)(FILE *out, const char *name);
    void (*string)(FILE *out, const char *s, size_t len);
    /* x matches pattern (searched anywhere; caseless: ignoring case). */
    int (*regex)(pipe_q *q, const expr *x, const char *pattern, int caseless, uint32_t flags);
    int (*cidr)(pipe_q *q, const expr *e);
    void (*now_ms)(pipe_q *q);         /* the engine's now in epoch ms */
} pipe_dialect;

struct pipe_q {
    emit_ctx *c;
    const pipe_dialect *d;
    int post;                          /* fields are result columns */
};

/* The condition under which `e` is TRUE. 0, or -1 after a refusal. */
int pipe_cond(pipe_q *q, const expr *e);
/* A value: fields, literals, functions, arithmetic, case. */
int pipe_value(pipe_q *q, const expr *e);
/* The name a field reference means: the slot's, or the result column's. */
const char *pipe_ref_name(pipe_q *q, const expr *field);
/* Now, in epoch ms: --now's literal, or the engine's clock. */
void pipe_now(pipe_q *q);
/* The time window as a where stage (nothing when the plan has none). */
void pipe_window(pipe_q *q);
/* The steps before the aggregate: where and eval stages in order (notes
 * are counts mailc2 reports, not stages). 0, or -1 after a refusal. */
int pipe_steps(pipe_q *q);
/* e (an address inside networks) as the dialect's regex over the
 * address text (emit_cidr_regex), for targets without a network test. */
int pipe_cidr_regex(pipe_q *q, const expr *e);
/* Refusals every pipe target shares: spreads, values computed after the
 * aggregate, first() and times(), AQL's address order. 0 or -1. */
int pipe_check(pipe_q *q);
/* The name the aggregate groups by for key k: the field's, or for a
 * computed key (AQL's CASE ... AS MailProtocol) its column's, which
 * pipe_key_evals defines first. */
const char *pipe_key_name(const plan *p, int k);
/* The name aggregate a reads: its argument field's, or for a computed
 * argument (AQL's SUM(LONG("Bytes Sent"))) the aggregate's own name,
 * which pipe_key_evals defines first. */
const char *pipe_agg_arg_name(const plan *p, int a);
/* An eval stage per computed key and aggregate argument, so the aggregate
 * reads names (the pipe languages group and aggregate fields). 0, or -1
 * after a refusal. */
int pipe_key_evals(pipe_q *q);

#endif

/* expr: typed expressions of the plan, and their evaluation.
 *
 * One evaluator for every language. The core logic is SQL's three-valued
 * logic: a comparison with NULL is NULL (unknown), NOT NULL is NULL, and a
 * filter keeps an event only when its expression is TRUE. A front end whose
 * language differs (LogScale's `f != v` is true on a missing field) states
 * that explicitly in the tree it builds (`isnull(f) or f != v`), so the
 * executor never guesses which language it runs.
 *
 * Comparison typing is the value module's (value/value.h).
 *
 * Ownership: nodes, literal strings and regex sources live in the plan's
 * arena; compiled regexes are freed by plan_free(). Values returned by
 * expr_eval() borrow from the event or from ctx->scratch. */
#ifndef MAILC2_EXPR_H
#define MAILC2_EXPR_H

#include <stdio.h>

#include "input/event.h"
#include "util/cidr.h"

enum expr_kind {
    EX_LIT, EX_FIELD, EX_NOW,
    EX_AND, EX_OR, EX_NOT,
    EX_CMP, EX_IN, EX_REGEX, EX_ISNULL,
    EX_CASE, EX_CALL, EX_ARITH,
    EX_CAPTURE,  /* a regex's capture group `slot` of kids[0], or NULL */
    EX_CIDR,     /* kids[0] is an address inside any of aux[0..naux) */
    EX_ISTRUE,   /* kids[0] is TRUE (FALSE for FALSE and NULL): two-valued logic */
};

enum expr_cmp { CMP_EQ, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE };
enum expr_fn {
    FN_LOWER, FN_UPPER, FN_BASENAME, FN_INT, FN_FLOAT, FN_STR,
    FN_CONCAT,       /* any number of kids; NULLs skipped (AQL) */
    FN_STRLEN,
    FN_SUBSTRING,    /* (s, start 0-based, length) */
    FN_DATEFORMAT,   /* (ms, Java-style pattern), rendered in UTC */
};
enum expr_arith { AR_ADD, AR_SUB, AR_MUL, AR_DIV };

typedef struct expr expr;
struct expr {
    uint8_t kind;      /* enum expr_kind */
    uint8_t op;        /* enum expr_cmp / expr_fn / expr_arith */
    uint16_t nkids;
    expr **kids;
    mc_value lit;      /* EX_LIT */
    int slot;          /* EX_FIELD: index into the row being evaluated */
    void *re;          /* EX_REGEX, EX_CAPTURE: pcre2_code (JIT-compiled) */
    void *aux;         /* EX_CIDR: struct cidr_net[naux] */
    int naux;
    const char *re_src;
    uint32_t re_flags; /* PCRE2 option bits, kept for printing */
};

/* What evaluation needs besides the row: scratch for built strings, one
 * PCRE2 match block (one per worker thread), and the run's `now`. */
typedef struct expr_ctx {
    arena *scratch;
    void *match_data;  /* pcre2_match_data */
    void *match_ctx;   /* pcre2_match_context: the match and depth limits */
    int64_t now_ms;
    uint32_t match_limit; /* as set, for messages */
    /* Set when a regex gave up at its limits: the match is then unknown
     * (NULL), never "no match"; the caller leaves the record out and says so. */
    int regex_limited;
    struct regex_seen *seen; /* regexes' answers on texts seen (expr.c), made when first used */
} expr_ctx;

/* PCRE2 limits per match: a pathological pattern fails fast instead of
 * spending seconds per record (the library's default is 10,000,000). The
 * match limit is a setting (--regex-limit); the depth limit bounds the
 * backtracking memory and is fixed, or the match limit when that is lower. */
enum { EXPR_MATCH_LIMIT = 1000000, EXPR_DEPTH_LIMIT = 10000 };

/* match_limit: PCRE2's match limit; 0: EXPR_MATCH_LIMIT. */
void expr_ctx_init(expr_ctx *c, arena *scratch, int64_t now_ms, uint32_t match_limit);
void expr_ctx_free(expr_ctx *c);

mc_value expr_eval(const expr *e, const mc_value *row, expr_ctx *c);
/* The same, a field or a literal read here, not by a call: a group's keys
 * and its functions' arguments are mostly fields, read for every event
 * (the call was 5% of a high-cardinality run). */
static inline mc_value expr_value(const expr *e, const mc_value *row, expr_ctx *c)
{
    return e->kind == EX_FIELD ? row[e->slot] : e->kind == EX_LIT ? e->lit : expr_eval(e, row, c);
}
/* TRUE, as a filter reads it. */
int expr_true(const expr *e, const mc_value *row, expr_ctx *c);
/* The one row slot e reads: its slot, -1 when none, -2 when several (seen:
 * the slot found so far, -1 at the start). */
int expr_only_slot(const expr *e, int seen);
/* The texts slot's value must equal for e to be TRUE, into out[n, max):
 * e is an `=` or an in() of text literals on the field or on str() of it,
 * an OR of such, or an AND with one (ISTRUE seen through), and no literal
 * is a text a number or a boolean could equal (as a number, or as str() of
 * one: "25", "1e2", "inf", "true"), so a value of another type cannot. The
 * new count, or -1 when e is not of that shape. */
int expr_texts(const expr *e, int slot, const mc_value **out, int n, int max);
/* Whether e reads NOW(). */
int expr_reads_now(const expr *e);
/* A CASE in two halves: the branch it takes (i: the first condition,
 * kids[2i], TRUE; the number of conditions: none was), and its value on
 * that branch (the ELSE, or NULL without one, for the last). */
unsigned expr_case_branch(const expr *e, const mc_value *row, expr_ctx *c);
mc_value expr_case_value(const expr *e, unsigned branch, const mc_value *row, expr_ctx *c);

/* Prints the expression in a neutral infix form for `mailc2 explain`;
 * `names[slot]` names each field. */
void expr_print(const expr *e, const char *const *names, FILE *out);

#endif

/* print: the plan as text, for `mailc2 explain` and for tests that check
 * what a front end compiled. One operator per line, data flowing downward. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <arpa/inet.h>
#include <inttypes.h>
#include <pcre2.h>
#include <string.h>

#include "plan/plan.h"
#include "util/timeutil.h"

static const char *const cmp_text[] = {"=", "!=", "<", "<=", ">", ">="};
static const char *const fn_text[] = {"lower", "upper", "basename", "int", "float", "str",
                                      "concat", "strlen", "substring", "dateformat"};
static const char *const arith_text[] = {"+", "-", "*", "/"};

static void print_list(const expr *e, unsigned from, const char *sep,
                       const char *const *names, FILE *out)
{
    for (unsigned k = from; k < e->nkids; k++) {
        if (k > from)
            fputs(sep, out);
        expr_print(e->kids[k], names, out);
    }
}

static void print_case(const expr *e, const char *const *names, FILE *out)
{
    fputs("case", out);
    unsigned k = 0;
    for (; k + 1 < e->nkids; k += 2) {
        fputs(" when ", out);
        expr_print(e->kids[k], names, out);
        fputs(" then ", out);
        expr_print(e->kids[k + 1], names, out);
    }
    if (k < e->nkids) {
        fputs(" else ", out);
        expr_print(e->kids[k], names, out);
    }
    fputs(" end", out);
}

void expr_print(const expr *e, const char *const *names, FILE *out)
{
    switch (e->kind) {
    case EX_LIT:   value_print(&e->lit, out); break;
    case EX_FIELD: fputs(names[e->slot], out); break;
    case EX_NOW:   fputs("now()", out); break;
    case EX_AND:
    case EX_OR:
        fputc('(', out);
        print_list(e, 0, e->kind == EX_AND ? " and " : " or ", names, out);
        fputc(')', out);
        break;
    case EX_NOT:
        fputs("not ", out);
        expr_print(e->kids[0], names, out);
        break;
    case EX_CMP:
    case EX_ARITH:
        expr_print(e->kids[0], names, out);
        fprintf(out, " %s ", e->kind == EX_CMP ? cmp_text[e->op] : arith_text[e->op]);
        expr_print(e->kids[1], names, out);
        break;
    case EX_IN:
        expr_print(e->kids[0], names, out);
        fputs(" in (", out);
        print_list(e, 1, ", ", names, out);
        fputc(')', out);
        break;
    case EX_REGEX:
        expr_print(e->kids[0], names, out);
        fprintf(out, " ~ /%s/%s", e->re_src, (e->re_flags & PCRE2_CASELESS) ? "i" : "");
        break;
    case EX_ISNULL:
        expr_print(e->kids[0], names, out);
        fputs(" is null", out);
        break;
    case EX_CASE:
        print_case(e, names, out);
        break;
    case EX_CAPTURE:
        fprintf(out, "capture(");
        expr_print(e->kids[0], names, out);
        fprintf(out, ", /%s/, %d)", e->re_src, e->slot);
        break;
    case EX_CIDR: {
        expr_print(e->kids[0], names, out);
        fputs(" in cidr(", out);
        const cidr_net *nets = e->aux;
        for (int i = 0; i < e->naux; i++) {
            char buf[64];
            inet_ntop(nets[i].family == 6 ? AF_INET6 : AF_INET, nets[i].addr, buf, sizeof buf);
            fprintf(out, "%s%s/%d", i ? ", " : "", buf, nets[i].bits);
        }
        fputc(')', out);
        break;
    }
    case EX_ISTRUE:
        fputs("istrue(", out);
        expr_print(e->kids[0], names, out);
        fputc(')', out);
        break;
    default:
        fprintf(out, "%s(", fn_text[e->op]);
        print_list(e, 0, ", ", names, out);
        fputc(')', out);
    }
}

static const char *const agg_text[] = {"count", "count_distinct", "sum", "min", "max", "avg",
                                       "first", "times"};

static void print_cols(const int *col, int n, const char *const *cols, FILE *out)
{
    for (int i = 0; i < n; i++)
        fprintf(out, "%s%s", i ? ", " : "", cols[col[i]]);
}

/* Canonical fields, then the language's own (each format's view decides
 * where those come from). */
static void print_fields(const plan *p, int canonical, const char *label, FILE *out)
{
    int shown = 0;
    for (int i = 0; i < p->nfields; i++) {
        if ((p->fields[i].canon >= 0) != canonical)
            continue;
        fprintf(out, "%s%s", shown++ ? ", " : label, p->fields[i].name);
    }
    if (shown)
        fputc(']', out);
}

static void print_scan(const plan *p, FILE *out)
{
    fputs("scan", out);
    print_fields(p, 1, " canonical[", out);
    print_fields(p, 0, " fields[", out);
    fputc('\n', out);
    if (p->time_slot >= 0 && p->window_ms > 0)
        fprintf(out, "window %s in (now - %" PRId64 "ms, now]\n", p->slot_name[p->time_slot],
                p->window_ms);
}

static void print_aggregate(const plan *p, const char *const *cols, FILE *out)
{
    fputs("aggregate by ", out);
    for (int k = 0; k < p->nkeys; k++) {
        fputs(k ? ", " : "", out);
        expr_print(p->keys[k], p->slot_name, out);
        if (p->keys[k]->kind != EX_FIELD || strcmp(p->slot_name[p->keys[k]->slot], cols[k]))
            fprintf(out, " as %s", cols[k]);
    }
    fputs(":", out);
    for (int a = 0; a < p->naggs; a++) {
        fprintf(out, "%s %s%s(", a ? "," : "", agg_text[p->aggs[a].fn],
                p->aggs[a].numeric ? "_numeric" : "");
        if (p->aggs[a].arg)
            expr_print(p->aggs[a].arg, p->slot_name, out);
        else
            fputc('*', out);
        fprintf(out, ") as %s", p->aggs[a].name);
    }
    fputc('\n', out);
    for (int s = 0; s < p->nspreads; s++) {
        fprintf(out, "spread %s := count distinct (", cols[p->spread[s].col]);
        print_cols(p->spread[s].of, p->spread[s].nof, cols, out);
        fputs(") over groups by (", out);
        print_cols(p->spread[s].by, p->spread[s].nby, cols, out);
        fputs(")\n", out);
    }
    for (int s = 0; s < p->npost; s++) {
        if (p->post[s].slot >= 0)
            fprintf(out, "post eval %s := ", cols[p->post[s].slot]);
        else
            fputs("post filter ", out);
        expr_print(p->post[s].e, cols, out);
        fputc('\n', out);
    }
}

void plan_print(const plan *p, FILE *out)
{
    const char *cols[PLAN_MAX_SLOTS > PLAN_MAX_COLS ? PLAN_MAX_SLOTS : PLAN_MAX_COLS];
    int ncols = plan_ncolumns(p);
    for (int c = 0; c < ncols; c++)
        cols[c] = plan_column_name(p, c);

    fprintf(out, "plan (%s semantics)\n", p->lang);
    print_scan(p, out);
    for (int s = 0; s < p->nsteps; s++) {
        if (p->steps[s].slot >= 0)
            fprintf(out, "eval %s := ", p->slot_name[p->steps[s].slot]);
        else if (p->steps[s].slot == STEP_NOTE)
            fputs("count for a note ", out);
        else
            fputs("filter ", out);
        expr_print(p->steps[s].e, p->slot_name, out);
        fputc('\n', out);
    }
    if (p->has_agg)
        print_aggregate(p, cols, out);
    if (p->nsort) {
        fputs("sort", out);
        for (int s = 0; s < p->nsort; s++)
            fprintf(out, "%s %s %s%s", s ? "," : "", cols[p->sort[s].col],
                    p->sort[s].desc ? "desc" : "asc",
                    p->sort[s].type == SORT_NUMBER ? " (as numbers)"
                    : p->sort[s].type == SORT_TEXT ? " (as text)" : "");
        fputc('\n', out);
    }
    if (p->limit >= 0)
        fprintf(out, "limit %" PRId64 "\n", p->limit);
    fputs("project", out);
    for (int c = 0; c < p->nproj; c++)
        fprintf(out, "%s %s", c ? "," : "", p->proj_name[c]);
    for (int c = 0; p->nproj == 0 && c < ncols; c++)
        fprintf(out, "%s %s", c ? "," : "", cols[c]);
    fputc('\n', out);
}

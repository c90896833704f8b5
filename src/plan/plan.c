/* plan: construction and teardown of the intermediate plan (see plan.h).
 * Front ends call these builders; nothing here knows any query language. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "plan/plan.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

plan *plan_new(const char *lang)
{
    plan *p = xcalloc(1, sizeof *p);
    p->lang = lang;
    arena_init(&p->mem);
    p->time_slot = -1;
    p->limit = -1;
    p->nslots = PLAN_FIRST_EVAL;
    for (int i = 0; i < PLAN_MAX_SLOTS; i++)
        p->slot_name[i] = "";
    return p;
}

void plan_free(plan *p)
{
    if (!p)
        return;
    for (int i = 0; i < p->nregexes; i++)
        pcre2_code_free(p->regexes[i]);
    arena_free(&p->mem);
    free(p);
}

static int add_field(plan *p, const char *name, int canon)
{
    if (p->nfields == PLAN_MAX_FIELDS)
        return -1;
    int slot = p->nfields++;
    mc_field_req *f = &p->fields[slot];
    f->name = arena_strndup(&p->mem, name, strlen(name));
    f->canon = canon;
    p->slot_name[slot] = f->name;
    return slot;
}

int plan_find_field(const plan *p, const char *name)
{
    for (int i = 0; i < p->nfields; i++)
        if (p->fields[i].canon < 0 && strcmp(p->fields[i].name, name) == 0)
            return i;
    return -1;
}

int plan_field(plan *p, const char *name, int canon)
{
    int found = canon < 0 ? plan_find_field(p, name) : -1;
    for (int i = 0; i < p->nfields && canon >= 0 && found < 0; i++)
        if (p->fields[i].canon == canon)
            found = i;
    return found >= 0 ? found : add_field(p, name, canon);
}

expr *plan_node(plan *p, int kind, int op, int nkids, expr **kids)
{
    expr *e = arena_alloc(&p->mem, sizeof *e);
    memset(e, 0, sizeof *e);
    e->kind = (uint8_t)kind;
    e->op = (uint8_t)op;
    e->nkids = (uint16_t)nkids;
    e->slot = -1;
    if (nkids) {
        e->kids = arena_alloc(&p->mem, sizeof *kids * (size_t)nkids);
        memcpy(e->kids, kids, sizeof *kids * (size_t)nkids);
    }
    return e;
}

expr *plan_logic(plan *p, int kind, int n, expr **kids)
{
    enum { MAX_KIDS = 65535 }; /* nkids is 16 bits: longer lists nest in chunks */
    while (n > MAX_KIDS) {
        int groups = (n + MAX_KIDS - 1) / MAX_KIDS;
        for (int g = 0; g < groups; g++) {
            int from = g * MAX_KIDS, k = n - from < MAX_KIDS ? n - from : MAX_KIDS;
            kids[g] = plan_node(p, kind, 0, k, kids + from);
        }
        n = groups;
    }
    return plan_node(p, kind, 0, n, kids);
}

expr *plan_ref(plan *p, int slot)
{
    expr *e = plan_node(p, EX_FIELD, 0, 0, NULL);
    e->slot = slot;
    return e;
}

expr *plan_lit_int(plan *p, int64_t i)
{
    expr *e = plan_node(p, EX_LIT, 0, 0, NULL);
    e->lit = mc_int(MC_INT, i);
    return e;
}

expr *plan_lit_str(plan *p, const char *s)
{
    expr *e = plan_node(p, EX_LIT, 0, 0, NULL);
    size_t n = strlen(s);
    e->lit = mc_str(MC_STR, arena_strndup(&p->mem, s, n), n);
    return e;
}

expr *plan_cmp(plan *p, int op, expr *a, expr *b)
{
    expr *kids[2] = {a, b};
    return plan_node(p, EX_CMP, op, 2, kids);
}

expr *plan_not(plan *p, expr *a)
{
    return plan_node(p, EX_NOT, 0, 1, &a);
}

expr *plan_call(plan *p, int fn, expr *a)
{
    return plan_node(p, EX_CALL, fn, 1, &a);
}

expr *plan_regex(plan *p, expr *subject, const char *pattern, uint32_t flags,
                 char *err, size_t errlen)
{
    if (p->nregexes == PLAN_MAX_STEPS) {
        snprintf(err, errlen, "too many regular expressions (at most %d)", PLAN_MAX_STEPS);
        return NULL;
    }
    int code;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                                   flags | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &code, &off, NULL);
    if (!re) {
        PCRE2_UCHAR msg[120];
        pcre2_get_error_message(code, msg, sizeof msg);
        snprintf(err, errlen, "regex /%s/ at offset %zu: %s", pattern, (size_t)off, (char *)msg);
        return NULL;
    }
    /* JIT is an optimisation: when unavailable pcre2_match interprets. */
    pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
    p->regexes[p->nregexes++] = re;
    expr *e = plan_node(p, EX_REGEX, 0, 1, &subject);
    e->re = re;
    e->re_src = arena_strndup(&p->mem, pattern, strlen(pattern));
    e->re_flags = flags;
    return e;
}

expr *plan_capture(plan *p, expr *re, int group)
{
    expr *e = plan_node(p, EX_CAPTURE, 0, 1, re->kids);
    e->re = re->re;
    e->re_src = re->re_src;
    e->re_flags = re->re_flags;
    e->slot = group;
    return e;
}

expr *plan_cidr(plan *p, expr *subject, const char *const *nets, int n, char *err, size_t errlen)
{
    cidr_net *list = arena_alloc(&p->mem, sizeof *list * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++)
        if (cidr_parse(nets[i], &list[i])) {
            snprintf(err, errlen, "'%s' is not an IPv4 or IPv6 network", nets[i]);
            return NULL;
        }
    expr *e = plan_node(p, EX_CIDR, 0, 1, &subject);
    e->aux = list;
    e->naux = n;
    return e;
}

/* Appends to a step list (the event steps or the post-aggregate ones). */
static int push(plan_step *steps, int *n, expr *e, int slot)
{
    if (*n == PLAN_MAX_STEPS)
        return -1;
    steps[*n] = (plan_step){e, slot, -1};
    (*n)++;
    return 0;
}

static int push_step(plan *p, expr *e, int slot)
{
    return push(p->steps, &p->nsteps, e, slot);
}

int plan_filter(plan *p, expr *e)
{
    return push_step(p, e, STEP_FILTER);
}

int plan_note_step(plan *p, expr *when, const char *msg)
{
    if (p->nnotes == PLAN_MAX_NOTES || push_step(p, when, STEP_NOTE))
        return -1;
    p->steps[p->nsteps - 1].note = p->nnotes;
    p->note[p->nnotes++].msg = arena_strndup(&p->mem, msg, strlen(msg));
    return 0;
}

int plan_eval(plan *p, const char *name, expr *e)
{
    if (p->nslots == PLAN_MAX_SLOTS)
        return -1;
    int slot = p->nslots++;
    p->slot_name[slot] = arena_strndup(&p->mem, name, strlen(name));
    return push_step(p, e, slot) ? -1 : slot;
}

static int add_column(plan *p, const char *name)
{
    if (p->ncols == PLAN_MAX_COLS)
        return -1;
    p->has_agg = 1;
    p->col_name[p->ncols] = arena_strndup(&p->mem, name, strlen(name));
    return p->ncols++;
}

/* Keys come before aggregates and aggregates before post evals, so that a
 * result row is laid out as plan.h says; out-of-order calls are refused. */
int plan_group_key(plan *p, expr *e, const char *name)
{
    if (p->naggs || p->npost || p->nspreads || p->nkeys == PLAN_MAX_COLS)
        return -1;
    int col = add_column(p, name);
    if (col >= 0)
        p->keys[p->nkeys++] = e;
    return col;
}

int plan_aggregate(plan *p, int fn, expr *arg, const char *name)
{
    if (p->npost || p->nspreads)
        return -1;
    int col = add_column(p, name);
    if (col < 0)
        return -1;
    plan_agg *a = &p->aggs[p->naggs++];
    memset(a, 0, sizeof *a);
    a->fn = (uint8_t)fn;
    a->arg = arg;
    a->name = p->col_name[col];
    return col;
}

static int push_post(plan *p, expr *e, int col)
{
    return push(p->post, &p->npost, e, col);
}

static int spread_cols_ok(const plan *p, const int *cols, int n)
{
    if (n < 1 || n > PLAN_SPREAD_COLS)
        return 0;
    for (int i = 0; i < n; i++)
        if (cols[i] < 0 || cols[i] >= p->nkeys + p->naggs)
            return 0;
    return 1;
}

int plan_group_spread(plan *p, const char *name, const int *of, int nof, const int *by, int nby)
{
    if (!p->has_agg || p->npost || p->nspreads == PLAN_MAX_COLS || !spread_cols_ok(p, of, nof) ||
        !spread_cols_ok(p, by, nby))
        return -1;
    int col = add_column(p, name);
    if (col < 0)
        return -1;
    plan_spread *s = &p->spread[p->nspreads++];
    s->col = col;
    s->nof = nof;
    s->nby = nby;
    memcpy(s->of, of, sizeof *of * (size_t)nof);
    memcpy(s->by, by, sizeof *by * (size_t)nby);
    return col;
}

int plan_post_filter(plan *p, expr *e)
{
    return push_post(p, e, -1);
}

int plan_post_eval(plan *p, const char *name, expr *e)
{
    int col = add_column(p, name);
    return col < 0 || push_post(p, e, col) ? -1 : col;
}

int plan_ncolumns(const plan *p)
{
    return p->has_agg ? p->ncols : p->nslots;
}

static int is_column(const plan *p, int col)
{
    return col >= 0 && col < plan_ncolumns(p);
}

const char *plan_column_name(const plan *p, int col)
{
    if (!is_column(p, col))
        return NULL;
    return p->has_agg ? p->col_name[col] : p->slot_name[col];
}

int plan_column(const plan *p, const char *name)
{
    for (int c = plan_ncolumns(p) - 1; c >= 0; c--)
        if (strcmp(plan_column_name(p, c), name) == 0)
            return c;
    return -1;
}

int plan_has_aggregate(const plan *p)
{
    return p->has_agg;
}

int plan_nkeys(const plan *p)
{
    return p->nkeys;
}

int plan_naggs(const plan *p)
{
    return p->naggs;
}

int64_t plan_limit(const plan *p)
{
    return p->limit;
}

/* Aggregate columns follow the keys (plan.h), so column col is aggregate
 * col - nkeys. */
int plan_agg_numeric(plan *p, int col)
{
    int a = col - p->nkeys;
    if (a < 0 || a >= p->naggs || (p->aggs[a].fn != AGG_MIN && p->aggs[a].fn != AGG_MAX))
        return -1;
    p->aggs[a].numeric = 1;
    return 0;
}

int plan_rename_column(plan *p, int col, const char *name)
{
    if (!p->has_agg || !is_column(p, col))
        return -1;
    p->col_name[col] = arena_strndup(&p->mem, name, strlen(name));
    return 0;
}

static int valid_sort_type(int type)
{
    return type == SORT_VALUE || type == SORT_NUMBER || type == SORT_TEXT;
}

int plan_sort_by(plan *p, int col, int desc, int type)
{
    if (p->nsort == PLAN_MAX_COLS || !is_column(p, col) || !valid_sort_type(type))
        return -1;
    p->sort[p->nsort++] = (plan_sort){col, desc != 0, type};
    return 0;
}

void plan_clear_sort(plan *p)
{
    p->nsort = 0;
}

int plan_project(plan *p, int col, const char *name)
{
    if (p->nproj == PLAN_MAX_COLS || !is_column(p, col))
        return -1;
    p->proj[p->nproj] = col;
    p->proj_name[p->nproj++] = arena_strndup(&p->mem, name, strlen(name));
    return 0;
}

void plan_clear_projection(plan *p)
{
    p->nproj = 0;
}

void plan_rename_projected(plan *p, const char *from, const char *to)
{
    for (int i = 0; i < p->nproj; i++)
        if (strcmp(p->proj_name[i], from) == 0)
            p->proj_name[i] = arena_strndup(&p->mem, to, strlen(to));
}

int plan_set_limit(plan *p, int64_t limit)
{
    if (limit < -1)
        return -1;
    p->limit = limit;
    return 0;
}

int plan_set_window(plan *p, int time_slot, int64_t window_ms)
{
    if (time_slot < 0 || time_slot >= p->nfields || window_ms < 0)
        return -1;
    p->time_slot = time_slot;
    p->window_ms = window_ms;
    return 0;
}

int plan_set_collate(plan *p, int collate)
{
    if (collate & ~(COLLATE_NULLS_LOW | COLLATE_IP_ADDRESS))
        return -1;
    p->collate = collate;
    return 0;
}

int plan_set_group_limit(plan *p, int64_t groups)
{
    if (groups < 0)
        return -1;
    p->group_limit = groups;
    return 0;
}

int plan_set_default_window(plan *p, int64_t window_ms)
{
    if (window_ms < 0 || p->time_slot < 0)
        return -1;
    p->default_window_ms = window_ms;
    return 0;
}

int plan_set_default_row_limit(plan *p, int64_t rows)
{
    if (rows < 0)
        return -1;
    p->default_row_limit = rows;
    return 0;
}

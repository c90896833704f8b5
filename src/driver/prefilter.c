/* prefilter: the raw-line test before parsing (see prefilter.h). Written by
 * hand because it is the hot loop of a run: a search for the key, a few
 * bytes of JSON grammar for the value, the plan's own expression for the
 * test. The key is found by json_raw_find (a memchr for its rarest-looking
 * byte). */
#include "driver/prefilter.h"

#include <stdlib.h>
#include <string.h>

#include "input/json.h"

enum { MAX_TESTS = 8, MAX_KEYS = 2 };

typedef struct pf_key {
    char *needle;              /* "KEY" with its quotes */
    size_t nlen;
    size_t rare;               /* the index of the byte memchr looks for */
} pf_key;

typedef struct pf_test {
    const expr *e;
    int slot;
    pf_key key[MAX_KEYS];      /* the field is conv(one of these keys' values) */
    int nkeys;
    mc_value (*conv)(mc_value raw); /* NULL: the value as written */
} pf_test;

struct prefilter {
    pf_test t[MAX_TESTS];
    int n;
};

/* The one field slot e reads: its slot, -1 when none, -2 when several. */
static int only_slot(const expr *e, int seen)
{
    if (e->kind == EX_FIELD)
        return seen == -1 || seen == e->slot ? e->slot : -2;
    for (int i = 0; i < e->nkids && seen != -2; i++)
        seen = only_slot(e->kids[i], seen);
    return seen;
}

/* Whether e reads NOW(): a one-pass run gathers before it knows `now`. */
static int reads_now(const expr *e)
{
    if (e->kind == EX_NOW)
        return 1;
    for (int i = 0; i < e->nkids; i++)
        if (reads_now(e->kids[i]))
            return 1;
    return 0;
}

/* Whether a derived value of the binding writes slot s after decoding. */
static int derived_slot(const view_binding *b, int s)
{
    for (int i = 0; i < b->nderived; i++)
        if (b->derived[i].slot == s)
            return 1;
    return 0;
}

/* Whether e is TRUE when its field is NULL (absent): such a filter can
 * never skip a line, since the key may be missing at the top level. */
static int true_on_null(const plan *p, const expr *e)
{
    arena scratch;
    arena_init(&scratch);
    expr_ctx c;
    expr_ctx_init(&c, &scratch, 0, 0);
    mc_value *row = xcalloc((size_t)p->nslots + 1, sizeof *row);
    int t = expr_true(e, row, &c) || c.regex_limited;
    free(row);
    expr_ctx_free(&c);
    arena_free(&scratch);
    return t;
}

static void add_key(pf_key *t, const char *key)
{
    size_t klen = strlen(key);
    t->nlen = klen + 2;
    t->needle = xmalloc(klen + 3);
    t->needle[0] = '"';
    memcpy(t->needle + 1, key, klen);
    t->needle[klen + 1] = '"';
    t->needle[klen + 2] = '\0';
    t->rare = json_raw_rare(t->needle, t->nlen);
}

/* The test of e on field `slot`, when the decoder says where it comes from
 * and no key could be spelled with `\/` (\u is checked per line). */
static void add_test(prefilter *pf, const view_decoder *vd, const expr *e, int slot)
{
    const char *keys[MAX_KEYS];
    pf_test *t = &pf->t[pf->n];
    int n = vd->dec->raw_keys(vd->state, slot, keys, MAX_KEYS, &t->conv);
    for (int k = 0; k < n; k++)
        if (strpbrk(keys[k], "\"\\/"))
            return;
    for (int k = 0; k < n; k++)
        add_key(&t->key[k], keys[k]);
    t->nkeys = n;
    t->e = e;
    t->slot = slot;
    pf->n += n > 0;
}

/* The tests of filter expression e: e itself when it reads one field, else,
 * when it is an AND, each of its parts that does (LogScale's `a=1 b=2` is
 * one step): the event is dropped when any part is not TRUE. */
static void add_conjuncts(prefilter *pf, const plan *p, const view_decoder *vd, const expr *e)
{
    int slot = only_slot(e, -1);
    if (slot == -2 && e->kind == EX_AND) {
        for (int i = 0; i < e->nkids; i++)
            add_conjuncts(pf, p, vd, e->kids[i]);
        return;
    }
    if (pf->n == MAX_TESTS || slot < 0 || slot >= vd->view.nreq ||
        derived_slot(&vd->view, slot) || reads_now(e) || true_on_null(p, e))
        return;
    add_test(pf, vd, e, slot);
}

prefilter *prefilter_new(const plan *p, const view_decoder *vd)
{
    if (!vd->dec->raw_keys)
        return NULL;
    prefilter *pf = xcalloc(1, sizeof *pf);
    for (int s = 0; s < p->nsteps && pf->n < MAX_TESTS; s++) {
        const plan_step *step = &p->steps[s];
        if (step->slot == STEP_NOTE)
            break; /* the note must see every event that reaches it */
        if (step->slot == STEP_FILTER)
            add_conjuncts(pf, p, vd, step->e);
    }
    if (pf->n == 0) {
        free(pf);
        return NULL;
    }
    return pf;
}

void prefilter_free(prefilter *pf)
{
    if (!pf)
        return;
    for (int i = 0; i < pf->n; i++)
        for (int k = 0; k < pf->t[i].nkeys; k++)
            free(pf->t[i].key[k].needle);
    free(pf);
}

/* Whether the filter's expression is TRUE for value v of its field; a regex
 * that reached its limit counts as TRUE (unknown: parse the line). */
static int passes(const pf_test *t, exec_worker *w, mc_value v)
{
    w->row[t->slot] = t->conv ? t->conv(v) : v;
    w->ctx.regex_limited = 0;
    int ok = expr_true(t->e, w->row, &w->ctx);
    if (w->ctx.regex_limited) {
        w->ctx.regex_limited = 0;
        return 1;
    }
    return ok;
}

/* 1 when some occurrence of one of the test's keys may pass (their
 * absence cannot: the test is not TRUE on NULL). */
static int test_passes(const pf_test *t, exec_worker *w, const char *line, size_t len)
{
    const char *end = line + len;
    for (int i = 0; i < t->nkeys; i++)
        for (const char *p = line;
             (p = json_raw_find(t->key[i].needle, t->key[i].nlen, t->key[i].rare, p, end));) {
            p += t->key[i].nlen;
            mc_value v;
            int k = json_raw_value(p, end, &v);
            if (k == JSON_RAW_UNSURE || (k == JSON_RAW_VALUE && passes(t, w, v)))
                return 1;
        }
    return 0;
}

int prefilter_pass(const prefilter *pf, exec_worker *w, const char *line, size_t len)
{
    for (int i = 0; i < pf->n; i++)
        if (!test_passes(&pf->t[i], w, line, len))
            return json_has_u_escape(line, len); /* a key may be spelled with escapes */
    return 1;
}

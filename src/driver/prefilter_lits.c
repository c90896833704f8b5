/* prefilter_lits: what a line that may pass the prefilter holds, searched
 * for in a whole block (prefilter.h prefilter_next, docs/prefilter.md):
 * the key of a filter listing values no text search finds, its value then
 * tested where the search meets it, or the texts of a filter; and "\u".
 * The lines between are passed over unread. */
#include <string.h>

#include "driver/prefilter_int.h"

/* The keys of the first two tests reading another field each, one key
 * apiece: a line the literals stop in most often passes the first test, so
 * the second's key is read with the first's, in one pass. */
static void pair_keys(prefilter *pf)
{
    for (int i = 0, n = 0; i < pf->n && n < 2; i++) {
        const pf_field *f = &pf->fields[pf->t[i].field];
        if (f->nkeys == 1 && (n == 0 || pf->pair[0] != &f->key[0]))
            pf->pair[n++] = &f->key[0];
    }
    if (!pf->pair[1])
        pf->pair[0] = NULL;
}

/* Whether the "\u" at p[at] is an escape, the backslashes before it not
 * pairing up (a line's \\user is none). The search starts at a line's
 * start, so the run is whole. */
static int real_escape(const char *p, size_t at)
{
    size_t run = 0;
    while (p[at] == '\\' && at - run > 0 && p[at - run - 1] == '\\')
        run++;
    return run % 2 == 0;
}

/* Whether the needle at p[at] (p[0, n) searched) makes its line one that
 * may pass: a text does; "\u" when it is an escape; the key of test
 * lit_test unless it is followed by a value, read plainly within its line,
 * on which the test is not TRUE (a key the line repeats is searched on
 * past: the line is passed over only when every one of them fails). */
static int may_pass_at(void *ctx, const char *p, size_t at, size_t n)
{
    prefilter *pf = ctx;
    if (p[at] == '\\')
        return real_escape(p, at);
    if (pf->lit_test < 0)
        return 1;
    pf_test *t = &pf->t[pf->lit_test];
    const pf_field *f = &pf->fields[t->field];
    if (at > 0 && p[at - 1] == '\\')
        return 1; /* maybe inside a string, maybe the key: a parse tells */
    /* Read within the line, as the test reads it: its end looked for only
     * near (a value is most often a few bytes on), then the bytes read. */
    const char *v0 = p + at + f->key[0].nlen;
    size_t room = n - (at + f->key[0].nlen);
    const char *end = memchr(v0, '\n', room < 64 ? room : 64);
    int within = end || room <= 64;
    mc_value raw;
    switch (json_raw_value(v0, end ? end : p + n, &raw)) {
    case JSON_RAW_NONE:
        return 0; /* a string, not the key */
    case JSON_RAW_VALUE:
        if (!within && (raw.type != MC_STR || memchr(v0, '\n', (size_t)(raw.u.s + raw.len - v0))))
            return 1;
        return pf_memo_true(&t->memo, t->e, f->slot, pf->w, pf_convert(f, 0, raw)) != NOT_TRUE;
    default:
        return 1;
    }
}

/* Whether e (reading one field) is TRUE only on values it lists: `f = v`,
 * `f in (a, b)`, an OR of such. */
static int lists_values(const expr *e)
{
    switch (e->kind) {
    case EX_ISTRUE:
        return lists_values(e->kids[0]);
    case EX_OR:
        for (int i = 0; i < e->nkids; i++)
            if (!lists_values(e->kids[i]))
                return 0;
        return 1;
    case EX_IN:
        return e->kids[0]->kind != EX_LIT;
    case EX_CMP:
        return e->op == CMP_EQ && (e->kids[0]->kind == EX_LIT) != (e->kids[1]->kind == EX_LIT);
    default:
        return 0;
    }
}

/* Whether a line without a needle of test t fails it: the field is NULL
 * there (not a join table's), and t is not TRUE on NULL. */
static int needs_key(const prefilter *pf, const pf_test *t)
{
    return !t->on_null && !pf->fields[t->field].joined;
}

/* Which lines can be passed over, from the first tests no note precedes:
 * a test listing values that are no texts JSON writes as they are (ports,
 * numbers, or a converted field's) on a field read from one key is
 * searched for by that key, its value then read and tested, so that the
 * search stops only in lines that may pass that test. Its values cannot be
 * searched as text, but the key can (a key a line could spell with an
 * escape other than \u is no field's: field_of); and it is chosen over a
 * test whose texts can be searched, as such a value (a port) most often
 * drops more lines than a text (an event's name) does, which stops in
 * every line holding it.
 * Else the texts of the first test TRUE only on some texts (expr_texts)
 * JSON writes as they are. Either way "\u" too: a line holding none of
 * the needles cannot pass that test, so it cannot pass the plan. A
 * repeated key, a nested object, a string escape other than \u cannot
 * spell the value differently. */
void pf_find_lits(prefilter *pf)
{
    pf->lit_test = -1;
    pf->lits.accept = may_pass_at;
    pf->lits.ctx = pf;
    for (int i = 0; i < pf->n && pf->t[i].notes == 0; i++) {
        const pf_field *f = &pf->fields[pf->t[i].field];
        const mc_value *lit[NEEDLES_MAX - 1];
        if (f->nkeys == 1 && needs_key(pf, &pf->t[i]) && lists_values(pf->t[i].e) &&
            (f->conv[0] || expr_texts(pf->t[i].e, f->slot, lit, 0, NEEDLES_MAX - 1) < 0) &&
            needles_add(&pf->lits, f->key[0].needle, f->key[0].nlen) == 0) {
            (void)needles_add(&pf->lits, "\\u", 2);
            pf->lit_test = i;
            pair_keys(pf);
            return;
        }
    }
    for (int i = 0; i < pf->n && pf->t[i].notes == 0; i++) {
        const pf_field *f = &pf->fields[pf->t[i].field];
        const mc_value *lit[NEEDLES_MAX - 1];
        int m = f->nkeys != 1 || f->conv[0] || !needs_key(pf, &pf->t[i])
                    ? -1
                    : expr_texts(pf->t[i].e, f->slot, lit, 0, NEEDLES_MAX - 1);
        for (int k = 0; k < m; k++)
            if (!pf_json_as_is(lit[k]->u.s, lit[k]->len) ||
                needles_add(&pf->lits, lit[k]->u.s, lit[k]->len) < 0)
                m = -1;
        if (m <= 0) {
            pf->lits.n = 0;
            continue;
        }
        (void)needles_add(&pf->lits, "\\u", 2); /* room: at most NEEDLES_MAX - 1 texts */
        pair_keys(pf);
        return;
    }
}


int prefilter_blockwise(const prefilter *pf)
{
    return pf->lits.n > 0;
}

size_t prefilter_next(prefilter *pf, exec_worker *w, const char *p, size_t n, uint64_t *skipped,
                      size_t *line_start)
{
    pf->w = w;
    return needles_find(&pf->lits, p, n, skipped, line_start);
}

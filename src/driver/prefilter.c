/* prefilter: the raw-line test before parsing (see prefilter.h). Written by
 * hand because it is the hot loop of a run: a search for the key, a few
 * bytes of JSON grammar for the value, the plan's own expression for the
 * test. The keys are read from the line's one pass over its keys
 * (json_line_key), which the line's other raw readers share. Where a
 * filter allows it, a whole block is searched first (prefilter_lits.c),
 * and only the lines the search stops in are tested. */
#include "driver/prefilter_int.h"

#include <stdlib.h>
#include <string.h>

/* The distinct slots e reads into out[0, max); -1 when more. */
static int slots_of(const expr *e, int *out, int n, int max)
{
    if (n < 0)
        return n;
    if (e->kind == EX_FIELD) {
        for (int i = 0; i < n; i++)
            if (out[i] == e->slot)
                return n;
        if (n == max)
            return -1;
        out[n++] = e->slot;
        return n;
    }
    for (int i = 0; i < e->nkids; i++)
        n = slots_of(e->kids[i], out, n, max);
    return n;
}

/* Whether e's value is the same whatever `now` is (slot < 0), or whatever
 * value of one type field `slot` holds: the one read only under IS NULL,
 * through comparisons and + - *, whose NULL comes from their operands'
 * NULLs and types (value_compare, value_as_number), never from a value
 * (AQL's note `starttime > NOW() - n IS NULL` reads both only so). A note
 * inert for `now` is usable before `now` is known; a part inert for the
 * time is answered once per type of the time, from its memo, rather than
 * computed on every line. under: inside such an IS NULL. */
static int inert(const expr *e, int slot, int under)
{
    if (slot < 0 ? e->kind == EX_NOW : e->kind == EX_FIELD && e->slot == slot)
        return under;
    if (e->kind == EX_ISNULL)
        under = 1;
    else if (!(e->kind == EX_CMP || (e->kind == EX_ARITH && e->op != AR_DIV) ||
               e->kind == EX_LIT || e->kind == EX_FIELD || e->kind == EX_NOW))
        under = 0;
    for (int i = 0; i < e->nkids; i++)
        if (!inert(e->kids[i], slot, under))
            return 0;
    return 1;
}

/* Whether a derived value of the binding writes slot s after decoding. */
static int derived_slot(const view_binding *b, int s)
{
    for (int i = 0; i < b->nderived; i++)
        if (b->derived[i].slot == s)
            return 1;
    return 0;
}

/* Whether e is TRUE when its field is NULL: a line that lacks the key
 * passes it, so no search of a block for what a passing line holds can
 * use it (prefilter_lits.c). */
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
}

/* The event time alone, bound to the input's decoder (tried once), when
 * the decoder reads it raw: 0, else -1. */
static int open_time(prefilter *pf, const plan *p, const view_decoder *vd,
                     const input_settings *st)
{
    if (!pf->time_plan && vd->dec->raw_time) {
        pf->time_plan = plan_new(p->lang);
        plan_field(pf->time_plan, mc_canon_name(MC_C_TIME), MC_C_TIME);
        char err[200];
        pf->time_vd = view_decoder_open(vd->dec, pf->time_plan, st, err, sizeof err);
        if (pf->time_vd && pf->time_vd->view.nderived) {
            view_decoder_close(pf->time_vd); /* raw_time gives the decoder's value alone */
            pf->time_vd = NULL;
        }
    }
    return pf->time_vd ? 0 : -1;
}

/* Whether JSON writes s[0, n) in a string only as these bytes or with
 * \u escapes: it holds no byte JSON escapes otherwise (" \ / and control
 * bytes). A key or a value equal to it is then found by its bytes in a
 * line without \u. */
int pf_json_as_is(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] == '"' || s[i] == '\\' || s[i] == '/' || (unsigned char)s[i] < 0x20)
            return 0;
    return 1;
}

/* The index of slot's raw reading in fields[] (added if new), or -1 when
 * the decoder cannot say where it comes from or no key could be spelled
 * without `\/` (a line with \u escapes is left to the parse: json_line_key). */
static int field_of(prefilter *pf, const plan *p, const view_decoder *vd,
                    const input_settings *st, int slot)
{
    for (int i = 0; i < pf->nfields; i++)
        if (pf->fields[i].slot == slot)
            return i;
    if (pf->nfields == MAX_FIELDS || slot < 0 || slot >= vd->view.nreq ||
        derived_slot(&vd->view, slot))
        return -1;
    pf_field *f = &pf->fields[pf->nfields];
    raw_field r = {0};
    int n = vd->dec->raw_keys(vd->state, slot, &r);
    if (n == 0 && !(view_slot_canon(p, slot) == MC_C_TIME && open_time(pf, p, vd, st) == 0))
        return -1;
    for (int k = 0; k < n; k++) /* a key a line could spell with an escape (json.h) */
        if (!pf_json_as_is(r.key[k], strlen(r.key[k])))
            return -1;
    for (int k = 0; k < n; k++) {
        add_key(&f->key[k], r.key[k]);
        f->conv[k] = r.conv[k];
    }
    f->nkeys = n;
    f->first = r.first;
    f->joined = r.joined;
    f->slot = slot;
    return pf->nfields++;
}

/* The tests of filter step `step`'s expression e: e itself when it reads
 * one field, else, when it is an AND, each of its parts that does
 * (LogScale's `a=1 b=2` is one step): the event is dropped when any part
 * is not TRUE. 1 when every part of e became a test. */
static int add_conjuncts(prefilter *pf, const plan *p, const view_decoder *vd,
                         const input_settings *st, int step, const expr *e)
{
    int slot = expr_only_slot(e, -1);
    if (slot == -2 && e->kind == EX_AND) {
        int all = 1;
        for (int i = 0; i < e->nkids; i++)
            all &= add_conjuncts(pf, p, vd, st, step, e->kids[i]);
        return all;
    }
    if (pf->n == MAX_TESTS || slot < 0 || expr_reads_now(e))
        return 0;
    int f = field_of(pf, p, vd, st, slot);
    if (f < 0 || pf->fields[f].nkeys == 0)
        return 0;
    pf_test *t = &pf->t[pf->n++];
    t->e = e;
    t->on_null = true_on_null(p, e);
    t->step = pf->last_step = step; /* tests are added in step order */
    t->field = f;
    t->notes = pf->nnotes;
    return 1;
}

/* A part of a note: 0 when every field it reads is read raw. */
static int add_part(prefilter *pf, const plan *p, const view_decoder *vd,
                    const input_settings *st, pf_part *part, const expr *e)
{
    int slots[NOTE_FIELDS];
    int n = slots_of(e, slots, 0, NOTE_FIELDS);
    if (n < 0)
        return -1;
    part->e = e;
    part->nfields = n;
    part->timed = 0;
    for (int i = 0; i < n; i++) {
        if ((part->field[i] = field_of(pf, p, vd, st, slots[i])) < 0)
            return -1;
        part->timed |= pf->fields[part->field[i]].nkeys == 0;
    }
    part->by_type = n == 1 && part->timed && inert(e, slots[0], 0);
    return 0;
}

/* A note the tests after it must see FALSE on a line: usable when every
 * field it reads is read raw and its value does not depend on `now`. An
 * AND is FALSE when one part is, so its parts are tried one by one. */
static void add_note(prefilter *pf, const plan *p, const view_decoder *vd,
                     const input_settings *st, const expr *e)
{
    pf->usable = pf->nnotes < MAX_NOTES && inert(e, -1, 0);
    if (!pf->usable)
        return; /* (no room: note[] is full) */
    pf_note *note = &pf->note[pf->nnotes];
    int and = e->kind == EX_AND && e->nkids <= NOTE_PARTS;
    note->nparts = and ? e->nkids : 1;
    for (int i = 0; pf->usable && i < note->nparts; i++)
        pf->usable = add_part(pf, p, vd, st, &note->part[i], and ? e->kids[i] : e) == 0;
    if (!pf->usable)
        return;
    for (int i = 1; i < note->nparts; i++) /* untimed parts first, in order */
        for (int j = i; j > 0 && note->part[j - 1].timed && !note->part[j].timed; j--) {
            pf_part t = note->part[j];
            note->part[j] = note->part[j - 1];
            note->part[j - 1] = t;
        }
    pf->nnotes++;
}

int prefilter_last_step(const prefilter *pf)
{
    return pf->last_step;
}

/* The tests after the same notes, in plan order but for those of fields
 * read in order of precedence (decoder.h raw_field `first`), which go
 * last: a line is dropped by any one of them alike, and those keys are
 * the ones the line's other readers ask least (the hunt reads a
 * connection's direction and process name only once its port is a mail
 * port, about one line in twenty-five, rather than on every connection). */
static void order_tests(prefilter *pf)
{
    for (int i = 1; i < pf->n; i++)
        for (int j = i; j > 0; j--) {
            pf_test *a = &pf->t[j - 1], *b = &pf->t[j];
            if (a->notes != b->notes || !pf->fields[a->field].first ||
                pf->fields[b->field].first)
                break;
            pf_test t = *a;
            *a = *b;
            *b = t;
        }
}


void prefilter_free(prefilter *pf)
{
    if (!pf)
        return;
    for (int i = 0; i < pf->nfields; i++)
        for (int k = 0; k < pf->fields[i].nkeys; k++)
            free(pf->fields[i].key[k].needle);
    for (int i = 0; i < pf->n; i++)
        memo_free(&pf->t[i].memo);
    for (int k = 0; k < pf->nnotes; k++)
        for (int i = 0; i < pf->note[k].nparts; i++)
            memo_free(&pf->note[k].part[i].memo);
    view_decoder_close(pf->time_vd);
    if (pf->time_plan)
        plan_free(pf->time_plan);
    free(pf);
}

prefilter *prefilter_new(const plan *p, const view_decoder *vd, const input_settings *st)
{
    if (!vd->dec->raw_keys)
        return NULL;
    prefilter *pf = xcalloc(1, sizeof *pf);
    pf->usable = 1;
    for (int s = 0; s < p->nsteps && pf->n < MAX_TESTS && pf->usable; s++) {
        const plan_step *step = &p->steps[s];
        if (step->slot == STEP_NOTE)
            add_note(pf, p, vd, st, step->e); /* a note must see every event it counts */
        else if (step->slot == STEP_FILTER && add_conjuncts(pf, p, vd, st, s, step->e) && s < 64)
            pf->whole |= UINT64_C(1) << s;
    }
    if (pf->n == 0) {
        prefilter_free(pf);
        return NULL;
    }
    order_tests(pf);
    pf_find_lits(pf);
    return pf;
}

/* Whether the expression is TRUE on w's row; UNKNOWN is not the value's
 * answer, to be remembered. */
static int is_true(const expr *e, exec_worker *w)
{
    w->ctx.regex_limited = 0;
    int ok = expr_true(e, w->row, &w->ctx), limited = w->ctx.regex_limited;
    w->ctx.regex_limited = 0;
    return limited ? UNKNOWN : ok ? IS_TRUE : NOT_TRUE;
}

/* The value of field f on the line from the first of its keys present and
 * not null (decoder.h raw_field `first`): 1, or -1 when only a parse can
 * tell. */
static int first_value(const pf_field *f, json_line *line, mc_value *v)
{
    for (int i = 0; i < f->nkeys; i++) {
        mc_value raw;
        switch (json_line_key(line, f->key[i].needle, f->key[i].nlen, &raw)) {
        case JSON_RAW_VALUE:
            if (raw.type == MC_NULL)
                break;
            v[0] = pf_convert(f, i, raw);
            return 1;
        case JSON_RAW_NONE:
            break;
        default:
            return -1;
        }
    }
    if (f->joined)
        return -1; /* a join table may give it */
    v[0] = mc_null();
    return 1;
}

/* The values field f may take on the line: conv(the value of each of its
 * keys), and NULL where a key is absent; or the one its first key present
 * gives. -1 when only a parse can tell. */
static int read_values(const prefilter *pf, const pf_field *f, json_line *line, mc_value *v)
{
    if (f->nkeys == 0) { /* the event time: read as the decoder would */
        int64_t ms;
        if (!pf->time_vd->dec->raw_time(pf->time_vd->state, line, &ms))
            return -1;
        v[0] = ms == INT64_MIN ? mc_null() : mc_int(MC_TS, ms);
        return 1;
    }
    if (f->first)
        return first_value(f, line, v);
    for (int i = 0; i < f->nkeys; i++) {
        mc_value raw;
        switch (json_line_key(line, f->key[i].needle, f->key[i].nlen, &raw)) {
        case JSON_RAW_VALUE:
            v[i] = pf_convert(f, i, raw);
            break;
        case JSON_RAW_NONE:
            v[i] = mc_null();
            break;
        default:
            return -1;
        }
    }
    return f->nkeys;
}

/* Field f's values on the line, read the first time they are asked for. */
static int values_of(const prefilter *pf, pf_line *l, int f)
{
    if (l->n[f] == -2)
        l->n[f] = read_values(pf, &pf->fields[f], l->raw, l->v[f]);
    return l->n[f];
}

/* e's answer with value v in slot, from the memo where it has seen v: a
 * test's answer on a value is the same on every line. */
int pf_memo_true(value_memo *memo, const expr *e, int slot, exec_worker *w, mc_value v)
{
    uint8_t *known = memo_answer(memo, v);
    if (known && *known)
        return *known - 1;
    w->row[slot] = v;
    int ok = is_true(e, w);
    if (known && ok != UNKNOWN)
        *known = (uint8_t)(1 + ok);
    return ok;
}

/* Whether the part may be TRUE on the line: evaluated on every combination
 * of its fields' values. */
static int part_may_hold(const prefilter *pf, pf_part *part, exec_worker *w, pf_line *l)
{
    int pick[NOTE_FIELDS] = {0};
    for (int i = 0; i < part->nfields; i++)
        if (values_of(pf, l, part->field[i]) < 0)
            return 1;
    if (part->nfields == 1 && (!part->timed || part->by_type)) {
        int f = part->field[0];
        for (int i = 0; i < l->n[f]; i++) {
            mc_value v = l->v[f][i];
            if (part->by_type) /* one value of the type stands for all */
                v = v.type == MC_NULL ? mc_null() : (mc_value){.type = v.type};
            if (pf_memo_true(&part->memo, part->e, pf->fields[f].slot, w, v))
                return 1;
        }
        return 0;
    }
    for (;;) {
        for (int i = 0; i < part->nfields; i++)
            w->row[pf->fields[part->field[i]].slot] = l->v[part->field[i]][pick[i]];
        if (is_true(part->e, w))
            return 1;
        int i = 0;
        while (i < part->nfields && ++pick[i] == l->n[part->field[i]])
            pick[i++] = 0;
        if (i == part->nfields)
            return 0;
    }
}

/* NOT_TRUE when the test cannot pass on any value of its field (NULL
 * among them where a key is absent), IS_TRUE when it passes on every one
 * (so on the one the decoder takes), else UNKNOWN. */
static int test_answer(const prefilter *pf, pf_test *t, exec_worker *w, pf_line *l)
{
    int n = values_of(pf, l, t->field), all = n > 0, any = n < 0;
    for (int i = 0; i < n; i++) {
        int ok = pf_memo_true(&t->memo, t->e, pf->fields[t->field].slot, w, l->v[t->field][i]);
        all &= ok == IS_TRUE;
        any |= ok != NOT_TRUE;
    }
    return all ? IS_TRUE : any ? UNKNOWN : NOT_TRUE;
}

/* Whether the note may count the line: no part of it is surely not TRUE. */
static int note_may_count(const prefilter *pf, pf_note *note, exec_worker *w, pf_line *l)
{
    for (int i = 0; i < note->nparts; i++)
        if (!part_may_hold(pf, &note->part[i], w, l))
            return 0;
    return 1;
}

int prefilter_pass(prefilter *pf, exec_worker *w, json_line *line, const int64_t *time,
                   uint64_t *proved)
{
    uint64_t whole = pf->whole;
    pf_line l;
    l.raw = line;
    if (pf->pair[0])
        json_line_pair(line, pf->pair[0]->needle, pf->pair[0]->nlen, pf->pair[1]->needle,
                       pf->pair[1]->nlen);
    for (int f = 0; f < pf->nfields; f++) {
        l.n[f] = -2;
        if (time && pf->fields[f].nkeys == 0) { /* read once per line, not twice */
            l.v[f][0] = *time == INT64_MIN ? mc_null() : mc_int(MC_TS, *time);
            l.n[f] = 1;
        }
    }
    for (int i = 0; i < pf->n; i++) {
        int answer = test_answer(pf, &pf->t[i], w, &l);
        if (answer != IS_TRUE && pf->t[i].step < 64)
            whole &= ~(UINT64_C(1) << pf->t[i].step);
        if (answer != NOT_TRUE)
            continue;
        /* The first filter that drops the line: the notes before it must
         * not count it (a later filter has those notes and more). */
        for (int k = 0; k < pf->t[i].notes; k++)
            if (note_may_count(pf, &pf->note[k], w, &l)) {
                if (proved)
                    *proved = 0; /* the tests after this one were not tried */
                return 1;
            }
        return 0;
    }
    if (proved)
        *proved = whole;
    return 1;
}

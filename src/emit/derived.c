/* derived: the fields a language's view computes from canonical fields
 * (view/logscale.c, view/sigma.c), read back into what they say about the
 * event, for targets whose view has no such field. The views compute them
 * as functions, which an emitter cannot look into, so their meaning is
 * restated here by name, each with the view function it mirrors:
 *
 *   LogScale ContextTimeStamp      seconds(): time / 1000
 *   LogScale #event_simpleName     event_name(): kind, direction, family
 *   LogScale ConnectionDirection   direction_code(): "0" out, "1" in
 *   Sigma Initiated                initiated(): "true" out, "false" in
 *   Sigma logsource.product        product(): the system a path belongs to
 *   AQL eventdirection             locality(): L2R... by --local-nets
 *
 * and the tests the front ends build on them are recognised whole (a test
 * of one event name, a product test), so a target writes the canonical
 * fact in its own terms. */
#include <string.h>
#include <strings.h>

#include "emit/emit_int.h"
#include "view/view.h"

static const struct {
    const char *lang, *name;
    int derived;
} fields[] = {
    {"logscale", "ContextTimeStamp", EMIT_D_SECONDS},
    {"logscale", "#event_simpleName", EMIT_D_EVENT_NAME},
    {"logscale", "event_simpleName", EMIT_D_EVENT_NAME},
    {"logscale", "ConnectionDirection", EMIT_D_DIRECTION},
    {"sigma", "Initiated", EMIT_D_DIRECTION},
    {"sigma", VIEW_SIGMA_PRODUCT, EMIT_D_PRODUCT},
    {"aql", "eventdirection", EMIT_D_LOCALITY},
    {"aql", "event direction", EMIT_D_LOCALITY},
    {"aql", "flowdirection", EMIT_D_LOCALITY},
};

int emit_derived(const plan *p, int slot)
{
    if (slot < 0 || slot >= p->nfields || p->fields[slot].canon >= 0)
        return EMIT_D_NONE;
    int aql = strcmp(p->lang, "aql") == 0; /* AQL's names ignore case */
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (strcmp(p->lang, fields[i].lang) == 0 &&
            (aql ? strcasecmp : strcmp)(p->slot_name[slot], fields[i].name) == 0)
            return fields[i].derived;
    return EMIT_D_NONE;
}

/* event_name(): NetworkConnectIP4/IP6 an outbound connection,
 * NetworkReceiveAcceptIP4/IP6 an inbound one, IP6 when the remote address
 * is IPv6; ProcessRollup2 a process start. */
static int event_of(const char *name, emit_event *ev)
{
    static const struct { const char *prefix, *kind, *direction; } names[] = {
        {"NetworkConnectIP", "conn", "out"},
        {"NetworkReceiveAcceptIP", "conn", "in"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t n = strlen(names[i].prefix);
        if (strncmp(name, names[i].prefix, n) == 0 && (name[n] == '4' || name[n] == '6') &&
            !name[n + 1]) {
            *ev = (emit_event){names[i].kind, names[i].direction, name[n] - '0'};
            return 0;
        }
    }
    if (strcmp(name, "ProcessRollup2") == 0) {
        *ev = (emit_event){"proc", NULL, 0};
        return 0;
    }
    return -1;
}

/* `str(F) = 'v'` on a field of kind `derived`: v, or NULL. */
static const char *derived_eq(const plan *p, const expr *e, int derived)
{
    if (e->kind != EX_CMP || e->op != CMP_EQ || e->kids[1]->kind != EX_LIT ||
        e->kids[1]->lit.type != MC_STR)
        return NULL;
    const expr *f = e->kids[0];
    if (f->kind == EX_CALL && f->op == FN_STR)
        f = f->kids[0];
    return f->kind == EX_FIELD && emit_derived(p, f->slot) == derived ? e->kids[1]->lit.u.s : NULL;
}

int emit_event_test(const plan *p, const expr *e, emit_event *ev, int max)
{
    if (e->kind == EX_ISTRUE)
        e = e->kids[0];
    const expr *const *tests = e->kind == EX_OR ? (const expr *const *)e->kids : &e;
    int n = e->kind == EX_OR ? e->nkids : 1;
    for (int i = 0; i < n; i++) {
        const char *name = derived_eq(p, tests[i], EMIT_D_EVENT_NAME);
        if (!name || i >= max || event_of(name, &ev[i]))
            return -1;
    }
    return n;
}

/* The Sigma front end's product test: `p is null or p = 'windows'`. */
const char *emit_product_test(const plan *p, const expr *e)
{
    if (e->kind != EX_OR || e->nkids != 2 || e->kids[0]->kind != EX_ISNULL ||
        e->kids[0]->kids[0]->kind != EX_FIELD ||
        emit_derived(p, e->kids[0]->kids[0]->slot) != EMIT_D_PRODUCT)
        return NULL;
    return derived_eq(p, e->kids[1], EMIT_D_PRODUCT);
}

/* The paths of each system as product() tells them, as regexes over the
 * whole path: Windows has a backslash or a drive letter's colon second,
 * Linux starts with a slash and is not Windows. [\s\S] is any character
 * whatever the dot-all option. */
const char *emit_os_paths(const char *os)
{
    if (strcmp(os, "windows") == 0)
        return "[\\s\\S]*\\\\[\\s\\S]*|[\\s\\S]:[\\s\\S]*";
    return strcmp(os, "linux") == 0 ? "/([^:\\\\][^\\\\]*)?" : NULL;
}

const char *emit_other_os(const char *os)
{
    return strcmp(os, "windows") == 0 ? "linux" : strcmp(os, "linux") == 0 ? "windows" : NULL;
}

/* direction_code() and initiated(): the value that means outbound or
 * inbound, compared as the test does (lower() on both sides, or exactly). */
static const char *direction_of(const plan *p, const char *v, int lowered)
{
    static const char *const out[] = {"0", "true"}, *const in[] = {"1", "false"};
    int sigma = strcmp(p->lang, "sigma") == 0;
    int (*same)(const char *, const char *) = lowered ? strcasecmp : strcmp;
    return same(v, out[sigma]) == 0 ? "out" : same(v, in[sigma]) == 0 ? "in" : NULL;
}

const char *emit_direction_test(const plan *p, const expr *e)
{
    if (e->kind == EX_ISTRUE)
        e = e->kids[0];
    int in = e->kind == EX_IN && e->nkids == 2, lowered = 0;
    if (!in && !(e->kind == EX_CMP && e->op == CMP_EQ))
        return NULL;
    const expr *f = e->kids[0], *v = e->kids[1];
    for (; f->kind == EX_CALL && (f->op == FN_STR || f->op == FN_LOWER); f = f->kids[0])
        lowered |= f->op == FN_LOWER;
    if (f->kind != EX_FIELD || v->kind != EX_LIT || v->lit.type != MC_STR)
        return NULL;
    if (view_slot_canon(p, f->slot) == MC_C_DIRECTION) /* the canonical "out", "in" */
        return strcmp(v->lit.u.s, "out") == 0 ? "out" : strcmp(v->lit.u.s, "in") == 0 ? "in" : NULL;
    if (emit_derived(p, f->slot) != EMIT_D_DIRECTION)
        return NULL;
    return direction_of(p, v->lit.u.s, lowered);
}

const char *emit_kind_test(const plan *p, const expr *e)
{
    if (e->kind != EX_CMP || e->op != CMP_EQ || e->kids[0]->kind != EX_FIELD ||
        e->kids[1]->kind != EX_LIT || e->kids[1]->lit.type != MC_STR ||
        view_slot_canon(p, e->kids[0]->slot) != MC_C_KIND)
        return NULL;
    return e->kids[1]->lit.u.s;
}

const char *emit_locality_test(const plan *p, const expr *e)
{
    if (e->kind != EX_CMP && e->kind != EX_IN)
        return NULL;
    const expr *f = e->kids[0];
    return f->kind == EX_FIELD && emit_derived(p, f->slot) == EMIT_D_LOCALITY
               ? p->slot_name[f->slot]
               : NULL;
}

int64_t emit_since_test(const plan *p, const expr *e)
{
    if (e->kind != EX_CMP || e->op != CMP_GT || e->kids[0]->kind != EX_FIELD ||
        view_slot_canon(p, e->kids[0]->slot) != MC_C_TIME)
        return 0;
    const expr *d = e->kids[1];
    if (d->kind != EX_ARITH || d->op != AR_SUB || d->kids[0]->kind != EX_NOW ||
        d->kids[1]->kind != EX_LIT || d->kids[1]->lit.type != MC_INT || d->kids[1]->lit.u.i <= 0)
        return 0;
    return d->kids[1]->lit.u.i;
}

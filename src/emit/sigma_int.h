/* sigma_int: what the Sigma emitter's files share (sigma.c writes the
 * rules and the correlation, sigma_detect.c a detection, sigma_item.c one
 * field item).
 *
 * Ownership: everything borrows the plan through the emit context. */
#ifndef MAILC2_EMIT_SIGMA_INT_H
#define MAILC2_EMIT_SIGMA_INT_H

#include "emit/emit_int.h"

/* What one field item tests. */
enum sg_atom_kind {
    SG_A_EQ,       /* = value, in (values): kids[1..] are literals */
    SG_A_NUM,      /* float(field) < > <= >= a number */
    SG_A_RE,       /* a regex over the field's text */
    SG_A_CIDR,
    SG_A_EXISTS,   /* not field is null */
    SG_A_MISSING,  /* field is null */
};

typedef struct sg_atom_t {
    int kind;
    int slot;          /* the input field */
    int caseless;      /* compared through lower() */
    const expr *e;
} sg_atom_t;

/* Whether `e` (istrue() already taken off) is one test of one input field
 * that a single Sigma item states: 0 and `a` filled, or -1. Refuses
 * nothing: the item is only judged when it is written. */
int sg_atom(const plan *p, const expr *e, sg_atom_t *a);

typedef struct sg_item_ctx {
    emit_ctx *c;
    FILE *out;
    int indent;        /* columns before the key */
} sg_item_ctx;

/* The Sigma name of input field `slot` (the view's taxonomy name, or a
 * Sigma plan's own), or NULL after a refusal. */
const char *sg_field_name(emit_ctx *c, int slot);

/* Writes `Key|mods: value(s)` lines for `a`. 0, or -1 after a refusal. */
int sg_item_write(sg_item_ctx *w, const sg_atom_t *a);

/* Writes `detection:` (searches and condition) for the AND of conj[0..n),
 * and of what LogScale's event name `ev` says beyond the logsource
 * category (NULL: nothing), indented by four. 0, or -1 after a refusal. */
int sg_detection_write(emit_ctx *c, const expr *const *conj, int n, const emit_event *ev,
                       FILE *out);

#endif

/* walk: reading the plan for the checks — visiting every expression of
 * the pipeline with whether it sits under a negation, seeing through the
 * text conversions a front end wraps around a field (str(), lower()), and
 * asking what a field means (its canonical field, view.h) and whether a
 * filter already requires it. Read-only over a borrowed plan. */
#ifndef MAILC2_LINT_WALK_H
#define MAILC2_LINT_WALK_H

#include "lint/lint.h"
#include "view/view.h"

/* Called for every node of every filter and eval step before the
 * aggregate (notes are skipped): `negated` when an odd number of NOTs lie
 * above it in its step, `step` the step's index. */
typedef void walk_fn(lint_ctx *c, const expr *e, int negated, int step);
void walk_steps(lint_ctx *c, walk_fn *fn);

/* The expression under str(), lower(), upper() and basename(); *text set
 * when str(), lower() or upper() made it text, *base when basename() cut
 * it to a file name (either may be NULL). */
const expr *walk_subject(const expr *e, int *text, int *base);
/* The field slot `e` reads through walk_subject, or -1. */
int walk_field(const expr *e);
const char *walk_name(const plan *p, int slot);
/* Whether `e` being TRUE implies that field `slot` is present. */
int walk_requires(const expr *e, int slot);
/* Whether a filter step before `step` requires field `slot`. */
int walk_required_before(const plan *p, int step, int slot);
/* The string literals among kids[from..] of e (EX_IN, EX_CMP): how many,
 * up to max, into out. */
int walk_texts(const expr *e, int from, const char **out, int max);

#endif

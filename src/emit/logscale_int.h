/* logscale_int: what the LogScale emitter's two files share — logscale.c
 * writes the pipeline (stages, groupBy, the threshold, sort), and
 * logscale_cond.c the filters in it.
 *
 * Ownership: everything borrows the plan through the emit context. */
#ifndef MAILC2_EMIT_LOGSCALE_INT_H
#define MAILC2_EMIT_LOGSCALE_INT_H

#include "emit/emit_int.h"

/* The LogScale name of input field `slot` (a LogScale plan's own, else the
 * view's name for its canonical field), or "" after a refusal. */
const char *ls_field_name(emit_ctx *c, int slot);

/* "| " before a stage; the first has none. */
void ls_stage(emit_ctx *c);

/* A value: bare when it is a plain word and `quote` is 0, else a quoted
 * string (a case result is always quoted: a bare word there is a field). */
void ls_value(emit_ctx *c, const mc_value *v, int quote);

/* Filters ANDed (the filter steps between two evals, or a condition's
 * AND), each one stage when `stages`, else joined by `and`: each holds
 * exactly where the plan's is TRUE. Kind and direction tests on canonical
 * fields are written together as LogScale's event name. 0, or -1 after a
 * refusal. */
int ls_and(emit_ctx *c, const expr *const *terms, int n, int stages);

/* A condition that holds exactly where `e` is TRUE (a case branch). */
int ls_cond(emit_ctx *c, const expr *e);

#endif

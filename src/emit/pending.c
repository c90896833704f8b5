/* pending: the targets issue 12 names whose emitters are not written yet
 * (SPL, KQL, ES|QL). They are registered so that `--to` lists them and
 * refuses with a message, never with an "unknown target"; each gets its
 * own file when it is written. */
#include "emit/emit_int.h"

static int pending(emit_ctx *c)
{
    return emit_refuse(c, "any plan yet (its emitter is not written)");
}

int emit_spl(emit_ctx *c) { return pending(c); }
int emit_kql(emit_ctx *c) { return pending(c); }
int emit_esql(emit_ctx *c) { return pending(c); }

/* placeholder */
#include "emit/emit_int.h"
int emit_aql(emit_ctx *c) { return emit_refuse(c, "anything yet"); }
int emit_logscale(emit_ctx *c) { return emit_refuse(c, "anything yet"); }
int emit_sigma(emit_ctx *c) { return emit_refuse(c, "anything yet"); }
int emit_spl(emit_ctx *c) { return emit_refuse(c, "anything yet"); }
int emit_kql(emit_ctx *c) { return emit_refuse(c, "anything yet"); }
int emit_esql(emit_ctx *c) { return emit_refuse(c, "anything yet"); }

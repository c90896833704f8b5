/* convert: mc_query_convert, the façade over src/emit/ — options into
 * emit settings, and the emitter's refusal into an mc_error. */
#include <string.h>

#include "api/api.h"
#include "emit/emit.h"
#include "util/timeutil.h"

const char *mc_convert_target(size_t i)
{
    return emit_target_name(i);
}

static int convert_options(const mc_convert_options *o, emit_opts *eo, mc_error *err)
{
    memset(eo, 0, sizeof *eo);
    if (!o)
        return MC_OK;
    eo->table = o->table;
    if (o->schema && strcmp(o->schema, "ocsf") == 0)
        eo->schema = EMIT_SCHEMA_OCSF;
    else if (o->schema && strcmp(o->schema, "native") != 0)
        return api_fail(err, MC_E_USAGE, "", "unknown schema '%s' (native or ocsf)", o->schema);
    if (o->now && mc_time_parse(o->now, &eo->now_ms))
        return api_fail(err, MC_E_USAGE, "", "'%s' is not an ISO 8601 time", o->now);
    eo->has_now = o->now != NULL;
    if (o->window && (time_parse_duration(o->window, &eo->search_ms) || eo->search_ms <= 0))
        return api_fail(err, MC_E_USAGE, "", "'%s' is not a duration (24h, 7d, 90m)", o->window);
    eo->allow_loss = o->allow_loss;
    eo->lost = o->not_carried;
    eo->lost_arg = o->not_carried_arg;
    return MC_OK;
}

int mc_query_convert(const mc_query *q, const char *target, const mc_convert_options *o,
                     FILE *out, mc_error *err)
{
    emit_opts eo;
    int rc = convert_options(o, &eo, err);
    if (rc)
        return rc;
    char msg[400];
    rc = emit_plan(q->p, target, &eo, out, msg, sizeof msg);
    if (rc == EMIT_NO_TARGET)
        return api_fail(err, MC_E_USAGE, "", "%s", msg);
    if (rc == EMIT_REFUSED)
        return api_fail(err, MC_E_REFUSED, "", "%s", msg);
    return MC_OK;
}

/* view: the LogScale view of non-Falcon input (fields.md §3).
 * On Falcon input a LogScale name is the Falcon field itself. On any other
 * input it reads the canonical field that means the same, so the seed runs
 * on Sysmon or Zeek: `name := if input is falcon then native else view`.
 * Names with no view are read natively from any input. */
#include <string.h>

#include "lang/logscale/check.h"

static expr *canon(ls_check *c, int field)
{
    return plan_ref(c->p, plan_field(c->p, mc_canon_name(field), field));
}

static expr *str_is(ls_check *c, int field, const char *text)
{
    return plan_cmp(c->p, CMP_EQ, canon(c, field), plan_lit_str(c->p, text));
}

static expr *both(ls_check *c, expr *a, expr *b)
{
    expr *k[2] = {a, b};
    return plan_node(c->p, EX_AND, 0, 2, k);
}

/* #event_simpleName for non-Falcon input: outbound connections are
 * NetworkConnectIP4/IP6, inbound NetworkReceiveAcceptIP4/IP6, process
 * starts ProcessRollup2 (fields.md §3 decision). */
static expr *view_event_name(ls_check *c)
{
    char err[200];
    expr *v6 = plan_regex(c->p, canon(c, MC_C_DST_IP), ":", 0, err, sizeof err);
    expr *conn = str_is(c, MC_C_KIND, "conn");
    expr *k[9] = {
        both(c, both(c, conn, str_is(c, MC_C_DIRECTION, "out")), v6),
        plan_lit_str(c->p, "NetworkConnectIP6"),
        both(c, conn, str_is(c, MC_C_DIRECTION, "out")), plan_lit_str(c->p, "NetworkConnectIP4"),
        both(c, both(c, conn, str_is(c, MC_C_DIRECTION, "in")), v6),
        plan_lit_str(c->p, "NetworkReceiveAcceptIP6"),
        both(c, conn, str_is(c, MC_C_DIRECTION, "in")),
        plan_lit_str(c->p, "NetworkReceiveAcceptIP4"),
        str_is(c, MC_C_KIND, "proc"),
    };
    expr *k2[10];
    memcpy(k2, k, sizeof k);
    k2[9] = plan_lit_str(c->p, "ProcessRollup2");
    return plan_node(c->p, EX_CASE, 0, 10, k2);
}

/* ContextTimeStamp is decimal seconds; canonical time is ms. */
static expr *view_seconds(ls_check *c)
{
    expr *k[2] = {plan_call(c->p, FN_FLOAT, canon(c, MC_C_TIME)), plan_lit_int(c->p, 1000)};
    return plan_node(c->p, EX_ARITH, AR_DIV, 2, k);
}

static expr *view_direction(ls_check *c)
{
    expr *k[4] = {str_is(c, MC_C_DIRECTION, "out"), plan_lit_str(c->p, "0"),
                  str_is(c, MC_C_DIRECTION, "in"), plan_lit_str(c->p, "1")};
    return plan_node(c->p, EX_CASE, 0, 4, k);
}

static const struct {
    const char *name;
    int canon;                    /* -1: built by `build` */
    expr *(*build)(ls_check *c);
} views[] = {
    {"#event_simpleName", -1, view_event_name},
    {"event_simpleName", -1, view_event_name},
    {"ContextTimeStamp", -1, view_seconds},
    {"ConnectionDirection", -1, view_direction},
    {"@timestamp", MC_C_TIME, NULL},
    {"ComputerName", MC_C_HOST, NULL},
    {"ImageFileName", MC_C_PROC_PATH, NULL},
    {"ContextBaseFileName", MC_C_PROC_NAME, NULL},
    {"FileName", MC_C_PROC_NAME, NULL},
    {"CommandLine", MC_C_CMDLINE, NULL},
    {"UserName", MC_C_USER, NULL},
    {"LocalAddressIP4", MC_C_SRC_IP, NULL},
    {"LocalAddressIP6", MC_C_SRC_IP, NULL},
    {"LocalPort", MC_C_SRC_PORT, NULL},
    {"RemoteAddressIP4", MC_C_DST_IP, NULL},
    {"RemoteAddressIP6", MC_C_DST_IP, NULL},
    {"RemotePort", MC_C_DST_PORT, NULL},
    {"Protocol", MC_C_TRANSPORT, NULL},
};

int ls_view_field(ls_check *c, const char *name, const ls_ast *at)
{
    for (size_t i = 0; i < sizeof views / sizeof views[0]; i++) {
        if (strcmp(views[i].name, name) != 0)
            continue;
        int native = plan_field_view(c->p, name, "falcon", -1);
        if (native < 0)
            ls_fail(c, at, "too many fields (at most %d)", PLAN_MAX_FIELDS);
        expr *other = views[i].build ? views[i].build(c) : canon(c, views[i].canon);
        expr *k[3] = {plan_family(c->p, "falcon"), plan_ref(c->p, native), other};
        return ls_add_eval(c, name, plan_node(c->p, EX_CASE, 0, 3, k), at);
    }
    return -1;
}


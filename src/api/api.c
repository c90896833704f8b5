/* api: engines, queries, inputs and the small helpers of include/mailc2.h —
 * the façade over the layers. Nothing here decides detection semantics; it
 * turns the public values into the layers' own and back. */
#include "api/api.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input/decoder.h"
#include "lang/builtin.h"
#include "lang/lang.h"
#include "util/timeutil.h"

int api_fail(mc_error *err, int code, const char *file, const char *fmt, ...)
{
    if (!err)
        return code;
    memset(err, 0, sizeof *err);
    err->code = code;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}

void api_log_line(void *ud, const char *line)
{
    const api_log *l = ud;
    if (l->e->o.log)
        l->e->o.log(l->e->o.log_ud, l->kind, line);
}

void mc_options_init(mc_options *o)
{
    memset(o, 0, sizeof *o);
    o->now_ms = time_now_ms();
    o->max_errors = 10;
    o->max_record = 64u << 20;
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    o->max_memory = pages > 0 && page > 0 ? (uint64_t)pages * (uint64_t)page / 2 : 0;
    o->max_groups = 10000000;
    o->regex_limit = 1000000;
    o->temp_dir = getenv("TMPDIR"); /* the convention; read here, once, and passed on */
}

mc_engine *mc_engine_open(const mc_options *o, mc_error *err)
{
    mc_engine *e = xcalloc(1, sizeof *e);
    char why[512];
    if (input_settings_init(&e->settings, o->local_nets, o->field_map, why, sizeof why)) {
        api_fail(err, MC_E_USAGE, NULL, "%s", why);
        free(e);
        return NULL;
    }
    e->o = *o;
    e->o.local_nets = e->o.field_map = NULL; /* parsed into settings, which own copies */
    e->o.profiles = NULL;                      /* read into e->tune */
    for (size_t i = 0; i < o->nprofiles; i++) {
        int line, col;
        if (tune_load(&e->tune, o->profiles[i], why, sizeof why, &line, &col)) {
            api_fail(err, MC_E_USAGE, o->profiles[i], "%s", why);
            err->line = line;
            err->column = col;
            mc_engine_close(e);
            return NULL;
        }
    }
    return e;
}

void mc_engine_close(mc_engine *e)
{
    if (!e)
        return;
    input_settings_free(&e->settings);
    tune_free(&e->tune);
    free(e);
}

/* A rule warning, printed whole (with its caret) into one message. */
static void warn(void *ud, const lang_src *src, int line, int col, const char *msg)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem)
        return;
    lang_warn_print(mem, src, line, col, msg);
    fclose(mem);
    if (len && text[len - 1] == '\n')
        text[len - 1] = '\0';
    api_log l = {ud, MC_LOG_WARN};
    api_log_line(&l, text);
    free(text);
}

mc_query *mc_compile(mc_engine *e, const char *lang, const char *name, const char *text,
                     size_t len, mc_error *err)
{
    const frontend *fe = frontend_find(lang, name);
    if (!fe) {
        if (lang)
            api_fail(err, MC_E_USAGE, name, "--lang %s: unknown language (logscale, aql or sigma)", lang);
        else
            api_fail(err, MC_E_USAGE, name, "%s: cannot tell the rule's language from its "
                     "extension; use --lang logscale or --lang aql (or --lang sigma)", name);
        return NULL;
    }
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        /* Front ends read NUL-terminated text: the rest would be unseen. */
        api_fail(err, MC_E_RULE, name, "a NUL byte in the rule text; a rule is text");
        err->line = 1;
        for (const char *c = text; c < nul; c++)
            err->line += *c == '\n';
        const char *bol = nul;
        while (bol > text && bol[-1] != '\n')
            bol--;
        err->column = (int)(nul - bol) + 1;
        return NULL;
    }
    char *copy = xmalloc(len + 1); /* front ends read NUL-terminated text */
    memcpy(copy, text, len);
    copy[len] = '\0';
    lang_src src = {name, copy, len};
    lang_opts lo = {e->o.log ? warn : NULL, e};
    lang_error le = {0};
    plan *p = fe->compile(&src, &lo, &le);
    if (!p) {
        free(copy);
        api_fail(err, MC_E_RULE, name, "%s", le.msg);
        err->line = le.line;
        err->column = le.col;
        return NULL;
    }
    mc_query *q = xcalloc(1, sizeof *q);
    q->p = p;
    q->threshold = -1;
    q->text = copy; /* kept for mc_query_lint's positions */
    q->len = len;
    q->name = xstrdup(name ? name : "rule");
    return q;
}

/* `allow` is a copy of o->allow that h points into (parsing cuts it). */
static int hunt_option(hunt_params *h, const mc_hunt_options *o, char *allow, mc_error *err)
{
    char why[200], *end;
    if (o->ports && hunt_parse_ports(h, o->ports, why, sizeof why))
        return api_fail(err, MC_E_USAGE, NULL, "%s", why);
    if (allow && hunt_parse_allow(h, allow, why, sizeof why))
        return api_fail(err, MC_E_USAGE, NULL, "%s", why);
    if (o->threshold) {
        h->threshold = strtoll(o->threshold, &end, 10);
        if (end == o->threshold || *end || h->threshold < 0)
            return api_fail(err, MC_E_USAGE, NULL, "--threshold: '%s' is not a whole number >= 0",
                            o->threshold);
    }
    if (o->window && (time_parse_duration(o->window, &h->window_ms) || h->window_ms <= 0))
        return api_fail(err, MC_E_USAGE, NULL, "--window: '%s' is not a duration like 90m, "
                        "24h or 7d", o->window);
    return 0;
}

/* --min-score and --sort: how the findings are ranked (src/triage/). */
static int triage_option(mc_query *q, const mc_hunt_options *o, mc_error *err)
{
    char *end;
    if (o->min_score) {
        q->min_score = strtoll(o->min_score, &end, 10);
        if (end == o->min_score || *end || q->min_score < 0 || q->min_score > 100)
            return api_fail(err, MC_E_USAGE, NULL, "--min-score: '%s' is not a whole number "
                            "from 0 to 100", o->min_score);
    }
    if (o->sort && strcmp(o->sort, "score") && strcmp(o->sort, "count"))
        return api_fail(err, MC_E_USAGE, NULL, "--sort: '%s' is neither score nor count",
                        o->sort);
    q->by_count = o->sort && strcmp(o->sort, "count") == 0;
    return 0;
}

mc_query *mc_hunt(mc_engine *e, const mc_hunt_options *o, mc_error *err)
{
    (void)e;
    hunt_params h;
    hunt_params_default(&h);
    static const mc_hunt_options none;
    o = o ? o : &none;
    char *allow = NULL;
    if (o->allow) {
        allow = xmalloc(strlen(o->allow) + 1);
        strcpy(allow, o->allow);
    }
    mc_query *q = NULL;
    if (hunt_option(&h, o, allow, err) == 0) {
        q = xcalloc(1, sizeof *q);
        q->window_ms = h.window_ms;
        q->threshold = h.threshold;
        if (triage_option(q, o, err)) {
            free(q);
            q = NULL;
        } else {
            q->p = builtin_plan(&h); /* copies the names */
        }
    }
    free(allow);
    return q;
}

void mc_query_explain(const mc_query *q, FILE *out)
{
    plan_print(q->p, out);
}

void mc_query_free(mc_query *q)
{
    if (!q)
        return;
    plan_free(q->p);
    free(q->text);
    free(q->name);
    free(q);
}

void mc_error_print(const mc_error *err, const char *text, size_t len, FILE *out)
{
    lang_src src = {err->file, text ? text : "", text ? len : 0};
    lang_error le = {err->line, err->column, ""};
    snprintf(le.msg, sizeof le.msg, "%.*s", (int)sizeof le.msg - 1, err->message);
    lang_error_print(&src, &le, out);
}

mc_input mc_input_path(const char *path)
{
    return (mc_input){MC_INPUT_PATH, path, NULL, 0, NULL, NULL};
}

mc_input mc_input_memory(const char *name, const void *data, size_t len)
{
    return (mc_input){MC_INPUT_MEMORY, name, data, len, NULL, NULL};
}

mc_input mc_input_stream(const char *name, long (*read)(void *, void *, size_t), void *ud)
{
    return (mc_input){MC_INPUT_STREAM, name, NULL, 0, read, ud};
}

int64_t mc_time_now_ms(void)
{
    return time_now_ms();
}

int mc_time_parse(const char *text, int64_t *ms)
{
    return time_parse_iso(text, strlen(text), ms) ? -1 : 0;
}

static const decoder *format_at(size_t i)
{
    const decoder *const *all = decoder_all();
    for (size_t k = 0; all[k]; k++)
        if (k == i)
            return all[k];
    return NULL;
}

const char *mc_format_name(size_t i)
{
    const decoder *d = format_at(i);
    return d ? d->name : NULL;
}

const char *mc_format_describe(size_t i)
{
    const decoder *d = format_at(i);
    return d ? d->describe : NULL;
}

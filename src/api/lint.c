/* lint: mc_query_lint and mc_lint_write, the façade over src/lint/ — the
 * query's plan and kept text into a lint run, --format-of's format name
 * into its source family, and each warning out as text or a JSON line. */
#include <string.h>

#include "api/api.h"
#include "input/decoder.h"
#include "lint/lint.h"

/* The source family of input format `name`, or NULL. */
static const char *family_of(const char *name)
{
    for (const decoder *const *d = decoder_all(); *d; d++)
        if (strcmp((*d)->name, name) == 0)
            return decoder_family(*d);
    return NULL;
}

int mc_query_lint(const mc_query *q, const mc_lint_options *o, mc_lint_fn fn, void *ud,
                  mc_error *err)
{
    const char *format = o ? o->format_of : NULL;
    const char *family = format ? family_of(format) : NULL;
    if (format && !family)
        return api_fail(err, MC_E_USAGE, "", "--format-of %s: no such input format (mailc2 "
                        "formats lists them)", format);
    const char *file = q->name ? q->name : "builtin";
    lint_src src = {file, q->text, q->len};
    lint_list found = {0};
    size_t n = lint_plan(q->p, &src, format, family, &found);
    for (size_t i = 0; i < n && fn; i++) {
        const lint_warning *w = &found.w[i];
        mc_lint_warning pub = {w->id, file, w->line, w->col, w->msg, w->fix};
        fn(ud, &pub);
    }
    lint_list_free(&found);
    return (int)n;
}

/* Through the logger's formatting, so that control characters a rule or
 * file name holds are shown as \xNN, never sent raw to a terminal. */
static void write_text(const mc_lint_warning *w, FILE *out)
{
    logger l = {log_to_file, out};
    if (w->line > 0)
        log_line(&l, "%s:%d:%d: warning: %s [%s]", w->file, w->line, w->column, w->message,
                 w->id);
    else
        log_line(&l, "%s: warning: %s [%s]", w->file, w->message, w->id);
    log_line(&l, "  fix: %s", w->fix);
}

static void json_member(const char *key, const char *value, FILE *out)
{
    fprintf(out, ",\"%s\":", key);
    out_json_string(value, strlen(value), out);
}

static void write_json(const mc_lint_warning *w, FILE *out)
{
    fputs("{\"file\":", out);
    out_json_string(w->file, strlen(w->file), out);
    if (w->line > 0)
        fprintf(out, ",\"line\":%d,\"column\":%d", w->line, w->column);
    else
        fputs(",\"line\":null,\"column\":null", out);
    json_member("id", w->id, out);
    json_member("message", w->message, out);
    json_member("fix", w->fix, out);
    fputs("}\n", out);
}

int mc_lint_write(const mc_lint_warning *w, const char *format, FILE *out)
{
    if (format && strcmp(format, "jsonl") == 0)
        write_json(w, out);
    else if (!format || strcmp(format, "text") == 0)
        write_text(w, out);
    else
        return -1;
    return ferror(out) ? -1 : 0;
}

/* emit_table: the runner the emitter tables share (test_emit_aql.c,
 * test_emit_logscale.c, test_emit_sigma.c): each row is a plan, a target,
 * the options, and what must come out — text the query holds, or the
 * refusal's words, and the parts --allow-loss names, in order, joined by
 * "; ". Included by one test file each; everything here is static. */
#ifndef MAILC2_TESTS_EMIT_TABLE_H
#define MAILC2_TESTS_EMIT_TABLE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "emit/emit.h"

/* --now for rows that set has_now: 2026-01-01T00:00:00Z */
#define EMIT_TABLE_NOW 1767225600000

typedef struct emit_row {
    const char *why;
    plan *(*build)(void);
    const char *target;
    int allow_loss, has_now;
    const char *want;   /* the text holds this; with "cannot express", the refusal */
    const char *lost;   /* the parts named; NULL: none */
} emit_row;

static void emit_table_lost(const char *what, void *arg)
{
    char *all = arg;
    size_t n = strlen(all);
    snprintf(all + n, 2000 - n, "%s%s", n ? "; " : "", what);
}

static void emit_table_run(const emit_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const emit_row *r = &rows[i];
        plan *p = r->build();
        char *text = NULL, err[400] = "", named[2000] = "";
        size_t len = 0;
        FILE *out = open_memstream(&text, &len);
        emit_opts o = {.allow_loss = r->allow_loss, .has_now = r->has_now,
                       .now_ms = EMIT_TABLE_NOW, .lost = emit_table_lost, .lost_arg = named};
        int rc = emit_plan(p, r->target, &o, out, err, sizeof err);
        fclose(out);
        int ok = strstr(r->want, "cannot express")
                     ? rc == EMIT_REFUSED && len == 0 && strstr(err, r->want)
                     : rc == EMIT_OK && strstr(text, r->want) &&
                           strcmp(named, r->lost ? r->lost : "") == 0;
        if (!ok)
            fail_msg("%s (%s): rc %d %s\nwant: %s\nlost: %s\ngot:\n%s\nnamed: %s", r->why,
                     r->target, rc, err, r->want, r->lost, text, named);
        free(text);
        plan_free(p);
    }
}

#endif

/* decode_util: what the decoder tests share. A test binds a decoder to every
 * canonical field plus a few native names, feeds it lines as the driver
 * would (header lines included), and checks the row by field name. */
#ifndef MAILC2_TEST_DECODE_UTIL_H
#define MAILC2_TEST_DECODE_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "input/decoder.h"
#include "input/formats.h"

enum { T_MAX = MC_C__COUNT + 16 };

typedef struct tdec {
    const decoder *dec;
    void *state;
    input_settings settings;
    mc_field_req fields[T_MAX];
    int nfields;
    mc_value row[T_MAX];
    arena scratch;
    char err[256];
    int rc;
} tdec;

/* The default settings (local networks, no --map), for probes. */
static inline const input_settings *t_defaults(void)
{
    static input_settings s;
    static int ready;
    char err[200];
    if (!ready)
        ready = input_settings_init(&s, NULL, NULL, err, sizeof err) == 0;
    return &s;
}

/* Binds every canonical field, then the native names given (NULL-ended),
 * under settings made from `local_nets` and `map` (NULL: defaults). */
static inline void t_open_with(tdec *t, const decoder *dec, const char *const *natives,
                               const char *local_nets, const char *map)
{
    memset(t, 0, sizeof *t);
    t->dec = dec;
    assert_int_equal(input_settings_init(&t->settings, local_nets, map, t->err, sizeof t->err), 0);
    for (int c = 0; c < MC_C__COUNT; c++)
        t->fields[t->nfields++] = (mc_field_req){mc_canon_name(c), c};
    for (int i = 0; natives && natives[i]; i++)
        t->fields[t->nfields++] = (mc_field_req){natives[i], MC_FIELD_NATIVE};
    t->state = dec->bind(t->fields, t->nfields, &t->settings);
    arena_init(&t->scratch);
}

static inline void t_open(tdec *t, const decoder *dec, const char *const *natives)
{
    t_open_with(t, dec, natives, NULL, NULL);
}

static inline void t_close(tdec *t)
{
    t->dec->unbind(t->state);
    input_settings_free(&t->settings);
    arena_free(&t->scratch);
}

static inline int t_line(tdec *t, const char *line)
{
    arena_reset(&t->scratch);
    t->err[0] = '\0';
    t->rc = t->dec->decode(t->state, line, strlen(line), t->row, &t->scratch, t->err,
                           sizeof t->err);
    return t->rc;
}

static inline const mc_value *t_get(const tdec *t, const char *name)
{
    for (int i = 0; i < t->nfields; i++)
        if (strcmp(t->fields[i].name, name) == 0)
            return &t->row[i];
    fail_msg("no field %s bound", name);
    return NULL;
}

/* The field as text for comparison: "-" for NULL, numbers in decimal. */
static inline const char *t_text(tdec *t, const char *name)
{
    static char buf[512];
    const mc_value *v = t_get(t, name);
    switch (v->type) {
    case MC_NULL: return "-";
    case MC_STR: case MC_IP:
        snprintf(buf, sizeof buf, "%.*s", (int)v->len, v->u.s);
        return buf;
    case MC_FLOAT:
        snprintf(buf, sizeof buf, "%g", v->u.f);
        return buf;
    default:
        snprintf(buf, sizeof buf, "%lld", (long long)v->u.i);
        return buf;
    }
}

/* Is the row's kind `kind`? */
static inline int value_kind(tdec *t, const char *kind)
{
    return strcmp(t_text(t, "kind"), kind) == 0;
}

/* Checks "name=value|name=value..." against the row; types are checked
 * for canonical fields (fields.md §1). */
static inline void t_expect(tdec *t, const char *spec)
{
    char copy[2048];
    snprintf(copy, sizeof copy, "%s", spec);
    for (char *save = NULL, *kv = strtok_r(copy, "|", &save); kv; kv = strtok_r(NULL, "|", &save)) {
        char *eq = strchr(kv, '=');
        assert_non_null(eq);
        *eq = '\0';
        const char *got = t_text(t, kv);
        if (strcmp(got, eq + 1) != 0)
            fail_msg("%s: %s = '%s', want '%s'", t->dec->name, kv, got, eq + 1);
    }
    static const struct { int canon; uint8_t type; } types[] = {
        {MC_C_TIME, MC_TS}, {MC_C_SRC_PORT, MC_INT}, {MC_C_DST_PORT, MC_INT},
        {MC_C_SRC_IP, MC_IP}, {MC_C_DST_IP, MC_IP}, {MC_C_TRANSPORT, MC_INT},
        {MC_C_BYTES_OUT, MC_INT}, {MC_C_BYTES_IN, MC_INT}, {MC_C_HOST, MC_STR},
        {MC_C_USER, MC_STR}, {MC_C_PROC_PATH, MC_STR}, {MC_C_PROC_NAME, MC_STR},
        {MC_C_KIND, MC_STR}, {MC_C_DIRECTION, MC_STR}, {MC_C_APP_PROTO, MC_STR},
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        uint8_t got = t->row[types[i].canon].type;
        if (got != MC_NULL && got != types[i].type)
            fail_msg("%s: %s has type %d, want %d", t->dec->name,
                     mc_canon_name(types[i].canon), got, types[i].type);
    }
}

/* The line must be bad, with `what` in the message. */
static inline void t_bad(tdec *t, const char *line, const char *what)
{
    if (t_line(t, line) != DECODE_BAD)
        fail_msg("%s: '%.60s' decoded (rc %d), want bad", t->dec->name, line, t->rc);
    if (!strstr(t->err, what))
        fail_msg("%s: message '%s' lacks '%s'", t->dec->name, t->err, what);
}

static inline void t_ok(tdec *t, const char *line, const char *spec)
{
    if (t_line(t, line) != DECODE_OK)
        fail_msg("%s: '%.80s' rc %d: %s", t->dec->name, line, t->rc, t->err);
    t_expect(t, spec);
}

/* Every proper prefix of a good line is bad or (for header-driven formats)
 * still decodes; none may crash. Returns how many prefixes were bad. */
static inline int t_truncations(tdec *t, const char *line)
{
    size_t len = strlen(line);
    int bad = 0;
    for (size_t n = 1; n < len; n++) {
        char *buf = malloc(n); /* exactly n bytes, so that ASan sees any overread */
        memcpy(buf, line, n);
        arena_reset(&t->scratch);
        bad += t->dec->decode(t->state, buf, n, t->row, &t->scratch, t->err, sizeof t->err) ==
               DECODE_BAD;
        free(buf);
    }
    return bad;
}

#endif

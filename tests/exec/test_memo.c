/* Answers kept per value (exec/memo.h), and the executor's steps that use
 * them: a memo gives back what was stored for the same value only (type
 * and bytes), forgets a value another takes the place of, and keeps no
 * text longer than its bound; a plan's filters and CASE evals give, event
 * by event, what evaluating each step's expression afresh gives, over
 * values that repeat in any order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "exec/exec.h"
#include "exec/memo.h"
#include "lang/logscale/logscale.h"

static void test_memo_table(void **state)
{
    (void)state;
    value_memo m = {0};
    static const char text[] = "NetworkConnectIP4";
    const mc_value vals[] = {
        mc_int(MC_INT, 25), mc_int(MC_INT, 0), mc_int(MC_INT, MEMO_SMALL - 1),
        mc_int(MC_INT, MEMO_SMALL), mc_int(MC_INT, -1), mc_int(MC_TS, 25),
        mc_str(MC_STR, text, sizeof text - 1), mc_str(MC_IP, text, sizeof text - 1),
        mc_str(MC_STR, text, 7), mc_str(MC_STR, "25", 2), mc_null(), mc_bool(1),
    };
    size_t n = sizeof vals / sizeof vals[0];
    for (size_t i = 0; i < n; i++) {
        uint8_t *a = memo_answer(&m, vals[i]);
        assert_non_null(a);
        assert_int_equal(*a, 0); /* new: not known */
        *a = (uint8_t)(1 + i);
    }
    /* Each value its own answer, whatever else was stored since, unless a
     * later value took its place (then it is not known, never another's). */
    int kept = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t *a = memo_answer(&m, vals[i]);
        assert_non_null(a);
        if (*a)
            assert_int_equal(*a, 1 + i);
        kept += *a != 0;
    }
    assert_true(kept >= (int)n - 2);
    /* A text past the bound is not kept; one at it is. */
    char big[MEMO_BYTES + 1];
    memset(big, 'x', sizeof big);
    assert_null(memo_answer(&m, mc_str(MC_STR, big, MEMO_BYTES + 1)));
    uint8_t *a = memo_answer(&m, mc_str(MC_STR, big, MEMO_BYTES));
    assert_non_null(a);
    *a = 9;
    assert_int_equal(*memo_answer(&m, mc_str(MC_STR, big, MEMO_BYTES)), 9);
    /* Many texts: each answer found is its own. */
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < 5000; i++) {
            char t[32];
            int len = snprintf(t, sizeof t, "image-%d.exe", i);
            uint8_t *b = memo_answer(&m, mc_str(MC_STR, t, (size_t)len));
            if (*b && *b != 1 + i % 200)
                fail_msg("%s: answer %d, want %d", t, *b, 1 + i % 200);
            *b = (uint8_t)(1 + i % 200);
        }
    memo_free(&m);
}

static const char query[] =
    "in(field=RemotePort, values=[25, 465, 587])\n"
    "| !regex(field=ImageFileName, regex=\"(?i)(outlook|thunderbird)\\\\.exe$\")\n"
    "| Protocol := case { in(field=RemotePort, values=[25, 587]) => \"SMTP\";"
    " RemotePort=465 => lower(ImageFileName); * => \"other\" }\n"
    "| Kind := case { ImageFileName=/^nc/ => \"raw\" }";

static int slot_of(const plan *p, const char *name)
{
    for (int s = 0; s < p->nslots; s++)
        if (p->slot_name[s] && !strcmp(p->slot_name[s], name))
            return s;
    fail_msg("no slot %s", name);
    return -1;
}

/* What the plan's steps give on row r, each evaluated in full: 1 when
 * every filter passes (r then holds the evals' values). */
static int direct(const plan *p, mc_value *r, expr_ctx *c)
{
    for (int s = 0; s < p->nsteps; s++) {
        const plan_step *st = &p->steps[s];
        if (st->slot >= 0)
            r[st->slot] = expr_eval(st->e, r, c);
        else if (st->slot == STEP_FILTER && !expr_true(st->e, r, c))
            return 0;
    }
    return 1;
}

static void text_of(const mc_value *v, char *buf, size_t cap)
{
    const char *s;
    size_t len;
    char num[64];
    if (value_format(v, num, &s, &len)) {
        snprintf(buf, cap, "<null>");
        return;
    }
    snprintf(buf, cap, "%d:%.*s", v->type, (int)len, s);
}

static void test_memo_steps(void **state)
{
    (void)state;
    lang_src src = {"q", query, strlen(query)};
    lang_opts lo = {.warn = NULL};
    lang_error e = {0};
    plan *p = ls_compile(&src, &lo, &e);
    assert_non_null(p);
    int port = slot_of(p, "RemotePort"), image = slot_of(p, "ImageFileName");
    int proto = slot_of(p, "Protocol"), kind = slot_of(p, "Kind");
    exec_opts o = {0};
    exec_worker w;
    exec_worker_init(&w, p, &o);
    arena scratch;
    arena_init(&scratch);
    expr_ctx c;
    expr_ctx_init(&c, &scratch, 0, 0);
    mc_value *r = calloc((size_t)p->nslots + 1, sizeof *r);
    static const char *const images[] = {"C:\\\\x\\\\OUTLOOK.EXE", "nc", "ncat.exe", "a.exe",
                                         "thunderbird.exe.bak", "", "NC"};
    char ptext[16];
    unsigned seed = 7;
    uint64_t want = 0;
    for (int i = 0; i < 20000; i++) {
        seed = seed * 1103515245u + 12345u;
        int pv = (int)(seed >> 8) % 6;
        static const int ports[] = {25, 465, 587, 110, 70000, -25};
        mc_value pval;
        if ((seed >> 20) % 3 == 0) {
            int len = snprintf(ptext, sizeof ptext, "%d", ports[pv]);
            pval = mc_str(MC_STR, ptext, (size_t)len);
        } else {
            pval = mc_int(MC_INT, ports[pv]);
        }
        const char *img = images[(seed >> 12) % 7];
        mc_value ival = (seed >> 24) % 9 == 0 ? mc_null() : mc_str(MC_STR, img, strlen(img));
        memset(r, 0, sizeof *r * (size_t)p->nslots);
        memset(w.row, 0, sizeof *w.row * (size_t)p->nslots);
        r[port] = w.row[port] = pval;
        r[image] = w.row[image] = ival;
        arena_reset(&scratch);
        arena_reset(&w.scratch);
        size_t before = w.rows->nrows;
        exec_event(&w);
        int pass = direct(p, r, &c);
        want += (uint64_t)pass;
        if ((w.rows->nrows > before) != pass)
            fail_msg("event %d: executor %s, direct %s", i, w.rows->nrows > before ? "keeps" : "drops",
                     pass ? "keeps" : "drops");
        if (!pass)
            continue;
        const mc_value *got = result_row(w.rows, before);
        for (int k = 0; k < 2; k++) {
            int s = k ? kind : proto;
            char a[160], b[160];
            text_of(&got[s], a, sizeof a);
            text_of(&r[s], b, sizeof b);
            if (strcmp(a, b))
                fail_msg("event %d, %s: executor %s, direct %s", i, p->slot_name[s], a, b);
        }
    }
    assert_true(want > 1000 && want < 20000);
    assert_int_equal(w.st.matched, want);
    free(r);
    expr_ctx_free(&c);
    arena_free(&scratch);
    exec_worker_free(&w);
    plan_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memo_table),
        cmocka_unit_test(test_memo_steps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

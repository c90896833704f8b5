/* Unit tests for the public API (include/mailc2.h), used only through it:
 * a rule compiled and run over events in memory into a caller's sink; rule
 * errors with their place; options checked when an engine opens; and two
 * engines in one process, with different local networks and field maps,
 * each giving its own answer, one after the other and at the same time. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "mailc2.h"

/* Rows as "a|b|c" lines, in order. */
typedef struct collect {
    char text[2048];
    size_t n;
    int began, ended;
} collect;

static int c_begin(void *ud, const char *const *names, size_t ncols)
{
    collect *c = ud;
    c->began++;
    for (size_t i = 0; i < ncols; i++)
        c->n += (size_t)snprintf(c->text + c->n, sizeof c->text - c->n, "%s%s", i ? "|" : "",
                                 names[i]);
    c->n += (size_t)snprintf(c->text + c->n, sizeof c->text - c->n, "\n");
    return 0;
}

static int c_row(void *ud, const mc_row *row)
{
    collect *c = ud;
    char buf[MC_CELL_TEXT_MAX];
    for (size_t i = 0; i < mc_row_ncols(row); i++) {
        size_t len;
        const char *s = mc_cell_text(row, i, buf, &len);
        c->n += (size_t)snprintf(c->text + c->n, sizeof c->text - c->n, "%s%.*s", i ? "|" : "",
                                 (int)len, s);
    }
    c->n += (size_t)snprintf(c->text + c->n, sizeof c->text - c->n, "\n");
    return 0;
}

static int c_end(void *ud)
{
    ((collect *)ud)->ended++;
    return 0;
}

static const mc_sink_ops collect_ops = {c_begin, c_row, c_end, NULL};

/* Runs `rule` (in `lang`) over `events` on an engine with these settings. */
static int run(const char *local, const char *map, const char *lang, const char *rule,
               const char *events, collect *out, mc_report **rep)
{
    mc_options o;
    mc_options_init(&o);
    o.local_nets = local;
    o.field_map = map;
    o.threads = 1;
    mc_error err;
    mc_engine *e = mc_engine_open(&o, &err);
    assert_non_null(e);
    mc_query *q = mc_compile(e, lang, "rule", rule, strlen(rule), &err);
    assert_non_null(q);
    memset(out, 0, sizeof *out);
    mc_sink *s = mc_sink_new(&collect_ops, out);
    mc_input in = mc_input_memory("events", events, strlen(events));
    int rc = mc_run(e, q, &in, 1, s, rep, &err);
    mc_sink_free(s);
    mc_query_free(q);
    mc_engine_close(e);
    return rc;
}

static void test_memory_run(void **state)
{
    (void)state;
    static const char events[] =
        "{\"event_simpleName\":\"NetworkConnectIP4\",\"ComputerName\":\"a\",\"RemotePort\":\"25\"}\n"
        "{\"event_simpleName\":\"NetworkConnectIP4\",\"ComputerName\":\"a\",\"RemotePort\":\"25\"}\n"
        "not json\n"
        "{\"event_simpleName\":\"NetworkConnectIP4\",\"ComputerName\":\"b\",\"RemotePort\":\"443\"}\n";
    collect c;
    mc_report *r;
    /* No line is skipped unparsed (driver/prefilter.h): the whole line is
     * no field the prefilter reads, and the one test it has, the group's
     * host not NULL, cannot drop a line (where the key is absent, a join
     * table may give it). Every record is counted, the bad one too. */
    assert_int_equal(run(NULL, NULL, "logscale", "@rawstring != /\"443\"/ | groupBy([ComputerName])",
                         events, &c, &r), MC_OK);
    assert_string_equal(c.text, "ComputerName|_count\na|2\n");
    assert_int_equal(c.began, 1);
    assert_int_equal(c.ended, 1);
    assert_int_equal(mc_report_count(r, MC_COUNT_EVENTS), 3);
    assert_int_equal(mc_report_count(r, MC_COUNT_BAD), 1);
    assert_int_equal(mc_report_count(r, MC_COUNT_ROWS), 1);
    assert_non_null(strstr(mc_report_note(r, 0), "3 events, 1 bad records, 1 findings"));
    mc_report_free(r);
}

static void test_errors(void **state)
{
    (void)state;
    mc_options o;
    mc_options_init(&o);
    o.local_nets = "10.0.0.0/99";
    mc_error err;
    assert_null(mc_engine_open(&o, &err));
    assert_int_equal(err.code, MC_E_USAGE);
    assert_non_null(strstr(err.message, "10.0.0.0/99"));
    o.local_nets = NULL;
    o.field_map = "srcip=a";
    assert_null(mc_engine_open(&o, &err));
    assert_non_null(strstr(err.message, "'srcip' is not a canonical field"));
    o.field_map = NULL;
    mc_engine *e = mc_engine_open(&o, &err);
    static const char bad[] = "SELECT username FROM events\nLIMIT 5 WHERE x = 1";
    assert_null(mc_compile(e, "aql", "bad.aql", bad, strlen(bad), &err));
    assert_int_equal(err.code, MC_E_RULE);
    assert_string_equal(err.file, "bad.aql");
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 9);
    assert_null(mc_compile(e, NULL, "rule.txt", "x", 1, &err));
    assert_int_equal(err.code, MC_E_USAGE);
    mc_engine_close(e);
}

/* The same CSV, read through two engines. Hand count: the connection is
 * 10.0.0.1 -> 192.168.1.1, columns p=25 and q=993. With local 10/8 the
 * source is local and the destination not: L2R; with 192.168/16 the
 * reverse: R2L. The map says which column is the port. */
static const char csv[] = "s,d,p,q\n10.0.0.1,192.168.1.1,25,993\n";
static const char aql[] = "SELECT eventdirection, destinationport, COUNT(*) AS n FROM events "
                          "GROUP BY eventdirection, destinationport";
static const char want_a[] = "eventdirection|destinationport|n\nL2R|25|1\n";
static const char want_b[] = "eventdirection|destinationport|n\nR2L|993|1\n";

typedef struct job {
    const char *local, *map;
    collect c;
} job;

static void *run_job(void *arg)
{
    job *j = arg;
    for (int i = 0; i < 20; i++)
        if (run(j->local, j->map, "aql", aql, csv, &j->c, NULL) != MC_OK)
            break;
    return NULL;
}

static void test_two_engines(void **state)
{
    (void)state;
    job a = {.local = "10.0.0.0/8", .map = "src_ip=s,dst_ip=d,dst_port=p"};
    job b = {.local = "192.168.0.0/16", .map = "src_ip=s,dst_ip=d,dst_port=q"};
    assert_int_equal(run(a.local, a.map, "aql", aql, csv, &a.c, NULL), MC_OK);
    assert_int_equal(run(b.local, b.map, "aql", aql, csv, &b.c, NULL), MC_OK);
    assert_string_equal(a.c.text, want_a);
    assert_string_equal(b.c.text, want_b);
    pthread_t ta, tb;
    pthread_create(&ta, NULL, run_job, &a);
    pthread_create(&tb, NULL, run_job, &b);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    assert_string_equal(a.c.text, want_a);
    assert_string_equal(b.c.text, want_b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memory_run),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_two_engines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

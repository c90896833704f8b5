/* Unit tests for src/driver/: the same events give the same answer from a
 * file, a memory buffer and a callback stream, on one thread or several;
 * line numbers in bad-record messages stay exact across block boundaries
 * (blocks are 1 MiB), also after a line longer than a block; a stream that
 * needs the first pass (--now latest) is read once and still answers; a
 * whole-file format given as memory or a stream is refused with a message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "driver/run.h"
#include "lang/logscale/logscale.h"
#include "output/sink.h"

enum { EVENTS = 6000, BAD_AT = 4321 };

/* Falcon events, padded so that the text crosses several 1 MiB blocks; line
 * BAD_AT is not JSON. */
static char *make_events(size_t *len)
{
    size_t cap = (size_t)EVENTS * 400, n = 0;
    char *text = malloc(cap);
    char pad[200];
    memset(pad, 'x', sizeof pad - 1);
    pad[sizeof pad - 1] = '\0';
    for (int i = 1; i <= EVENTS; i++)
        n += (size_t)snprintf(text + n, cap - n, i == BAD_AT ? "{\"broken\n" :
                              "{\"event_simpleName\":\"NetworkConnectIP4\",\"ComputerName\":\"h%d\","
                              "\"RemotePort\":\"%d\",\"ContextTimeStamp\":\"17954%05d.000\","
                              "\"pad\":\"%s\"}\r\n", i % 7, i % 3 ? 25 : 443, i, pad);
    *len = n;
    return text;
}

typedef struct stream {
    const char *p;
    size_t left;
} stream;

/* Hands out odd-sized pieces, as a pipe would. */
static long pull(void *ud, void *buf, size_t n)
{
    stream *s = ud;
    size_t k = n < 777 ? n : 777;
    k = k < s->left ? k : s->left;
    memcpy(buf, s->p, k);
    s->p += k;
    s->left -= k;
    return (long)k;
}

/* One event, its pad `pad` bytes long (a line may be longer than a block). */
static size_t put_event(char *at, size_t room, int i, size_t pad)
{
    size_t n = (size_t)snprintf(at, room, "{\"event_simpleName\":\"NetworkConnectIP4\","
                                "\"ComputerName\":\"h%d\",\"RemotePort\":\"%d\","
                                "\"ContextTimeStamp\":\"17954%05d.000\",\"pad\":\"",
                                i % 7, i % 3 ? 25 : 443, i);
    memset(at + n, 'y', pad);
    n += pad;
    return n + (size_t)snprintf(at + n, room - n, "\"}\n");
}

enum { LONG_PAD = 3 << 20, LONG_EVENTS = 4000, LONG_BAD = 3, LATE_BAD = 3500 };

/* Line 2 is an event longer than three blocks; lines LONG_BAD and LATE_BAD
 * (the latter past the next block boundary) are not JSON. */
static char *make_long(size_t *len)
{
    size_t cap = (size_t)LONG_PAD + (size_t)LONG_EVENTS * 400, n = 0;
    char *text = malloc(cap);
    for (int i = 1; i <= LONG_EVENTS; i++) {
        if (i == LONG_BAD || i == LATE_BAD)
            n += (size_t)snprintf(text + n, cap - n, "{\"broken\n");
        else
            n += put_event(text + n, cap - n, i, i == 2 ? (size_t)LONG_PAD : 250);
    }
    *len = n;
    return text;
}

typedef struct outcome {
    char *csv;
    char *diag;
    char *log;                  /* notes about whole inputs */
    uint64_t events, bad;
    int rc;
} outcome;

static outcome run_q(const char *q, const run_input *in, int nin, int threads, int now_latest,
                     size_t max_memory)
{
    lang_src src = {"q", q, strlen(q)};
    lang_opts lo = {.warn = NULL};
    lang_error e = {0};
    plan *p = ls_compile(&src, &lo, &e);
    assert_non_null(p);
    outcome oc = {0};
    size_t dlen, clen, llen;
    FILE *dmem = open_memstream(&oc.diag, &dlen);
    FILE *lmem = open_memstream(&oc.log, &llen);
    diag d;
    diag_init(&d, (logger){log_to_file, dmem}, 5);
    input_settings st;
    char err[200];
    assert_int_equal(input_settings_init(&st, NULL, NULL, err, sizeof err), 0);
    run_opts o = {.now_ms = 1795478400000, .now_latest = now_latest, .threads = threads,
                  .max_memory = max_memory, .settings = &st, .diag = &d,
                  .log = {log_to_file, lmem}};
    mc_result *r;
    run_info info;
    oc.rc = run_plan(p, in, nin, &o, &r, &info);
    diag_flush(&d);
    FILE *cmem = open_memstream(&oc.csv, &clen);
    sink csv = sink_text(OUT_CSV, cmem);
    assert_int_equal(sink_write(&csv, r, 1), 0);
    sink_free(&csv);
    fclose(cmem);
    fclose(dmem);
    fclose(lmem);
    oc.events = info.st.events;
    oc.bad = info.st.bad;
    result_free(r);
    input_settings_free(&st);
    plan_free(p);
    return oc;
}

/* Every line is parsed (the whole line is no field the prefilter reads, and
 * the group's host not NULL cannot drop a line: where the key is absent, a
 * join table may give it), so that every bad line is counted and named. */
static outcome run_n(const run_input *in, int nin, int threads, int now_latest)
{
    return run_q("@rawstring != /\"RemotePort\":\"443\"/\n"
                 "| groupBy([ComputerName], function=count())", in, nin, threads, now_latest, 0);
}

static outcome run(const run_input *in, int threads, int now_latest)
{
    return run_n(in, 1, threads, now_latest);
}

static void release(outcome *o)
{
    free(o->csv);
    free(o->diag);
    free(o->log);
}

/* Compares, then frees b. */
static void same(outcome a, outcome b)
{
    assert_string_equal(a.csv, b.csv);
    assert_string_equal(a.diag, b.diag);
    assert_string_equal(a.log, b.log);
    assert_int_equal(a.rc, b.rc);
    assert_int_equal(a.events, b.events);
    assert_int_equal(a.bad, b.bad);
    release(&b);
}

/* A path to a new temporary file holding text[0, len). */
static void write_temp(char *path, const char *text, size_t len)
{
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    close(fd);
}

static void test_sources_agree(void **state)
{
    (void)state;
    size_t len;
    char *text = make_events(&len);
    char path[] = "/tmp/mailc2-driver-XXXXXX";
    write_temp(path, text, len);
    run_input file = {RUN_IN_PATH, path, NULL, 0, NULL, NULL};
    run_input mem = {RUN_IN_MEMORY, path, text, len, NULL, NULL};
    outcome base = run(&file, 1, 0);
    assert_int_equal(base.rc, RUN_OK);
    assert_int_equal(base.events, EVENTS - 1);
    assert_int_equal(base.bad, 1);
    char want[64];
    snprintf(want, sizeof want, "%s:%d: falcon:", path, BAD_AT);
    assert_non_null(strstr(base.diag, want)); /* exact across 1 MiB blocks */
    assert_non_null(strstr(base.csv, "h1,"));
    for (int threads = 1; threads <= 3; threads++) {
        stream s = {text, len};
        run_input str = {RUN_IN_STREAM, path, NULL, 0, pull, &s};
        same(base, run(&mem, threads, 0));
        same(base, run(&file, threads, 0));
        same(base, run(&str, threads, 0));
        stream s2 = {text, len}; /* --now latest: the stream is read once */
        run_input str2 = {RUN_IN_STREAM, path, NULL, 0, pull, &s2};
        outcome latest = run(&file, threads, 1);
        same(latest, run(&str2, threads, 1));
        release(&latest);
    }
    release(&base);
    unlink(path);
    free(text);
}

static void test_long_line(void **state)
{
    (void)state;
    size_t len;
    char *text = make_long(&len);
    char path[] = "/tmp/mailc2-driver-XXXXXX";
    write_temp(path, text, len);
    run_input file = {RUN_IN_PATH, path, NULL, 0, NULL, NULL};
    run_input mem = {RUN_IN_MEMORY, path, text, len, NULL, NULL};
    outcome base = run(&file, 1, 0);
    assert_int_equal(base.rc, RUN_OK);
    assert_int_equal(base.events, LONG_EVENTS - 2);
    assert_int_equal(base.bad, 2);
    char want[64];
    snprintf(want, sizeof want, "%s:%d: falcon:", path, LONG_BAD);
    assert_non_null(strstr(base.diag, want));
    snprintf(want, sizeof want, "%s:%d: falcon:", path, LATE_BAD);
    assert_non_null(strstr(base.diag, want));
    for (int threads = 1; threads <= 3; threads++) {
        stream s = {text, len};
        run_input str = {RUN_IN_STREAM, path, NULL, 0, pull, &s};
        same(base, run(&mem, threads, 0));
        same(base, run(&file, threads, 0));
        same(base, run(&str, threads, 0));
    }
    release(&base);
    unlink(path);
    free(text);
}

/* EVTX is read by its library from a file: memory and streams are refused,
 * with the input named, and the run says an input could not be read. */
static void test_whole_file_needs_file(void **state)
{
    (void)state;
    static const char head[64] = "ElfFile";
    stream s = {head, sizeof head};
    run_input ins[] = {{RUN_IN_MEMORY, "mem.evtx", head, sizeof head, NULL, NULL},
                       {RUN_IN_STREAM, "pipe.evtx", NULL, 0, pull, &s}};
    const char *want[] = {"mailc2: mem.evtx: evtx input cannot be read from memory; give a file",
                          "mailc2: pipe.evtx: evtx input cannot be read from a stream; give a file"};
    for (int i = 0; i < 2; i++) {
        outcome oc = run(&ins[i], 1, 0);
        assert_int_equal(oc.rc, RUN_INPUT_ERROR);
        assert_non_null(strstr(oc.log, want[i]));
        assert_int_equal(oc.events, 0);
        release(&oc);
    }
}

typedef struct unlinking {
    stream s;
    const char *path;   /* removed on the first pull */
} unlinking;

static long pull_unlinking(void *ud, void *buf, size_t n)
{
    unlinking *u = ud;
    if (u->path) {
        unlink(u->path);
        u->path = NULL;
    }
    return pull(&u->s, buf, n);
}

/* Each input is opened once: a file removed after it was opened (here by
 * the stream after it, which runs before either pass) is still read whole
 * by both passes, with no message, as if it were still there. */
static void test_file_removed_between_passes(void **state)
{
    (void)state;
    size_t len;
    char *text = make_events(&len);
    char path[] = "/tmp/mailc2-test-gone-XXXXXX";
    write_temp(path, text, len);
    static const char more[] = "{\"event_simpleName\":\"NetworkConnectIP4\",\"ComputerName\":"
                               "\"late\",\"RemotePort\":\"25\",\"ContextTimeStamp\":"
                               "\"1795400001.000\"}\n";
    for (int th = 1; th <= 3; th++) {
        unlinking u = {{more, sizeof more - 1}, NULL};
        if (th > 1)
            write_temp(strcpy(path, "/tmp/mailc2-test-gone-XXXXXX"), text, len);
        run_input ref[] = {{RUN_IN_MEMORY, path, text, len, NULL, NULL},
                           {RUN_IN_MEMORY, "late", more, sizeof more - 1, NULL, NULL}};
        outcome want = run_n(ref, 2, th, 1);
        u.path = path;
        run_input ins[] = {{RUN_IN_PATH, path, NULL, 0, NULL, NULL},
                           {RUN_IN_STREAM, "late", NULL, 0, pull_unlinking, &u}};
        outcome got = run_n(ins, 2, th, 1);
        assert_int_equal(access(path, F_OK), -1);   /* it really was gone */
        assert_int_equal(got.events, EVENTS);        /* EVENTS - 1 from the file, + 1 */
        assert_int_equal(got.rc, RUN_OK);
        same(want, got);
        release(&want);
    }
    free(text);
}

/* Raw FDR: network events whose process (ProcessRollup2) comes later in
 * the input, and a second ProcessRollup2 of the same process that is read
 * last (its image wins). */
static char *make_fdr(size_t *len)
{
    size_t cap = 4000 * 300, n = 0;
    char *text = malloc(cap);
    for (int i = 0; i < 4000; i++)
        n += (size_t)snprintf(text + n, cap - n, "{\"event_simpleName\":\"NetworkConnectIP4\","
                              "\"aid\":\"a%d\",\"ContextProcessId\":\"%d\",\"RemotePort\":"
                              "\"%d\",\"timestamp\":\"%d\"}\n", i % 5, i % 9, i % 2 ? 25 : 443,
                              1795400000 + i);
    for (int round = 0; round < 2; round++)
        for (int a = 0; a < 5; a++)
            for (int pid = 0; pid < 9; pid++)
                n += (size_t)snprintf(text + n, cap - n, "{\"event_simpleName\":"
                                      "\"ProcessRollup2\",\"aid\":\"a%d\",\"TargetProcessId\":"
                                      "\"%d\",\"ImageFileName\":\"\\\\p%d_%d.exe\"}\n", a, pid,
                                      pid, round);
    *len = n;
    return text;
}

/* The prefilter tests both steps on raw lines, so candidates are held. */
static const char by_image[] = "#event_simpleName=NetworkConnectIP4 | RemotePort=25\n"
                               "| groupBy([ImageFileName], function=count())";

/* One pass: a stream is pulled to its end once however many threads; the
 * join tables built by several threads and merged give the one-thread
 * answer (a process read twice keeps its last record); past the budget of
 * held lines a file is read a second time with the same answer, a stream
 * says the rest was not evaluated. */
static void test_one_pass(void **state)
{
    (void)state;
    size_t len;
    char *text = make_fdr(&len);
    char path[] = "/tmp/mailc2-onepass-XXXXXX";
    write_temp(path, text, len);
    run_input file = {RUN_IN_PATH, path, NULL, 0, NULL, NULL};
    outcome base = run_q(by_image, &file, 1, 1, 1, 0);
    assert_int_equal(base.rc, RUN_OK);
    assert_non_null(strstr(base.csv, "\\p1_1.exe,"));   /* the last record of pid 1 */
    assert_null(strstr(base.csv, "p1_0.exe"));
    assert_null(strstr(base.csv, "\n,"));               /* every event joined */
    for (int th = 1; th <= 3; th++) {
        stream s = {text, len};
        run_input str = {RUN_IN_STREAM, "s", NULL, 0, pull, &s};
        outcome got = run_q(by_image, &str, 1, th, 1, 0);
        assert_int_equal(s.left, 0);
        assert_string_equal(base.csv, got.csv);
        release(&got);
        outcome again = run_q(by_image, &file, 1, th, 1, 400 << 10);
        assert_string_equal(base.csv, again.csv);
        if (!strstr(again.log, "went past half of --max-memory; read a second time"))
            fail_msg("log: %s", again.log);
        release(&again);
        /* Without a prefilter (a regex on the raw line, which no raw key
         * gives) every line is a candidate: a file is read again, not held,
         * and says nothing; a stream is held; the same rows (only the
         * network events of port 25 hold that text). */
        static const char both[] = "@rawstring=/\"RemotePort\":\"25\"/\n"
                                   "| groupBy([ImageFileName], function=count())";
        stream s3 = {text, len};
        run_input str3 = {RUN_IN_STREAM, "s", NULL, 0, pull, &s3};
        outcome twice = run_q(both, &file, 1, th, 1, 0), held = run_q(both, &str3, 1, th, 1, 0);
        assert_string_equal(base.csv, twice.csv);
        assert_string_equal(base.csv, held.csv);
        assert_null(strstr(twice.log, "read a second time"));
        release(&twice);
        release(&held);
        stream s2 = {text, len};
        run_input str2 = {RUN_IN_STREAM, "s", NULL, 0, pull, &s2};
        outcome cut = run_q(by_image, &str2, 1, th, 1, 400 << 10);
        assert_int_equal(cut.rc, RUN_INPUT_ERROR);
        char want_cut[160];
        snprintf(want_cut, sizeof want_cut, "s: its candidate lines went past half of "
                 "--max-memory before the end, so none of its %d lines was evaluated",
                 4000 + 2 * 5 * 9); /* make_fdr's network events and ProcessRollup2 */
        assert_non_null(strstr(cut.log, want_cut));
        release(&cut);
    }
    release(&base);
    unlink(path);
    free(text);
}

enum { ENRICHED = 5000, MIXED_BAD = 2500, LATE_RAW = 90 };

/* Network events that carry their ImageFileName (the first ENRICHED lines,
 * crossing blocks; line MIXED_BAD is cut short, after what the prefilter
 * tests, so it is parsed and bad); with `late`, then LATE_RAW raw
 * ones that lack it and the ProcessRollup2 that names their process. */
static char *make_mixed(int late, size_t *len)
{
    size_t cap = (size_t)(ENRICHED + 2 * LATE_RAW) * 500, n = 0;
    char *text = malloc(cap);
    char pad[300];
    memset(pad, 'z', sizeof pad - 1);
    pad[sizeof pad - 1] = '\0';
    for (int i = 1; i <= ENRICHED; i++)
        n += (size_t)snprintf(text + n, cap - n, i == MIXED_BAD ?
                              "{\"event_simpleName\":\"NetworkConnectIP4\",\"RemotePort\":\"25\",\n" :
                              "{\"event_simpleName\":\"NetworkConnectIP4\",\"aid\":\"a1\","
                              "\"ContextProcessId\":\"%d\",\"ImageFileName\":\"\\\\e%d.exe\","
                              "\"RemotePort\":\"%d\",\"pad\":\"%s\"}\n", i, i % 4,
                              i % 3 ? 25 : 443, pad);
    for (int i = 0; late && i < LATE_RAW; i++)
        n += (size_t)snprintf(text + n, cap - n, "{\"event_simpleName\":\"NetworkConnectIP4\","
                              "\"aid\":\"a2\",\"ContextProcessId\":\"%d\",\"RemotePort\":"
                              "\"25\"}\n", i % 3);
    for (int pid = 0; late && pid < 3; pid++)
        n += (size_t)snprintf(text + n, cap - n, "{\"event_simpleName\":\"ProcessRollup2\","
                              "\"aid\":\"a2\",\"TargetProcessId\":\"%d\","
                              "\"ImageFileName\":\"\\\\r%d.exe\"}\n", pid, pid);
    *len = n;
    return text;
}

/* The count of `image` in a groupBy([ImageFileName]) CSV, or -1. */
static int csv_count(const char *csv, const char *image)
{
    char want[64];
    snprintf(want, sizeof want, "\n%s,", image);
    const char *p = strstr(csv, want);
    return p ? atoi(p + strlen(want)) : -1;
}

/* Join late: a run over files first tries without the join tables (with
 * --now latest too, where the candidates are held and some are probed). Input whose events carry every field needs none: the
 * answer is the one a stream (always gathered, tables built) gives, and
 * nothing is said. Input with raw events late in it (past the first block)
 * stops the try: the run starts over with the tables, says so once, and
 * neither the rows, the bad record nor its message count twice. The counts
 * are checked against the generator's arithmetic: e(k) is the image of
 * events i = 1..ENRICHED, i % 4 = k, i % 3 != 0 (port 25), i != MIXED_BAD;
 * the raw events go to r0..r2, LATE_RAW / 3 each. */
static void test_join_late(void **state)
{
    (void)state;
    int want[4] = {0};
    for (int i = 1; i <= ENRICHED; i++)
        want[i % 4] += i % 3 != 0 && i != MIXED_BAD;
    for (int late = 0; late <= 1; late++) {
        size_t len;
        char *text = make_mixed(late, &len);
        char path[] = "/tmp/mailc2-late-XXXXXX";
        write_temp(path, text, len);
        run_input file = {RUN_IN_PATH, path, NULL, 0, NULL, NULL};
        for (int th = 1; th <= 3 * 2; th++) {
            int latest = th > 3; /* the try gathers for the newest time, and probes */
            stream s = {text, len};
            run_input str = {RUN_IN_STREAM, "s", NULL, 0, pull, &s};
            outcome got = run_q(by_image, &file, 1, (th - 1) % 3 + 1, latest, 0);
            outcome base = run_q(by_image, &str, 1, (th - 1) % 3 + 1, latest, 0);
            for (int k = 0; k < 4; k++) {
                char image[16];
                snprintf(image, sizeof image, "\\e%d.exe", k);
                assert_int_equal(csv_count(got.csv, image), want[k]);
            }
            for (int k = 0; k < 3; k++) {
                char image[16];
                snprintf(image, sizeof image, "\\r%d.exe", k);
                assert_int_equal(csv_count(got.csv, image), late ? LATE_RAW / 3 : -1);
            }
            assert_string_equal(got.csv, base.csv);
            const char *msg = strstr(got.diag, ":2500: falcon: invalid JSON");
            assert_non_null(msg);
            assert_null(strchr(strchr(got.diag, '\n') + 1, '\n')); /* said once */
            assert_int_equal(got.bad, 1);
            assert_int_equal(got.events, base.events);
            const char *said = strstr(got.log, "mailc2: falcon: events lack fields its join "
                                               "tables fill; the inputs are read again");
            assert_int_equal(said != NULL, late);
            assert_true(!said || !strstr(strchr(said, '\n'), "join tables fill")); /* once */
            release(&got);
            release(&base);
        }
        unlink(path);
        free(text);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_sources_agree),
                                       cmocka_unit_test(test_long_line),
                                       cmocka_unit_test(test_whole_file_needs_file),
                                       cmocka_unit_test(test_file_removed_between_passes),
                                       cmocka_unit_test(test_one_pass),
                                       cmocka_unit_test(test_join_late)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Tuning profiles as tables: profiles that must be refused, each with its
 * message and place (line and column counted by hand in the text below);
 * and findings against entries, each with the entry that must allow it
 * (or none), including expiry and conditions on fields a result lacks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "input/event.h"
#include "tune/suppress.h"
#include "value/convert.h"

static void write_file(char *path, const char *text)
{
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
}

static const struct bad {
    const char *text, *msg;
    int line, col;
} bad[] = {
    {"allow: [\n", "", 2, 1},  /* libfyaml's own message: where the flow list is cut */
    {"- a\n- b\n", "a profile is a mapping with an 'allow' list", 1, 3},
    {"name: x\n", "'allow' must be a list of entries", 1, 1},
    {"alow: []\n", "unknown key 'alow' (name, description, allow)", 1, 1},
    {"allow: x\n", "'allow' must be a list of entries", 1, 8},
    {"allow:\n  - just text\n", "each allow entry is a mapping", 2, 5},
    {"allow:\n  - reason: r\n", "an allow entry without a condition would allow every finding", 2, 5},
    {"allow:\n  - port: 25\n", "an allow entry needs a reason", 2, 5},
    {"allow:\n  - port: 70000\n    reason: r\n", "port: '70000' is not a port number", 2, 11},
    {"allow:\n  - port: [25, smtp]\n    reason: r\n", "port: 'smtp' is not a port number", 2, 16},
    {"allow:\n  - destination: 10.0.0.0/33\n    reason: r\n",
     "destination: '10.0.0.0/33' is not an address or network", 2, 18},
    {"allow:\n  - process: {a: b}\n    reason: r\n", "process: a value or a list of values", 2, 5},
    {"allow:\n  - process: []\n    reason: r\n", "process: an empty list would match nothing", 2, 5},
    {"allow:\n  - process: ''\n    reason: r\n", "process: an empty pattern", 2, 15}, /* a quoted scalar's text */
    {"allow:\n  - process: a\n    process: b\n    reason: r\n", "duplicate key", 3, 5},
    {"allow:\n  - user: u\n    reason: r\n    expires: 2027-13-01\n",
     "expires: '2027-13-01' is not a date (YYYY-MM-DD)", 4, 14},
    {"allow:\n  - user: u\n    reason: r\n    expires: tomorrow\n",
     "expires: 'tomorrow' is not a date", 4, 14},
    {"allow:\n  - user: u\n    reason: ''\n", "reason: one line saying why", 3, 14}, /* a quoted scalar's text */
    {"allow:\n  - user: u\n    reson: r\n", "unknown key 'reson'", 3, 5},
};

static void test_bad_profiles(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char path[] = "/tmp/mailc2-profile-XXXXXX";
        write_file(path, bad[i].text);
        tune_set t = {0};
        char err[600];
        int line, col;
        int rc = tune_load(&t, path, err, sizeof err, &line, &col);
        unlink(path);
        if (rc != -1 || !strstr(err, bad[i].msg) || line != bad[i].line || col != bad[i].col ||
            strncmp(err, path, strlen(path)) != 0) {
            print_error("case %zu: rc %d, %d:%d \"%s\"; want %d:%d \"%s\"\n", i, rc, line, col,
                        err, bad[i].line, bad[i].col, bad[i].msg);
            fail();
        }
        assert_int_equal(t.n, 0);
        tune_free(&t);
    }
}

static const char profile[] =
    "allow:\n"
    "  - process: [sqlservr.exe, DatabaseMail.exe]\n"  /* 0: name from the path */
    "    destination: [10.20.0.0/24, 2001:db8::/32]\n"
    "    port: [25, 587]\n"
    "    reason: database mail\n"
    "  - path: '*\\Python312\\python.exe'\n"           /* 1 */
    "    user: 'CORP\\svc-*'\n"
    "    reason: report scripts\n"
    "  - host: OLD-*\n"                                /* 2: expired */
    "    reason: retired\n"
    "    expires: 2020-01-31\n"
    "  - hash: abc\n"                                  /* 3: no result has a hash */
    "    reason: never\n";

/* Columns: host, process path, user, dst_ip, dst_port. */
static const int canon[] = {MC_C_HOST, MC_C_PROC_PATH, MC_C_USER, MC_C_DST_IP, MC_C_DST_PORT};

static const struct row {
    const char *host, *path, *user, *dst;
    int port;
    int entry; /* the entry that allows it, -1: shown; -2: shown, the expired entry matched */
} rows[] = {
    {"SQL-1", "\\Device\\HarddiskVolume2\\Binn\\SQLSERVR.EXE", "svc", "10.20.0.25", 587, 0},
    {"SQL-1", "C:\\Binn\\DatabaseMail.exe", "svc", "2001:db8::25", 25, 0},
    {"SQL-1", "C:\\Binn\\sqlservr.exe", "svc", "203.0.113.9", 587, -1},   /* not the relay */
    {"SQL-1", "C:\\Binn\\sqlservr.exe", "svc", "10.20.0.25", 465, -1},    /* not its port */
    {"SQL-1", "C:\\Temp\\sqlservr.exe.bak", "svc", "10.20.0.25", 25, -1}, /* another name */
    {"WS-2", "C:\\Program Files\\Python312\\python.exe", "CORP\\svc-reports", "10.1.1.1", 25, 1},
    {"WS-2", "C:\\Program Files\\Python312\\python.exe", "CORP\\jdoe", "10.1.1.1", 25, -1},
    {"WS-2", "C:\\Users\\x\\Python312\\python.exe", NULL, "10.1.1.1", 25, -1},     /* no user */
    {"OLD-7", "/usr/bin/curl", "root", "127.0.0.1", 143, -2},
};

static mc_result *findings(void)
{
    static const char *const names[] = {"host", "process", "user", "dst_ip", "dst_port"};
    mc_result *r = result_new(5, names);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const struct row *w = &rows[i];
        mc_value v[5] = {value_cstr(w->host), value_cstr(w->path),
                         w->user ? value_cstr(w->user) : mc_null(), value_cstr(w->dst),
                         mc_int(MC_INT, w->port)};
        result_add_row(r, v);
    }
    return r;
}

static void test_matching(void **state)
{
    (void)state;
    char path[] = "/tmp/mailc2-profile-XXXXXX";
    write_file(path, profile);
    tune_set t = {0};
    char err[600];
    int line, col;
    assert_int_equal(tune_load(&t, path, err, sizeof err, &line, &col), 0);
    unlink(path);
    assert_int_equal(t.n, 4);
    uint64_t sup[4] = {0}, exp[4] = {0};
    tune_outcome out = {sup, exp};
    mc_result *r = tune_apply(&t, findings(), canon, 1795478400000, 1, &out);
    assert_int_equal(r->nrows, sizeof rows / sizeof rows[0]); /* shown, marked */
    uint64_t want[4] = {0};
    for (size_t i = 0; i < r->nrows; i++) {
        const mc_value *v = result_row(r, i);
        int e = rows[i].entry;
        if (e >= 0)
            want[e]++;
        if ((v[5].type != MC_NULL) != (e >= 0)) {
            print_error("row %zu: suppressed_by %s, want entry %d\n", i,
                        v[5].type == MC_NULL ? "NULL" : v[5].u.s, e);
            fail();
        }
    }
    assert_memory_equal(sup, want, sizeof want);
    assert_int_equal(exp[2], 1);
    result_free(r);
    memset(sup, 0, sizeof sup);
    r = tune_apply(&t, findings(), canon, 1795478400000, 0, &out);
    assert_int_equal(r->nrows, sizeof rows / sizeof rows[0] - 3); /* left out */
    assert_int_equal(r->ncols, 5);
    result_free(r);
    tune_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_profiles),
        cmocka_unit_test(test_matching),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

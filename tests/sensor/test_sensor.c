/* Unit tests for the pure parts of the live sensor (src/sensor/, and the
 * watch's window and report sink): a connection as a Sysmon JSON line, and
 * that line read back by the hunt; /proc facts about this very test
 * process; an inet_diag reply parsed; the window's expiry and bound; and
 * a report sink that writes only new or changed rows. The kernel and
 * netlink sides need root and are covered by tests/e2e/test_watch.sh. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mailc2.h"
#include "sensor/event.h"
#include "sensor/proc.h"
#include "sensor/sockdiag.h"

static int test_argc;
static char **test_argv;

/* 127.0.0.1:40000 -> 127.0.0.1:110 by nc, at 2026-11-24T06:00:00.101Z. */
static sensor_event nc_event(int64_t time_ms)
{
    sensor_event e = {.time_ms = time_ms, .pid = 4242, .uid = 1000, .family = AF_INET,
                      .sport = 40000, .dport = 110, .host = "web1",
                      .image = "/usr/bin/nc.openbsd", .cmdline = "nc 127.0.0.1 110",
                      .user = "alice", .sensor = "ebpf-fentry"};
    inet_pton(AF_INET, "127.0.0.1", e.saddr);
    inet_pton(AF_INET, "127.0.0.1", e.daddr);
    return e;
}

static void test_event_json(void **state)
{
    (void)state;
    sensor_event e = nc_event(1795500000101);
    char buf[1024];
    size_t n = event_json(&e, buf, sizeof buf);
    /* Written by hand from Sysmon for Linux's event 3 field names. */
    const char *want =
        "{\"EventID\":3,\"Channel\":\"Linux-Sysmon/Operational\",\"Computer\":\"web1\","
        "\"UtcTime\":\"2026-11-24 06:00:00.101\",\"ProcessId\":4242,"
        "\"Image\":\"/usr/bin/nc.openbsd\",\"CommandLine\":\"nc 127.0.0.1 110\","
        "\"User\":\"alice\",\"Protocol\":\"tcp\",\"Initiated\":\"true\","
        "\"SourceIsIpv6\":\"false\",\"SourceIp\":\"127.0.0.1\",\"SourcePort\":40000,"
        "\"DestinationIsIpv6\":\"false\",\"DestinationIp\":\"127.0.0.1\","
        "\"DestinationPort\":110,\"Sensor\":\"ebpf-fentry\"}\n";
    assert_string_equal(buf, want);
    assert_int_equal(n, strlen(want));
    /* Too small: the length it needs, and a terminated prefix. */
    char small[16];
    assert_int_equal(event_json(&e, small, sizeof small), n);
    assert_int_equal(strlen(small), sizeof small - 1);
}

static void test_event_json_edges(void **state)
{
    (void)state;
    sensor_event e = nc_event(0);
    e.family = AF_INET6;
    e.sport = 0;       /* the tracepoint mode knows no source port */
    e.image = NULL;    /* the process was not found */
    e.cmdline = "sh -c \"echo a\\b\"\t";
    memset(e.saddr, 0, 16);
    inet_pton(AF_INET6, "2001:db8::25", e.daddr);
    char buf[1024];
    event_json(&e, buf, sizeof buf);
    assert_null(strstr(buf, "\"Image\""));
    assert_null(strstr(buf, "\"SourcePort\""));
    assert_non_null(strstr(buf, "\"CommandLine\":\"sh -c \\\"echo a\\\\b\\\"\\u0009\""));
    assert_non_null(strstr(buf, "\"DestinationIsIpv6\":\"true\",\"DestinationIp\":\"2001:db8::25\""));
    /* An IPv4-mapped address is written as IPv4, as every decoder reads it. */
    char text[46];
    inet_pton(AF_INET6, "::ffff:10.0.0.5", e.daddr);
    event_address(AF_INET6, e.daddr, text);
    assert_string_equal(text, "10.0.0.5");
}

/* n connections of nc, one a second, as JSON lines into buf. */
static void nc_lines(char *buf, size_t cap, int n)
{
    size_t len = 0;
    for (int i = 0; i < n; i++) {
        sensor_event e = nc_event(1795500000101 + i * 1000);
        len += event_json(&e, buf + len, cap - len);
    }
}

/* Three connections of nc read back through the built-in hunt: one
 * finding with the process, command line, user and count. */
static void test_event_read_back(void **state)
{
    (void)state;
    char lines[4096];
    nc_lines(lines, sizeof lines, 3);
    size_t len = strlen(lines);
    mc_options o;
    mc_options_init(&o);
    o.now_latest = 1;
    mc_error err;
    mc_engine *eng = mc_engine_open(&o, &err);
    mc_query *q = mc_hunt(eng, NULL, &err);
    char *out = NULL;
    size_t outlen = 0;
    FILE *f = open_memstream(&out, &outlen);
    mc_sink *sink = mc_sink_open("csv", f, "mem", &err);
    mc_input in = mc_input_memory("sensor", lines, len);
    mc_report *r;
    assert_int_equal(mc_run(eng, q, &in, 1, sink, &r, &err), MC_OK);
    fclose(f);
    assert_int_equal(mc_report_count(r, MC_COUNT_ROWS), 1);
    assert_non_null(strstr(out, "\nweb1,,/usr/bin/nc.openbsd,alice,127.0.0.1,110,POP3,3,"
                                "2026-11-24T06:00:00.101Z,2026-11-24T06:00:02.101Z,,"
                                "nc 127.0.0.1 110,"));
    free(out);
    mc_report_free(r);
    mc_sink_free(sink);
    mc_query_free(q);
    mc_engine_close(eng);
}

static void test_proc_self(void **state)
{
    (void)state;
    char want[4096], got[4096];
    ssize_t n = readlink("/proc/self/exe", want, sizeof want - 1);
    assert_true(n > 0);
    want[n] = '\0';
    assert_int_equal(proc_exe("/proc", (uint32_t)getpid(), got, sizeof got), 0);
    assert_string_equal(got, want);
    /* The command line is this test's own argv, joined with spaces. */
    size_t at = 0;
    for (int i = 0; i < test_argc; i++)
        at += (size_t)snprintf(want + at, sizeof want - at, "%s%s", i ? " " : "", test_argv[i]);
    assert_int_equal(proc_cmdline("/proc", (uint32_t)getpid(), got, sizeof got), 0);
    assert_string_equal(got, want);
    assert_int_equal(proc_exe("/proc", 0, got, sizeof got), -1); /* no such process */
}

static void test_proc_helpers(void **state)
{
    (void)state;
    char args[] = "curl\0-s\0imap://u:p@127.0.0.1:143/\0\0";
    const char *want = "curl -s imap://u:p@127.0.0.1:143/";
    assert_int_equal(proc_join_args(args, sizeof args - 1), strlen(want));
    assert_string_equal(args, want);
    char name[64];
    proc_user(0, name, sizeof name);
    assert_string_equal(name, "root");
    proc_user(3999999999u, name, sizeof name); /* no such user: the uid */
    assert_string_equal(name, "3999999999");
}

typedef struct found {
    uint64_t inode;
    uint32_t pid;
} found;

static void on_socket(void *ud, uint64_t inode, uint32_t pid)
{
    found *f = ud;
    if (inode == f->inode)
        f->pid = pid;
}

static void test_proc_sockets(void **state)
{
    (void)state;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct stat st;
    assert_int_equal(fstat(fd, &st), 0);
    found f = {st.st_ino, 0};
    proc_sockets("/proc", on_socket, &f);
    assert_int_equal(f.pid, (uint32_t)getpid());
    close(fd);
}

/* An inet_diag reply as the kernel writes it: 10.0.0.2:51000 ->
 * 10.0.0.9:993, ESTABLISHED, uid 1000, inode 777. */
static void test_sockdiag_parse(void **state)
{
    (void)state;
    struct {
        struct nlmsghdr h;
        struct inet_diag_msg m;
    } msg;
    memset(&msg, 0, sizeof msg);
    msg.h.nlmsg_len = NLMSG_LENGTH(sizeof msg.m);
    msg.h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    msg.m.idiag_family = AF_INET;
    msg.m.idiag_state = 1;
    msg.m.id.idiag_sport = htons(51000);
    msg.m.id.idiag_dport = htons(993);
    inet_pton(AF_INET, "10.0.0.2", msg.m.id.idiag_src);
    inet_pton(AF_INET, "10.0.0.9", msg.m.id.idiag_dst);
    msg.m.idiag_uid = 1000;
    msg.m.idiag_inode = 777;
    diag_sock s;
    assert_int_equal(sockdiag_parse(&msg.h, &s), 0);
    char text[46];
    event_address(s.family, s.saddr, text);
    assert_string_equal(text, "10.0.0.2");
    event_address(s.family, s.daddr, text);
    assert_string_equal(text, "10.0.0.9");
    assert_int_equal(s.sport, 51000);
    assert_int_equal(s.dport, 993);
    assert_int_equal(s.state, 1);
    assert_int_equal(s.uid, 1000);
    assert_int_equal(s.inode, 777);
    msg.h.nlmsg_len = NLMSG_LENGTH(sizeof msg.m) - 1; /* cut short */
    assert_int_equal(sockdiag_parse(&msg.h, &s), -1);
    msg.h.nlmsg_len = NLMSG_LENGTH(sizeof msg.m);
    msg.h.nlmsg_type = NLMSG_ERROR;                    /* not a socket */
    assert_int_equal(sockdiag_parse(&msg.h, &s), -1);
}

static void test_window(void **state)
{
    (void)state;
    mc_window *w = mc_window_new(1000, 3);
    mc_window_add(w, "a\n", 2, 100);
    mc_window_add(w, "b\n", 2, 600);
    mc_window_add(w, "c\n", 2, 900);
    mc_input in = mc_window_input(w, 1000);
    assert_int_equal(in.len, 6);
    assert_memory_equal(in.data, "a\nb\nc\n", 6);
    mc_window_add(w, "d\n", 2, 1200); /* full: a goes early, counted */
    assert_int_equal(mc_window_evicted(w), 1);
    in = mc_window_input(w, 1600);    /* b (600 <= 1600 - 1000) expires */
    assert_memory_equal(in.data, "c\nd\n", 4);
    assert_int_equal(mc_window_size(w), 2);
    in = mc_window_input(w, 5000);
    assert_int_equal(in.len, 0);
    mc_window_free(w);
    int64_t ms;
    assert_int_equal(mc_duration_parse("10s", &ms), 0);
    assert_int_equal(ms, 10000);
    assert_int_equal(mc_duration_parse("0s", &ms), -1);
    assert_int_equal(mc_duration_parse("soon", &ms), -1);
}

/* Runs the hunt over `lines` into the changes sink. */
static void changes_run(mc_engine *eng, const mc_query *q, mc_sink *sink, const char *lines)
{
    mc_error err;
    mc_input in = mc_input_memory("w", lines, strlen(lines));
    assert_int_equal(mc_run(eng, q, &in, 1, sink, NULL, &err), MC_OK);
}

static void test_changes_sink(void **state)
{
    (void)state;
    char three[4096], four[4096];
    nc_lines(three, sizeof three, 3);
    nc_lines(four, sizeof four, 4);
    mc_options o;
    mc_options_init(&o);
    o.now_latest = 1;
    mc_error err;
    mc_engine *eng = mc_engine_open(&o, &err);
    mc_query *q = mc_hunt(eng, NULL, &err);
    char *out = NULL;
    size_t outlen = 0;
    FILE *f = open_memstream(&out, &outlen);
    mc_sink *sink = mc_sink_changes("csv", f, "mem", &err);
    changes_run(eng, q, sink, three);   /* new: header and the row */
    changes_run(eng, q, sink, three);   /* the same row: nothing */
    changes_run(eng, q, sink, four);    /* its count moved to 4: the row again */
    fclose(f);
    assert_int_equal(mc_sink_changes_count(sink), 2);
    assert_non_null(strstr(out, ",POP3,3,"));
    assert_non_null(strstr(out, ",POP3,4,"));
    assert_non_null(strstr(out, "host,"));
    assert_null(strstr(out + 1, "\nhost,"));   /* one header */
    free(out);
    mc_sink_free(sink);
    mc_query_free(q);
    mc_engine_close(eng);
}

int main(int argc, char **argv)
{
    test_argc = argc;
    test_argv = argv;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_event_json),
        cmocka_unit_test(test_event_json_edges),
        cmocka_unit_test(test_event_read_back),
        cmocka_unit_test(test_proc_self),
        cmocka_unit_test(test_proc_helpers),
        cmocka_unit_test(test_proc_sockets),
        cmocka_unit_test(test_sockdiag_parse),
        cmocka_unit_test(test_window),
        cmocka_unit_test(test_changes_sink),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

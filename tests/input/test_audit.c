/* Unit tests for src/input/audit.c, nfdump.c and nfdump_json.c: events
 * joined across lines by serial (emitted when complete, at the next serial,
 * or by finish), nfdump's CSV with its Summary block, and its JSON objects
 * gathered member by member; every cut of a line
 * decodes or is refused, never read past. */
#include "decode_util.h"

static const char syscall_line[] =
    "node=web1 type=SYSCALL msg=audit(1795500000.101:101): arch=c000003e syscall=42 success=no "
    "exit=-115 auid=1000 uid=1000 comm=\"curl\" exe=\"/usr/bin/curl\"";
static const char sockaddr_line[] =
    "node=web1 type=SOCKADDR msg=audit(1795500000.101:101): saddr=0200008F7F0000010000000000000000";
static const char title_line[] =
    "node=web1 type=PROCTITLE msg=audit(1795500000.101:101): proctitle=6375726C002D76";

static const char *const natives[] = {"success", "exit", NULL};

static void test_audit(void **state)
{
    (void)state;
    tdec t;
    t_open(&t, &decoder_audit, natives);
    assert_ptr_equal(decoder_detect(syscall_line, strlen(syscall_line), t_defaults()),
                     &decoder_audit);
    assert_int_equal(t_line(&t, syscall_line), DECODE_SKIP);
    assert_int_equal(t_line(&t, sockaddr_line), DECODE_SKIP);
    t_ok(&t, title_line, "kind=conn|time=1795500000101|host=web1|proc_path=/usr/bin/curl|"
                         "proc_name=curl|cmdline=curl -v|user=1000|dst_ip=127.0.0.1|dst_port=143|"
                         "direction=out|src_ip=-|success=no|exit=-115");
    /* Without a PROCTITLE the event is emitted when the input ends. */
    assert_int_equal(t_line(&t, "type=SYSCALL msg=audit(1795500001.000:102): arch=c000003e "
                                "syscall=42 success=yes exit=0 auid=4294967295 uid=0 "
                                "exe=\"/usr/bin/nc\""), DECODE_SKIP);
    assert_int_equal(t_line(&t, "type=SOCKADDR msg=audit(1795500001.000:102): "
                                "saddr=0200006E0A0000050000000000000000"), DECODE_SKIP);
    arena_reset(&t.scratch);
    assert_int_equal(decoder_audit.finish(t.state, t.row, &t.scratch), DECODE_OK);
    assert_string_equal(t_text(&t, "user"), "0");
    assert_string_equal(t_text(&t, "dst_ip"), "10.0.0.5");
    assert_int_equal(decoder_audit.finish(t.state, t.row, &t.scratch), DECODE_SKIP);
    t_bad(&t, "type=SYSCALL something", "msg=audit");
    t_truncations(&t, syscall_line);
    t_truncations(&t, sockaddr_line);
    t_truncations(&t, title_line);
    t_close(&t);
}

static const char *const nf_natives[] = {"flg", "ipkt", NULL};

static void test_nfdump(void **state)
{
    (void)state;
    tdec t;
    t_open(&t, &decoder_nfdump, nf_natives);
    static const char head[] = "ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt";
    static const char rec[] = "2014-02-19 19:02:39,2014-02-19 19:02:45,6.349,172.16.2.159,"
                              "219.94.162.217,49274,25,TCP,...APRSF,0,0,6,1276,0,0";
    assert_ptr_equal(decoder_detect(head, strlen(head), t_defaults()), &decoder_nfdump);
    assert_int_equal(t_line(&t, head), DECODE_SKIP);
    t_ok(&t, rec, "kind=conn|time=1392836559000|src_ip=172.16.2.159|src_port=49274|"
                  "dst_ip=219.94.162.217|dst_port=25|transport=6|bytes_out=1276|bytes_in=0|"
                  "duration=6349|flg=...APRSF|ipkt=6");
    assert_int_equal(t_line(&t, "Summary"), DECODE_SKIP);
    assert_int_equal(t_line(&t, "flows,bytes,packets,avg_bps,avg_pps,avg_bpp"), DECODE_SKIP);
    assert_int_equal(t_line(&t, "8,46430,158,0,0,293"), DECODE_SKIP);
    t_bad(&t, "2014-02-19 19:02:39,x", "the header has 15");
    t_truncations(&t, rec);
    t_close(&t);
}

static void test_nfdump_json(void **state)
{
    (void)state;
    tdec t;
    static const char *const names[] = {"tcp_flags", NULL};
    t_open(&t, &decoder_nfdump_json, names);
    static const char *const object[] = {
        "[", "{", "\t\"type\" : \"FLOW\",", "\t\"first\" : \"2014-02-19T19:02:39.346\",",
        "\t\"last\" : \"2014-02-19T19:02:45.695\",", "\t\"in_packets\" : 6,",
        "\t\"in_bytes\" : 1276,", "\t\"proto\" : 6,", "\t\"tcp_flags\" : \"...APRSF\",",
        "\t\"src_port\" : 49274,", "\t\"dst_port\" : 25,",
        "\t\"src4_addr\" : \"172.16.2.159\",", "\t\"dst4_addr\" : \"219.94.162.217\"",
    };
    assert_ptr_equal(decoder_detect(object[2], strlen(object[2]), t_defaults()),
                     &decoder_nfdump_json);
    for (size_t i = 0; i < sizeof object / sizeof *object; i++)
        assert_int_equal(t_line(&t, object[i]), DECODE_SKIP);
    t_ok(&t, "},", "kind=conn|time=1392836559346|src_ip=172.16.2.159|dst_port=25|transport=6|"
                   "bytes_out=1276|bytes_in=-|duration=6349|tcp_flags=...APRSF");
    assert_int_equal(t_line(&t, "]"), DECODE_SKIP);
    t_bad(&t, "\t\"in_bytes\" : 1,", "not a \"name\" : value member");
    for (size_t i = 2; i < sizeof object / sizeof *object; i++)
        t_truncations(&t, object[i]);
    t_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_audit), cmocka_unit_test(test_nfdump),
                                       cmocka_unit_test(test_nfdump_json)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

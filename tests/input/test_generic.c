/* Unit tests for src/input/generic.c: --map parsing (good and bad specs),
 * and CSV and JSON records read through a map, with the conversions and
 * defaults the decoder documents. The map travels in the settings the
 * decoder is bound with (two maps in one process: test_two_maps). */
#include "decode_util.h"

static int map_fails(const char *spec, char *err, size_t errlen)
{
    input_settings s;
    int rc = input_settings_init(&s, NULL, spec, err, errlen);
    input_settings_free(&s);
    return rc;
}

static void test_map(void **state)
{
    (void)state;
    char err[256];
    assert_false(decoder_generic.probe("{\"a\":1}", 7, t_defaults())); /* no map: accepts nothing */
    assert_int_equal(map_fails("srcip=a", err, sizeof err), -1);
    assert_non_null(strstr(err, "'srcip' is not a canonical field"));
    assert_int_equal(map_fails("src_ip", err, sizeof err), -1);
    assert_non_null(strstr(err, "is not canonical=native"));
    assert_int_equal(map_fails("src_ip=", err, sizeof err), -1);
    assert_int_equal(map_fails("dst_port=port,,x", err, sizeof err), -1);
}

static void test_csv(void **state)
{
    (void)state;
    static const char *const natives[] = {"port", "note", NULL};
    tdec t;
    t_open_with(&t, &decoder_generic, natives, NULL,
                "time=when,src_ip=client,dst_ip=server,dst_port=port,proc_path=exe,"
                "bytes_out=sent,host=machine");
    static const char head[] = "when,machine,exe,client,server,port,sent,note";
    assert_true(decoder_generic.probe(head, strlen(head), &t.settings));
    assert_int_equal(t_line(&t, head), DECODE_SKIP);
    t_ok(&t, "1795421112,ws1,C:\\x\\implant.exe,10.0.0.1,198.51.100.7,587,12,\"a, b\"",
         "kind=conn|time=1795421112000|host=ws1|proc_name=implant.exe|dst_port=587|"
         "direction=out|bytes_out=12|port=587|note=a, b");
    t_ok(&t, "2026-11-23 08:05:12.5,ws1,,203.0.113.1,10.0.0.1,25,x,",
         "time=1795421112500|direction=in|bytes_out=-|proc_name=-");
    t_ok(&t, "1795421112000,ws1,,10.0.0.1,10.0.0.2,,,", "time=1795421112000|kind=-|dst_port=-");
    t_bad(&t, "tomorrow,ws1,,10.0.0.1,10.0.0.2,25,,", "when 'tomorrow' is not a time");
    t_bad(&t, "1795421112,ws1", "2 columns, the header has 8");
    t_close(&t);
}

static void test_json(void **state)
{
    (void)state;
    tdec t;
    t_open_with(&t, &decoder_generic, NULL, NULL,
                "time=ts,src_ip=net.src,dst_ip=net.dst,dst_port=net.port,direction=dir,"
                "proc_name=proc,kind=type");
    static const char rec[] =
        "{\"ts\":\"2026-11-23T08:05:12Z\",\"net\":{\"src\":\"10.0.0.1\",\"dst\":\"198.51.100.7\","
        "\"port\":993},\"dir\":\"egress\",\"proc\":\"agent\",\"type\":\"conn\"}";
    assert_true(decoder_generic.probe(rec, strlen(rec), &t.settings));
    t_ok(&t, rec, "kind=conn|time=1795421112000|src_ip=10.0.0.1|dst_port=993|direction=out|"
                  "proc_name=agent");
    t_bad(&t, "{\"ts\":1", "invalid JSON");
    assert_int_equal(t_truncations(&t, rec), (int)strlen(rec) - 1);
    t_close(&t);
}

/* Two bindings with different maps in one process each read their own. */
static void test_two_maps(void **state)
{
    (void)state;
    tdec a, b;
    t_open_with(&a, &decoder_generic, NULL, "192.168.0.0/16", "dst_port=p,src_ip=s,dst_ip=d");
    t_open_with(&b, &decoder_generic, NULL, NULL, "dst_port=q,src_ip=s,dst_ip=d");
    static const char rec[] = "{\"p\":25,\"q\":993,\"s\":\"10.0.0.1\",\"d\":\"192.168.1.1\"}";
    t_ok(&a, rec, "dst_port=25|direction=in");
    t_ok(&b, rec, "dst_port=993|direction=out");
    t_close(&a);
    t_close(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_map),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_two_maps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

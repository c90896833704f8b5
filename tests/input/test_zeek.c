/* Unit tests for the Zeek decoders: TSV (header lines drive the columns)
 * and JSON (dotted or underscore keys, epoch or ISO ts), with the log kinds,
 * the direction rule (local_orig, else addresses) and bad records: masked
 * ts as in Zeek's own test baselines, a record before #fields, a cut
 * record. Lines follow shared/data/zeek. */
#include "decode_util.h"

#define T "\t"
static const char *const header[] = {
    "#separator \\x09",
    "#set_separator" T ",",
    "#empty_field" T "(empty)",
    "#unset_field" T "-",
    "#path" T "conn",
    "#open" T "2024-04-12-19-29-15",
    "#fields" T "ts" T "uid" T "id.orig_h" T "id.orig_p" T "id.resp_h" T "id.resp_p" T "proto"
        T "service" T "orig_bytes" T "resp_bytes" T "conn_state" T "local_orig" T "local_resp",
    "#types" T "time" T "string" T "addr" T "port" T "addr" T "port" T "enum" T "string" T
        "count" T "count" T "string" T "bool" T "bool",
};

static const char *const natives[] = {"id.orig_h", "conn_state", "uid", NULL};

static void feed_header(tdec *t, const char *path)
{
    for (size_t i = 0; i < sizeof header / sizeof header[0]; i++) {
        char line[512];
        snprintf(line, sizeof line, "%s", header[i]);
        if (strncmp(line, "#path", 5) == 0)
            snprintf(line, sizeof line, "#path" T "%s", path);
        assert_int_equal(t_line(t, line), DECODE_SKIP);
    }
}

static void test_tsv_conn(void **state)
{
    (void)state;
    tdec t;
    t_open(&t, &decoder_zeek, natives);
    assert_true(decoder_zeek.probe(header[0], strlen(header[0]), t_defaults()));
    feed_header(&t, "conn");
    t_ok(&t, "1521911721.789543" T "C1" T "10.164.94.120" T "38041" T "10.47.8.208" T "587"
             T "tcp" T "smtp,ssl" T "1200" T "340" T "SF" T "-" T "-",
         "kind=conn|time=1521911721789|src_ip=10.164.94.120|src_port=38041|dst_ip=10.47.8.208|"
         "dst_port=587|direction=out|transport=6|bytes_out=1200|bytes_in=340|"
         "app_proto=smtp,ssl|host=-|proc_name=-|user=-|id.orig_h=10.164.94.120|conn_state=SF");
    /* local_orig F, local_resp T: inbound whatever the addresses say. */
    t_ok(&t, "1521911722" T "C2" T "10.0.0.1" T "5" T "10.0.0.2" T "25" T "tcp" T "-" T "-" T
             "-" T "REJ" T "F" T "T",
         "direction=in|bytes_out=-|app_proto=-|conn_state=REJ");
    /* No Site::local_nets: a remote initiator to a local host is inbound. */
    t_ok(&t, "1521911723" T "C3" T "203.0.113.9" T "5" T "10.0.0.2" T "25" T "tcp" T "(empty)"
             T "0" T "0" T "S0" T "-" T "-",
         "direction=in|app_proto=|bytes_out=0");
    t_bad(&t, "XXXXXXXXXX.XXXXXX" T "C4" T "192.168.0.4" T "26242" T "212.227.15.188" T "110"
              T "tcp" T "-" T "0" T "0" T "REJ" T "T" T "F",
          "ts 'XXXXXXXXXX.XXXXXX' is not a time");
    t_bad(&t, "1521911723" T "C5" T "10.0.0.1", "3 columns, but #fields names 13");
    assert_int_equal(t_line(&t, "#close" T "2024-04-12-19-40-00"), DECODE_SKIP);
    t_close(&t);
    /* conn_long.log: a long connection's interval summary is a flow row. */
    t_open(&t, &decoder_zeek, natives);
    feed_header(&t, "conn_long");
    t_ok(&t, "1521911800" T "C6" T "10.0.0.1" T "40000" T "203.0.113.9" T "993" T "tcp" T "ssl"
             T "88000" T "1200" T "OTH" T "T" T "F",
         "kind=conn|dst_port=993|direction=out|bytes_out=88000|bytes_in=1200");
    t_close(&t);
}

static void test_tsv_other_logs(void **state)
{
    (void)state;
    tdec t;
    t_open(&t, &decoder_zeek, natives);
    t_bad(&t, "1521911721.1" T "C1", "record before the #fields header");
    feed_header(&t, "smtp");
    /* smtp.log: a connection over TCP with app_proto smtp (no proto column). */
    t_ok(&t, "1521911721" T "C1" T "10.1.1.1" T "4000" T "10.2.2.2" T "25" T "-" T "-" T "-"
             T "-" T "-" T "-" T "-",
         "kind=conn|transport=6|app_proto=smtp|dst_port=25");
    feed_header(&t, "known_services");
    t_ok(&t, "1521911721" T "-" T "-" T "-" T "10.2.2.2" T "143" T "tcp" T "IMAP" T "-" T "-"
             T "-" T "-" T "-",
         "kind=-|app_proto=imap");
    t_close(&t);
}

static void test_json(void **state)
{
    (void)state;
    tdec t;
    t_open(&t, &decoder_zeek_json, natives);
    static const char dotted[] =
        "{\"_path\":\"smtp\",\"ts\":\"2018-03-24T17:15:21.789543Z\",\"uid\":\"C18H\","
        "\"id.orig_h\":\"10.164.94.120\",\"id.orig_p\":38041,\"id.resp_h\":\"10.47.8.208\","
        "\"id.resp_p\":25,\"trans_depth\":1,\"helo\":\"x\",\"tls\":true}";
    static const char under[] =
        "{\"@stream\":\"conn\",\"ts\":1588205198.89971,\"uid\":\"Cw1\",\"id_orig_h\":\"10.0.1.4\","
        "\"id_orig_p\":64842,\"id_resp_h\":\"10.0.0.4\",\"id_resp_p\":53,\"proto\":\"udp\","
        "\"service\":\"dns\",\"orig_bytes\":39,\"resp_bytes\":55,\"conn_state\":\"SF\"}";
    static const char unnamed[] =
        "{\"ts\":1588205199,\"id.orig_h\":\"10.0.1.4\",\"id.orig_p\":1,\"id.resp_h\":"
        "\"198.51.100.1\",\"id.resp_p\":993,\"proto\":\"tcp\",\"conn_state\":\"S0\"}";
    assert_ptr_equal(decoder_detect(dotted, strlen(dotted), t_defaults()), &decoder_zeek_json);
    assert_ptr_equal(decoder_detect(under, strlen(under), t_defaults()), &decoder_zeek_json);
    t_ok(&t, dotted, "kind=conn|time=1521911721789|src_ip=10.164.94.120|dst_port=25|"
                     "transport=6|app_proto=smtp|direction=out|uid=C18H");
    t_ok(&t, under, "kind=conn|time=1588205198899|src_ip=10.0.1.4|dst_port=53|transport=17|"
                    "bytes_out=39|bytes_in=55|app_proto=dns|id.orig_h=10.0.1.4");
    t_ok(&t, unnamed, "kind=conn|dst_port=993|direction=out");
    t_bad(&t, "{\"ts\":\"XXXXXXXXXX.XXXXXX\",\"id.orig_h\":\"10.0.0.1\"}", "is not a time");
    t_bad(&t, "{\"id.orig_h\":\"10.0.0.1\"}", "no ts");
    assert_int_equal(t_truncations(&t, under), (int)strlen(under) - 1);
    t_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tsv_conn),
        cmocka_unit_test(test_tsv_other_logs),
        cmocka_unit_test(test_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests for src/input/suricata.c: flow records are connections with
 * their byte counts and start time; alerts are kind "alert"; smtp and other
 * transaction records are kind NULL; bad and cut records. Lines follow
 * shared/data/suricata and Suricata's EVE format documentation. */
#include "decode_util.h"

static const char flow[] =
    "{\"timestamp\":\"2018-07-05T15:51:54.001329-0400\",\"flow_id\":1,\"event_type\":\"flow\","
    "\"src_ip\":\"192.168.86.85\",\"src_port\":50000,\"dest_ip\":\"203.0.113.25\","
    "\"dest_port\":587,\"proto\":\"TCP\",\"app_proto\":\"SMTP\",\"flow\":{\"pkts_toserver\":9,"
    "\"pkts_toclient\":7,\"bytes_toserver\":4210,\"bytes_toclient\":980,\"start\":"
    "\"2018-07-05T15:51:23.453468-0400\",\"end\":\"2018-07-05T15:51:24.0-0400\"}}";

static const char *const natives[] = {"flow.bytes_toserver", "flow_id", "alert.signature", NULL};

static void test_records(void **state)
{
    (void)state;
    tdec t;
    t_open(&t, &decoder_suricata, natives);
    assert_ptr_equal(decoder_detect(flow, strlen(flow), t_defaults()), &decoder_suricata);
    t_ok(&t, flow, "kind=conn|time=1530820283453|src_ip=192.168.86.85|src_port=50000|"
                   "dst_ip=203.0.113.25|dst_port=587|direction=out|transport=6|bytes_out=4210|"
                   "bytes_in=980|app_proto=smtp|host=-|flow.bytes_toserver=4210|flow_id=1");
    t_ok(&t, "{\"timestamp\":\"2018-07-05T15:07:20.910626-0400\",\"event_type\":\"alert\","
             "\"src_ip\":\"192.168.86.85\",\"src_port\":55641,\"dest_ip\":\"192.168.156.70\","
             "\"dest_port\":443,\"proto\":\"TCP\",\"alert\":{\"signature\":\"ET POLICY x\"},"
             "\"app_proto\":\"failed\"}",
         "kind=alert|time=1530817640910|app_proto=-|alert.signature=ET POLICY x");
    t_ok(&t, "{\"timestamp\":\"2020-12-09T16:02:43.000505+0000\",\"event_type\":\"smtp\","
             "\"src_ip\":\"10.0.0.5\",\"src_port\":1,\"dest_ip\":\"10.0.0.6\",\"dest_port\":25,"
             "\"proto\":\"TCP\",\"smtp\":{\"helo\":\"x\"}}",
         "kind=-|app_proto=smtp|dst_port=25");
    t_ok(&t, "{\"timestamp\":\"2018-07-05T15:51:23.009510-0400\",\"event_type\":\"stats\","
             "\"stats\":{\"uptime\":5400}}",
         "kind=-|src_ip=-|dst_port=-|direction=-");
    t_bad(&t, "{\"timestamp\":\"yesterday\",\"event_type\":\"flow\"}", "not ISO 8601");
    t_bad(&t, "{\"timestamp\":\"2018-07-05T15:51:23Z\"}", "no event_type");
    assert_int_equal(t_truncations(&t, flow), (int)strlen(flow) - 1);
    t_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

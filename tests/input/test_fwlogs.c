/* Unit tests for the FortiGate, netfilter, pfSense filterlog and Windows
 * Firewall decoders (kv.c, fortigate.c, netfilter.c, filterlog.c, winfw.c):
 * lines from shared/data/firewall and mail-port lines written by hand from
 * the same templates; every expected value read off the line itself. */
#include "decode_util.h"

static const char *const kv_natives[] = {"devname", "action", "SPT", "IN", "DF", NULL};

static void test_fortigate(void **state)
{
    (void)state;
    tdec t;
    t_open(&t, &decoder_fortigate, kv_natives);
    /* eventtime in nanoseconds; a hand-made mail line to 587 with bytes. */
    static const char smtp[] =
        "<189>date=2020-04-23 time=12:11:51 devname=\"fw1\" devid=\"FG1\" logid=\"0000000013\" "
        "type=\"traffic\" subtype=\"forward\" eventtime=1587229911390385486 tz=\"-0500\" "
        "srcip=10.1.100.22 srcport=50354 srcintf=\"port25\" dstip=203.0.113.7 dstport=587 "
        "proto=6 action=\"close\" sentbyte=2048 rcvdbyte=512 user=\"bob\" service=\"SMTP\"";
    assert_ptr_equal(decoder_detect(smtp, strlen(smtp), t_defaults()), &decoder_fortigate);
    t_ok(&t, smtp, "kind=conn|time=1587229911390|src_ip=10.1.100.22|src_port=50354|"
                   "dst_ip=203.0.113.7|dst_port=587|transport=6|direction=out|bytes_out=2048|"
                   "bytes_in=512|user=bob|app_proto=smtp|devname=fw1|action=close|host=-");
    /* No eventtime: date and time in the zone tz (12:11:51 -05:00 = 17:11:51Z). */
    t_ok(&t, "date=2020-04-23 time=12:11:51 devname=\"fw1\" devid=\"FG1\" logid=\"1\" "
             "tz=\"-0500\" srcip=10.0.0.1 srcport=1 dstip=10.0.0.2 dstport=25 proto=6",
         "time=1587661911000|dst_port=25");
    t_bad(&t, "date=2020-04-23 devname=\"fw1\" devid=\"FG1\" logid=\"1\"", "no eventtime");
    t_truncations(&t, smtp);
    t_close(&t);
}

static void test_netfilter(void **state)
{
    (void)state;
    tdec t;
    t_open(&t, &decoder_netfilter, kv_natives);
    static const char tcp[] =
        "2021-03-12T14:10:18Z host kernel: [WAN_OUT-2000-A]IN=eth1 OUT=eth0 SRC=10.4.0.5 "
        "DST=198.51.100.9 LEN=60 TTL=63 ID=0 DF PROTO=TCP SPT=40000 DPT=465 WINDOW=2853 SYN URGP=0";
    assert_ptr_equal(decoder_detect(tcp, strlen(tcp), t_defaults()), &decoder_netfilter);
    t_ok(&t, tcp, "kind=conn|time=1615558218000|src_ip=10.4.0.5|src_port=40000|"
                  "dst_ip=198.51.100.9|dst_port=465|transport=6|direction=out|bytes_out=-|"
                  "SPT=40000|IN=eth1|DF=");
    /* RFC 3164 has no year: no time, not a guess. The ICMP error quotes a UDP
     * packet to 62936 in [...]: that is not this line's connection. */
    t_ok(&t, "Jan  8 03:37:09 DENY: IN=eth0 OUT= SRC=192.168.2.71 DST=192.168.2.83 LEN=88 "
             "PROTO=ICMP TYPE=3 CODE=3 [SRC=192.168.2.83 DST=192.168.173.191 PROTO=UDP SPT=21458 "
             "DPT=62936 LEN=40 ]",
         "time=-|src_ip=192.168.2.71|dst_port=-|transport=1|SPT=-");
    t_bad(&t, "host kernel: OUT=eth0 SRC=1.2.3.4", "no key=value pairs");
    t_truncations(&t, tcp);
    t_close(&t);
}

static const char *const pf_natives[] = {"action", "dir", "interface", "srcport", NULL};

static void test_filterlog(void **state)
{
    (void)state;
    tdec t;
    t_open(&t, &decoder_filterlog, pf_natives);
    static const char v4[] =
        "<134>Jul  3 19:10:30 filterlog[72237]: 146,,,1535324496,igb1.12,match,block,out,4,0x0,,"
        "63,12617,0,DF,6,tcp,60,10.170.12.50,198.51.100.25,49724,25,0,S,1891286705,,64240,,mss";
    assert_ptr_equal(decoder_detect(v4, strlen(v4), t_defaults()), &decoder_filterlog);
    t_ok(&t, v4, "kind=conn|time=-|src_ip=10.170.12.50|src_port=49724|dst_ip=198.51.100.25|"
                 "dst_port=25|transport=6|direction=out|action=block|dir=out|interface=igb1.12|"
                 "srcport=49724");
    t_ok(&t, "<134>Jul  3 19:10:30 filterlog[72237]: 1,,,1,em0,match,pass,in,6,0x00,0x00000,1,"
             "udp,17,129,fe80::208:9bff:fef3:652b,ff02::1:2,546,547,129",
         "src_ip=fe80::208:9bff:fef3:652b|dst_port=547|transport=17|srcport=546");
    /* ICMP puts its own fields where ports would be. */
    t_ok(&t, "<134>Jul  3 19:10:30 filterlog[1]: 1,,,1,em0,match,pass,in,4,0x0,,64,1,0,none,1,"
             "icmp,84,10.100.10.30,142.250.114.105,request,37728,1",
         "transport=1|dst_port=-|src_port=-");
    t_bad(&t, "<134>Jul  3 19:10:30 filterlog[1]: 1,,,1,em0,match,pass,in,9", "ipversion");
    t_truncations(&t, v4);
    t_close(&t);
}

static const char *const fw_natives[] = {"action", "path", "size", NULL};

static void test_winfw(void **state)
{
    (void)state;
    tdec t;
    t_open(&t, &decoder_winfw, fw_natives);
    static const char sw[] = "#Software: Microsoft Windows Firewall";
    assert_ptr_equal(decoder_detect(sw, strlen(sw), t_defaults()), &decoder_winfw);
    assert_int_equal(t_line(&t, "#Version: 1.5"), DECODE_SKIP);
    assert_int_equal(t_line(&t, "#Fields: date time action protocol src-ip dst-ip src-port "
                                "dst-port size tcpflags tcpsyn tcpack tcpwin icmptype icmpcode "
                                "info path"), DECODE_SKIP);
    t_ok(&t, "2005-04-11 08:09:29 ALLOW TCP 10.0.0.5 203.0.113.25 50000 587 60 S - - - - - - SEND",
         "kind=conn|time=1113206969000|src_ip=10.0.0.5|dst_port=587|transport=6|direction=out|"
         "action=ALLOW|path=SEND|size=60");
    /* A connection is logged open and closed: only the OPEN counts. */
    t_ok(&t, "2005-04-11 08:09:30 CLOSE TCP 10.0.0.5 203.0.113.25 50000 587 - - - - - - - - -",
         "kind=-|direction=out|path=-");
    t_ok(&t, "2005-04-11 08:52:26 INFO-EVENTS-LOST - - - - - - - - - - - - 59 -",
         "kind=-|src_ip=-");
    /* A #Fields header of another order moves the columns. */
    assert_int_equal(t_line(&t, "#Fields: date time action dst-port src-ip dst-ip protocol path"),
                     DECODE_SKIP);
    t_ok(&t, "2005-04-11 08:09:31 DROP 25 203.0.113.9 10.0.0.5 TCP RECEIVE",
         "kind=conn|dst_port=25|src_ip=203.0.113.9|direction=in|path=RECEIVE");
    t_bad(&t, "yesterday noon DROP 25 1.2.3.4 5.6.7.8 TCP RECEIVE", "not a time");
    t_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fortigate),
        cmocka_unit_test(test_netfilter),
        cmocka_unit_test(test_filterlog),
        cmocka_unit_test(test_winfw),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

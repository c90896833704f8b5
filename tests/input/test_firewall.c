/* Unit tests for the firewall decoders, PAN-OS TRAFFIC CSV syslog and Cisco
 * ASA syslog: which lines are connections (PAN-OS end/drop/deny, never
 * start; ASA built, ACL and deny lines, not teardowns), orientation, and bad
 * or cut lines. Lines follow shared/data/firewall; the mail-port ones are
 * written by hand from the same templates. */
#include "decode_util.h"

#define PAN(subtype, src, dst, dport, app, user)                                              \
    "Nov 30 16:09:08 PA-220 1,2018/11/30 16:09:07,012801096514,TRAFFIC," subtype              \
    ",2049,2018/11/30 16:09:07," src "," dst ",192.168.1.63," dst ",allow-out," user ",," app \
    ",vsys1,trust,untrust,ethernet1/2,ethernet1/1,send_to_mac,2018/11/30 16:09:07,22751,1,"  \
    "55113," dport ",16418," dport ",0x400053,tcp,allow,7734,1758,5976,36,2018/11/30 15:59:04" \
    ",586,any,0,32091112,0x0,192.168.0.0-192.168.255.255,United States,0,16,20,tcp-fin,0,0,0," \
    "0,,PA-220,from-policy,,,0,,0,,N/A,0,0,0,0"

static const char *const pan_natives[] = {"Source User", "subtype", "Bytes Sent", NULL};

static void test_panos(void **state)
{
    (void)state;
    tdec t;
    t_open(&t, &decoder_panos, pan_natives);
    static const char end[] = PAN("end", "192.168.15.207", "203.0.113.25", "587", "smtp",
                                  "corp\\bob");
    assert_ptr_equal(decoder_detect(end, strlen(end), t_defaults()), &decoder_panos);
    t_ok(&t, end, "kind=conn|time=1543593544000|user=corp\\bob|src_ip=192.168.15.207|"
                  "src_port=55113|dst_ip=203.0.113.25|dst_port=587|direction=out|transport=6|"
                  "bytes_out=1758|bytes_in=5976|app_proto=smtp|host=-|proc_name=-|"
                  "Source User=corp\\bob|subtype=end|Bytes Sent=1758");
    /* start logs would count a session twice (fields.md §5 #10). */
    t_ok(&t, PAN("start", "192.168.15.207", "203.0.113.25", "587", "incomplete", ""),
         "kind=-|app_proto=-|user=-");
    t_ok(&t, PAN("deny", "203.0.113.9", "192.168.15.207", "25", "smtp", ""),
         "kind=conn|direction=in");
    t_bad(&t, "Nov 30 16:09:08 PA-220 1,2018/11/30 16:09:07,012801096514,TRAFFIC,end",
          "a PAN-OS log has at least 31");
    t_bad(&t, PAN("end", "192.168.15.207", "203.0.113.25", "587", "\"smtp\"x", ""),
          "text after the closing quote");
    t_truncations(&t, end); /* no crash on any cut (long cuts still decode) */
    t_close(&t);
}

static const char *const asa_natives[] = {"message_id", "acl", "hit_count", "connection_id",
                                          "bytes", NULL};

static const struct { const char *why, *line, *want; } asa_ok[] = {
    {"302013 outbound: the initiator is the 'to' side",
     "Apr 29 2013 12:59:50: %ASA-6-302013: Built outbound TCP connection 89743274 for "
     "outside:198.51.100.43/587 (198.51.100.43/587) to inside:10.123.3.42/4952 "
     "(192.0.2.130/12834)",
     "kind=conn|time=1367240390000|src_ip=10.123.3.42|src_port=4952|dst_ip=198.51.100.43|"
     "dst_port=587|direction=out|transport=6|message_id=302013|connection_id=89743274"},
    {"302013 inbound with an identity-firewall user",
     "Jan 13 2021 19:12:37: %ASA-6-302013: Built inbound TCP connection 27215708 for "
     "internet:203.0.113.4/49926 (203.0.113.4/49926)(LOCAL\\username) to vlan-42:10.9.9.9/25 "
     "(10.9.9.9/25) (username)",
     "kind=conn|src_ip=203.0.113.4|dst_ip=10.9.9.9|dst_port=25|direction=in|"
     "user=LOCAL\\username"},
    /* Identity users with a security-group tag: a space inside the parentheses
     * (the line shape from the issue, the user read up to the comma). */
    {"302015 inbound with a user and a security-group tag",
     "Jan 13 2021 19:12:37: %ASA-6-302015: Built inbound UDP connection 13292 for "
     "outside:10.10.10.2/1773 (10.10.10.2/1773)(LOCAL\\username, 321) to inside:192.168.1.7/25 "
     "(192.168.1.7/25)",
     "kind=conn|src_ip=10.10.10.2|src_port=1773|dst_ip=192.168.1.7|dst_port=25|transport=17|"
     "user=LOCAL\\username"},
    {"302013 outbound, the tag with a name, on the initiating side",
     "Jan 13 2021 19:12:38: %ASA-6-302013: Built outbound TCP connection 13293 for "
     "outside:203.0.113.9/587 (203.0.113.9/587) to inside:10.1.1.5/50000 "
     "(198.51.100.1/50000)(LOCAL\\alice, 321:Test_VLAN)",
     "kind=conn|src_ip=10.1.1.5|dst_ip=203.0.113.9|dst_port=587|direction=out|"
     "user=LOCAL\\alice"},
    {"106100 ACL permit, with a header host name and the session- form",
     "Apr 15 2014 09:34:34 EDT: %ASA-session-5-106100: access-list acl_in permitted tcp "
     "inside/10.0.0.13(43013) -> dmz/192.168.33.31(25) hit-cnt 1 first hit [0x71a87d94, 0x0]",
     "kind=conn|time=1397554474000|src_ip=10.0.0.13|dst_port=25|direction=out|acl=acl_in|"
     "hit_count=1"},
    {"106023 deny: a blocked attempt counts",
     "Sep 12 2014 06:53:01 GIFRCHN01 : %ASA-4-106023: Deny tcp src outside:192.0.2.95/24069 "
     "dst inside:10.32.112.125/25 by access-group \"PERMIT_IN\" [0x0, 0x0]\"",
     "kind=conn|src_ip=192.0.2.95|dst_ip=10.32.112.125|dst_port=25|direction=in|acl=PERMIT_IN"},
    {"302014 teardown: not a connection, not oriented",
     "Dec 11 2018 08:01:31 <IP>: %ASA-6-302014: Teardown TCP connection 447236 for "
     "outside:192.0.2.222/1234 to dmz:192.168.1.34/5678 duration 0:00:00 bytes 14804 TCP FINs",
     "kind=-|src_ip=-|dst_port=-|direction=-|transport=6|bytes_out=-|bytes=14804"},
    {"302013 naming a peer instead of an address",
     "Dec 11 2018 08:01:31 <IP>: %ASA-6-302013: Built outbound TCP connection 447236 for "
     "outside:192.0.2.222/1234 (192.0.2.222/1234) to dmz:OCSP_Server/5678 (OCSP_Server/5678)",
     "kind=conn|src_ip=-|src_port=5678|dst_ip=192.0.2.222|direction=-"},
    {"another message: time and id only",
     "<166>Jan 14 2015 13:16:14: %ASA-4-338002: Dynamic Filter permitted black listed TCP "
     "traffic from inside:10.1.1.45/6798",
     "kind=-|time=1421241374000|message_id=338002|src_ip=-"},
    {"no colon after the message id", "Aug 15 2012 23:30:09 : %ASA-6-302016 Teardown UDP "
     "connection 40 for outside:10.44.4.4/500 to inside:10.44.2.2/500 duration 0:02:02 bytes 1416",
     "kind=-|message_id=302016|transport=17"},
};

static void test_asa(void **state)
{
    (void)state;
    tdec t;
    t_open(&t, &decoder_asa, asa_natives);
    for (size_t i = 0; i < sizeof asa_ok / sizeof asa_ok[0]; i++) {
        print_message("  %s\n", asa_ok[i].why);
        assert_ptr_equal(decoder_detect(asa_ok[i].line, strlen(asa_ok[i].line), t_defaults()), &decoder_asa);
        t_ok(&t, asa_ok[i].line, asa_ok[i].want);
    }
    t_bad(&t, "Apr 29 12:59:50 fw : %ASA-6-302013: Built outbound TCP connection 1 for a:1.1.1.1/2"
              " (1.1.1.1/2) to b:2.2.2.2/3 (2.2.2.2/3)", "no \"Mon DD YYYY hh:mm:ss\" time");
    t_bad(&t, "Apr 29 2013 12:59:50: %ASA-6-302013: Built outbound TCP connection 1 for "
              "outside:1.1.1.1", "cannot read the addresses");
    t_bad(&t, "Apr 29 2013 12:59:50: %ASA-5-106100: access-list x permitted tcp inside/1.1.1.1(1)",
          "cannot read the addresses");
    t_bad(&t, "Apr 29 2013 12:59:50: no tag here", "no %ASA-level-id tag");
    t_truncations(&t, asa_ok[0].line);
    t_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_panos),
        cmocka_unit_test(test_asa),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests for the Windows event decoders: winxml (one <Event> per line,
 * Sysmon for Linux syslog lines) and winjson (Mordor/NXLog flat JSON,
 * Winlogbeat, Splunk export, Sentinel Syslog carrying XML), which share
 * winev.c's meaning. Each case: a line, the fields it must give, and why;
 * then bad and truncated records. Values are hand-written after the shapes
 * in shared/data/sysmon and Microsoft's event schemas. */
#include "decode_util.h"

#define SYS(eid, chan, prov, time) \
    "<System><Provider Name='" prov "' Guid='{5770385f-c22a-43e0-bf4c-06f5698ffbd9}'/>" \
    "<EventID>" eid "</EventID><Version>5</Version><Level>4</Level>"                    \
    "<TimeCreated SystemTime='" time "'/><EventRecordID>4242</EventRecordID>"            \
    "<Execution ProcessID='3000' ThreadID='4000'/><Channel>" chan "</Channel>"           \
    "<Computer>WS01.corp.example</Computer><Security UserID='S-1-5-18'/></System>"
#define EV "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>"
#define SYSMON_CHAN "Microsoft-Windows-Sysmon/Operational"
#define PS "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"

/* The Atomic test shape: powershell.exe -> 127.0.0.1:25. */
#define SYSMON3(initiated)                                                                   \
    EV SYS("3", SYSMON_CHAN, "Microsoft-Windows-Sysmon", "2026-11-23T09:15:03.5000000Z")    \
    "<EventData><Data Name='RuleName'>-</Data><Data Name='UtcTime'>2026-11-23 09:15:02.123"  \
    "</Data><Data Name='Image'>" PS "</Data><Data Name='User'>CORP\\alice</Data>"            \
    "<Data Name='Protocol'>tcp</Data><Data Name='Initiated'>" initiated "</Data>"            \
    "<Data Name='SourceIp'>127.0.0.1</Data><Data Name='SourcePort'>50123</Data>"             \
    "<Data Name='DestinationIp'>127.0.0.1</Data><Data Name='DestinationPort'>25</Data>"      \
    "</EventData></Event>"

#define SEC(eid, data) \
    EV SYS(eid, "Security", "Microsoft-Windows-Security-Auditing", "2026-11-23T09:16:00.25Z") \
    "<EventData>" data "</EventData></Event>"

static const char *const natives[] = {"EventID", "Computer", "Image", "TimeCreated",
                                      "ExecutionProcessID", "Application", NULL};

static const struct { const char *why, *line, *want; } xml_ok[] = {
    {"Sysmon 3, Initiated=true to loopback: out (endpoint rule)", SYSMON3("true"),
     "kind=conn|time=1795425302123|host=WS01.corp.example|user=CORP\\alice|proc_path=" PS
     "|proc_name=powershell.exe|src_ip=127.0.0.1|src_port=50123|dst_ip=127.0.0.1|dst_port=25|"
     "direction=out|transport=6|bytes_out=-|bytes_in=-|app_proto=-|EventID=3|"
     "Computer=WS01.corp.example|Image=" PS "|TimeCreated=2026-11-23T09:15:03.5000000Z|"
     "ExecutionProcessID=3000"},
    {"Sysmon 3, Initiated=false: in, addresses as logged", SYSMON3("false"),
     "direction=in|src_port=50123|dst_port=25"},
    {"Sysmon 1: proc, command line", EV SYS("1", SYSMON_CHAN, "Microsoft-Windows-Sysmon",
        "2026-11-23T09:15:00Z") "<EventData><Data Name='UtcTime'>2026-11-23 09:14:59.999</Data>"
        "<Data Name='Image'>" PS "</Data><Data Name='CommandLine'>powershell -c "
        "Send-MailMessage -SmtpServer 127.0.0.1</Data><Data Name='User'>CORP\\alice</Data>"
        "</EventData></Event>",
     "kind=proc|time=1795425299999|cmdline=powershell -c Send-MailMessage -SmtpServer 127.0.0.1|"
     "proc_name=powershell.exe|src_ip=-|dst_port=-|direction=-"},
    {"5156 outbound: Application path, Direction %%14593, no user",
     SEC("5156", "<Data Name='ProcessID'>4242</Data><Data Name='Application'>\\device\\"
         "harddiskvolume2\\tools\\mailer.exe</Data><Data Name='Direction'>%%14593</Data>"
         "<Data Name='SourceAddress'>10.0.0.5</Data><Data Name='SourcePort'>49800</Data>"
         "<Data Name='DestAddress'>203.0.113.25</Data><Data Name='DestPort'>587</Data>"
         "<Data Name='Protocol'>6</Data>"),
     "kind=conn|time=1795425360250|proc_name=mailer.exe|user=-|src_ip=10.0.0.5|"
     "src_port=49800|dst_ip=203.0.113.25|dst_port=587|direction=out|transport=6"},
    {"5156 inbound: Source is still the initiator (real MORDORDC data)",
     SEC("5156", "<Data Name='Application'>\\device\\harddiskvolume2\\windows\\system32\\"
         "dns.exe</Data><Data Name='Direction'>%%14592</Data><Data Name='SourceAddress'>"
         "172.18.38.6</Data><Data Name='SourcePort'>49986</Data><Data Name='DestAddress'>"
         "172.18.38.5</Data><Data Name='DestPort'>53</Data><Data Name='Protocol'>17</Data>"),
     "direction=in|src_ip=172.18.38.6|dst_ip=172.18.38.5|dst_port=53|transport=17"},
    {"4688: user from Target when set, else Subject",
     SEC("4688", "<Data Name='SubjectUserName'>WS01$</Data><Data Name='SubjectDomainName'>"
         "CORP</Data><Data Name='NewProcessName'>C:\\Tools\\mailer.exe</Data>"
         "<Data Name='CommandLine'>mailer.exe --smtp 10.1.1.1</Data>"
         "<Data Name='TargetUserName'>-</Data><Data Name='TargetDomainName'>-</Data>"),
     "kind=proc|user=CORP\\WS01$|proc_path=C:\\Tools\\mailer.exe|cmdline=mailer.exe --smtp "
     "10.1.1.1"},
    {"another event passes through with kind NULL; UserData leaves are named",
     EV SYS("1102", "Security", "Microsoft-Windows-Eventlog", "2019-02-13T18:01:41.5938Z")
     "<UserData><LogFileCleared xmlns='http://manifests.microsoft.com/win/2004/08/windows/"
     "eventlog'><SubjectUserName>admin01</SubjectUserName></LogFileCleared></UserData></Event>",
     "kind=-|time=1550080901593|host=WS01.corp.example|EventID=1102|direction=-"},
    {"Sysmon for Linux in a syslog line; '&lt ' without ';' as Sysmon writes it",
     "May 11 18:10:20 UBUNTU5 sysmon: <Event><System><Provider Name=\"Linux-Sysmon\" "
     "Guid=\"{ff032593-a8d3-4f13-b0d6-01fc615a0f97}\"/><EventID>3</EventID><TimeCreated "
     "SystemTime=\"2022-05-11T18:10:20.465735000Z\"/><Channel>Linux-Sysmon/Operational"
     "</Channel><Computer>UBUNTU5</Computer></System><EventData><Data Name=\"UtcTime\">"
     "2022-05-11 18:10:20.472</Data><Data Name=\"Image\">&lt unknown process&gt </Data>"
     "<Data Name=\"User\">root</Data><Data Name=\"Protocol\">tcp</Data><Data Name=\"Initiated\">"
     "true</Data><Data Name=\"SourceIp\">::ffff:10.0.0.9</Data><Data Name=\"SourcePort\">41000"
     "</Data><Data Name=\"DestinationIp\">198.51.100.7</Data><Data Name=\"DestinationPort\">993"
     "</Data></EventData></Event>",
     "kind=conn|time=1652292620472|host=UBUNTU5|proc_path=&lt unknown process&gt |user=root|"
     "src_ip=10.0.0.9|dst_port=993|direction=out"},
};

static void test_winxml(void **state)
{
    (void)state;
    tdec t;
    t_open(&t, &decoder_winxml, natives);
    for (size_t i = 0; i < sizeof xml_ok / sizeof xml_ok[0]; i++) {
        print_message("  %s\n", xml_ok[i].why);
        assert_true(decoder_winxml.probe(xml_ok[i].line, strlen(xml_ok[i].line)));
        t_ok(&t, xml_ok[i].line, xml_ok[i].want);
    }
    assert_int_equal(t_line(&t, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"), DECODE_SKIP);
    assert_int_equal(t_line(&t, "<Events>"), DECODE_SKIP);
    t_close(&t);
}

static void test_winxml_bad(void **state)
{
    (void)state;
    tdec t;
    t_open(&t, &decoder_winxml, NULL);
    t_bad(&t, SYSMON3("true") SYSMON3("true"), "more than one <Event>");
    t_bad(&t, "<Event><System><EventID>3</EventID></System>", "truncated record?");
    t_bad(&t, "<Event><System><EventID>3</Event>", "XML: mismatched tag");
    t_bad(&t, "just text", "no <Event>");
    /* Every cut of a good event is one bad record, never a crash. */
    static const char line[] = SYSMON3("true");
    assert_int_equal(t_truncations(&t, line), (int)strlen(line) - 1);
    t_close(&t);
}

static const struct { const char *why, *line, *want; } json_ok[] = {
    {"Mordor/NXLog flat JSON, EventID a number, Hostname as the computer",
     "{\"SourceName\":\"Microsoft-Windows-Sysmon\",\"Channel\":\"" SYSMON_CHAN "\","
     "\"Hostname\":\"MXS01.azsentinel.local\",\"TimeCreated\":\"2021-03-14T01:39:40.688Z\","
     "\"EventID\":3,\"UtcTime\":\"2021-03-14 06:39:39.023\",\"Image\":\"C:\\\\Program Files\\\\"
     "Microsoft\\\\Exchange Server\\\\V15\\\\Bin\\\\MSExchangeHMWorker.exe\",\"User\":\"NT "
     "AUTHORITY\\\\SYSTEM\",\"Protocol\":\"tcp\",\"Initiated\":\"true\",\"SourceIp\":"
     "\"192.168.2.5\",\"SourcePort\":\"30009\",\"DestinationIp\":\"192.168.2.5\","
     "\"DestinationPort\":\"25\"}",
     "kind=conn|time=1615703979023|host=MXS01.azsentinel.local|proc_name=MSExchangeHMWorker.exe|"
     "user=NT AUTHORITY\\SYSTEM|direction=out|dst_port=25|EventID=3|"
     "Computer=MXS01.azsentinel.local"},
    {"NXLog 5156: no UtcTime, @timestamp is the time",
     "{\"SourceName\":\"Microsoft-Windows-Security-Auditing\",\"Channel\":\"Security\","
     "\"Hostname\":\"MORDORDC\",\"@timestamp\":\"2020-07-22T04:18:47.980Z\",\"EventID\":5156,"
     "\"Direction\":\"%%14593\",\"SourceAddress\":\"172.18.38.5\",\"SourcePort\":\"52623\","
     "\"DestAddress\":\"168.63.129.16\",\"DestPort\":\"8037\",\"Protocol\":\"6\","
     "\"Application\":\"\\\\device\\\\harddiskvolume4\\\\agent.exe\"}",
     "kind=conn|time=1595391527980|proc_name=agent.exe|direction=out|dst_port=8037|"
     "Application=\\device\\harddiskvolume4\\agent.exe"},
    {"Winlogbeat: winlog.* and winlog.event_data.*, event_id as text",
     "{\"@timestamp\":\"2026-11-23T09:15:03.500Z\",\"winlog\":{\"event_id\":\"3\",\"channel\":\""
     SYSMON_CHAN "\",\"computer_name\":\"WS02\",\"provider_name\":\"Microsoft-Windows-Sysmon\","
     "\"event_data\":{\"UtcTime\":\"2026-11-23 09:15:02.123\",\"Image\":\"C:\\\\Tools\\\\"
     "nc.exe\",\"Initiated\":\"true\",\"SourceIp\":\"10.0.0.7\",\"SourcePort\":\"50000\","
     "\"DestinationIp\":\"203.0.113.5\",\"DestinationPort\":\"465\",\"Protocol\":\"tcp\"}}}",
     "kind=conn|time=1795425302123|host=WS02|proc_name=nc.exe|dst_ip=203.0.113.5|dst_port=465|"
     "EventID=3|Computer=WS02|Image=C:\\Tools\\nc.exe"},
    {"Splunk export: result.EventCode, result.ComputerName",
     "{\"preview\":false,\"result\":{\"EventCode\":\"3\",\"ComputerName\":\"WS03\","
     "\"_time\":\"2026-11-23T09:15:03.000+00:00\",\"UtcTime\":\"2026-11-23 09:15:02.000\","
     "\"Image\":\"C:\\\\x\\\\bad.exe\",\"Initiated\":\"true\",\"DestinationIp\":\"203.0.113.6\","
     "\"DestinationPort\":\"110\",\"SourceIp\":\"10.0.0.8\"}}",
     "kind=conn|time=1795425302000|host=WS03|proc_name=bad.exe|dst_port=110|direction=out"},
    {"Sentinel Syslog row: the XML event in SyslogMessage",
     "{\"Computer\":\"UBUNTU5\",\"SyslogMessage\":\"\\u003cEvent\\u003e\\u003cSystem\\u003e"
     "\\u003cProvider Name=\\\"Linux-Sysmon\\\"/\\u003e\\u003cEventID\\u003e1\\u003c/EventID"
     "\\u003e\\u003cChannel\\u003eLinux-Sysmon/Operational\\u003c/Channel\\u003e\\u003cComputer"
     "\\u003eUBUNTU5\\u003c/Computer\\u003e\\u003c/System\\u003e\\u003cEventData\\u003e\\u003c"
     "Data Name=\\\"UtcTime\\\"\\u003e2022-05-11 18:10:20.395\\u003c/Data\\u003e\\u003cData "
     "Name=\\\"Image\\\"\\u003e/usr/bin/curl\\u003c/Data\\u003e\\u003c/EventData\\u003e\\u003c"
     "/Event\\u003e\"}",
     "kind=proc|time=1652292620395|host=UBUNTU5|proc_name=curl|EventID=1"},
};

static void test_winjson(void **state)
{
    (void)state;
    tdec t;
    t_open(&t, &decoder_winjson, natives);
    for (size_t i = 0; i < sizeof json_ok / sizeof json_ok[0]; i++) {
        print_message("  %s\n", json_ok[i].why);
        assert_true(decoder_winjson.probe(json_ok[i].line, strlen(json_ok[i].line)));
        assert_ptr_equal(decoder_detect(json_ok[i].line, strlen(json_ok[i].line)),
                         &decoder_winjson);
        t_ok(&t, json_ok[i].line, json_ok[i].want);
    }
    t_bad(&t, "{\"EventID\":3,\"Image\":\"x\"", "invalid JSON");
    t_bad(&t, "{\"Channel\":\"Security\"}", "no event id");
    t_bad(&t, "{\"SyslogMessage\":\"<Event><System><EventID>3</EventID></System>\"}",
          "truncated record?");
    const char *line = json_ok[0].line;
    assert_int_equal(t_truncations(&t, line), (int)strlen(line) - 1);
    assert_false(decoder_winjson.probe("{\"event_type\":\"flow\"}", 21));
    t_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_winxml),
        cmocka_unit_test(test_winxml_bad),
        cmocka_unit_test(test_winjson),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

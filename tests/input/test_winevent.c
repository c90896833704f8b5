/* Unit tests for the Windows event decoders: winxml (one <Event> per line,
 * Sysmon for Linux syslog lines) and winjson (Mordor/NXLog flat JSON,
 * Winlogbeat, Splunk export, Sentinel Syslog carrying XML), which share
 * winev.c's meaning. Each case: a line, the fields it must give, and why;
 * then bad and truncated records. Values are hand-written after the shapes
 * in shared/data/sysmon and Microsoft's event schemas.
 *
 * Then the process context (winctx.h): connection events joined to the
 * Sysmon EID 1 / 4688 that created their process, through each decoder's
 * decoder_context as the driver uses it, and in EVTX files (evtx.c's own
 * two passes) on the real samples in ../shared/data/evtx when present. */
#include "decode_util.h"

#include <unistd.h>

#include "input/wholefile.h"

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
        assert_true(decoder_winxml.probe(xml_ok[i].line, strlen(xml_ok[i].line), t_defaults()));
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
        assert_true(decoder_winjson.probe(json_ok[i].line, strlen(json_ok[i].line), t_defaults()));
        assert_ptr_equal(decoder_detect(json_ok[i].line, strlen(json_ok[i].line), t_defaults()),
                         &decoder_winjson);
        t_ok(&t, json_ok[i].line, json_ok[i].want);
    }
    t_bad(&t, "{\"EventID\":3,\"Image\":\"x\"", "invalid JSON");
    t_bad(&t, "{\"Channel\":\"Security\"}", "no event id");
    t_bad(&t, "{\"SyslogMessage\":\"<Event><System><EventID>3</EventID></System>\"}",
          "truncated record?");
    const char *line = json_ok[0].line;
    assert_int_equal(t_truncations(&t, line), (int)strlen(line) - 1);
    assert_false(decoder_winjson.probe("{\"event_type\":\"flow\"}", 21, t_defaults()));
    t_close(&t);
}

/* ---- process context ------------------------------------------------------ */

#define SYSX(eid, chan, prov, time, host)                                                    \
    "<System><Provider Name='" prov "'/><EventID>" eid "</EventID><TimeCreated SystemTime='"  \
    time "'/><Channel>" chan "</Channel><Computer>" host "</Computer></System>"
/* Sysmon EID 1 and 3; time is TimeCreated (no UtcTime: winev falls back to it). */
#define SM1(time, host, guid, pid, image, cmd, user)                                          \
    EV SYSX("1", SYSMON_CHAN, "Microsoft-Windows-Sysmon", time, host)                         \
    "<EventData><Data Name='ProcessGuid'>" guid "</Data><Data Name='ProcessId'>" pid          \
    "</Data><Data Name='Image'>" image "</Data><Data Name='CommandLine'>" cmd "</Data>"      \
    "<Data Name='User'>" user "</Data><Data Name='ParentProcessId'>1</Data></EventData></Event>"
#define SM3(time, host, guid, pid, image, user_data)                                          \
    EV SYSX("3", SYSMON_CHAN, "Microsoft-Windows-Sysmon", time, host)                         \
    "<EventData><Data Name='ProcessGuid'>" guid "</Data><Data Name='ProcessId'>" pid          \
    "</Data><Data Name='Image'>" image "</Data>" user_data "<Data Name='Protocol'>tcp</Data>" \
    "<Data Name='Initiated'>true</Data><Data Name='SourceIp'>10.0.0.5</Data>"                \
    "<Data Name='SourcePort'>50000</Data><Data Name='DestinationIp'>203.0.113.25</Data>"     \
    "<Data Name='DestinationPort'>587</Data></EventData></Event>"
/* Security 4688 (ProcessId is the creator's, NewProcessId the new one's) and 5156. */
#define S4688(time, host, newpid, cmd_data)                                                   \
    EV SYSX("4688", "Security", "Microsoft-Windows-Security-Auditing", time, host)            \
    "<EventData><Data Name='SubjectUserName'>bob</Data><Data Name='SubjectDomainName'>CORP"  \
    "</Data><Data Name='NewProcessId'>" newpid "</Data><Data Name='NewProcessName'>"         \
    "C:\\Tools\\mailer.exe</Data><Data Name='ProcessId'>0x1f4</Data>" cmd_data            \
    "<Data Name='TargetUserName'>-</Data><Data Name='TargetDomainName'>-</Data></EventData></Event>"
#define S5156(time, host, pid)                                                                \
    EV SYSX("5156", "Security", "Microsoft-Windows-Security-Auditing", time, host)            \
    "<EventData><Data Name='ProcessID'>" pid "</Data><Data Name='Application'>\\device\\"  \
    "harddiskvolume2\\tools\\mailer.exe</Data><Data Name='Direction'>%%14593</Data>"       \
    "<Data Name='SourceAddress'>10.0.0.5</Data><Data Name='SourcePort'>49800</Data>"         \
    "<Data Name='DestAddress'>203.0.113.25</Data><Data Name='DestPort'>587</Data>"           \
    "<Data Name='Protocol'>6</Data></EventData></Event>"
#define CMD(c) "<Data Name='CommandLine'>" c "</Data>"
#define USER(u) "<Data Name='User'>" u "</Data>"
#define G_PS "{4E1D9A03-8C75-6743-7E05-000000001C00}"
#define G_OLD "{4E1D9A03-1111-6743-0000-000000001C00}"

/* The process events the context is built from, in an order that puts
 * nothing before what it explains. */
static const char *const xml_procs[] = {
    SM1("2026-11-23T09:00:00Z", "WS01.corp.example", G_PS, "4420", PS,
        "powershell.exe &amp; {Send-MailMessage -SmtpServer 127.0.0.1}", "CORP\\alice"),
    /* pid 5000 on WS01: a Sysmon process with its own GUID */
    SM1("2026-11-23T08:00:00Z", "WS01.corp.example", G_OLD, "5000", "C:\\old.exe", "old.exe -x",
        "CORP\\alice"),
    /* pid 0x1a2c = 6700 on WS02, used twice: 09:00 and 11:00 */
    S4688("2026-11-23T09:00:00Z", "WS02.corp.example", "0x1a2c", CMD("mailer.exe --first")),
    S4688("2026-11-23T11:00:00Z", "WS02.corp.example", "0x1A2C", CMD("mailer.exe --second")),
    /* command-line auditing off: an empty CommandLine */
    S4688("2026-11-23T09:00:00Z", "WS02.corp.example", "0x10", CMD("")),
    NULL,
};

static const struct { const char *why, *line, *want; } joins[] = {
    {"Sysmon 3 joins its EID 1 by ProcessGuid; its own User stays",
     SM3("2026-11-23T09:01:00Z", "WS01.corp.example", G_PS, "4420", PS, USER("CORP\\carol")),
     "kind=conn|cmdline=powershell.exe & {Send-MailMessage -SmtpServer 127.0.0.1}|"
     "user=CORP\\carol|CommandLine=powershell.exe & {Send-MailMessage -SmtpServer 127.0.0.1}|"
     "User=CORP\\carol"},
    {"GUID without braces, lower case; no User: the process's user fills it",
     SM3("2026-11-23T09:01:00Z", "WS01.corp.example", "4e1d9a03-8c75-6743-7e05-000000001c00",
         "9999", PS, ""),
     "cmdline=powershell.exe & {Send-MailMessage -SmtpServer 127.0.0.1}|user=CORP\\alice|"
     "User=CORP\\alice"},
    {"User \"-\" (Sysmon's unknown) counts as missing",
     SM3("2026-11-23T09:01:00Z", "WS01.corp.example", G_PS, "4420", PS, USER("-")),
     "user=CORP\\alice"},
    {"an unknown GUID does not take another GUID's process by pid (pid reuse)",
     SM3("2026-11-23T09:01:00Z", "WS01.corp.example", "{4E1D9A03-2222-6743-0000-000000001C00}",
         "5000", "C:\\new.exe", ""),
     "cmdline=-|user=-|CommandLine=-|User=-"},
    {"Sysmon 3 with an unknown GUID falls back to (Computer, ProcessId): a 4688, any case",
     SM3("2026-11-23T09:30:00Z", "ws02.CORP.example", "{4E1D9A03-3333-6743-0000-000000001C00}",
         "6700", "C:\\Tools\\mailer.exe", ""),
     "cmdline=mailer.exe --first|user=CORP\\bob"},
    {"5156 joins 4688 by (Computer, ProcessID): decimal vs 0x hex; 4688 user from Subject",
     S5156("2026-11-23T10:00:00Z", "WS02.corp.example", "6700"),
     "kind=conn|cmdline=mailer.exe --first|user=CORP\\bob|CommandLine=mailer.exe --first|"
     "User=CORP\\bob"},
    {"pid reused: the newest process created at or before the connection",
     S5156("2026-11-23T11:00:00Z", "WS02.corp.example", "6700"), "cmdline=mailer.exe --second"},
    {"a connection before every process with its pid: none is its process",
     S5156("2026-11-23T08:59:59Z", "WS02.corp.example", "6700"), "cmdline=-|user=-"},
    {"the same pid on another host is another process",
     S5156("2026-11-23T10:00:00Z", "WS03.corp.example", "6700"), "cmdline=-|user=-"},
    {"an empty 4688 CommandLine stays missing; its user still joins",
     S5156("2026-11-23T10:00:00Z", "WS02.corp.example", "16"), "cmdline=-|user=CORP\\bob"},
    {"5156 ProcessID in hex", S5156("2026-11-23T10:00:00Z", "WS02.corp.example", "0x1a2c"),
     "cmdline=mailer.exe --first"},
    {"a process event keeps its own fields",
     S4688("2026-11-23T12:00:00Z", "WS02.corp.example", "0x99", CMD("own.exe")),
     "kind=proc|cmdline=own.exe|user=CORP\\bob"},
};

static const char *const join_natives[] = {"CommandLine", "User", NULL};

/* Gives a context one line, as the driver does. */
static void add_line(const decoder_context *dc, void *ctx, const char *line, uint64_t seq)
{
    json_line l;
    json_line_init(&l, line, strlen(line));
    dc->add(ctx, &l, seq);
}

/* A context built from `procs` as the driver's first pass builds it. */
static void *context_of(const decoder *dec, const char *const *procs)
{
    void *ctx = dec->context->create();
    for (int i = 0; procs[i]; i++)
        add_line(dec->context, ctx, procs[i], (uint64_t)i);
    return ctx;
}

static void report_has(const decoder *dec, void *ctx, const char *want)
{
    char buf[512];
    dec->context->report(ctx, buf, sizeof buf);
    if (!strstr(buf, want))
        fail_msg("report '%s' lacks '%s'", buf, want);
}

static void test_winxml_join(void **state)
{
    (void)state;
    void *ctx = context_of(&decoder_winxml, xml_procs);
    tdec t;
    t_open(&t, &decoder_winxml, join_natives);
    decoder_winxml.context->use(t.state, ctx);
    for (size_t i = 0; i < sizeof joins / sizeof joins[0]; i++) {
        print_message("  %s\n", joins[i].why);
        t_ok(&t, joins[i].line, joins[i].want);
    }
    t_close(&t);
    /* 11 connection events looked up, all but 3 found; 5 process events kept. */
    report_has(&decoder_winxml, ctx, "winxml: 8 of 11 connection events joined their process (5 ");
    decoder_winxml.context->destroy(ctx);

    /* Without a context (another run, or --no-enrich), nothing is joined. */
    t_open(&t, &decoder_winxml, join_natives);
    t_ok(&t, joins[0].line, "cmdline=-|user=CORP\\carol|CommandLine=-");
    t_ok(&t, joins[5].line, "cmdline=-|user=-");
    t_close(&t);
    /* The driver hands add() no context under --no-enrich --now latest. */
    add_line(decoder_winxml.context, NULL, xml_procs[0], 0);
}

/* Tables built by two threads, each from every other process event, and
 * merged in either order, join as the one table does (winctx.h: seq). */
static void test_winxml_join_merged(void **state)
{
    (void)state;
    const decoder_context *dc = decoder_winxml.context;
    for (int order = 0; order < 2; order++) {
        void *half[2] = {dc->create(), dc->create()};
        for (int i = 0; xml_procs[i]; i++)
            add_line(dc, half[i % 2], xml_procs[i], (uint64_t)i);
        dc->merge(half[order], half[!order]);
        dc->destroy(half[!order]);
        tdec t;
        t_open(&t, &decoder_winxml, join_natives);
        dc->use(t.state, half[order]);
        for (size_t i = 0; i < sizeof joins / sizeof joins[0]; i++)
            t_ok(&t, joins[i].line, joins[i].want);
        t_close(&t);
        dc->destroy(half[order]);
    }
}

/* The order the process events come in does not matter; nor do bad lines. */
static void test_winxml_join_order(void **state)
{
    (void)state;
    static const char *const reversed[] = {
        "<Event><System><EventID>1</EventID>", /* cut short: ignored, no crash */
        "not XML at all CommandLine",
        S4688("2026-11-23T11:00:00Z", "WS02.corp.example", "0x1A2C", CMD("mailer.exe --second")),
        S4688("2026-11-23T09:00:00Z", "WS02.corp.example", "0x1a2c", CMD("mailer.exe --first")),
        NULL,
    };
    void *ctx = context_of(&decoder_winxml, reversed);
    tdec t;
    t_open(&t, &decoder_winxml, NULL);
    decoder_winxml.context->use(t.state, ctx);
    t_ok(&t, S5156("2026-11-23T10:00:00Z", "WS02.corp.example", "6700"),
         "cmdline=mailer.exe --first");
    t_ok(&t, S5156("2026-11-23T12:00:00Z", "WS02.corp.example", "6700"),
         "cmdline=mailer.exe --second");
    t_close(&t);
    decoder_winxml.context->destroy(ctx);
}

/* winjson: the same join whatever the JSON shape, XML carried in a string
 * included; a context from one shape serves another. */
static void test_winjson_join(void **state)
{
    (void)state;
    static const char *const procs[] = {
        /* Winlogbeat 4688 */
        "{\"@timestamp\":\"2026-11-23T09:00:00.000Z\",\"winlog\":{\"event_id\":4688,\"channel\":"
        "\"Security\",\"computer_name\":\"WS02.corp.example\",\"provider_name\":\"Microsoft-"
        "Windows-Security-Auditing\",\"event_data\":{\"NewProcessId\":\"0x1a2c\",\"ProcessId\":"
        "\"0x1f4\",\"CommandLine\":\"mailer.exe --beat\",\"SubjectUserName\":\"bob\","
        "\"SubjectDomainName\":\"CORP\"}}}",
        /* Mordor/NXLog flat Sysmon 1 */
        "{\"SourceName\":\"Microsoft-Windows-Sysmon\",\"Channel\":\"" SYSMON_CHAN "\","
        "\"Hostname\":\"WS01\",\"EventID\":1,\"UtcTime\":\"2026-11-23 09:00:00.000\","
        "\"ProcessGuid\":\"{0C0FFEE0-0000-6743-0000-000000000001}\",\"ProcessId\":\"77\","
        "\"Image\":\"C:\\\\x\\\\nc.exe\",\"CommandLine\":\"nc.exe 203.0.113.25 587\","
        "\"User\":\"CORP\\\\dave\"}",
        /* Sentinel Syslog row carrying a Sysmon for Linux EID 1 */
        "{\"Computer\":\"lnx1\",\"SyslogMessage\":\"<Event><System><Provider Name=\\\"Linux-"
        "Sysmon\\\"/><EventID>1</EventID><Channel>Linux-Sysmon/Operational</Channel><Computer>"
        "lnx1</Computer></System><EventData><Data Name=\\\"UtcTime\\\">2026-11-23 09:00:00.000"
        "</Data><Data Name=\\\"ProcessGuid\\\">{aa-bb}</Data><Data Name=\\\"ProcessId\\\">"
        "4242</Data><Data Name=\\\"Image\\\">/usr/bin/curl</Data><Data Name=\\\"CommandLine"
        "\\\">curl imap://127.0.0.1:143/</Data><Data Name=\\\"User\\\">root</Data>"
        "</EventData></Event>\"}",
        NULL,
    };
    static const struct { const char *why, *line, *want; } conns[] = {
        {"Winlogbeat 5156 (ProcessID decimal) -> Winlogbeat 4688",
         "{\"@timestamp\":\"2026-11-23T10:00:00.000Z\",\"winlog\":{\"event_id\":\"5156\","
         "\"channel\":\"Security\",\"computer_name\":\"WS02.corp.example\",\"event_data\":"
         "{\"ProcessID\":\"6700\",\"Application\":\"\\\\device\\\\x\\\\mailer.exe\","
         "\"Direction\":\"%%14593\",\"DestAddress\":\"203.0.113.25\",\"DestPort\":\"587\"}}}",
         "kind=conn|cmdline=mailer.exe --beat|user=CORP\\bob"},
        {"flat Sysmon 3 without User -> flat Sysmon 1 by GUID",
         "{\"Channel\":\"" SYSMON_CHAN "\",\"Hostname\":\"WS01\",\"EventID\":3,"
         "\"UtcTime\":\"2026-11-23 09:00:01.000\",\"ProcessGuid\":\"{0C0FFEE0-0000-6743-0000-"
         "000000000001}\",\"ProcessId\":\"77\",\"Image\":\"C:\\\\x\\\\nc.exe\","
         "\"Initiated\":\"true\",\"DestinationIp\":\"203.0.113.25\",\"DestinationPort\":\"587\"}",
         "kind=conn|cmdline=nc.exe 203.0.113.25 587|user=CORP\\dave"},
        {"Winlogbeat Sysmon 3 -> the Sysmon for Linux EID 1 carried in SyslogMessage",
         "{\"@timestamp\":\"2026-11-23T09:00:02.000Z\",\"winlog\":{\"event_id\":3,\"channel\":"
         "\"Linux-Sysmon/Operational\",\"provider_name\":\"Linux-Sysmon\",\"computer_name\":"
         "\"lnx1\",\"event_data\":{\"ProcessGuid\":\"{AA-BB}\",\"ProcessId\":\"4242\","
         "\"Image\":\"/usr/bin/curl\",\"User\":\"root\",\"Initiated\":\"true\","
         "\"DestinationIp\":\"127.0.0.1\",\"DestinationPort\":\"143\"}}}",
         "kind=conn|cmdline=curl imap://127.0.0.1:143/|user=root"},
    };
    void *ctx = context_of(&decoder_winjson, procs);
    tdec t;
    t_open(&t, &decoder_winjson, NULL);
    decoder_winjson.context->use(t.state, ctx);
    for (size_t i = 0; i < sizeof conns / sizeof conns[0]; i++) {
        print_message("  %s\n", conns[i].why);
        t_ok(&t, conns[i].line, conns[i].want);
    }
    t_close(&t);
    report_has(&decoder_winjson, ctx, "winjson: 3 of 3 connection events joined");
    decoder_winjson.context->destroy(ctx);
}

/* ---- EVTX: the reader's own two passes, on the real samples ---- */

typedef struct evtx_joins {
    tdec *t;
    int conn, with_user, with_cmd;
    char cmd[128];
} evtx_joins;

static void evtx_event(void *ud)
{
    evtx_joins *j = ud;
    if (!value_kind(j->t, "conn"))
        return;
    j->conn++;
    j->with_user += strcmp(t_text(j->t, "user"), "-") != 0;
    if (strcmp(t_text(j->t, "cmdline"), "-") != 0) {
        j->with_cmd++;
        snprintf(j->cmd, sizeof j->cmd, "%.127s", t_text(j->t, "cmdline"));
    }
}

static void evtx_bad(void *ud, uint64_t record, uint64_t offset, const char *msg)
{
    (void)ud, (void)record, (void)offset;
    fail_msg("bad record: %s", msg);
}

static const char *evtx_sample(const char *name)
{
    static char path[1024];
    const char *tail = strstr(__FILE__, "tests/input/test_winevent.c");
    snprintf(path, sizeof path, "%.*s../shared/data/evtx/%s", tail ? (int)(tail - __FILE__) : 0,
             __FILE__, name);
    return access(path, R_OK) == 0 ? path : NULL;
}

static evtx_joins evtx_run(const char *name)
{
    tdec t;
    t_open(&t, &decoder_evtx, NULL);
    evtx_joins j = {&t, 0, 0, 0, ""};
    wf_sink sink = {evtx_event, evtx_bad, &j, 1};
    char err[256];
    assert_int_equal(evtx_each(evtx_sample(name), t.fields, t.nfields, &t.settings, t.row, &t.scratch, &sink,
                               err, sizeof err), 0);
    t_close(&t);
    j.t = NULL;
    return j;
}

/* Expected counts made with libevtx's evtxexport and a script that joins
 * by hand, not with mailc2. */
static void test_evtx_join(void **state)
{
    (void)state;
    if (!evtx_sample("eas_DE_RDP_Tunnel_5156.evtx"))
        skip();
    /* 63 WFP 5156 events; 3 (plink.exe, pid 3848) have their 4688 in the
     * file, which has no command line (auditing off) but the Subject user. */
    evtx_joins j = evtx_run("eas_DE_RDP_Tunnel_5156.evtx");
    assert_int_equal(j.conn, 63);
    assert_int_equal(j.with_user, 3);
    assert_int_equal(j.with_cmd, 0);
    /* 2 Sysmon EID 3; powershell.exe's (to 10.0.2.19:4444) has its EID 1. */
    j = evtx_run("eas_LM_sysmon_psexec_smb_meterpreter.evtx");
    assert_int_equal(j.conn, 2);
    assert_int_equal(j.with_cmd, 1);
    assert_true(strncmp(j.cmd, "\"powershell.exe\" -noni -nop -w hidden -c &([scriptblock]", 56) == 0);
    /* 42 Sysmon EID 3; plink.exe's 3 have their EID 1. */
    j = evtx_run("eas_DE_sysmon-3-rdp-tun.evtx");
    assert_int_equal(j.conn, 42);
    assert_int_equal(j.with_cmd, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_winxml),
        cmocka_unit_test(test_winxml_bad),
        cmocka_unit_test(test_winjson),
        cmocka_unit_test(test_winxml_join),
        cmocka_unit_test(test_winxml_join_merged),
        cmocka_unit_test(test_winxml_join_order),
        cmocka_unit_test(test_winjson_join),
        cmocka_unit_test(test_evtx_join),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests for the QRadar inputs: the Log Activity CSV export, the Ariel
 * API JSON (read whole) and LEEF 1.0/2.0; names found under their AQL,
 * display and LEEF spellings in any case; typed natives; Bytes Sent that is
 * empty or not a number; bad and cut records. Last, the three sample files
 * in samples/qradar must decode to the same 30 events. */
#include "decode_util.h"

#include <unistd.h>

#include "input/wholefile.h"

static const char *const natives[] = {"sourceip", "destinationport", "eventdirection",
                                      "Process Name", "BYTES SENT", "starttime", "Username",
                                      NULL};

static const char header[] =
    "Event Name,Log Source,Event Count,Start Time,Source IP,Source Port,Destination IP,"
    "Destination Port,Username,Event Direction,Protocol,Hostname,Process Name,Bytes Sent";

static void test_csv(void **state)
{
    (void)state;
    tdec t;
    t_open(&t, &decoder_qradar_csv, natives);
    assert_ptr_equal(decoder_detect(header, strlen(header), t_defaults()), &decoder_qradar_csv);
    assert_int_equal(t_line(&t, header), DECODE_SKIP);
    t_ok(&t, "Net conn,Sysmon @ WS,1,\"Nov 23, 2026, 8:05:12 AM\",10.20.30.40,50100,"
             "198.51.100.77,587,CORP\\jdoe,L2R,tcp.ip,WS-FIN-07,C:\\x\\implant.exe,1204",
         "kind=conn|time=1795421112000|host=WS-FIN-07|proc_name=implant.exe|proc_path=-|"
         "user=CORP\\jdoe|src_ip=10.20.30.40|dst_port=587|direction=out|transport=6|"
         "bytes_out=1204|sourceip=10.20.30.40|destinationport=587|eventdirection=L2R|"
         "Process Name=C:\\x\\implant.exe|BYTES SENT=1204|starttime=1795421112000|"
         "Username=CORP\\jdoe");
    /* Bytes Sent "1.2k": NULL bytes, the native keeps QRadar's text (LONG() decides). */
    t_ok(&t, "e,l,1,1795421112000,10.0.0.1,1,127.0.0.1,25,,L2L,tcp.ip,,powershell.exe,1.2k",
         "direction=out|bytes_out=-|BYTES SENT=1.2k|user=-|Username=-|host=-");
    /* No Event Direction cell: computed; R2L is inbound. */
    t_ok(&t, "e,l,1,1795421112000,203.0.113.5,1,10.0.0.2,25,,,tcp.ip,,,",
         "direction=in|eventdirection=R2L|proc_name=-");
    t_bad(&t, "e,l,1,yesterday,10.0.0.1,1,127.0.0.1,25,,L2L,tcp.ip,,x,1",
          "Start Time 'yesterday' is not a time");
    t_bad(&t, "e,l,1,1795421112000,10.0.0.1", "5 columns, the header has 14");
    t_bad(&t, "e,\"l,1,1795421112000", "unterminated quote");
    t_close(&t);
}

static void test_leef(void **state)
{
    (void)state;
    tdec t;
    t_open(&t, &decoder_leef, natives);
    static const char v2[] =
        "<13>Nov 23 08:05:12 WS LEEF:2.0|Microsoft|Sysmon|15.0|3|^|devTime=Nov 23 2026 08:05:12"
        "^src=10.20.30.40^srcPort=50100^dst=198.51.100.77^dstPort=587^proto=TCP^usrName=CORP\\j"
        "^identHostName=WS^processName=implant.exe^srcBytes=99";
    assert_ptr_equal(decoder_detect(v2, strlen(v2), t_defaults()), &decoder_leef);
    t_ok(&t, v2, "kind=conn|time=1795421112000|host=WS|proc_name=implant.exe|user=CORP\\j|"
                 "dst_port=587|direction=out|transport=6|bytes_out=99|eventdirection=L2R|"
                 "sourceip=10.20.30.40|Process Name=implant.exe|starttime=1795421112000");
    t_ok(&t, "LEEF:1.0|Palo Alto Networks|PAN-OS|10.1|allow|devTime=1795421112000\tsrc=10.0.0.9"
             "\tdst=198.51.100.1\tdstPort=993\tproto=6",
         "kind=conn|time=1795421112000|dst_port=993|proc_name=-|bytes_out=-");
    t_ok(&t, "LEEF:2.0|V|P|1|e|x7C|src=10.0.0.9|dst=10.0.0.8|dstPort=25",
         "dst_port=25|direction=out|eventdirection=L2L|time=-");
    t_ok(&t, "LEEF:2.0|V|P|1|e|src=203.0.113.1\tdst=10.0.0.8\tdstPort=25",
         "direction=in|src_ip=203.0.113.1");
    t_bad(&t, "LEEF:1.0|V|P|1", "3 of its 5 '|' fields");
    t_bad(&t, "LEEF:1.0|V|P|1|e|src=10.0.0.1\tjunk", "attribute 'junk' has no '='");
    t_bad(&t, "LEEF:1.0|V|P|1|e|devTime=soon", "devTime 'soon' is not a time");
    t_truncations(&t, v2);
    t_close(&t);
}

typedef struct sink_log {
    int events, bad;
    uint64_t bad_line;
    char msg[256];
    tdec *t;
    char kinds[64];
} sink_log;

static void on_event(void *ud)
{
    sink_log *s = ud;
    s->events++;
}

static void on_bad(void *ud, uint64_t record, uint64_t offset, const char *msg)
{
    sink_log *s = ud;
    (void)offset;
    s->bad++;
    s->bad_line = record;
    snprintf(s->msg, sizeof s->msg, "%s", msg);
}

static int read_json(const char *text, sink_log *s, char *err, size_t errlen)
{
    char path[] = "/tmp/mailc2-test-qradar-XXXXXX";
    int fd = mkstemp(path);
    assert_true(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
    close(fd);
    tdec t;
    t_open(&t, &decoder_qradar_json, natives);
    memset(s, 0, sizeof *s);
    wf_sink sink = {on_event, on_bad, s, 1};
    int rc = qradar_json_each(path, t.fields, t.nfields, &t.settings, t.row, &t.scratch, &sink, err, errlen);
    t_close(&t);
    unlink(path);
    return rc;
}

static void test_json(void **state)
{
    (void)state;
    sink_log s;
    char err[256];
    assert_true(decoder_qradar_json.probe("  \"events\": [", 13, t_defaults()));
    assert_true(decoder_qradar_json.probe("{\"events\":[{\"a\":1}]}", 20, t_defaults()));
    assert_false(decoder_qradar_json.probe("{\"event\":1}", 11, t_defaults()));
    assert_int_equal(read_json("{\n  \"events\": [\n    {\"sourceip\": \"10.0.0.1\", "
                               "\"destinationport\": 25},\n    {\"sourceip\": 1,,},\n"
                               "    {\"username\": null}\n  ]\n}\n", &s, err, sizeof err), 0);
    assert_int_equal(s.events, 2);
    assert_int_equal(s.bad, 1);
    assert_int_equal(s.bad_line, 4);
    assert_non_null(strstr(s.msg, "not a valid JSON object"));
    /* Cut off mid-event: the whole events before it are kept. */
    assert_int_equal(read_json("{\"events\":[{\"a\":1},\n{\"b\":\"x", &s, err, sizeof err), 0);
    assert_int_equal(s.events, 1);
    assert_int_equal(s.bad, 1);
    assert_non_null(strstr(s.msg, "truncated file?"));
    assert_int_equal(read_json("{\"events\":[{\"a\":1}", &s, err, sizeof err), 0);
    assert_non_null(strstr(s.msg, "not closed"));
    assert_int_equal(read_json("{\"other\":[]}", &s, err, sizeof err), -1);
    assert_non_null(strstr(err, "no \"events\" array"));
}

/* ---- the samples ---- */

typedef struct collect {
    tdec *t;
    int n;
    char rows[64][512];
} collect;

static void keep_row(collect *c)
{
    static const char *const canon[] = {"kind", "time", "host", "proc_path", "proc_name", "user",
                                        "src_ip", "dst_ip", "dst_port", "direction", "bytes_out"};
    char *row = c->rows[c->n++];
    row[0] = '\0';
    for (size_t i = 0; i < sizeof canon / sizeof canon[0]; i++) {
        strcat(row, t_text(c->t, canon[i]));
        strcat(row, "|");
    }
}

static void on_json_event(void *ud)
{
    keep_row(ud);
}

static void on_json_bad(void *ud, uint64_t record, uint64_t offset, const char *msg)
{
    (void)ud, (void)record, (void)offset;
    fail_msg("sample JSON: %s", msg);
}

static const char *sample(const char *name)
{
    static char path[1024];
    const char *tail = strstr(__FILE__, "tests/input/test_qradar.c");
    snprintf(path, sizeof path, "%.*ssamples/qradar/%s", tail ? (int)(tail - __FILE__) : 0,
             __FILE__, name);
    return path;
}

static void read_lines(const decoder *dec, const char *name, collect *c)
{
    tdec t;
    t_open(&t, dec, NULL);
    c->t = &t;
    c->n = 0;
    FILE *f = fopen(sample(name), "r");
    assert_non_null(f);
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        int rc = t_line(&t, line);
        if (rc == DECODE_BAD)
            fail_msg("%s: %s", name, t.err);
        if (rc == DECODE_OK)
            keep_row(c);
    }
    fclose(f);
    t_close(&t);
}

static void test_samples_agree(void **state)
{
    (void)state;
    static collect csv, leef, json;
    read_lines(&decoder_qradar_csv, "log_activity.csv", &csv);
    read_lines(&decoder_leef, "events.leef", &leef);
    tdec t;
    t_open(&t, &decoder_qradar_json, NULL);
    json.t = &t;
    wf_sink sink = {on_json_event, on_json_bad, &json, 1};
    char err[256];
    assert_int_equal(qradar_json_each(sample("ariel_search_results.json"), t.fields, t.nfields,
                                      &t.settings, t.row, &t.scratch, &sink, err, sizeof err), 0);
    t_close(&t);
    assert_int_equal(csv.n, 30);
    assert_int_equal(leef.n, 30);
    assert_int_equal(json.n, 30);
    for (int i = 0; i < 30; i++) {
        assert_string_equal(csv.rows[i], json.rows[i]);
        /* LEEF has no Process Path for the firewall rows either, so rows agree. */
        assert_string_equal(csv.rows[i], leef.rows[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_leef),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_samples_agree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

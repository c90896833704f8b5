/* Unit tests for src/input/evtx.c on the real EVTX samples in
 * ../shared/data/evtx (skipped when that folder is absent): record and
 * event-kind counts against PROVENANCE.md (made there with libevtx's
 * evtxexport), a chunk whose signature is destroyed (only its records are
 * lost, one bad record names its offset), a file cut short, and a file that
 * is not EVTX. */
#include "decode_util.h"

#include <sys/stat.h>
#include <unistd.h>

#include "input/wholefile.h"


typedef struct counts {
    int events, conn, proc, bad;
    uint64_t bad_offset;
    char last_bad[256];
    tdec *t;
} counts;

static void on_event(void *ud)
{
    counts *c = ud;
    c->events++;
    c->conn += value_kind(c->t, "conn");
    c->proc += value_kind(c->t, "proc");
}

static void on_bad(void *ud, uint64_t record, uint64_t offset, const char *msg)
{
    counts *c = ud;
    (void)record;
    c->bad++;
    c->bad_offset = offset;
    snprintf(c->last_bad, sizeof c->last_bad, "%s", msg);
}

/* ../shared/data beside the project, found from this file's own path. */
static const char *root(void)
{
    static char path[1024];
    const char *tail = strstr(__FILE__, "tests/input/test_evtx.c");
    snprintf(path, sizeof path, "%.*s../shared/data", tail ? (int)(tail - __FILE__) : 0, __FILE__);
    return path;
}

static int run(const char *path, counts *c, char *err, size_t errlen)
{
    tdec t;
    t_open(&t, &decoder_evtx, NULL);
    memset(c, 0, sizeof *c);
    c->t = &t;
    wf_sink sink = {on_event, on_bad, c, 1};
    int rc = evtx_each(path, t.fields, t.nfields, &t.settings, t.row, &t.scratch, &sink, err, errlen);
    t_close(&t);
    return rc;
}

static char *sample(const char *name)
{
    static char path[2048];
    snprintf(path, sizeof path, "%s/evtx/%s", root(), name);
    return access(path, R_OK) == 0 ? path : NULL;
}

static void test_counts(void **state)
{
    (void)state;
    static const struct { const char *file; int events, conn, proc; } want[] = {
        {"eas_DE_RDP_Tunnel_5156.evtx", 101, 63, 17},          /* 5156 x63, 4688 x17 */
        {"eas_DE_sysmon-3-rdp-tun.evtx", 73, 42, 13},          /* EID 3 x42, EID 1 x13 */
        {"eas_tunna_iis_rdp_smb_tunneling_sysmon_3.evtx", 12, 12, 0},
        {"eas_LM_sysmon_psexec_smb_meterpreter.evtx", 10, 2, 3},
        {"omer_sysmon.evtx", 358, 2, 227},
    };
    if (!sample(want[0].file))
        skip();
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        counts c;
        char err[256];
        assert_int_equal(run(sample(want[i].file), &c, err, sizeof err), 0);
        if (c.events != want[i].events || c.conn != want[i].conn || c.proc != want[i].proc ||
            c.bad)
            fail_msg("%s: %d events (%d conn, %d proc), %d bad", want[i].file, c.events, c.conn,
                     c.proc, c.bad);
    }
}

/* Copies a sample, lets `damage` change the copy, returns its path. */
static const char *damaged(const char *name, void (*damage)(FILE *f))
{
    static char out[] = "/tmp/mailc2-test-evtx-XXXXXX";
    strcpy(out, "/tmp/mailc2-test-evtx-XXXXXX");
    int fd = mkstemp(out);
    FILE *dst = fdopen(fd, "w+b"), *src = fopen(sample(name), "rb");
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, src)) > 0)
        assert_int_equal(fwrite(buf, 1, n, dst), n);
    fclose(src);
    damage(dst);
    fclose(dst);
    return out;
}

static void kill_chunk3(FILE *f)
{
    fseek(f, 4096 + 3 * 65536, SEEK_SET);
    fwrite("XXXXXXXX", 1, 8, f);
}

static void test_corrupt_chunk(void **state)
{
    (void)state;
    if (!sample("eas_PanacheSysmon_vs_AtomicRedTeam01.evtx"))
        skip();
    const char *path = damaged("eas_PanacheSysmon_vs_AtomicRedTeam01.evtx", kill_chunk3);
    counts c;
    char err[256];
    assert_int_equal(run(path, &c, err, sizeof err), 0);
    /* Chunk 3 held records 125-162: 565 - 38 remain; one bad names the chunk. */
    assert_int_equal(c.events, 527);
    assert_int_equal(c.bad, 1);
    assert_int_equal(c.bad_offset, 4096 + 3 * 65536);
    assert_non_null(strstr(c.last_bad, "chunk 3 has no ElfChnk signature"));
    unlink(path);
}

static void cut_after_two_chunks(FILE *f)
{
    assert_int_equal(ftruncate(fileno(f), 4096 + 2 * 65536 + 30000), 0);
}

static void test_truncated_and_foreign(void **state)
{
    (void)state;
    if (!sample("eas_PanacheSysmon_vs_AtomicRedTeam01.evtx"))
        skip();
    const char *path = damaged("eas_PanacheSysmon_vs_AtomicRedTeam01.evtx",
                               cut_after_two_chunks);
    counts c;
    char err[256];
    int rc = run(path, &c, err, sizeof err);
    /* libevtx refuses a file shorter than its header says, or reads what is
     * whole; either way nothing crashes and no record is invented. */
    assert_true(rc == -1 || c.events <= 124);
    unlink(path);
    FILE *f = fopen("/tmp/mailc2-test-evtx-text", "w");
    fputs("not an event log\n", f);
    fclose(f);
    assert_int_equal(run("/tmp/mailc2-test-evtx-text", &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "not a readable EVTX file"));
    unlink("/tmp/mailc2-test-evtx-text");
    assert_true(decoder_evtx.probe("ElfFile\0\0\0", 10, t_defaults()));
    assert_false(decoder_evtx.probe("ElfChnk\0\0\0", 10, t_defaults()));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_corrupt_chunk),
        cmocka_unit_test(test_truncated_and_foreign),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

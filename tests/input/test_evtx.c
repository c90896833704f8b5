/* Unit tests for src/input/evtx.c and evtx_chunks.c. On the real EVTX
 * samples in ../shared/data/evtx (skipped when that folder is absent):
 * record and event-kind counts against PROVENANCE.md (made there with
 * libevtx's evtxexport), a chunk whose signature is destroyed (its records
 * are still found, one message names its offset), a file cut short inside a
 * chunk (the records before the cut kept, the cut record named by offset,
 * the file failed), and a file that is not EVTX. On chunks built here: the
 * record walk (a sound chunk, a cut record, stale slack records, a damaged
 * header, a slot that is not a chunk) and the places where libevtx could
 * overrun a value count (a table). The e2e suite test_evtx_damage.sh
 * runs the damaged files through the command. */
#include "decode_util.h"

#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "input/evtx_chunks.h"
#include "input/wholefile.h"


typedef struct counts {
    int events, conn, proc, bad;
    uint64_t bad_offset, first_offset;
    char last_bad[256], first_bad[256];
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
    if (!c->bad++) {
        c->first_offset = offset;
        snprintf(c->first_bad, sizeof c->first_bad, "%s", msg);
    }
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
    /* Chunk 3 holds records 125-162: found by their framing, all 565 read;
     * one message names the chunk and its offset. */
    assert_int_equal(c.events, 565);
    assert_int_equal(c.bad, 1);
    assert_int_equal(c.bad_offset, 4096 + 3 * 65536);
    assert_non_null(strstr(c.last_bad, "chunk 3: no ElfChnk signature; the 38 records"));
    unlink(path);
}

static void cut_after_two_chunks(FILE *f)
{
    fflush(f); /* else the copy's last buffered bytes land after the cut */
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
    /* Chunks 0 and 1 hold 87 records; chunk 2's first 15 end before byte
     * 30000 of it, its 16th (record 103, at 28752) crosses the cut; its
     * records 103-124 are lost (counted with tests/e2e/data/evtx/
     * make_damaged.py's walk of the sound file); so are chunks 3-14, which
     * the header counts. */
    assert_int_equal(run(path, &c, err, sizeof err), -1);
    assert_int_equal(c.events, 87 + 15);
    assert_int_equal(c.bad, 2);
    assert_int_equal(c.first_offset, 4096 + 2 * 65536 + 28752);
    assert_non_null(strstr(c.first_bad, "the file ends inside chunk 2"));
    assert_non_null(strstr(c.first_bad, "records 103-124 are lost"));
    assert_int_equal(c.bad_offset, 4096 + 2 * 65536 + 30000);
    assert_non_null(strstr(c.last_bad, "the file ends before chunk 3, but its header counts 15 "
                                       "chunks: chunks 3-14"));
    assert_non_null(strstr(err, "damaged: records lost"));
    unlink(path);
    FILE *f = fopen("/tmp/mailc2-test-evtx-text", "w");
    fputs("not an event log\n", f);
    fclose(f);
    assert_int_equal(run("/tmp/mailc2-test-evtx-text", &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "not a readable EVTX file"));
    unlink("/tmp/mailc2-test-evtx-text");
    assert_true(decoder_evtx.probe("ElfFile\0\0\0", 10, t_defaults()));
    assert_false(decoder_evtx.probe("ElfChnk\0\0\0", 10, t_defaults()));
    /* A damaged file header: the first chunk tells the format. */
    static unsigned char head[4096 + 8];
    memcpy(head + 4096, "ElfChnk", 8);
    assert_true(decoder_evtx.probe_head(head, sizeof head));
    assert_false(decoder_evtx.probe_head(head, 4096));
}

/* ---- the record walk, on chunks built here ---- */

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* A record of `size` bytes numbered `id` at `off`. */
static uint32_t put_record(unsigned char *c, uint32_t off, uint32_t size, uint64_t id)
{
    memcpy(c + off, "\x2a\x2a\0\0", 4);
    put32(c + off + 4, size);
    put32(c + off + 8, (uint32_t)id);
    put32(c + off + 12, (uint32_t)(id >> 32));
    put32(c + off + size - 4, size);
    return off + size;
}

/* A chunk of records 10-14 (64 bytes each), header sound; then two stale
 * copies of records 3 and 4 in its slack. */
static void build_chunk(unsigned char *c)
{
    memset(c, 0, 65536);
    uint32_t p = 512;
    for (uint64_t id = 10; id < 15; id++)
        p = put_record(c, p, 64, id);
    put_record(c, p + 64, 64, 3);
    put_record(c, p + 128, 64, 4);
    memcpy(c, "ElfChnk", 8);
    put32(c + 24, 10);  /* first record */
    put32(c + 32, 14);  /* last record */
    put32(c + 48, p);   /* free space */
    uLong crc = crc32(0, c + 512, p - 512);
    put32(c + 52, (uint32_t)crc);
    crc = crc32(crc32(0, c, 120), c + 128, 384);
    put32(c + 124, (uint32_t)crc);
}

static void test_walk(void **state)
{
    (void)state;
    static unsigned char slot[65536];
    evtx_chunk c;
    evtx_chunk_init(&c);
    build_chunk(slot);
    /* Sound: five records, the stale copies in the slack not taken. */
    assert_int_equal(evtx_chunk_load(&c, slot, sizeof slot, 0), 1);
    assert_null(c.damage);
    assert_true(c.records_crc_ok);
    assert_int_equal(c.nrec, 5);
    assert_int_equal(c.ngap, 0);
    assert_int_equal(evtx_chunk_find(&c, 12), 2);
    assert_int_equal(evtx_chunk_find(&c, 3), -1);
    /* Record 12's size damaged: one gap of its 64 bytes, 11 before, 13 after. */
    put32(slot + 512 + 2 * 64 + 4, 4000);
    assert_int_equal(evtx_chunk_load(&c, slot, sizeof slot, 0), 1);
    assert_false(c.records_crc_ok);
    assert_int_equal(c.nrec, 4);
    assert_int_equal(c.ngap, 1);
    assert_int_equal(c.gap[0].from, 512 + 2 * 64);
    assert_int_equal(c.gap[0].to, 512 + 3 * 64);
    assert_int_equal(c.gap[0].after, 11);
    assert_int_equal(c.gap[0].next, 13);
    /* The header's signature gone too: the walk still finds the records and
     * stops at the slack (records 3 and 4 are older). */
    memcpy(slot, "XXXXXXX", 8);
    assert_int_equal(evtx_chunk_load(&c, slot, sizeof slot, 0), 1);
    assert_string_equal(c.damage, "no ElfChnk signature");
    assert_int_equal(c.nrec, 4);
    assert_int_equal(c.ngap, 1);
    assert_int_equal(c.end, 512 + 5 * 64);
    /* Cut short inside record 14: a gap to the free-space offset. */
    build_chunk(slot);
    assert_int_equal(evtx_chunk_load(&c, slot, 512 + 4 * 64 + 20, 0), 1);
    assert_int_equal(c.nrec, 4);
    assert_int_equal(c.ngap, 1);
    assert_int_equal(c.gap[0].after, 13);
    assert_int_equal(c.gap[0].next, 0);
    assert_int_equal(c.gap[0].to, 512 + 5 * 64);
    /* Zeros, or stale bytes without a signature or a first record, are not
     * a chunk, unless the file says one is there. */
    memset(slot, 0, sizeof slot);
    assert_int_equal(evtx_chunk_load(&c, slot, sizeof slot, 0), 0);
    assert_int_equal(evtx_chunk_load(&c, slot, sizeof slot, 1), 1);
    assert_int_equal(c.nrec, 0);
    evtx_chunk_free(&c);
}

/* Places where libevtx could overrun a template value count: an instance
 * (token 0c) at 2000 in the chunk's slack, after a fragment header (0f at
 * 1996) or not, its 10 bytes, its definition's offset at 2006, its count at
 * 2010, or after a definition placed at 2010 (24 bytes and its data size,
 * at 2030). The count is a hazard when it is 2^30 or more and its size,
 * count * 4 wrapped to 32 bits, passes libevtx's check: 2010 + 4 + that <
 * 65536. Worked by hand. */
static void test_hazards(void **state)
{
    (void)state;
    static const struct {
        unsigned char token, header;
        uint32_t def, def_size, count;
        int hazards;
        uint32_t at;
    } cases[] = {
        {0x0c, 0x0f, 512, 0, 0x40000001, 1, 2010},  /* wraps to 4 bytes */
        {0x0c, 0x0f, 512, 0, 0x80000000, 1, 2010},  /* wraps to 0 */
        {0x0c, 0x0f, 512, 0, 0xc0000010, 1, 2010},  /* wraps to 64 */
        {0x0c, 0x0f, 512, 0, 0x40004000, 0, 0},     /* wraps to 65536: refused */
        {0x0c, 0x0f, 512, 0, 0x3fffffff, 0, 0},     /* no wrap: refused unwrapped */
        {0x0c, 0x0f, 512, 0, 7, 0, 0},              /* a real count */
        {0x0c, 0x0f, 2011, 0, 0x40000001, 0, 0},    /* definition past the instance */
        {0x0c, 0x0f, 2010, 8, 0x40000001, 1, 2042}, /* definition in place: 2010 + 24 + 8 */
        {0x4c, 0x0f, 512, 0, 0x40000001, 0, 0},     /* libevtx wants 0c exactly */
        {0x0c, 0x21, 512, 0, 0x40000001, 0, 0},     /* no fragment header: a value's bytes */
        {0x0c, 0x4f, 512, 0, 0x40000001, 0, 0},     /* nor 4f */
    };
    static unsigned char slot[65536];
    evtx_chunk c;
    evtx_chunk_init(&c);
    build_chunk(slot);
    assert_int_equal(evtx_chunk_load(&c, slot, sizeof slot, 0), 1);
    assert_int_equal(c.hazards, 0);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        build_chunk(slot);
        slot[1996] = cases[i].header;
        slot[2000] = cases[i].token;
        put32(slot + 2006, cases[i].def);
        if (cases[i].def == 2010) {
            put32(slot + 2030, cases[i].def_size);
            put32(slot + 2010 + 24 + cases[i].def_size, cases[i].count);
        } else {
            put32(slot + 2010, cases[i].count);
        }
        assert_int_equal(evtx_chunk_load(&c, slot, sizeof slot, 0), 1);
        if (c.hazards != cases[i].hazards || (c.hazards && c.hazard_at != cases[i].at))
            fail_msg("case %zu: %d hazards at %u, want %d at %u", i, c.hazards, c.hazard_at,
                     cases[i].hazards, cases[i].at);
    }
    evtx_chunk_free(&c);
}

/* An instance reached through a substituted value: the instance at 2000
 * (after a fragment header) has 2 values, descriptors at 2014 and 2018
 * (sizes 6 and 40), so its values start at 2022 and 2028. A second
 * instance at 2028, with the overrun count at 2038, is read by libevtx only
 * when the second value's type is binary XML (21). Worked by hand. */
static void test_hazard_in_value(void **state)
{
    (void)state;
    static unsigned char slot[65536];
    evtx_chunk c;
    evtx_chunk_init(&c);
    for (int type = 0; type < 2; type++) {
        build_chunk(slot);
        slot[1996] = 0x0f;
        slot[2000] = 0x0c;
        put32(slot + 2006, 512);
        put32(slot + 2010, 2);                               /* two values */
        put32(slot + 2014, 6 | 0x01u << 16);                 /* 6 bytes of a string */
        put32(slot + 2018, 40 | (type ? 0x21u : 0x01u) << 16);
        slot[2028] = 0x0c;
        put32(slot + 2034, 512);
        put32(slot + 2038, 0x40000001);
        assert_int_equal(evtx_chunk_load(&c, slot, sizeof slot, 0), 1);
        assert_int_equal(c.hazards, type);
        if (type)
            assert_int_equal(c.hazard_at, 2038);
    }
    evtx_chunk_free(&c);
}

/* A chunk written to be slow: K instances (at 2000 + 40j, each after a
 * fragment header) whose definitions, placed in them, are each long enough
 * that every one's count is read at 12000: 12000 descriptors of size 0.
 * 200 of them walk 2,400,000 descriptors, past the search's budget of
 * 2^20, and the chunk counts as one that overruns (at the count where the
 * budget ran out); 50 walk 600,000, within it, and the chunk is sound. */
static void test_hazard_budget(void **state)
{
    (void)state;
    static unsigned char slot[65536];
    static const struct { int k, hazards; } cases[] = {{200, 1}, {50, 0}};
    evtx_chunk c;
    evtx_chunk_init(&c);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        build_chunk(slot);
        for (uint32_t j = 0; j < (uint32_t)cases[i].k; j++) {
            uint32_t p = 2000 + 40 * j;
            slot[p - 4] = 0x0f;
            slot[p] = 0x0c;
            put32(slot + p + 6, p + 10);                /* the definition, in place */
            put32(slot + p + 30, 12000 - (p + 10) - 24); /* its size: the count at 12000 */
        }
        put32(slot + 12000, 12000);
        assert_int_equal(evtx_chunk_load(&c, slot, sizeof slot, 0), 1);
        assert_int_equal(c.hazards, cases[i].hazards);
        if (c.hazards)
            assert_int_equal(c.hazard_at, 12000);
    }
    evtx_chunk_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_corrupt_chunk),
        cmocka_unit_test(test_truncated_and_foreign),
        cmocka_unit_test(test_walk),
        cmocka_unit_test(test_hazards),
        cmocka_unit_test(test_hazard_in_value),
        cmocka_unit_test(test_hazard_budget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

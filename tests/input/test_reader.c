/* Unit tests for src/input/reader.c. Each content case is written to a temp
 * file three ways (plain, gzip via gzwrite, zstd via ZSTD_compress) and must
 * read back as the same lines; then multi-member/multi-frame streams,
 * truncated and corrupt streams, long lines, stdin, and open errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <zlib.h>
#include <zstd.h>

#include "input/reader.h"

/* ---- temp files ---- */

static char *tmp_file(void)
{
    char *path = strdup("/tmp/mailc2-test-reader-XXXXXX");
    assert_non_null(path);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    return path;
}

static void write_raw(const char *path, const char *data, size_t len, const char *mode)
{
    FILE *f = fopen(path, mode);
    assert_non_null(f);
    if (len) assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* mode "wb" starts the file, "ab" appends another gzip member. */
static void write_gzip(const char *path, const char *data, size_t len, const char *mode)
{
    gzFile g = gzopen(path, mode);
    assert_non_null(g);
    if (len) assert_int_equal(gzwrite(g, data, (unsigned)len), (int)len);
    assert_int_equal(gzclose(g), Z_OK);
}

/* mode "wb" starts the file, "ab" appends another zstd frame. */
static void write_zstd(const char *path, const char *data, size_t len, const char *mode)
{
    size_t cap = ZSTD_compressBound(len);
    char *out = malloc(cap);
    assert_non_null(out);
    size_t n = ZSTD_compress(out, cap, data, len, 3);
    assert_false(ZSTD_isError(n));
    write_raw(path, out, n, mode);
    free(out);
}

static size_t file_size(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return (size_t)st.st_size;
}

static char *slurp(const char *path, size_t *len)
{
    *len = file_size(path);
    char *buf = malloc(*len ? *len : 1);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fread(buf, 1, *len, f), *len);
    fclose(f);
    return buf;
}

static void open_ok(reader **r, const char *path)
{
    char errbuf[256] = "";
    *r = reader_open(path, errbuf, sizeof errbuf);
    if (!*r) {
        print_error("reader_open(%s): %s\n", path, errbuf);
        fail();
    }
}

/* ---- the same content, three encodings ---- */

struct line {
    const char *s;
    size_t n; /* 0 = strlen(s) */
};

struct content_case {
    const char *reason;
    const char *data;
    size_t len; /* 0 = strlen(data) */
    struct line lines[6]; /* expected, up to the first NULL s */
};

static const struct content_case content_cases[] = {
    {"LF-terminated lines", "a\nbb\nccc\n", 0, {{"a", 0}, {"bb", 0}, {"ccc", 0}}},
    {"CRLF: the CR is stripped", "a\r\nbb\r\n", 0, {{"a", 0}, {"bb", 0}}},
    {"a CR inside a line is kept", "a\rb\n", 0, {{"a\rb", 0}}},
    {"only one CR before the LF is stripped", "x\r\r\n", 0, {{"x\r", 0}}},
    {"last line without a newline still counts", "a\nb", 0, {{"a", 0}, {"b", 0}}},
    {"last line CR without LF: CR stripped", "a\r", 0, {{"a", 0}}},
    {"empty file: no lines", "", 0, {{NULL, 0}}},
    {"a lone newline is one empty line", "\n", 0, {{"", 0}}},
    {"blank lines are lines", "\n\nx\n\n", 0, {{"", 0}, {"", 0}, {"x", 0}, {"", 0}}},
    {"shorter than the magic bytes", "ab", 0, {{"ab", 0}}},
    {"starts like gzip (1f) but is not", "\x1fzz\n", 0, {{"\x1fzz", 0}}},
    {"starts like zstd (28 b5) but is not", "\x28\xb5xx\n", 0, {{"\x28\xb5xx", 0}}},
    {"NUL bytes inside lines are kept", "a\0b\n\0\n", 6, {{"a\0b", 3}, {"\0", 1}}},
    {"JSON lines", "{\"a\":1}\n{\"b\":\"x\"}\n", 0, {{"{\"a\":1}", 0}, {"{\"b\":\"x\"}", 0}}},
};

enum enc { ENC_PLAIN, ENC_GZIP, ENC_ZSTD };
static const char *const enc_name[] = {"plain", "gzip", "zstd"};

static void write_enc(const char *path, enum enc e, const char *data, size_t len)
{
    switch (e) {
    case ENC_PLAIN: write_raw(path, data, len, "wb"); break;
    case ENC_GZIP: write_gzip(path, data, len, "wb"); break;
    case ENC_ZSTD: write_zstd(path, data, len, "wb"); break;
    }
}

static void check_content(const struct content_case *c, enum enc e)
{
    size_t len = c->len ? c->len : strlen(c->data);
    char *path = tmp_file();
    write_enc(path, e, c->data, len);
    /* The plain cases that look a little like a magic number stay plain. */
    reader *r;
    open_ok(&r, path);
    assert_int_equal(reader_codec(r), (enum reader_codec)e);
    assert_string_equal(reader_path(r), path);
    const char *line;
    size_t n;
    size_t i = 0;
    int rc;
    while ((rc = reader_next_line(r, &line, &n)) == 1) {
        const struct line *w = i < 6 ? &c->lines[i] : NULL;
        size_t wn = w && w->s ? (w->n ? w->n : strlen(w->s)) : 0;
        if (!w || !w->s || n != wn || memcmp(line, w->s, n) != 0) {
            print_error("[%s, %s] line %zu: got %zu bytes '%.*s'\n", c->reason, enc_name[e], i + 1,
                        n, (int)n, line);
            fail();
        }
        assert_int_equal(line[n], '\0'); /* not promised by the header, but done */
        i++;
        assert_int_equal(reader_lineno(r), i);
    }
    if (rc != 0 || (i < 6 && c->lines[i].s)) {
        print_error("[%s, %s] rc %d after %zu lines: %s\n", c->reason, enc_name[e], rc, i,
                    reader_error(r));
        fail();
    }
    assert_int_equal(reader_next_line(r, &line, &n), 0); /* stays at the end */
    assert_string_equal(reader_error(r), "");
    assert_int_equal(reader_bytes_in(r), file_size(path)); /* everything consumed */
    reader_close(r);
    unlink(path);
    free(path);
}

static void test_content_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof content_cases / sizeof content_cases[0]; i++)
        for (int e = ENC_PLAIN; e <= ENC_ZSTD; e++) check_content(&content_cases[i], (enum enc)e);
}

/* ---- reading a whole file into lines ---- */

struct got {
    char **line;
    size_t *len;
    size_t n, cap;
    int rc;          /* the last reader_next_line result */
    char err[512];
};

/* Every line of `path` read with a record limit (0: none). */
static void read_all_max(const char *path, size_t max, struct got *g)
{
    memset(g, 0, sizeof *g);
    reader *r;
    open_ok(&r, path);
    reader_set_max_record(r, max);
    const char *line;
    size_t n;
    while ((g->rc = reader_next_line(r, &line, &n)) == 1) {
        if (g->n == g->cap) {
            g->cap = g->cap ? g->cap * 2 : 64;
            g->line = realloc(g->line, g->cap * sizeof *g->line);
            g->len = realloc(g->len, g->cap * sizeof *g->len);
        }
        g->line[g->n] = malloc(n + 1);
        memcpy(g->line[g->n], line, n);
        g->len[g->n++] = n;
        assert_int_equal(reader_lineno(r), g->n);
    }
    snprintf(g->err, sizeof g->err, "%s", reader_error(r));
    if (g->rc == -1) /* after an error only 0 */
        assert_int_equal(reader_next_line(r, &line, &n), 0);
    reader_close(r);
}

static void read_all(const char *path, struct got *g) { read_all_max(path, 0, g); }

static void got_free(struct got *g)
{
    for (size_t i = 0; i < g->n; i++) free(g->line[i]);
    free(g->line);
    free(g->len);
}

static void assert_line(const struct got *g, size_t i, const char *want)
{
    assert_true(i < g->n);
    assert_int_equal(g->len[i], strlen(want));
    assert_memory_equal(g->line[i], want, g->len[i]);
}

static void test_gzip_members(void **state)
{
    (void)state;
    char *path = tmp_file();
    /* Three members; a line is split across the first two; one is empty. */
    write_gzip(path, "first\nsec", 9, "wb");
    write_gzip(path, "ond\nthird\n", 10, "ab");
    write_gzip(path, "", 0, "ab");
    write_gzip(path, "fourth", 6, "ab");
    struct got g;
    read_all(path, &g);
    assert_int_equal(g.rc, 0);
    assert_int_equal(g.n, 4);
    assert_line(&g, 0, "first");
    assert_line(&g, 1, "second");
    assert_line(&g, 2, "third");
    assert_line(&g, 3, "fourth");
    got_free(&g);
    /* Zero padding after the last member (tape/block tools) is ignored. */
    static const char zeros[512];
    write_raw(path, zeros, sizeof zeros, "ab");
    read_all(path, &g);
    assert_int_equal(g.rc, 0);
    assert_int_equal(g.n, 4);
    assert_line(&g, 3, "fourth");
    got_free(&g);
    unlink(path);
    free(path);
}

static void test_zstd_frames(void **state)
{
    (void)state;
    char *path = tmp_file();
    write_zstd(path, "first\nsec", 9, "wb");
    write_zstd(path, "ond\nthird\n", 10, "ab");
    write_zstd(path, "", 0, "ab");
    write_zstd(path, "fourth", 6, "ab");
    struct got g;
    read_all(path, &g);
    assert_int_equal(g.rc, 0);
    assert_int_equal(g.n, 4);
    assert_line(&g, 0, "first");
    assert_line(&g, 1, "second");
    assert_line(&g, 2, "third");
    assert_line(&g, 3, "fourth");
    got_free(&g);
    unlink(path);
    free(path);
}

/* Many lines of varying length: lines straddle every buffer boundary. */
static char *many_lines(size_t count, size_t *len)
{
    size_t cap = count * 128, n = 0;
    char *s = malloc(cap);
    for (size_t i = 0; i < count; i++) {
        n += (size_t)sprintf(s + n, "line %zu ", i);
        size_t pad = (i * 7919) % 97;
        memset(s + n, 'a' + (int)(i % 26), pad);
        n += pad;
        if (i % 3 == 0) { /* some CRLF lines */
            s[n++] = 'y';
            s[n++] = '\r';
        } else {
            s[n++] = 'x';
        }
        s[n++] = '\n';
    }
    *len = n;
    return s;
}

static void check_many(const struct got *g, size_t count)
{
    assert_int_equal(g->n, count);
    char want[256];
    for (size_t i = 0; i < count; i++) {
        size_t n = (size_t)sprintf(want, "line %zu ", i);
        size_t pad = (i * 7919) % 97;
        memset(want + n, 'a' + (int)(i % 26), pad);
        n += pad;
        want[n++] = (i % 3 == 0) ? 'y' : 'x';
        if (g->len[i] != n || memcmp(g->line[i], want, n) != 0) {
            print_error("line %zu: '%.*s'\n", i + 1, (int)g->len[i], g->line[i]);
            fail();
        }
    }
}

static void test_many_lines_all_codecs(void **state)
{
    (void)state;
    size_t len, count = 200000;
    char *data = many_lines(count, &len);
    assert_true(len > 3 * (1u << 20)); /* more than a few read chunks */
    for (int e = ENC_PLAIN; e <= ENC_ZSTD; e++) {
        char *path = tmp_file();
        write_enc(path, (enum enc)e, data, len);
        struct got g;
        read_all(path, &g);
        assert_int_equal(g.rc, 0);
        check_many(&g, count);
        got_free(&g);
        unlink(path);
        free(path);
    }
    free(data);
}

static void test_long_lines(void **state)
{
    (void)state;
    /* "short", a 3 MiB line, "mid", a 5 MiB line without a final newline. */
    size_t big1 = 3u << 20, big2 = 5u << 20;
    size_t len = 6 + big1 + 1 + 4 + big2;
    char *data = malloc(len);
    size_t n = 0;
    memcpy(data + n, "short\n", 6), n += 6;
    memset(data + n, 'x', big1), n += big1;
    data[n++] = '\n';
    memcpy(data + n, "mid\n", 4), n += 4;
    memset(data + n, 'y', big2), n += big2;
    assert_int_equal(n, len);
    for (int e = ENC_PLAIN; e <= ENC_ZSTD; e++) {
        char *path = tmp_file();
        write_enc(path, (enum enc)e, data, len);
        struct got g;
        read_all(path, &g);
        assert_int_equal(g.rc, 0);
        assert_int_equal(g.n, 4);
        assert_line(&g, 0, "short");
        assert_int_equal(g.len[1], big1);
        assert_memory_equal(g.line[1], data + 6, big1);
        assert_line(&g, 2, "mid");
        assert_int_equal(g.len[3], big2);
        assert_memory_equal(g.line[3], data + 6 + big1 + 5, big2);
        got_free(&g);
        unlink(path);
        free(path);
    }
    free(data);
}

/* The record limit: the input ends before the first longer line (one ended
 * inside a read or one still open), keeping the lines before it, in line and
 * block mode, for every codec. A line of exactly the limit is kept. */
static void test_max_record(void **state)
{
    (void)state;
    size_t big1 = 3u << 20, big2 = 5u << 20, len = 6 + big1 + 1 + 4 + big2;
    char *data = malloc(len);
    memcpy(data, "short\n", 6);
    memset(data + 6, 'x', big1);
    data[6 + big1] = '\n';
    memcpy(data + 7 + big1, "mid\n", 4);
    memset(data + 11 + big1, 'y', big2);
    struct { size_t max; int lines; const char *err; } cases[] = {
        {big1 - 1, 1, "line 2: a record longer than the limit of 3145727 bytes"},
        {big1, 3, "line 4: a record longer than the limit of 3145728 bytes"},
        {big2, 4, ""},
    };
    for (int e = ENC_PLAIN; e <= ENC_ZSTD; e++) {
        char *path = tmp_file();
        write_enc(path, (enum enc)e, data, len);
        for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
            struct got g;
            read_all_max(path, cases[c].max, &g);
            assert_int_equal(g.n, cases[c].lines);
            assert_line(&g, 0, "short");
            assert_non_null(strstr(g.err, cases[c].err));
            got_free(&g);
            /* Block mode hands over the same lines: count them. */
            reader *r;
            open_ok(&r, path);
            reader_set_max_record(r, cases[c].max);
            char *block;
            size_t blen, cap;
            uint64_t first, lines = 0;
            while (reader_next_block(r, 1u << 16, &block, &blen, &cap, &first, NULL, 0) == 1) {
                for (size_t i = 0; i < blen; i++)
                    lines += block[i] == '\n' || i + 1 == blen;
                free(block);
            }
            assert_int_equal(lines, cases[c].lines);
            assert_non_null(strstr(reader_error(r), cases[c].err));
            reader_close(r);
        }
        unlink(path);
        free(path);
    }
    free(data);
}

/* ---- broken streams ---- */

static void truncate_to(const char *path, size_t keep)
{
    size_t len;
    char *buf = slurp(path, &len);
    assert_true(keep <= len);
    write_raw(path, buf, keep, "wb");
    free(buf);
}

struct broken_case {
    const char *reason;
    enum enc enc;
    unsigned keep_pct;   /* percent of the compressed file kept */
    size_t drop_tail;    /* then this many bytes dropped from its end */
    size_t keep_head;    /* or, if not 0, only this many bytes kept */
    const char *append;  /* bytes added after the stream (NULL: none) */
    size_t flip;         /* if not 0: the byte this far from the end is inverted */
    const char *msg;     /* expected in reader_error() */
    int some_lines;      /* lines are expected before the error */
};

static const struct broken_case broken_cases[] = {
    {"gzip cut in the middle", ENC_GZIP, 60, 0, 0, NULL, 0, "truncated gzip stream", 1},
    {"gzip cut just before the 8-byte trailer", ENC_GZIP, 100, 8, 0, NULL, 0,
     "truncated gzip stream", 1},
    {"gzip 10-byte header only", ENC_GZIP, 100, 0, 10, NULL, 0, "truncated gzip stream", 0},
    {"gzip CRC does not match", ENC_GZIP, 100, 0, 0, NULL, 8, "corrupt gzip data", 1},
    {"gzip followed by garbage", ENC_GZIP, 100, 0, 0, "garbage\n", 0,
     "trailing garbage after gzip data", 1},
    {"zstd cut in the middle", ENC_ZSTD, 60, 0, 0, NULL, 0, "truncated zstd stream", 1},
    {"zstd cut one byte short", ENC_ZSTD, 100, 1, 0, NULL, 0, "truncated zstd stream", 1},
    {"zstd magic only", ENC_ZSTD, 100, 0, 4, NULL, 0, "truncated zstd stream", 0},
    {"zstd followed by garbage", ENC_ZSTD, 100, 0, 0, "garbage\n", 0, "corrupt zstd data", 1},
};

static void test_broken_streams(void **state)
{
    (void)state;
    size_t len, count = 100000;
    char *data = many_lines(count, &len);
    for (size_t i = 0; i < sizeof broken_cases / sizeof broken_cases[0]; i++) {
        const struct broken_case *c = &broken_cases[i];
        char *path = tmp_file();
        write_enc(path, c->enc, data, len);
        size_t size = file_size(path);
        size_t keep = c->keep_head ? c->keep_head : size * c->keep_pct / 100 - c->drop_tail;
        if (keep < size) truncate_to(path, keep);
        if (c->append) write_raw(path, c->append, strlen(c->append), "ab");
        if (c->flip) {
            size_t fl;
            char *buf = slurp(path, &fl);
            buf[fl - c->flip] = (char)~buf[fl - c->flip];
            write_raw(path, buf, fl, "wb");
            free(buf);
        }
        struct got g;
        read_all(path, &g);
        if (g.rc != -1 || strstr(g.err, c->msg) == NULL || strstr(g.err, path) != g.err ||
            (c->some_lines ? g.n == 0 : g.n != 0)) {
            print_error("[%s] rc %d after %zu lines: '%s'\n", c->reason, g.rc, g.n, g.err);
            fail();
        }
        /* What came before the error is correct. */
        assert_true(g.n <= count);
        char want[32];
        for (size_t j = 0; j < g.n; j++) {
            int wn = sprintf(want, "line %zu ", j);
            assert_true(g.len[j] >= (size_t)wn);
            assert_memory_equal(g.line[j], want, (size_t)wn);
        }
        got_free(&g);
        unlink(path);
        free(path);
    }
    free(data);
}

/* Complete lines an independent decoder (zlib or libzstd, straight over
 * the cut file) gets out of it before it stops. */
static size_t lines_before_cut(const char *path, enum enc e)
{
    size_t len, lines = 0;
    unsigned char *in = (unsigned char *)slurp(path, &len), out[1 << 16];
    if (e == ENC_GZIP) {
        z_stream z = {0};
        assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
        z.next_in = in;
        z.avail_in = (uInt)len;
        int rc = Z_OK;
        while (rc == Z_OK) {
            z.next_out = out;
            z.avail_out = sizeof out;
            rc = inflate(&z, Z_NO_FLUSH);
            for (size_t i = 0; i < sizeof out - z.avail_out; i++)
                lines += out[i] == '\n';
        }
        inflateEnd(&z);
    } else {
        ZSTD_DStream *zs = ZSTD_createDStream();
        ZSTD_inBuffer ib = {in, len, 0};
        size_t rc = 1;
        while (!ZSTD_isError(rc)) {
            ZSTD_outBuffer ob = {out, sizeof out, 0};
            rc = ZSTD_decompressStream(zs, &ob, &ib);
            for (size_t i = 0; i < ob.pos; i++)
                lines += out[i] == '\n';
            if (ob.pos == 0)
                break;
        }
        ZSTD_freeDStream(zs);
    }
    free(in);
    return lines;
}

/* A cut archive read in blocks (the main pass's way), small and large
 * files, small and large blocks: every whole line before the cut arrives,
 * then the error; nothing is held back with the cut line. */
static void test_cut_archive_blocks(void **state)
{
    (void)state;
    static const size_t counts[] = {5000, 100000}, targets[] = {4096, 1 << 20};
    for (int e = ENC_GZIP; e <= ENC_ZSTD; e++)
        for (size_t c = 0; c < 2; c++) {
            size_t len;
            char *data = many_lines(counts[c], &len);
            char *path = tmp_file();
            write_enc(path, (enum enc)e, data, len);
            truncate_to(path, file_size(path) / 2);
            size_t want = lines_before_cut(path, (enum enc)e);
            assert_true(want > 0 && want < counts[c]);
            for (size_t t = 0; t < 2; t++) {
                reader *r;
                open_ok(&r, path);
                char *block;
                size_t blen, cap, lines = 0;
                uint64_t first;
                while (reader_next_block(r, targets[t], &block, &blen, &cap, &first, NULL, 0) == 1) {
                    for (size_t i = 0; i < blen; i++)
                        lines += block[i] == '\n';
                    free(block);
                }
                if (lines != want || !strstr(reader_error(r), "truncated")) {
                    print_error("%s, %zu lines, blocks of %zu: %zu lines, want %zu; '%s'\n",
                                enc_name[e], counts[c], targets[t], lines, want, reader_error(r));
                    fail();
                }
                reader_close(r);
            }
            unlink(path);
            free(path);
            free(data);
        }
}

/* Each block's first line number is one past the newlines before it
 * (the reading thread counts a block's newlines for the next): lines of 0
 * to 40 bytes, long runs of empty ones (more newlines in a row than a byte
 * counter holds), blocks small and large, plain and compressed. */
static void test_block_line_numbers(void **state)
{
    (void)state;
    size_t cap = 1u << 21, n = 0;
    char *data = malloc(cap);
    for (size_t i = 0; n + 64 < cap; i++) {
        size_t len = i % 15000 < 5000 ? 0 : (i * 7919) % 41; /* runs of 5000 empty lines */
        memset(data + n, 'a' + (int)(i % 26), len);
        n += len;
        data[n++] = '\n';
    }
    size_t lines = 0;
    for (size_t i = 0; i < n; i++)
        lines += data[i] == '\n';
    static const size_t targets[] = {4096, 1u << 20};
    for (int e = ENC_PLAIN; e <= ENC_ZSTD; e++)
        for (size_t t = 0; t < 2; t++) {
            char *path = tmp_file();
            write_enc(path, (enum enc)e, data, n);
            reader *r;
            open_ok(&r, path);
            char *block;
            size_t blen, bcap;
            uint64_t first, seen = 0;
            while (reader_next_block(r, targets[t], &block, &blen, &bcap, &first, NULL, 0) == 1) {
                if (first != seen + 1) {
                    print_error("%s, blocks of %zu: a block starts at line %llu, want %llu\n",
                                enc_name[e], targets[t], (unsigned long long)first,
                                (unsigned long long)(seen + 1));
                    fail();
                }
                for (size_t i = 0; i < blen; i++)
                    seen += block[i] == '\n';
                free(block);
            }
            assert_int_equal(seen, lines); /* every line came */
            reader_close(r);
            unlink(path);
            free(path);
        }
    free(data);
}

/* ---- open errors, stdin ---- */

static void test_open_errors(void **state)
{
    (void)state;
    char errbuf[256];
    char *path = tmp_file();
    unlink(path);
    assert_null(reader_open(path, errbuf, sizeof errbuf));
    char want[300];
    snprintf(want, sizeof want, "%s: No such file or directory", path);
    assert_string_equal(errbuf, want);
    free(path);

    assert_null(reader_open("/tmp", errbuf, sizeof errbuf));
    assert_string_equal(errbuf, "/tmp: is a directory");

    /* A tiny errbuf is filled without overflow; NULL errbuf is allowed. */
    char small[8];
    assert_null(reader_open("/nonexistent/dir/x.gz", small, sizeof small));
    assert_string_equal(small, "/nonexi");
    assert_null(reader_open("/nonexistent/dir/x.gz", NULL, 0));
}

static void test_stdin(void **state)
{
    (void)state;
    char *path = tmp_file();
    write_gzip(path, "one\r\ntwo\n", 9, "wb");
    int saved = dup(0);
    assert_true(saved >= 0);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(dup2(fileno(f), 0), 0);
    fclose(f);

    reader *r;
    open_ok(&r, "-");
    assert_string_equal(reader_path(r), "<stdin>");
    assert_int_equal(reader_codec(r), READER_GZIP);
    const char *line;
    size_t n;
    assert_int_equal(reader_next_line(r, &line, &n), 1);
    assert_int_equal(n, 3);
    assert_memory_equal(line, "one", 3);
    assert_int_equal(reader_next_line(r, &line, &n), 1);
    assert_memory_equal(line, "two", 3);
    assert_int_equal(reader_next_line(r, &line, &n), 0);
    reader_close(r);

    /* stdin is not closed by reader_close: it can be read again. */
    assert_int_equal(lseek(0, 0, SEEK_SET), 0);
    char b[2];
    assert_int_equal(read(0, b, 2), 2);
    assert_int_equal((unsigned char)b[0], 0x1f);

    assert_int_equal(dup2(saved, 0), 0);
    close(saved);
    unlink(path);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_content_cases),
        cmocka_unit_test(test_gzip_members),
        cmocka_unit_test(test_zstd_frames),
        cmocka_unit_test(test_many_lines_all_codecs),
        cmocka_unit_test(test_long_lines),
        cmocka_unit_test(test_max_record),
        cmocka_unit_test(test_broken_streams),
        cmocka_unit_test(test_cut_archive_blocks),
        cmocka_unit_test(test_block_line_numbers),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_stdin),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

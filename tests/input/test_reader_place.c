/* Reading a plain file's blocks at their place (src/input/reader_place.c,
 * reader_place_block): the blocks hold the bytes reader_next_block gives,
 * after lines read one by one, for lines short and longer than a block and
 * a last line without a newline; the reader numbers the lines of blocks it
 * handed out whether or not their reader said how many there were
 * (reader_lines_known); a file that grew since it was opened is read to
 * its new end; a record past the limit ends the input, named; a file cut
 * under the reading is reported as shrunk; and the blocks are read into
 * the caller's one buffer, grown only for a line longer than a block. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "input/reader.h"

enum { MB = 1 << 20 };

static char *tmp_file(const char *data, size_t len)
{
    char *path = strdup("/tmp/mailc2-test-place-XXXXXX");
    assert_non_null(path);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    close(fd);
    return path;
}

/* n bytes of lines of lengths 0 to 300, one line of `longest` bytes at a
 * third of the way, and no newline at the end when `open_end`. */
static char *lines(size_t n, size_t longest, int open_end)
{
    char *d = malloc(n);
    assert_non_null(d);
    for (size_t at = 0, i = 0; at < n; i++) {
        size_t len = at < n / 3 && at + 400 >= n / 3 ? longest : (i * 7919) % 301;
        for (size_t k = 0; k < len && at < n; k++)
            d[at++] = (char)('a' + (i + k) % 26);
        if (at < n)
            d[at++] = '\n';
    }
    d[n - 1] = open_end ? 'z' : '\n';
    return d;
}

/* n bytes of lines (lines(), ending in a newline) in a file of their own,
 * opened: the bytes in *d, the file's name in *path (close_lines). */
static reader *open_lines(size_t n, size_t longest, char **d, char **path)
{
    char err[256];
    *d = lines(n, longest, 0);
    *path = tmp_file(*d, n);
    reader *r = reader_open(*path, err, sizeof err);
    assert_non_null(r);
    return r;
}

static void close_lines(reader *r, char *d, char *path)
{
    reader_close(r);
    unlink(path);
    free(path);
    free(d);
}

/* Every block of path (size bytes): read at its place when `place`, else
 * copied; the lines read one by one first. The bytes after those lines go
 * to out; the line numbers the blocks copied start at must follow on, the
 * reader's count after a placed block too, whether it counted the block
 * itself or was told (every other block), and the bytes read are the
 * file's, each counted once. Returns how many blocks were placed. */
static int read_all(const char *path, size_t size, int place, size_t before, char *out,
                    size_t *outlen, uint64_t *lines_seen)
{
    char err[256];
    reader *r = reader_open(path, err, sizeof err);
    assert_non_null(r);
    const char *line;
    size_t len;
    uint64_t seen = 0;
    for (size_t i = 0; i < before && reader_next_line(r, &line, &len) == 1; i++)
        seen++;
    *outlen = 0;
    int placed = 0;
    char *buf = NULL;
    size_t buf_cap = 0;
    for (;;) {
        char *copy = NULL;
        size_t blen, cap;
        uint64_t first = 0;
        int got = place ? reader_place_block(r, MB, &buf, &buf_cap, &blen) : -2;
        placed += got == 1;
        const char *b = buf;
        if (got == -2) {
            got = reader_next_block(r, MB, &copy, &blen, &cap, &first, NULL, 0);
            b = copy;
        }
        if (got != 1)
            break;
        if (copy)
            assert_int_equal(first, seen + 1);
        memcpy(out + *outlen, b, blen);
        *outlen += blen;
        for (size_t i = 0; i < blen; i++)
            seen += b[i] == '\n';
        seen += b[blen - 1] != '\n';
        if (!copy && placed % 2)
            reader_lines_known(r, reader_offset(r), seen);
        assert_int_equal(reader_lineno(r), seen);
        free(copy);
    }
    free(buf);
    assert_string_equal(reader_error(r), "");
    assert_int_equal(reader_bytes_in(r), size);
    reader_close(r);
    *lines_seen = seen;
    return placed;
}

static void test_same_blocks(void **state)
{
    (void)state;
    static const struct {
        size_t n, longest, before;
        int open_end;
    } cases[] = {
        {5 * MB, 200, 0, 0},
        {5 * MB + 123, 200, 10, 1},
        {7 * MB, 3 * MB, 3, 0},  /* a line longer than a block */
        {3 * MB, 2 * MB, 0, 1},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        char *d = lines(cases[c].n, cases[c].longest, cases[c].open_end);
        char *path = tmp_file(d, cases[c].n);
        char *a = malloc(cases[c].n), *b = malloc(cases[c].n);
        size_t alen, blen;
        uint64_t alines, blines;
        assert_int_equal(read_all(path, cases[c].n, 0, cases[c].before, a, &alen, &alines), 0);
        assert_true(read_all(path, cases[c].n, 1, cases[c].before, b, &blen, &blines) > 1);
        assert_int_equal(alen, blen);
        assert_memory_equal(a, b, alen);
        assert_int_equal(alines, blines);
        assert_memory_equal(b + blen - alen, d + cases[c].n - alen, alen);
        unlink(path);
        free(path);
        free(a);
        free(b);
        free(d);
    }
}

/* Bytes written after the open are read on from where the bytes it had
 * when opened end. */
static void test_grown(void **state)
{
    (void)state;
    size_t n = 3 * MB;
    char *d, *path;
    reader *r = open_lines(n, 100, &d, &path);
    FILE *f = fopen(path, "ab");
    assert_int_equal(fwrite("tail one\ntail two\n", 1, 18, f), 18);
    fclose(f);
    size_t total = 0, placed = 0, buf_cap = 0;
    char last[32] = "", *buf = NULL;
    for (;;) {
        const char *b = NULL;
        char *copy = NULL;
        size_t blen, cap;
        uint64_t first;
        int got = reader_place_block(r, MB, &buf, &buf_cap, &blen);
        if (got == -2)
            got = reader_next_block(r, MB, &copy, &blen, &cap, &first, NULL, 0), b = copy;
        else
            placed += blen, b = buf;
        if (got != 1)
            break;
        total += blen;
        if (blen >= 9)
            memcpy(last, b + blen - 9, 9);
        free(copy);
    }
    assert_int_equal(total, n + 18);
    assert_true(placed > 0 && placed <= n);
    assert_memory_equal(last, "tail two\n", 9);
    free(buf);
    close_lines(r, d, path);
}

/* A record past the limit ends the input there, named by its line (the
 * lines of the blocks before it not told). */
static void test_limit(void **state)
{
    (void)state;
    size_t n = 6 * MB;
    char *d, *path;
    reader *r = open_lines(n, 3 * MB, &d, &path);
    reader_set_max_record(r, 2 * MB);
    char *buf = NULL;
    size_t blen, total = 0, buf_cap = 0;
    int got;
    while ((got = reader_place_block(r, MB, &buf, &buf_cap, &blen)) == 1)
        total += blen;
    assert_true(buf_cap <= 4 * MB + 1); /* read on no further than past the limit */
    assert_int_equal(got, 0);
    assert_true(total < n / 3 && total + 400 >= n / 3 - 300);
    unsigned long long line = 1;
    for (size_t i = 0; i < total; i++)
        line += d[i] == '\n';
    char want[64];
    snprintf(want, sizeof want, "line %llu: a record longer than the limit", line);
    assert_non_null(strstr(reader_error(r), want));
    free(buf);
    close_lines(r, d, path);
}

/* A line longer than a block but within the limit is a block of its own,
 * not one with the lines after it measured against the limit: a 2.5 MiB
 * line under a 3 MiB limit, read in 1 MiB blocks (a window of 4 MiB finds
 * its end), and every byte is read. */
static void test_limit_fits(void **state)
{
    (void)state;
    size_t n = 8 * MB, longest = 5 * MB / 2;
    char *d, *path;
    reader *r = open_lines(n, longest, &d, &path);
    reader_set_max_record(r, 3 * MB);
    char *buf = NULL;
    size_t blen, total = 0, cap = 0, biggest = 0;
    while (reader_place_block(r, MB, &buf, &cap, &blen) == 1) {
        assert_memory_equal(buf, d + total, blen);
        total += blen;
        biggest = blen > biggest ? blen : biggest;
    }
    assert_string_equal(reader_error(r), "");
    assert_int_equal(total, n);
    assert_int_equal(biggest, longest + 1); /* the long line and its newline alone */
    free(buf);
    close_lines(r, d, path);
}

/* A file cut under the reading: the next block says the file shrank, the
 * block before it holds the file's bytes as they were. */
static void test_cut(void **state)
{
    (void)state;
    size_t n = 4 * MB;
    char *d, *path;
    reader *r = open_lines(n, 100, &d, &path);
    char *buf = NULL;
    size_t blen, cap = 0;
    assert_int_equal(reader_place_block(r, MB, &buf, &cap, &blen), 1);
    assert_memory_equal(buf, d, blen);
    assert_int_equal(truncate(path, MB / 2), 0);
    assert_int_equal(reader_place_block(r, MB, &buf, &cap, &blen), -1);
    assert_non_null(strstr(reader_error(r), "shrank while being read"));
    assert_int_equal(reader_place_block(r, MB, &buf, &cap, &blen), -2); /* done */
    free(buf);
    close_lines(r, d, path);
}

/* A file cut inside the block being read: the whole lines before the cut
 * are that block, and the next says the file shrank. */
static void test_cut_keeps(void **state)
{
    (void)state;
    size_t n = 4 * MB, cut = 3 * MB / 2;
    char *d, *path;
    reader *r = open_lines(n, 100, &d, &path);
    char *buf = NULL;
    size_t blen, cap = 0, total = 0;
    assert_int_equal(reader_place_block(r, MB, &buf, &cap, &blen), 1);
    total += blen;
    assert_int_equal(truncate(path, (off_t)cut), 0);
    assert_int_equal(reader_place_block(r, MB, &buf, &cap, &blen), 1);
    assert_memory_equal(buf, d + total, blen);
    total += blen;
    assert_true(total <= cut && total + 400 > cut && d[total - 1] == '\n');
    assert_int_equal(reader_place_block(r, MB, &buf, &cap, &blen), -1);
    assert_non_null(strstr(reader_error(r), "shrank while being read"));
    free(buf);
    close_lines(r, d, path);
}

/* The blocks go into the caller's one buffer: a byte to spare past a block
 * of MB, its size unchanged while they fit, grown once for a line longer
 * than a block (read on twice as far each time: under twice its length). */
static void test_buffer(void **state)
{
    (void)state;
    size_t n = 9 * MB, longest = 3 * MB;
    char *d, *path;
    reader *r = open_lines(n, longest, &d, &path);
    char *buf = NULL;
    size_t blen, cap = 0, was = 0, total = 0, grown = 0;
    while (reader_place_block(r, MB, &buf, &cap, &blen) == 1) {
        assert_true(blen < cap);
        assert_memory_equal(buf, d + total, blen);
        total += blen;
        grown += was && cap != was;
        was = cap;
    }
    assert_int_equal(total, n);
    assert_int_equal(grown, 1);
    assert_true(cap > longest && cap < 2 * longest);
    assert_string_equal(reader_error(r), "");
    free(buf);
    close_lines(r, d, path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_blocks),
        cmocka_unit_test(test_grown),
        cmocka_unit_test(test_limit),
        cmocka_unit_test(test_limit_fits),
        cmocka_unit_test(test_cut),
        cmocka_unit_test(test_cut_keeps),
        cmocka_unit_test(test_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

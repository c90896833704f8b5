/* Held lines: copies and places. Lines held by place in a file are read
 * back by runs (near lines in one read, far ones apart, a line longer than
 * a run alone), each as it was, followed by a NUL; a file changed since
 * (a line's end moved, or cut short) gives the changed lines an error and
 * the others their text; places cost the budget a fraction of copies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "driver/held.h"

typedef struct line {
    const char *text;          /* NULL: `fill` bytes of 'x' */
    size_t fill;
    const char *end;           /* what follows it in the file */
} line;

/* Near and far lines (an 8 KiB gap is the most one read spans), a CRLF
 * line, a line past a whole run (1 MiB), a last line without a newline. */
static const line lines[] = {
    {"first", 0, "\n"},
    {"second, with CRLF", 0, "\r\n"},
    {"third", 0, "\n"},
    {NULL, 20000, "\n"},        /* not held: a gap wider than one read takes */
    {"after the gap", 0, "\n"},
    {NULL, (1 << 20) + 5, "\n"}, /* held: longer than a run */
    {"next to the long one", 0, "\n"},
    {"last, no newline", 0, ""},
};
enum { NLINES = sizeof lines / sizeof *lines, GAP_LINE = 3 };

typedef struct file {
    char path[64];
    int fd;
    uint64_t at[NLINES];
    size_t len[NLINES];
} file;

static void write_file(file *f)
{
    strcpy(f->path, "/tmp/mailc2-held-XXXXXX");
    f->fd = mkstemp(f->path);
    assert_true(f->fd >= 0);
    FILE *out = fdopen(dup(f->fd), "w");
    uint64_t at = 0;
    for (int i = 0; i < NLINES; i++) {
        f->at[i] = at;
        f->len[i] = lines[i].text ? strlen(lines[i].text) : lines[i].fill;
        if (lines[i].text)
            fputs(lines[i].text, out);
        else
            for (size_t k = 0; k < lines[i].fill; k++)
                fputc('x', out);
        fputs(lines[i].end, out);
        at += f->len[i] + strlen(lines[i].end);
    }
    fclose(out);
}

static void hold_all(held *h, const file *f, const void *tag)
{
    for (int i = 0; i < NLINES; i++)
        if (i != GAP_LINE)
            assert_int_equal(held_add_at(h, tag, f->fd, (uint64_t)i + 1, f->at[i], f->len[i]), 0);
}

static int expected(int i, const char *got, size_t len)
{
    if (len != (lines[i].text ? strlen(lines[i].text) : lines[i].fill) || got[len] != '\0')
        return 0;
    if (lines[i].text)
        return memcmp(got, lines[i].text, len) == 0;
    for (size_t k = 0; k < len; k++)
        if (got[k] != 'x')
            return 0;
    return 1;
}

/* Reads every held line back; bad[i]: line i must fail. */
static void check(held *h, const int *bad)
{
    held_reader hr = {0};
    int seen = 0;
    for (held_chunk *c = h->head; c; c = c->next)
        for (size_t k = 0; k < c->n; k++, seen++) {
            int i = (int)c->lineno[k] - 1;
            char err[200] = "";
            size_t len;
            char *got = held_line(&hr, c, k, &len, err, sizeof err);
            if (bad && bad[i]) {
                assert_null(got);
                assert_non_null(strstr(err, "changed after its first read"));
            } else {
                assert_non_null(got);
                assert_true(expected(i, got, len));
            }
        }
    assert_int_equal(seen, NLINES - 1);
    held_reader_free(&hr);
}

/* The file written and every line but the gap held by place in h. */
typedef struct setup {
    file f;
    held_budget b;
    held h;
    int tag;
} setup;

static void set_up(setup *s)
{
    write_file(&s->f);
    s->b = (held_budget){0, 0};
    held_init(&s->h, &s->b);
    hold_all(&s->h, &s->f, &s->tag);
}

static void tear_down(setup *s)
{
    held_free(&s->h);
    assert_int_equal(atomic_load(&s->b.used), 0);
    close(s->f.fd);
    unlink(s->f.path);
}

static void test_read_back(void **state)
{
    (void)state;
    setup s;
    set_up(&s);
    check(&s.h, NULL);
    check(&s.h, NULL); /* a reader starts over for a chunk read before */
    tear_down(&s);
}

static void test_changed(void **state)
{
    (void)state;
    setup s;
    set_up(&s);
    const file *f = &s.f;
    /* "third" grows by a byte over its newline; the file is cut inside the
     * line after the long one. */
    assert_int_equal(pwrite(f->fd, "!", 1, (off_t)(f->at[2] + f->len[2])), 1);
    assert_int_equal(ftruncate(f->fd, (off_t)(f->at[6] + 3)), 0);
    int bad[NLINES] = {[2] = 1, [6] = 1, [7] = 1};
    check(&s.h, bad);
    tear_down(&s);
}

/* A place costs the budget its three numbers; a copy its bytes: a budget
 * that a copy of the long line exceeds holds every place in far less. */
static void test_budget(void **state)
{
    (void)state;
    file f;
    write_file(&f);
    held_budget b = {512 << 10, 0};
    held h;
    held_init(&h, &b);
    int tag;
    hold_all(&h, &f, &tag);
    assert_true(atomic_load(&b.used) < (64 << 10));
    static char big[(1 << 20) + 5];
    assert_int_equal(held_add(&h, &tag, 99, big, sizeof big), -1);
    /* A copy and a place of one input go in chunks of their own. */
    assert_int_equal(held_add(&h, &tag, 100, "copy", 4), 0);
    assert_int_equal(held_add_at(&h, &tag, f.fd, 1, f.at[0], f.len[0]), 0);
    held_chunk *c = held_take(&h);
    int chunks = 0;
    for (held_chunk *k = c; k; k = k->next)
        chunks++;
    assert_int_equal(chunks, 3);
    while (c) {
        held_chunk *next = c->next;
        held_chunk_free(&b, c);
        c = next;
    }
    assert_int_equal(atomic_load(&b.used), 0);
    close(f.fd);
    unlink(f.path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_back),
        cmocka_unit_test(test_changed),
        cmocka_unit_test(test_budget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

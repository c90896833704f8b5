/* Held lines: copies and places. Lines held by place in a file are read
 * back by runs (near lines in one read, far ones apart, a line longer than
 * a run alone), each as it was, followed by a NUL; a file changed since
 * (a line's end moved, or cut short) gives the changed lines an error and
 * the others their text; places cost the budget a fraction of copies.
 * Copies past the budget's `spill` go to an unlinked file in its `dir` and
 * read back as they were, among places and with an input dropped; a spill
 * that cannot be made or written keeps them in memory and says why. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
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
    s->b = (held_budget){.limit = 0};
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
    held_budget b = {.limit = 512 << 10};
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

/* Spilling. `want` is every line held, in the order held, with its input;
 * a store is read back against it, skipping a dropped input. */
typedef struct want {
    const void *tag;
    uint64_t lineno;
    char *text;
    size_t len;
} want;

typedef struct wants {
    want *w;
    size_t n, cap;
} wants;

static void want_add(wants *ws, const void *tag, uint64_t lineno, const char *text, size_t len)
{
    if (ws->n == ws->cap)
        ws->w = realloc(ws->w, (ws->cap = ws->cap ? 2 * ws->cap : 256) * sizeof *ws->w);
    want *w = &ws->w[ws->n++];
    *w = (want){tag, lineno, malloc(len + 1), len};
    memcpy(w->text, text, len);
}

static void wants_free(wants *ws)
{
    for (size_t i = 0; i < ws->n; i++)
        free(ws->w[i].text);
    free(ws->w);
}

static void copy(held *h, wants *ws, const void *tag, uint64_t lineno, const char *text,
                 size_t len)
{
    assert_int_equal(held_add(h, tag, lineno, text, len), 0);
    want_add(ws, tag, lineno, text, len);
}

/* Lines the spill file must give back as they were. */
static const struct {
    const char *text;
    size_t len;
} odd[] = {
    {"", 0},                    /* empty */
    {"", 0},                    /* again: two terminators in a row */
    {"ends with CR\r", 13},     /* a CR before the newline the spill writes */
    {"a\rCR inside", 11},
    {"a NUL\0inside", 12},      /* a NUL inside is not a terminator */
    {"\n", 1},                  /* a newline (no reader gives one; the store takes it) */
};

/* Line k of a generated input: lengths 0 to 899, their bytes from k. */
static size_t generated(size_t k, char *buf)
{
    size_t len = k * 7919 % 900;
    for (size_t j = 0; j < len; j++)
        buf[j] = (char)('a' + (k + j) % 26);
    if (len > 10 && k % 5 == 0)
        buf[len / 2] = '\r';
    return len;
}

static void copy_generated(held *h, wants *ws, const void *tag, uint64_t *lineno, size_t n)
{
    char buf[900];
    for (size_t k = 0; k < n; k++, (*lineno)++)
        copy(h, ws, tag, *lineno, buf, generated(*lineno, buf));
}

/* Every line of h read back, in order, as `ws` says, but those of `gone`. */
static void check_spilled(const held *h, const wants *ws, const void *gone)
{
    held_reader hr = {0};
    size_t k = 0;
    for (const held_chunk *c = h->head; c; c = c->next)
        for (size_t i = 0; i < c->n; i++, k++) {
            while (k < ws->n && ws->w[k].tag == gone)
                k++;
            assert_true(k < ws->n);
            const want *w = &ws->w[k];
            char err[200] = "";
            size_t len;
            char *got = held_line(&hr, c, i, &len, err, sizeof err);
            assert_non_null(got);
            assert_ptr_equal(c->tag, w->tag);
            assert_int_equal(c->lineno[i], w->lineno);
            assert_int_equal(len, w->len);
            assert_memory_equal(got, w->text, len);
            assert_int_equal(got[len], '\0');
        }
    while (k < ws->n && ws->w[k].tag == gone)
        k++;
    assert_int_equal(k, ws->n);
    held_reader_free(&hr);
}

/* Chunks of h whose lines are in its spill file, and chunks of copies. */
static void count_chunks(const held *h, int *spilled, int *copies)
{
    *spilled = *copies = 0;
    for (const held_chunk *c = h->head; c; c = c->next) {
        *spilled += h->spill_fd >= 0 && c->fd == h->spill_fd;
        *copies += c->fd < 0;
    }
}

/* Copies of one input, places of a file, copies of another input then
 * dropped, and more copies after the drop, all spilled from the first full
 * chunk on: read back as held, but the dropped input's. */
static void test_spill_read_back(void **state)
{
    (void)state;
    file f;
    write_file(&f);
    held_budget b = {.spill = 1};
    held h;
    held_init(&h, &b);
    wants ws = {0};
    int copied, placed, dropped;
    uint64_t lineno = 1;
    for (size_t i = 0; i < sizeof odd / sizeof *odd; i++, lineno++)
        copy(&h, &ws, &copied, lineno, odd[i].text, odd[i].len);
    static char longer[(1 << 20) + 5]; /* than a chunk, and than a read run */
    memset(longer, 'y', sizeof longer);
    copy(&h, &ws, &copied, lineno++, longer, sizeof longer);
    copy_generated(&h, &ws, &copied, &lineno, 3000);
    static char fill[(1 << 20) + 5];
    memset(fill, 'x', sizeof fill);
    for (int i = 0; i < NLINES; i++)
        if (i != GAP_LINE) {
            assert_int_equal(held_add_at(&h, &placed, f.fd, (uint64_t)i + 1, f.at[i], f.len[i]),
                             0);
            want_add(&ws, &placed, (uint64_t)i + 1, lines[i].text ? lines[i].text : fill,
                     f.len[i]);
        }
    copy_generated(&h, &ws, &dropped, &lineno, 2000);
    copy_generated(&h, &ws, &copied, &lineno, 2000);
    held_drop(&h, &dropped);
    copy_generated(&h, &ws, &copied, &lineno, 500);
    int spilled, copies;
    count_chunks(&h, &spilled, &copies);
    assert_true(spilled > 10);
    assert_int_equal(copies, 1); /* the tail: it may take more */
    assert_int_equal(atomic_load(&b.spill_errno), 0);
    check_spilled(&h, &ws, &dropped);
    held_free(&h);
    assert_int_equal(atomic_load(&b.used), 0);
    wants_free(&ws);
    close(f.fd);
    unlink(f.path);
}

/* Nothing is spilled until the run holds more than `spill` bytes, and
 * then every full chunk of copies is; 0 never spills. */
static void test_spill_threshold(void **state)
{
    (void)state;
    static const struct {
        size_t spill;
        int first_spilled;      /* the store's first chunk */
        int kept;               /* chunks of copies left in memory */
    } cases[] = {
        {0, 0, 32},             /* never */
        {1, 1, 1},              /* from the first full chunk */
        {2 << 20, 0, 8},        /* 7 chunks (276 KiB each, with their numbers) stay, and the tail */
    };
    for (size_t t = 0; t < sizeof cases / sizeof *cases; t++) {
        held_budget b = {.spill = cases[t].spill};
        held h;
        held_init(&h, &b);
        wants ws = {0};
        int tag;
        uint64_t lineno = 1;
        char line[1000];
        memset(line, 'z', sizeof line);
        /* 32 chunks of 261 lines of 1000 bytes and a NUL (256 KiB each). */
        for (int k = 0; k < 32 * 261; k++)
            copy(&h, &ws, &tag, lineno++, line, sizeof line);
        int spilled, copies;
        count_chunks(&h, &spilled, &copies);
        assert_int_equal(copies, cases[t].kept);
        assert_int_equal(spilled, 32 - cases[t].kept);
        assert_int_equal(h.head->fd >= 0, cases[t].first_spilled);
        check_spilled(&h, &ws, NULL);
        held_free(&h);
        wants_free(&ws);
    }
}

/* Spilled, 8 MiB of copies cost the budget their numbers and one chunk;
 * taken and freed one by one (as the pool does), then the store freed, they
 * give it all back. The spill file has no name, in the budget's directory. */
static void test_spill_budget(void **state)
{
    (void)state;
    char dir[] = "/tmp/mailc2-spill-XXXXXX";
    assert_non_null(mkdtemp(dir));
    held_budget b = {.spill = 1, .dir = dir};
    held h;
    held_init(&h, &b);
    wants ws = {0};
    int tag;
    uint64_t lineno = 1;
    copy_generated(&h, &ws, &tag, &lineno, 20000);
    size_t text = 0;
    for (size_t i = 0; i < ws.n; i++)
        text += ws.w[i].len + 1;
    assert_true(text > (8 << 20));
    assert_true(atomic_load(&b.used) < text / 8);
    struct stat file, in;
    assert_int_equal(fstat(h.spill_fd, &file), 0);
    assert_int_equal(stat(dir, &in), 0);
    assert_int_equal(file.st_nlink, 0);
    assert_true(file.st_dev == in.st_dev);
    assert_int_equal(rmdir(dir), 0); /* nothing in it */
    check_spilled(&h, &ws, NULL);
    held_reader hr = {0};
    for (held_chunk *c = held_take(&h), *next; c; c = next) {
        next = c->next;
        size_t len;
        char err[200];
        assert_non_null(held_line(&hr, c, c->n - 1, &len, err, sizeof err));
        hr.c = NULL;
        held_chunk_free(&b, c);
    }
    held_reader_free(&hr);
    assert_int_equal(atomic_load(&b.used), 0);
    held_free(&h);
    assert_int_equal(atomic_load(&b.used), 0);
    wants_free(&ws);
}

/* A spill that cannot be made, or is cut short (a file size limit: a short
 * write, then none): the copies not written stay in memory, those written
 * stay in the file, all read back, and the budget says why. */
static void test_spill_failed(void **state)
{
    (void)state;
    static const struct {
        const char *dir;        /* NULL: /tmp */
        rlim_t fsize;
        int err;
        int spilled;
    } cases[] = {
        {"/nonexistent/mailc2-spill", RLIM_INFINITY, ENOENT, 0},
        {NULL, 600 << 10, EFBIG, 2}, /* two chunks of 256 KiB fit */
    };
    for (size_t t = 0; t < sizeof cases / sizeof *cases; t++) {
        struct rlimit old, cut;
        assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
        cut = old;
        if (cases[t].fsize < old.rlim_cur)
            cut.rlim_cur = cases[t].fsize;
        assert_int_equal(setrlimit(RLIMIT_FSIZE, &cut), 0);
        void (*xfsz)(int) = signal(SIGXFSZ, SIG_IGN); /* write gives EFBIG instead */
        held_budget b = {.spill = 1, .dir = cases[t].dir};
        held h;
        held_init(&h, &b);
        wants ws = {0};
        int tag;
        uint64_t lineno = 1;
        copy_generated(&h, &ws, &tag, &lineno, 3000);
        assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
        signal(SIGXFSZ, xfsz);
        int spilled, copies;
        count_chunks(&h, &spilled, &copies);
        assert_int_equal(spilled, cases[t].spilled);
        assert_true(copies > 1);
        assert_int_equal(atomic_load(&b.spill_errno), cases[t].err);
        check_spilled(&h, &ws, NULL);
        held_free(&h);
        assert_int_equal(atomic_load(&b.used), 0);
        wants_free(&ws);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_back),
        cmocka_unit_test(test_changed),
        cmocka_unit_test(test_budget),
        cmocka_unit_test(test_spill_read_back),
        cmocka_unit_test(test_spill_threshold),
        cmocka_unit_test(test_spill_budget),
        cmocka_unit_test(test_spill_failed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

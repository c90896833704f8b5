/* evtx_records: a chunk view's records from libevtx, here or in a child with
 * bounded memory (evtx_records.h says why).
 *
 * One child serves a pass over a file, over a socket: asked for the view's
 * records from an index on (the view at the same path is the next chunk's
 * by then), it answers with the number of indexes, then per index a byte
 * (1: a record), and for a record its number, event id, and its XML or why
 * there is none. A child that ends early has failed on the index after the
 * last one it wrote: a new child goes on from the next, so one bad record
 * costs one child, and a chunk at most one child per record. */
#define _GNU_SOURCE /* close_range */
#include "input/evtx_records.h"

#include <errno.h>
#include <fcntl.h>
#include <libevtx.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/arena.h"

enum {
    XML_MAX = 64 << 20,  /* a real record's XML is a few KiB; a crafted template that
                            repeats a value could ask for more */
    HEADROOM = 1 << 30,  /* what the child may allocate */
    KIND_XML = 1,
    KIND_WHY = 2,
};

/* The XML of the record being handed out, reused from record to record. */
typedef struct xbuf {
    char *p;
    size_t cap;
    char why[300];
} xbuf;

static char *room(xbuf *b, size_t n)
{
    if (n > b->cap) {
        b->p = xrealloc(b->p, n);
        b->cap = n;
    }
    return b->p;
}

static void why_of(xbuf *b, const char *what, libevtx_error_t **e)
{
    char msg[256] = "";
    if (*e && libevtx_error_sprint(*e, msg, sizeof msg) < 0)
        snprintf(msg, sizeof msg, "libevtx error");
    msg[strcspn(msg, "\n")] = '\0';
    libevtx_error_free(e);
    snprintf(b->why, sizeof b->why, "%s%s%s", what, msg[0] ? ": " : "", msg);
}

static void xml_of(libevtx_record_t *rec, xbuf *b, evtx_got *g)
{
    libevtx_error_t *e = NULL;
    size_t size = 0;
    if (libevtx_record_get_utf8_xml_string_size(rec, &size, &e) != 1 || size == 0) {
        why_of(b, "record has no XML", &e);
        g->why = b->why;
    } else if (size > XML_MAX) {
        snprintf(b->why, sizeof b->why, "record XML of %zu bytes, more than a record can need",
                 size);
        g->why = b->why;
    } else if (libevtx_record_get_utf8_xml_string(rec, (uint8_t *)room(b, size), size, &e) != 1) {
        why_of(b, "record XML", &e);
        g->why = b->why;
    } else {
        b->p[size - 1] = '\0';
        g->xml = b->p;
        g->len = strlen(b->p);
    }
}

/* Record i (of n in order, the rest recovered) into g: 0 when libevtx gives
 * no record there. */
static int get_record(libevtx_file_t *file, int i, int n, int processes, xbuf *b, evtx_got *g)
{
    libevtx_error_t *e = NULL;
    libevtx_record_t *rec = NULL;
    int got = i < n ? libevtx_file_get_record_by_index(file, i, &rec, &e)
                    : libevtx_file_get_recovered_record_by_index(file, i - n, &rec, &e);
    libevtx_error_free(&e);
    *g = (evtx_got){0};
    int ok = got == 1 && libevtx_record_get_identifier(rec, &g->id, &e) == 1;
    libevtx_error_free(&e);
    if (ok && libevtx_record_get_event_identifier(rec, &g->eid, &e) != 1)
        g->eid = 0;
    libevtx_error_free(&e);
    if (ok && (!processes || g->eid == 1 || g->eid == 4688))
        xml_of(rec, b, g);
    libevtx_record_free(&rec, &e);
    libevtx_error_free(&e);
    return ok;
}

static libevtx_file_t *open_view(const char *path, int *n, int *nrecovered, char *err,
                                 size_t errlen)
{
    libevtx_file_t *file = NULL;
    libevtx_error_t *e = NULL;
    *n = *nrecovered = 0;
    if (libevtx_file_initialize(&file, &e) == 1 &&
        libevtx_file_open(file, path, LIBEVTX_OPEN_READ, &e) == 1) {
        if (libevtx_file_get_number_of_records(file, n, &e) != 1)
            libevtx_error_free(&e);
        if (libevtx_file_get_number_of_recovered_records(file, nrecovered, &e) != 1)
            libevtx_error_free(&e);
        return file;
    }
    xbuf b = {0};
    why_of(&b, "libevtx cannot open it", &e);
    snprintf(err, errlen, "%s", b.why);
    libevtx_file_free(&file, &e);
    libevtx_error_free(&e);
    return NULL;
}

static void close_view(libevtx_file_t *file)
{
    libevtx_error_t *e = NULL;
    libevtx_file_close(file, &e);
    libevtx_error_free(&e);
    libevtx_file_free(&file, &e);
    libevtx_error_free(&e);
}

int evtx_records(const char *path, int processes, evtx_got_fn fn, void *ud, char *err,
                 size_t errlen)
{
    int n, nrecovered;
    libevtx_file_t *file = open_view(path, &n, &nrecovered, err, errlen);
    if (!file)
        return -1;
    xbuf b = {0};
    evtx_got g;
    for (int i = 0; i < n + nrecovered; i++)
        if (get_record(file, i, n, processes, &b, &g))
            fn(ud, &g);
    free(b.p);
    close_view(file);
    return 0;
}

/* ---- the child ---- */

static int get_all(int fd, void *p, size_t len)
{
    char *c = p;
    while (len) {
        ssize_t k = read(fd, c, len);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        c += k;
        len -= (size_t)k;
    }
    return 0;
}

/* The child's own address space, from /proc: what it may add is bounded,
 * not what it inherits (a sanitizer build reserves terabytes up front).
 * Read with open and read, not stdio, whose locks another thread of the
 * parent may have held when it forked. */
static void bound_memory(void)
{
    char buf[64];
    int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
    if (n <= 0)
        _exit(2); /* unbounded, it would be no safer than mailc2 */
    close(fd);
    buf[n] = '\0';
    rlim_t limit = (rlim_t)strtoull(buf, NULL, 10) * (rlim_t)sysconf(_SC_PAGESIZE) + HEADROOM;
    struct rlimit r = {limit, limit};
    if (setrlimit(RLIMIT_AS, &r) != 0)
        _exit(2);
}

static void put(int fd, const void *p, size_t len)
{
    const char *c = p;
    while (len) {
        ssize_t k = write(fd, c, len);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            _exit(1); /* the parent is gone */
        c += k;
        len -= (size_t)k;
    }
}

/* A chunk's records from index `from` on, to the parent. */
static void serve(const char *path, int processes, int from, int fd, xbuf *b)
{
    int n, nrecovered;
    char err[16];
    libevtx_file_t *file = open_view(path, &n, &nrecovered, err, sizeof err);
    int32_t total = file ? n + nrecovered : -1;
    put(fd, &total, sizeof total);
    for (int i = from; i < total; i++) {
        evtx_got g;
        unsigned char kind = (unsigned char)get_record(file, i, n, processes, b, &g);
        put(fd, &kind, 1);
        if (!kind)
            continue;
        const char *text = g.xml ? g.xml : g.why ? g.why : "";
        uint32_t len = (uint32_t)strlen(text);
        kind = g.xml ? KIND_XML : g.why ? KIND_WHY : 0;
        put(fd, &g.id, sizeof g.id);
        put(fd, &g.eid, sizeof g.eid);
        put(fd, &kind, 1);
        put(fd, &len, sizeof len);
        put(fd, text, len);
    }
    if (file)
        close_view(file);
}

/* The fds a child keeps: `a` and `b`; the others are closed, so that no
 * other thread's child holds a copy of its socket, which would keep the
 * other end from seeing this one end. */
static void close_others(int a, int b)
{
    unsigned lo = a < b ? (unsigned)a : (unsigned)b, hi = a < b ? (unsigned)b : (unsigned)a;
    if (lo > 3)
        close_range(3, lo - 1, 0);
    if (hi > lo + 1)
        close_range(lo + 1, hi - 1, 0);
    close_range(hi + 1, ~0u, 0);
}

/* Serves each request (the index to start from) until the parent closes
 * its end. */
static _Noreturn void child(const char *path, int processes, int sock)
{
    bound_memory();
    xbuf b = {0};
    int32_t from;
    while (get_all(sock, &from, sizeof from) == 0)
        serve(path, processes, from, sock, &b);
    _exit(0);
}

/* ---- the parent ---- */

/* One record from the child into g (its text in b): 1, 0 when the index
 * gave none, -1 when the child ended first. */
static int get_one(int fd, xbuf *b, evtx_got *g)
{
    unsigned char had, kind;
    uint32_t len;
    *g = (evtx_got){0};
    if (get_all(fd, &had, 1))
        return -1;
    if (!had)
        return 0;
    if (get_all(fd, &g->id, sizeof g->id) || get_all(fd, &g->eid, sizeof g->eid) ||
        get_all(fd, &kind, 1) || get_all(fd, &len, sizeof len) || len > XML_MAX ||
        get_all(fd, room(b, (size_t)len + 1), len))
        return -1;
    b->p[len] = '\0';
    if (kind == KIND_XML)
        g->xml = b->p, g->len = len;
    else if (kind == KIND_WHY)
        g->why = b->p;
    return 1;
}

struct evtx_apart {
    char *path;
    int keep_fd;      /* the fd `path` names */
    int processes;
    pid_t pid;        /* 0: none running */
    int sock;         /* to it and from it */
    xbuf b;
};

evtx_apart *evtx_apart_new(const char *path, int keep_fd, int processes)
{
    evtx_apart *a = xcalloc(1, sizeof *a);
    a->path = xstrdup(path);
    a->keep_fd = keep_fd;
    a->processes = processes;
    return a;
}

static void stop(evtx_apart *a)
{
    if (!a->pid)
        return;
    close(a->sock);
    kill(a->pid, SIGKILL);
    while (waitpid(a->pid, NULL, 0) < 0 && errno == EINTR)
        ;
    a->pid = 0;
}

void evtx_apart_free(evtx_apart *a)
{
    if (!a)
        return;
    stop(a);
    free(a->path);
    free(a->b.p);
    free(a);
}

static int start(evtx_apart *a, char *err, size_t errlen)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
        snprintf(err, errlen, "cannot make a socket for a child to read it: %s",
                 strerror(errno));
        return -1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        close(sv[0]);
        close_others(sv[1], a->keep_fd);
        child(a->path, a->processes, sv[1]);
    }
    close(sv[1]);
    if (pid < 0) {
        snprintf(err, errlen, "cannot start a child to read it: %s", strerror(errno));
        close(sv[0]);
        return -1;
    }
    a->pid = pid;
    a->sock = sv[0];
    return 0;
}

/* The chunk's records from index `from` on, from a's child (started when
 * none runs), to fn, *total set from it. Returns the next index, or -1
 * when the child gave nothing, not even the count; a child that ended is
 * stopped. */
static int ask(evtx_apart *a, int from, int *total, evtx_got_fn fn, void *ud, char *err,
               size_t errlen)
{
    if (!a->pid && start(a, err, errlen))
        return -1;
    int32_t req = from, t;
    int next = -1;
    if (send(a->sock, &req, sizeof req, MSG_NOSIGNAL) != (ssize_t)sizeof req ||
        get_all(a->sock, &t, sizeof t) || t < 0) {
        snprintf(err, errlen, "libevtx cannot open it in a child");
    } else {
        *total = t;
        evtx_got g;
        int got = 0;
        for (next = from; next < t && (got = get_one(a->sock, &a->b, &g)) >= 0; next++)
            if (got)
                fn(ud, &g);
        if (got >= 0)
            return next; /* the child lives on for the next chunk */
    }
    stop(a);
    return next;
}

int evtx_records_apart(evtx_apart *a, evtx_got_fn fn, void *ud, char *err, size_t errlen)
{
    int total = -1, next = 0, lost = 0;
    while (total < 0 || next < total) {
        int got = ask(a, next, &total, fn, ud, err, errlen);
        if (got < 0 && total < 0)
            return -1;
        if (got < 0)
            got = next; /* a later child that gave nothing: its first index fails */
        if (got < total)
            got++, lost++; /* the child ended on this one */
        next = got;
    }
    return lost;
}

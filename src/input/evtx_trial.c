/* evtx_trial: a chunk's records tried by libevtx in a child process whose
 * address space is bounded (evtx_trial.h says why).
 *
 * The child writes the number of indexes, then one byte per index tried
 * (1: read). A child that ends early has failed on the index after the
 * last byte it wrote: that one is refused and a new child goes on from the
 * next, so one bad record costs one child, and a chunk at most one child per
 * record. */
#define _GNU_SOURCE /* pipe2 */
#include "input/evtx_trial.h"

#include <errno.h>
#include <fcntl.h>
#include <libevtx.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

enum { TRIAL_HEADROOM = 1 << 30 }; /* a record's XML needs far less */

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
        _exit(2); /* unbounded, the trial would be no trial */
    close(fd);
    buf[n] = '\0';
    rlim_t limit = (rlim_t)strtoull(buf, NULL, 10) * (rlim_t)sysconf(_SC_PAGESIZE) +
                   TRIAL_HEADROOM;
    struct rlimit r = {limit, limit};
    if (setrlimit(RLIMIT_AS, &r) != 0)
        _exit(2);
}

static int write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static void child(const char *path, int fd, int from, int max)
{
    bound_memory();
    libevtx_file_t *file = NULL;
    libevtx_error_t *e = NULL;
    int n = 0, nrecovered = 0;
    if (libevtx_file_initialize(&file, &e) != 1 ||
        libevtx_file_open(file, path, LIBEVTX_OPEN_READ, &e) != 1 ||
        libevtx_file_get_number_of_records(file, &n, &e) != 1 ||
        libevtx_file_get_number_of_recovered_records(file, &nrecovered, &e) != 1)
        _exit(1);
    int32_t total = n + nrecovered < max ? n + nrecovered : max;
    if (write_all(fd, &total, sizeof total))
        _exit(1);
    for (int i = from; i < total; i++) {
        libevtx_record_t *rec = NULL;
        size_t size = 0;
        int got = i < n ? libevtx_file_get_record_by_index(file, i, &rec, &e)
                        : libevtx_file_get_recovered_record_by_index(file, i - n, &rec, &e);
        unsigned char ok = got == 1 &&
                           libevtx_record_get_utf8_xml_string_size(rec, &size, &e) == 1;
        libevtx_error_free(&e);
        libevtx_record_free(&rec, &e);
        libevtx_error_free(&e);
        if (write_all(fd, &ok, 1))
            _exit(1);
    }
    _exit(0);
}

static size_t read_some(int fd, void *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = read(fd, (char *)buf + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    return got;
}

/* One child from index `from`: its indexes' results into refused[], up to
 * *total (set from the child when still unknown). Returns the next index
 * to try, or -1 when the child gave nothing, not even the count. */
static int one_child(const char *path, int from, int max, int *total, unsigned char *refused,
                     char *err, size_t errlen)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        snprintf(err, errlen, "cannot make a pipe for its trial: %s", strerror(errno));
        return -1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        child(path, fds[1], from, max);
    }
    close(fds[1]);
    if (pid < 0) {
        snprintf(err, errlen, "cannot start its trial: %s", strerror(errno));
        close(fds[0]);
        return -1;
    }
    int32_t t = 0;
    int next = from;
    if (read_some(fds[0], &t, sizeof t) == sizeof t && t >= 0 && t <= max) {
        *total = t;
        unsigned char ok;
        while (next < t && read_some(fds[0], &ok, 1) == 1)
            refused[next++] = !ok;
    } else {
        next = -1;
    }
    close(fds[0]);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
        ;
    if (next < 0)
        snprintf(err, errlen, "libevtx cannot open it in a trial");
    return next;
}

int evtx_trial(const char *path, unsigned char *refused, int max, char *err, size_t errlen)
{
    int total = -1, next = 0;
    while (total < 0 || next < total) {
        int got = one_child(path, next, max, &total, refused, err, errlen);
        if (got < 0) {
            if (total < 0)
                return -1;
            got = next; /* a later child that gave nothing: its first index fails */
        }
        if (got < total)
            refused[got++] = 1; /* the child ended on this one */
        next = got;
    }
    return total;
}

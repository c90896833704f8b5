/* proc: process facts from /proc (see proc.h). `root` is the proc mount,
 * "/proc" in use; the unit tests pass it too, so nothing here assumes it. */
#include "sensor/proc.h"

#include <dirent.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int proc_exe(const char *root, uint32_t pid, char *buf, size_t cap)
{
    char path[64];
    snprintf(path, sizeof path, "%s/%u/exe", root, pid);
    ssize_t n = readlink(path, buf, cap - 1);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    return 0;
}

size_t proc_join_args(char *args, size_t n)
{
    while (n && args[n - 1] == '\0')
        n--;
    for (size_t i = 0; i < n; i++)
        if (args[i] == '\0')
            args[i] = ' ';
    args[n] = '\0';
    return n;
}

/* The first cap - 1 bytes of a small /proc file; -1 when unreadable. */
static ssize_t read_small(const char *path, char *buf, size_t cap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t got = 0;
    ssize_t n;
    while (got < cap - 1 && (n = read(fd, buf + got, cap - 1 - got)) > 0)
        got += (size_t)n;
    close(fd);
    buf[got] = '\0';
    return (ssize_t)got;
}

int proc_cmdline(const char *root, uint32_t pid, char *buf, size_t cap)
{
    char path[64];
    snprintf(path, sizeof path, "%s/%u/cmdline", root, pid);
    ssize_t n = read_small(path, buf, cap);
    return n > 0 && proc_join_args(buf, (size_t)n) > 0 ? 0 : -1;
}

void proc_user(uint32_t uid, char *buf, size_t cap)
{
    struct passwd pw, *found = NULL;
    char space[1024];
    if (getpwuid_r((uid_t)uid, &pw, space, sizeof space, &found) == 0 && found)
        snprintf(buf, cap, "%s", pw.pw_name);
    else
        snprintf(buf, cap, "%u", uid);
}

/* "socket:[12345]" -> 12345; 0 when the link is not a socket. */
static uint64_t socket_inode(const char *link)
{
    unsigned long long inode;
    return sscanf(link, "socket:[%llu]", &inode) == 1 ? inode : 0;
}

static void process_sockets(const char *root, uint32_t pid,
                            void (*found)(void *, uint64_t, uint32_t), void *ud)
{
    char dir[64], path[384], link[64];
    snprintf(dir, sizeof dir, "%s/%u/fd", root, pid);
    DIR *d = opendir(dir);
    if (!d)
        return; /* gone, or not ours to read */
    struct dirent *fd;
    while ((fd = readdir(d)) != NULL) {
        if (fd->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, fd->d_name);
        ssize_t n = readlink(path, link, sizeof link - 1);
        if (n <= 0)
            continue;
        link[n] = '\0';
        uint64_t inode = socket_inode(link);
        if (inode)
            found(ud, inode, pid);
    }
    closedir(d);
}

void proc_sockets(const char *root, void (*found)(void *ud, uint64_t inode, uint32_t pid),
                  void *ud)
{
    DIR *d = opendir(root);
    if (!d)
        return;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        char *end;
        unsigned long pid = strtoul(ent->d_name, &end, 10);
        if (*end == '\0' && pid > 0)
            process_sockets(root, (uint32_t)pid, found, ud);
    }
    closedir(d);
}

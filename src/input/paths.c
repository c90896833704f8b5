/* paths: directory expansion for input arguments (see paths.h). */
#include "input/paths.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/arena.h"

static void add(path_list *l, char *p)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->path = xrealloc(l->path, sizeof *l->path * (size_t)l->cap);
    }
    l->path[l->n++] = p;
}

/* The (device, inode) pairs taken: an open-addressing set, since a
 * directory tree may hold many files. */
struct path_seen {
    unsigned long long *dev, *ino;
    size_t cap, n;
};

static size_t slot_of(const path_seen *s, unsigned long long dev, unsigned long long ino)
{
    size_t i = (size_t)((ino * 0x9e3779b97f4a7c15ull) ^ dev) & (s->cap - 1);
    while (s->ino[i] && !(s->ino[i] == ino && s->dev[i] == dev))
        i = (i + 1) & (s->cap - 1);
    return i;
}

/* 1 when (dev, ino) was new and is now taken, 0 when it had been. */
static int take(path_list *l, const struct stat *sb)
{
    path_seen *s = l->seen;
    if (!s)
        s = l->seen = xcalloc(1, sizeof *s);
    if (2 * (s->n + 1) > s->cap) {
        path_seen bigger = {xcalloc(s->cap ? s->cap * 2 : 1024, sizeof *s->dev),
                            xcalloc(s->cap ? s->cap * 2 : 1024, sizeof *s->ino),
                            s->cap ? s->cap * 2 : 1024, 0};
        for (size_t i = 0; i < s->cap; i++)
            if (s->ino[i]) {
                size_t j = slot_of(&bigger, s->dev[i], s->ino[i]);
                bigger.dev[j] = s->dev[i];
                bigger.ino[j] = s->ino[i];
                bigger.n++;
            }
        free(s->dev);
        free(s->ino);
        *s = bigger;
    }
    unsigned long long dev = (unsigned long long)sb->st_dev, ino = (unsigned long long)sb->st_ino + 1;
    size_t i = slot_of(s, dev, ino);
    if (s->ino[i])
        return 0;
    s->dev[i] = dev;
    s->ino[i] = ino; /* +1: 0 marks an empty slot */
    s->n++;
    return 1;
}

static void note(path_list *l, const char *path, const char *why)
{
    if (l->nnotes == l->notecap) {
        l->notecap = l->notecap ? l->notecap * 2 : 8;
        l->note = xrealloc(l->note, sizeof *l->note * (size_t)l->notecap);
    }
    char *msg = xmalloc(strlen(path) + strlen(why) + 3);
    sprintf(msg, "%s: %s", path, why);
    l->note[l->nnotes++] = msg;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void expand(const char *path, path_list *out, int depth)
{
    struct stat sb;
    if (strcmp(path, "-") == 0 || stat(path, &sb) != 0) {
        add(out, xstrdup(path)); /* opening it later reports why */
        return;
    }
    if (!take(out, &sb)) {
        note(out, path, S_ISDIR(sb.st_mode) ? "a directory already read (a link loop or a "
                                              "second name); not read again"
                                            : "a file already read under another name; not "
                                              "read again");
        return;
    }
    if (!S_ISDIR(sb.st_mode)) {
        add(out, xstrdup(path));
        return;
    }
    if (depth > 64) {
        note(out, path, "more than 64 directories deep; not read");
        return;
    }
    DIR *dir = opendir(path);
    if (!dir) {
        add(out, xstrdup(path)); /* opening it later reports why */
        return;
    }
    path_list here = {0};
    struct dirent *de;
    size_t plen = strlen(path);
    int slash = plen && path[plen - 1] == '/';
    while ((de = readdir(dir))) {
        if (de->d_name[0] == '.')
            continue;
        char *child = xmalloc(plen + strlen(de->d_name) + 2);
        strcpy(child, path);
        if (!slash)
            strcat(child, "/");
        strcat(child, de->d_name);
        add(&here, child);
    }
    closedir(dir);
    qsort(here.path, (size_t)here.n, sizeof *here.path, by_name);
    for (int i = 0; i < here.n; i++) {
        if (stat(here.path[i], &sb) == 0 && (S_ISDIR(sb.st_mode) || S_ISREG(sb.st_mode)))
            expand(here.path[i], out, depth + 1);
        free(here.path[i]);
    }
    free(here.path);
}

void paths_add(path_list *l, const char *path)
{
    expand(path, l, 0);
}

void paths_free(path_list *l)
{
    for (int i = 0; i < l->n; i++)
        free(l->path[i]);
    for (int i = 0; i < l->nnotes; i++)
        free(l->note[i]);
    if (l->seen) {
        free(l->seen->dev);
        free(l->seen->ino);
        free(l->seen);
    }
    free(l->path);
    free(l->note);
    memset(l, 0, sizeof *l);
}

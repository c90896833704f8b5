/* paths: directory expansion for input arguments (see paths.h). */
#include "input/paths.h"

#include <dirent.h>
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

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void expand(const char *path, path_list *out, int depth)
{
    struct stat sb;
    if (strcmp(path, "-") == 0 || stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode) || depth > 32) {
        add(out, xstrdup(path));
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

void paths_expand(const char *const *in, int n, path_list *out)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; i < n; i++)
        expand(in[i], out, 0);
}

void paths_free(path_list *l)
{
    for (int i = 0; i < l->n; i++)
        free(l->path[i]);
    free(l->path);
    memset(l, 0, sizeof *l);
}

/* paths: the list of inputs a user named, with directories expanded.
 *
 * A directory stands for every regular file below it, recursively, in
 * byte order of their paths, skipping names that start with '.'. Anything
 * else (a file, "-" for stdin, a path that does not exist) is kept as given
 * so that opening it reports the error with the user's own spelling.
 *
 * Each file and directory is taken once, however it is reached: a symbolic
 * link back to a directory being expanded (a loop) is not followed, and a
 * file reached a second time (twice on the command line, through a link to
 * a parent) is not read again; both are said in `notes`, so that counts are
 * never inflated and a loop never hangs the run.
 *
 * Ownership: the list owns its paths and notes; paths_free() frees them. */
#ifndef MAILC2_PATHS_H
#define MAILC2_PATHS_H

#include <stddef.h>

typedef struct path_seen path_seen;

typedef struct path_list {
    char **path;
    int n, cap;
    char **note;                /* what was skipped and why */
    int nnotes, notecap;
    path_seen *seen;            /* files and directories taken (device, inode) */
} path_list;

/* Appends `path`, expanded, to l (zero it before the first call). */
void paths_add(path_list *l, const char *path);
void paths_free(path_list *l);

#endif

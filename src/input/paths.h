/* paths: the list of inputs a user named, with directories expanded.
 *
 * A directory stands for every regular file below it, recursively, in
 * byte order of their paths, skipping names that start with '.'. Anything
 * else (a file, "-" for stdin, a path that does not exist) is kept as given
 * so that opening it reports the error with the user's own spelling.
 *
 * Ownership: paths_expand() returns a malloc'd array of malloc'd strings;
 * paths_free() frees both. */
#ifndef MAILC2_PATHS_H
#define MAILC2_PATHS_H

typedef struct path_list {
    char **path;
    int n, cap;
} path_list;

void paths_expand(const char *const *in, int n, path_list *out);
void paths_free(path_list *l);

#endif

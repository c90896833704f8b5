/* filemap: a plain file read in place, its pages mapped rather than copied
 * (input/reader.c reader_map_block).
 *
 * Why: copying a page-cached file out of the kernel (read()) was about a
 * third of a LogScale run's CPU on plain input; a mapped block is read
 * where it lies, and its pages are given back once it is done, so that the
 * resident set holds only the blocks in hand (BENCHMARKS.md, session 12).
 *
 * A file cut while it is mapped kills the process with SIGBUS at the first
 * read past its new end (logrotate's copytruncate does this to live logs).
 * filemap catches that signal for its own mappings: the page that faulted
 * becomes a page of zeros, the map is marked cut, and its reader says the
 * file shrank, as a read() would have. A signal handler gets no argument,
 * so the live mappings are kept in a fixed table, written before a mapping
 * is read: the one piece of process-wide state in mailc2. */
#ifndef MAILC2_FILEMAP_H
#define MAILC2_FILEMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct filemap filemap;

/* len bytes of fd from offset at, read-only; NULL when they cannot be
 * mapped (then the caller reads them). */
filemap *filemap_open(int fd, uint64_t at, uint64_t len);
/* The mapped bytes: byte i of the file's mapped part is at [i]. */
const char *filemap_bytes(const filemap *m);
/* Says p[0, len) of the map is read next: its pages are brought in at once
 * rather than one fault at a time. */
void filemap_ahead(const char *p, size_t len);
/* The bytes before byte `end` of the file's mapped part are read and done
 * with: their pages are given back, in whole 2 MiB windows and several at
 * a time (filemap.c says why; the page cache keeps them), the rest once
 * more are done or at filemap_close. The caller serialises its calls. */
void filemap_release_before(filemap *m, uint64_t end);
/* Whether a read past the file's end was caught: the file shrank. */
int filemap_cut(const filemap *m);
void filemap_close(filemap *m);

#endif

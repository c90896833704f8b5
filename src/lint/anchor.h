/* anchor: is a process-name regex anchored at the start of the file name
 * (anchor.c says how it is read). */
#ifndef MAILC2_LINT_ANCHOR_H
#define MAILC2_LINT_ANCHOR_H

#include <stddef.h>

/* 1 when every alternative of `re` (PCRE source) starts at the value's
 * start or at a path separator, 0 when a longer name could match. */
int anchor_name_start(const char *re);
/* The literal name of the first alternative ("outlook.exe") into buf;
 * 0, or -1 when it has none. */
int anchor_example(const char *re, char *buf, size_t len);

#endif

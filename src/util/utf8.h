/* utf8: what a valid UTF-8 sequence is (RFC 3629: no overlong forms, no
 * UTF-16 surrogates, nothing past U+10FFFF). JSON output replaces what is
 * not; the Sigma front end refuses a file that is not. */
#ifndef MAILC2_UTF8_H
#define MAILC2_UTF8_H

#include <stddef.h>

/* The length of the valid UTF-8 sequence at s (len bytes available, at
 * least 1), or 0 when none starts there. */
size_t utf8_seq(const unsigned char *s, size_t len);

/* The offset of the first byte of s[0, len) that starts no valid sequence,
 * or len when all of it is UTF-8. */
size_t utf8_invalid_at(const char *s, size_t len);

#endif

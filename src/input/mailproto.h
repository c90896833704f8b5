/* mailproto: how closely a TCP session's first bytes follow SMTP, POP3 or
 * IMAP — the `app_conformance` of a captured session (pcap.c).
 *
 * The mail protocols are server-first: SMTP greets with `220`, POP3 with
 * `+OK`, IMAP with `* OK` or `* PREAUTH`; the client then speaks the
 * protocol's verbs (IMAP's behind a tag). Labels:
 *   smtp, pop3, imap            greeting and commands of that protocol
 *   smtp-starttls, pop3-stls, imap-starttls   ... switching to TLS
 *   tls                         the client opened with a TLS ClientHello
 *                               (implicit TLS: 465, 995, 993); its SNI kept
 *   not-mail                    bytes that follow none of them
 *   no-data                     no payload either way
 *   unknown                     too few bytes to tell
 * Only the first complete client lines are judged (up to DATA or AUTH,
 * after which the client sends message text or credentials, not verbs). */
#ifndef MAILC2_MAILPROTO_H
#define MAILC2_MAILPROTO_H

#include <stddef.h>

/* c: the client's first bytes, s: the server's. Returns a static label;
 * fills sni (NUL-terminated, "" when none) from a ClientHello. */
const char *mailproto_classify(const unsigned char *c, size_t clen, const unsigned char *s,
                               size_t slen, char *sni, size_t snilen);
/* The protocol of a label ("smtp" for "smtp-starttls", "tls" for "tls"),
 * or NULL for not-mail, no-data and unknown. */
const char *mailproto_protocol(const char *label);

#endif

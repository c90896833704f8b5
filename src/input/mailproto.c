/* mailproto: judging a session's first bytes (see mailproto.h). Written
 * here, not taken from a dissector library: it needs only greetings, verbs
 * and a ClientHello's server name, and must say "not mail" where a
 * dissector would simply give up. */
#include "input/mailproto.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

enum { P_NONE, P_SMTP, P_POP3, P_IMAP, MAX_LINES = 4 };

static const char *const smtp_verbs[] = {
    "EHLO", "HELO", "MAIL", "RCPT", "DATA", "AUTH", "STARTTLS", "QUIT", "RSET", "NOOP",
    "VRFY", "EXPN", "HELP", "BDAT", NULL,
};
static const char *const pop3_verbs[] = {
    "USER", "PASS", "APOP", "STAT", "LIST", "RETR", "DELE", "NOOP", "RSET", "QUIT", "TOP",
    "UIDL", "CAPA", "STLS", "AUTH", NULL,
};
static const char *const imap_verbs[] = {
    "CAPABILITY", "LOGIN", "AUTHENTICATE", "SELECT", "EXAMINE", "FETCH", "STARTTLS", "LOGOUT",
    "NOOP", "LIST", "LSUB", "STATUS", "CREATE", "DELETE", "RENAME", "SUBSCRIBE", "UNSUBSCRIBE",
    "APPEND", "CHECK", "CLOSE", "EXPUNGE", "SEARCH", "STORE", "COPY", "UID", "ID", "ENABLE",
    "IDLE", "NAMESPACE", NULL,
};
static const char *const *const verbs[] = {NULL, smtp_verbs, pop3_verbs, imap_verbs};

static int starts(const unsigned char *p, size_t n, const char *s)
{
    size_t k = strlen(s);
    return n >= k && strncasecmp((const char *)p, s, k) == 0;
}

static int greeting(const unsigned char *s, size_t n)
{
    if (starts(s, n, "220 ") || starts(s, n, "220-"))
        return P_SMTP;
    if (starts(s, n, "+OK"))
        return P_POP3;
    if (starts(s, n, "* OK") || starts(s, n, "* PREAUTH"))
        return P_IMAP;
    return P_NONE;
}

/* The verb of a client line: the first word, or the second for IMAP. */
static size_t verb_of(const unsigned char *line, size_t n, int imap, const unsigned char **verb)
{
    size_t i = 0;
    if (imap) {
        while (i < n && line[i] != ' ')
            i++;
        if (i == 0 || i == n)
            return 0;
        i++;
    }
    *verb = line + i;
    size_t k = 0;
    while (i + k < n && line[i + k] != ' ')
        k++;
    return k;
}

static int is_verb(int proto, const unsigned char *v, size_t k)
{
    for (const char *const *w = verbs[proto]; *w; w++)
        if (strlen(*w) == k && strncasecmp((const char *)v, *w, k) == 0)
            return 1;
    return 0;
}

/* The verdict on the client's complete lines for one protocol: -1 a line
 * that is no verb of it, else the count of verbs seen; *tls set on a
 * STARTTLS/STLS. */
static int client_lines(int proto, const unsigned char *c, size_t n, int *tls)
{
    int seen = 0;
    for (int l = 0; l < MAX_LINES; l++) {
        const unsigned char *nl = memchr(c, '\n', n);
        if (!nl)
            break;
        size_t len = (size_t)(nl - c);
        if (len && c[len - 1] == '\r')
            len--;
        const unsigned char *v;
        size_t k = verb_of(c, len, proto == P_IMAP, &v);
        if (!k || !is_verb(proto, v, k))
            return -1;
        seen++;
        if ((k == 8 && !strncasecmp((const char *)v, "STARTTLS", 8)) ||
            (k == 4 && !strncasecmp((const char *)v, "STLS", 4)))
            *tls = 1;
        if (*tls || (k == 4 && !strncasecmp((const char *)v, "DATA", 4)) ||
            (k == 4 && !strncasecmp((const char *)v, "AUTH", 4)) ||
            (k == 12 && !strncasecmp((const char *)v, "AUTHENTICATE", 12)))
            break; /* after these the client sends TLS, text or credentials */
        n -= (size_t)(nl + 1 - c);
        c = nl + 1;
    }
    return seen;
}

/* The server name of a TLS ClientHello record, if it carries one. */
static void client_hello_sni(const unsigned char *p, size_t n, char *sni, size_t snilen)
{
    /* record(5) handshake(4) version(2) random(32) */
    size_t i = 5 + 4 + 2 + 32;
    if (n < i + 1 || p[5] != 1)
        return;
    i += 1 + p[i];                                   /* session id */
    if (i + 2 > n) return;
    i += 2 + ((size_t)p[i] << 8 | p[i + 1]);         /* cipher suites */
    if (i + 1 > n) return;
    i += 1 + p[i];                                   /* compression methods */
    if (i + 2 > n) return;
    size_t end = i + 2 + ((size_t)p[i] << 8 | p[i + 1]);
    for (i += 2; i + 4 <= n && i + 4 <= end;) {
        size_t type = (size_t)p[i] << 8 | p[i + 1], len = (size_t)p[i + 2] << 8 | p[i + 3];
        i += 4;
        if (type == 0 && i + 5 <= n) {                /* server_name: list, type, length */
            size_t name = (size_t)p[i + 3] << 8 | p[i + 4];
            if (i + 5 + name <= n)
                snprintf(sni, snilen, "%.*s", (int)name, (const char *)p + i + 5);
            return;
        }
        i += len;
    }
}

static const char *label(int proto, int tls)
{
    static const char *const plain[] = {NULL, "smtp", "pop3", "imap"};
    static const char *const secured[] = {NULL, "smtp-starttls", "pop3-stls", "imap-starttls"};
    return tls ? secured[proto] : plain[proto];
}

const char *mailproto_classify(const unsigned char *c, size_t clen, const unsigned char *s,
                               size_t slen, char *sni, size_t snilen)
{
    sni[0] = '\0';
    if (!clen && !slen)
        return "no-data";
    if (clen >= 3 && c[0] == 0x16 && c[1] == 3 && c[2] <= 4) {
        client_hello_sni(c, clen, sni, snilen);
        return "tls";
    }
    int tls = 0, proto = greeting(s, slen);
    if (proto)
        return client_lines(proto, c, clen, &tls) < 0 ? "not-mail" : label(proto, tls);
    /* No greeting seen (the capture began late, or the server is silent):
     * the client's verbs alone decide. */
    for (int p = P_SMTP; p <= P_IMAP; p++) {
        tls = 0;
        if (client_lines(p, c, clen, &tls) > 0)
            return label(p, tls);
    }
    return clen + slen < 4 ? "unknown" : "not-mail";
}

const char *mailproto_protocol(const char *lbl)
{
    static const char *const protos[] = {"smtp", "pop3", "imap", "tls"};
    for (size_t i = 0; i < sizeof protos / sizeof protos[0]; i++)
        if (!strncmp(lbl, protos[i], strlen(protos[i])))
            return protos[i];
    return NULL;
}

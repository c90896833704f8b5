/* score: the parts of a finding's triage score (see score.h for the
 * function itself). Matching is on lower-cased text, since Windows names
 * ignore case and tells in command lines come in any case. */
#include "triage/score.h"

#include "util/arena.h"
#include "util/fmt.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void say(triage_part *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends one reason to p->why, "; "-separated. */
static void say(triage_part *p, const char *fmt, ...)
{
    size_t len = strlen(p->why);
    if (len && len + 2 < sizeof p->why) {
        memcpy(p->why + len, "; ", 3);
        len += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    fmt_vappend(p->why, sizeof p->why, len, fmt, ap);
    va_end(ap);
}

static void part_init(triage_part *p)
{
    p->points = 0;
    p->facts = 0;
    p->why[0] = '\0';
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of sorted v[0..n), n > 0. */
static double median(const double *v, size_t n)
{
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int score_intervals(const int64_t *t, size_t n, interval_stats *s)
{
    memset(s, 0, sizeof *s);
    if (n < 4)
        return -1;
    size_t m = n - 1;
    double *d = xmalloc(sizeof *d * m), *dev = xmalloc(sizeof *dev * m);
    for (size_t i = 0; i < m; i++)
        d[i] = (double)(t[i + 1] - t[i]);
    qsort(d, m, sizeof *d, cmp_double);
    /* Quartiles as the medians of the lower and upper halves (the middle
     * interval left out when their number is odd). */
    double q1 = median(d, m / 2), q2 = median(d, m), q3 = median(d + (m + 1) / 2, m / 2);
    for (size_t i = 0; i < m; i++)
        dev[i] = fabs(d[i] - q2);
    qsort(dev, m, sizeof *dev, cmp_double);
    s->n = m;
    s->median = q2;
    s->skew = q3 > q1 ? (q1 + q3 - 2 * q2) / (q3 - q1) : 0;
    s->mad = median(dev, m);
    free(d);
    free(dev);
    return 0;
}

/* "300 s", "45 min", "2.0 h": an interval as a person reads it. */
static void duration_text(double ms, char *buf, size_t cap)
{
    if (ms < 120000)
        snprintf(buf, cap, "%.0f s", ms / 1000);
    else if (ms < 7200000)
        snprintf(buf, cap, "%.0f min", ms / 60000);
    else
        snprintf(buf, cap, "%.1f h", ms / 3600000);
}

void score_periodicity(const int64_t *t, size_t n, int64_t window_ms, triage_part *out)
{
    part_init(out);
    interval_stats s;
    if (score_intervals(t, n, &s)) {
        say(out, "%zu connection%s: too few to judge a rhythm (4 needed)", n, n == 1 ? "" : "s");
        return;
    }
    double spread = s.median > 0 ? s.mad / s.median : 1;
    double regular = (1 - fabs(s.skew)) * fmax(0, 1 - 4 * spread);
    double span = (double)(window_ms > 0 ? window_ms : t[n - 1] - t[0]);
    double hours = fmax(1, span / 3600000);
    double volume = fmin(1, (double)n / hours);
    out->points = (int)lround(25 * regular * (1 + volume) / 2);
    char every[32];
    duration_text(s.median, every, sizeof every);
    say(out, "%s: every %s, skew %.2f, MAD %.0f%% of the interval, %zu connections in %.0f h",
        regular >= 0.5 ? "regular" : "irregular", every,
        s.skew, 100 * spread, n, hours);
}

void score_rarity(int64_t hosts, int loopback, int64_t dsts, const char *dst, triage_part *out)
{
    part_init(out);
    dst = dst ? dst : "the destination";
    if (loopback) {
        out->points += 20;
        say(out, "%s is loopback: this host only (+20)", dst);
    } else if (hosts == 1 || hosts == 2) {
        out->points += hosts == 1 ? 20 : 10;
        say(out, "%lld host%s talk%s to %s (+%d)", (long long)hosts, hosts == 1 ? "" : "s",
            hosts == 1 ? "s" : "", dst, hosts == 1 ? 20 : 10);
    } else if (hosts > 2) {
        say(out, "%lld hosts talk to %s: a shared server, likely the organisation's relay",
            (long long)hosts, dst);
    }
    if (dsts >= 2) {
        int pts = dsts >= 3 ? 10 : 5;
        out->points += pts;
        say(out, "the process reaches %lld mail destinations (+%d)", (long long)dsts, pts);
    }
}

/* An ASCII letter lower-cased: the names and tells matched are ASCII, and
 * tolower() was a call per byte. */
static char ascii_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c;
}

/* The file name of path, lower-cased, without its extension and trailing
 * version digits: "C:\...\Python312\python3.12.exe" -> "python". */
static void tool_name(const char *path, char *buf, size_t cap)
{
    const char *b = path;
    for (const char *p = path; *p; p++)
        if (*p == '\\' || *p == '/')
            b = p + 1;
    size_t n = 0;
    for (; b[n] && b[n] != '.' && n + 1 < cap; n++)
        buf[n] = ascii_lower(b[n]);
    while (n && buf[n - 1] >= '0' && buf[n - 1] <= '9')
        n--;
    buf[n] = '\0';
}

/* What a tool's file name says: SCORE_LOLBIN for a scripting or
 * living-off-the-land binary, SCORE_RAW_TOOL too for a raw socket tool. The
 * name is made once per finding (a high-cardinality hunt scores 10^5). */
static int tool_kind(const char *path)
{
    enum { LOL = SCORE_LOLBIN, RAW = SCORE_LOLBIN | SCORE_RAW_TOOL };
    static const struct {
        const char *name;
        int kind;
    } tools[] = {{"powershell", LOL}, {"pwsh", LOL},   {"wscript", LOL},  {"cscript", LOL},
                 {"mshta", LOL},      {"rundll32", LOL}, {"regsvr32", LOL}, {"python", LOL},
                 {"perl", LOL},       {"curl", LOL},   {"wget", LOL},     {"certutil", LOL},
                 {"bitsadmin", LOL},  {"nc", RAW},     {"ncat", RAW},     {"netcat", RAW},
                 {"socat", RAW},      {"telnet", RAW}};
    if (!path)
        return 0;
    char name[64];
    tool_name(path, name, sizeof name);
    for (size_t i = 0; i < sizeof tools / sizeof tools[0]; i++)
        if (name[0] == tools[i].name[0] && strcmp(name, tools[i].name) == 0)
            return tools[i].kind;
    return 0;
}

/* Lower-cased copy of s (at most cap - 1 bytes). */
static void lower(const char *s, char *buf, size_t cap)
{
    size_t n = 0;
    for (; s[n] && n + 1 < cap; n++)
        buf[n] = ascii_lower(s[n]);
    buf[n] = '\0';
}

static int has_any(const char *text, const char *const *needles)
{
    for (size_t i = 0; needles[i]; i++)
        if (strstr(text, needles[i]))
            return 1;
    return 0;
}

/* Whether p begins with the lower-case folder name `low`, ignoring case. */
static int folder_at(const char *p, const char *low)
{
    for (; *low; p++, low++)
        if (ascii_lower(*p) != *low)
            return 0;
    return 1;
}

int score_writable_path(const char *path)
{
    /* Each name begins with its separator, so only the places of
     * separators are tried: a copy lower-cased and a search per name cost
     * a finding two thousand instructions, twice. */
    static const struct {
        const char *low;
        int level;
    } folders[] = {{"\\temp\\", 2},       {"\\tmp\\", 2},       {"\\downloads\\", 2},
                   {"\\users\\public\\", 2}, {"/tmp/", 2},          {"/var/tmp/", 2},
                   {"/dev/shm/", 2},        {"/downloads/", 2},     {"\\appdata\\", 1},
                   {"\\programdata\\", 1},  {"\\users\\", 1},       {"/home/", 1}};
    int level = 0;
    for (const char *p = path; p && *p && level < 2; p++) {
        if (*p != '\\' && *p != '/')
            continue;
        char next = ascii_lower(p[1]);
        for (size_t i = 0; i < sizeof folders / sizeof folders[0]; i++)
            if (folders[i].low[0] == *p && folders[i].low[1] == next && folders[i].level > level &&
                folder_at(p + 2, folders[i].low + 2))
                level = folders[i].level;
    }
    return level;
}

/* Credentials on a command line: user:password@ in a URL, or curl's
 * --user/-u NAME:SECRET. */
static int has_credentials(const char *low)
{
    for (const char *p = strstr(low, "://"); p; p = strstr(p + 3, "://")) {
        const char *at = strchr(p + 3, '@'), *colon = strchr(p + 3, ':');
        const char *end = p + 3 + strcspn(p + 3, " /\"'");
        if (at && colon && colon < at && at < end)
            return 1;
    }
    static const char *const flags[] = {"--user ", "-u ", NULL};
    for (size_t i = 0; flags[i]; i++)
        for (const char *p = strstr(low, flags[i]); p; p = strstr(p + 1, flags[i])) {
            const char *v = p + strlen(flags[i]);
            size_t word = strcspn(v, " ");
            const char *colon = memchr(v, ':', word);
            if (colon && colon > v && colon + 1 < v + word)
                return 1;
        }
    return 0;
}

/* A run of 40 or more base64 characters: an encoded command or payload. */
static int has_base64(const char *s)
{
    size_t run = 0;
    for (; *s; s++) {
        int b64 = isalnum((unsigned char)*s) || *s == '+' || *s == '/' || *s == '=';
        run = b64 ? run + 1 : 0;
        if (run >= 40)
            return 1;
    }
    return 0;
}

static void command_tells(const char *cmdline, triage_part *out)
{
    static const char *const senders[] = {"send-mailmessage", "smtplib", "net.mail.smtpclient",
                                          NULL};
    static const char *const urls[] = {"imap://", "imaps://", "pop3://", "pop3s://", "smtp://",
                                       "smtps://", NULL};
    char low[4096];
    lower(cmdline, low, sizeof low);
    if (has_any(low, senders)) {
        out->points += 20;
        say(out, "command line sends mail itself (Send-MailMessage, smtplib) (+20)");
    }
    if (has_any(low, urls)) {
        out->points += 15;
        say(out, "command line holds a mail URL (+15)");
    }
    if (has_credentials(low)) {
        out->points += 10;
        say(out, "command line carries credentials (+10)");
    }
    if (has_base64(cmdline)) {
        out->points += 10;
        say(out, "command line holds a base64 blob (+10)");
    }
}

void score_process(const char *path, const char *cmdline, triage_part *out)
{
    part_init(out);
    if (!path) {
        say(out, "no process recorded: mail clients could not be excluded");
        return;
    }
    int where = score_writable_path(path), kind = tool_kind(path);
    out->facts = (unsigned)kind | (where ? SCORE_WRITABLE : 0);
    if (where) {
        out->points += where == 2 ? 15 : 10;
        say(out, "runs from a %s folder (+%d)", where == 2 ? "temporary or download" : "user-writable",
            where == 2 ? 15 : 10);
    }
    if (kind & SCORE_LOLBIN) {
        out->points += 10;
        say(out, "a scripting or living-off-the-land binary (+10)");
    }
    if (kind & SCORE_RAW_TOOL) {
        out->points += 15;
        say(out, "a raw socket tool: it speaks the mail protocol by hand (+15)");
    }
    if (cmdline)
        command_tells(cmdline, out);
    if (out->points > 40) {
        out->points = 40;
        say(out, "capped at 40");
    }
}

void score_protocol(int64_t not_mail, int64_t count, triage_part *out)
{
    part_init(out);
    if (not_mail < 0) {
        say(out, "not known (no packet capture)");
        return;
    }
    if (not_mail == 0) {
        say(out, "every captured session spoke a mail protocol or TLS");
        return;
    }
    double share = count > 0 ? fmin(1, (double)not_mail / (double)count) : 1;
    out->points = (int)lround(20 + 20 * share);
    say(out, "%lld of %lld sessions spoke no mail protocol on a mail port (+%d)",
        (long long)not_mail, (long long)count, out->points);
}

int score_is_loopback(const char *ip)
{
    return ip && (strncmp(ip, "127.", 4) == 0 || strcmp(ip, "::1") == 0 ||
                  strncmp(ip, "::ffff:127.", 11) == 0);
}

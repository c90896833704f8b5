/* explain: the words next to a finding's score — the parts summed, why the
 * rule fired and what the data lacked, and the investigation steps for the
 * finding's class (see triage.h). A responder reads these first, so each
 * item is one plain sentence, items separated by "; ". */
#include "triage/triage.h"

#include <stdarg.h>
#include <string.h>

#include "util/fmt.h"
#include "util/timeutil.h"
#include "value/convert.h"

static void add(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Appends to buf, NUL-terminated, cut at cap. */
static void add(char *buf, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fmt_vappend(buf, cap, strlen(buf), fmt, ap);
    va_end(ap);
}

static const char *const part_name[TRIAGE_NPARTS] = {"periodicity", "rarity", "process",
                                                      "protocol"};

void triage_parts_text(const triage_part part[TRIAGE_NPARTS], char *buf, size_t cap)
{
    buf[0] = '\0';
    for (int i = 0; i < TRIAGE_NPARTS; i++)
        if (part[i].points)
            add(buf, cap, "%s%s %d", buf[0] ? " + " : "", part_name[i], part[i].points);
    if (!buf[0])
        add(buf, cap, "0");
}

/* The file name of a Windows or POSIX path (value_basename, on C text). */
static const char *base_name(const char *path)
{
    return value_basename(mc_str(MC_STR, path, strlen(path))).u.s;
}

static void fired(const triage_finding *f, const triage_opts *o, char *buf, size_t cap)
{
    add(buf, cap, "fired: outbound to %s:%lld (%s), a watched mail port", f->dst_ip ? f->dst_ip : "?",
        (long long)f->dst_port, f->protocol ? f->protocol : "mail");
    if (f->process)
        add(buf, cap, "; %s is not a mail client", base_name(f->process));
    add(buf, cap, "; %lld connections", (long long)f->count);
    if (o->threshold >= 0)
        add(buf, cap, ", more than %lld", (long long)o->threshold);
    char dur[32];
    if (o->window_ms > 0) {
        time_format_duration(o->window_ms, dur, sizeof dur);
        add(buf, cap, " in the %s window", dur);
    }
}

void triage_why(const triage_finding *f, const triage_opts *o, const triage_part part[TRIAGE_NPARTS],
                char *buf, size_t cap)
{
    buf[0] = '\0';
    fired(f, o, buf, cap);
    add(buf, cap, ". scored:");
    for (int i = 0; i < TRIAGE_NPARTS; i++)
        if (part[i].why[0])
            add(buf, cap, " %s: %s.", part_name[i], part[i].why);
    if (f->lacks)
        add(buf, cap, " lacks: %s (the source did not record it%s)", f->lacks,
            strstr(f->lacks, "process") ? "; mail clients could not be excluded" : "");
    else
        add(buf, cap, " lacks: nothing the rule reads");
}

/* What kind of finding this is, for the steps that fit it. */
enum finding_class { CLASS_NOT_MAIL, CLASS_NO_PROCESS, CLASS_TOOL, CLASS_DROPPED, CLASS_SERVICE };

static int classify(const triage_finding *f, const triage_part part[TRIAGE_NPARTS])
{
    if (part[TRIAGE_PROTOCOL].points)
        return CLASS_NOT_MAIL;
    if (!f->process)
        return CLASS_NO_PROCESS;
    unsigned facts = part[TRIAGE_PROCESS].facts;
    if ((facts & SCORE_LOLBIN) || part[TRIAGE_PROCESS].points > 15)
        return CLASS_TOOL;
    return facts & SCORE_WRITABLE ? CLASS_DROPPED : CLASS_SERVICE;
}

static const char *const class_steps[] = {
    [CLASS_NOT_MAIL] = "pull the sessions from the capture and read what they carry instead of "
                       "mail; block the destination while you look",
    [CLASS_NO_PROCESS] = "find the process that connected at first_seen on that machine (EDR, "
                         "Sysmon event 3, netstat history): the source did not record it",
    [CLASS_TOOL] = "read the whole command line (server, recipients, attachments, encoded "
                   "parts); find its parent process and logon session: a person, a script or "
                   "a test (Atomic Red Team runs look like this)",
    [CLASS_DROPPED] = "hash the binary and look it up; find how it arrived (download, mail "
                      "attachment) and what starts it (Run keys, scheduled tasks, services); "
                      "look for its children (whoami, ipconfig: discovery)",
    [CLASS_SERVICE] = "find the job that sends the mail (Database Mail profile, cron entry, MTA "
                      "relay settings); if it is expected, allow it in a tuning profile "
                      "(profiles/) with its reason",
};

void triage_next_steps(const triage_finding *f, const triage_part part[TRIAGE_NPARTS], char *buf,
                       size_t cap)
{
    buf[0] = '\0';
    const char *who = f->host ? f->host : f->src_ip ? f->src_ip : "the machine";
    add(buf, cap, "1. %s; ", class_steps[classify(f, part)]);
    if (f->process)
        add(buf, cap, "2. who owns %s on %s (%s)", base_name(f->process), who,
            f->user ? f->user : "user not recorded");
    else
        add(buf, cap, "2. who uses %s", who);
    const char *dst = f->dst_ip ? f->dst_ip : "the destination";
    if (score_is_loopback(f->dst_ip)) {
        add(buf, cap, "; 3. what listens on port %lld of %s itself (a local test server, a "
                      "tunnel or port forward)", (long long)f->dst_port, who);
        add(buf, cap, "; 4. whether other hosts show the same process talking to their own "
                      "port %lld", (long long)f->dst_port);
        return;
    }
    add(buf, cap, "; 3. whether %s is a mail server of the organisation (MX, relay, "
                  "provider ranges)", dst);
    add(buf, cap, "; 4. whether %s appears on other hosts (%lld here) and in proxy or "
                  "firewall logs", dst, (long long)f->dst_hosts);
}

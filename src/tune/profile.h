/* profile: tuning profiles — what an organisation allows, read from YAML
 * (--profile FILE), so that a known sender (Database Mail, a report script,
 * a scanner) stops being a finding without the rule being edited.
 *
 *   name: database-mail
 *   allow:
 *     - process: [sqlservr.exe, DatabaseMail.exe]   # file name, glob
 *       destination: 10.20.0.25                      # address or CIDR, or a list
 *       port: [25, 587]
 *       reason: SQL Server Database Mail through our relay
 *       expires: 2027-06-30                          # optional, YYYY-MM-DD (UTC)
 *
 * An entry matches a finding when every condition it gives matches (a list
 * means any of its items); conditions: process (file name), path, host,
 * user (globs with * and ?, ignoring case, backslash an ordinary
 * character), destination (addresses and networks), port, hash. Each entry
 * needs a reason. The entries are matched by suppress.h; this file only
 * reads them, with every mistake named by file:line:col.
 *
 * Ownership: a profile set owns every string and network it read. */
#ifndef MAILC2_TUNE_PROFILE_H
#define MAILC2_TUNE_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#include "util/cidr.h"

enum tune_cond { TC_PROCESS, TC_PATH, TC_HOST, TC_USER, TC_HASH, TC__GLOBS };

typedef struct tune_entry {
    char **glob[TC__GLOBS];      /* per condition: patterns, NULL-terminated; NULL: any */
    cidr_set *dst;               /* NULL: any destination */
    int port[32];
    int nports;                  /* 0: any port */
    char *reason;
    int64_t expires_ms;          /* the end of the expiry day; INT64_MAX: never */
    char *where;                 /* "file:line", for notes */
} tune_entry;

typedef struct tune_set {
    tune_entry *e;
    int n;
} tune_set;

/* Adds the entries of the profile at `path`. Returns 0, or -1 with err
 * `path:line:col: what` (line and col also set; 0 when not tied to one). */
int tune_load(tune_set *t, const char *path, char *err, size_t errlen, int *line, int *col);
void tune_free(tune_set *t);

#endif

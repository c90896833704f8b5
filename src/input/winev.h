/* winev: what a Windows event means, whatever form it came in.
 *
 * The same Sysmon or Security event reaches mailc2 as EVTX, as XML, as
 * Winlogbeat/ECS JSON, as NXLog/Mordor flat JSON or inside a syslog line.
 * Each form only finds named values in its record (System names such as
 * EventID, Computer, TimeCreated, and the EventData names such as Image,
 * DestinationPort); this module turns those into the canonical fields
 * (fields.md §2, "sysmon" family) and the native fields the plan asked for.
 *
 * Use: winev_bind() once; it lists the names to look up (winev.name[]). For
 * each record the form fills vals[k] with the text of name[k] (MC_STR, or
 * MC_NULL when absent) and calls winev_row().
 *
 * Process context (winctx.h): with `collect` set, winev_row() also keeps
 * each process-creation event (Sysmon EID 1, Security 4688) in that table;
 * with `join` set, a connection event (Sysmon EID 3, Security 5156) that
 * lacks a command line or user takes them from its process's creation
 * event, canonical cmdline/user and native CommandLine/User alike. The
 * form's attach function sets both (winxml_attach).
 *
 * Ownership: winev borrows the field names of the plan and the two tables;
 * row values borrow from vals, from scratch or from the join table. */
#ifndef MAILC2_WINEV_H
#define MAILC2_WINEV_H

#include "input/event.h"
#include "input/winctx.h"

/* The names the canonical fields are computed from: the first WK__N of
 * winev.name[], in this order. */
enum winev_key {
    WK_EVENTID, WK_CHANNEL, WK_PROVIDER, WK_COMPUTER, WK_TIMECREATED, WK_UTCTIME,
    WK_IMAGE, WK_NEWPROCESS, WK_APPLICATION, WK_CMDLINE, WK_USER,
    WK_SUBJ_USER, WK_SUBJ_DOMAIN, WK_TARGET_USER, WK_TARGET_DOMAIN,
    WK_SRCIP, WK_SRCADDR, WK_SRCPORT, WK_DSTIP, WK_DSTADDR, WK_DSTPORT, WK_DESTPORT,
    WK_INITIATED, WK_DIRECTION, WK_PROTOCOL,
    WK_PROCESSGUID, WK_PROCESSID, WK_WFP_PROCESSID, WK_NEWPROCESSID, WK__N
};

#define WINEV_MAX_NAMES (WK__N + 128)

typedef struct winev {
    int nnames;
    const char *name[WINEV_MAX_NAMES];
    int nfields;
    struct { int canon; int name; } field[128]; /* canon >= 0, or name index, or both -1 */
    int wants_process;  /* a field is cmdline or user: worth joining */
    winctx *collect;    /* NULL, or the table process events are added to */
    winctx *join;       /* NULL, or the table connection events look up */
} winev;

void winev_bind(winev *w, const mc_field_req *fields, int nfields);
void winev_row(const winev *w, const mc_value *vals, mc_value *row, arena *scratch);

#endif

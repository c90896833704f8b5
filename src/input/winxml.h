/* winxml: one Windows event as XML (<Event>…</Event>, the form wevtutil,
 * Get-WinEvent's ToXml(), libevtx and Sysmon for Linux write), parsed with
 * libexpat into named values and handed to winev for the fields.
 *
 * Names: System children by element name (EventID, Channel, Computer,
 * EventRecordID, Level, Task, ...), with Provider = Provider/@Name,
 * TimeCreated = TimeCreated/@SystemTime, ExecutionProcessID /
 * ExecutionThreadID = Execution/@ProcessID/@ThreadID, UserID =
 * Security/@UserID; EventData by Data/@Name; UserData by leaf element name.
 * RenderingInfo is ignored.
 *
 * Process context: the "winxml" line decoder has a decoder_context (a
 * winctx built from every winxml input in the driver's first pass), so a
 * Sysmon EID 3 or 5156 line carries the command line of its process when a
 * Sysmon EID 1 or 4688 line of any winxml input created it (winctx.h).
 *
 * Ownership: a winxml owns its expat parser; row values live in scratch. */
#ifndef MAILC2_WINXML_H
#define MAILC2_WINXML_H

#include "input/event.h"
#include "input/winctx.h"

typedef struct winxml winxml;

winxml *winxml_new(const mc_field_req *fields, int nfields);
void winxml_free(winxml *x);
/* Decodes the XML text of one <Event> element into row[0..nfields-1].
 * Returns 0, or -1 with err saying what was wrong. */
int winxml_decode(winxml *x, const char *xml, size_t len, mc_value *row, arena *scratch,
                  char *err, size_t errlen);
/* Sets the table process-creation events are added to (collect) and the
 * one connection events look their process up in (join); NULL: none. */
void winxml_attach(winxml *x, winctx *collect, winctx *join);
/* Does a bound field need the joined process (cmdline or user)? */
int winxml_wants_process(const winxml *x);
/* Finds the <Event> element in a line (alone, after a syslog header or an
 * XML declaration). Returns 1 and the element's extent, 0 when the line
 * holds none, -1 when it holds more than one (err says so). */
int winxml_find(const char *line, size_t len, const char **xml, size_t *xlen,
                char *err, size_t errlen);

#endif

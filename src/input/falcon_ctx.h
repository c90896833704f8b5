/* falcon_ctx: the side tables that give raw Falcon Data Replicator events
 * the context LogScale's enriched view has (fields.md §2, design §4).
 *
 * Raw NetworkConnectIP4 events carry no ImageFileName, UserName or
 * ComputerName. They are rebuilt the way an FDR analyst joins by hand:
 *   process  (aid, ContextProcessId) = ProcessRollup2 (aid, TargetProcessId)
 *            -> ImageFileName, CommandLine, UserSid (and UserName if present)
 *   user     (aid, UserSid) = UserIdentity / UserLogon -> UserName
 *   host     aid = the aid_master table (or any event with ComputerName)
 * The tables hold only these small streams, built as the lines are read
 * (driver/run.c: one pass, or none where no event lacks what they fill).
 *
 * Ownership: the context owns every string in its tables. */
#ifndef MAILC2_FALCON_CTX_H
#define MAILC2_FALCON_CTX_H

#include <stdint.h>
#include <stdio.h>

#include "input/event.h"
#include "input/json.h"

/* A process as falcon_ctx_process finds it; the strings are the context's. */
typedef struct falcon_proc {
    mc_value image, cmdline, sid, user;  /* MC_NULL when the event lacked it */
} falcon_proc;

typedef struct falcon_ctx falcon_ctx;

falcon_ctx *falcon_ctx_new(void);
void falcon_ctx_free(falcon_ctx *c);
/* Reads one JSON line; keeps what it says about processes, users, hosts.
 * seq orders the lines of a run (input, line): a process or user read
 * twice keeps its last record, a host its first, whichever thread read
 * which line, so the tables are the same for every thread count. */
void falcon_ctx_add(falcon_ctx *c, json_line *line, uint64_t seq);
/* Moves what `from` holds into `into` by the same rule; `from` is left
 * empty of entries. */
void falcon_ctx_merge(falcon_ctx *into, falcon_ctx *from);

/* Lookups; each marks the context consulted (decoder.h). A process is
 * found by its aid and pid as texts: 1 with *p filled, or 0. */
int falcon_ctx_process(falcon_ctx *c, mc_value aid, mc_value pid, falcon_proc *p);
mc_value falcon_ctx_user(falcon_ctx *c, mc_value aid, mc_value sid);
mc_value falcon_ctx_host(falcon_ctx *c, mc_value aid);
int falcon_ctx_consulted(const falcon_ctx *c);
/* Marks it consulted: a decode that will surely need it says so first. */
void falcon_ctx_consult(falcon_ctx *c);

/* Counts a network event's join outcome, for the run's summary. */
void falcon_ctx_count(falcon_ctx *c, int had_process, int joined_process);
void falcon_ctx_report(const falcon_ctx *c, char *msg, size_t len);

#endif

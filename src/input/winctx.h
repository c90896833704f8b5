/* winctx: the process table that gives Windows connection events the
 * command line and user of their process (issue 6 "process context").
 *
 * Sysmon EID 3 and Security 5156 say which process connected, but not its
 * command line (and 5156 not its user). The process-creation events of the
 * same input do: Sysmon EID 1 and Security 4688. The table keeps, for every
 * such event, CommandLine, the user and the image, under two keys:
 *   ProcessGuid                    (Sysmon EID 1; braces and case ignored)
 *   (Computer, process id)         (Sysmon EID 1 ProcessId; 4688 NewProcessId)
 * and a connection event finds its process by
 *   Sysmon EID 3: ProcessGuid, else (Computer, ProcessId);
 *   5156:         (Computer, ProcessID).
 * Process ids are decimal or 0x hex (4688 writes hex, Sysmon and 5156
 * decimal); computer names are compared without ASCII case. Windows reuses
 * process ids, so an id may name several processes: the one chosen is the
 * newest created at or before the connection (when both have times), and an
 * entry whose ProcessGuid differs from the connection's is never chosen.
 * A process created only after the connection is not its process: then, as
 * when the input holds no creation event, the fields stay missing.
 *
 * Who fills it: the line decoders (winxml, winjson) through decoder_context,
 * as the driver gathers every line of their format (each thread its own
 * table, merged); the EVTX
 * reader in a pass of its own over each file (evtx.c). winev.c decides
 * which records are process creations and connections, and what their keys
 * and values are; this module only stores and finds.
 *
 * Ownership: the table owns copies of every key and value it keeps; a
 * winctx_proc it returns lives until winctx_free. */
#ifndef MAILC2_WINCTX_H
#define MAILC2_WINCTX_H

#include <stdint.h>
#include <stdio.h>

#include "input/decoder.h"

/* What a process-creation event says about its process. */
typedef struct winctx_proc {
    mc_value cmdline, user, image; /* MC_NULL when the event lacked it */
    mc_value guid;                 /* normalised ProcessGuid, or MC_NULL (4688) */
    int64_t time;                  /* creation time, ms; valid when has_time */
    int has_time, has_pid;         /* has_pid: under a (host, pid) key */
    uint64_t seq;                  /* where it was read (winctx_context_add) */
    struct winctx_proc *next;      /* other processes under the same (host, pid) */
} winctx_proc;

/* Where a record's process is: any member may be MC_NULL. */
typedef struct winctx_key {
    mc_value guid;   /* ProcessGuid text as logged */
    mc_value host;   /* Computer */
    mc_value pid;    /* decimal or 0x hex text */
    mc_value time;   /* MC_TS, or MC_NULL */
} winctx_key;

typedef struct winctx winctx;

/* An empty table. `name` (a decoder's name, static) heads its report line. */
winctx *winctx_new(const char *name);
void winctx_free(winctx *c);

/* Keeps a process-creation event (values are copied). */
void winctx_add(winctx *c, const winctx_key *k, mc_value cmdline, mc_value user,
                mc_value image);
/* The process of a connection event, or NULL; counts the outcome for the
 * report. */
const winctx_proc *winctx_find(winctx *c, const winctx_key *k);
/* How many process-creation events the table holds. */
uint64_t winctx_processes(const winctx *c);
/* One line: how many connection events found their process, and of what. */
void winctx_report(const winctx *c, char *msg, size_t len);

/* ---- decoder_context for the line decoders (decoder.h) ----
 * The context of a line decoder is a winctx that parses each line it is
 * given with the decoder itself, bound to no fields and attached as a
 * collector; `attach` sets a bound state's collector and join tables (NULL
 * leaves one unset). winxml.c and winjson.c each add a create function:
 *   static void *ctx(void) { return winctx_context_new(&decoder_X, X_attach); } */
typedef void (*winctx_attach_fn)(void *state, winctx *collect, winctx *join);

void *winctx_context_new(const decoder *form, winctx_attach_fn attach);
/* seq orders the run's lines: a ProcessGuid read twice keeps its last
 * record, and among processes created at the same time under one (host,
 * pid) the last read is chosen, whichever thread read which line. */
void winctx_context_add(void *ctx, json_line *line, uint64_t seq);
void winctx_context_merge(void *into, void *from);
void winctx_context_use(void *state, void *ctx);
void winctx_context_report(const void *ctx, char *msg, size_t len);
int winctx_context_consulted(const void *ctx);
void winctx_context_destroy(void *ctx);

#endif

/* evtx_trial: which records of a chunk libevtx can read without harm, found
 * by a child process that may fail where mailc2 must not.
 *
 * libevtx 20181227, Debian 12's, overruns a template value count of 2^30 or
 * more: it allocates 8 bytes per value and reads on past the chunk, and a
 * 128 KiB file took 24 GB before the kernel ended the run. The walk marks
 * a chunk that holds such a count where libevtx could read one
 * (evtx_chunk.hazards), but cannot tell a count from other bytes of that
 * shape, which real logs hold in their values. So such a chunk is tried
 * first in a child whose address space is bounded (1 GiB above what it
 * inherits): there libevtx's allocation is refused and it fails the record,
 * or the child ends; either way that record is not asked of libevtx in
 * mailc2 itself, and the others, which libevtx read in the child, are. */
#ifndef MAILC2_EVTX_TRIAL_H
#define MAILC2_EVTX_TRIAL_H

#include <stddef.h>

/* Tries each record libevtx gives from the EVTX file at `path` (a chunk's
 * view), by index as evtx.c asks them: those in order, then those it
 * recovers. Sets refused[i] to 1 for each index the child could not read,
 * 0 for the others, up to `max` indexes. Returns the number of indexes
 * (at most max), or -1 when no child could open the file (err says why). */
int evtx_trial(const char *path, unsigned char *refused, int max, char *err, size_t errlen);

#endif

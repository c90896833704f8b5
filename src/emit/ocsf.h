/* ocsf: the canonical fields as columns of an OCSF Network Activity
 * (class 4001) table, as Amazon Security Lake stores it, for the SQL
 * targets' --schema ocsf. */
#ifndef MAILC2_EMIT_OCSF_H
#define MAILC2_EMIT_OCSF_H

/* The column (a dotted path) canonical field `canon` reads, a quoted SQL
 * constant when the class fixes it, or NULL when OCSF has no column that
 * means the same. */
const char *ocsf_column(int canon);

#endif

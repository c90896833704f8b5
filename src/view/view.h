/* view: where each field of a query comes from, on each input format.
 *
 * A query names fields in its own language: LogScale uses Falcon's names
 * (RemotePort, #event_simpleName), AQL uses QRadar's (destinationport,
 * "Process Name"), the built-in hunt names canonical fields directly. Each
 * language has a home: the source family whose records carry its names
 * (Falcon for LogScale, QRadar for AQL). On the home family a name reads the
 * record's own field; on any other it reads the canonical field that means
 * the same (fields.md §3), a value derived from canonical fields (Falcon's
 * event name from kind, direction and address family), or nothing.
 *
 * That choice is made once per input, when the driver binds a plan to the
 * decoder it detected: view_bind() turns the plan's fields into the list
 * the decoder fills (event.h: native, canonical or NULL), plus the few
 * derived values view_apply() computes after each record. Nothing in the
 * plan, the front ends or the decoders asks which format is being read, and
 * no name is looked up per record.
 *
 * Ownership: a binding is a plain value; it borrows the plan's field names
 * and the settings' local networks for as long as it is used. */
#ifndef MAILC2_VIEW_H
#define MAILC2_VIEW_H

#include "input/settings.h"
#include "plan/plan.h"

enum { VIEW_MAX_ARGS = 3 };

typedef mc_value (*view_fn)(const mc_value *args, const cidr_set *local);

typedef struct view_derived {
    int slot;                    /* the plan field it fills */
    view_fn fn;
    int arg[VIEW_MAX_ARGS];      /* slots of its canonical inputs */
} view_derived;

typedef struct view_binding {
    /* What the decoder fills: the plan's fields first (row[0..nfields)),
     * then the canonical inputs of derived values. */
    mc_field_req req[PLAN_FIRST_EVAL];
    int nreq;
    view_derived derived[PLAN_MAX_FIELDS];
    int nderived;
    const cidr_set *local;
} view_binding;

/* Resolves the fields of `p` for input of source family `family`
 * (decoder.h). Returns 0, or -1 with err filled when the canonical inputs
 * of derived values do not fit beside the plan's fields. */
int view_bind(view_binding *b, const plan *p, const char *family, const input_settings *s,
              char *err, size_t errlen);

/* Fills the derived values of one decoded record. */
static inline void view_apply(const view_binding *b, mc_value *row)
{
    for (int i = 0; i < b->nderived; i++) {
        const view_derived *d = &b->derived[i];
        mc_value args[VIEW_MAX_ARGS];
        for (int a = 0; a < VIEW_MAX_ARGS; a++)
            args[a] = d->arg[a] >= 0 ? row[d->arg[a]] : mc_null();
        row[d->slot] = d->fn(args, b->local);
    }
}

/* The canonical field (event.h) that column `col` of the plan's result
 * holds, or -1: a column that is one field, grouped or listed as it is,
 * means what that field means in the plan's language (a hunt's `process`
 * is proc_path, AQL's "Process Name" proc_name, LogScale's RemotePort
 * dst_port). What consumers of findings (tuning profiles) match on. */
int view_column_canon(const plan *p, int col);

/* The Sigma view's name for the operating system an event's process runs
 * on ("windows", "linux", or NULL when unknown), which a Sigma rule's
 * logsource product tests; not a taxonomy field, hence the dotted name. */
#define VIEW_SIGMA_PRODUCT "logsource.product"

/* The canonical field `name` of language `lang` reads off its home family,
 * or -1 (a derived or language-only name); an emitter renames fields
 * through it. */
int view_field_canon(const char *lang, const char *name);
/* The canonical field input field `slot` of plan p means in its language
 * (its own canon, else view_field_canon), or -1. */
int view_slot_canon(const plan *p, int slot);
/* The first name of `lang` that reads canonical field `canon` as it is,
 * or NULL when the language has none. */
const char *view_name_of(const char *lang, int canon);

/* Whether `lang` has a view entry for `name` (AQL rejects an unquoted
 * column it does not know). */
int view_known(const char *lang, const char *name);

#endif

/* view_lang: the table each language's view is written as (view.h), shared
 * by view.c and the per-language files (logscale.c, aql.c, sigma.c). */
#ifndef MAILC2_VIEW_LANG_H
#define MAILC2_VIEW_LANG_H

#include "view/view.h"

/* One name of a language. On the language's home family it reads the
 * record's field `native` (NULL: the name itself) unless `canonical_at_home`;
 * elsewhere canonical field `canon`, or `fn` over canonical fields `args`,
 * or NULL when it has neither. */
typedef struct view_entry {
    const char *name;
    const char *native;
    int canon;
    int canonical_at_home;
    view_fn fn;
    int args[VIEW_MAX_ARGS];     /* canonical fields; -1 ends the list */
} view_entry;

typedef struct view_lang {
    const char *lang;
    const char *home;            /* source family whose records carry its names */
    int ignore_case;             /* names compare ignoring ASCII case (AQL) */
    int unknown_elsewhere;       /* a name with no entry, off home:
                                    MC_FIELD_NATIVE or MC_FIELD_NULL */
    const view_entry *entry;
    int nentries;
} view_lang;

extern const view_lang view_logscale;
extern const view_lang view_aql;
extern const view_lang view_sigma;

#endif

/* exclusion: mail clients excluded in a way a renamed binary slips through.
 *
 * - exclusion-unanchored: a negated regex on the process (path or name)
 *   that is not anchored at the start of the file name. The LogScale seed's
 *   `(?i)(outlook|...|chrome|firefox)\.exe$` excludes `mychrome.exe` too,
 *   so an implant named `xoutlook.exe` is never reported (logscale.md §6
 *   #6). Sigma's `Image|endswith: 'outlook.exe'` without its backslash
 *   compiles to the same unanchored match.
 * - exclusion-name-only: a negated list or equality on the process's file
 *   name alone (AQL's LOWER("Process Name") NOT IN (...), the hunt's
 *   proc_name): a copy named outlook.exe in a temporary directory is
 *   excluded wherever it runs from. */
#include <stdio.h>
#include <string.h>

#include "input/event.h"
#include "lint/anchor.h"
#include "lint/locate.h"
#include "lint/walk.h"

static int process_field(const plan *p, int slot)
{
    int canon = view_slot_canon(p, slot);
    return canon == MC_C_PROC_PATH || canon == MC_C_PROC_NAME;
}

/* The regex's place in the text: its source up to the first backslash
 * (as LogScale writes it), else its example name, else the field. */
static long regex_place(lint_ctx *c, const expr *e, const char *example, int slot)
{
    char prefix[200];
    size_t n = strcspn(e->re_src, "\\\"'");
    long at = -1;
    if (n >= 4 && n < sizeof prefix) {
        memcpy(prefix, e->re_src, n);
        prefix[n] = '\0';
        at = loc_find(c->src, 0, prefix, 0);
    }
    if (at < 0 && *example)
        at = loc_find(c->src, loc_conditions(c->src, c->p->lang), example, LOC_NOCASE);
    if (at < 0)
        return loc_field(c->src, c->p->lang, walk_name(c->p, slot));
    if (at > 0 && strchr("\"'/\\", c->src->text[at - 1]))
        at--;
    return at;
}

static void unanchored_fix(const lint_ctx *c, const expr *e, char *fix, size_t len)
{
    if (strcmp(c->p->lang, "sigma") == 0) {
        snprintf(fix, len, "write each name with its separator: Image|endswith: '\\name.exe' "
                 "(Windows) or '/name' (Linux)");
        return;
    }
    const char *re = e->re_src;
    size_t flags = strncmp(re, "(?", 2) == 0 ? strcspn(re, ")") + 1 : 0;
    if (flags > strlen(re))
        flags = 0;
    snprintf(fix, len, "anchor the names at a path separator: %.*s(^|\\\\)%s (in a quoted "
             "LogScale string, double each backslash)", (int)flags, re, re + flags);
}

static void regex_node(lint_ctx *c, const expr *e, int negated, int step)
{
    (void)step;
    if (e->kind != EX_REGEX || !negated || !e->re_src || !process_field(c->p, walk_field(e->kids[0])))
        return;
    if (anchor_name_start(e->re_src))
        return;
    char example[100], fix[400];
    if (anchor_example(e->re_src, example, sizeof example))
        example[0] = '\0';
    int slot = walk_field(e->kids[0]);
    unanchored_fix(c, e, fix, sizeof fix);
    lint_add(c, "exclusion-unanchored", regex_place(c, e, example, slot), fix,
             "the exclusion /%s/ on %s is not anchored at the start of the file name: any name "
             "ending the same way is excluded too, so an implant %s%s evades the rule",
             e->re_src, walk_name(c->p, slot), *example ? "named x" : "given such a name",
             example);
}

/* A negated list or equality of names on the process's file name. */
static int name_list(const plan *p, const expr *e, int negated, const char **first)
{
    if (!negated || (e->kind != EX_IN && !(e->kind == EX_CMP && e->op == CMP_EQ)))
        return 0;
    int base = 0;
    const expr *subject = walk_subject(e->kids[0], NULL, &base);
    if (subject->kind != EX_FIELD || !process_field(p, subject->slot))
        return 0;
    if (!base && view_slot_canon(p, subject->slot) != MC_C_PROC_NAME)
        return 0;
    return walk_texts(e, 1, first, 1);
}

static void name_node(lint_ctx *c, const expr *e, int negated, int step)
{
    (void)step;
    const char *first;
    if (!name_list(c->p, e, negated, &first))
        return;
    const char *name = walk_name(c->p, walk_field(e->kids[0]));
    int aql = strcmp(c->p->lang, "aql") == 0;
    lint_add(c, "exclusion-name-only", loc_field(c->src, c->p->lang, name),
             aql ? "also test the path: exclude only where \"Process Path\" is the client's "
                   "install directory (ILIKE 'C:\\Program Files%')"
                 : "exclude by path as well as name (a tuning profile's path glob, or a test "
                   "on the process path)",
             "the exclusion matches %s, the file name alone: a copy named %s in a temporary "
             "directory is excluded wherever it runs from", name, first);
}

void lint_exclusions(lint_ctx *c)
{
    walk_steps(c, regex_node);
    walk_steps(c, name_node);
}

/* locate: finding the token a warning is about in the rule text.
 *
 * Why text search: the front ends record positions in their syntax trees
 * (ls_ast.at, the AQL and Sigma parsers' line and column), but the plan
 * they compile to keeps none: expressions are built, merged and rewritten
 * (LogScale's in() becomes an OR of comparisons, Sigma's endswith a regex),
 * so a node has no one place. The lint works from the plan, knows the name
 * of the field or keyword a warning concerns, and finds its first use in
 * the part of the rule where conditions live (after AQL's WHERE, under
 * Sigma's detection:), falling back to the whole text.
 *
 * Offsets are bytes into src->text; -1 means "not found" (or no text, the
 * built-in rule), which a warning prints without a position. */
#ifndef MAILC2_LINT_LOCATE_H
#define MAILC2_LINT_LOCATE_H

#include "lint/lint.h"

enum {
    LOC_WORD = 1,      /* the match is not part of a longer identifier */
    LOC_NOCASE = 2,    /* ASCII case-insensitive */
};

/* First occurrence of needle at or after `from`, or -1. */
long loc_find(const lint_src *s, long from, const char *needle, int flags);
/* Last occurrence of needle that starts before `before`, or -1. */
long loc_find_last(const lint_src *s, long before, const char *needle, int flags);
/* Where the conditions of a rule in `lang` begin (0 when unknown). */
long loc_conditions(const lint_src *s, const char *lang);
/* The first use of field `name` among the conditions (else anywhere), on
 * the opening quote when the name is quoted ("Process Name"). */
long loc_field(const lint_src *s, const char *lang, const char *name);
/* 1-based line and column (bytes) of `off`; 0, 0 when off < 0. */
void loc_line_col(const lint_src *s, long off, int *line, int *col);

#endif

/* aql: the IBM QRadar AQL front end.
 *
 * lex.c tokens -> parse.c query tree (ast.h) -> check.c and expr.c compile
 * it to a plan with QRadar's semantics (../shared/docs/aql.md, cited by
 * section in the code). */
#ifndef MAILC2_AQL_H
#define MAILC2_AQL_H

#include "lang/lang.h"

/* Returns the plan, or NULL with *e set (position and message). */
plan *aql_compile(const lang_src *src, const lang_opts *o, lang_error *e);

#endif

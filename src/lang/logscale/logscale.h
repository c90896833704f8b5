/* logscale: the CrowdStrike Falcon LogScale (CQL) front end.
 *
 * lex.c tokens -> parse.c syntax tree (ast.h) -> check.c, funcs.c and
 * transform.c compile the tree to a plan with LogScale's semantics
 * (../shared/docs/logscale.md, cited by section in the code). */
#ifndef MAILC2_LOGSCALE_H
#define MAILC2_LOGSCALE_H

#include "lang/lang.h"

/* Returns the plan, or NULL with *e set (position and message). */
plan *ls_compile(const lang_src *src, const lang_opts *o, lang_error *e);

#endif

/* sigma: the Sigma front end (../shared/docs/sigma.md): a file of one or
 * more YAML documents — detection rules and at most one correlation rule
 * over them — compiled into one plan. */
#ifndef MAILC2_SIGMA_H
#define MAILC2_SIGMA_H

#include "lang/lang.h"

plan *sigma_compile(const lang_src *src, const lang_opts *o, lang_error *e);

#endif

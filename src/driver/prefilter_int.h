/* prefilter_int: the prefilter's insides, shared by its two files:
 * prefilter.c (the tests of a line, read raw) and prefilter_lits.c (the
 * search of a whole block for what a line that may pass holds). Not an
 * API. */
#ifndef MAILC2_DRIVER_PREFILTER_INT_H
#define MAILC2_DRIVER_PREFILTER_INT_H

#include "driver/prefilter.h"
#include "exec/memo.h"
#include "input/decoder.h"
#include "input/json.h"
#include "util/needles.h"

enum { MAX_TESTS = 8, MAX_KEYS = RAW_KEYS_MAX, MAX_FIELDS = 8, NOTE_FIELDS = 4, NOTE_PARTS = 4,
       MAX_NOTES = 8 };

/* An answer on a value: not TRUE, TRUE, or not known (a regex reached its
 * limit: parse the line). Each but NOT_TRUE may pass. */
enum { NOT_TRUE, IS_TRUE, UNKNOWN };

typedef struct pf_key {
    char *needle;              /* "KEY" with its quotes */
    size_t nlen;
} pf_key;

/* A field read from the raw line as its decoder says (decoder.h
 * raw_field), or the event time by the decoder's raw_time. */
typedef struct pf_field {
    int slot;
    pf_key key[MAX_KEYS];
    int nkeys;                 /* 0: the event time */
    mc_value (*conv[MAX_KEYS])(mc_value raw); /* NULL: the value as written */
    int first, joined;         /* raw_field's */
} pf_field;

typedef struct pf_test {
    const expr *e;
    int on_null;               /* TRUE where its field is NULL: no literal says it fails */
    int step;                  /* the plan step it is (a part of) */
    int field;                 /* index in fields[] */
    int notes;                 /* the notes before it: each must be FALSE to skip */
    value_memo memo;
} pf_test;

/* A part of a note (the note itself, or one of its ANDed parts) and the
 * fields it reads, as indexes in fields[]. */
typedef struct pf_part {
    const expr *e;
    int field[NOTE_FIELDS];
    int nfields;
    int timed;                 /* reads the event time (the dearest to read) */
    int by_type;               /* its answer depends on its one field's type
                                  only (prefilter.c inert) */
    value_memo memo;           /* with one field, not the time unless by_type */
} pf_part;

/* A note before a test: it counts the events it is TRUE on, so a line is
 * skipped only where some part of it is not TRUE for any value its fields
 * may take. Parts without the time come first. */
typedef struct pf_note {
    pf_part part[NOTE_PARTS];
    int nparts;
} pf_note;

/* The values of the fields on the line being tested, read once. */
typedef struct pf_line {
    json_line *raw;
    mc_value v[MAX_FIELDS][MAX_KEYS]; /* one per key: a repeated key is left to the parse */
    int n[MAX_FIELDS];         /* -2: not read yet; -1: only a parse can tell */
} pf_line;

struct prefilter {
    pf_field fields[MAX_FIELDS];
    int nfields;
    pf_test t[MAX_TESTS];
    int n;
    pf_note note[MAX_NOTES];
    int nnotes;
    int usable;                /* notes seen so far could all be tested */
    int last_step;             /* the last plan step a test is (a part of), which
                                  order_tests may move before others */
    uint64_t whole;            /* the filter steps whose every part is a test */
    plan *time_plan;           /* the event time alone, for raw_time */
    view_decoder *time_vd;
    needles lits;              /* a line holding none cannot pass (n 0: no such set) */
    const pf_key *pair[2];     /* with lits: the first two tests' keys, read at once */
    int lit_test;              /* lits: the key of this test, whose value decides
                                  (find_lits); -1: the texts of a test */
    exec_worker *w;            /* the worker of the search under way */
};

/* Key k's raw value as field f's (its conversion, if any). */
static inline mc_value pf_convert(const pf_field *f, int k, mc_value raw)
{
    return f->conv[k] ? f->conv[k](raw) : raw;
}

/* Whether JSON writes s[0, n) in a string only as these bytes or with \u
 * escapes (prefilter.c). */
int pf_json_as_is(const char *s, size_t n);
/* e's answer with value v in slot, from the memo where it has seen v. */
int pf_memo_true(value_memo *memo, const expr *e, int slot, exec_worker *w, mc_value v);
/* pf->lits, what a line that may pass holds, from its tests (or none). */
void pf_find_lits(prefilter *pf);

#endif

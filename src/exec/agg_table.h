/* agg_table: the layout of the group table, private to the two files of
 * the aggregation: agg.c adds events and folds one table into another,
 * agg_end.c folds the run's tables at its end (on threads where they fit)
 * and emits their rows. */
#ifndef MAILC2_AGG_TABLE_H
#define MAILC2_AGG_TABLE_H

#include "exec/agg.h"

/* A set of serialised values, open addressing, grown by doubling. */
typedef struct vset_entry {
    uint64_t hash;
    const uint8_t *bytes;
    uint32_t len;
} vset_entry;

typedef struct vset {
    vset_entry *slot;
    size_t cap, n;
} vset;

/* Ascending times (ms), at most PLAN_TIMES_MAX: the earliest seen. The
 * array is in the table's arena (a list that grows leaves its old array
 * there, at most as much again): a malloc and a free per group were a
 * fifth of ending a run of 5x10^5 groups. */
typedef struct tlist {
    int64_t *t;
    uint32_t n, cap;
} tlist;

/* One function's state in a group. Each function uses one member of u: a
 * group of a high-cardinality run is mostly its states, and 96 bytes for
 * every function's fields made the LogScale seed's 8.6x10^5 groups hold
 * more than DuckDB did. */
typedef struct agg_state {
    int64_t n;          /* non-null inputs (rows, for count(*)) */
    int is_float;       /* sum/avg saw a FLOAT */
    int seen;           /* first: a row was seen (its value may be NULL) */
    union {
        struct {
            int64_t i;
            double f;
        } sum;          /* sum, avg */
        struct {
            mc_value best;  /* min, max, first: the value so far */
            mc_value num;   /* a numeric min or max: best read as a number, once */
        } pick;
        vset *distinct; /* count_distinct */
        tlist times;    /* times */
    } u;
} agg_state;

typedef struct group {
    const uint8_t *key;
    uint32_t keylen;
    uint64_t events;    /* what refusing the group at a merge loses */
    agg_state st[];
} group;

typedef struct slot {
    uint64_t hash;
    group *g;           /* NULL: empty */
} slot;

struct agg_table {
    const plan *p;
    arena mem;
    slot *slot;
    size_t cap, n;
    uint8_t *buf;       /* key serialisation scratch */
    size_t bufcap;
    agg_limits lim;
    uint64_t refused;   /* events of groups past the limits */
    int threads;        /* the fold's (agg_threads) */
    agg_table **later;  /* merged in, not folded yet (agg_merge), in input order */
    int nlater;
    agg_table **part;   /* folded on threads: the groups, cut by hash */
    int nparts;
};

/* A fresh table of p, without groups, its slots sized for about n. */
agg_table *agg_table_new(const plan *p, const agg_limits *lim, size_t n);
/* Doubles t's slots. */
void agg_table_grow(agg_table *t);
/* Folds state s into d (agg.c state_merge). s_first: s saw the earlier input. */
void agg_state_merge(agg_table *t, const plan_agg *a, agg_state *d, const agg_state *s,
                     int s_first);
/* Frees a group's distinct sets (malloc'd, not in the arena). */
void agg_free_distinct(const plan *p, group *g);
/* Folds src's groups into dst now, refusing what finds no room. */
void agg_fold_one(agg_table *dst, agg_table *src);
/* Puts the groups of t's parts (a fold on threads) back into t itself. */
void agg_parts_join(agg_table *t);
/* Reads one serialised value at src into *v; returns its size. */
size_t agg_value_get(const uint8_t *src, mc_value *v);

#endif

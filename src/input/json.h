/* json: a validating JSON-lines scanner that extracts only the keys asked for.
 *
 * Why our own: decoding is the hot path. A general JSON library builds a tree
 * of every value; the plan needs a handful of top-level keys per event. This
 * scanner walks the whole line once, validating all of it (structure,
 * escapes, \uXXXX including surrogate pairs, numbers, nesting depth), and
 * records a slice for each wanted top-level key.
 *
 * Ownership: slices point into the caller's line buffer and live as long as
 * it does. A string slice is the text between the quotes, still escaped;
 * `escaped` says whether json_unescape() is needed. json_keys owns a copy of
 * each key name. */
#ifndef MAILC2_JSON_H
#define MAILC2_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "input/event.h"
#include "util/hash.h"

enum json_type {
    JSON_ABSENT = 0, /* key not present in this record */
    JSON_STRING, JSON_NUMBER, JSON_TRUE, JSON_FALSE, JSON_NULL,
    JSON_OBJECT, JSON_ARRAY
};

typedef struct json_slot {
    const char *p;     /* value text; for strings, inside the quotes */
    uint32_t len;
    uint8_t type;      /* enum json_type */
    uint8_t escaped;   /* string contains backslash escapes */
} json_slot;

#define JSON_MAX_KEYS 64
#define JSON_MAX_DEPTH 64

/* The set of wanted top-level keys, each mapped to a slot index 0..n-1. */
typedef struct json_keys {
    unsigned n;
    char *name[JSON_MAX_KEYS];
    uint32_t len[JSON_MAX_KEYS];
    uint32_t hash[JSON_MAX_KEYS];
    hash_ends ends[JSON_MAX_KEYS]; /* compared before the name (util/hash.h) */
    int16_t table[256];            /* open addressing: hash -> key index, -1 empty */
} json_keys;

typedef struct json_error {
    size_t offset;                 /* byte offset in the line */
    char msg[96];                  /* e.g. "invalid escape '\q' in string" */
    /* On success: the first wanted key the object holds twice (its escaped
     * text in the line), or NULL. The last value wins, and callers say so. */
    const char *dup;
    uint32_t dup_len;
} json_error;

void json_keys_init(json_keys *k);
/* Returns the slot index of `name` (adding it if new), or -1 when full. */
int json_keys_add(json_keys *k, const char *name, size_t len);
void json_keys_free(json_keys *k);

/* Scans one line (without its newline). The line must hold exactly one JSON
 * object, optionally surrounded by whitespace. Fills slots[0..k->n-1]
 * (JSON_ABSENT for keys not seen; the last occurrence wins for duplicates,
 * the first of which err->dup names).
 * Returns 0 when valid, -1 with *err filled when not. */
int json_scan(const json_keys *k, const char *line, size_t len,
              json_slot *slots, json_error *err);

/* On a scan that succeeded, writes "key \"K\" appears more than once; the
 * last value was used" to note (or makes it "" when no key repeats): the
 * note of a good record (decoder.h). */
void json_dup_note(const json_error *e, char *note, size_t len);

/* A slot's value as text: strings unescaped (into scratch when they need
 * it), numbers and literals as written, objects and arrays as their JSON
 * text; absent and null are MC_NULL. */
mc_value json_text(const json_slot *s, arena *scratch);

/* Raw reading, without a parse, for tests that must be cheaper than one
 * (the driver's prefilter, a decoder's raw time, a join table's first
 * look). p is just past a key's closing quote: JSON_RAW_VALUE with *v as
 * json_text gives it when what follows is ':' and a string without
 * escapes, a number or null; JSON_RAW_NONE when no ':' follows (the text
 * was a string value, not a key); JSON_RAW_UNSURE otherwise (an object,
 * an array, true, false, an escaped string, or not JSON): then only a
 * parse can tell. */
enum { JSON_RAW_NONE, JSON_RAW_VALUE, JSON_RAW_UNSURE };
int json_raw_value(const char *p, const char *end, mc_value *v);

/* A line read raw: where its top-level keys are, found in one pass over
 * it the first time a key is asked for, so that the several readers of a
 * line (prefilter, raw time, join table) do not each search all of it.
 * A flat line (its braces its only brackets, no \u escape) is searched
 * for its first JSON_LINE_SEARCHES keys instead, where the CPU has AVX2
 * or AVX-512 (json_raw.c says why); the answers are the same (but that a
 * line of more than JSON_LINE_KEYS keys, which an index leaves to a
 * parse, is read).
 * json_line_init is cheap: a line no one asks about is never read. */
enum { JSON_LINE_KEYS = 128, JSON_LINE_MEMO = 4, JSON_LINE_SEARCHES = 2, JSON_LINE_FLAT = 2 };
typedef struct json_line {
    const char *text;          /* the line, without its newline */
    size_t len;
    int state;                 /* 0: not read yet; 1: close[] holds every
                                  top-level key; 2 (JSON_LINE_FLAT): flat,
                                  searched; -1: only a parse can tell */
    int searches;              /* keys still to search for before the line
                                  is indexed (a test sets 0 to index) */
    int n;
    uint32_t close[JSON_LINE_KEYS]; /* each key's closing quote */
    uint64_t tag[JSON_LINE_KEYS];   /* the eight bytes ending there (a lookup
                                       compares them, not the line's bytes) */
    struct json_memo {         /* the first keys asked for, and the answers */
        const char *key;       /* borrowed for the line's life */
        size_t klen;
        int kind;
        mc_value v;
        unsigned char asked;   /* by json_line_key, not only answered ahead */
        unsigned char scanned; /* answered by the block's pass (below) */
    } memo[JSON_LINE_MEMO];
    int nmemo;
} json_line;

void json_line_init(json_line *l, const char *text, size_t len);

/* A block's lines read raw in one pass (json_lines.c). A one-pass run asks
 * every line for three or four keys (its event's name, its time, its
 * ports), and reading each line on its own, by search or index, was 40% of
 * such a run (BENCHMARKS.md, session 14). Where the CPU has AVX2, one
 * pass over the block finds its newlines and, on each flat line (above),
 * the answers to up to JSON_LINES_KEYS keys, which are what a search of
 * the line gives (json_line_key); a line that is not flat, or holds more
 * than a few places where a key may begin, is left to json_line_key. */
enum { JSON_LINES_KEYS = 4, JSON_LINES_KEYLEN = 64 };
typedef struct json_lines_keys {
    int n;
    size_t klen[JSON_LINES_KEYS];
    char key[JSON_LINES_KEYS][JSON_LINES_KEYLEN]; /* spelled as json_line_key's */
} json_lines_keys;

typedef struct json_lines_line {
    uint32_t start, len;       /* in the block; len stops before the newline
                                  and a \r before it, as a line's reader does */
    unsigned char flat;        /* 1: the answers below are the line's */
    unsigned char kind[JSON_LINES_KEYS];  /* JSON_RAW_* */
    unsigned char null[JSON_LINES_KEYS];  /* a VALUE that is null */
    uint32_t at[JSON_LINES_KEYS], vlen[JSON_LINES_KEYS]; /* its text, in the line */
} json_lines_line;

/* The lines of text[0, len), from its start, up to max of them, into out:
 * their number, and in *used the bytes they take (through the last one's
 * newline; a last line without one ends at len). Without AVX2 every line
 * is left to json_line_key. */
size_t json_lines_scan(const json_lines_keys *k, const char *text, size_t len,
                       json_lines_line *out, size_t max, size_t *used);

/* json_line_init, for the line sl of a scan with keys k, whose bytes are
 * at text (the block's, or a copy): a flat line's answers to k are kept as
 * if asked (k is borrowed for the line's life). */
void json_line_init_scanned(json_line *l, const char *text, const json_lines_line *sl,
                            const json_lines_keys *k);

/* How one thread's lines were read lately. A search costs about half an
 * index (BENCHMARKS.md, session 10), so it pays while lines are asked for
 * two keys or fewer: every JSON_HABIT_LINES lines, the keys asked of one
 * line in JSON_HABIT_EVERY decide whether the next are searched or indexed
 * (keys the block's pass answered do not count), and which keys the
 * block's pass answers: those asked of more than half of them. Zeroed: the
 * first lines are searched, and no block is scanned. The answers are the
 * same every way. */
enum { JSON_HABIT_LINES = 1024, JSON_HABIT_EVERY = 16, JSON_HABIT_SEEN = 8 };
typedef struct json_habit {
    uint32_t lines, looked, keys; /* since the last decision */
    int index;                 /* index the next lines at once */
    struct json_seen {         /* keys asked since the last decision */
        const char *last;      /* where the key was last seen (compared
                                  first: a reader asks with the same one) */
        size_t klen;
        uint32_t lines;
        char key[JSON_LINES_KEYLEN];
    } seen[JSON_HABIT_SEEN];
    int nseen;
    json_lines_keys scan;      /* what the block's pass is to answer */
} json_habit;
/* l (just initialized) read the habit's way. Inline: called on every line. */
static inline void json_habit_begin(const json_habit *h, json_line *l)
{
    if (h->index)
        l->searches = 0;
}

/* l's reading is over: its keys counted (a line's first JSON_LINE_MEMO). */
void json_habit_end(json_habit *h, const json_line *l);
/* key is borrowed for as long as l is used (the answer is kept with it). */
/* The value of top-level key `key` (with its quotes, e.g. "\"aid\""; between
 * them no byte a line could spell with an escape other than \u: no `"`,
 * `\`, `/` or control character, which the caller refuses, as the
 * prefilter does):
 * JSON_RAW_VALUE (*v, as json_raw_value reads it), JSON_RAW_NONE when the
 * line has no such key, JSON_RAW_UNSURE when only a parse can tell: the
 * key is repeated (a parse keeps the last), its value is one
 * json_raw_value cannot read, or the line is not plainly one object (it
 * holds a \u escape, with which a key could be spelled; more than
 * JSON_LINE_KEYS keys, where the line is indexed, not searched; not one
 * object). A malformed line may still read plainly: raw reading validates
 * nothing. */
int json_line_key(json_line *l, const char *key, size_t klen, mc_value *v);

/* Asks a line not read yet for two keys at once (spelled and borrowed as
 * json_line_key's): where the line is searched (above), one pass finds
 * both, and json_line_key then answers each from it; elsewhere nothing is
 * done, and json_line_key reads them as usual. For a reader that will
 * most likely ask for both. */
void json_line_pair(json_line *l, const char *key0, size_t klen0, const char *key1,
                    size_t klen1);

/* Decodes a validated string slice into dst (capacity >= len), as UTF-8.
 * Returns the number of bytes written. */
size_t json_unescape(const char *p, size_t len, char *dst);

#endif

/* jpath: values at dotted paths of a JSON record ("winlog.event_data.Image",
 * "flow.bytes_toserver"), found with json_scan one object level at a time.
 *
 * A path with dots is looked up as nested objects and, when asked, also as
 * one literal key (Zeek writes "id.orig_h" as a key); the literal key wins
 * when both are present.
 *
 * Ownership: a jpath owns its key tables; slots returned by jpath_get point
 * into the scanned line and live as long as it. */
#ifndef MAILC2_JPATH_H
#define MAILC2_JPATH_H

#include "input/event.h"
#include "input/json.h"

typedef struct jpath_node jpath_node;

typedef struct jpath {
    jpath_node *root;
    int nleaves, cap;
    struct jpath_leaf { jpath_node *lit, *nest; int lit_slot, nest_slot; } *leaf;
} jpath;

void jpath_init(jpath *j);
void jpath_free(jpath *j);
/* Returns the leaf id of `path` (the same id for the same path), or -1 when a
 * level already tracks JSON_MAX_KEYS keys. With `literal`, a dotted path is
 * also tried as one top-level key. */
int jpath_add(jpath *j, const char *path, int literal);
/* Scans a record; 0, or -1 with err filled when it is not valid JSON. */
int jpath_scan(jpath *j, const char *line, size_t len, json_error *err);
/* The value of a leaf in the last scanned record (type JSON_ABSENT if none). */
const json_slot *jpath_get(const jpath *j, int leaf);

#endif

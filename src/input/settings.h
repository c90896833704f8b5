/* settings: what a user sets that changes how records decode, as one value
 * handed to every decoder when it is bound (decoder.h), never a global, so
 * that two engines in one process can differ.
 *
 * - local: the networks counted as local (--local-nets), which give a
 *   connection seen by a network sensor its direction (values.h);
 * - map: the generic CSV/JSON decoder's field map (--map
 *   canonical=native,...): the native column or key per canonical field.
 *
 * Ownership: the settings own the map's strings; input_settings_free()
 * releases them. Decoders borrow the settings for as long as they are
 * bound. */
#ifndef MAILC2_SETTINGS_H
#define MAILC2_SETTINGS_H

#include <stddef.h>

#include "input/event.h"
#include "util/cidr.h"

typedef struct input_settings {
    cidr_set local;
    char *map[MC_C__COUNT];      /* native name per canonical field; NULL: unmapped */
    int mapped;                  /* some field is mapped */
} input_settings;

/* local_nets NULL: CIDR_LOCAL_NETS; map NULL: no map. Returns 0, or -1
 * with err naming the option and the entry that is wrong (and the settings
 * left empty, safe to free). */
int input_settings_init(input_settings *s, const char *local_nets, const char *map,
                        char *err, size_t errlen);
void input_settings_free(input_settings *s);

#endif

/* wholefile: the decoder members every whole-file format shares (see
 * wholefile.h): the driver hands such a format the path, never a line. */
#include "input/wholefile.h"

#include <stdio.h>

void *wholefile_bind(const mc_field_req *fields, int nfields, const input_settings *settings)
{
    (void)fields, (void)nfields, (void)settings;
    return NULL;
}

int wholefile_line(void *state, const char *line, size_t len, mc_value *row, arena *scratch,
                   char *err, size_t errlen)
{
    (void)state, (void)line, (void)len, (void)row, (void)scratch;
    snprintf(err, errlen, "this format is read whole (EVTX, Ariel JSON, captures), not a line at "
                          "a time");
    return DECODE_BAD;
}

void wholefile_unbind(void *state)
{
    (void)state;
}

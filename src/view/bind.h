/* bind: a decoder bound to a plan through the plan's view — the one place
 * the driver turns "this input is format X" into a decoder state that
 * fills the plan's slots (view.h says how each field is resolved).
 *
 * Ownership: view_decoder_open() returns a handle the caller frees with
 * view_decoder_close(); it borrows the decoder, the plan and the settings. */
#ifndef MAILC2_VIEW_BIND_H
#define MAILC2_VIEW_BIND_H

#include "input/decoder.h"
#include "view/view.h"

typedef struct view_decoder {
    const decoder *dec;
    void *state;                 /* the decoder's bound state */
    view_binding view;
} view_decoder;

/* NULL with err filled when the plan's fields cannot be bound. */
view_decoder *view_decoder_open(const decoder *dec, const plan *p, const input_settings *s,
                                char *err, size_t errlen);
/* Decodes one record into row[] (decoder.h return codes), derived values
 * included. */
static inline int view_decode(view_decoder *vd, const char *line, size_t len, mc_value *row,
                              arena *scratch, char *err, size_t errlen)
{
    int rc = vd->dec->decode(vd->state, line, len, row, scratch, err, errlen);
    if (rc == DECODE_OK)
        view_apply(&vd->view, row);
    return rc;
}
/* An event a multi-line format still holds at the end of an input
 * (decoder.h finish); DECODE_SKIP when none. */
static inline int view_finish(view_decoder *vd, mc_value *row, arena *scratch)
{
    int rc = vd->dec->finish ? vd->dec->finish(vd->state, row, scratch) : DECODE_SKIP;
    if (rc == DECODE_OK)
        view_apply(&vd->view, row);
    return rc;
}
void view_decoder_close(view_decoder *vd);

#endif

/* bind: binding a decoder through a view (see bind.h). */
#include "view/bind.h"

#include <stdlib.h>

view_decoder *view_decoder_open(const decoder *dec, const plan *p, const input_settings *s,
                                char *err, size_t errlen)
{
    view_decoder *vd = xcalloc(1, sizeof *vd);
    vd->dec = dec;
    if (view_bind(&vd->view, p, decoder_family(dec), s, err, errlen)) {
        free(vd);
        return NULL;
    }
    vd->state = dec->bind(vd->view.req, vd->view.nreq, s);
    return vd;
}

void view_decoder_close(view_decoder *vd)
{
    if (!vd)
        return;
    vd->dec->unbind(vd->state);
    free(vd);
}

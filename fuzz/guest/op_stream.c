#include "op_stream.h"

uint64_t pf_op_stream_run(struct pf_world *w, const uint8_t *data, size_t size,
                          enum pf_dialect d, pf_op_hook hook, void *ctx)
{
    struct pf_reader r;
    struct pf_header h;
    pf_reader_init(&r, data, size);
    pf_header_read(&r, &h);
    pf_world_begin(w, &h);
    /* The world ignores ops past PF_MAX_OPS; not reading them is the same. */
    for (unsigned n = 0; n < PF_MAX_OPS && !pf_reader_done(&r); n++) {
        struct pf_op op;
        pf_op_read_in(&r, &op, d);
        if (hook)
            hook(ctx, &op, d);
        /* The guest driver speaks the pasid-cache dialect, where a kind's
         * own number is its code. */
        op.code = (uint8_t)pf_dialect_kind(d, op.code);
        pf_world_op(w, &op);
    }
    return pf_world_end(w);
}

/*
 * fuzz_pasid_cache: the op stream of fuzz/README.md (a header, then
 * table writes, descriptors, register writes, plug/unplug/reset and backend
 * failures) run by the guest driver against the VT-d model, with every
 * invariant and the oracle checked after every op.
 */
#include "op_frames.h"
#include "op_stream.h"
#include "target.h"

static uint64_t pasid_cache_run(struct pf_world *w, const uint8_t *data, size_t size)
{
    return pf_op_stream_run(w, data, size, PF_DIALECT_PASID_CACHE, NULL, NULL);
}

const struct pf_target_spec pf_target = {
    .run = pasid_cache_run,
    .format = &pf_op_format_plain,
};

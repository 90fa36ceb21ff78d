/*
 * fuzz_lifecycle: the op stream of fuzz_pasid_cache in the lifecycle
 * dialect (ops.h), where plug, unplug, TE and SRTP toggles and injected
 * backend failures come about twice as often, and resets a little more, between the
 * PASID entry writes and invalidations that give them bindings to tear
 * down. Every invariant must hold on every error path the failures open.
 */
#include "op_frames.h"
#include "op_stream.h"
#include "target.h"

static uint64_t lifecycle_run(struct pf_world *w, const uint8_t *data, size_t size)
{
    return pf_op_stream_run(w, data, size, PF_DIALECT_LIFECYCLE, NULL, NULL);
}

const struct pf_target_spec pf_target = {
    .run = lifecycle_run,
    .format = &pf_op_format_lifecycle,
};

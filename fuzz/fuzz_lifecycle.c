/*
 * fuzz_lifecycle: the op stream of fuzz_pasid_cache in the lifecycle
 * dialect (ops.h), where plug, unplug, TE and SRTP toggles and injected
 * backend failures come about twice as often, and resets a little more, between the
 * PASID entry writes and invalidations that give them bindings to tear
 * down. Every invariant must hold on every error path the failures open.
 */
#include <stdlib.h>

#include "op_stream.h"
#include "target.h"

static struct pf_world *world;

int pf_target_init(void)
{
    if (!world)
        world = pf_world_new();
    return world ? 0 : -1;
}

uint64_t pf_target_run(const uint8_t *data, size_t size)
{
    if (!world && pf_target_init() != 0)
        abort();
    return pf_op_stream_run(world, data, size, PF_DIALECT_LIFECYCLE, NULL, NULL);
}

void pf_target_set_trace(FILE *out)
{
    if (world || pf_target_init() == 0)
        pf_world_set_trace(world, out);
}

/*
 * fuzz_pasid_cache: the op stream of DESIGN.md section 6 (a header, then
 * table writes, descriptors, register writes, plug/unplug/reset and backend
 * failures) run by the guest driver against the VT-d model, with every
 * invariant and the oracle checked after every op.
 */
#include <stdlib.h>

#include "guest_driver.h"
#include "op_frames.h"
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
    return pf_world_run(world, data, size);
}

void pf_target_set_trace(FILE *out)
{
    if (world || pf_target_init() == 0)
        pf_world_set_trace(world, out);
}

const struct pf_op_format *pf_target_format(void)
{
    return &pf_op_format_plain;
}

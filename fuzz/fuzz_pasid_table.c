/*
 * fuzz_pasid_table: raw bytes become the root, context, PASID-directory and
 * PASID-table memory of three fixed devices, under a fixed sequence of
 * syncs, SRTP and TE toggles. The input layout and the run are in
 * pasid_table_run.c.
 */
#include <stdlib.h>

#include "raw_targets.h"
#include "target.h"

static struct pf_world *world;

int pf_target_init(void)
{
    if (pf_pasid_table_init() != 0)
        return -1;
    if (!world)
        world = pf_world_new();
    return world ? 0 : -1;
}

uint64_t pf_target_run(const uint8_t *data, size_t size)
{
    if (!world && pf_target_init() != 0)
        abort();
    return pf_pasid_table_run(world, data, size);
}

void pf_target_set_trace(FILE *out)
{
    if (world || pf_target_init() == 0)
        pf_world_set_trace(world, out);
}

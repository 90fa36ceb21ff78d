/*
 * fuzz_inv_queue: raw bytes become invalidation-queue content and queue
 * register writes over a fixed, valid table setup. The input layout and the
 * run are in inv_queue_run.c.
 */
#include <stdlib.h>

#include "raw_targets.h"
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
    return pf_inv_queue_run(world, data, size);
}

void pf_target_set_trace(FILE *out)
{
    if (world || pf_target_init() == 0)
        pf_world_set_trace(world, out);
}

/*
 * The engine-facing functions of target.h for every fuzz_<what>.c: one
 * guest world per process, built at init and reused by every input (the
 * world resets itself between inputs), running the target's pf_target.
 */
#include <stdlib.h>

#include "guest_driver.h"
#include "target.h"

static struct pf_world *world;

int pf_target_init(void)
{
    if (world)
        return 0;
    if (pf_target.init && pf_target.init() != 0)
        return -1;
    world = pf_world_new();
    return world ? 0 : -1;
}

uint64_t pf_target_run(const uint8_t *data, size_t size)
{
    if (!world && pf_target_init() != 0)
        abort();
    return pf_target.run(world, data, size);
}

void pf_target_set_trace(FILE *out)
{
    if (world || pf_target_init() == 0)
        pf_world_set_trace(world, out);
}

const struct pf_op_format *pf_target_format(void)
{
    return pf_target.format;
}

/*
 * The engine-facing functions of target.h for every fuzz binary: one guest
 * world per process, built at init and reused by every input (the world
 * resets itself between inputs), running the registry row the binary is
 * compiled for (fuzz/targets/CMakeLists.txt defines PF_TARGET_ID).
 */
#include <stdlib.h>

#include "guest_driver.h"
#include "target.h"
#include "target_runs.h"

#ifndef PF_TARGET_ID
#error "compile with -DPF_TARGET_ID=PF_TARGET_<ID of a row of fuzz/input/targets.def>"
#endif
static const enum pf_target_id pf_target_id = PF_TARGET_ID;

static struct pf_world *world;

int pf_target_init(void)
{
    if (world)
        return 0;
    const struct pf_target_runner *r = pf_target_runner(pf_target_id);
    if (!r || r->init() != 0)
        return -1;
    world = pf_world_new();
    return world ? 0 : -1;
}

uint64_t pf_target_run(const uint8_t *data, size_t size)
{
    if (!world && pf_target_init() != 0)
        abort();
    return pf_target_runner(pf_target_id)->run(world, data, size);
}

void pf_target_set_trace(FILE *out)
{
    if (world || pf_target_init() == 0)
        pf_world_set_trace(world, out);
}

enum pf_dialect pf_target_dialect(void)
{
    return pf_target_info(pf_target_id)->dialect;
}

uint64_t pf_target_over_invalidations(void)
{
    return pf_world_over_invalidations();
}

const char *pf_target_name(void)
{
    return pf_target_info(pf_target_id)->name;
}

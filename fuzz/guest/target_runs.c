/* The registry's RUN and INIT columns. */
#include "target_runs.h"

#include "op_stream.h"

int pf_no_init(void)
{
    return 0;
}

uint64_t pf_pasid_cache_run(struct pf_world *w, const uint8_t *data, size_t size)
{
    return pf_op_stream_run(w, data, size, PF_DIALECT_PASID_CACHE, NULL, NULL);
}

uint64_t pf_lifecycle_run(struct pf_world *w, const uint8_t *data, size_t size)
{
    return pf_op_stream_run(w, data, size, PF_DIALECT_LIFECYCLE, NULL, NULL);
}

static const struct pf_target_runner pf_runners[PF_TARGET_COUNT] = {
#define PF_TARGET(id, name, dialect, format, run, init, ...) [PF_TARGET_##id] = {run, init},
#include "targets.def"
#undef PF_TARGET
};

const struct pf_target_runner *pf_target_runner(enum pf_target_id t)
{
    return (unsigned)t < PF_TARGET_COUNT ? &pf_runners[t] : NULL;
}

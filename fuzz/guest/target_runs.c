/* The registry's RUN, INIT and DICT columns, and the op-stream rows'. */
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

static const struct {
    const char *label, *line;
} pf_dict_op_lines[] = {
    {"pasid_entry_fs", "pasid-entry pasid=1 flags=p pgtt=fs"},
    {"pasid_entry_pt", "pasid-entry pasid=1 flags=p pgtt=pt"},
    {"pasid_clear", "pasid-clear pasid=1"},
    {"pc_inv_pasid", "pc-inv g=pasid pasid=1"},
    {"pc_inv_domain", "pc-inv g=domain"},
    {"pc_inv_global", "pc-inv g=global"},
    {"cc_inv_global", "cc-inv g=global"},
    {"piotlb_inv_pasid", "piotlb-inv g=pasid pasid=1"},
    {"sync", "sync"},
    {"plug_dev1", "plug dev=1"},
    {"unplug_dev1", "unplug dev=1"},
    {"reset", "reset"},
    {"gcmd_te_off", "gcmd cmd=te-off"},
    {"gcmd_te_on", "gcmd cmd=te-on"},
    {"gcmd_srtp", "gcmd cmd=srtp"},
    {"fail_attach", "fail call=attach"},
    {"fail_detach", "fail call=detach"},
    {"fail_alloc", "fail call=alloc"},
    {"fail_invalidate", "fail call=invalidate"},
};

/* The op stream's dictionary, in the row's dialect: whole op records. */
void pf_dict_ops(struct pf_dict *d)
{
    pf_dict_comment(d, "whole op records of the ops that matter most, in this target's dialect");
    for (size_t i = 0; i < sizeof pf_dict_op_lines / sizeof pf_dict_op_lines[0]; i++)
        pf_dict_record(d, pf_dict_op_lines[i].label, "%s", pf_dict_op_lines[i].line);
}

static const struct pf_target_runner pf_runners[PF_TARGET_COUNT] = {
#define PF_TARGET(id, name, dialect, format, max_len, run, init, seeds, dict)  \
    [PF_TARGET_##id] = {run, init, dict},
#include "targets.def"
#undef PF_TARGET
};

const struct pf_target_runner *pf_target_runner(enum pf_target_id t)
{
    return (unsigned)t < PF_TARGET_COUNT ? &pf_runners[t] : NULL;
}

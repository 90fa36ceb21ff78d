#include "text_syms.h"

#include <stddef.h>
#include <string.h>

#include "ops.h"

/* Values as guest_ops.c interprets them; see the handlers there. */
static const struct pf_sym pe_flags[] = {
    {"p", 1}, {"fpd", 2}, {"sre", 4}, {"wpe", 8}, {"eafe", 16},
};
static const struct pf_sym pgtt[] = {
    {"fs", 1}, {"ss", 2}, {"nested", 3}, {"pt", 4},
};
static const struct pf_sym dir_flags[] = {
    {"p", 1}, {"fpd", 2}, {"new-table", 4}, {"rsvd", 8},
};
static const struct pf_sym ctx_flags[] = {
    {"p", 1}, {"pre", 2}, {"fpd", 4}, {"rsvd", 8}, {"root-np", 16}, {"new-dir", 32},
};
static const struct pf_sym regions[] = {
    {"root", 0}, {"context", 1}, {"dir", 2}, {"table", 3}, {"queue", 4}, {"status", 5},
};
static const struct pf_sym pc_g[] = {
    {"domain", 0}, {"pasid", 1}, {"invalid", 2}, {"global", 3},
};
static const struct pf_sym piotlb_g[] = {
    {"pasid", 2}, {"page", 3},
};
static const struct pf_sym cc_g[] = {
    {"global", 1}, {"domain", 2}, {"device", 3},
};
static const struct pf_sym iotlb_g[] = {
    {"global", 1}, {"domain", 2}, {"page", 3},
};
static const struct pf_sym wait_flags[] = {
    {"if", 1}, {"sw", 2}, {"fn", 4}, {"pd", 8},
};
static const struct pf_sym other_kinds[] = {
    {"dev-tlb", 0}, {"iec", 1}, {"pasid-dev-tlb", 2}, {"page-group-resp", 3},
};
/* The register list of op_mmio, by index. */
static const struct pf_sym mmio_regs[] = {
    {"ver", 0}, {"cap", 1}, {"ecap", 2}, {"gcmd", 3}, {"gsts", 4}, {"rtaddr", 5},
    {"rtaddr-hi", 6}, {"ccmd", 7}, {"ccmd-hi", 8}, {"fsts", 9}, {"fectl", 10}, {"iqh", 11},
    {"iqt", 12}, {"iqt-hi", 13}, {"iqa", 14}, {"iqa-hi", 15}, {"ics", 16}, {"iectl", 17},
    {"iedata", 18}, {"ieaddr", 19}, {"ieuaddr", 20}, {"reg-100", 21}, {"reg-200", 22},
    {"reg-ffc", 23},
};
static const struct pf_sym gcmds[] = {
    {"te-on", 0}, {"te-off", 1}, {"srtp", 2}, {"qie-on", 3}, {"qie-off", 4},
    {"root-legacy", 5}, {"root-scalable", 6},
};
static const struct pf_sym fail_calls[] = {
    {"alloc", 0}, {"attach", 1}, {"detach", 2}, {"invalidate", 3},
};
static const struct pf_sym hdr_flags[] = {
    {"queue-128", PF_HDR_QUEUE_128}, {"fs-5level", PF_HDR_FS_5LEVEL},
};

#define TABLE(f, a) {f, sizeof(a) / sizeof((a)[0]), a}

static const struct {
    int kind;
    const char *field;
    struct pf_sym_table table;
} pf_field_syms[] = {
    {PF_OP_PASID_ENTRY, "flags", TABLE(true, pe_flags)},
    {PF_OP_PASID_ENTRY, "pgtt", TABLE(false, pgtt)},
    {PF_OP_DIR_ENTRY, "flags", TABLE(true, dir_flags)},
    {PF_OP_CTX_ENTRY, "flags", TABLE(true, ctx_flags)},
    {PF_OP_MEM_WRITE, "region", TABLE(false, regions)},
    {PF_OP_Q_PASID_CACHE, "g", TABLE(false, pc_g)},
    {PF_OP_Q_PASID_IOTLB, "g", TABLE(false, piotlb_g)},
    {PF_OP_Q_CONTEXT_CACHE, "g", TABLE(false, cc_g)},
    {PF_OP_Q_IOTLB, "g", TABLE(false, iotlb_g)},
    {PF_OP_Q_WAIT, "flags", TABLE(true, wait_flags)},
    {PF_OP_Q_OTHER, "kind", TABLE(false, other_kinds)},
    {PF_OP_MMIO, "reg", TABLE(false, mmio_regs)},
    {PF_OP_GCMD, "cmd", TABLE(false, gcmds)},
    {PF_OP_FAIL, "call", TABLE(false, fail_calls)},
    {PF_TEXT_HEADER, "flags", TABLE(true, hdr_flags)},
};

const struct pf_sym_table *pf_text_syms(int kind, const char *field)
{
    for (size_t i = 0; i < sizeof pf_field_syms / sizeof pf_field_syms[0]; i++)
        if (pf_field_syms[i].kind == kind && strcmp(pf_field_syms[i].field, field) == 0)
            return &pf_field_syms[i].table;
    return NULL;
}

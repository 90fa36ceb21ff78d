#include "text_syms.h"

#include <stddef.h>
#include <string.h>

#include "inv_queue_input.h"
#include "ops.h"
#include "pasid_table_input.h"

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

/* fuzz_inv_queue, as its commands read them (inv_queue_run.c). */
static const struct pf_sym iq_cfg[] = {
    {"queue-128", IQ_CFG_QUEUE_128}, {"no-presync", IQ_CFG_NO_PRESYNC},
    {"fs-5level", IQ_CFG_FS_5LEVEL},
};
/* desc type: the descriptor type is type % 9 + 1. */
static const struct pf_sym iq_types[] = {
    {"cc-inv", 0}, {"iotlb-inv", 1}, {"dev-tlb", 2}, {"iec", 3}, {"wait", 4},
    {"piotlb-inv", 5}, {"pc-inv", 6}, {"pasid-dev-tlb", 7}, {"page-group-resp", 8},
};
static const struct pf_sym iq_desc_flags[] = {
    {"rsvd-q0", IQ_DESC_RSVD_Q0}, {"rsvd-q1", IQ_DESC_RSVD_Q1}, {"upper", IQ_DESC_UPPER},
};
static const struct pf_sym iq_tail_modes[] = {
    {"sw-tail", 0}, {"value", 1}, {"sw-tail-4byte", 2}, {"high-4byte", 3},
};
static const struct pf_sym iq_queue_modes[] = {
    {"off", 0}, {"on", 1}, {"reprogram", 2}, {"iqa-only", 3},
};
static const struct pf_sym iq_iqe_modes[] = {
    {"clear", 0}, {"repair", 1}, {"abandon", 2}, {"clear-all", 3},
};
/* The register list of cmd_mmio, by index. */
static const struct pf_sym iq_regs[] = {
    {"gcmd", 0}, {"gsts", 1}, {"fsts", 2}, {"fectl", 3}, {"iqh", 4}, {"iqh-hi", 5},
    {"iqt", 6}, {"iqt-hi", 7}, {"iqa", 8}, {"iqa-hi", 9}, {"ics", 10}, {"iectl", 11},
    {"iedata", 12}, {"ieaddr", 13}, {"ieuaddr", 14}, {"ccmd-hi", 15},
};
static const struct pf_sym iq_table_actions[] = {
    {"clear", 0}, {"restore", 1}, {"did", 2}, {"pgtt-flip", 3}, {"not-present", 4},
    {"fspt", 5},
};

/* fuzz_pasid_table (pasid_table_run.c). */
static const struct pf_sym pt_flags[] = {
    {"fs-5level", PT_HF_FS_5LEVEL},
};
static const struct pf_sym pt_pages[] = {
    {"a", 0}, {"b", 1},
};
static const struct pf_sym pt_where[] = {
    {"phase1", PT_EDIT_PHASE1},
};

#define TABLE(f, a) {f, sizeof(a) / sizeof((a)[0]), a}

static const struct {
    enum pf_text_family fam;
    const char *rec;
    const char *field;
    struct pf_sym_table table;
} pf_field_syms[] = {
    {PF_FAMILY_OPS, "pasid-entry", "flags", TABLE(true, pe_flags)},
    {PF_FAMILY_OPS, "pasid-entry", "pgtt", TABLE(false, pgtt)},
    {PF_FAMILY_OPS, "dir-entry", "flags", TABLE(true, dir_flags)},
    {PF_FAMILY_OPS, "context-entry", "flags", TABLE(true, ctx_flags)},
    {PF_FAMILY_OPS, "mem-write", "region", TABLE(false, regions)},
    {PF_FAMILY_OPS, "pc-inv", "g", TABLE(false, pc_g)},
    {PF_FAMILY_OPS, "piotlb-inv", "g", TABLE(false, piotlb_g)},
    {PF_FAMILY_OPS, "cc-inv", "g", TABLE(false, cc_g)},
    {PF_FAMILY_OPS, "iotlb-inv", "g", TABLE(false, iotlb_g)},
    {PF_FAMILY_OPS, "wait", "flags", TABLE(true, wait_flags)},
    {PF_FAMILY_OPS, "other-inv", "kind", TABLE(false, other_kinds)},
    {PF_FAMILY_OPS, "mmio", "reg", TABLE(false, mmio_regs)},
    {PF_FAMILY_OPS, "gcmd", "cmd", TABLE(false, gcmds)},
    {PF_FAMILY_OPS, "fail", "call", TABLE(false, fail_calls)},
    {PF_FAMILY_OPS, "header", "flags", TABLE(true, hdr_flags)},
    {PF_FAMILY_INV_QUEUE, "header", "cfg", TABLE(true, iq_cfg)},
    {PF_FAMILY_INV_QUEUE, "desc", "type", TABLE(false, iq_types)},
    {PF_FAMILY_INV_QUEUE, "desc", "flags", TABLE(true, iq_desc_flags)},
    {PF_FAMILY_INV_QUEUE, "iqt", "mode", TABLE(false, iq_tail_modes)},
    {PF_FAMILY_INV_QUEUE, "queue", "mode", TABLE(false, iq_queue_modes)},
    {PF_FAMILY_INV_QUEUE, "iqe", "mode", TABLE(false, iq_iqe_modes)},
    {PF_FAMILY_INV_QUEUE, "mmio", "reg", TABLE(false, iq_regs)},
    {PF_FAMILY_INV_QUEUE, "table", "action", TABLE(false, iq_table_actions)},
    {PF_FAMILY_PASID_TABLE, "header", "flags", TABLE(true, pt_flags)},
    {PF_FAMILY_PASID_TABLE, "ctx", "page", TABLE(false, pt_pages)},
    {PF_FAMILY_PASID_TABLE, "dir", "page", TABLE(false, pt_pages)},
    {PF_FAMILY_PASID_TABLE, "edit", "where", TABLE(true, pt_where)},
};

const struct pf_sym_table *pf_text_syms(enum pf_text_family fam, const char *rec,
                                        const char *field)
{
    for (size_t i = 0; i < sizeof pf_field_syms / sizeof pf_field_syms[0]; i++)
        if (pf_field_syms[i].fam == fam && strcmp(pf_field_syms[i].rec, rec) == 0 &&
            strcmp(pf_field_syms[i].field, field) == 0)
            return &pf_field_syms[i].table;
    return NULL;
}

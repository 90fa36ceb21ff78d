/* The operand vocabulary of vocab.h: register tables and the names. */
#include "vocab.h"

#include <stddef.h>
#include <string.h>

#include "inv_queue_input.h"
#include "ops.h"
#include "pasid_table_input.h"
#include "vtd_spec.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const struct pf_reg pf_op_regs[] = {
    {"ver", VTD_REG_VER},         {"cap", VTD_REG_CAP},
    {"ecap", VTD_REG_ECAP},       {"gcmd", VTD_REG_GCMD},
    {"gsts", VTD_REG_GSTS},       {"rtaddr", VTD_REG_RTADDR},
    {"rtaddr-hi", VTD_REG_RTADDR + 4}, {"ccmd", VTD_REG_CCMD},
    {"ccmd-hi", VTD_REG_CCMD + 4}, {"fsts", VTD_REG_FSTS},
    {"fectl", VTD_REG_FECTL},     {"iqh", VTD_REG_IQH},
    {"iqt", VTD_REG_IQT},         {"iqt-hi", VTD_REG_IQT + 4},
    {"iqa", VTD_REG_IQA},         {"iqa-hi", VTD_REG_IQA + 4},
    {"ics", VTD_REG_ICS},         {"iectl", VTD_REG_IECTL},
    {"iedata", VTD_REG_IEDATA},   {"ieaddr", VTD_REG_IEADDR},
    {"ieuaddr", VTD_REG_IEUADDR}, {"reg-100", 0x100},
    {"reg-200", 0x200},           {"reg-ffc", 0xffc},
};
const unsigned pf_op_nregs = COUNT(pf_op_regs);

const struct pf_reg pf_iq_regs[] = {
    {"gcmd", VTD_REG_GCMD},       {"gsts", VTD_REG_GSTS},
    {"fsts", VTD_REG_FSTS},       {"fectl", VTD_REG_FECTL},
    {"iqh", VTD_REG_IQH},         {"iqh-hi", VTD_REG_IQH + 4},
    {"iqt", VTD_REG_IQT},         {"iqt-hi", VTD_REG_IQT + 4},
    {"iqa", VTD_REG_IQA},         {"iqa-hi", VTD_REG_IQA + 4},
    {"ics", VTD_REG_ICS},         {"iectl", VTD_REG_IECTL},
    {"iedata", VTD_REG_IEDATA},   {"ieaddr", VTD_REG_IEADDR},
    {"ieuaddr", VTD_REG_IEUADDR}, {"ccmd-hi", VTD_REG_CCMD + 4},
};
const unsigned pf_iq_nregs = COUNT(pf_iq_regs);

/* ---- the op stream ---- */

static const struct pf_sym pe_flags[] = {
    {"p", PF_PE_F_P}, {"fpd", PF_PE_F_FPD}, {"sre", PF_PE_F_SRE}, {"wpe", PF_PE_F_WPE},
    {"eafe", PF_PE_F_EAFE},
};
static const struct pf_sym pgtt[] = {
    {"fs", VTD_PGTT_FIRST_STAGE}, {"ss", VTD_PGTT_SECOND_STAGE}, {"nested", VTD_PGTT_NESTED},
    {"pt", VTD_PGTT_PASS_THROUGH},
};
static const struct pf_sym dir_flags[] = {
    {"p", PF_DIR_F_P}, {"fpd", PF_DIR_F_FPD}, {"new-table", PF_DIR_F_NEW_TABLE},
    {"rsvd", PF_DIR_F_RSVD},
};
static const struct pf_sym ctx_flags[] = {
    {"p", PF_CTX_F_P}, {"pre", PF_CTX_F_PRE}, {"fpd", PF_CTX_F_FPD}, {"rsvd", PF_CTX_F_RSVD},
    {"root-np", PF_CTX_F_ROOT_NP}, {"new-dir", PF_CTX_F_NEW_DIR},
};
static const struct pf_sym regions[] = {
    {"root", PF_REGION_ROOT}, {"context", PF_REGION_CTX}, {"dir", PF_REGION_DIR},
    {"table", PF_REGION_TABLE}, {"queue", PF_REGION_QUEUE}, {"status", PF_REGION_STATUS},
};
/* Granularity 2 of a PASID-cache invalidation is reserved. */
static const struct pf_sym pc_g[] = {
    {"domain", VTD_PC_G_DOMAIN}, {"pasid", VTD_PC_G_PASID}, {"invalid", 2},
    {"global", VTD_PC_G_GLOBAL},
};
static const struct pf_sym piotlb_g[] = {
    {"pasid", VTD_PIOTLB_G_PASID}, {"page", VTD_PIOTLB_G_PAGE},
};
static const struct pf_sym cc_g[] = {
    {"global", VTD_CC_G_GLOBAL}, {"domain", VTD_CC_G_DOMAIN}, {"device", VTD_CC_G_DEVICE},
};
static const struct pf_sym iotlb_g[] = {
    {"global", VTD_IOTLB_G_GLOBAL}, {"domain", VTD_IOTLB_G_DOMAIN}, {"page", VTD_IOTLB_G_PAGE},
};
static const struct pf_sym wait_flags[] = {
    {"if", PF_WAIT_F_IF}, {"sw", PF_WAIT_F_SW}, {"fn", PF_WAIT_F_FN}, {"pd", PF_WAIT_F_PD},
};
static const struct pf_sym other_kinds[] = {
    {"dev-tlb", PF_OTHER_DEV_TLB}, {"iec", PF_OTHER_IEC},
    {"pasid-dev-tlb", PF_OTHER_PASID_DEV_TLB}, {"page-group-resp", PF_OTHER_PAGE_GROUP_RESP},
};
static const struct pf_sym gcmds[] = {
    {"te-on", PF_GCMD_TE_ON}, {"te-off", PF_GCMD_TE_OFF}, {"srtp", PF_GCMD_SRTP},
    {"qie-on", PF_GCMD_QIE_ON}, {"qie-off", PF_GCMD_QIE_OFF},
    {"root-legacy", PF_GCMD_ROOT_LEGACY}, {"root-scalable", PF_GCMD_ROOT_SCALABLE},
};
static const struct pf_sym fail_calls[] = {
    {"alloc", PF_FAIL_ALLOC}, {"attach", PF_FAIL_ATTACH}, {"detach", PF_FAIL_DETACH},
    {"invalidate", PF_FAIL_INVALIDATE}, {"memory", PF_FAIL_MEMORY},
};
static const struct pf_sym hdr_flags[] = {
    {"queue-128", PF_HDR_QUEUE_128}, {"fs-5level", PF_HDR_FS_5LEVEL},
};

/* ---- fuzz_inv_queue ---- */

static const struct pf_sym iq_cfg[] = {
    {"queue-128", IQ_CFG_QUEUE_128}, {"no-presync", IQ_CFG_NO_PRESYNC},
    {"fs-5level", IQ_CFG_FS_5LEVEL},
};
static const struct pf_sym iq_types[] = {
    {"cc-inv", PF_IQ_TYPE(VTD_DESC_CONTEXT_CACHE)},
    {"iotlb-inv", PF_IQ_TYPE(VTD_DESC_IOTLB)},
    {"dev-tlb", PF_IQ_TYPE(VTD_DESC_DEVICE_TLB)},
    {"iec", PF_IQ_TYPE(VTD_DESC_IEC)},
    {"wait", PF_IQ_TYPE(VTD_DESC_WAIT)},
    {"piotlb-inv", PF_IQ_TYPE(VTD_DESC_PASID_IOTLB)},
    {"pc-inv", PF_IQ_TYPE(VTD_DESC_PASID_CACHE)},
    {"pasid-dev-tlb", PF_IQ_TYPE(VTD_DESC_PASID_DEVICE_TLB)},
    {"page-group-resp", PF_IQ_TYPE(VTD_DESC_PAGE_GROUP_RESP)},
};
static const struct pf_sym iq_desc_flags[] = {
    {"rsvd-q0", IQ_DESC_RSVD_Q0}, {"rsvd-q1", IQ_DESC_RSVD_Q1}, {"upper", IQ_DESC_UPPER},
};
static const struct pf_sym iq_tail_modes[] = {
    {"sw-tail", PF_IQ_TAIL_SW}, {"value", PF_IQ_TAIL_VALUE},
    {"sw-tail-4byte", PF_IQ_TAIL_SW_4BYTE}, {"high-4byte", PF_IQ_TAIL_HIGH_4BYTE},
};
static const struct pf_sym iq_queue_modes[] = {
    {"off", PF_IQ_QUEUE_OFF}, {"on", PF_IQ_QUEUE_ON}, {"reprogram", PF_IQ_QUEUE_REPROGRAM},
    {"iqa-only", PF_IQ_QUEUE_IQA_ONLY},
};
static const struct pf_sym iq_iqe_modes[] = {
    {"clear", PF_IQE_CLEAR}, {"repair", PF_IQE_REPAIR}, {"abandon", PF_IQE_ABANDON},
    {"clear-all", PF_IQE_CLEAR_ALL},
};
static const struct pf_sym iq_table_actions[] = {
    {"clear", PF_IQ_TABLE_CLEAR}, {"restore", PF_IQ_TABLE_RESTORE}, {"did", PF_IQ_TABLE_DID},
    {"pgtt-flip", PF_IQ_TABLE_PGTT_FLIP}, {"not-present", PF_IQ_TABLE_NOT_PRESENT},
    {"fspt", PF_IQ_TABLE_FSPT},
};

/* ---- fuzz_pasid_table ---- */

static const struct pf_sym pt_flags[] = {
    {"fs-5level", PT_HF_FS_5LEVEL},
};
/* The selector of the two context and directory pages. */
static const struct pf_sym pt_pages[] = {
    {"a", 0}, {"b", 1},
};
static const struct pf_sym pt_where[] = {
    {"phase1", PT_EDIT_PHASE1},
};

#define SYMS(f, a) {f, COUNT(a), a, NULL}
#define REGS(a, n) {false, n, NULL, a}

static const struct {
    enum pf_input_format fmt;
    const char *rec;
    const char *field;
    struct pf_sym_table table;
} pf_field_syms[] = {
    {PF_INPUT_OPS, "pasid-entry", "flags", SYMS(true, pe_flags)},
    {PF_INPUT_OPS, "pasid-entry", "pgtt", SYMS(false, pgtt)},
    {PF_INPUT_OPS, "dir-entry", "flags", SYMS(true, dir_flags)},
    {PF_INPUT_OPS, "context-entry", "flags", SYMS(true, ctx_flags)},
    {PF_INPUT_OPS, "mem-write", "region", SYMS(false, regions)},
    {PF_INPUT_OPS, "pc-inv", "g", SYMS(false, pc_g)},
    {PF_INPUT_OPS, "piotlb-inv", "g", SYMS(false, piotlb_g)},
    {PF_INPUT_OPS, "cc-inv", "g", SYMS(false, cc_g)},
    {PF_INPUT_OPS, "iotlb-inv", "g", SYMS(false, iotlb_g)},
    {PF_INPUT_OPS, "wait", "flags", SYMS(true, wait_flags)},
    {PF_INPUT_OPS, "other-inv", "kind", SYMS(false, other_kinds)},
    {PF_INPUT_OPS, "mmio", "reg", REGS(pf_op_regs, COUNT(pf_op_regs))},
    {PF_INPUT_OPS, "gcmd", "cmd", SYMS(false, gcmds)},
    {PF_INPUT_OPS, "fail", "call", SYMS(false, fail_calls)},
    {PF_INPUT_OPS, "header", "flags", SYMS(true, hdr_flags)},
    {PF_INPUT_INV_QUEUE, "header", "cfg", SYMS(true, iq_cfg)},
    {PF_INPUT_INV_QUEUE, "desc", "type", SYMS(false, iq_types)},
    {PF_INPUT_INV_QUEUE, "desc", "flags", SYMS(true, iq_desc_flags)},
    {PF_INPUT_INV_QUEUE, "iqt", "mode", SYMS(false, iq_tail_modes)},
    {PF_INPUT_INV_QUEUE, "queue", "mode", SYMS(false, iq_queue_modes)},
    {PF_INPUT_INV_QUEUE, "iqe", "mode", SYMS(false, iq_iqe_modes)},
    {PF_INPUT_INV_QUEUE, "mmio", "reg", REGS(pf_iq_regs, COUNT(pf_iq_regs))},
    {PF_INPUT_INV_QUEUE, "table", "action", SYMS(false, iq_table_actions)},
    {PF_INPUT_PASID_TABLE, "header", "flags", SYMS(true, pt_flags)},
    {PF_INPUT_PASID_TABLE, "ctx", "page", SYMS(false, pt_pages)},
    {PF_INPUT_PASID_TABLE, "dir", "page", SYMS(false, pt_pages)},
    {PF_INPUT_PASID_TABLE, "edit", "where", SYMS(true, pt_where)},
};

_Static_assert(COUNT(regions) == PF_REGION_COUNT && COUNT(other_kinds) == PF_OTHER_COUNT &&
                   COUNT(gcmds) == PF_GCMD_COUNT && COUNT(fail_calls) == PF_FAIL_COUNT &&
                   COUNT(iq_types) == PF_IQ_TYPE_COUNT &&
                   COUNT(iq_tail_modes) == PF_IQ_TAIL_COUNT &&
                   COUNT(iq_queue_modes) == PF_IQ_QUEUE_COUNT &&
                   COUNT(iq_iqe_modes) == PF_IQE_COUNT &&
                   COUNT(iq_table_actions) == PF_IQ_TABLE_COUNT,
               "every value the interpreter tells apart has a name");

const struct pf_sym_table *pf_vocab_syms(enum pf_input_format fmt, const char *rec,
                                         const char *field)
{
    for (size_t i = 0; i < COUNT(pf_field_syms); i++)
        if (pf_field_syms[i].fmt == fmt && strcmp(pf_field_syms[i].rec, rec) == 0 &&
            strcmp(pf_field_syms[i].field, field) == 0)
            return &pf_field_syms[i].table;
    return NULL;
}

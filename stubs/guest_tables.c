/*
 * The resolver of guest_tables.h, written from the rules in its header
 * comment and nothing else: it is the yardstick the model is measured
 * against, so it stays short enough to be checked by reading.
 */
#include "guest_tables.h"

#include <string.h>

#include "pf_le.h"
#include "vtd_spec.h"

/* Highest PASID width the hardware format can carry (PASID is 20 bits). */
#define GT_PASID_WIDTH_MAX 20u

/* Reads n little-endian qwords at base + off. An address that carries past
 * 2^64 is unreadable: it names no guest memory, it does not wrap to 0. */
static bool gt_read_qwords(const struct gt_view *v, uint64_t base, uint64_t off,
                           uint64_t *q, unsigned n)
{
    if (base > UINT64_MAX - off || n > VTD_PE_QWORDS)
        return false;
    /* guest_mem_read does not write through its opaque; the cast only
     * matches the DMA callback signature. A failed read leaves q alone. */
    if (guest_mem_read((void *)v->mem, base + off, q, n * 8u) != 0)
        return false;
    pf_le64_to_cpu_n(q, n);
    return true;
}

bool gt_translated(const struct gt_view *v)
{
    return v->te && VTD_FIELD(v->rtaddr, 11, 10) == VTD_RTADDR_TTM_SCALABLE;
}

uint32_t gt_pasid_limit(const struct gt_view *v, uint8_t max_pasid_log2)
{
    unsigned bits = v->pasid_bits < max_pasid_log2 ? v->pasid_bits : max_pasid_log2;
    /* A config past the 20-bit PASID format is clamped rather than shifted
     * out of range. */
    if (bits > GT_PASID_WIDTH_MAX)
        bits = GT_PASID_WIDTH_MAX;
    return 1u << bits;
}

/* Root then context entry of sid; false if either is unusable. */
bool gt_context(const struct gt_view *v, uint16_t sid, uint64_t ctx[4], enum gt_reason *why)
{
    unsigned bus = sid >> 8, devfn = sid & 0xff;
    uint64_t root;
    uint64_t off = (uint64_t)bus * VTD_ROOT_ENTRY_BYTES + (devfn >= 128 ? 8u : 0u);
    if (!gt_read_qwords(v, v->rtaddr & VTD_RTADDR_ADDR_MASK, off, &root, 1) ||
        !(root & VTD_ROOT_P) || (root & VTD_ROOT_RSVD)) {
        *why = GT_ROOT_BAD;
        return false;
    }
    off = (uint64_t)(devfn & 0x7f) * VTD_CTX_ENTRY_BYTES;
    if (!gt_read_qwords(v, root & VTD_PAGE_MASK, off, ctx, 4) || !(ctx[0] & VTD_CTX_P) ||
        (ctx[0] & VTD_CTX_RSVD_Q0) || (ctx[1] & VTD_CTX_RSVD_Q1) || ctx[2] || ctx[3]) {
        *why = GT_CONTEXT_BAD;
        return false;
    }
    return true;
}

uint32_t gt_dir_pasid_limit(const struct gt_view *v, uint16_t sid)
{
    uint64_t ctx[4];
    enum gt_reason why;
    /* A legacy root table has no PASID directories at all. */
    if (VTD_FIELD(v->rtaddr, 11, 10) != VTD_RTADDR_TTM_SCALABLE || !gt_context(v, sid, ctx, &why))
        return 0;
    return VTD_CTX_DIR_ENTRIES(ctx[0]) * VTD_PASIDS_PER_TABLE;
}

static bool gt_entry_reserved(const uint64_t pe[8])
{
    return (pe[1] & VTD_PE_RSVD_Q1) || (pe[2] & VTD_PE_RSVD_Q2) || pe[4] || pe[5] || pe[6] ||
           pe[7];
}

/* Decodes a present, non-reserved PASID entry into out. */
static void gt_decode_entry(const struct gt_view *v, struct gt_binding *out)
{
    const uint64_t *pe = out->entry;
    unsigned pgtt = VTD_PE_PGTT(pe[0]);
    unsigned fspm = VTD_PE_FSPM(pe[2]);

    if (pgtt == VTD_PGTT_PASS_THROUGH) {
        out->kind = GT_PASS_THROUGH;
    } else if (pgtt == VTD_PGTT_FIRST_STAGE && (fspm == 0 || (fspm == 1 && v->fs_5level))) {
        out->kind = GT_FIRST_STAGE;
        out->s1.pgtbl_addr = pe[2] & VTD_PE_FSPTPTR_MASK;
        out->s1.addr_width = VTD_FS_ADDR_WIDTH(fspm);
        out->s1.flags = ((pe[2] & VTD_PE_SRE) ? VTD_S1_FLAG_SRE : 0u) |
                        ((pe[2] & VTD_PE_WPE) ? VTD_S1_FLAG_WPE : 0u) |
                        ((pe[2] & VTD_PE_EAFE) ? VTD_S1_FLAG_EAFE : 0u);
    } else {
        /* Second-stage and nested need a host second stage per PASID, which
         * this backend does not offer; a mode the IOMMU lacks is invalid. */
        out->reason = GT_ENTRY_BAD;
        return;
    }
    out->reason = GT_OK;
    out->did = VTD_PE_DID(pe[1]);
}

void gt_resolve(const struct gt_view *v, uint16_t sid, uint8_t max_pasid_log2,
                uint32_t pasid, struct gt_binding *out)
{
    memset(out, 0, sizeof *out);
    out->kind = GT_NONE;

    if (!gt_translated(v)) {
        /* Untranslated DMA: requests without PASID go through the parent
         * (the host's second stage), anything with a PASID is blocked. */
        if (pasid == 0)
            out->kind = GT_PASS_THROUGH;
        else
            out->reason = GT_UNTRANSLATED;
        return;
    }
    if (pasid >= gt_pasid_limit(v, max_pasid_log2)) {
        out->reason = GT_OUT_OF_RANGE;
        return;
    }

    uint64_t ctx[4];
    if (!gt_context(v, sid, ctx, &out->reason))
        return;
    uint32_t dir_index = pasid >> 6;
    if (dir_index >= VTD_CTX_DIR_ENTRIES(ctx[0])) {
        out->reason = GT_OUT_OF_RANGE;
        return;
    }

    uint64_t dire;
    if (!gt_read_qwords(v, ctx[0] & VTD_PAGE_MASK, (uint64_t)dir_index * VTD_PDIR_ENTRY_BYTES,
                        &dire, 1) ||
        !(dire & VTD_PDIR_P) || (dire & VTD_PDIR_RSVD)) {
        out->reason = GT_DIR_BAD;
        return;
    }

    uint64_t off = (uint64_t)(pasid & (VTD_PASIDS_PER_TABLE - 1)) * VTD_PE_BYTES;
    if (!gt_read_qwords(v, dire & VTD_PAGE_MASK, off, out->entry, VTD_PE_QWORDS)) {
        out->reason = GT_ENTRY_BAD;
        return;
    }
    gt_entry_binding(v, out->entry, out);
}

void gt_entry_binding(const struct gt_view *v, const uint64_t pe[8], struct gt_binding *out)
{
    if (out->entry != pe)
        memcpy(out->entry, pe, sizeof out->entry);
    out->kind = GT_NONE;
    out->did = 0;
    if (!(pe[0] & VTD_PE_P) || gt_entry_reserved(pe)) {
        out->reason = GT_ENTRY_BAD;
        return;
    }
    gt_decode_entry(v, out);
}

const char *gt_reason_name(enum gt_reason r)
{
    switch (r) {
    case GT_OK: return "ok";
    case GT_UNTRANSLATED: return "untranslated";
    case GT_OUT_OF_RANGE: return "out-of-range";
    case GT_ROOT_BAD: return "root-bad";
    case GT_CONTEXT_BAD: return "context-bad";
    case GT_DIR_BAD: return "dir-bad";
    case GT_ENTRY_BAD: return "entry-bad";
    }
    return "unknown";
}

const char *gt_kind_name(enum gt_kind k)
{
    switch (k) {
    case GT_NONE: return "none";
    case GT_PASS_THROUGH: return "pass-through";
    case GT_FIRST_STAGE: return "first-stage";
    }
    return "unknown";
}

bool gt_s1_same(const struct vtd_s1_config *a, const struct vtd_s1_config *b)
{
    return a->pgtbl_addr == b->pgtbl_addr && a->addr_width == b->addr_width &&
           a->flags == b->flags;
}

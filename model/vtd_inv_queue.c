/*
 * The invalidation queue: latching IQA, walking descriptors from head to
 * tail, decoding and validating each type, and acting on the ones that
 * concern the PASID cache. A bad descriptor sets FSTS.IQE and leaves the
 * head pointing at it, so the guest can see which one it was.
 */
#include "vtd_internal.h"

typedef bool (*vtd_desc_fn)(struct vtd *s, const uint64_t q[4]);

struct vtd_desc_handler {
    bool wide_only;             /* only valid in a 256-bit queue */
    vtd_desc_fn run;            /* validates, then acts; false = invalid */
};

void vtd_iq_latch(struct vtd *s)
{
    uint64_t iqa = vtd_reg_get64(s, VTD_REG_IQA);
    s->iq_base = iqa & VTD_IQA_BASE_MASK;
    /* DW is honoured because ECAP.SMTS is always advertised. */
    s->iq_dw = (iqa & VTD_IQA_DW) != 0;
    s->iq_size = VTD_PAGE_SIZE << (iqa & VTD_IQA_QS_MASK);
}

static void vtd_iq_error(struct vtd *s)
{
    vtd_raise_fault(s, (uint32_t)VTD_FSTS_IQE);
}

static bool vtd_desc_context_cache(struct vtd *s, const uint64_t q[4])
{
    unsigned g = VTD_DESC_G(q[0]);
    if ((q[0] & VTD_CC_RSVD_Q0) || q[1] || g == 0)
        return false;
    /* Global and domain context invalidations may hide any change to the
     * PASID tables below them, so every binding is re-derived. */
    if (g == VTD_CC_G_GLOBAL || g == VTD_CC_G_DOMAIN)
        vtd_pasid_sync_all(s);
    return true;
}

static bool vtd_inv_addr_ok(uint64_t q1, bool page_selective)
{
    if (q1 & VTD_INV_RSVD_Q1)
        return false;
    return !page_selective || VTD_INV_AM(q1) <= VTD_INV_AM_MAX;
}

static bool vtd_desc_iotlb(struct vtd *s, const uint64_t q[4])
{
    (void)s;
    unsigned g = VTD_DESC_G(q[0]);
    if ((q[0] & VTD_IOTLB_RSVD_Q0) || g == 0)
        return false;
    /* Second-stage IOTLB: the host owns the parent tables, nothing to do. */
    return vtd_inv_addr_ok(q[1], g == VTD_IOTLB_G_PAGE);
}

static bool vtd_desc_device_tlb(struct vtd *s, const uint64_t q[4])
{
    (void)s;
    return !(q[0] & VTD_DEVTLB_RSVD_Q0) && !(q[1] & VTD_DEVTLB_RSVD_Q1);
}

static bool vtd_desc_iec(struct vtd *s, const uint64_t q[4])
{
    (void)s;
    return !(q[0] & VTD_IEC_RSVD_Q0) && !q[1];
}

static bool vtd_desc_wait(struct vtd *s, const uint64_t q[4])
{
    if ((q[0] & VTD_WAIT_RSVD_Q0) || (q[1] & VTD_WAIT_RSVD_Q1))
        return false;
    if (!(q[0] & (VTD_WAIT_IF | VTD_WAIT_SW | VTD_WAIT_FN)))
        return false;
    if (q[0] & VTD_WAIT_SW) {
        uint32_t data = VTD_WAIT_DATA(q[0]);
        uint8_t le[4] = {(uint8_t)data, (uint8_t)(data >> 8), (uint8_t)(data >> 16),
                         (uint8_t)(data >> 24)};
        /* A status write that cannot land means the guest would wait
         * forever; report it as a queue error instead. */
        if (s->cfg.dma_write(s->cfg.dma_opaque, q[1] & ~VTD_WAIT_RSVD_Q1, le, sizeof le) != 0)
            return false;
    }
    if (q[0] & VTD_WAIT_IF)
        vtd_raise_iwc(s);
    return true;
}

static bool vtd_desc_pasid_iotlb(struct vtd *s, const uint64_t q[4])
{
    unsigned g = VTD_DESC_G(q[0]);
    if ((q[0] & VTD_PIOTLB_RSVD_Q0) || (g != VTD_PIOTLB_G_PASID && g != VTD_PIOTLB_G_PAGE))
        return false;
    if (!vtd_inv_addr_ok(q[1], g == VTD_PIOTLB_G_PAGE))
        return false;
    struct vtd_s1_inv inv = {0, VTD_S1_INV_ALL_PAGES, 0};
    if (g == VTD_PIOTLB_G_PAGE) {
        /* The hardware ignores the low AM page bits of ADDR: the range
         * is the naturally aligned block of 2^AM pages holding ADDR. */
        inv.npages = 1ull << VTD_INV_AM(q[1]);
        inv.addr = q[1] & VTD_INV_ADDR_MASK & ~(inv.npages * VTD_PAGE_SIZE - 1);
        inv.flags = (q[1] & VTD_INV_IH) ? VTD_S1_INV_FLAG_LEAF : 0;
    }
    vtd_piotlb_propagate(s, VTD_DESC_DID(q[0]), VTD_DESC_PASID(q[0]), &inv);
    return true;
}

static bool vtd_desc_pasid_cache(struct vtd *s, const uint64_t q[4])
{
    unsigned g = VTD_DESC_G(q[0]);
    if ((q[0] & VTD_PC_RSVD_Q0) || q[1])
        return false;
    struct vtd_sync_info info = {VTD_SYNC_GLOBAL, VTD_DESC_DID(q[0]), VTD_DESC_PASID(q[0]), false};
    switch (g) {
    case VTD_PC_G_DOMAIN:
        info.scope = VTD_SYNC_DOMAIN;
        break;
    case VTD_PC_G_PASID:
        info.scope = VTD_SYNC_PASID;
        break;
    case VTD_PC_G_GLOBAL:
        info.scope = VTD_SYNC_GLOBAL;
        break;
    default:
        return false;
    }
    vtd_pasid_cache_sync(s, &info);
    return true;
}

static bool vtd_desc_pasid_device_tlb(struct vtd *s, const uint64_t q[4])
{
    (void)s;
    return !(q[0] & VTD_PDEVTLB_RSVD_Q0) && !(q[1] & VTD_PDEVTLB_RSVD_Q1);
}

static bool vtd_desc_page_group_response(struct vtd *s, const uint64_t q[4])
{
    (void)s;
    return !(q[0] & VTD_PGRP_RSVD_Q0) && !(q[1] & VTD_PGRP_RSVD_Q1);
}

static const struct vtd_desc_handler vtd_desc_handlers[] = {
    [VTD_DESC_CONTEXT_CACHE] = {false, vtd_desc_context_cache},
    [VTD_DESC_IOTLB] = {false, vtd_desc_iotlb},
    [VTD_DESC_DEVICE_TLB] = {false, vtd_desc_device_tlb},
    [VTD_DESC_IEC] = {false, vtd_desc_iec},
    [VTD_DESC_WAIT] = {false, vtd_desc_wait},
    [VTD_DESC_PASID_IOTLB] = {true, vtd_desc_pasid_iotlb},
    [VTD_DESC_PASID_CACHE] = {true, vtd_desc_pasid_cache},
    [VTD_DESC_PASID_DEVICE_TLB] = {true, vtd_desc_pasid_device_tlb},
    [VTD_DESC_PAGE_GROUP_RESP] = {true, vtd_desc_page_group_response},
};

/* false: the descriptor is invalid and must stop the queue. */
static bool vtd_desc_execute(struct vtd *s, const uint64_t q[4])
{
    unsigned type = VTD_DESC_TYPE(q[0]);
    size_t n = sizeof vtd_desc_handlers / sizeof vtd_desc_handlers[0];
    if (type >= n || !vtd_desc_handlers[type].run)
        return false;
    const struct vtd_desc_handler *h = &vtd_desc_handlers[type];
    if (h->wide_only && !s->iq_dw)
        return false;
    /* The upper half of a 256-bit descriptor is reserved for every type
     * this model knows. */
    if (s->iq_dw && (q[2] || q[3]))
        return false;
    return h->run(s, q);
}

static bool vtd_iq_fetch(struct vtd *s, uint64_t head, uint64_t q[4])
{
    uint8_t raw[VTD_IQ_DESC256_BYTES];
    unsigned bytes = s->iq_dw ? VTD_IQ_DESC256_BYTES : VTD_IQ_DESC128_BYTES;
    if (s->cfg.dma_read(s->cfg.dma_opaque, s->iq_base + head, raw, bytes) != 0)
        return false;
    for (unsigned i = 0; i < 4; i++)
        q[i] = i * 8 < bytes ? vtd_ldq_le(raw + i * 8) : 0;
    return true;
}

void vtd_iq_process(struct vtd *s)
{
    if (!(vtd_reg_get32(s, VTD_REG_GSTS) & VTD_GSTS_QIES))
        return;
    if (vtd_reg_get32(s, VTD_REG_FSTS) & VTD_FSTS_IQE)
        return;
    uint64_t dsize = s->iq_dw ? VTD_IQ_DESC256_BYTES : VTD_IQ_DESC128_BYTES;
    uint64_t tail = vtd_reg_get64(s, VTD_REG_IQT) & VTD_IQ_OFFSET_MASK;
    if (tail % dsize != 0 || tail >= s->iq_size) {
        vtd_iq_error(s);
        return;
    }
    uint64_t head = vtd_reg_get64(s, VTD_REG_IQH) & VTD_IQ_OFFSET_MASK;
    while (head != tail) {
        uint64_t q[4];
        if (!vtd_iq_fetch(s, head, q) || !vtd_desc_execute(s, q)) {
            vtd_iq_error(s);
            return;
        }
        head = (head + dsize) % s->iq_size;
        vtd_reg_set64(s, VTD_REG_IQH, head);
    }
}

/*
 * The register file: power-on values, MMIO access of any width the bus
 * allows, and the side effects of GCMD, CCMD, IQT, ICS and IECTL writes.
 */
#include <stdlib.h>
#include <string.h>

#include "vtd_internal.h"

/* How a register reacts to a write; bits outside rw and w1c are read-only. */
struct vtd_reg_desc {
    unsigned off;
    unsigned size;              /* 4 or 8 */
    uint64_t rw;
    uint64_t w1c;
    /* Called after the stored value changed; `old` is the value before the
     * write, `written` has the bytes the access covered, `incoming` the
     * written value aligned to the register. */
    void (*on_write)(struct vtd *s, uint64_t old, uint64_t incoming, uint64_t written);
};

static void vtd_gcmd_write(struct vtd *s, uint64_t old, uint64_t incoming, uint64_t written);
static void vtd_ccmd_write(struct vtd *s, uint64_t old, uint64_t incoming, uint64_t written);
static void vtd_iqt_write(struct vtd *s, uint64_t old, uint64_t incoming, uint64_t written);
static void vtd_ics_write(struct vtd *s, uint64_t old, uint64_t incoming, uint64_t written);
static void vtd_iectl_write(struct vtd *s, uint64_t old, uint64_t incoming, uint64_t written);
static void vtd_fsts_write(struct vtd *s, uint64_t old, uint64_t incoming, uint64_t written);
static void vtd_fectl_write(struct vtd *s, uint64_t old, uint64_t incoming, uint64_t written);

#define VTD_CCMD_RW (VTD_CCMD_ICC | VTD_MASK(62, 61) | VTD_MASK(33, 32) | VTD_MASK(31, 0))

/* In offset order, without overlaps: vtd_mmio_write relies on it. */
static const struct vtd_reg_desc vtd_regs[] = {
    {VTD_REG_VER, 4, 0, 0, NULL},
    {VTD_REG_CAP, 8, 0, 0, NULL},
    {VTD_REG_ECAP, 8, 0, 0, NULL},
    /* GCMD stores nothing (it reads as zero); its effect lands in GSTS. */
    {VTD_REG_GCMD, 4, 0, 0, vtd_gcmd_write},
    {VTD_REG_GSTS, 4, 0, 0, NULL},
    {VTD_REG_RTADDR, 8, VTD_MASK(63, 10), 0, NULL},
    {VTD_REG_CCMD, 8, VTD_CCMD_RW, 0, vtd_ccmd_write},
    {VTD_REG_FSTS, 4, 0, VTD_FSTS_IQE, vtd_fsts_write},
    {VTD_REG_FECTL, 4, VTD_FECTL_IM, 0, vtd_fectl_write},
    {VTD_REG_FEDATA, 4, VTD_MASK(31, 0), 0, NULL},
    {VTD_REG_FEADDR, 4, VTD_MASK(31, 2), 0, NULL},
    {VTD_REG_FEUADDR, 4, VTD_MASK(31, 0), 0, NULL},
    {VTD_REG_IQH, 8, 0, 0, NULL},
    {VTD_REG_IQT, 8, VTD_IQ_OFFSET_MASK, 0, vtd_iqt_write},
    {VTD_REG_IQA, 8, VTD_IQA_BASE_MASK | VTD_IQA_DW | VTD_IQA_QS_MASK, 0, NULL},
    {VTD_REG_ICS, 4, 0, VTD_ICS_IWC, vtd_ics_write},
    {VTD_REG_IECTL, 4, VTD_IECTL_IM, 0, vtd_iectl_write},
    {VTD_REG_IEDATA, 4, VTD_MASK(31, 0), 0, NULL},
    {VTD_REG_IEADDR, 4, VTD_MASK(31, 2), 0, NULL},
    {VTD_REG_IEUADDR, 4, VTD_MASK(31, 0), 0, NULL},
};

static uint64_t vtd_reg_get(const struct vtd *s, const struct vtd_reg_desc *r)
{
    return r->size == 8 ? vtd_reg_get64(s, r->off) : vtd_reg_get32(s, r->off);
}

static void vtd_reg_set(struct vtd *s, const struct vtd_reg_desc *r, uint64_t v)
{
    if (r->size == 8)
        vtd_reg_set64(s, r->off, v);
    else
        vtd_reg_set32(s, r->off, (uint32_t)v);
}

bool vtd_translated(const struct vtd *s)
{
    bool te = (vtd_reg_get32(s, VTD_REG_GSTS) & VTD_GSTS_TES) != 0;
    unsigned ttm = (unsigned)VTD_FIELD(s->root_latched, 11, 10);
    return te && ttm == VTD_RTADDR_TTM_SCALABLE;
}

void vtd_raise_iwc(struct vtd *s)
{
    uint32_t ics = vtd_reg_get32(s, VTD_REG_ICS);
    if (ics & VTD_ICS_IWC)
        return;
    vtd_reg_set32(s, VTD_REG_ICS, ics | (uint32_t)VTD_ICS_IWC);
    /* With the completion interrupt masked, the event stays pending. */
    uint32_t iectl = vtd_reg_get32(s, VTD_REG_IECTL);
    if (iectl & VTD_IECTL_IM)
        vtd_reg_set32(s, VTD_REG_IECTL, iectl | (uint32_t)VTD_IECTL_IP);
}

void vtd_raise_fault(struct vtd *s, uint32_t status)
{
    uint32_t fsts = vtd_reg_get32(s, VTD_REG_FSTS);
    if (fsts & status)
        return;
    vtd_reg_set32(s, VTD_REG_FSTS, fsts | status);
    /* A new fault event only when none was pending; masked, it is held in
     * IP, unmasked the message goes out at once and IP stays clear. */
    uint32_t fectl = vtd_reg_get32(s, VTD_REG_FECTL);
    if (!(fsts & VTD_FSTS_EVENTS) && (fectl & VTD_FECTL_IM))
        vtd_reg_set32(s, VTD_REG_FECTL, fectl | (uint32_t)VTD_FECTL_IP);
}

static uint64_t vtd_cap_value(const struct vtd_config *cfg)
{
    uint64_t cap = 0;
    cap |= 6ull << VTD_CAP_ND_SHIFT;              /* 16-bit domain ids */
    cap |= VTD_BIT(2) << VTD_CAP_SAGAW_SHIFT;     /* 48-bit, 4-level second stage */
    cap |= (uint64_t)(cfg->haw - 1) << VTD_CAP_MGAW_SHIFT;
    cap |= 0x20ull << VTD_CAP_FRO_SHIFT;          /* fault recording at 0x200 */
    cap |= VTD_CAP_PSI | VTD_CAP_DWD | VTD_CAP_DRD | VTD_CAP_FS1GP;
    cap |= (uint64_t)VTD_INV_AM_MAX << VTD_CAP_MAMV_SHIFT;
    if (cfg->fs_5level)
        cap |= VTD_CAP_FS5LP;
    return cap;
}

static uint64_t vtd_ecap_value(const struct vtd_config *cfg)
{
    uint64_t ecap = VTD_ECAP_QI | VTD_ECAP_PT | VTD_ECAP_PASID | VTD_ECAP_SMTS | VTD_ECAP_FSTS;
    ecap |= 0x10ull << VTD_ECAP_IRO_SHIFT;        /* IOTLB registers at 0x100 */
    ecap |= (uint64_t)(cfg->pasid_bits - 1) << VTD_ECAP_PSS_SHIFT;
    return ecap;
}

static void vtd_regs_power_on(struct vtd *s)
{
    memset(s->regs, 0, sizeof s->regs);
    vtd_reg_set32(s, VTD_REG_VER, 0x10);
    vtd_reg_set64(s, VTD_REG_CAP, vtd_cap_value(&s->cfg));
    vtd_reg_set64(s, VTD_REG_ECAP, vtd_ecap_value(&s->cfg));
    /* Both event interrupts come out of reset masked (IM is 1 on reset). */
    vtd_reg_set32(s, VTD_REG_FECTL, (uint32_t)VTD_FECTL_IM);
    vtd_reg_set32(s, VTD_REG_IECTL, (uint32_t)VTD_IECTL_IM);
    s->root_latched = 0;
    s->iq_base = 0;
    s->iq_size = VTD_PAGE_SIZE;
    s->iq_dw = false;
}

static bool vtd_config_ok(const struct vtd_config *cfg)
{
    const struct vtd_host_ops *h = cfg->host;
    if (cfg->pasid_bits < 1 || cfg->pasid_bits > 20)
        return false;
    if (cfg->haw < 39 || cfg->haw > 52)
        return false;
    if (!cfg->dma_read || !cfg->dma_write || !h)
        return false;
    return h->alloc_s1_hwpt && h->attach && h->detach && h->free_hwpt && h->invalidate_cache;
}

void *vtd_zalloc(const struct vtd_config *cfg, size_t size)
{
    if (cfg->mem_fail && cfg->mem_fail(cfg->mem_opaque))
        return NULL;
    return calloc(1, size);
}

struct vtd *vtd_create(const struct vtd_config *cfg)
{
    if (!cfg || !vtd_config_ok(cfg))
        return NULL;
    struct vtd *s = vtd_zalloc(cfg, sizeof *s);
    if (!s)
        return NULL;
    s->cfg = *cfg;
    vtd_regs_power_on(s);
    return s;
}

void vtd_destroy(struct vtd *s)
{
    if (!s)
        return;
    for (unsigned i = 0; i < VTD_MAX_DEVICES; i++) {
        struct vtd_pce *e = s->devs[i].cache;
        while (e) {
            struct vtd_pce *next = e->next;
            free(e);
            e = next;
        }
    }
    free(s);
}

void vtd_reset(struct vtd *s)
{
    vtd_regs_power_on(s);
    /* Untranslated now: a global sync drops every binding and puts PASID 0
     * of each device back on its parent. */
    vtd_pasid_sync_all(s);
}

/* ---- side effects ---- */

/*
 * One GCMD write is one state transition: the root pointer, the queue and
 * TE all take their new values first, then a single global sync runs if the
 * root was set or TE changed. Syncing between the steps would bind PASIDs
 * under a mix of old and new state that the guest never asked for.
 */
static void vtd_gcmd_write(struct vtd *s, uint64_t old, uint64_t incoming, uint64_t written)
{
    (void)old;
    (void)written;
    uint32_t sts = vtd_reg_get32(s, VTD_REG_GSTS);
    bool resync = false;

    if (incoming & VTD_GCMD_SRTP) {
        s->root_latched = vtd_reg_get64(s, VTD_REG_RTADDR);
        sts |= (uint32_t)VTD_GSTS_RTPS;
        resync = true;
    }

    bool qie = (incoming & VTD_GCMD_QIE) != 0;
    bool qies = (sts & VTD_GSTS_QIES) != 0;
    if (qie && !qies) {
        vtd_iq_latch(s);
        vtd_reg_set64(s, VTD_REG_IQH, 0);
        sts |= (uint32_t)VTD_GSTS_QIES;
    } else if (!qie && qies) {
        /* Turning the queue off with work pending is a guest error; the
         * queue stays on rather than losing descriptors. */
        if (vtd_reg_get64(s, VTD_REG_IQH) == vtd_reg_get64(s, VTD_REG_IQT)) {
            sts &= ~(uint32_t)VTD_GSTS_QIES;
            /* The head is 0 whenever the queue is off. */
            vtd_reg_set64(s, VTD_REG_IQH, 0);
        }
    }

    bool te = (incoming & VTD_GCMD_TE) != 0;
    if (te != ((sts & VTD_GSTS_TES) != 0)) {
        sts = te ? sts | (uint32_t)VTD_GSTS_TES : sts & ~(uint32_t)VTD_GSTS_TES;
        resync = true;
    }
    vtd_reg_set32(s, VTD_REG_GSTS, sts);
    if (resync)
        vtd_pasid_sync_all(s);
}

static void vtd_ccmd_write(struct vtd *s, uint64_t old, uint64_t incoming, uint64_t written)
{
    if (vtd_reg_get32(s, VTD_REG_GSTS) & VTD_GSTS_QIES) {
        /* Register-based invalidation is not allowed with QI on: the
         * write is dropped whole. */
        vtd_reg_set64(s, VTD_REG_CCMD, old);
        return;
    }
    if (!(written & VTD_CCMD_ICC) || !(incoming & VTD_CCMD_ICC))
        return;
    uint64_t ccmd = vtd_reg_get64(s, VTD_REG_CCMD);
    ccmd &= ~VTD_CCMD_ICC;
    unsigned cirg = (unsigned)VTD_FIELD(ccmd, 62, 61);
    ccmd &= ~VTD_MASK(60, 59);
    ccmd |= (uint64_t)cirg << VTD_CCMD_CAIG_SHIFT;
    vtd_reg_set64(s, VTD_REG_CCMD, ccmd);
    if (cirg == VTD_CC_G_GLOBAL || cirg == VTD_CC_G_DOMAIN)
        vtd_pasid_sync_all(s);
}

static void vtd_iqt_write(struct vtd *s, uint64_t old, uint64_t incoming, uint64_t written)
{
    (void)old;
    (void)incoming;
    /* Only a write of the low half moves the tail. */
    if (written & 0xff)
        vtd_iq_process(s);
}

static void vtd_ics_write(struct vtd *s, uint64_t old, uint64_t incoming, uint64_t written)
{
    (void)old;
    (void)incoming;
    (void)written;
    if (!(vtd_reg_get32(s, VTD_REG_ICS) & VTD_ICS_IWC)) {
        uint32_t iectl = vtd_reg_get32(s, VTD_REG_IECTL);
        vtd_reg_set32(s, VTD_REG_IECTL, iectl & ~(uint32_t)VTD_IECTL_IP);
    }
}

static void vtd_iectl_write(struct vtd *s, uint64_t old, uint64_t incoming, uint64_t written)
{
    (void)old;
    (void)incoming;
    (void)written;
    uint32_t iectl = vtd_reg_get32(s, VTD_REG_IECTL);
    /* Unmasking delivers the pending interrupt. */
    if (!(iectl & VTD_IECTL_IM))
        vtd_reg_set32(s, VTD_REG_IECTL, iectl & ~(uint32_t)VTD_IECTL_IP);
}

/* Clearing the last fault status services the pending fault event. */
static void vtd_fsts_write(struct vtd *s, uint64_t old, uint64_t incoming, uint64_t written)
{
    (void)old;
    (void)incoming;
    (void)written;
    if (!(vtd_reg_get32(s, VTD_REG_FSTS) & VTD_FSTS_EVENTS)) {
        uint32_t fectl = vtd_reg_get32(s, VTD_REG_FECTL);
        vtd_reg_set32(s, VTD_REG_FECTL, fectl & ~(uint32_t)VTD_FECTL_IP);
    }
}

static void vtd_fectl_write(struct vtd *s, uint64_t old, uint64_t incoming, uint64_t written)
{
    (void)old;
    (void)incoming;
    (void)written;
    uint32_t fectl = vtd_reg_get32(s, VTD_REG_FECTL);
    /* Unmasking delivers the pending event. */
    if (!(fectl & VTD_FECTL_IM))
        vtd_reg_set32(s, VTD_REG_FECTL, fectl & ~(uint32_t)VTD_FECTL_IP);
}

/* ---- MMIO ---- */

static bool vtd_access_ok(uint64_t offset, unsigned size)
{
    return (size == 4 || size == 8) && offset % size == 0 && offset <= VTD_MMIO_SIZE - size;
}

uint64_t vtd_mmio_read(struct vtd *s, uint64_t offset, unsigned size)
{
    if (!vtd_access_ok(offset, size))
        return 0;
    unsigned off = (unsigned)offset;
    return size == 8 ? vtd_reg_get64(s, off) : vtd_reg_get32(s, off);
}

/* Bytes [0, n) of a qword, for n in 1..8. */
static uint64_t vtd_byte_mask(uint64_t n)
{
    return n >= 8 ? ~0ull : (1ull << (8 * n)) - 1;
}

/* Applies the part of an access [offset, offset + size) that falls inside
 * register r. */
static void vtd_reg_store(struct vtd *s, const struct vtd_reg_desc *r, uint64_t offset,
                          uint64_t value, unsigned size)
{
    uint64_t lo = offset > r->off ? offset : r->off;
    uint64_t hi = offset + size < r->off + r->size ? offset + size : r->off + r->size;
    if (lo >= hi)
        return;
    /* Both shifts are below 64: lo lies in the access and in r, each at
     * most 8 bytes wide. */
    unsigned reg_shift = 8 * (unsigned)(lo - r->off);
    unsigned val_shift = 8 * (unsigned)(lo - offset);
    uint64_t bytes = vtd_byte_mask(hi - lo);
    uint64_t written = bytes << reg_shift;
    uint64_t incoming = ((value >> val_shift) & bytes) << reg_shift;
    uint64_t old = vtd_reg_get(s, r);
    uint64_t rw = r->rw & written;
    uint64_t v = (old & ~rw) | (incoming & rw);
    v &= ~(incoming & r->w1c & written);
    vtd_reg_set(s, r, v);
    if (r->on_write)
        r->on_write(s, old, incoming, written);
}

/* Index of the first register of vtd_regs (in offset order) that ends past
 * offset, or the table's size. */
static size_t vtd_reg_first_after(uint64_t offset)
{
    size_t lo = 0, hi = sizeof vtd_regs / sizeof vtd_regs[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (vtd_regs[mid].off + vtd_regs[mid].size > offset)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

void vtd_mmio_write(struct vtd *s, uint64_t offset, uint64_t value, unsigned size)
{
    if (!vtd_access_ok(offset, size))
        return;
    /* The registers an access can touch are the ones from the first that
     * ends past it to the last that starts before its end. */
    for (size_t i = vtd_reg_first_after(offset); i < sizeof vtd_regs / sizeof vtd_regs[0];
         i++) {
        const struct vtd_reg_desc *r = &vtd_regs[i];
        if (r->off >= offset + size)
            break;
        vtd_reg_store(s, r, offset, value, size);
    }
}

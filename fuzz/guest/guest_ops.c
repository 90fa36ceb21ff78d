/*
 * The op handlers: one per op kind, in a dispatch table. Operands are raw;
 * each handler maps them onto the per-input pools (device index, PASID, DID,
 * page-table address) so random bytes keep landing on the same objects.
 */
#include <string.h>

#include "guest_driver_internal.h"
#include "vocab.h"
#include "vtd_spec.h"

/* ---- pools and the page allocator ---- */

static unsigned pf_dev_of(const struct pf_world *w, uint64_t raw)
{
    return (unsigned)(raw % w->ndev);
}

static uint32_t pf_pasid_of(const struct pf_world *w, uint64_t raw)
{
    return pf_header_pasid(&w->hdr, (unsigned)(raw & 0xff));
}

static uint16_t pf_did_of(const struct pf_world *w, uint64_t raw)
{
    return pf_header_did(&w->hdr, (unsigned)(raw & 0xff));
}

/* Address space only: a page becomes memory when first written. 0 when the
 * guest is out of space. */
static uint64_t pf_alloc_pages(struct pf_world *w, unsigned pages)
{
    uint64_t need = (uint64_t)pages * VTD_PAGE_SIZE;
    if (w->next_page + need > PF_GPA_ALLOC_END)
        return 0;
    uint64_t p = w->next_page;
    w->next_page += need;
    return p;
}

static bool pf_upper_devfn(uint16_t sid)
{
    return (sid & 0xff) >= 128;
}

static uint64_t pf_root_qword_addr(uint16_t sid)
{
    return PF_GPA_ROOT + (uint64_t)(sid >> 8) * VTD_ROOT_ENTRY_BYTES + (pf_upper_devfn(sid) ? 8 : 0);
}

/* The context table page of a device's bus half, with its root entry. */
static uint64_t pf_ensure_ctx_table(struct pf_world *w, unsigned dev)
{
    uint16_t sid = w->devs[dev].sid;
    uint64_t *page = &w->ctx_page[sid >> 8][pf_upper_devfn(sid)];
    if (!*page) {
        *page = pf_alloc_pages(w, 1);
        if (*page) {
            /* At most one page per device: the list cannot overflow. */
            if (w->nctx_used < PF_MAX_DEVS)
                w->ctx_used[w->nctx_used++] = (uint16_t)((sid >> 8) << 1 | pf_upper_devfn(sid));
            pf_mem_write64(w, pf_root_qword_addr(sid), *page | VTD_ROOT_P);
        }
    }
    return *page;
}

static uint64_t pf_ctx_entry_addr(struct pf_world *w, unsigned dev)
{
    uint64_t page = pf_ensure_ctx_table(w, dev);
    return page ? page + (uint64_t)(w->devs[dev].sid & 0x7f) * VTD_CTX_ENTRY_BYTES : 0;
}

static uint64_t pf_ensure_dir(struct pf_world *w, unsigned dev)
{
    struct pf_guest_dev *d = &w->devs[dev];
    if (!d->dir)
        d->dir = pf_alloc_pages(w, PF_DIR_PAGES);
    return d->dir;
}

static void pf_write_ctx(struct pf_world *w, unsigned dev, uint64_t q0)
{
    uint64_t addr = pf_ctx_entry_addr(w, dev);
    if (!addr)
        return;
    const uint64_t ce[4] = {q0, 0, 0, 0};
    pf_mem_write_entry(w, addr, ce, 4);
    w->devs[dev].ctx_written = true;
}

/* A device the guest has not set up yet gets a present context entry with
 * the largest directory, so an entry written for any pool PASID is reachable. */
static uint64_t pf_ensure_context(struct pf_world *w, unsigned dev)
{
    uint64_t dir = pf_ensure_dir(w, dev);
    if (dir && !w->devs[dev].ctx_written)
        pf_write_ctx(w, dev, dir | VTD_CTX_P | (7ull << VTD_CTX_PDTS_SHIFT));
    return dir;
}

static struct pf_table *pf_find_table(struct pf_world *w, unsigned dev, uint32_t dir_idx)
{
    for (unsigned i = 0; i < w->ntables; i++)
        if (w->tables[i].dev == dev && w->tables[i].dir_idx == dir_idx)
            return &w->tables[i];
    return NULL;
}

/* The PASID table holding pasid, created (and linked from the directory)
 * on first use. 0 when out of space. */
static uint64_t pf_ensure_table(struct pf_world *w, unsigned dev, uint32_t pasid)
{
    uint64_t dir = pf_ensure_context(w, dev);
    struct pf_table *t = pf_find_table(w, dev, pasid >> 6);
    if (t)
        return t->page;
    if (!dir || w->ntables == PF_MAX_TABLES)
        return 0;
    uint64_t page = pf_alloc_pages(w, 1);
    if (!page)
        return 0;
    w->tables[w->ntables++] = (struct pf_table){dev, pasid >> 6, page};
    pf_mem_write64(w, dir + (uint64_t)(pasid >> 6) * VTD_PDIR_ENTRY_BYTES, page | VTD_PDIR_P);
    return page;
}

/* ---- table ops ---- */

static void op_pasid_entry(struct pf_world *w, const uint64_t *f)
{
    unsigned dev = pf_dev_of(w, f[0]);
    uint32_t pasid = pf_pasid_of(w, f[1]);
    uint64_t flags = f[2];
    uint64_t table = pf_ensure_table(w, dev, pasid);
    if (!table)
        return;
    uint64_t pe[VTD_PE_QWORDS] = {0};
    pe[0] = ((flags & PF_PE_F_P) ? VTD_PE_P : 0) | ((flags & PF_PE_F_FPD) ? VTD_PE_FPD : 0) |
            (f[5] & 7) << 2 | (f[3] & 7) << VTD_PE_PGTT_SHIFT;
    pe[1] = pf_did_of(w, f[4]);
    pe[2] = pf_header_fspt(&w->hdr, (unsigned)f[7]) | (f[6] & 3) << VTD_PE_FSPM_SHIFT |
            ((flags & PF_PE_F_SRE) ? VTD_PE_SRE : 0) | ((flags & PF_PE_F_WPE) ? VTD_PE_WPE : 0) |
            ((flags & PF_PE_F_EAFE) ? VTD_PE_EAFE : 0);
    uint64_t addr = table + (uint64_t)(pasid & 63) * VTD_PE_BYTES;
    pf_trace(w, "guest: pasid entry slot %u pasid %u at 0x%llx q0=0x%llx did=%llu q2=0x%llx",
             dev, pasid, (unsigned long long)addr, (unsigned long long)pe[0],
             (unsigned long long)pe[1], (unsigned long long)pe[2]);
    pf_mem_write_entry(w, addr, pe, VTD_PE_QWORDS);
}

static void op_pasid_clear(struct pf_world *w, const uint64_t *f)
{
    unsigned dev = pf_dev_of(w, f[0]);
    uint32_t pasid = pf_pasid_of(w, f[1]);
    uint64_t table = pf_ensure_table(w, dev, pasid);
    if (!table)
        return;
    uint64_t addr = table + (uint64_t)(pasid & 63) * VTD_PE_BYTES;
    pf_trace(w, "guest: clear pasid entry slot %u pasid %u", dev, pasid);
    const uint64_t zero[VTD_PE_QWORDS] = {0};
    pf_mem_write_entry(w, addr, zero, VTD_PE_QWORDS);
}

static void op_dir_entry(struct pf_world *w, const uint64_t *f)
{
    unsigned dev = pf_dev_of(w, f[0]);
    uint32_t pasid = pf_pasid_of(w, f[1]);
    uint64_t flags = f[2];
    uint64_t dir = pf_ensure_context(w, dev);
    uint64_t table = pf_ensure_table(w, dev, pasid);
    if (!dir || !table)
        return;
    if (flags & PF_DIR_F_NEW_TABLE) {
        /* A fresh, empty table: every cached PASID of the chunk is gone. */
        uint64_t page = pf_alloc_pages(w, 1);
        if (page) {
            pf_find_table(w, dev, pasid >> 6)->page = page;
            table = page;
        }
    }
    uint64_t de = table | ((flags & PF_DIR_F_P) ? VTD_PDIR_P : 0) |
                  ((flags & PF_DIR_F_FPD) ? VTD_PDIR_FPD : 0) |
                  ((flags & PF_DIR_F_RSVD) ? VTD_BIT(2) : 0);
    pf_trace(w, "guest: dir entry slot %u index %u = 0x%llx", dev, pasid >> 6,
             (unsigned long long)de);
    pf_mem_write64(w, dir + (uint64_t)(pasid >> 6) * VTD_PDIR_ENTRY_BYTES, de);
}

static void op_ctx_entry(struct pf_world *w, const uint64_t *f)
{
    unsigned dev = pf_dev_of(w, f[0]);
    uint64_t flags = f[1];
    if (flags & PF_CTX_F_NEW_DIR)
        w->devs[dev].dir = 0;
    uint64_t dir = pf_ensure_dir(w, dev);
    uint64_t ctp = pf_ensure_ctx_table(w, dev);
    if (!dir || !ctp)
        return;
    if (flags & PF_CTX_F_NEW_DIR) {
        /* The old directory's tables are unreachable now. */
        for (unsigned i = 0; i < w->ntables; i++)
            if (w->tables[i].dev == dev)
                w->tables[i] = w->tables[--w->ntables], i--;
    }
    uint64_t q0 = dir | ((flags & PF_CTX_F_P) ? VTD_CTX_P : 0) |
                  ((flags & PF_CTX_F_FPD) ? VTD_CTX_FPD : 0) |
                  ((flags & PF_CTX_F_PRE) ? VTD_CTX_PRE : 0) |
                  ((flags & PF_CTX_F_RSVD) ? VTD_BIT(5) : 0) | (f[2] & 7) << VTD_CTX_PDTS_SHIFT;
    uint16_t sid = w->devs[dev].sid;
    pf_trace(w, "guest: context entry slot %u sid 0x%04x q0=0x%llx%s", dev, sid,
             (unsigned long long)q0, (flags & PF_CTX_F_ROOT_NP) ? " (root entry not present)" : "");
    pf_mem_write64(w, pf_root_qword_addr(sid), ctp | ((flags & PF_CTX_F_ROOT_NP) ? 0 : VTD_ROOT_P));
    pf_write_ctx(w, dev, q0);
}

static void op_mem_write(struct pf_world *w, const uint64_t *f)
{
    unsigned dev = pf_dev_of(w, f[1]);
    uint64_t off = (f[3] * 8) % VTD_PAGE_SIZE, base = 0;
    switch (f[0] % PF_REGION_COUNT) {
    case PF_REGION_ROOT:
        base = PF_GPA_ROOT;
        break;
    case PF_REGION_CTX:
        base = pf_ensure_ctx_table(w, dev);
        break;
    case PF_REGION_DIR:
        base = pf_ensure_dir(w, dev);
        off = (f[3] * 8) % ((uint64_t)PF_DIR_PAGES * VTD_PAGE_SIZE);
        break;
    case PF_REGION_TABLE:
        base = pf_ensure_table(w, dev, pf_pasid_of(w, f[2]));
        break;
    case PF_REGION_QUEUE:
        base = w->iq_iqa & VTD_IQA_BASE_MASK;
        break;
    default:
        base = PF_GPA_STATUS;
        break;
    }
    if (!base && f[0] % PF_REGION_COUNT != PF_REGION_QUEUE)
        return;
    pf_trace(w, "guest: mem write 0x%llx = 0x%llx", (unsigned long long)(base + off),
             (unsigned long long)f[4]);
    pf_mem_write64(w, base + off, f[4]);
}

/* ---- descriptor ops ---- */

static uint64_t pf_desc_q0(unsigned type, uint64_t g, uint16_t did)
{
    return (uint64_t)(type & 0xf) | ((uint64_t)(type >> 4) << 9) | (g & 3) << 4 |
           (uint64_t)did << 16;
}

static void op_q_pasid_cache(struct pf_world *w, const uint64_t *f)
{
    uint64_t q[4] = {pf_desc_q0(VTD_DESC_PASID_CACHE, f[0], pf_did_of(w, f[1])) |
                     (uint64_t)pf_pasid_of(w, f[2]) << 32, 0, 0, 0};
    pf_queue_desc(w, q);
}

static uint64_t pf_inv_addr(uint64_t page, uint64_t am, uint64_t ih)
{
    return (page << 12 & VTD_INV_ADDR_MASK) | (ih & 1) << 6 | (am & 0x3f);
}

static void op_q_pasid_iotlb(struct pf_world *w, const uint64_t *f)
{
    uint64_t q[4] = {pf_desc_q0(VTD_DESC_PASID_IOTLB, f[0], pf_did_of(w, f[1])) |
                     (uint64_t)pf_pasid_of(w, f[2]) << 32, pf_inv_addr(f[3], f[4], f[5]), 0, 0};
    pf_queue_desc(w, q);
}

static void op_q_context_cache(struct pf_world *w, const uint64_t *f)
{
    uint16_t sid = w->devs[pf_dev_of(w, f[2])].sid;
    uint64_t q[4] = {pf_desc_q0(VTD_DESC_CONTEXT_CACHE, f[0], pf_did_of(w, f[1])) |
                     (uint64_t)sid << 32 | (f[3] & 3) << 48, 0, 0, 0};
    pf_queue_desc(w, q);
}

static void op_q_iotlb(struct pf_world *w, const uint64_t *f)
{
    uint64_t q[4] = {pf_desc_q0(VTD_DESC_IOTLB, f[0], pf_did_of(w, f[1])) | (f[5] & 3) << 6,
                     pf_inv_addr(f[2], f[3], f[4]), 0, 0};
    pf_queue_desc(w, q);
}

static void pf_queue_wait(struct pf_world *w, uint64_t flags, uint32_t data)
{
    uint64_t q0 = VTD_DESC_WAIT | (uint64_t)data << 32;
    q0 |= (flags & PF_WAIT_F_IF) ? VTD_WAIT_IF : 0;
    q0 |= (flags & PF_WAIT_F_SW) ? VTD_WAIT_SW : 0;
    q0 |= (flags & PF_WAIT_F_FN) ? VTD_WAIT_FN : 0;
    q0 |= (flags & PF_WAIT_F_PD) ? VTD_WAIT_PD : 0;
    uint64_t q[4] = {q0, PF_GPA_STATUS + (uint64_t)(data & 0x1ff) * 8, 0, 0};
    pf_queue_desc(w, q);
}

static void op_q_wait(struct pf_world *w, const uint64_t *f)
{
    pf_queue_wait(w, f[0], (uint32_t)f[1]);
}

static void op_q_other(struct pf_world *w, const uint64_t *f)
{
    static const struct {
        unsigned type;
        uint64_t rsvd0, rsvd1;
    } kinds[] = {
        [PF_OTHER_DEV_TLB] = {VTD_DESC_DEVICE_TLB, VTD_DEVTLB_RSVD_Q0, VTD_DEVTLB_RSVD_Q1},
        [PF_OTHER_IEC] = {VTD_DESC_IEC, VTD_IEC_RSVD_Q0, ~0ull},
        [PF_OTHER_PASID_DEV_TLB] = {VTD_DESC_PASID_DEVICE_TLB, VTD_PDEVTLB_RSVD_Q0,
                                    VTD_PDEVTLB_RSVD_Q1},
        [PF_OTHER_PAGE_GROUP_RESP] = {VTD_DESC_PAGE_GROUP_RESP, VTD_PGRP_RSVD_Q0, VTD_PGRP_RSVD_Q1},
    };
    unsigned k = (unsigned)(f[0] % PF_OTHER_COUNT);
    uint64_t keep0 = ~(VTD_DESC_TYPE_LO_MASK | VTD_DESC_TYPE_HI_MASK), keep1 = ~0ull;
    if (!(f[3] & 1)) {
        /* Well-formed unless asked otherwise: reserved bits cleared. */
        keep0 &= ~kinds[k].rsvd0;
        keep1 &= ~kinds[k].rsvd1;
    }
    uint64_t q[4] = {kinds[k].type | (f[1] & keep0), f[2] & keep1, 0, 0};
    pf_queue_desc(w, q);
}

static void op_q_raw(struct pf_world *w, const uint64_t *f)
{
    uint64_t q[4] = {f[0], f[1], f[2], f[3]};
    pf_queue_desc(w, q);
}

static void op_ring(struct pf_world *w, const uint64_t *f)
{
    (void)f;
    pf_mmio_write(w, VTD_REG_IQT, w->sw_tail, 8);
}

static void op_sync(struct pf_world *w, const uint64_t *f)
{
    (void)f;
    pf_queue_wait(w, (pf_sync_wait_if(w) ? PF_WAIT_F_IF : 0) | PF_WAIT_F_SW, ++w->wait_seq);
    pf_mmio_write(w, VTD_REG_IQT, w->sw_tail, 8);
}

/* ---- register and device ops ---- */

static void op_mmio(struct pf_world *w, const uint64_t *f)
{
    uint16_t off = pf_op_regs[f[0] % pf_op_nregs].off;
    pf_mmio_write(w, off, f[2], (f[1] & 1) ? 8 : 4);
}

static void op_gcmd(struct pf_world *w, const uint64_t *f)
{
    switch (f[0] % PF_GCMD_COUNT) {
    case PF_GCMD_TE_ON:
        pf_gcmd(w, (uint32_t)VTD_GCMD_TE, 0);
        break;
    case PF_GCMD_TE_OFF:
        pf_gcmd(w, 0, (uint32_t)VTD_GCMD_TE);
        break;
    case PF_GCMD_SRTP:
        pf_gcmd(w, (uint32_t)VTD_GCMD_SRTP, 0);
        break;
    case PF_GCMD_QIE_ON:
        pf_gcmd(w, (uint32_t)VTD_GCMD_QIE, 0);
        break;
    case PF_GCMD_QIE_OFF:
        pf_gcmd(w, 0, (uint32_t)VTD_GCMD_QIE);
        break;
    case PF_GCMD_ROOT_LEGACY:
        pf_mmio_write(w, VTD_REG_RTADDR, PF_GPA_ROOT, 8);
        pf_gcmd(w, (uint32_t)VTD_GCMD_SRTP, 0);
        break;
    default:
        pf_mmio_write(w, VTD_REG_RTADDR, PF_GPA_ROOT | VTD_RTADDR_SMT, 8);
        pf_gcmd(w, (uint32_t)VTD_GCMD_SRTP, 0);
        break;
    }
}

static void op_plug(struct pf_world *w, const uint64_t *f)
{
    pf_plug(w, pf_dev_of(w, f[0]));
}

static void op_unplug(struct pf_world *w, const uint64_t *f)
{
    pf_unplug(w, pf_dev_of(w, f[0]));
}

static void op_reset(struct pf_world *w, const uint64_t *f)
{
    (void)f;
    pf_reset(w);
}

static void op_fail(struct pf_world *w, const uint64_t *f)
{
    /* Free is not injectable: iommufd cannot fail to destroy an object
     * nobody references, and the model relies on that. */
    static const enum hb_call calls[PF_FAIL_COUNT] = {
        [PF_FAIL_ALLOC] = HB_CALL_ALLOC,
        [PF_FAIL_ATTACH] = HB_CALL_ATTACH,
        [PF_FAIL_DETACH] = HB_CALL_DETACH,
        [PF_FAIL_INVALIDATE] = HB_CALL_INVALIDATE,
        [PF_FAIL_MEMORY] = HB_CALL_MEM,
    };
    enum hb_call c = calls[f[0] % PF_FAIL_COUNT];
    unsigned nth = 1 + (unsigned)(f[1] % 8);
    pf_trace(w, "fault: fail %s call #%u from now", hb_call_name(c), nth);
    host_backend_fail_nth(w->hb, c, nth);
}

typedef void (*pf_op_fn)(struct pf_world *w, const uint64_t *f);

static const pf_op_fn pf_op_handlers[PF_OP_COUNT] = {
    [PF_OP_PASID_ENTRY] = op_pasid_entry,
    [PF_OP_PASID_CLEAR] = op_pasid_clear,
    [PF_OP_DIR_ENTRY] = op_dir_entry,
    [PF_OP_CTX_ENTRY] = op_ctx_entry,
    [PF_OP_MEM_WRITE] = op_mem_write,
    [PF_OP_Q_PASID_CACHE] = op_q_pasid_cache,
    [PF_OP_Q_PASID_IOTLB] = op_q_pasid_iotlb,
    [PF_OP_Q_CONTEXT_CACHE] = op_q_context_cache,
    [PF_OP_Q_IOTLB] = op_q_iotlb,
    [PF_OP_Q_WAIT] = op_q_wait,
    [PF_OP_Q_OTHER] = op_q_other,
    [PF_OP_Q_RAW] = op_q_raw,
    [PF_OP_RING] = op_ring,
    [PF_OP_MMIO] = op_mmio,
    [PF_OP_GCMD] = op_gcmd,
    [PF_OP_PLUG] = op_plug,
    [PF_OP_UNPLUG] = op_unplug,
    [PF_OP_RESET] = op_reset,
    [PF_OP_FAIL] = op_fail,
    [PF_OP_SYNC] = op_sync,
};

void pf_exec_op(struct pf_world *w, const struct pf_op *op)
{
    enum pf_opcode kind = pf_op_kind(op);
    pf_trace(w, "op: %s", pf_op_spec(kind)->name);
    pf_op_handlers[kind](w, op->f);
}

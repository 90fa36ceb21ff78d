#include "model_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "iq_check.h"

/* Enough for every table page a test writes, with room to spare. */
#define FX_MAX_PAGES 4096u

struct fx *fx_new_haw(uint8_t pasid_bits, uint8_t haw, bool fs_5level)
{
    struct fx *f = calloc(1, sizeof *f);
    if (!f)
        abort();
    f->mem = guest_mem_new(FX_ADDR_WIDTH, FX_MAX_PAGES);
    f->hb = host_backend_new(f->mem, pasid_bits, fs_5level);
    if (!f->mem || !f->hb) {
        fprintf(stderr, "fixture: cannot create guest memory or backend\n");
        abort();
    }
    f->cfg = (struct vtd_config){
        .pasid_bits = pasid_bits,
        .haw = haw,
        .fs_5level = fs_5level,
        .dma_read = guest_mem_read,
        .dma_write = guest_mem_write,
        .dma_opaque = f->mem,
        .host = host_backend_ops(),
        .host_opaque = f->hb,
        .mem_fail = host_backend_mem_fail,
        .mem_opaque = f->hb,
    };
    f->vtd = vtd_create(&f->cfg);
    if (!f->vtd) {
        fprintf(stderr, "fixture: vtd_create refused pasid_bits=%u haw=%u\n", pasid_bits, haw);
        abort();
    }
    return f;
}

struct fx *fx_new(uint8_t pasid_bits, bool fs_5level)
{
    return fx_new_haw(pasid_bits, 48, fs_5level);
}

void fx_free(struct fx *f)
{
    for (unsigned i = 0; i < VTD_MAX_DEVICES; i++) {
        if (f->devs[i].used)
            CHECK_EQ_U64(fx_unplug(f, f->devs[i].sid), 0);
    }
    vtd_destroy(f->vtd);
    host_backend_free(f->hb);
    guest_mem_free(f->mem);
    free(f);
}

void fx_check(struct fx *f)
{
    host_backend_check(f->hb, f->vtd);
}

/* ---- MMIO ---- */

uint64_t fx_rd(struct fx *f, uint64_t off, unsigned size)
{
    return vtd_mmio_read(f->vtd, off, size);
}

void fx_wr(struct fx *f, uint64_t off, uint64_t v, unsigned size)
{
    vtd_mmio_write(f->vtd, off, v, size);
    fx_check(f);
}

uint32_t fx_gsts(struct fx *f)
{
    return (uint32_t)fx_rd(f, VTD_REG_GSTS, 4);
}

bool fx_iqe(struct fx *f)
{
    return (fx_rd(f, VTD_REG_FSTS, 4) & VTD_FSTS_IQE) != 0;
}

uint64_t fx_iqh(struct fx *f)
{
    return fx_rd(f, VTD_REG_IQH, 8);
}

void fx_clear_iqe(struct fx *f)
{
    fx_wr(f, VTD_REG_FSTS, VTD_FSTS_IQE, 4);
}

static uint32_t fx_persistent(struct fx *f)
{
    return fx_gsts(f) & (uint32_t)(VTD_GSTS_TES | VTD_GSTS_QIES);
}

void fx_srtp(struct fx *f, uint64_t rtaddr)
{
    fx_wr(f, VTD_REG_RTADDR, rtaddr, 8);
    host_backend_set_root(f->hb, rtaddr & ~0x3ffull);
    fx_wr(f, VTD_REG_GCMD, fx_persistent(f) | (uint32_t)VTD_GCMD_SRTP, 4);
}

void fx_te(struct fx *f, bool on)
{
    host_backend_set_te(f->hb, on);
    uint32_t v = (fx_gsts(f) & (uint32_t)VTD_GSTS_QIES) | (on ? (uint32_t)VTD_GCMD_TE : 0u);
    fx_wr(f, VTD_REG_GCMD, v, 4);
}

void fx_qi_enable_at(struct fx *f, uint64_t base, bool dw, unsigned qs)
{
    if (fx_gsts(f) & VTD_GSTS_QIES)
        CHECK(fx_qi_disable(f));
    fx_wr(f, VTD_REG_IQT, 0, 8);
    uint64_t iqa = (base & VTD_IQA_BASE_MASK) | (dw ? VTD_IQA_DW : 0) | (qs & VTD_IQA_QS_MASK);
    fx_wr(f, VTD_REG_IQA, iqa, 8);
    uint32_t v = (fx_gsts(f) & (uint32_t)VTD_GSTS_TES) | (uint32_t)VTD_GCMD_QIE;
    fx_wr(f, VTD_REG_GCMD, v, 4);
    f->iqa_latched = iqa;
    f->iq_base = base & VTD_IQA_BASE_MASK;
    f->iq_size = VTD_PAGE_SIZE << (qs & VTD_IQA_QS_MASK);
    f->dw = dw;
    f->tail = 0;
    CHECK(fx_gsts(f) & VTD_GSTS_QIES);
    CHECK_EQ_U64(fx_iqh(f), 0);
}

void fx_qi_enable(struct fx *f, bool dw, unsigned qs)
{
    fx_qi_enable_at(f, FX_IQ_BASE, dw, qs);
}

bool fx_qi_disable(struct fx *f)
{
    fx_wr(f, VTD_REG_GCMD, fx_gsts(f) & (uint32_t)VTD_GSTS_TES, 4);
    return (fx_gsts(f) & VTD_GSTS_QIES) == 0;
}

void fx_translated(struct fx *f)
{
    fx_qi_enable(f, true, 0);
    fx_srtp(f, FX_RTADDR_SM);
    fx_te(f, true);
    CHECK_EQ_U64(fx_gsts(f) & (VTD_GSTS_TES | VTD_GSTS_QIES | VTD_GSTS_RTPS),
                 VTD_GSTS_TES | VTD_GSTS_QIES | VTD_GSTS_RTPS);
}

void fx_reset(struct fx *f)
{
    host_backend_set_te(f->hb, false);
    host_backend_set_root(f->hb, 0);
    vtd_reset(f->vtd);
    f->tail = 0;
    fx_check(f);
}

/* ---- devices ---- */

struct fx_dev *fx_dev(struct fx *f, uint16_t sid)
{
    for (unsigned i = 0; i < VTD_MAX_DEVICES; i++) {
        if (f->devs[i].used && f->devs[i].sid == sid)
            return &f->devs[i];
    }
    return NULL;
}

int fx_plug(struct fx *f, uint16_t sid, uint8_t max_pasid_log2)
{
    uint32_t dev = 0, parent = 0;
    int rc = host_backend_plug(f->hb, sid, max_pasid_log2, &dev, &parent);
    CHECK_EQ_U64(rc, 0);
    if (rc)
        return rc;
    rc = vtd_plug(f->vtd, sid, max_pasid_log2, dev, parent);
    if (rc) {
        host_backend_unplug(f->hb, dev);
        return rc;
    }
    for (unsigned i = 0; i < VTD_MAX_DEVICES; i++) {
        if (!f->devs[i].used) {
            f->devs[i] = (struct fx_dev){true, sid, max_pasid_log2, dev, parent};
            break;
        }
    }
    fx_check(f);
    return 0;
}

int fx_unplug(struct fx *f, uint16_t sid)
{
    struct fx_dev *d = fx_dev(f, sid);
    int rc = vtd_unplug(f->vtd, sid);
    if (rc == 0 && d) {
        CHECK_EQ_U64(host_backend_unplug(f->hb, d->dev), 0);
        d->used = false;
    }
    fx_check(f);
    return rc;
}

uint32_t fx_hdev(struct fx *f, uint16_t sid)
{
    struct fx_dev *d = fx_dev(f, sid);
    return d ? d->dev : 0;
}

uint32_t fx_parent(struct fx *f, uint16_t sid)
{
    struct fx_dev *d = fx_dev(f, sid);
    return d ? d->parent : 0;
}

uint32_t fx_attached(struct fx *f, uint16_t sid, uint32_t pasid)
{
    struct fx_dev *d = fx_dev(f, sid);
    return d ? host_backend_attached(f->hb, d->dev, pasid) : 0;
}

/* ---- guest tables ---- */

uint64_t fx_ctx_table(uint16_t sid)
{
    unsigned bus = sid >> 8, devfn = sid & 0xff;
    return FX_CTX_BASE + (uint64_t)bus * 0x2000 + (devfn >= 128 ? 0x1000 : 0);
}

uint64_t fx_ctx_addr(uint16_t sid)
{
    return fx_ctx_table(sid) + (uint64_t)(sid & 0x7f) * VTD_CTX_ENTRY_BYTES;
}

uint64_t fx_dir_addr(uint16_t sid)
{
    return FX_DIR_BASE + (uint64_t)sid * 0x20000;
}

uint64_t fx_ptbl_addr(uint16_t sid, uint32_t dir_index)
{
    return FX_PTBL_BASE + (uint64_t)sid * 0x4000000 + (uint64_t)dir_index * VTD_PAGE_SIZE;
}

uint64_t fx_pe_addr(uint16_t sid, uint32_t pasid)
{
    return fx_ptbl_addr(sid, pasid >> 6) + (uint64_t)(pasid & 63) * VTD_PE_BYTES;
}

void fx_w64(struct fx *f, uint64_t addr, uint64_t v)
{
    if (guest_mem_write_u64(f->mem, addr, v) != 0) {
        fprintf(stderr, "fixture: guest write at 0x%llx failed\n", (unsigned long long)addr);
        abort();
    }
}

uint64_t fx_r64(struct fx *f, uint64_t addr)
{
    uint64_t v = 0;
    if (guest_mem_read_u64(f->mem, addr, &v) != 0)
        return 0;
    return v;
}

void fx_write_root(struct fx *f, uint8_t bus, uint64_t lo, uint64_t hi)
{
    fx_w64(f, FX_ROOT + (uint64_t)bus * VTD_ROOT_ENTRY_BYTES, lo);
    fx_w64(f, FX_ROOT + (uint64_t)bus * VTD_ROOT_ENTRY_BYTES + 8, hi);
}

void fx_write_ctx(struct fx *f, uint16_t sid, uint64_t q0, uint64_t q1, uint64_t q2,
                  uint64_t q3)
{
    uint64_t a = fx_ctx_addr(sid);
    fx_w64(f, a, q0);
    fx_w64(f, a + 8, q1);
    fx_w64(f, a + 16, q2);
    fx_w64(f, a + 24, q3);
}

void fx_map_dev(struct fx *f, uint16_t sid, unsigned pdts)
{
    uint8_t bus = (uint8_t)(sid >> 8);
    uint64_t re = FX_ROOT + (uint64_t)bus * VTD_ROOT_ENTRY_BYTES;
    uint64_t lo = fx_r64(f, re), hi = fx_r64(f, re + 8);
    uint64_t ptr = fx_ctx_table(sid) | VTD_ROOT_P;
    if ((sid & 0xff) >= 128)
        hi = ptr;
    else
        lo = ptr;
    fx_write_root(f, bus, lo, hi);
    fx_write_ctx(f, sid, fx_dir_addr(sid) | ((uint64_t)pdts << VTD_CTX_PDTS_SHIFT) | VTD_CTX_P,
                 0, 0, 0);
}

void fx_write_dir(struct fx *f, uint16_t sid, uint32_t dir_index, uint64_t v)
{
    fx_w64(f, fx_dir_addr(sid) + (uint64_t)dir_index * VTD_PDIR_ENTRY_BYTES, v);
}

void fx_write_pe_raw(struct fx *f, uint16_t sid, uint32_t pasid, const uint64_t pe[8])
{
    uint64_t a = fx_pe_addr(sid, pasid);
    for (unsigned i = 0; i < VTD_PE_QWORDS; i++)
        fx_w64(f, a + 8 * i, pe[i]);
}

void fx_set_pe(struct fx *f, uint16_t sid, uint32_t pasid, const uint64_t pe[8])
{
    fx_write_pe_raw(f, sid, pasid, pe);
    fx_write_dir(f, sid, pasid >> 6, fx_ptbl_addr(sid, pasid >> 6) | VTD_PDIR_P);
}

void fx_clear_pe(struct fx *f, uint16_t sid, uint32_t pasid)
{
    static const uint64_t zero[8];
    fx_write_pe_raw(f, sid, pasid, zero);
}

void fx_pe_fs(uint64_t pe[8], uint16_t did, uint64_t pgtbl, unsigned fspm, uint32_t flags)
{
    memset(pe, 0, 8 * sizeof pe[0]);
    pe[0] = VTD_PE_P | ((uint64_t)VTD_PGTT_FIRST_STAGE << VTD_PE_PGTT_SHIFT);
    pe[1] = did;
    pe[2] = (pgtbl & VTD_PE_FSPTPTR_MASK) | ((uint64_t)(fspm & 3) << VTD_PE_FSPM_SHIFT) |
            ((flags & VTD_S1_FLAG_SRE) ? VTD_PE_SRE : 0) |
            ((flags & VTD_S1_FLAG_WPE) ? VTD_PE_WPE : 0) |
            ((flags & VTD_S1_FLAG_EAFE) ? VTD_PE_EAFE : 0);
}

void fx_pe_pt(uint64_t pe[8], uint16_t did)
{
    memset(pe, 0, 8 * sizeof pe[0]);
    pe[0] = VTD_PE_P | ((uint64_t)VTD_PGTT_PASS_THROUGH << VTD_PE_PGTT_SHIFT);
    pe[1] = did;
}

/* ---- invalidation queue ---- */

void fx_queue(struct fx *f, const uint64_t d[4])
{
    unsigned n = f->dw ? 4 : 2;
    for (unsigned i = 0; i < n; i++)
        fx_w64(f, f->iq_base + f->tail + 8 * i, d[i]);
    f->tail = (f->tail + 8 * n) % f->iq_size;
}

void fx_queue2(struct fx *f, uint64_t q0, uint64_t q1)
{
    const uint64_t d[4] = {q0, q1, 0, 0};
    fx_queue(f, d);
}

static void fx_iq_regs(struct fx *f, struct iq_regs *r)
{
    r->iqa = f->iqa_latched;
    r->iqh = fx_rd(f, VTD_REG_IQH, 8);
    r->iqt = fx_rd(f, VTD_REG_IQT, 8);
    r->qies = (fx_gsts(f) & VTD_GSTS_QIES) != 0;
    r->iqe = fx_iqe(f);
    r->ring_written = false; /* the fixture never puts status words in the ring */
}

void fx_write_iqt(struct fx *f, uint64_t v)
{
    struct iq_regs before, after;
    fx_iq_regs(f, &before);
    vtd_mmio_write(f->vtd, VTD_REG_IQT, v, 8);
    fx_iq_regs(f, &after);
    struct iq_outcome out;
    iq_check_after_tail(f->mem, &before, &after, &out);
    fx_check(f);
}

void fx_ring(struct fx *f)
{
    fx_write_iqt(f, f->tail);
}

void fx_submit(struct fx *f, uint64_t q0, uint64_t q1)
{
    fx_queue2(f, q0, q1);
    fx_ring(f);
}

uint64_t fx_pc_q0(unsigned g, uint16_t did, uint32_t pasid)
{
    return VTD_DESC_PASID_CACHE | ((uint64_t)(g & 3) << 4) | ((uint64_t)did << 16) |
           ((uint64_t)(pasid & 0xfffff) << 32);
}

uint64_t fx_cc_q0(unsigned g, uint16_t did, uint16_t sid, unsigned fm)
{
    return VTD_DESC_CONTEXT_CACHE | ((uint64_t)(g & 3) << 4) | ((uint64_t)did << 16) |
           ((uint64_t)sid << 32) | ((uint64_t)(fm & 3) << 48);
}

uint64_t fx_iotlb_q0(unsigned g, uint16_t did)
{
    return VTD_DESC_IOTLB | ((uint64_t)(g & 3) << 4) | ((uint64_t)did << 16);
}

uint64_t fx_piotlb_q0(unsigned g, uint16_t did, uint32_t pasid)
{
    return VTD_DESC_PASID_IOTLB | ((uint64_t)(g & 3) << 4) | ((uint64_t)did << 16) |
           ((uint64_t)(pasid & 0xfffff) << 32);
}

uint64_t fx_inv_q1(uint64_t addr, bool ih, unsigned am)
{
    return (addr & VTD_INV_ADDR_MASK) | (ih ? VTD_INV_IH : 0) | (am & 0x3f);
}

uint64_t fx_wait_q0(uint64_t flags, uint32_t data)
{
    return VTD_DESC_WAIT | flags | ((uint64_t)data << 32);
}

uint64_t fx_status_addr(unsigned idx)
{
    return FX_STATUS + 4ull * idx;
}

uint32_t fx_status(struct fx *f, unsigned idx)
{
    uint8_t b[4] = {0};
    if (guest_mem_read(f->mem, fx_status_addr(idx), b, 4) != 0)
        return 0;
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

void fx_status_set(struct fx *f, unsigned idx, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    if (guest_mem_write(f->mem, fx_status_addr(idx), b, 4) != 0)
        abort();
}

void fx_pc(struct fx *f, unsigned g, uint16_t did, uint32_t pasid)
{
    fx_submit(f, fx_pc_q0(g, did, pasid), 0);
    CHECK(!fx_iqe(f));
    CHECK_EQ_U64(fx_iqh(f), f->tail);
}

void fx_pc_global(struct fx *f)
{
    fx_pc(f, VTD_PC_G_GLOBAL, 0, 0);
}

/* ---- the model's cache ---- */

struct fx_walk {
    bool any_sid;
    uint16_t sid;
    uint32_t pasid;
    bool want_pasid;
    unsigned count;
    bool found;
    struct vtd_cache_view view;
};

static void fx_visit(void *opaque, const struct vtd_cache_view *v)
{
    struct fx_walk *w = opaque;
    if (!w->any_sid && v->sid != w->sid)
        return;
    w->count++;
    if (w->want_pasid && v->pasid == w->pasid) {
        w->found = true;
        w->view = *v;
    }
}

unsigned fx_cache_count(struct fx *f)
{
    struct fx_walk w = {.any_sid = true};
    vtd_cache_walk(f->vtd, fx_visit, &w);
    return w.count;
}

unsigned fx_cache_count_dev(struct fx *f, uint16_t sid)
{
    struct fx_walk w = {.sid = sid};
    vtd_cache_walk(f->vtd, fx_visit, &w);
    return w.count;
}

bool fx_cache_get(struct fx *f, uint16_t sid, uint32_t pasid, struct vtd_cache_view *out)
{
    struct fx_walk w = {.sid = sid, .pasid = pasid, .want_pasid = true};
    vtd_cache_walk(f->vtd, fx_visit, &w);
    if (w.found && out)
        *out = w.view;
    return w.found;
}

bool fx_s1_of(struct fx *f, uint32_t hwpt, struct vtd_s1_config *out)
{
    struct hb_hwpt_info info;
    if (!hwpt || !host_backend_hwpt_info(f->hb, hwpt, &info) || !info.alive || info.is_parent)
        return false;
    if (out)
        *out = info.s1;
    return true;
}

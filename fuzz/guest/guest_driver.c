/*
 * The guest driver's frame: building and tearing down the world for each
 * input, MMIO writes with the bookkeeping every checker needs around them,
 * the queue mirror that turns consumed descriptors into oracle events, and
 * the checks after every op.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "api_probe.h"
#include "guest_driver_internal.h"
#include "iq_check.h"
#include "pf_le.h"
#include "reg_check.h"
#include "violation.h"
#include "vtd_spec.h"

void pf_vtrace(struct pf_world *w, const char *fmt, va_list ap)
{
    if (!w->trace)
        return;
    vfprintf(w->trace, fmt, ap);
    fputc('\n', w->trace);
}

void pf_trace_print(struct pf_world *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pf_vtrace(w, fmt, ap);
    va_end(ap);
}

static int pf_dma_write(void *opaque, uint64_t addr, const void *buf, size_t len);

static uint64_t pf_fnv(uint64_t h, uint64_t v)
{
    for (unsigned i = 0; i < 8; i++) {
        h ^= (v >> (8 * i)) & 0xff;
        h *= 0x100000001b3ull;
    }
    return h;
}

/* model/vtd.h gives a failed read's buffer no meaning. A failed read of one
 * structure (a descriptor or a table entry: at most a PASID entry) gets the
 * data of the last good read of its length (the descriptor fetched before,
 * say; for a table walk the same level of the walk before, since the levels
 * differ in length and each walk reads them in turn), so that a model acting
 * on it anyway acts on data that looks real and the checks see it
 * (iq-state: the head moves past an unreadable descriptor; the oracle: a
 * binding made through an unreadable level). A failed block read (a page of
 * directory entries, a PASID table) keeps what the buffer held: every sync
 * walks every page of an unreadable directory, and copying a page for each
 * would cost more than the rest of the target. */
_Static_assert(PF_READ_SLOTS * 8 == VTD_PE_BYTES, "a slot per length up to a PASID entry");
static int pf_dma_read(void *opaque, uint64_t addr, void *buf, size_t len)
{
    struct pf_world *w = opaque;
    int rc = guest_mem_read(w->mem, addr, buf, len);
    if (len == 0 || len % 8 != 0 || len > VTD_PE_BYTES)
        return rc;
    unsigned slot = (unsigned)(len / 8 - 1);
    if (rc == 0) {
        w->last_read[slot] = addr;
        w->last_read_valid |= 1u << slot;
    } else if (w->last_read_valid & (1u << slot)) {
        (void)guest_mem_read(w->mem, w->last_read[slot], buf, len);
    }
    return rc;
}

static bool pf_hw_valid(const struct pf_hw *hw)
{
    return hw->pasid_bits >= 1 && hw->pasid_bits <= PF_MAX_PASID_BITS && hw->haw >= 39 &&
           hw->haw <= 52 && hw->mem_width >= 30 && hw->mem_width <= PF_HAW;
}

struct pf_world *pf_world_new(void)
{
    return pf_world_new_hw(NULL);
}

struct pf_world *pf_world_new_hw(const struct pf_hw *hw)
{
    if (hw && !pf_hw_valid(hw))
        return NULL;
    struct pf_world *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->has_hw = hw != NULL;
    if (hw)
        w->hw = *hw;
    /* Everything that lives as long as the world is made here, before any
     * input: an input must not take a path (or make an allocation) that only
     * the first input takes. Guest memory is small enough to exist whole. */
    w->mem = guest_mem_new(hw ? hw->mem_width : PF_HAW, PF_MEM_PAGES);
    if (w->mem && guest_mem_preallocate(w->mem) == 0)
        w->hb = host_backend_new(w->mem, PF_MAX_PASID_BITS, false);
    if (w->hb)
        w->oracle = pf_oracle_new(w->hb);
    if (w->oracle)
        w->iotlb = pf_iotlb_new(w->hb, w->oracle);
    if (!w->iotlb) {
        pf_world_free(w);
        return NULL;
    }
    return w;
}

void pf_world_free(struct pf_world *w)
{
    if (!w)
        return;
    vtd_destroy(w->vtd);
    pf_iotlb_free(w->iotlb);
    pf_oracle_free(w->oracle);
    host_backend_free(w->hb);
    guest_mem_free(w->mem);
    free(w);
}

void pf_world_set_peer(struct pf_world *w, const struct pf_peer_ops *ops, void *opaque)
{
    w->peer = ops;
    w->peer_opaque = opaque;
}

uint64_t pf_world_model_reg(struct pf_world *w, uint64_t off, unsigned size)
{
    return vtd_mmio_read(w->vtd, off, size);
}

int pf_world_mem_read(struct pf_world *w, uint64_t gpa, void *buf, size_t len)
{
    return guest_mem_read(w->mem, gpa, buf, len);
}

bool pf_sync_wait_if(const struct pf_world *w)
{
    return !(w->has_hw && w->hw.sync_without_if);
}

int pf_guest_write(struct pf_world *w, uint64_t gpa, const void *buf, size_t len)
{
    int rc = guest_mem_write(w->mem, gpa, buf, len);
    if (rc == 0 && w->peer)
        w->peer->mem_write(w->peer_opaque, gpa, buf, len);
    return rc;
}

void pf_world_set_trace(struct pf_world *w, FILE *out)
{
    w->trace = out;
    host_backend_set_trace(w->hb, out);
}

/* ---- the queue mirror and oracle events ---- */

static unsigned pf_iq_dsize(const struct pf_world *w)
{
    return (w->iq_iqa & VTD_IQA_DW) ? VTD_IQ_DESC256_BYTES : VTD_IQ_DESC128_BYTES;
}

static uint64_t pf_iq_size(const struct pf_world *w)
{
    return (uint64_t)VTD_PAGE_SIZE << (w->iq_iqa & VTD_IQA_QS_MASK);
}

static void pf_desc_event(struct pf_world *w, const uint64_t *q)
{
    unsigned type = VTD_DESC_TYPE(q[0]), g = VTD_DESC_G(q[0]);
    uint16_t did = VTD_DESC_DID(q[0]);
    uint32_t pasid = VTD_DESC_PASID(q[0]);
    if (type == VTD_DESC_PASID_CACHE) {
        pf_trace(w, "oracle: pasid-cache g=%u did=%u pasid=%u", g, did, pasid);
        if (g == VTD_PC_G_DOMAIN)
            pf_oracle_domain(w->oracle, did);
        else if (g == VTD_PC_G_PASID)
            pf_oracle_pasid(w->oracle, did, pasid);
        else if (g == VTD_PC_G_GLOBAL)
            pf_oracle_global(w->oracle);
    } else if (type == VTD_DESC_CONTEXT_CACHE && (g == VTD_CC_G_GLOBAL || g == VTD_CC_G_DOMAIN)) {
        pf_trace(w, "oracle: context-cache g=%u: global", g);
        pf_oracle_global(w->oracle);
    }
    pf_iotlb_descriptor(w->iotlb, q);
}

/* Hand the oracle every descriptor the model consumed up to `upto`. */
static void pf_consume(struct pf_world *w, uint64_t upto)
{
    unsigned dsize = pf_iq_dsize(w);
    uint64_t size = pf_iq_size(w);
    uint64_t base = w->iq_iqa & VTD_IQA_BASE_MASK;
    for (uint64_t n = 0; w->events_head != upto && n < size / dsize; n++) {
        uint8_t raw[32] = {0};
        uint64_t q[4] = {0};
        if (guest_mem_read(w->mem, base + w->events_head, raw, dsize) != 0)
            break;
        for (unsigned i = 0; i < dsize / 8; i++)
            q[i] = pf_le64_load(raw + i * 8);
        pf_desc_event(w, q);
        w->events_head = (w->events_head + dsize) % size;
    }
}

/*
 * The backend check judges the model's cache against the backend and reads
 * nothing else. If neither has changed since a backend check that passed,
 * it would pass again, so it is skipped; most ops only write guest memory
 * or queue descriptors. The oracle makes the same decision for its own
 * check from its expectations and the backend.
 */
void pf_check_all(struct pf_world *w)
{
    pf_trace(w, "check: backend and oracle");
    if (!w->hb_checked || w->hb_checked_model_gen != w->model_gen ||
        w->hb_checked_hb_gen != host_backend_generation(w->hb)) {
        host_backend_check(w->hb, w->vtd);
        w->hb_checked = true;
        w->hb_checked_model_gen = w->model_gen;
        w->hb_checked_hb_gen = host_backend_generation(w->hb);
    }
    pf_oracle_check(w->oracle);
}

/* A wait completes: the host must have flushed what the descriptors before
 * it asked for. */
static void pf_iotlb_wait(struct pf_world *w)
{
    struct pf_iotlb_settled st;
    pf_iotlb_settle(w->iotlb, &st);
    if (st.obligations || st.over)
        pf_trace(w, "check: iotlb %u flush(es) owed, %u over-invalidation(s)", st.obligations,
                 st.over);
}

/*
 * Every DMA write the model makes is a wait descriptor's status write: a
 * completion point. Before memory changes under it, the oracle takes the
 * descriptors before the wait and the check runs.
 */
static int pf_dma_write(void *opaque, uint64_t addr, const void *buf, size_t len)
{
    struct pf_world *w = opaque;
    uint64_t cur = 0;
    struct iq_regs now = {.iqa = w->iq_iqa};
    if (w->in_batch)
        now.iqh = pf_mmio_read(w, VTD_REG_IQH, 8);
    iq_check_dma_write(w->mem, &now, w->in_batch, addr, buf, len);
    if (w->in_batch) {
        cur = now.iqh & VTD_IQ_OFFSET_MASK;
        pf_consume(w, cur);
        pf_trace(w, "check: wait at 0x%llx", (unsigned long long)cur);
        /* The model is in the middle of the IQT write: whatever it did
         * since the last check (an earlier wait of the same batch, say)
         * counts as a change. */
        w->model_gen++;
        pf_check_all(w);
        pf_iotlb_wait(w);
    }
    uint64_t base = w->iq_iqa & VTD_IQA_BASE_MASK;
    if (w->in_batch && addr < base + pf_iq_size(w) && addr + len > base)
        w->ring_written = true;
    int rc = guest_mem_write(w->mem, addr, buf, len);
    if (w->in_batch && rc == 0)
        w->events_head = (cur + pf_iq_dsize(w)) % pf_iq_size(w);
    if (rc == 0 && w->peer)
        w->peer->dma_write(w->peer_opaque, addr, buf, len);
    return rc;
}

static void pf_iq_regs(struct pf_world *w, struct iq_regs *r)
{
    r->iqa = w->iq_iqa;
    r->iqh = vtd_mmio_read(w->vtd, VTD_REG_IQH, 8);
    r->iqt = vtd_mmio_read(w->vtd, VTD_REG_IQT, 8);
    r->qies = (vtd_mmio_read(w->vtd, VTD_REG_GSTS, 4) & VTD_GSTS_QIES) != 0;
    r->iqe = (vtd_mmio_read(w->vtd, VTD_REG_FSTS, 4) & VTD_FSTS_IQE) != 0;
    r->ring_written = w->ring_written;
}

/* ---- MMIO with bookkeeping ---- */

static uint64_t pf_reg_read(void *opaque, uint64_t off, unsigned size)
{
    struct pf_world *w = opaque;
    return vtd_mmio_read(w->vtd, off, size);
}

uint64_t pf_mmio_read(struct pf_world *w, uint64_t off, unsigned size)
{
    uint64_t v = vtd_mmio_read(w->vtd, off, size);
    pf_trace(w, "mmio: read 0x%03llx size %u value 0x%llx", (unsigned long long)off, size,
             (unsigned long long)v);
    /* In a batch the queue registers are on their way to their values. */
    if (w->in_batch)
        return v;
    pf_regpred_read(&w->regs, off, size, v);
    if (w->peer)
        w->peer->mmio_read(w->peer_opaque, off, size, v);
    return v;
}

static bool pf_covers(uint64_t off, unsigned size, uint64_t reg)
{
    return (size == 4 || size == 8) && off % size == 0 && off <= reg && reg < off + size;
}

/* GCMD: the backend's view must show the new TE and root before the model
 * acts, since it checks attaches made during the write. */
static bool pf_gcmd_before(struct pf_world *w, uint32_t cmd, uint32_t gsts)
{
    if (cmd & VTD_GCMD_SRTP)
        host_backend_set_root(w->hb, pf_mmio_read(w, VTD_REG_RTADDR, 8));
    host_backend_set_te(w->hb, (cmd & VTD_GCMD_TE) != 0);
    if ((cmd & VTD_GCMD_QIE) && !(gsts & VTD_GSTS_QIES)) {
        w->iq_iqa = pf_mmio_read(w, VTD_REG_IQA, 8);
        w->events_head = 0;
        w->sw_tail = 0;
    }
    return (cmd & VTD_GCMD_SRTP) || ((cmd ^ gsts) & VTD_GCMD_TE);
}

/* The register reads of the checks after a write: what pf_reg_check read
 * already is taken from its snapshot. */
struct pf_reg_reuse {
    struct pf_world *w;
    const struct pf_reg_snap *snap;
};

static uint64_t pf_reg_read_reuse(void *opaque, uint64_t off, unsigned size)
{
    const struct pf_reg_reuse *u = opaque;
    uint64_t v;
    return pf_reg_snap_after(u->snap, off, size, &v) ? v : pf_reg_read(u->w, off, size);
}

void pf_mmio_write(struct pf_world *w, uint64_t off, uint64_t val, unsigned size)
{
    pf_trace(w, "mmio: write 0x%03llx size %u value 0x%llx", (unsigned long long)off, size,
             (unsigned long long)val);
    uint32_t gsts = (uint32_t)pf_mmio_read(w, VTD_REG_GSTS, 4);
    bool gcmd = pf_covers(off, size, VTD_REG_GCMD);
    bool global = gcmd && pf_gcmd_before(w, (uint32_t)(val >> (8 * (VTD_REG_GCMD - off))), gsts);
    bool iqt = pf_covers(off, size, VTD_REG_IQT);
    bool ccmd_go = (off == VTD_REG_CCMD && size == 8 && (val & VTD_CCMD_ICC)) ||
                   (off == VTD_REG_CCMD + 4 && size == 4 && (val & (VTD_CCMD_ICC >> 32)));
    struct iq_regs before, after;
    struct iq_outcome batch;
    struct pf_reg_snap regs;
    struct pf_reg_reuse reuse = {w, &regs};

    w->ring_written = false;
    if (iqt) {
        pf_iq_regs(w, &before);
        pf_iotlb_batch_begin(w->iotlb);
    }
    pf_reg_snap(&regs, off, size, pf_reg_read, w);
    w->in_batch = iqt;
    w->model_gen++;
    vtd_mmio_write(w->vtd, off, val, size);
    w->model_gen++;
    w->in_batch = false;
    pf_reg_check(&regs, val, pf_reg_read, w);
    if (w->peer)
        w->peer->mmio_write(w->peer_opaque, off, val, size);

    if (iqt) {
        pf_iq_regs(w, &after);
        if (after.qies)
            pf_consume(w, after.iqh & VTD_IQ_OFFSET_MASK);
        iq_check_after_tail(w->mem, &before, &after, &batch);
    }
    pf_regpred_write(&w->regs, off, val, size, iqt ? &batch : NULL, pf_reg_read_reuse, &reuse);
    if (ccmd_go && !(gsts & VTD_GSTS_QIES)) {
        unsigned cirg = (unsigned)VTD_FIELD(pf_mmio_read(w, VTD_REG_CCMD, 8), 62, 61);
        global |= cirg == VTD_CC_G_GLOBAL || cirg == VTD_CC_G_DOMAIN;
    }
    if (global) {
        pf_trace(w, "oracle: global");
        pf_oracle_global(w->oracle);
    }
}

/* A well-formed GCMD write: keep the persistent bits, change one. */
void pf_gcmd(struct pf_world *w, uint32_t set, uint32_t clear)
{
    uint32_t persist = (uint32_t)pf_mmio_read(w, VTD_REG_GSTS, 4) &
                       (uint32_t)(VTD_GSTS_TES | VTD_GSTS_QIES);
    pf_mmio_write(w, VTD_REG_GCMD, (persist | set) & ~clear, 4);
}

void pf_queue_desc(struct pf_world *w, const uint64_t q[4])
{
    unsigned dsize = pf_iq_dsize(w);
    uint8_t raw[32];
    for (unsigned i = 0; i < 4; i++)
        pf_le64_store(raw + i * 8, q[i]);
    uint64_t base = w->iq_iqa & VTD_IQA_BASE_MASK;
    pf_trace(w, "queue: at 0x%llx q0=0x%llx q1=0x%llx q2=0x%llx q3=0x%llx",
             (unsigned long long)w->sw_tail, (unsigned long long)q[0], (unsigned long long)q[1],
             (unsigned long long)q[2], (unsigned long long)q[3]);
    (void)pf_guest_write(w, base + w->sw_tail, raw, dsize);
    w->sw_tail = (w->sw_tail + dsize) % pf_iq_size(w);
}

void pf_mem_write64(struct pf_world *w, uint64_t gpa, uint64_t v)
{
    /* Writes past the memory bound fail, as they would for a guest with
     * less RAM; the op just has no effect. */
    uint8_t le[8];
    pf_le64_store(le, v);
    (void)pf_guest_write(w, gpa, le, sizeof le);
}

void pf_mem_write_entry(struct pf_world *w, uint64_t gpa, const uint64_t *q, unsigned n)
{
    uint64_t le[8];
    if (n > 8)
        return;
    memcpy(le, q, 8u * n);
    pf_le64_to_cpu_n(le, n);   /* the same swap, either way */
    (void)pf_guest_write(w, gpa, le, 8u * n);
}

/* ---- devices ---- */

void pf_plug(struct pf_world *w, unsigned idx)
{
    struct pf_guest_dev *d = &w->devs[idx];
    if (d->plugged)
        return;
    uint32_t dev, parent;
    if (host_backend_plug(w->hb, d->sid, d->max_pasid_log2, &dev, &parent) != 0)
        return;
    w->model_gen++;
    int rc = vtd_plug(w->vtd, d->sid, d->max_pasid_log2, dev, parent);
    w->model_gen++;
    host_backend_check_plug(w->hb, dev, rc);
    if (rc != 0) {
        (void)host_backend_unplug(w->hb, dev);
        return;
    }
    d->plugged = true;
    d->dev = dev;
    d->parent = parent;
    pf_oracle_plug(w->oracle, idx, dev, d->sid, d->max_pasid_log2, parent);
    pf_trace(w, "plug: slot %u sid 0x%04x dev %u parent hwpt %u", idx, d->sid, dev, parent);
}

void pf_unplug(struct pf_world *w, unsigned idx)
{
    struct pf_guest_dev *d = &w->devs[idx];
    if (!d->plugged)
        return;
    w->model_gen++;
    unsigned failures = host_backend_peek_failures(w->hb, NULL, 0);
    int rc = vtd_unplug(w->vtd, d->sid);
    w->model_gen++;
    pf_trace(w, "unplug: slot %u sid 0x%04x -> %d", idx, d->sid, rc);
    host_backend_check_unplug(w->hb, d->dev, rc, failures);
    if (rc != 0) {
        pf_oracle_unplug_refused(w->oracle, idx);
        return;
    }
    (void)host_backend_unplug(w->hb, d->dev);
    pf_oracle_unplug(w->oracle, idx);
    d->plugged = false;
}

void pf_reset(struct pf_world *w)
{
    host_backend_set_te(w->hb, false);
    host_backend_set_root(w->hb, 0);
    w->model_gen++;
    vtd_reset(w->vtd);
    w->model_gen++;
    pf_regpred_reset(&w->regs, &w->regs.cfg);
    pf_regpred_check_all(&w->regs, "after reset", pf_reg_read, w);
    w->iq_iqa = 0;
    w->events_head = 0;
    w->sw_tail = 0;
    pf_trace(w, "oracle: global (reset)");
    pf_oracle_global(w->oracle);
    if (w->peer)
        w->peer->reset(w->peer_opaque);
}

/* ---- one input ---- */

/*
 * Everything an input made is given back at its end, not at the start of
 * the next one: libFuzzer re-runs every input that ends with more mallocs
 * than frees to look for a leak, and an input that frees the previous
 * input's buffers is counted against it. The model is freed; the backend
 * and the oracle go back to empty buffers (capacity left by one input
 * would let the next skip growth paths, which fuzzers see as instability);
 * guest memory keeps its preallocated pages.
 */
static void pf_world_teardown(struct pf_world *w)
{
    w->model_gen++;
    w->hb_checked = false;
    vtd_destroy(w->vtd);
    w->vtd = NULL;
    /* Only the context-table pages this input handed out need clearing. */
    for (unsigned i = 0; i < w->nctx_used; i++)
        w->ctx_page[w->ctx_used[i] >> 1][w->ctx_used[i] & 1] = 0;
    w->nctx_used = 0;
    guest_mem_reset(w->mem);
    host_backend_reset(w->hb);
    pf_oracle_reset(w->oracle);
    pf_iotlb_reset(w->iotlb);
}

static bool pf_world_build(struct pf_world *w, const struct pf_header *h)
{
    pf_world_teardown(w);

    unsigned pasid_bits = pf_header_pasid_bits(h);
    bool fs5 = (pf_header_flags(h) & PF_HDR_FS_5LEVEL) != 0;
    /* A peer's hardware was already written into the header (pf_world_begin). */
    if (host_backend_reconfigure(w->hb, (uint8_t)pasid_bits, fs5) != 0)
        return false;
    host_backend_set_trace(w->hb, w->trace);
    struct vtd_config cfg = {
        .pasid_bits = (uint8_t)pasid_bits,
        .haw = w->has_hw ? w->hw.haw : PF_HAW,
        .fs_5level = fs5,
        .dma_read = pf_dma_read,
        .dma_write = pf_dma_write,
        .dma_opaque = w,
        .host = host_backend_ops(),
        .host_opaque = w->hb,
        .mem_fail = host_backend_mem_fail,
        .mem_opaque = w->hb,
    };
    w->model_gen++;
    w->hb_checked = false;
    w->vtd = vtd_create(&cfg);
    w->cfg = cfg;
    if (!w->vtd)
        return false;
    const struct pf_reg_config rc = {cfg.pasid_bits, cfg.haw, cfg.fs_5level};
    pf_regpred_reset(&w->regs, &rc);
    pf_regpred_check_all(&w->regs, "at power-on", pf_reg_read, w);
    return true;
}

static void pf_boot(struct pf_world *w)
{
    /* The root table page, all zero: writing any part of a page brings the
     * whole page into being, zero-filled. */
    static const uint8_t zero_entry[VTD_ROOT_ENTRY_BYTES];
    (void)pf_guest_write(w, PF_GPA_ROOT, zero_entry, sizeof zero_entry);
    for (unsigned i = 0; i < w->ndev; i++)
        pf_plug(w, i);
    unsigned flags = pf_header_flags(&w->hdr);
    uint64_t iqa = PF_GPA_QUEUE | ((flags >> PF_HDR_QS_SHIFT) & 3u);
    if (!(flags & PF_HDR_QUEUE_128))
        iqa |= VTD_IQA_DW;
    pf_mmio_write(w, VTD_REG_RTADDR, PF_GPA_ROOT | VTD_RTADDR_SMT, 8);
    pf_gcmd(w, (uint32_t)VTD_GCMD_SRTP, 0);
    pf_mmio_write(w, VTD_REG_IQA, iqa, 8);
    pf_gcmd(w, (uint32_t)VTD_GCMD_QIE, 0);
    pf_gcmd(w, (uint32_t)VTD_GCMD_TE, 0);
    pf_check_all(w);
}

/* The header's PASID width and 5-level flag, replaced by the hardware a
 * peer fixed, so the model, the backend and the oracle all see it. */
static void pf_apply_hw(const struct pf_world *w, struct pf_header *h)
{
    if (!w->has_hw)
        return;
    h->f[PF_HF_PASID_BITS] = 20u - w->hw.pasid_bits;
    h->f[PF_HF_FLAGS] &= ~(uint64_t)PF_HDR_FS_5LEVEL;
    if (w->hw.fs_5level)
        h->f[PF_HF_FLAGS] |= PF_HDR_FS_5LEVEL;
}

void pf_world_begin(struct pf_world *w, const struct pf_header *in)
{
    struct pf_header hdr = *in;
    const struct pf_header *h = &hdr;
    pf_apply_hw(w, &hdr);
    w->hdr = hdr;
    w->ndev = pf_header_ndev(h);
    memset(w->devs, 0, sizeof w->devs);
    w->ntables = 0;
    w->next_page = PF_GPA_ALLOC;
    w->iq_iqa = 0;
    w->sw_tail = 0;
    w->events_head = 0;
    w->in_batch = false;
    w->wait_seq = 0;
    w->ops_run = 0;
    w->last_read_valid = 0;
    for (unsigned i = 0; i < PF_MAX_DEVS; i++) {
        w->devs[i].sid = pf_header_sid(h, i);
        w->devs[i].max_pasid_log2 = (uint8_t)pf_header_max_pasid_log2(h, i);
    }
    if (!pf_world_build(w, h)) {
        fprintf(stderr, "pasidfuzz: out of memory building the world\n");
        abort();
    }
    pf_trace(w, "begin: pasid_bits %u, %u device(s)", pf_header_pasid_bits(h), w->ndev);
    if (w->peer)
        w->peer->begin(w->peer_opaque);
    pf_boot(w);
}

void pf_world_op(struct pf_world *w, const struct pf_op *op)
{
    if (w->ops_run >= PF_MAX_OPS)
        return;
    w->ops_run++;
    pf_exec_op(w, op);
    pf_check_all(w);
}

static void pf_digest_attach(void *opaque, uint32_t dev, uint16_t sid, uint32_t pasid,
                             uint32_t hwpt)
{
    uint64_t *h = opaque;
    *h = pf_fnv(*h, dev);
    *h = pf_fnv(*h, sid);
    *h = pf_fnv(*h, pasid);
    *h = pf_fnv(*h, hwpt);
}

static uint64_t pf_digest(struct pf_world *w)
{
    uint64_t h = 0xcbf29ce484222325ull;
    host_backend_walk_attachments(w->hb, pf_digest_attach, &h);
    static const unsigned regs[] = {VTD_REG_GSTS, VTD_REG_FSTS, VTD_REG_ICS, VTD_REG_IQH};
    for (unsigned i = 0; i < sizeof regs / sizeof regs[0]; i++)
        h = pf_fnv(h, pf_mmio_read(w, regs[i], 4));
    /* The host's calls; the model's own allocations are not among them. */
    for (unsigned c = 0; c < HB_CALL_MEM; c++)
        h = pf_fnv(h, host_backend_calls(w->hb, (enum hb_call)c));
    return pf_fnv(h, guest_mem_pages_used(w->mem));
}

/* Teardown with no failure pending (pf_world_end): every device must
 * release cleanly and leave no hwpt behind. */
static void pf_end_unplug(struct pf_world *w)
{
    for (unsigned i = 0; i < PF_MAX_DEVS; i++) {
        pf_unplug(w, i);
        if (w->devs[i].plugged)
            pf_violation(PF_V_HWPT_LEAK, "teardown: sid 0x%04x refused unplug with no failure armed",
                         w->devs[i].sid);
    }
    if (host_backend_live_hwpts(w->hb) != 0)
        pf_violation(PF_V_HWPT_LEAK, "teardown: %u hwpt(s) alive after every device left",
                     host_backend_live_hwpts(w->hb));
}

/* The input's API probe, picked by its digest so that inputs spread over
 * the probes, on the model as the input left it and the devices plugged in
 * it. True when the probe destroyed the model. */
static bool pf_api_probe(struct pf_world *w, uint64_t digest)
{
    unsigned probe = (unsigned)(digest % PF_API_PROBES);
    struct pf_api_dev devs[PF_MAX_DEVS];
    unsigned n = 0;
    for (unsigned i = 0; i < PF_MAX_DEVS; i++) {
        if (w->devs[i].plugged)
            devs[n++] = (struct pf_api_dev){w->devs[i].sid, w->devs[i].dev};
    }
    pf_api_probe_create(&pf_api_model, probe, &w->cfg);
    w->model_gen++;
    pf_api_probe_booted(&pf_api_model, probe, w->vtd, devs, n);
    w->model_gen++;
    return pf_api_probe_destroy(&pf_api_model, probe, w->vtd, w->hb);
}

uint64_t pf_world_end(struct pf_world *w)
{
    pf_regpred_check_all(&w->regs, "at the end of the input", pf_reg_read, w);
    uint64_t digest = pf_digest(w);
    /* Nothing fails from here on: the API probe and the teardown judge
     * answers that hold when nothing fails. */
    for (unsigned c = 0; c < HB_CALL_COUNT; c++)
        host_backend_fail_nth(w->hb, (enum hb_call)c, 0);
    if (pf_api_probe(w, digest)) {
        /* The host side goes with the backend's reset below. */
        w->vtd = NULL;
        w->model_gen++;
        pf_trace(w, "end: model destroyed with its devices plugged");
    } else {
        pf_end_unplug(w);
    }
    pf_trace(w, "end: digest 0x%016llx", (unsigned long long)digest);
    pf_trace(w, "end: over-invalidation %llu", (unsigned long long)pf_iotlb_over(w->iotlb));
    pf_world_teardown(w);
    return digest;
}

uint64_t pf_world_over_invalidations(void)
{
    return pf_iotlb_over_total();
}

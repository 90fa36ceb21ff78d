/*
 * A bench for the stub tests: guest memory with hand-written VT-d tables at
 * fixed addresses and, when wanted, the stub backend with devices plugged,
 * driven by calling its ops directly (no model in between), so every bad
 * call sequence of a death test is spelled out in the test itself.
 */
#ifndef PASIDFUZZ_TESTS_STUBS_BENCH_H
#define PASIDFUZZ_TESTS_STUBS_BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest_mem.h"
#include "guest_tables.h"
#include "host_backend.h"
#include "vtd.h"
#include "vtd_spec.h"

#define SB_ROOT        0x10000ull
#define SB_CTX(bus, hi) (0x20000ull + (uint64_t)(bus) * 0x2000 + ((hi) ? 0x1000u : 0u))
#define SB_DIR(sid)    (0x1000000ull + (uint64_t)(sid) * 0x20000)
#define SB_PTBL(sid, i) (0x40000000ull + (uint64_t)(sid) * 0x1000000 + (uint64_t)(i) * 0x1000)
#define SB_PGTBL(n)    (0x80000000ull + (uint64_t)(n) * 0x1000)
#define SB_RTADDR_SM   (SB_ROOT | VTD_RTADDR_SMT)

#define SID_A 0x0008u   /* bus 0 devfn 8: low half of root entry 0 */
#define SID_B 0x0010u
#define SID_HI 0x0188u  /* bus 1 devfn 0x88: high half of root entry 1 */

struct sb {
    struct guest_mem *mem;
    struct host_backend *hb;
    const struct vtd_host_ops *ops;
    struct gt_view v;       /* for gt_resolve tests; the backend keeps its own */
    uint32_t dev_a, parent_a;
    uint32_t dev_b, parent_b;
};

static inline void sb_w64(struct sb *b, uint64_t addr, uint64_t v)
{
    if (guest_mem_write_u64(b->mem, addr, v) != 0) {
        fprintf(stderr, "bench: guest write at 0x%llx failed\n", (unsigned long long)addr);
        abort();
    }
}

static inline uint64_t sb_r64(struct sb *b, uint64_t addr)
{
    uint64_t v = 0;
    return guest_mem_read_u64(b->mem, addr, &v) == 0 ? v : 0;
}

/* Memory and a translated view (TE=1, scalable root at SB_ROOT). */
static inline struct sb *sb_new_mem(uint8_t pasid_bits, bool fs_5level)
{
    struct sb *b = calloc(1, sizeof *b);
    if (!b)
        abort();
    b->mem = guest_mem_new(48, 1024);
    if (!b->mem)
        abort();
    b->v = (struct gt_view){b->mem, SB_RTADDR_SM, true, pasid_bits, fs_5level};
    return b;
}

/* Root half and context entry of sid, directory at SB_DIR(sid). */
static inline void sb_map_ctx(struct sb *b, uint16_t sid, uint64_t q0, uint64_t q1)
{
    unsigned bus = sid >> 8;
    bool hi = (sid & 0xff) >= 128;
    uint64_t re = SB_ROOT + bus * VTD_ROOT_ENTRY_BYTES + (hi ? 8u : 0u);
    sb_w64(b, re, SB_CTX(bus, hi) | VTD_ROOT_P);
    uint64_t ce = SB_CTX(bus, hi) + (uint64_t)(sid & 0x7f) * VTD_CTX_ENTRY_BYTES;
    sb_w64(b, ce, q0);
    sb_w64(b, ce + 8, q1);
    sb_w64(b, ce + 16, 0);
    sb_w64(b, ce + 24, 0);
}

static inline void sb_map(struct sb *b, uint16_t sid, unsigned pdts)
{
    sb_map_ctx(b, sid, SB_DIR(sid) | ((uint64_t)pdts << VTD_CTX_PDTS_SHIFT) | VTD_CTX_P, 0);
}

static inline uint64_t sb_ctx_addr(uint16_t sid)
{
    return SB_CTX(sid >> 8, (sid & 0xff) >= 128) + (uint64_t)(sid & 0x7f) * VTD_CTX_ENTRY_BYTES;
}

static inline uint64_t sb_pe_addr(uint16_t sid, uint32_t pasid)
{
    return SB_PTBL(sid, pasid >> 6) + (uint64_t)(pasid & 63) * VTD_PE_BYTES;
}

static inline void sb_pe_raw(struct sb *b, uint16_t sid, uint32_t pasid, const uint64_t pe[8])
{
    for (unsigned i = 0; i < 8; i++)
        sb_w64(b, sb_pe_addr(sid, pasid) + 8 * i, pe[i]);
}

/* Entry plus a present directory entry pointing at its table. */
static inline void sb_set_pe(struct sb *b, uint16_t sid, uint32_t pasid, const uint64_t pe[8])
{
    sb_pe_raw(b, sid, pasid, pe);
    sb_w64(b, SB_DIR(sid) + (uint64_t)(pasid >> 6) * 8, SB_PTBL(sid, pasid >> 6) | VTD_PDIR_P);
}

static inline void sb_pe_fs(uint64_t pe[8], uint16_t did, uint64_t pgtbl, unsigned fspm,
                            uint32_t flags)
{
    memset(pe, 0, 8 * sizeof pe[0]);
    pe[0] = VTD_PE_P | ((uint64_t)VTD_PGTT_FIRST_STAGE << VTD_PE_PGTT_SHIFT);
    pe[1] = did;
    pe[2] = (pgtbl & VTD_PE_FSPTPTR_MASK) | ((uint64_t)fspm << VTD_PE_FSPM_SHIFT) |
            ((flags & VTD_S1_FLAG_SRE) ? VTD_PE_SRE : 0) |
            ((flags & VTD_S1_FLAG_WPE) ? VTD_PE_WPE : 0) |
            ((flags & VTD_S1_FLAG_EAFE) ? VTD_PE_EAFE : 0);
}

static inline void sb_pe_pt(uint64_t pe[8], uint16_t did)
{
    memset(pe, 0, 8 * sizeof pe[0]);
    pe[0] = VTD_PE_P | ((uint64_t)VTD_PGTT_PASS_THROUGH << VTD_PE_PGTT_SHIFT);
    pe[1] = did;
}

static inline void sb_set_fs(struct sb *b, uint16_t sid, uint32_t pasid, uint64_t pgtbl)
{
    uint64_t pe[8];
    sb_pe_fs(pe, 1, pgtbl, 0, 0);
    sb_set_pe(b, sid, pasid, pe);
}

static inline void sb_set_pt(struct sb *b, uint16_t sid, uint32_t pasid)
{
    uint64_t pe[8];
    sb_pe_pt(pe, 1);
    sb_set_pe(b, sid, pasid, pe);
}

/*
 * The backend bench: pasid_bits 20, translated view, devices A (max
 * PASID width 20, PDTS 0) and B (max 4) plugged and mapped. Ids come out
 * as dev_a 1, parent_a 2, dev_b 3, parent_b 4.
 */
static inline struct sb *sb_new(void)
{
    struct sb *b = sb_new_mem(20, false);
    b->hb = host_backend_new(b->mem, 20, false);
    if (!b->hb)
        abort();
    b->ops = host_backend_ops();
    host_backend_set_root(b->hb, SB_RTADDR_SM);
    host_backend_set_te(b->hb, true);
    if (host_backend_plug(b->hb, SID_A, 20, &b->dev_a, &b->parent_a) != 0 ||
        host_backend_plug(b->hb, SID_B, 4, &b->dev_b, &b->parent_b) != 0)
        abort();
    sb_map(b, SID_A, 0);
    sb_map(b, SID_B, 0);
    return b;
}

static inline void sb_free(struct sb *b)
{
    host_backend_free(b->hb);
    guest_mem_free(b->mem);
    free(b);
}

static inline uint32_t sb_alloc(struct sb *b, uint32_t dev, uint32_t parent, uint64_t pgtbl)
{
    struct vtd_s1_config cfg = {pgtbl, 48, 0};
    uint32_t id = 0;
    if (b->ops->alloc_s1_hwpt(b->hb, dev, parent, &cfg, &id) != 0)
        return 0;
    return id;
}

/* Entry at A/pasid, its s1 hwpt allocated and attached. Returns the hwpt. */
static inline uint32_t sb_bind_fs(struct sb *b, uint32_t pasid, uint64_t pgtbl)
{
    sb_set_fs(b, SID_A, pasid, pgtbl);
    uint32_t h = sb_alloc(b, b->dev_a, b->parent_a, pgtbl);
    if (!h || b->ops->attach(b->hb, b->dev_a, pasid, h) != 0)
        abort();
    return h;
}

#endif

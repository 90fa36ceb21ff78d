/* Shared by the PASID-cache sync tests: two devices, entries by number. */
#ifndef PASIDFUZZ_TESTS_PASID_SYNC_COMMON_H
#define PASIDFUZZ_TESTS_PASID_SYNC_COMMON_H

#include "check.h"
#include "model_fixture.h"

#define SA 0x0010u   /* bus 0, devfn 0x10 */
#define SB 0x0318u   /* bus 3, devfn 0x18 */

/* Two devices (PASID width 20), both mapped with PDTS 0, translation on. */
static inline struct fx *two_devs(void)
{
    struct fx *f = fx_new(20, false);
    CHECK_EQ_U64(fx_plug(f, SA, 20), 0);
    CHECK_EQ_U64(fx_plug(f, SB, 20), 0);
    fx_map_dev(f, SA, 0);
    fx_map_dev(f, SB, 0);
    fx_translated(f);
    return f;
}

/* A first-stage entry whose page table is FX_PGTBL(n). */
static inline void put_fs(struct fx *f, uint16_t sid, uint32_t pasid, uint16_t did, unsigned n)
{
    uint64_t pe[8];
    fx_pe_fs(pe, did, FX_PGTBL(n), 0, 0);
    fx_set_pe(f, sid, pasid, pe);
}

static inline void put_pt(struct fx *f, uint16_t sid, uint32_t pasid, uint16_t did)
{
    uint64_t pe[8];
    fx_pe_pt(pe, did);
    fx_set_pe(f, sid, pasid, pe);
}

/* Bound to a live first-stage hwpt for FX_PGTBL(n), cached with DID did. */
static inline bool is_fs(struct fx *f, uint16_t sid, uint32_t pasid, uint16_t did, unsigned n)
{
    struct vtd_s1_config c;
    struct vtd_cache_view v;
    uint32_t hw = fx_attached(f, sid, pasid);
    return fx_s1_of(f, hw, &c) && c.pgtbl_addr == FX_PGTBL(n) && c.addr_width == 48 &&
           fx_cache_get(f, sid, pasid, &v) && v.hwpt == hw && VTD_PE_DID(v.entry[1]) == did &&
           (v.entry[2] & VTD_PE_FSPTPTR_MASK) == FX_PGTBL(n);
}

static inline bool is_pt(struct fx *f, uint16_t sid, uint32_t pasid)
{
    struct vtd_cache_view v;
    return fx_attached(f, sid, pasid) == fx_parent(f, sid) && fx_cache_get(f, sid, pasid, &v) &&
           v.hwpt == fx_parent(f, sid);
}

static inline bool is_unbound(struct fx *f, uint16_t sid, uint32_t pasid)
{
    return fx_attached(f, sid, pasid) == 0 && !fx_cache_get(f, sid, pasid, NULL);
}

static inline bool hwpt_dead(struct fx *f, uint32_t hw)
{
    struct hb_hwpt_info info;
    return host_backend_hwpt_info(f->hb, hw, &info) && !info.alive;
}

struct calls {
    unsigned n[HB_CALL_COUNT];
};

static inline struct calls calls_now(struct fx *f)
{
    struct calls c;
    for (unsigned i = 0; i < HB_CALL_COUNT; i++)
        c.n[i] = host_backend_calls(f->hb, (enum hb_call)i);
    return c;
}

static inline unsigned calls_since(struct fx *f, const struct calls *c, enum hb_call k)
{
    return host_backend_calls(f->hb, k) - c->n[k];
}

#endif

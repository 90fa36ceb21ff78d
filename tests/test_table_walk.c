/*
 * The root -> context -> directory -> PASID-table walk, observed through the
 * bindings the model makes (or must not make) at sync points.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "model_fixture.h"

#define SID     0x0208u   /* bus 2, devfn 0x08: low half of the root entry */
#define SID_HI  0x0288u   /* bus 2, devfn 0x88: high half */
#define PASID   5u
#define DID     7u
#define FLAGS   (VTD_S1_FLAG_SRE | VTD_S1_FLAG_WPE)

enum where {
    W_ROOT_LO, W_ROOT_HI, W_CTX0, W_CTX1, W_CTX2, W_CTX3, W_DIR,
    W_PE0, W_PE1, W_PE2, W_PE3, W_PE4, W_PE5, W_PE6, W_PE7,
};

struct edit {
    const char *name;
    enum where w;
    uint64_t clear, set;
};

static uint64_t where_addr(enum where w, uint16_t sid, uint32_t pasid)
{
    uint64_t root = FX_ROOT + (uint64_t)(sid >> 8) * VTD_ROOT_ENTRY_BYTES;
    switch (w) {
    case W_ROOT_LO: return root;
    case W_ROOT_HI: return root + 8;
    case W_CTX0: case W_CTX1: case W_CTX2: case W_CTX3:
        return fx_ctx_addr(sid) + 8ull * (unsigned)(w - W_CTX0);
    case W_DIR: return fx_dir_addr(sid) + (uint64_t)(pasid >> 6) * VTD_PDIR_ENTRY_BYTES;
    default: return fx_pe_addr(sid, pasid) + 8ull * (unsigned)(w - W_PE0);
    }
}

static void apply(struct fx *f, const struct edit *e, uint16_t sid, uint32_t pasid)
{
    uint64_t a = where_addr(e->w, sid, pasid);
    fx_w64(f, a, (fx_r64(f, a) & ~e->clear) | e->set);
}

static struct fx *setup(uint8_t pasid_bits, bool fs5, uint8_t max_log2, unsigned pdts)
{
    uint64_t pe[8];
    struct fx *f = fx_new(pasid_bits, fs5);
    CHECK_EQ_U64(fx_plug(f, SID, max_log2), 0);
    fx_map_dev(f, SID, pdts);
    fx_pe_fs(pe, DID, FX_PGTBL(1), 0, FLAGS);
    fx_set_pe(f, SID, PASID, pe);
    return f;
}

static bool bound_as_expected(struct fx *f, uint16_t sid, uint32_t pasid, uint64_t pgtbl,
                              uint32_t aw, uint32_t flags)
{
    struct vtd_s1_config c;
    uint32_t hw = fx_attached(f, sid, pasid);
    if (!fx_s1_of(f, hw, &c))
        return false;
    return c.pgtbl_addr == pgtbl && c.addr_width == aw && c.flags == flags &&
           fx_cache_get(f, sid, pasid, NULL);
}

static void expect_no_bind(const struct edit *e)
{
    int before = check_failures;

    /* Broken from the start: the replay never binds it. */
    struct fx *f = setup(20, false, 20, 0);
    apply(f, e, SID, PASID);
    fx_translated(f);
    fx_pc_global(f);
    CHECK_EQ_U64(fx_attached(f, SID, PASID), 0);
    CHECK(!fx_cache_get(f, SID, PASID, NULL));
    CHECK_EQ_U64(host_backend_live_hwpts(f->hb), 1);
    fx_free(f);

    /* Broken after binding: the invalidation drops it, a replay does not
     * bring it back. */
    f = setup(20, false, 20, 0);
    fx_translated(f);
    uint32_t hw = fx_attached(f, SID, PASID);
    CHECK(bound_as_expected(f, SID, PASID, FX_PGTBL(1), 48, FLAGS));
    apply(f, e, SID, PASID);
    fx_pc(f, VTD_PC_G_PASID, DID, PASID);
    CHECK_EQ_U64(fx_attached(f, SID, PASID), 0);
    CHECK(!fx_cache_get(f, SID, PASID, NULL));
    struct hb_hwpt_info info;
    CHECK(host_backend_hwpt_info(f->hb, hw, &info) && !info.alive);
    fx_pc_global(f);
    CHECK_EQ_U64(fx_attached(f, SID, PASID), 0);
    CHECK_EQ_U64(host_backend_live_hwpts(f->hb), 1);
    fx_free(f);

    if (check_failures != before)
        fprintf(stderr, "  ... with edit '%s'\n", e->name);
}

static void expect_bound(const struct edit *e)
{
    int before = check_failures;
    struct fx *f = setup(20, false, 20, 0);
    apply(f, e, SID, PASID);
    fx_translated(f);
    CHECK(bound_as_expected(f, SID, PASID, FX_PGTBL(1), 48, FLAGS));
    fx_free(f);
    if (check_failures != before)
        fprintf(stderr, "  ... with harmless edit '%s'\n", e->name);
}

static void expect_no_bind_bits(const char *name, enum where w, uint64_t mask)
{
    for (unsigned b = 0; b < 64; b++) {
        if (mask & VTD_BIT(b)) {
            struct edit e = {name, w, 0, VTD_BIT(b)};
            expect_no_bind(&e);
        }
    }
}

static void root_entry(void)
{
    expect_no_bind(&(struct edit){"root not present", W_ROOT_LO, VTD_ROOT_P, 0});
    expect_no_bind_bits("root reserved", W_ROOT_LO, VTD_ROOT_RSVD);
    expect_no_bind(&(struct edit){"root -> unbacked context table", W_ROOT_LO,
                                  VTD_MASK(63, 12), 0x9000000});
}

static void root_entry_halves(void)
{
    uint64_t pe[8];
    struct fx *f = fx_new(20, false);
    CHECK_EQ_U64(fx_plug(f, SID, 20), 0);
    CHECK_EQ_U64(fx_plug(f, SID_HI, 20), 0);
    fx_map_dev(f, SID, 0);
    fx_map_dev(f, SID_HI, 0);
    fx_pe_fs(pe, DID, FX_PGTBL(1), 0, 0);
    fx_set_pe(f, SID, PASID, pe);
    fx_pe_fs(pe, DID, FX_PGTBL(2), 0, 0);
    fx_set_pe(f, SID_HI, PASID, pe);
    fx_translated(f);
    CHECK(bound_as_expected(f, SID, PASID, FX_PGTBL(1), 48, 0));
    CHECK(bound_as_expected(f, SID_HI, PASID, FX_PGTBL(2), 48, 0));

    uint64_t lo = where_addr(W_ROOT_LO, SID, 0), hi = lo + 8;
    uint64_t lo_v = fx_r64(f, lo), hi_v = fx_r64(f, hi);
    fx_w64(f, lo, lo_v & ~VTD_ROOT_P);
    fx_pc_global(f);
    CHECK_EQ_U64(fx_attached(f, SID, PASID), 0);
    CHECK(bound_as_expected(f, SID_HI, PASID, FX_PGTBL(2), 48, 0));

    fx_w64(f, lo, lo_v);
    fx_w64(f, hi, hi_v | VTD_BIT(3));
    fx_pc_global(f);
    CHECK(bound_as_expected(f, SID, PASID, FX_PGTBL(1), 48, 0));
    CHECK_EQ_U64(fx_attached(f, SID_HI, PASID), 0);
    fx_free(f);
}

static void root_table_unreadable(void)
{
    struct fx *f = setup(20, false, 20, 0);
    fx_translated(f);
    CHECK(bound_as_expected(f, SID, PASID, FX_PGTBL(1), 48, FLAGS));
    fx_srtp(f, 0x9000000 | VTD_RTADDR_SMT);
    CHECK_EQ_U64(fx_attached(f, SID, PASID), 0);
    CHECK_EQ_U64(host_backend_live_hwpts(f->hb), 1);
    fx_free(f);
}

static void context_entry(void)
{
    expect_no_bind(&(struct edit){"context not present", W_CTX0, VTD_CTX_P, 0});
    expect_no_bind_bits("context q0 reserved", W_CTX0, VTD_CTX_RSVD_Q0);
    expect_no_bind_bits("context q1 reserved", W_CTX1,
                        VTD_BIT(21) | VTD_BIT(22) | VTD_BIT(40) | VTD_BIT(63));
    expect_no_bind_bits("context q2", W_CTX2, VTD_BIT(0) | VTD_BIT(17) | VTD_BIT(63));
    expect_no_bind_bits("context q3", W_CTX3, VTD_BIT(0) | VTD_BIT(33) | VTD_BIT(63));
    expect_no_bind(&(struct edit){"context -> unbacked directory", W_CTX0, VTD_MASK(63, 12),
                                  0xa000000});

    expect_bound(&(struct edit){"context FPD", W_CTX0, 0, VTD_CTX_FPD});
    expect_bound(&(struct edit){"context PRE", W_CTX0, 0, VTD_CTX_PRE});
    expect_bound(&(struct edit){"context RID_PASID", W_CTX1, 0, VTD_MASK(19, 0)});
    expect_bound(&(struct edit){"context q1 bit 20", W_CTX1, 0, VTD_BIT(20)});
}

static void directory_entry(void)
{
    expect_no_bind(&(struct edit){"directory not present", W_DIR, VTD_PDIR_P, 0});
    expect_no_bind_bits("directory reserved", W_DIR, VTD_PDIR_RSVD);
    expect_no_bind(&(struct edit){"directory -> unbacked table", W_DIR, VTD_MASK(63, 12),
                                  0xb000000});
    expect_bound(&(struct edit){"directory FPD", W_DIR, 0, VTD_PDIR_FPD});
}

static void pasid_entry(void)
{
    expect_no_bind(&(struct edit){"entry not present", W_PE0, VTD_PE_P, 0});
    expect_no_bind(&(struct edit){"entry all zero", W_PE0, ~0ull, 0});
    expect_no_bind_bits("entry q1 reserved", W_PE1, VTD_PE_RSVD_Q1);
    expect_no_bind_bits("entry q2 reserved", W_PE2, VTD_PE_RSVD_Q2);
    static const enum where hi[] = {W_PE4, W_PE5, W_PE6, W_PE7};
    for (unsigned i = 0; i < 4; i++)
        expect_no_bind_bits("entry q4-7", hi[i], VTD_BIT(0) | VTD_BIT(12) | VTD_BIT(63));

    expect_bound(&(struct edit){"entry FPD", W_PE0, 0, VTD_PE_FPD});
    expect_bound(&(struct edit){"entry AW", W_PE0, 0, VTD_MASK(4, 2)});
    expect_bound(&(struct edit){"entry SSPTPTR", W_PE0, 0, VTD_BIT(12) | VTD_BIT(40)});
    expect_bound(&(struct edit){"entry q1 high", W_PE1, 0, VTD_BIT(23) | VTD_BIT(63)});
    expect_bound(&(struct edit){"entry q2 unused bits", W_PE2, 0,
                                VTD_BIT(1) | VTD_BIT(5) | VTD_BIT(6)});
    expect_bound(&(struct edit){"entry q3 ignored", W_PE3, 0, ~0ull});
}

static void unsupported_pgtt_and_fspm(void)
{
    static const unsigned bad_pgtt[] = {0, 2, 3, 5, 6, 7};
    for (unsigned i = 0; i < sizeof bad_pgtt / sizeof bad_pgtt[0]; i++)
        expect_no_bind(&(struct edit){"pgtt", W_PE0, VTD_MASK(8, 6),
                                      (uint64_t)bad_pgtt[i] << VTD_PE_PGTT_SHIFT});
    expect_no_bind(&(struct edit){"fspm 2", W_PE2, VTD_MASK(3, 2), 2ull << VTD_PE_FSPM_SHIFT});
    expect_no_bind(&(struct edit){"fspm 3", W_PE2, VTD_MASK(3, 2), 3ull << VTD_PE_FSPM_SHIFT});
    expect_no_bind(&(struct edit){"fspm 1 without fs_5level", W_PE2, VTD_MASK(3, 2),
                                  1ull << VTD_PE_FSPM_SHIFT});
}

static void five_level(void)
{
    uint64_t pe[8];
    struct fx *f = setup(20, true, 20, 0);
    fx_pe_fs(pe, DID, FX_PGTBL(9), 1, VTD_S1_FLAG_EAFE);
    fx_set_pe(f, SID, 6, pe);
    fx_pe_fs(pe, DID, FX_PGTBL(10), 2, 0);
    fx_set_pe(f, SID, 7, pe);
    fx_translated(f);
    CHECK(bound_as_expected(f, SID, PASID, FX_PGTBL(1), 48, FLAGS));
    CHECK(bound_as_expected(f, SID, 6, FX_PGTBL(9), 57, VTD_S1_FLAG_EAFE));
    CHECK_EQ_U64(fx_attached(f, SID, 7), 0);
    fx_free(f);
}

static void first_stage_config_exact(void)
{
    uint64_t pe[8];
    struct fx *f = fx_new(20, false);
    CHECK_EQ_U64(fx_plug(f, SID, 20), 0);
    fx_map_dev(f, SID, 0);
    const uint64_t big = 0x123456789000ull;
    for (uint32_t fl = 0; fl <= VTD_S1_FLAGS_ALL; fl++) {
        fx_pe_fs(pe, (uint16_t)(DID + fl), big + fl * VTD_PAGE_SIZE, 0, fl);
        fx_set_pe(f, SID, 10 + fl, pe);
    }
    fx_translated(f);
    for (uint32_t fl = 0; fl <= VTD_S1_FLAGS_ALL; fl++) {
        uint32_t pasid = 10 + fl;
        uint32_t hw = fx_attached(f, SID, pasid);
        struct hb_hwpt_info info;
        CHECK(host_backend_hwpt_info(f->hb, hw, &info));
        CHECK(info.alive && !info.is_parent);
        CHECK_EQ_U64(info.parent, fx_parent(f, SID));
        CHECK_EQ_U64(info.dev, fx_hdev(f, SID));
        CHECK_EQ_U64(info.s1.pgtbl_addr, big + fl * VTD_PAGE_SIZE);
        CHECK_EQ_U64(info.s1.addr_width, 48);
        CHECK_EQ_U64(info.s1.flags, fl);

        struct vtd_cache_view v;
        CHECK(fx_cache_get(f, SID, pasid, &v));
        fx_pe_fs(pe, (uint16_t)(DID + fl), big + fl * VTD_PAGE_SIZE, 0, fl);
        for (unsigned q = 0; q < 8; q++)
            CHECK_EQ_U64(v.entry[q], pe[q]);
        CHECK_EQ_U64(v.hwpt, hw);
        CHECK_EQ_U64(v.sid, SID);
        CHECK_EQ_U64(v.host_dev, fx_hdev(f, SID));
        CHECK_EQ_U64(v.parent_hwpt, fx_parent(f, SID));
    }
    CHECK_EQ_U64(fx_cache_count(f), VTD_S1_FLAGS_ALL + 1);
    CHECK_EQ_U64(host_backend_live_hwpts(f->hb), 1 + VTD_S1_FLAGS_ALL + 1);
    fx_free(f);
}

static void pass_through_binds_parent(void)
{
    uint64_t pe[8];
    struct fx *f = fx_new(20, false);
    CHECK_EQ_U64(fx_plug(f, SID, 20), 0);
    fx_map_dev(f, SID, 0);
    fx_pe_pt(pe, DID);
    fx_set_pe(f, SID, 3, pe);
    fx_set_pe(f, SID, 0, pe);
    unsigned allocs = host_backend_calls(f->hb, HB_CALL_ALLOC);
    fx_translated(f);
    CHECK_EQ_U64(fx_attached(f, SID, 3), fx_parent(f, SID));
    CHECK_EQ_U64(fx_attached(f, SID, 0), fx_parent(f, SID));
    CHECK_EQ_U64(host_backend_calls(f->hb, HB_CALL_ALLOC), allocs);
    struct vtd_cache_view v;
    CHECK(fx_cache_get(f, SID, 3, &v));
    CHECK_EQ_U64(v.hwpt, fx_parent(f, SID));
    CHECK_EQ_U64(v.entry[0], pe[0]);
    CHECK_EQ_U64(v.entry[1], DID);
    CHECK(fx_cache_get(f, SID, 0, NULL));
    CHECK_EQ_U64(host_backend_live_hwpts(f->hb), 1);
    fx_free(f);
}

/* Entries just inside and just outside a bound; only the inside one binds. */
static void range_case(uint8_t pasid_bits, uint8_t max_log2, unsigned pdts, uint32_t limit)
{
    int before = check_failures;
    uint64_t pe[8];
    struct fx *f = fx_new(pasid_bits, false);
    CHECK_EQ_U64(fx_plug(f, SID, max_log2), 0);
    fx_map_dev(f, SID, pdts);
    fx_pe_fs(pe, DID, FX_PGTBL(1), 0, 0);
    fx_set_pe(f, SID, limit - 1, pe);
    fx_pe_fs(pe, DID, FX_PGTBL(2), 0, 0);
    fx_set_pe(f, SID, limit, pe);
    fx_translated(f);
    fx_pc_global(f);
    CHECK(bound_as_expected(f, SID, limit - 1, FX_PGTBL(1), 48, 0));
    CHECK_EQ_U64(fx_attached(f, SID, limit), 0);
    CHECK(!fx_cache_get(f, SID, limit, NULL));
    fx_pc(f, VTD_PC_G_PASID, DID, limit);
    fx_pc(f, VTD_PC_G_DOMAIN, DID, 0);
    CHECK_EQ_U64(fx_attached(f, SID, limit), 0);
    CHECK_EQ_U64(fx_cache_count(f), 1);
    fx_free(f);
    if (check_failures != before)
        fprintf(stderr, "  ... pasid_bits=%u max_log2=%u pdts=%u limit=%u\n", pasid_bits,
                max_log2, pdts, limit);
}

static void pasid_range(void)
{
    range_case(6, 20, 0, 64);        /* 2^pasid_bits */
    range_case(7, 20, 0, 128);
    range_case(20, 4, 0, 16);        /* device limit */
    range_case(20, 7, 0, 128);
    range_case(20, 20, 0, 8192);     /* directory: 2^(0+7) entries * 64 */
    range_case(20, 20, 1, 16384);
    range_case(14, 20, 1, 16384);    /* all three agree */
    range_case(20, 13, 3, 8192);     /* device below the directory */
}

/* A cached entry the directory no longer reaches goes at its invalidation. */
static void directory_shrinks(void)
{
    uint64_t pe[8];
    struct fx *f = fx_new(20, false);
    CHECK_EQ_U64(fx_plug(f, SID, 20), 0);
    fx_map_dev(f, SID, 1);
    fx_pe_fs(pe, DID, FX_PGTBL(1), 0, 0);
    fx_set_pe(f, SID, 100, pe);
    fx_pe_fs(pe, DID, FX_PGTBL(2), 0, 0);
    fx_set_pe(f, SID, 8192, pe);
    fx_translated(f);
    CHECK(bound_as_expected(f, SID, 100, FX_PGTBL(1), 48, 0));
    CHECK(bound_as_expected(f, SID, 8192, FX_PGTBL(2), 48, 0));
    fx_map_dev(f, SID, 0);
    fx_pc(f, VTD_PC_G_PASID, DID, 8192);
    CHECK_EQ_U64(fx_attached(f, SID, 8192), 0);
    CHECK(!fx_cache_get(f, SID, 8192, NULL));
    CHECK(bound_as_expected(f, SID, 100, FX_PGTBL(1), 48, 0));
    fx_free(f);
}

/* A directory over several pages, the middle one never written: entries on
 * either side of it still bind, none past the directory does. */
static void directory_pages(void)
{
    uint64_t pe[8];
    struct fx *f = fx_new(20, false);
    CHECK_EQ_U64(fx_plug(f, SID, 20), 0);
    fx_map_dev(f, SID, 4);                      /* 2048 entries, 4 pages */
    static const uint32_t pasids[] = {5, 64 * 511 + 3, 64 * 1100 + 63, 64 * 2047};
    for (unsigned i = 0; i < 4; i++) {
        fx_pe_fs(pe, DID, FX_PGTBL(i + 1), 0, 0);
        fx_set_pe(f, SID, pasids[i], pe);
    }
    fx_pe_fs(pe, DID, FX_PGTBL(9), 0, 0);
    fx_set_pe(f, SID, 64 * 2048, pe);           /* first PASID past the directory */
    fx_translated(f);
    for (unsigned i = 0; i < 4; i++)
        CHECK(bound_as_expected(f, SID, pasids[i], FX_PGTBL(i + 1), 48, 0));
    CHECK_EQ_U64(fx_attached(f, SID, 64 * 2048), 0);
    CHECK_EQ_U64(fx_cache_count(f), 4);

    /* A directory entry turned bad in the second page only hits its PASID. */
    fx_write_dir(f, SID, 1100, fx_ptbl_addr(SID, 1100) | VTD_PDIR_P | VTD_BIT(5));
    fx_pc(f, VTD_PC_G_DOMAIN, DID, 0);
    CHECK_EQ_U64(fx_attached(f, SID, pasids[2]), 0);
    CHECK(bound_as_expected(f, SID, pasids[1], FX_PGTBL(2), 48, 0));
    CHECK(bound_as_expected(f, SID, pasids[3], FX_PGTBL(4), 48, 0));
    fx_free(f);
}

static void largest_pasid(void)
{
    uint64_t pe[8];
    struct fx *f = fx_new(20, false);
    CHECK_EQ_U64(fx_plug(f, SID, 20), 0);
    fx_map_dev(f, SID, 7);
    fx_pe_fs(pe, DID, FX_PGTBL(3), 0, 0);
    fx_set_pe(f, SID, 0xfffff, pe);
    fx_translated(f);
    CHECK(bound_as_expected(f, SID, 0xfffff, FX_PGTBL(3), 48, 0));
    fx_free(f);
}

/*
 * A directory pointer near the top of the address space: its last pages lie
 * past 2^64. They are not memory; they must not wrap to guest address 0
 * (found by fuzz_pasid_table, reproducers/fuzz_pasid_table/libfuzzer-d7714309).
 */
static void directory_past_top_of_memory(void)
{
    const uint64_t dir = 0xffffffffffff2000ull;   /* 0xe000 bytes below 2^64 */
    const uint32_t wrapped = 0xe000 / 8;          /* first index past 2^64 */
    const uint32_t pasid = (wrapped + 2) * 64;    /* its entry would be at 0x10 */
    uint64_t pe[8];
    struct fx *f = fx_new(20, false);
    CHECK_EQ_U64(fx_plug(f, SID, 20), 0);
    fx_map_dev(f, SID, 7);
    fx_write_ctx(f, SID, dir | VTD_CTX_P | ((uint64_t)7 << VTD_CTX_PDTS_SHIFT), 0, 0, 0);
    fx_w64(f, 0x10, fx_ptbl_addr(SID, pasid >> 6) | VTD_PDIR_P);
    fx_pe_fs(pe, DID, FX_PGTBL(1), 0, 0);
    fx_write_pe_raw(f, SID, pasid, pe);
    fx_translated(f);
    CHECK_EQ_U64(fx_attached(f, SID, pasid), 0);
    CHECK_EQ_U64(fx_cache_count(f), 0);
    fx_pc(f, VTD_PC_G_PASID, DID, pasid);
    CHECK_EQ_U64(fx_attached(f, SID, pasid), 0);
    fx_free(f);
}

/*
 * A failed DMA read gets the bytes of the last good read of its length, as
 * the fuzz harness hands them out (fuzz/guest/guest_driver.c): for a walk,
 * the same level read by the walk before. model/vtd.h gives a failed
 * read's buffer no meaning, so a level that cannot be read binds nothing,
 * whatever the buffer holds.
 */
static uint64_t stale_from[VTD_PE_QWORDS + 1];     /* by length in qwords */

static int read_fails_with_stale(void *opaque, uint64_t addr, void *buf, size_t len)
{
    int rc = guest_mem_read(opaque, addr, buf, len);
    if (len % 8 != 0 || len > VTD_PE_BYTES)
        return rc;
    if (rc == 0)
        stale_from[len / 8] = addr;
    else if (stale_from[len / 8])
        (void)guest_mem_read(opaque, stale_from[len / 8], buf, len);
    return rc;
}

#define SID_BUS3 0x0308u  /* its own root entry and context table */

static struct fx *stale_setup(void)
{
    uint64_t pe[8];
    memset(stale_from, 0, sizeof stale_from);
    struct fx *f = fx_new(20, false);
    vtd_destroy(f->vtd);
    f->cfg.dma_read = read_fails_with_stale;
    f->vtd = vtd_create(&f->cfg);
    if (!f->vtd)
        abort();
    CHECK_EQ_U64(fx_plug(f, SID, 20), 0);
    CHECK_EQ_U64(fx_plug(f, SID_BUS3, 20), 0);
    fx_map_dev(f, SID, 7);
    fx_map_dev(f, SID_BUS3, 7);
    fx_pe_fs(pe, DID, FX_PGTBL(1), 0, 0);
    fx_set_pe(f, SID, PASID, pe);
    fx_set_pe(f, SID_BUS3, PASID, pe);
    fx_translated(f);
    CHECK(bound_as_expected(f, SID, PASID, FX_PGTBL(1), 48, 0));
    CHECK(bound_as_expected(f, SID_BUS3, PASID, FX_PGTBL(1), 48, 0));
    return f;
}

static void failed_reads_not_used(void)
{
    /* Directory entry on a directory page never written (entry 512 of
     * 16384), right after a walk read PASID's entry. */
    struct fx *f = stale_setup();
    const uint32_t far = PASID + 64 * 512, next_table = PASID + 64;
    fx_pc(f, VTD_PC_G_PASID, DID, PASID);
    fx_pc(f, VTD_PC_G_PASID, DID, far);
    CHECK_EQ_U64(fx_attached(f, SID, far), 0);
    CHECK_EQ_U64(fx_attached(f, SID_BUS3, far), 0);

    /* A present directory entry naming a table never written. */
    fx_write_dir(f, SID, next_table >> 6, 0xb000000 | VTD_PDIR_P);
    fx_pc(f, VTD_PC_G_PASID, DID, PASID);
    fx_pc(f, VTD_PC_G_PASID, DID, next_table);
    CHECK_EQ_U64(fx_attached(f, SID, next_table), 0);

    /* The root table moved to memory that is not there, and back. */
    fx_srtp(f, 0x9000000 | VTD_RTADDR_SMT);
    CHECK_EQ_U64(fx_attached(f, SID, PASID), 0);
    CHECK_EQ_U64(fx_attached(f, SID_BUS3, PASID), 0);
    fx_srtp(f, FX_RTADDR_SM);
    CHECK(bound_as_expected(f, SID_BUS3, PASID, FX_PGTBL(1), 48, 0));

    /* The second device's context table moved to memory that is not
     * there; the first device's walk reads its own just before. */
    fx_write_root(f, SID_BUS3 >> 8, 0x9000000 | VTD_ROOT_P, 0);
    fx_pc_global(f);
    CHECK(bound_as_expected(f, SID, PASID, FX_PGTBL(1), 48, 0));
    CHECK_EQ_U64(fx_attached(f, SID_BUS3, PASID), 0);
    fx_free(f);
}

CHECK_MAIN(TEST(root_entry), TEST(root_entry_halves), TEST(root_table_unreadable),
           TEST(context_entry), TEST(directory_entry), TEST(pasid_entry),
           TEST(unsupported_pgtt_and_fspm), TEST(five_level), TEST(first_stage_config_exact),
           TEST(pass_through_binds_parent), TEST(pasid_range), TEST(directory_shrinks), TEST(directory_pages),
           TEST(largest_pasid), TEST(directory_past_top_of_memory),
           TEST(failed_reads_not_used))

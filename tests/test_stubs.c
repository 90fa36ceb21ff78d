/*
 * Unit tests of stubs/: violation reporting, sparse guest memory, the
 * spec-level table resolver and the iq-state check. The backend's tests
 * live in test_stubs_backend.c.
 */
#include <errno.h>
#include <string.h>

#include "check.h"
#include "iq_check.h"
#include "stubs_bench.h"
#include "violation.h"

/* ---- violation ---- */

static void names_are_the_design_ids(void)
{
    static const char *const want[PF_V_COUNT] = {
        "bind-deleted", "bind-config", "bind-range", "hwpt-dead", "hwpt-busy-free",
        "hwpt-leak", "dev-unplugged", "detach-unbound", "list-corrupt", "cache-incoherent",
        "oracle-mismatch", "iq-state", "iotlb-stale", "reg-write", "reg-value", "api-result",
    };
    for (unsigned i = 0; i < PF_V_COUNT; i++) {
        const char *n = pf_violation_name((enum pf_violation)i);
        CHECK(n && strcmp(n, want[i]) == 0);
    }
    CHECK(pf_violation_name(PF_V_COUNT) == NULL);
    CHECK(pf_violation_name((enum pf_violation)-1) == NULL);
}

/* The oracle (a later issue) raises oracle-mismatch; here only the line. */
static void raise_oracle_mismatch(void *arg)
{
    (void)arg;
    pf_violation(PF_V_ORACLE_MISMATCH, "dev=%u sid=0x%04x pasid=%u expected hwpt=%u got %u", 1,
                 8, 5, 3, 4);
}

static void oracle_quiet(void *arg)
{
    (void)arg;
    /* The good sequence: naming the id prints nothing and returns. */
    if (strcmp(pf_violation_name(PF_V_ORACLE_MISMATCH), "oracle-mismatch") != 0)
        abort();
}

static void raise_multiline(void *arg)
{
    (void)arg;
    pf_violation(PF_V_IQ_STATE, "first\nsecond\r");
}

static void violation_oracle_mismatch(void)
{
    CHECK_DIES(raise_oracle_mismatch, NULL,
               "pasidfuzz: VIOLATION oracle-mismatch: dev=1 sid=0x0008 pasid=5 expected hwpt=3 "
               "got 4");
    CHECK_SURVIVES(oracle_quiet, NULL);
    /* A detail never breaks the line triage reads. */
    CHECK_DIES(raise_multiline, NULL, "pasidfuzz: VIOLATION iq-state: first second ");
}

/* ---- guest memory ---- */

static void gm_unwritten_read_fails(void)
{
    struct guest_mem *m = guest_mem_new(48, 16);
    uint8_t buf[8];
    memset(buf, 0xaa, sizeof buf);
    CHECK_EQ_U64(guest_mem_read(m, 0x1000, buf, 8), (uint64_t)-EFAULT);
    CHECK_EQ_U64(buf[0], 0xaa);         /* a failed read leaves the buffer */
    uint64_t v = 7;
    CHECK_EQ_U64(guest_mem_read_u64(m, 0, &v), (uint64_t)-EFAULT);
    CHECK_EQ_U64(v, 7);
    /* Writing one qword backs the whole page, the rest reads as zero, the
     * next page is still unbacked. */
    CHECK_EQ_U64(guest_mem_write_u64(m, 0x1008, 0x1122334455667788ull), 0);
    CHECK_EQ_U64(guest_mem_read_u64(m, 0x1000, &v), 0);
    CHECK_EQ_U64(v, 0);
    CHECK_EQ_U64(guest_mem_read_u64(m, 0x1008, &v), 0);
    CHECK_EQ_U64(v, 0x1122334455667788ull);
    CHECK_EQ_U64(guest_mem_read(m, 0x1001, buf, 8), 0);
    CHECK_EQ_U64(buf[7], 0x88);         /* little-endian */
    CHECK_EQ_U64(guest_mem_read(m, 0x2000, buf, 1), (uint64_t)-EFAULT);
    CHECK_EQ_U64(guest_mem_read(m, 0x5000, buf, 0), 0);
    CHECK_EQ_U64(guest_mem_pages_used(m), 1);
    guest_mem_free(m);
}

static void gm_width_bound(void)
{
    CHECK(guest_mem_new(11, 4) == NULL);
    CHECK(guest_mem_new(64, 4) == NULL);
    struct guest_mem *m = guest_mem_new(48, 16);
    CHECK_EQ_U64(guest_mem_addr_width(m), 48);
    uint64_t top = 1ull << 48, v = 0;
    CHECK_EQ_U64(guest_mem_write_u64(m, top - 8, 42), 0);
    CHECK_EQ_U64(guest_mem_read_u64(m, top - 8, &v), 0);
    CHECK_EQ_U64(v, 42);
    CHECK_EQ_U64(guest_mem_write_u64(m, top - 4, 1), (uint64_t)-EFAULT);
    CHECK_EQ_U64(guest_mem_read_u64(m, top - 4, &v), (uint64_t)-EFAULT);
    CHECK_EQ_U64(guest_mem_write_u64(m, top, 1), (uint64_t)-EFAULT);
    CHECK_EQ_U64(guest_mem_write_u64(m, UINT64_MAX - 3, 1), (uint64_t)-EFAULT);
    CHECK_EQ_U64(guest_mem_read(m, UINT64_MAX, &v, 1), (uint64_t)-EFAULT);
    /* A length that would wrap the address space. */
    CHECK_EQ_U64(guest_mem_write(m, 0x1000, &v, SIZE_MAX), (uint64_t)-EFAULT);
    guest_mem_free(m);

    m = guest_mem_new(12, 4);           /* exactly one page of address space */
    CHECK_EQ_U64(guest_mem_write_u64(m, 0xff8, 5), 0);
    CHECK_EQ_U64(guest_mem_write_u64(m, 0x1000, 5), (uint64_t)-EFAULT);
    guest_mem_free(m);

    m = guest_mem_new(63, 4);
    CHECK_EQ_U64(guest_mem_write_u64(m, (1ull << 63) - 8, 9), 0);
    CHECK_EQ_U64(guest_mem_write_u64(m, 1ull << 63, 9), (uint64_t)-EFAULT);
    guest_mem_free(m);
}

static void gm_reset(void)
{
    struct guest_mem *m = guest_mem_new(48, 64);
    for (uint64_t i = 0; i < 40; i++)
        CHECK_EQ_U64(guest_mem_write_u64(m, i << 20, i + 1), 0);
    CHECK_EQ_U64(guest_mem_pages_used(m), 40);
    guest_mem_reset(m);
    CHECK_EQ_U64(guest_mem_pages_used(m), 0);
    uint64_t v = 0;
    for (uint64_t i = 0; i < 40; i++)
        CHECK_EQ_U64(guest_mem_read_u64(m, i << 20, &v), (uint64_t)-EFAULT);
    /* Pages reused from the pool come back zeroed, at new addresses too. */
    CHECK_EQ_U64(guest_mem_write_u64(m, (3ull << 20) + 8, 1), 0);
    CHECK_EQ_U64(guest_mem_read_u64(m, 3ull << 20, &v), 0);
    CHECK_EQ_U64(v, 0);
    CHECK_EQ_U64(guest_mem_write_u64(m, 0x7777000, 1), 0);
    CHECK_EQ_U64(guest_mem_read_u64(m, 0x7777008, &v), 0);
    CHECK_EQ_U64(v, 0);
    CHECK_EQ_U64(guest_mem_pages_used(m), 2);
    guest_mem_reset(m);
    guest_mem_reset(m);                 /* twice in a row is harmless */
    CHECK_EQ_U64(guest_mem_pages_used(m), 0);
    guest_mem_free(m);
}

static void gm_page_crossing(void)
{
    struct guest_mem *m = guest_mem_new(48, 3);
    uint8_t in[32], out[32];
    for (unsigned i = 0; i < sizeof in; i++)
        in[i] = (uint8_t)(i + 1);
    CHECK_EQ_U64(guest_mem_write(m, 0x1ff0, in, sizeof in), 0);
    CHECK_EQ_U64(guest_mem_pages_used(m), 2);
    CHECK_EQ_U64(guest_mem_read(m, 0x1ff0, out, sizeof out), 0);
    CHECK(memcmp(in, out, sizeof in) == 0);
    uint64_t v = 0;
    CHECK_EQ_U64(guest_mem_read_u64(m, 0x1ffc, &v), 0);   /* straddles the boundary */
    CHECK_EQ_U64(v, 0x14131211100f0e0dull);
    /* A read that runs into an unbacked page fails as a whole. */
    memset(out, 0xee, sizeof out);
    CHECK_EQ_U64(guest_mem_read(m, 0x2ff0, out, 32), (uint64_t)-EFAULT);
    CHECK_EQ_U64(out[0], 0xee);
    /* A write that needs two new pages with room for one changes nothing. */
    CHECK_EQ_U64(guest_mem_write(m, 0x9ff8, in, 16), (uint64_t)-EFAULT);
    CHECK_EQ_U64(guest_mem_pages_used(m), 2);
    CHECK_EQ_U64(guest_mem_read_u64(m, 0x9ff8, &v), (uint64_t)-EFAULT);
    /* One new page next to a backed one fits. */
    CHECK_EQ_U64(guest_mem_write(m, 0x2ff8, in, 16), 0);
    CHECK_EQ_U64(guest_mem_pages_used(m), 3);
    guest_mem_free(m);
}

static void gm_pool_exhaustion(void)
{
    struct guest_mem *m = guest_mem_new(48, 4);
    for (uint64_t i = 0; i < 4; i++)
        CHECK_EQ_U64(guest_mem_write_u64(m, i * 0x10000, i), 0);
    CHECK_EQ_U64(guest_mem_write_u64(m, 0x100000, 1), (uint64_t)-EFAULT);
    CHECK_EQ_U64(guest_mem_write_u64(m, 0x30008, 7), 0);   /* backed pages still take writes */
    CHECK_EQ_U64(guest_mem_pages_used(m), 4);
    guest_mem_reset(m);
    for (uint64_t i = 0; i < 4; i++)
        CHECK_EQ_U64(guest_mem_write_u64(m, 0x500000 + i * 0x1000, i), 0);
    CHECK_EQ_U64(guest_mem_write_u64(m, 0, 1), (uint64_t)-EFAULT);
    guest_mem_free(m);

    m = guest_mem_new(48, 0);
    CHECK_EQ_U64(guest_mem_write_u64(m, 0, 1), (uint64_t)-EFAULT);
    guest_mem_free(m);
}

static void gm_many_pages(void)
{
    /* Enough pages to grow the hash several times, strided by powers of
     * two the way table pages are. */
    struct guest_mem *m = guest_mem_new(48, 5000);
    for (uint64_t i = 0; i < 3000; i++)
        CHECK_EQ_U64(guest_mem_write_u64(m, (i << 24) | 0x18, i * 3), 0);
    uint64_t v = 0;
    unsigned bad = 0;
    for (uint64_t i = 0; i < 3000; i++)
        bad += guest_mem_read_u64(m, (i << 24) | 0x18, &v) != 0 || v != i * 3;
    CHECK_EQ_U64(bad, 0);
    guest_mem_reset(m);
    for (uint64_t i = 0; i < 3000; i++)
        bad += guest_mem_read_u64(m, (i << 24) | 0x18, &v) != -EFAULT;
    CHECK_EQ_U64(bad, 0);
    guest_mem_free(m);
}

/* Allocation counting where a sanitizer runtime offers the hooks (dev
 * preset); elsewhere only the behaviour below is checked. */
int __sanitizer_install_malloc_and_free_hooks(void (*m)(const volatile void *, size_t),
                                              void (*f)(const volatile void *))
    __attribute__((weak));
static unsigned long gm_allocs;

static void gm_count_malloc(const volatile void *p, size_t n)
{
    (void)p;
    (void)n;
    gm_allocs++;
}

static void gm_count_free(const volatile void *p)
{
    if (p)
        gm_allocs++;
}

static void gm_preallocated(void)
{
    struct guest_mem *m = guest_mem_new(48, 8);
    CHECK_EQ_U64(guest_mem_write_u64(m, 0x1000, 1), 0);
    CHECK_EQ_U64(guest_mem_preallocate(m), (uint64_t)-EBUSY);
    guest_mem_reset(m);
    CHECK_EQ_U64(guest_mem_preallocate(m), 0);
    bool counting = __sanitizer_install_malloc_and_free_hooks &&
                    __sanitizer_install_malloc_and_free_hooks(gm_count_malloc, gm_count_free);
    unsigned long before = gm_allocs;
    uint64_t v = 0;
    for (unsigned round = 0; round < 3; round++) {
        for (uint64_t i = 0; i < 8; i++)
            CHECK_EQ_U64(guest_mem_write_u64(m, (i << 30) + 8 * round, i + 1), 0);
        CHECK_EQ_U64(guest_mem_write_u64(m, 9ull << 30, 1), (uint64_t)-EFAULT);
        CHECK_EQ_U64(guest_mem_pages_used(m), 8);
        /* Earlier rounds' values are gone: pages come back zeroed. */
        CHECK_EQ_U64(guest_mem_read_u64(m, 7ull << 30, &v), 0);
        CHECK_EQ_U64(v, round == 0 ? 8 : 0);
        guest_mem_reset(m);
        CHECK_EQ_U64(guest_mem_read_u64(m, 0, &v), (uint64_t)-EFAULT);
    }
    if (counting)
        CHECK_EQ_U64(gm_allocs - before, 0);
    guest_mem_free(m);
}

/* The written span of a page bounds its non-zero bytes, and a page reused
 * after a reset is zero everywhere an earlier input wrote. */
static void gm_peek_page_span(void)
{
    struct guest_mem *m = guest_mem_new(48, 2);
    CHECK_EQ_U64(guest_mem_preallocate(m), 0);
    size_t lo = 0, hi = 0;
    CHECK(guest_mem_peek_page(m, 0x3000, &lo, &hi) == NULL);
    CHECK_EQ_U64(guest_mem_write_u64(m, 0x3ff8, ~0ull), 0);
    CHECK_EQ_U64(guest_mem_write_u64(m, 0x3100, ~0ull), 0);
    const uint8_t *p = guest_mem_peek_page(m, 0x3000, &lo, &hi);
    CHECK(p != NULL);
    CHECK_EQ_U64(lo, 0x100);
    CHECK_EQ_U64(hi, 0x1000);
    CHECK(guest_mem_peek_page(m, 0x3008, &lo, &hi) == NULL);     /* not page aligned */
    guest_mem_reset(m);
    CHECK_EQ_U64(guest_mem_write_u64(m, 0x5000, 1), 0);        /* reuses the buffer */
    p = guest_mem_peek_page(m, 0x5000, &lo, &hi);
    CHECK(p != NULL);
    CHECK_EQ_U64(lo, 0);
    CHECK_EQ_U64(hi, 8);
    uint8_t page[4096];
    CHECK_EQ_U64(guest_mem_read(m, 0x5000, page, sizeof page), 0);
    for (size_t i = 8; i < sizeof page; i++)
        CHECK_EQ_U64(page[i], 0);
    guest_mem_free(m);
}

/* ---- gt_resolve ---- */

static enum gt_reason resolve(struct sb *b, uint16_t sid, uint8_t max, uint32_t pasid,
                              struct gt_binding *out)
{
    gt_resolve(&b->v, sid, max, pasid, out);
    if (out->kind != GT_NONE)
        CHECK_EQ_U64(out->reason, GT_OK);
    return out->reason;
}

static struct sb *gt_bench(void)
{
    struct sb *b = sb_new_mem(20, false);
    sb_map(b, SID_A, 0);
    sb_set_fs(b, SID_A, 5, SB_PGTBL(1));
    return b;
}

static void gt_untranslated(void)
{
    struct sb *b = gt_bench();
    struct gt_binding r;
    CHECK_EQ_U64(resolve(b, SID_A, 20, 5, &r), GT_OK);
    CHECK(gt_translated(&b->v));
    static const uint64_t roots[] = {SB_ROOT, SB_ROOT | (2ull << 10), SB_ROOT | (3ull << 10)};
    for (unsigned i = 0; i < 4; i++) {
        b->v.te = i == 3 ? false : true;
        b->v.rtaddr = i == 3 ? SB_RTADDR_SM : roots[i];
        CHECK(!gt_translated(&b->v));
        CHECK_EQ_U64(resolve(b, SID_A, 20, 5, &r), GT_UNTRANSLATED);
        CHECK_EQ_U64(r.kind, GT_NONE);
        /* Requests without PASID go to the parent, whatever memory says. */
        CHECK_EQ_U64(resolve(b, SID_A, 20, 0, &r), GT_OK);
        CHECK_EQ_U64(r.kind, GT_PASS_THROUGH);
        CHECK_EQ_U64(resolve(b, 0x4242, 0, 0, &r), GT_OK);
    }
    sb_free(b);
}

static void gt_out_of_range(void)
{
    struct sb *b = sb_new_mem(8, false);
    sb_map(b, SID_A, 0);                /* 128 directory entries: 8192 PASIDs */
    sb_set_fs(b, SID_A, 255, SB_PGTBL(1));
    struct gt_binding r;
    CHECK_EQ_U64(resolve(b, SID_A, 20, 255, &r), GT_OK);
    CHECK_EQ_U64(resolve(b, SID_A, 20, 256, &r), GT_OUT_OF_RANGE);     /* pasid_bits */
    CHECK_EQ_U64(resolve(b, SID_A, 7, 128, &r), GT_OUT_OF_RANGE);      /* device */
    CHECK_EQ_U64(resolve(b, SID_A, 0, 1, &r), GT_OUT_OF_RANGE);
    CHECK_EQ_U64(gt_pasid_limit(&b->v, 20), 256);
    CHECK_EQ_U64(gt_pasid_limit(&b->v, 3), 8);
    CHECK_EQ_U64(gt_pasid_limit(&b->v, 0), 1);
    CHECK_EQ_U64(gt_dir_pasid_limit(&b->v, SID_A), 8192);
    CHECK_EQ_U64(gt_dir_pasid_limit(&b->v, SID_B), 0);    /* no context */
    b->v.pasid_bits = 20;
    CHECK_EQ_U64(gt_pasid_limit(&b->v, 255), 1u << 20);   /* clamped, no wild shift */
    sb_set_fs(b, SID_A, 8191, SB_PGTBL(2));
    CHECK_EQ_U64(resolve(b, SID_A, 20, 8191, &r), GT_OK);
    CHECK_EQ_U64(resolve(b, SID_A, 20, 8192, &r), GT_OUT_OF_RANGE);   /* directory */
    /* PDTS 7: 2^14 directory entries cover all 2^20 PASIDs. */
    sb_map(b, SID_A, 7);
    CHECK_EQ_U64(gt_dir_pasid_limit(&b->v, SID_A), 1u << 20);
    sb_set_fs(b, SID_A, (1u << 20) - 1, SB_PGTBL(3));
    CHECK_EQ_U64(resolve(b, SID_A, 20, (1u << 20) - 1, &r), GT_OK);
    CHECK_EQ_U64(resolve(b, SID_A, 20, 1u << 20, &r), GT_OUT_OF_RANGE);
    sb_free(b);
}

static void gt_root_rules(void)
{
    struct sb *b = gt_bench();
    struct gt_binding r;
    uint64_t good = sb_r64(b, SB_ROOT);
    sb_w64(b, SB_ROOT, good & ~VTD_ROOT_P);
    CHECK_EQ_U64(resolve(b, SID_A, 20, 5, &r), GT_ROOT_BAD);
    CHECK_EQ_U64(gt_dir_pasid_limit(&b->v, SID_A), 0);
    sb_w64(b, SB_ROOT, good | VTD_BIT(1));
    CHECK_EQ_U64(resolve(b, SID_A, 20, 5, &r), GT_ROOT_BAD);
    sb_w64(b, SB_ROOT, good | VTD_BIT(11));
    CHECK_EQ_U64(resolve(b, SID_A, 20, 5, &r), GT_ROOT_BAD);
    sb_w64(b, SB_ROOT, good);
    CHECK_EQ_U64(resolve(b, SID_A, 20, 5, &r), GT_OK);
    /* Unreadable root table. */
    b->v.rtaddr = 0x7000000000ull | VTD_RTADDR_SMT;
    CHECK_EQ_U64(resolve(b, SID_A, 20, 5, &r), GT_ROOT_BAD);
    b->v.rtaddr = SB_RTADDR_SM;
    /* devfn >= 128 reads the high qword: SID_HI on bus 1 works without the
     * low half, and SID 0x0108 (same bus, low half) does not. */
    sb_map(b, SID_HI, 0);
    sb_set_pt(b, SID_HI, 3);
    CHECK_EQ_U64(resolve(b, SID_HI, 20, 3, &r), GT_OK);
    CHECK_EQ_U64(r.kind, GT_PASS_THROUGH);
    CHECK_EQ_U64(sb_r64(b, SB_ROOT + 16), 0);
    CHECK_EQ_U64(resolve(b, 0x0108, 20, 3, &r), GT_ROOT_BAD);
    sb_free(b);
}

static void gt_context_rules(void)
{
    struct sb *b = gt_bench();
    struct gt_binding r;
    uint64_t ce = sb_ctx_addr(SID_A), q0 = sb_r64(b, ce);
    static const struct { unsigned qw; uint64_t bits; bool bad; } cases[] = {
        {0, VTD_CTX_P, true},           /* cleared below, not set */
        {0, VTD_BIT(5), true}, {0, VTD_BIT(8), true},
        {1, VTD_BIT(21), true}, {1, VTD_BIT(63), true},
        {2, 1, true}, {3, VTD_BIT(40), true},
        {0, VTD_CTX_FPD | VTD_CTX_PRE, false},  /* not reserved */
        {1, VTD_MASK(20, 0), false},            /* RID_PASID */
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint64_t a = ce + 8 * cases[i].qw, old = sb_r64(b, a);
        sb_w64(b, a, i == 0 ? old & ~VTD_CTX_P : old | cases[i].bits);
        CHECK_EQ_U64(resolve(b, SID_A, 20, 5, &r), cases[i].bad ? GT_CONTEXT_BAD : GT_OK);
        CHECK_EQ_U64(gt_dir_pasid_limit(&b->v, SID_A), cases[i].bad ? 0 : 8192);
        sb_w64(b, a, old);
    }
    CHECK_EQ_U64(sb_r64(b, ce), q0);
    /* Root points at an unbacked context table. */
    sb_w64(b, SB_ROOT, 0x6000000000ull | VTD_ROOT_P);
    CHECK_EQ_U64(resolve(b, SID_A, 20, 5, &r), GT_CONTEXT_BAD);
    sb_free(b);
}

static void gt_dir_rules(void)
{
    struct sb *b = gt_bench();
    struct gt_binding r;
    uint64_t de = SB_DIR(SID_A), good = sb_r64(b, de);
    sb_w64(b, de, good & ~VTD_PDIR_P);
    CHECK_EQ_U64(resolve(b, SID_A, 20, 5, &r), GT_DIR_BAD);
    sb_w64(b, de, good | VTD_BIT(2));
    CHECK_EQ_U64(resolve(b, SID_A, 20, 5, &r), GT_DIR_BAD);
    sb_w64(b, de, good | VTD_BIT(11));
    CHECK_EQ_U64(resolve(b, SID_A, 20, 5, &r), GT_DIR_BAD);
    sb_w64(b, de, good | VTD_PDIR_FPD);
    CHECK_EQ_U64(resolve(b, SID_A, 20, 5, &r), GT_OK);
    /* Directory entry 3 was never written: reads as zero, not present. */
    CHECK_EQ_U64(resolve(b, SID_A, 20, 64 * 3, &r), GT_DIR_BAD);
    /* Context points at an unbacked directory. */
    sb_map_ctx(b, SID_A, 0x6600000000ull | VTD_CTX_P, 0);
    CHECK_EQ_U64(resolve(b, SID_A, 20, 5, &r), GT_DIR_BAD);
    /* A directory pointer whose entry address carries past 2^64 is not
     * read at a wrapped-around address, even when that one is backed. */
    sb_map_ctx(b, SID_A, 0xfffffffffffff000ull | (7ull << VTD_CTX_PDTS_SHIFT) | VTD_CTX_P, 0);
    sb_w64(b, 0, SB_PTBL(SID_A, 0) | VTD_PDIR_P);
    CHECK_EQ_U64(resolve(b, SID_A, 20, 512 * 64 + 5, &r), GT_DIR_BAD);
    sb_free(b);
}

static void gt_entry_rules(void)
{
    struct sb *b = gt_bench();
    struct gt_binding r;
    uint64_t pe[8];
    sb_pe_fs(pe, 9, SB_PGTBL(1), 0, 0);
    static const struct { unsigned qw; uint64_t bits; bool bad; } cases[] = {
        {1, VTD_BIT(16), true}, {1, VTD_BIT(22), true},
        {2, VTD_BIT(8), true}, {2, VTD_BIT(11), true},
        {4, 1, true}, {5, VTD_BIT(63), true}, {6, 2, true}, {7, VTD_BIT(32), true},
        {3, ~0ull, false},                              /* qword 3 is ignored */
        {0, VTD_PE_FPD | (7ull << 2), false},           /* FPD, AW: not checked */
        {1, VTD_MASK(63, 23), false},
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint64_t x[8];
        memcpy(x, pe, sizeof x);
        x[cases[i].qw] |= cases[i].bits;
        sb_pe_raw(b, SID_A, 5, x);
        CHECK_EQ_U64(resolve(b, SID_A, 20, 5, &r), cases[i].bad ? GT_ENTRY_BAD : GT_OK);
        CHECK(memcmp(r.entry, x, sizeof x) == 0);       /* the entry as read */
    }
    pe[0] &= ~VTD_PE_P;
    sb_pe_raw(b, SID_A, 5, pe);
    CHECK_EQ_U64(resolve(b, SID_A, 20, 5, &r), GT_ENTRY_BAD);
    CHECK_EQ_U64(r.did, 0);
    /* Directory entry pointing at an unbacked PASID table. */
    sb_w64(b, SB_DIR(SID_A), 0x5500000000ull | VTD_PDIR_P);
    CHECK_EQ_U64(resolve(b, SID_A, 20, 5, &r), GT_ENTRY_BAD);
    sb_free(b);
}

static void gt_pgtt_and_fspm(void)
{
    struct sb *b = gt_bench();
    struct gt_binding r;
    uint64_t pe[8];
    for (unsigned pgtt = 0; pgtt < 8; pgtt++) {
        sb_pe_fs(pe, 9, SB_PGTBL(1), 0, 0);
        pe[0] = (pe[0] & ~VTD_MASK(8, 6)) | ((uint64_t)pgtt << VTD_PE_PGTT_SHIFT);
        sb_set_pe(b, SID_A, 7, pe);
        enum gt_reason want = pgtt == 1 || pgtt == 4 ? GT_OK : GT_ENTRY_BAD;
        CHECK_EQ_U64(resolve(b, SID_A, 20, 7, &r), want);
    }
    sb_pe_pt(pe, 0x1234);
    sb_set_pe(b, SID_A, 7, pe);
    CHECK_EQ_U64(resolve(b, SID_A, 20, 7, &r), GT_OK);
    CHECK_EQ_U64(r.kind, GT_PASS_THROUGH);
    CHECK_EQ_U64(r.did, 0x1234);

    for (unsigned fspm = 0; fspm < 4; fspm++) {
        for (unsigned five = 0; five < 2; five++) {
            b->v.fs_5level = five;
            sb_pe_fs(pe, 3, SB_PGTBL(4), fspm, 0);
            sb_set_pe(b, SID_A, 7, pe);
            bool ok = fspm == 0 || (fspm == 1 && five);
            CHECK_EQ_U64(resolve(b, SID_A, 20, 7, &r), ok ? GT_OK : GT_ENTRY_BAD);
            if (ok)
                CHECK_EQ_U64(r.s1.addr_width, fspm ? 57 : 48);
        }
    }
    sb_free(b);
}

static void gt_first_stage_config(void)
{
    struct sb *b = gt_bench();
    struct gt_binding r;
    uint64_t pe[8];
    for (uint32_t flags = 0; flags <= VTD_S1_FLAGS_ALL; flags++) {
        sb_pe_fs(pe, 0xbeef, 0xabcdef000ull, 0, flags);
        pe[2] |= VTD_BIT(1) | VTD_BIT(5) | VTD_BIT(6);  /* not part of the config */
        sb_set_pe(b, SID_A, 9, pe);
        CHECK_EQ_U64(resolve(b, SID_A, 20, 9, &r), GT_OK);
        CHECK_EQ_U64(r.kind, GT_FIRST_STAGE);
        CHECK_EQ_U64(r.did, 0xbeef);
        CHECK_EQ_U64(r.s1.pgtbl_addr, 0xabcdef000ull);
        CHECK_EQ_U64(r.s1.addr_width, 48);
        CHECK_EQ_U64(r.s1.flags, flags);
    }
    CHECK(strcmp(gt_reason_name(GT_ENTRY_BAD), "entry-bad") == 0);
    CHECK(strcmp(gt_kind_name(GT_FIRST_STAGE), "first-stage") == 0);
    sb_free(b);
}

struct scan_log {
    unsigned n;
    uint32_t pasid[16];
    enum gt_kind kind[16];
};

static void scan_visit(void *opaque, uint32_t pasid, const struct gt_binding *b)
{
    struct scan_log *l = opaque;
    if (l->n < 16) {
        l->pasid[l->n] = pasid;
        l->kind[l->n] = b->kind;
    }
    l->n++;
}

/* The page-at-a-time scan must find exactly what gt_resolve finds. */
static void gt_scan_agrees_with_resolve(void)
{
    struct sb *b = gt_bench();                  /* FS at 5, PDTS 0 */
    sb_set_pt(b, SID_A, 0);
    sb_set_pt(b, SID_A, 64 * 70 + 1);
    sb_set_fs(b, SID_A, 8191, SB_PGTBL(2));
    uint64_t pe[8];
    sb_pe_fs(pe, 1, SB_PGTBL(3), 2, 0);         /* FSPM 2: invalid */
    sb_set_pe(b, SID_A, 6, pe);
    sb_set_pt(b, SID_A, 64 * 9);
    sb_w64(b, SB_DIR(SID_A) + 9 * 8, SB_PTBL(SID_A, 9) | VTD_BIT(3));  /* reserved */
    struct scan_log l = {0};
    gt_for_each_valid(&b->v, SID_A, 20, scan_visit, &l);
    unsigned want = 0;
    struct gt_binding r;
    for (uint32_t p = 0; p < 8192; p++) {
        gt_resolve(&b->v, SID_A, 20, p, &r);
        if (r.kind == GT_NONE)
            continue;
        CHECK(want < l.n && l.pasid[want] == p && l.kind[want] == r.kind);
        want++;
    }
    CHECK_EQ_U64(l.n, want);
    CHECK_EQ_U64(want, 4);                      /* 0, 5, 4481, 8191 */
    l.n = 0;
    gt_for_each_valid(&b->v, SID_A, 2, scan_visit, &l);    /* device limit 4 */
    CHECK_EQ_U64(l.n, 1);
    b->v.te = false;
    l.n = 0;
    gt_for_each_valid(&b->v, SID_A, 20, scan_visit, &l);
    CHECK_EQ_U64(l.n, 0);
    sb_free(b);
}

/* ---- iq_check ---- */

#define IQ_BASE 0x200000ull
#define IQ_STATUS 0x300000ull

struct iqb {
    struct guest_mem *mem;
    struct iq_regs before, after;
    struct iq_outcome out;
    bool dw;
};

/* A queue of QS 0 in fresh memory, head and tail at 0, QI on. */
static void iqb_init(struct iqb *q, bool dw)
{
    q->mem = guest_mem_new(48, 64);
    q->dw = dw;
    uint64_t iqa = IQ_BASE | (dw ? VTD_IQA_DW : 0);
    q->before = (struct iq_regs){.iqa = iqa, .qies = true};
    q->after = q->before;
    uint8_t zero[4096] = {0};
    if (guest_mem_write(q->mem, IQ_BASE, zero, sizeof zero) != 0)
        abort();
}

static void iqb_put(struct iqb *q, unsigned slot, uint64_t q0, uint64_t q1)
{
    uint64_t a = IQ_BASE + (uint64_t)slot * (q->dw ? 32u : 16u);
    if (guest_mem_write_u64(q->mem, a, q0) || guest_mem_write_u64(q->mem, a + 8, q1))
        abort();
}

static void iqb_status(struct iqb *q, uint64_t addr, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    if (guest_mem_write(q->mem, addr, b, 4))
        abort();
}

static uint64_t wait_q0(uint32_t data)
{
    return VTD_DESC_WAIT | VTD_WAIT_SW | ((uint64_t)data << 32);
}

/* Each scenario: arg selects the variant; even = good, odd = bad. */
static void iq_scenario(void *arg)
{
    int which = (int)(intptr_t)arg;
    struct iqb q;
    iqb_init(&q, which >= 20 && which < 24);
    iqb_put(&q, 0, VTD_DESC_IEC, 0);
    iqb_put(&q, 1, wait_q0(0x600d), IQ_STATUS);
    iqb_status(&q, IQ_STATUS, 0x600d);
    unsigned sz = q.dw ? 32 : 16;
    q.after.iqt = 2 * sz;
    q.after.iqh = 2 * sz;
    switch (which) {
    case 0: break;                                                  /* two consumed */
    case 1: q.before.qies = q.after.qies = false; break;           /* QI off */
    case 3: q.before.iqe = true; q.after.iqe = true; break;        /* IQE already set */
    case 5: q.after.iqh = sz; break;                               /* stopped, IQE clear */
    case 2: q.after.iqh = sz; q.after.iqe = true;                   /* stopped at a bad one */
            iqb_put(&q, 1, 0, 0); break;
    case 7: q.after.iqh = 3 * sz; break;                           /* past the tail */
    case 9: q.before.iqh = 2 * sz; q.after.iqh = sz; q.after.iqe = true; break; /* backwards */
    case 11: iqb_put(&q, 0, 0, 0); break;                          /* unknown type 0 */
    case 13: iqb_put(&q, 0, 0x200 | 0xf, 0); break;                /* type 0x1f */
    case 15: iqb_put(&q, 0, VTD_DESC_PASID_CACHE, 0); break;       /* 256-only in 128 */
    case 17: iqb_status(&q, IQ_STATUS, 0xbad); break;              /* status not written */
    case 19: iqb_put(&q, 1, wait_q0(1), 0x7000000000ull); break;   /* status unbacked */
    case 20: iqb_put(&q, 0, VTD_DESC_PASID_CACHE, 0); break;       /* 256-bit queue: fine */
    case 21: q.after.iqt = 0x30; q.after.iqh = 0x40; break;        /* DW tail bit 4 set */
    case 23: q.after.iqh = 0x30; break;                            /* half a descriptor */
    case 24: /* wrap: head 0xff0 -> 0x10 through the end of a 4 KiB ring */
        q.before.iqh = 0xff0;
        iqb_put(&q, 0xff, VTD_DESC_IEC, 0);
        iqb_put(&q, 0, wait_q0(0x600d), IQ_STATUS);
        q.after.iqt = q.after.iqh = 0x10;
        break;
    case 25: /* consumed descriptor in unbacked memory */
        q.before.iqa = q.after.iqa = 0x7700000000ull;
        break;
    case 26: /* two waits on one word: only the last one's data counts */
        iqb_put(&q, 0, wait_q0(0x1111), IQ_STATUS);
        break;
    case 27: iqb_put(&q, 0, wait_q0(0x1111), IQ_STATUS);
             iqb_status(&q, IQ_STATUS, 0x1111); break;             /* the first one's data */
    case 28: /* head does not move while QI is off: nothing to judge */
        q.before.qies = q.after.qies = false;
        q.after.iqh = 0;
        break;
    case 30: /* a status word inside the ring: contents not judged */
        iqb_put(&q, 1, wait_q0(0x5a5a), IQ_BASE + 0x104);
        iqb_put(&q, 0, 0, 0);
        break;
    default: abort();
    }
    iq_check_after_tail(q.mem, &q.before, &q.after, &q.out);
    guest_mem_free(q.mem);
}

static void iq_check_rules(void)
{
    static const int good[] = {0, 2, 20, 24, 26, 28, 30};
    static const int bad[] = {1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27};
    for (unsigned i = 0; i < sizeof good / sizeof good[0]; i++)
        CHECK_SURVIVES(iq_scenario, (void *)(intptr_t)good[i]);
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_DIES(iq_scenario, (void *)(intptr_t)bad[i], "pasidfuzz: VIOLATION iq-state:");
}

static void violation_iq_state(void)
{
    CHECK_DIES(iq_scenario, (void *)(intptr_t)17,
               "pasidfuzz: VIOLATION iq-state: wait at offset 0x10 consumed but status "
               "0x300000 holds 0x00000bad, not 0x0000600d");
    CHECK_SURVIVES(iq_scenario, (void *)(intptr_t)0);
}

CHECK_MAIN(TEST(names_are_the_design_ids), TEST(violation_oracle_mismatch),
           TEST(gm_unwritten_read_fails), TEST(gm_width_bound), TEST(gm_reset),
           TEST(gm_page_crossing), TEST(gm_pool_exhaustion), TEST(gm_many_pages),
           TEST(gm_preallocated), TEST(gm_peek_page_span),
           TEST(gt_untranslated), TEST(gt_out_of_range), TEST(gt_root_rules),
           TEST(gt_context_rules), TEST(gt_dir_rules), TEST(gt_entry_rules),
           TEST(gt_pgtt_and_fspm), TEST(gt_first_stage_config),
           TEST(gt_scan_agrees_with_resolve), TEST(iq_check_rules), TEST(violation_iq_state))

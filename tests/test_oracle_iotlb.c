/*
 * The host IOTLB check (stubs/iotlb_check.c) on hand-made call sequences:
 * the stub backend and the oracle with A/5 bound to a first stage of DID 1,
 * a PASID-IOTLB descriptor, the flushes a model might make, and the wait.
 * Each rule of the check has a variant here that shows when it is gone.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "desc_decode.h"
#include "iotlb_check.h"
#include "oracle.h"
#include "stubs_bench.h"

struct ib {
    struct sb *b;
    struct pf_oracle *o;
    struct pf_iotlb *c;
    uint32_t h;             /* the hwpt of A/5 */
};

static void ib_init(struct ib *t, bool with_b)
{
    t->b = sb_new();
    t->o = pf_oracle_new(t->b->hb);
    t->c = pf_iotlb_new(t->b->hb, t->o);
    if (!t->o || !t->c)
        abort();
    pf_oracle_plug(t->o, 0, t->b->dev_a, SID_A, 20, t->b->parent_a);
    pf_oracle_plug(t->o, 1, t->b->dev_b, SID_B, 4, t->b->parent_b);
    t->h = sb_bind_fs(t->b, 5, SB_PGTBL(1));
    if (with_b) {
        sb_set_fs(t->b, SID_B, 5, SB_PGTBL(2));
        uint32_t hb2 = sb_alloc(t->b, t->b->dev_b, t->b->parent_b, SB_PGTBL(2));
        if (!hb2 || t->b->ops->attach(t->b->hb, t->b->dev_b, 5, hb2) != 0)
            abort();
    }
    pf_oracle_pasid(t->o, 1, 5);
    pf_oracle_check(t->o);
}

static void ib_free(struct ib *t)
{
    pf_iotlb_free(t->c);
    pf_oracle_free(t->o);
    sb_free(t->b);
}

/* PASID-IOTLB: g 2 (whole PASID) or 3 (2^am pages at addr). */
static void piotlb(uint64_t q[4], uint16_t did, uint32_t pasid, unsigned g, uint64_t addr,
                   unsigned am, bool ih)
{
    q[0] = PF_DT_PASID_IOTLB | (uint64_t)g << 4 | (uint64_t)did << 16 | (uint64_t)pasid << 32;
    q[1] = g == 3 ? addr | am | (ih ? 1u << 6 : 0) : 0;
    q[2] = q[3] = 0;
}

static void flush(struct ib *t, uint32_t hwpt, uint64_t addr, uint64_t npages, uint32_t flags)
{
    struct vtd_s1_inv inv = {addr, npages, flags};
    (void)t->b->ops->invalidate_cache(t->b->hb, hwpt, &inv);
}

#define ALL VTD_S1_INV_ALL_PAGES
#define LEAF VTD_S1_INV_FLAG_LEAF

/* Returns the over-invalidations of the wait; dies on iotlb-stale. */
static unsigned ib_run(int v)
{
    struct ib t;
    ib_init(&t, v == 16 || v == 17);
    uint64_t q[4];
    piotlb(q, 1, 5, 3, 0x5000, 2, false);   /* pages 4..7: ADDR's low AM bits ignored */
    if (v == 7)
        flush(&t, t.h, 0, ALL, 0);          /* before the batch: does not count */
    pf_iotlb_batch_begin(t.c);
    switch (v) {
    case 0: piotlb(q, 1, 5, 2, 0, 0, false); flush(&t, t.h, 0, ALL, 0); break;
    case 1: piotlb(q, 1, 5, 2, 0, 0, false); break;
    case 2: flush(&t, t.h, 0x5000, 4, 0); break;
    case 3: flush(&t, t.h, 0x4000, 4, 0); break;
    case 4: flush(&t, t.h, 0x4000, 4, LEAF); break;
    case 5: piotlb(q, 1, 5, 3, 0x5000, 2, true); flush(&t, t.h, 0x4000, 4, LEAF); break;
    case 6: flush(&t, t.h, 0, ALL, 0); break;
    case 7: break;
    case 8: piotlb(q, 2, 5, 2, 0, 0, false); break;            /* another DID */
    case 9: t.b->ops->detach(t.b->hb, t.b->dev_a, 5); break;   /* unbound by the wait */
    case 10: {                                                  /* a hwpt newer than the batch */
        uint32_t h2 = sb_alloc(t.b, t.b->dev_a, t.b->parent_a, SB_PGTBL(1));
        t.b->ops->attach(t.b->hb, t.b->dev_a, 5, h2);
        t.b->ops->free_hwpt(t.b->hb, t.h);
        break;
    }
    case 11: host_backend_fail_nth(t.b->hb, HB_CALL_INVALIDATE, 1);
             flush(&t, t.h, 0x4000, 4, 0); break;               /* injected: done its best */
    case 12: flush(&t, t.h, 0x4800, 4, 0); break;               /* -EINVAL: not a flush */
    case 13: flush(&t, t.h, 0x4000, 2, 0); flush(&t, t.h, 0x6000, 2, 0); break;
    case 14: flush(&t, sb_alloc(t.b, t.b->dev_a, t.b->parent_a, SB_PGTBL(3)), 0x4000, 4, 0);
             break;                                             /* another hwpt */
    case 15: {                                                  /* a failed attach pending */
        host_backend_fail_nth(t.b->hb, HB_CALL_ATTACH, 1);
        t.b->ops->attach(t.b->hb, t.b->dev_a, 5, t.h);
        break;
    }
    case 16: flush(&t, t.h, 0x4000, 4, 0); break;               /* B/5 left out */
    case 17: flush(&t, t.h, 0x4000, 4, 0); flush(&t, t.h + 1, 0x4000, 4, 0); break;
    case 18: flush(&t, t.h, 0x4000, 3, 0); break;               /* one page short */
    case 19: break;                                 /* unbound after the descriptor, below */
    default: abort();
    }
    pf_iotlb_descriptor(t.c, q);
    if (v == 19)
        t.b->ops->detach(t.b->hb, t.b->dev_a, 5);
    struct pf_iotlb_settled st;
    pf_iotlb_settle(t.c, &st);
    ib_free(&t);
    return st.over;
}

static void ib_body(void *arg)
{
    (void)ib_run((int)(intptr_t)arg);
}

#define STALE "pasidfuzz: VIOLATION iotlb-stale: pasid-iotlb did=1 pasid=5 "

static void iotlb_required_flushes(void)
{
    CHECK_DIES(ib_body, (void *)1, STALE "pages 0x0-0xfffffffffffff: dev=1 hwpt=5 still "
                                         "caches page 0x0 at the wait");
    CHECK_DIES(ib_body, (void *)2, STALE "pages 0x4-0x7: dev=1 hwpt=5 still caches page 0x4");
    CHECK_DIES(ib_body, (void *)4, STALE "pages 0x4-0x7: dev=1 hwpt=5 still caches page 0x4");
    CHECK_DIES(ib_body, (void *)7, STALE "pages 0x4-0x7: dev=1 hwpt=5 still caches page 0x4");
    CHECK_DIES(ib_body, (void *)12, STALE "pages 0x4-0x7: dev=1 hwpt=5 still caches page 0x4");
    CHECK_DIES(ib_body, (void *)14, STALE "pages 0x4-0x7: dev=1 hwpt=5 still caches page 0x4");
    CHECK_DIES(ib_body, (void *)16, STALE "pages 0x4-0x7: dev=3 hwpt=6 still caches page 0x4");
    CHECK_DIES(ib_body, (void *)18, STALE "pages 0x4-0x7: dev=1 hwpt=5 still caches page 0x7");
}

static void iotlb_discharged(void)
{
    static const int ok[] = {0, 3, 5, 6, 8, 9, 10, 11, 13, 15, 17, 19};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        CHECK_SURVIVES(ib_body, (void *)(intptr_t)ok[i]);
}

static void iotlb_over_count(void)
{
    CHECK_EQ_U64(ib_run(0), 0);
    CHECK_EQ_U64(ib_run(3), 0);
    CHECK_EQ_U64(ib_run(5), 0);
    CHECK_EQ_U64(ib_run(17), 0);
    CHECK_EQ_U64(ib_run(6), 1);     /* the whole space for four pages */
    CHECK_EQ_U64(ib_run(13), 2);    /* two halves: neither is what was asked */
    CHECK_EQ_U64(ib_run(10), 0);    /* nothing flushed */
    uint64_t before = pf_iotlb_over_total();
    (void)ib_run(6);
    CHECK_EQ_U64(pf_iotlb_over_total(), before + 1);
}

CHECK_MAIN(TEST(iotlb_required_flushes), TEST(iotlb_discharged), TEST(iotlb_over_count))

/* The invalidation queue: descriptor validation, head/tail handling, waits. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "model_fixture.h"

#define SENTINEL 0xdead0000u

/* A descriptor type with its reserved bits and a valid instance that has
 * every non-reserved bit it can have. */
struct dt {
    const char *name;
    uint64_t rsvd0, rsvd1;
    uint64_t q0, q1;
    bool only256;
};

static void dts(struct dt out[9])
{
    const uint64_t lo12 = VTD_MASK(11, 0);
    out[0] = (struct dt){"context-cache", VTD_CC_RSVD_Q0, ~0ull,
                         fx_cc_q0(VTD_CC_G_DEVICE, 0xffff, 0xffff, 3), 0, false};
    out[1] = (struct dt){"iotlb", VTD_IOTLB_RSVD_Q0, VTD_INV_RSVD_Q1,
                         fx_iotlb_q0(VTD_IOTLB_G_PAGE, 0xffff) | VTD_IOTLB_DW | VTD_IOTLB_DR,
                         fx_inv_q1(VTD_INV_ADDR_MASK, true, 18), false};
    out[2] = (struct dt){"device-tlb", VTD_DEVTLB_RSVD_Q0, VTD_DEVTLB_RSVD_Q1,
                         VTD_DESC_DEVICE_TLB | ~(VTD_DEVTLB_RSVD_Q0 | lo12),
                         ~VTD_DEVTLB_RSVD_Q1, false};
    out[3] = (struct dt){"iec", VTD_IEC_RSVD_Q0, ~0ull,
                         VTD_DESC_IEC | VTD_IEC_G_INDEX | ~(VTD_IEC_RSVD_Q0 | lo12), 0, false};
    out[4] = (struct dt){"wait", VTD_WAIT_RSVD_Q0, VTD_WAIT_RSVD_Q1,
                         fx_wait_q0(VTD_WAIT_IF | VTD_WAIT_SW | VTD_WAIT_FN | VTD_WAIT_PD,
                                    0xfeedf00du),
                         fx_status_addr(7), false};
    out[5] = (struct dt){"pasid-iotlb", VTD_PIOTLB_RSVD_Q0, VTD_INV_RSVD_Q1,
                         fx_piotlb_q0(VTD_PIOTLB_G_PAGE, 0xffff, 0xfffff),
                         fx_inv_q1(VTD_INV_ADDR_MASK, true, 18), true};
    out[6] = (struct dt){"pasid-cache", VTD_PC_RSVD_Q0, ~0ull,
                         fx_pc_q0(VTD_PC_G_GLOBAL, 0xffff, 0xfffff), 0, true};
    out[7] = (struct dt){"pasid-device-tlb", VTD_PDEVTLB_RSVD_Q0, VTD_PDEVTLB_RSVD_Q1,
                         VTD_DESC_PASID_DEVICE_TLB | ~(VTD_PDEVTLB_RSVD_Q0 | lo12),
                         ~VTD_PDEVTLB_RSVD_Q1, true};
    out[8] = (struct dt){"page-group-response", VTD_PGRP_RSVD_Q0, VTD_PGRP_RSVD_Q1,
                         VTD_DESC_PAGE_GROUP_RESP | VTD_MASK(5, 4) | ~(VTD_PGRP_RSVD_Q0 | lo12),
                         ~VTD_PGRP_RSVD_Q1, true};
}

/*
 * Runs [wait SW -> status 0, d, wait SW -> status 1] on a fresh model and
 * checks that d was accepted (all three done) or rejected (IQE, head at d,
 * the first wait done, the last not).
 */
static void run_one(const uint64_t d[4], bool dw, bool accept, const char *what, unsigned arg)
{
    int before = check_failures;
    struct fx *f = fx_new(20, false);
    fx_qi_enable(f, dw, 0);
    unsigned size = dw ? VTD_IQ_DESC256_BYTES : VTD_IQ_DESC128_BYTES;
    fx_status_set(f, 0, SENTINEL);
    fx_status_set(f, 1, SENTINEL);
    fx_status_set(f, 7, SENTINEL);
    fx_queue2(f, fx_wait_q0(VTD_WAIT_SW, 0x11), fx_status_addr(0));
    fx_queue(f, d);
    fx_queue2(f, fx_wait_q0(VTD_WAIT_SW, 0x22), fx_status_addr(1));
    fx_ring(f);
    CHECK_EQ_U64(fx_status(f, 0), 0x11);
    if (accept) {
        CHECK(!fx_iqe(f));
        CHECK_EQ_U64(fx_iqh(f), 3 * size);
        CHECK_EQ_U64(fx_status(f, 1), 0x22);
    } else {
        CHECK(fx_iqe(f));
        CHECK_EQ_U64(fx_iqh(f), size);
        CHECK_EQ_U64(fx_status(f, 1), SENTINEL);
    }
    if (check_failures != before)
        fprintf(stderr, "  ... %s %s (arg %u) q0=0x%llx q1=0x%llx q2=0x%llx q3=0x%llx %s queue\n",
                accept ? "accepting" : "rejecting", what, arg, (unsigned long long)d[0],
                (unsigned long long)d[1], (unsigned long long)d[2], (unsigned long long)d[3],
                dw ? "256-bit" : "128-bit");
    fx_free(f);
}

static void accept2(uint64_t q0, uint64_t q1, bool dw, const char *what, unsigned arg)
{
    const uint64_t d[4] = {q0, q1, 0, 0};
    run_one(d, dw, true, what, arg);
}

static void reject2(uint64_t q0, uint64_t q1, bool dw, const char *what, unsigned arg)
{
    const uint64_t d[4] = {q0, q1, 0, 0};
    run_one(d, dw, false, what, arg);
}

static void valid_descriptors_accepted(void)
{
    struct dt t[9];
    dts(t);
    for (unsigned i = 0; i < 9; i++)
        accept2(t[i].q0, t[i].q1, true, t[i].name, 0);

    for (unsigned g = 1; g <= 3; g++) {
        for (unsigned fm = 0; fm < 4; fm++)
            accept2(fx_cc_q0(g, 5, 0x0108, fm), 0, true, "cc granularity", g);
        accept2(fx_iotlb_q0(g, 5), 0, true, "iotlb granularity", g);
    }
    for (unsigned am = 0; am <= VTD_INV_AM_MAX; am++) {
        accept2(fx_iotlb_q0(VTD_IOTLB_G_PAGE, 5), fx_inv_q1(0x12340000, am & 1, am), true,
                "iotlb page am", am);
        accept2(fx_piotlb_q0(VTD_PIOTLB_G_PAGE, 5, 9), fx_inv_q1(0x12340000, am & 1, am), true,
                "piotlb page am", am);
    }
    /* AM only matters for page granularity. */
    accept2(fx_iotlb_q0(VTD_IOTLB_G_GLOBAL, 0), fx_inv_q1(0, false, 63), true, "iotlb g1 am63", 0);
    accept2(fx_iotlb_q0(VTD_IOTLB_G_DOMAIN, 1), fx_inv_q1(0, false, 19), true, "iotlb g2 am19", 0);
    accept2(fx_piotlb_q0(VTD_PIOTLB_G_PASID, 1, 2), fx_inv_q1(0, false, 63), true,
            "piotlb g2 am63", 0);
    accept2(fx_piotlb_q0(VTD_PIOTLB_G_PASID, 1, 2), 0, true, "piotlb g2", 0);
    accept2(fx_pc_q0(VTD_PC_G_DOMAIN, 3, 0), 0, true, "pc domain", 0);
    accept2(fx_pc_q0(VTD_PC_G_PASID, 3, 77), 0, true, "pc pasid", 0);
    accept2(fx_pc_q0(VTD_PC_G_GLOBAL, 0, 0), 0, true, "pc global", 0);
    accept2(VTD_DESC_IEC, 0, true, "iec global", 0);

    static const uint64_t waits[] = {
        VTD_WAIT_IF, VTD_WAIT_SW, VTD_WAIT_FN, VTD_WAIT_IF | VTD_WAIT_SW,
        VTD_WAIT_SW | VTD_WAIT_FN | VTD_WAIT_PD, VTD_WAIT_IF | VTD_WAIT_FN | VTD_WAIT_PD,
    };
    for (unsigned i = 0; i < sizeof waits / sizeof waits[0]; i++)
        accept2(fx_wait_q0(waits[i], 0x33), fx_status_addr(7), true, "wait flags", i);

    /* 128-bit queue: types 1-5 are fine there. */
    for (unsigned i = 0; i < 5; i++)
        accept2(t[i].q0, t[i].q1, false, t[i].name, 128);
}

static void reserved_bits_rejected(void)
{
    struct dt t[9];
    dts(t);
    for (unsigned i = 0; i < 9; i++) {
        for (unsigned b = 0; b < 64; b++) {
            if (t[i].rsvd0 & VTD_BIT(b))
                reject2(t[i].q0 | VTD_BIT(b), t[i].q1, true, t[i].name, b);
            if (t[i].rsvd1 & VTD_BIT(b))
                reject2(t[i].q0, t[i].q1 | VTD_BIT(b), true, t[i].name, 64 + b);
        }
    }
    /* The same in a 128-bit queue for the types that live there. */
    for (unsigned i = 0; i < 5; i++) {
        for (unsigned b = 0; b < 64; b += 7) {
            if (t[i].rsvd0 & VTD_BIT(b))
                reject2(t[i].q0 | VTD_BIT(b), t[i].q1, false, t[i].name, b);
            if (t[i].rsvd1 & VTD_BIT(b))
                reject2(t[i].q0, t[i].q1 | VTD_BIT(b), false, t[i].name, 64 + b);
        }
    }
}

static void upper_qwords_must_be_zero(void)
{
    struct dt t[9];
    dts(t);
    static const unsigned bits[] = {0, 12, 31, 63};
    for (unsigned i = 0; i < 9; i++) {
        for (unsigned k = 0; k < 4; k++) {
            uint64_t d[4] = {t[i].q0, t[i].q1, VTD_BIT(bits[k]), 0};
            run_one(d, true, false, t[i].name, 200 + bits[k]);
            d[2] = 0;
            d[3] = VTD_BIT(bits[k]);
            run_one(d, true, false, t[i].name, 300 + bits[k]);
        }
    }
}

static void bad_granularity_rejected(void)
{
    reject2(fx_cc_q0(0, 5, 0x0108, 0), 0, true, "cc g0", 0);
    reject2(fx_cc_q0(0, 5, 0x0108, 0), 0, false, "cc g0", 0);
    reject2(fx_iotlb_q0(0, 5), 0, true, "iotlb g0", 0);
    reject2(fx_iotlb_q0(0, 5), 0, false, "iotlb g0", 0);
    reject2(fx_piotlb_q0(0, 5, 1), 0, true, "piotlb g0", 0);
    reject2(fx_piotlb_q0(1, 5, 1), 0, true, "piotlb g1", 0);
    reject2(fx_pc_q0(2, 5, 1), 0, true, "pc g2", 0);
    for (unsigned am = VTD_INV_AM_MAX + 1; am < 64; am++) {
        reject2(fx_iotlb_q0(VTD_IOTLB_G_PAGE, 5), fx_inv_q1(0, false, am), true, "iotlb am", am);
        reject2(fx_piotlb_q0(VTD_PIOTLB_G_PAGE, 5, 1), fx_inv_q1(0, false, am), true,
                "piotlb am", am);
    }
    /* A wait that asks for nothing. */
    reject2(fx_wait_q0(0, 0), fx_status_addr(7), true, "wait none", 0);
    reject2(fx_wait_q0(VTD_WAIT_PD, 0), fx_status_addr(7), true, "wait pd only", 0);
    reject2(fx_wait_q0(VTD_WAIT_PD, 0), 0, false, "wait pd only", 0);
}

static void unknown_types_rejected(void)
{
    for (unsigned lo = 0; lo < 16; lo++) {
        if (lo >= 1 && lo <= 9)
            continue;
        reject2(lo, 0, true, "type", lo);
        reject2(lo, 0, false, "type", lo);
    }
    for (unsigned hi = 1; hi < 8; hi++) {
        for (unsigned lo = 0; lo < 16; lo += 5) {
            uint64_t q0 = lo | ((uint64_t)hi << 9);
            reject2(q0, 0, true, "type", lo | hi << 4);
            reject2(q0, 0, false, "type", lo | hi << 4);
        }
        /* A wait with high type bits is no wait. */
        reject2(fx_wait_q0(VTD_WAIT_SW, 1) | ((uint64_t)hi << 9), fx_status_addr(7), true,
                "wait+hi", hi);
    }
}

static void types_256_only_in_128_queue(void)
{
    struct dt t[9];
    dts(t);
    for (unsigned i = 5; i < 9; i++) {
        CHECK(t[i].only256);
        reject2(t[i].q0, t[i].q1, false, t[i].name, 128);
    }
    reject2(fx_pc_q0(VTD_PC_G_GLOBAL, 0, 0), 0, false, "pc global", 128);
    reject2(fx_piotlb_q0(VTD_PIOTLB_G_PASID, 0, 0), 0, false, "piotlb", 128);
}

static void wait_descriptor(void)
{
    struct fx *f = fx_new(20, false);
    fx_qi_enable(f, true, 0);
    fx_status_set(f, 1, SENTINEL);
    fx_status_set(f, 2, SENTINEL);
    /* SW: 32-bit data, little-endian, at the 4-byte aligned address. */
    fx_submit(f, fx_wait_q0(VTD_WAIT_SW, 0xdeadbeefu), fx_status_addr(1));
    CHECK(!fx_iqe(f));
    uint8_t b[4];
    CHECK_EQ_U64(guest_mem_read(f->mem, fx_status_addr(1), b, 4), 0);
    CHECK(b[0] == 0xef && b[1] == 0xbe && b[2] == 0xad && b[3] == 0xde);
    CHECK_EQ_U64(fx_status(f, 2), SENTINEL); /* exactly 4 bytes */
    CHECK_EQ_U64(fx_rd(f, VTD_REG_ICS, 4), 0);

    /* IF alone: IWC, no write. */
    fx_status_set(f, 1, SENTINEL);
    fx_submit(f, fx_wait_q0(VTD_WAIT_IF, 0x77), fx_status_addr(1));
    CHECK_EQ_U64(fx_rd(f, VTD_REG_ICS, 4), VTD_ICS_IWC);
    CHECK_EQ_U64(fx_status(f, 1), SENTINEL);
    /* FN alone: nothing at all. */
    fx_wr(f, VTD_REG_ICS, VTD_ICS_IWC, 4);
    fx_submit(f, fx_wait_q0(VTD_WAIT_FN, 0x77), fx_status_addr(1));
    CHECK(!fx_iqe(f));
    CHECK_EQ_U64(fx_rd(f, VTD_REG_ICS, 4), 0);
    CHECK_EQ_U64(fx_status(f, 1), SENTINEL);
    CHECK_EQ_U64(fx_iqh(f), 96);

    /* A status write that cannot land: IQE, head stays at that wait. */
    fx_status_set(f, 0, SENTINEL);
    fx_queue2(f, fx_wait_q0(VTD_WAIT_SW, 0x44), fx_status_addr(0));
    fx_queue2(f, fx_wait_q0(VTD_WAIT_SW | VTD_WAIT_IF, 0x55), FX_NO_MEMORY);
    fx_queue2(f, fx_wait_q0(VTD_WAIT_SW, 0x66), fx_status_addr(2));
    fx_ring(f);
    CHECK(fx_iqe(f));
    CHECK_EQ_U64(fx_iqh(f), 128);
    CHECK_EQ_U64(fx_status(f, 0), 0x44);
    CHECK_EQ_U64(fx_status(f, 2), SENTINEL);
    fx_free(f);
}

static void iqt_bit4_in_256_mode(void)
{
    struct fx *f = fx_new(20, false);
    fx_qi_enable(f, true, 0);
    fx_status_set(f, 0, SENTINEL);
    fx_queue2(f, fx_wait_q0(VTD_WAIT_SW, 1), fx_status_addr(0));
    fx_write_iqt(f, 16);
    CHECK(fx_iqe(f));
    CHECK_EQ_U64(fx_iqh(f), 0);
    CHECK_EQ_U64(fx_status(f, 0), SENTINEL);
    fx_clear_iqe(f);
    fx_write_iqt(f, 48);
    CHECK(fx_iqe(f));
    CHECK_EQ_U64(fx_iqh(f), 0);
    fx_clear_iqe(f);
    fx_write_iqt(f, 32);
    CHECK(!fx_iqe(f));
    CHECK_EQ_U64(fx_iqh(f), 32);
    CHECK_EQ_U64(fx_status(f, 0), 1);
    fx_free(f);

    /* In a 128-bit queue, 16 is a descriptor boundary. */
    f = fx_new(20, false);
    fx_qi_enable(f, false, 0);
    fx_status_set(f, 0, SENTINEL);
    fx_submit(f, fx_wait_q0(VTD_WAIT_SW, 2), fx_status_addr(0));
    CHECK(!fx_iqe(f));
    CHECK_EQ_U64(fx_iqh(f), 16);
    CHECK_EQ_U64(fx_status(f, 0), 2);
    fx_free(f);
}

static void tail_beyond_queue_size(void)
{
    /* A valid wait then a bad descriptor: a model that walked towards an
     * impossible tail would run the wait and stop at the bad one. */
    struct fx *f = fx_new(20, false);
    fx_qi_enable(f, true, 0);
    fx_status_set(f, 0, SENTINEL);
    fx_queue2(f, fx_wait_q0(VTD_WAIT_SW, 1), fx_status_addr(0));
    fx_queue2(f, 0, 0);
    fx_write_iqt(f, 4096);
    CHECK(fx_iqe(f));
    CHECK_EQ_U64(fx_iqh(f), 0);
    CHECK_EQ_U64(fx_status(f, 0), SENTINEL);
    fx_clear_iqe(f);
    fx_write_iqt(f, VTD_IQ_OFFSET_MASK & ~0x1full);
    CHECK(fx_iqe(f));
    CHECK_EQ_U64(fx_iqh(f), 0);
    CHECK_EQ_U64(fx_status(f, 0), SENTINEL);
    fx_free(f);

    /* QS=1: 8 KiB; past 4 KiB is fine, 8 KiB is not. */
    f = fx_new(20, false);
    fx_qi_enable(f, true, 1);
    for (unsigned i = 0; i < 129; i++)
        fx_queue2(f, fx_wait_q0(VTD_WAIT_FN, 0), 0);
    fx_ring(f);
    CHECK(!fx_iqe(f));
    CHECK_EQ_U64(fx_iqh(f), 4096 + 32);
    fx_write_iqt(f, 8192);
    CHECK(fx_iqe(f));
    CHECK_EQ_U64(fx_iqh(f), 4096 + 32);
    fx_free(f);
}

static void wrap_around(bool dw)
{
    struct fx *f = fx_new(20, false);
    fx_qi_enable(f, dw, 0);
    unsigned size = dw ? 32 : 16, slots = 4096 / size, first = slots - 8;
    for (unsigned i = 0; i < first; i++)
        fx_queue2(f, fx_wait_q0(VTD_WAIT_FN, 0), 0);
    fx_ring(f);
    CHECK(!fx_iqe(f));
    CHECK_EQ_U64(fx_iqh(f), first * size);
    for (unsigned i = 0; i < 16; i++) {
        fx_status_set(f, i, SENTINEL);
        fx_queue2(f, fx_wait_q0(VTD_WAIT_SW, 0x100 + i), fx_status_addr(i));
    }
    CHECK_EQ_U64(f->tail, 8 * size);
    fx_ring(f);
    CHECK(!fx_iqe(f));
    CHECK_EQ_U64(fx_iqh(f), 8 * size);
    for (unsigned i = 0; i < 16; i++)
        CHECK_EQ_U64(fx_status(f, i), 0x100 + i);
    fx_free(f);
}

static void wrap_around_256(void)
{
    wrap_around(true);
}

static void wrap_around_128(void)
{
    wrap_around(false);
}

static void iqe_stops_until_cleared_and_rewritten(void)
{
    struct fx *f = fx_new(20, false);
    fx_qi_enable(f, true, 0);
    for (unsigned i = 0; i < 4; i++)
        fx_status_set(f, i, SENTINEL);
    fx_queue2(f, fx_wait_q0(VTD_WAIT_SW, 0x10), fx_status_addr(0));
    fx_queue2(f, fx_pc_q0(2, 0, 0), 0); /* bad granularity */
    fx_queue2(f, fx_wait_q0(VTD_WAIT_SW, 0x11), fx_status_addr(1));
    fx_ring(f);
    CHECK(fx_iqe(f));
    CHECK_EQ_U64(fx_iqh(f), 32);
    CHECK_EQ_U64(fx_status(f, 0), 0x10);

    /* Rewriting the tail, or appending, does nothing while IQE is set. */
    fx_ring(f);
    fx_queue2(f, fx_wait_q0(VTD_WAIT_SW, 0x12), fx_status_addr(2));
    fx_ring(f);
    CHECK_EQ_U64(fx_iqh(f), 32);
    CHECK_EQ_U64(fx_status(f, 1), SENTINEL);
    CHECK_EQ_U64(fx_status(f, 2), SENTINEL);

    /* Software repairs the descriptor; still nothing until IQE is cleared. */
    fx_w64(f, FX_IQ_BASE + 32, fx_wait_q0(VTD_WAIT_SW, 0x13));
    fx_w64(f, FX_IQ_BASE + 40, fx_status_addr(3));
    fx_ring(f);
    CHECK_EQ_U64(fx_iqh(f), 32);
    CHECK_EQ_U64(fx_status(f, 3), SENTINEL);
    /* Clearing IQE alone does not restart the queue. */
    fx_clear_iqe(f);
    CHECK(!fx_iqe(f));
    CHECK_EQ_U64(fx_iqh(f), 32);
    CHECK_EQ_U64(fx_status(f, 3), SENTINEL);
    /* The next tail write does, from the repaired descriptor on. */
    fx_ring(f);
    CHECK(!fx_iqe(f));
    CHECK_EQ_U64(fx_iqh(f), 128);
    CHECK_EQ_U64(fx_status(f, 3), 0x13);
    CHECK_EQ_U64(fx_status(f, 1), 0x11);
    CHECK_EQ_U64(fx_status(f, 2), 0x12);
    fx_free(f);
}

static void qie_disable_needs_empty_queue(void)
{
    struct fx *f = fx_new(20, false);
    fx_qi_enable(f, true, 0);
    fx_queue2(f, 0, 0); /* type 0 */
    fx_ring(f);
    CHECK(fx_iqe(f));
    CHECK_EQ_U64(fx_iqh(f), 0);
    CHECK(!fx_qi_disable(f));
    CHECK(fx_gsts(f) & VTD_GSTS_QIES);

    fx_w64(f, FX_IQ_BASE, fx_wait_q0(VTD_WAIT_FN, 0));
    fx_clear_iqe(f);
    fx_ring(f);
    CHECK_EQ_U64(fx_iqh(f), 32);
    CHECK(fx_qi_disable(f));
    /* The head reads 0 while the queue is off. */
    CHECK_EQ_U64(fx_iqh(f), 0);

    /* Re-enabling latches the new IQA and starts at head 0. */
    const uint64_t base2 = FX_IQ_BASE + 0x10000;
    fx_w64(f, FX_IQ_BASE, 0);        /* type 0 if the old base were used */
    fx_qi_enable_at(f, base2, false, 1);
    CHECK_EQ_U64(fx_iqh(f), 0);
    fx_status_set(f, 0, SENTINEL);
    fx_submit(f, fx_wait_q0(VTD_WAIT_SW, 0x99), fx_status_addr(0));
    CHECK(!fx_iqe(f));
    CHECK_EQ_U64(fx_iqh(f), 16);
    CHECK_EQ_U64(fx_status(f, 0), 0x99);
    fx_free(f);
}

static void iqa_latched_at_enable(void)
{
    struct fx *f = fx_new(20, false);
    fx_qi_enable(f, true, 0);
    /* New IQA while enabled: the register changes, the queue does not. */
    fx_wr(f, VTD_REG_IQA, 0x7770000ull | 1, 8);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_IQA, 8), 0x7770001ull);
    fx_status_set(f, 0, SENTINEL);
    fx_queue2(f, fx_wait_q0(VTD_WAIT_SW, 0x42), fx_status_addr(0));
    fx_queue2(f, fx_pc_q0(VTD_PC_G_GLOBAL, 0, 0), 0); /* still a 256-bit queue */
    fx_ring(f);
    CHECK(!fx_iqe(f));
    CHECK_EQ_U64(fx_iqh(f), 64);
    CHECK_EQ_U64(fx_status(f, 0), 0x42);
    fx_free(f);
}

static void iqt_ignored_with_qi_off(void)
{
    struct fx *f = fx_new(20, false);
    fx_wr(f, VTD_REG_IQA, FX_IQ_BASE | VTD_IQA_DW, 8);
    fx_status_set(f, 0, SENTINEL);
    fx_w64(f, FX_IQ_BASE, fx_wait_q0(VTD_WAIT_SW, 0x42));
    fx_w64(f, FX_IQ_BASE + 8, fx_status_addr(0));
    fx_write_iqt(f, 32);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_IQT, 8), 32);
    CHECK_EQ_U64(fx_iqh(f), 0);
    CHECK(!fx_iqe(f));
    CHECK_EQ_U64(fx_status(f, 0), SENTINEL);
    fx_free(f);
}

static void unreadable_descriptor(void)
{
    struct fx *f = fx_new(20, false);
    fx_qi_enable_at(f, 0x7000000, true, 0); /* a page never written */
    fx_write_iqt(f, 32);
    CHECK(fx_iqe(f));
    CHECK_EQ_U64(fx_iqh(f), 0);
    fx_free(f);

    f = fx_new(20, false);
    fx_qi_enable_at(f, FX_NO_MEMORY, true, 0);
    fx_write_iqt(f, 64);
    CHECK(fx_iqe(f));
    CHECK_EQ_U64(fx_iqh(f), 0);
    fx_free(f);

    /* QS=1 with only the first page backed: stops at 4 KiB. */
    f = fx_new(20, false);
    fx_qi_enable_at(f, 0x7000000, true, 1);
    for (unsigned i = 0; i < 128; i++)
        fx_queue2(f, fx_wait_q0(VTD_WAIT_FN, 0), 0);
    fx_write_iqt(f, 4096 + 64);
    CHECK(fx_iqe(f));
    CHECK_EQ_U64(fx_iqh(f), 4096);
    fx_free(f);
}

/* A DMA read that fails after filling the buffer with a valid (fence) wait
 * descriptor: model/vtd.h gives a failed read's buffer no meaning, so the
 * model must stop on the descriptor all the same. */
static int read_fails_with_a_wait(void *opaque, uint64_t addr, void *buf, size_t len)
{
    int rc = guest_mem_read(opaque, addr, buf, len);
    if (rc != 0) {
        uint64_t wait = fx_wait_q0(VTD_WAIT_FN, 0);
        memset(buf, 0, len);
        for (size_t i = 0; i < 8 && i < len; i++)
            ((uint8_t *)buf)[i] = (uint8_t)(wait >> (8 * i));
    }
    return rc;
}

static void failed_read_not_used(void)
{
    struct fx *f = fx_new(20, false);
    vtd_destroy(f->vtd);
    f->cfg.dma_read = read_fails_with_a_wait;
    f->vtd = vtd_create(&f->cfg);
    if (!f->vtd)
        abort();
    fx_qi_enable_at(f, FX_NO_MEMORY, true, 0);
    fx_write_iqt(f, 32);
    CHECK(fx_iqe(f));
    CHECK_EQ_U64(fx_iqh(f), 0);
    fx_free(f);
}

CHECK_MAIN(TEST(valid_descriptors_accepted), TEST(reserved_bits_rejected),
           TEST(upper_qwords_must_be_zero), TEST(bad_granularity_rejected),
           TEST(unknown_types_rejected), TEST(types_256_only_in_128_queue),
           TEST(wait_descriptor), TEST(iqt_bit4_in_256_mode), TEST(tail_beyond_queue_size),
           TEST(wrap_around_256), TEST(wrap_around_128),
           TEST(iqe_stops_until_cleared_and_rewritten), TEST(qie_disable_needs_empty_queue),
           TEST(iqa_latched_at_enable), TEST(iqt_ignored_with_qi_off),
           TEST(unreadable_descriptor), TEST(failed_read_not_used))

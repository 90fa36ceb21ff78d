/*
 * The oracle's descriptor decoder (stubs/desc_decode.c), its prediction of
 * a batch (stubs/iq_check.c) and the register rules (stubs/reg_check.c).
 * Every row with a constraint has a probe here that fails when the row is
 * removed: a bit inside the row's range on an otherwise valid descriptor.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "desc_decode.h"
#include "guest_mem.h"
#include "iq_check.h"
#include "pf_le.h"
#include "reg_check.h"

/* A valid descriptor of each type: granularity 1 where one is needed
 * (3 for PASID-IOTLB), a wait with SW. */
static void base_desc(unsigned type, uint64_t q[4])
{
    memset(q, 0, 4 * sizeof q[0]);
    q[0] = (type & 0xf) | (uint64_t)(type >> 4) << 9;
    if (type == PF_DT_CONTEXT_CACHE || type == PF_DT_IOTLB)
        q[0] |= 1u << 4;
    if (type == PF_DT_PASID_IOTLB)
        q[0] |= 3u << 4;
    if (type == PF_DT_WAIT)
        q[0] |= 1u << 5;
}

struct probe {
    unsigned type;
    unsigned qw, bit;
    const char *field;      /* NULL: still valid */
};

/* One bit per reserved range (and a few fields that must stay free). */
static const struct probe probes[] = {
    {1, 0, 7, "rsvd 8:6"}, {1, 0, 13, "rsvd 15:12"}, {1, 0, 60, "rsvd 63:50"},
    {1, 1, 9, "rsvd 127:64"}, {1, 2, 0, "q2"}, {1, 3, 63, "q3"}, {1, 0, 20, NULL},
    {1, 0, 48, NULL},
    {2, 0, 8, "rsvd 8"}, {2, 0, 14, "rsvd 15:12"}, {2, 0, 40, "rsvd 63:32"},
    {2, 1, 9, "rsvd 75:71"}, {2, 1, 6, NULL}, {2, 1, 40, NULL}, {2, 0, 7, NULL},
    {2, 2, 5, "q2"},
    {3, 0, 5, "rsvd 8:4"}, {3, 0, 25, "rsvd 31:21"}, {3, 0, 50, "rsvd 51:48"},
    {3, 1, 5, "rsvd 75:65"}, {3, 0, 17, NULL}, {3, 0, 60, NULL}, {3, 1, 0, NULL},
    {3, 3, 1, "q3"},
    {4, 0, 6, "rsvd 8:5"}, {4, 0, 20, "rsvd 26:12"}, {4, 0, 50, "rsvd 63:48"},
    {4, 1, 0, "rsvd 127:64"}, {4, 0, 4, NULL}, {4, 0, 30, NULL}, {4, 2, 63, "q2"},
    {5, 0, 8, "rsvd 8"}, {5, 0, 20, "rsvd 31:12"}, {5, 1, 1, "rsvd 65:64"},
    {5, 0, 40, NULL}, {5, 1, 2, NULL}, {5, 0, 7, NULL}, {5, 3, 9, "q3"},
    {6, 0, 7, "rsvd 8:6"}, {6, 0, 12, "rsvd 15:12"}, {6, 0, 55, "rsvd 63:52"},
    {6, 1, 8, "rsvd 75:71"}, {6, 0, 40, NULL}, {6, 1, 20, NULL}, {6, 2, 1, "q2"},
    {7, 0, 6, "rsvd 8:6"}, {7, 0, 15, "rsvd 15:12"}, {7, 0, 52, "rsvd 63:52"},
    {7, 1, 63, "rsvd 127:64"}, {7, 0, 51, NULL}, {7, 3, 0, "q3"},
    {8, 0, 4, "rsvd 8:4"}, {8, 1, 3, "rsvd 74:65"}, {8, 0, 13, NULL}, {8, 1, 11, NULL},
    {8, 1, 0, NULL}, {8, 2, 7, "q2"},
    {9, 0, 8, "rsvd 8:6"}, {9, 0, 60, "rsvd 63:52"}, {9, 1, 0, "rsvd 65:64"},
    {9, 1, 30, "rsvd 127:76"}, {9, 1, 5, NULL}, {9, 0, 14, NULL}, {9, 3, 3, "q3"},
};

static bool probe_ok(const struct probe *p)
{
    uint64_t q[4];
    base_desc(p->type, q);
    q[p->qw] ^= 1ull << p->bit;
    struct pf_desc_verdict v;
    pf_desc_decode(q, true, &v);
    bool ok = p->field ? !v.valid && v.field && strcmp(v.field, p->field) == 0 : v.valid;
    if (!ok)
        fprintf(stderr, "type %u q%u bit %u: want %s, got %s\n", p->type, p->qw, p->bit,
                p->field ? p->field : "valid", v.valid ? "valid" : v.field);
    return ok;
}

static void decode_reserved_bits(void)
{
    for (unsigned t = 1; t <= 9; t++) {
        uint64_t q[4];
        base_desc(t, q);
        struct pf_desc_verdict v;
        pf_desc_decode(q, true, &v);
        CHECK(v.valid);
    }
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++)
        CHECK(probe_ok(&probes[i]));
}

/* Granularity fields: which values exist. */
static bool gran_valid(unsigned type, unsigned g)
{
    uint64_t q[4];
    base_desc(type, q);
    q[0] = (q[0] & ~0x30ull) | (uint64_t)g << 4;
    struct pf_desc_verdict v;
    pf_desc_decode(q, true, &v);
    CHECK(v.valid || strcmp(v.field, "G") == 0);
    return v.valid;
}

static void decode_granularities(void)
{
    static const struct { unsigned type; bool ok[4]; } want[] = {
        {PF_DT_CONTEXT_CACHE, {false, true, true, true}},
        {PF_DT_IOTLB, {false, true, true, true}},
        {PF_DT_PASID_IOTLB, {false, false, true, true}},
        {PF_DT_PASID_CACHE, {true, true, false, true}},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        for (unsigned g = 0; g < 4; g++)
            CHECK(gran_valid(want[i].type, g) == want[i].ok[g]);
}

static bool am_valid(unsigned type, unsigned g, unsigned am)
{
    uint64_t q[4];
    base_desc(type, q);
    q[0] = (q[0] & ~0x30ull) | (uint64_t)g << 4;
    q[1] = am;
    struct pf_desc_verdict v;
    pf_desc_decode(q, true, &v);
    return v.valid;
}

static void decode_address_mask(void)
{
    /* AM past MAMV (18) only matters for page-selective granularity. */
    CHECK(am_valid(PF_DT_IOTLB, 3, 18));
    CHECK(!am_valid(PF_DT_IOTLB, 3, 19));
    CHECK(am_valid(PF_DT_IOTLB, 2, 63));
    CHECK(am_valid(PF_DT_PASID_IOTLB, 3, 18));
    CHECK(!am_valid(PF_DT_PASID_IOTLB, 3, 19));
    CHECK(am_valid(PF_DT_PASID_IOTLB, 2, 40));
}

static void decode_types_and_width(void)
{
    uint64_t q[4];
    struct pf_desc_verdict v;
    for (unsigned t = 0; t < 128; t++) {
        base_desc(t, q);
        pf_desc_decode(q, true, &v);
        CHECK(v.valid == (t >= 1 && t <= 9));
        pf_desc_decode(q, false, &v);
        CHECK(v.valid == (t >= 1 && t <= 5));
    }
    /* A wait that asks for nothing. */
    base_desc(PF_DT_WAIT, q);
    q[0] &= ~(1ull << 5);
    pf_desc_decode(q, true, &v);
    CHECK(!v.valid && strcmp(v.field, "IF|SW|FN") == 0);
    q[0] |= 1ull << 6;      /* FN alone is enough */
    pf_desc_decode(q, true, &v);
    CHECK(v.valid);
}

static void decode_fields(void)
{
    /* PASID-IOTLB, G=3, DID 0x1234, PASID 0xabcde, AM 15 with IH */
    uint64_t q[4] = {0x000abcde12340036ull, 0xfedcb0000000004full, 0, 0};
    uint64_t v;
    CHECK(pf_desc_field(q, PF_F_DID, &v) && v == 0x1234);
    CHECK(pf_desc_field(q, PF_F_PASID, &v) && v == 0xabcde);
    CHECK(pf_desc_field(q, PF_F_ADDR, &v) && v == 0xfedcb00000000000ull);
    CHECK(pf_desc_field(q, PF_F_AM, &v) && v == 0xf);
    CHECK(pf_desc_field(q, PF_F_IH, &v) && v == 1);
    CHECK(!pf_desc_field(q, PF_F_SADDR, &v));
    CHECK(strcmp(pf_desc_type_name(6), "pasid-iotlb") == 0);
    CHECK(strcmp(pf_desc_type_name(10), "unknown") == 0);
}

/* ---- the batch prediction ---- */

#define QB 0x200000ull
#define QS 0x300000ull

struct qb {
    struct guest_mem *mem;
    struct iq_regs before, after;
    struct iq_outcome out;
};

static void qb_init(struct qb *q)
{
    q->mem = guest_mem_new(48, 64);
    q->before = (struct iq_regs){.iqa = QB | (1u << 11), .qies = true};
    q->after = q->before;
    uint8_t zero[4096] = {0};
    if (!q->mem || guest_mem_write(q->mem, QB, zero, sizeof zero) != 0 ||
        guest_mem_write(q->mem, QS, zero, 4) != 0)
        abort();
}

static void qb_put(struct qb *q, unsigned slot, const uint64_t d[4])
{
    for (unsigned i = 0; i < 4; i++)
        if (guest_mem_write_u64(q->mem, QB + slot * 32u + 8 * i, d[i]) != 0)
            abort();
}

/* Slots: 0 IEC, 1 PASID-cache, 2 wait; the variant breaks one, and the
 * registers say what the model did. */
static void batch(void *arg)
{
    int v = (int)(intptr_t)arg;
    struct qb q;
    qb_init(&q);
    uint64_t d[4];
    base_desc(PF_DT_IEC, d);
    qb_put(&q, 0, d);
    base_desc(PF_DT_PASID_CACHE, d);
    if (v == 1 || v == 2)
        d[0] |= 1ull << 7;              /* reserved bit */
    qb_put(&q, 1, d);
    base_desc(PF_DT_WAIT, d);
    /* 5, 6: past the 48-bit guest memory; 9: a page no one wrote yet, which
     * the status write would bring into being. */
    d[1] = v == 5 || v == 6 ? 1ull << 50 : v == 9 ? QS + 0x10000 : QS;
    qb_put(&q, 2, d);
    q.after.iqt = 0x60;
    q.after.iqh = 0x60;
    switch (v) {
    case 0: break;                                              /* all good */
    case 1: break;                                              /* model accepted it */
    case 2: q.after.iqh = 0x20; q.after.iqe = true; break;      /* stopped on it: right */
    case 3: q.after.iqh = 0x20; q.after.iqe = true; break;      /* stopped on a good one */
    case 4: q.after.iqt = 0x70; q.after.iqh = 0; q.after.iqe = true; break; /* bad tail */
    case 5: q.after.iqh = 0x40; q.after.iqe = true; break;      /* status fails: right */
    case 6: break;                                              /* status fails, accepted */
    case 7: q.before.iqa = 0x7700000000ull | (1u << 11);        /* unreadable queue */
            q.after = q.before; q.after.iqt = 0x60; q.after.iqe = true; break;
    case 8: q.after.iqe = true; break;                          /* IQE out of nowhere */
    case 9: q.after.iqh = 0x40; q.after.iqe = true; break;      /* status not written */
    default: abort();
    }
    iq_check_after_tail(q.mem, &q.before, &q.after, &q.out);
    guest_mem_free(q.mem);
}

#define IQ "pasidfuzz: VIOLATION iq-state: batch from 0x0 to tail 0x60: the spec "
#define IQV "pasidfuzz: VIOLATION iq-state: "

static void predict_batches(void)
{
    CHECK_SURVIVES(batch, (void *)0);
    CHECK_SURVIVES(batch, (void *)2);
    CHECK_SURVIVES(batch, (void *)4);
    CHECK_SURVIVES(batch, (void *)5);
    CHECK_SURVIVES(batch, (void *)7);
    CHECK_DIES(batch, (void *)1,
               IQ "stops at 0x20 with IQE: pasid-cache descriptor (q0=0x0000000000000087) "
                  "invalid, field rsvd 8:6 = 0x2; the model left head 0x60 with IQE clear");
    CHECK_DIES(batch, (void *)3, IQ "runs to the tail; the model left head 0x20 with IQE set");
    CHECK_DIES(batch, (void *)6,
               IQ "stops at 0x40 with IQE: status write fails; the model left head 0x60");
    CHECK_DIES(batch, (void *)8, IQ "runs to the tail; the model left head 0x60 with IQE set");
    CHECK_DIES(batch, (void *)9, IQ "runs to the tail; the model left head 0x40 with IQE set");
}

/* ---- DMA writes: only a wait's status write ---- */

enum dw_case { DW_STATUS, DW_OUTSIDE, DW_NOT_WAIT, DW_NO_SW, DW_ADDR, DW_LEN, DW_DATA };

static void dma_write(void *arg)
{
    enum dw_case c = (enum dw_case)(intptr_t)arg;
    struct qb q;
    qb_init(&q);
    uint64_t d[4];
    base_desc(PF_DT_IEC, d);
    qb_put(&q, 0, d);
    base_desc(PF_DT_WAIT, d);
    d[0] |= 0x12345678ull << 32;
    if (c == DW_NO_SW)
        d[0] ^= 3u << 4;                /* IF instead of SW */
    d[1] = QS;
    qb_put(&q, 1, d);
    struct iq_regs now = {.iqa = q.before.iqa, .iqh = c == DW_NOT_WAIT ? 0 : 0x20};
    uint8_t data[8];
    pf_le64_store(data, c == DW_DATA ? 0x12345679u : 0x12345678u);
    iq_check_dma_write(q.mem, &now, c != DW_OUTSIDE, c == DW_ADDR ? QS + 4 : QS, data,
                       c == DW_LEN ? 8 : 4);
    guest_mem_free(q.mem);
}

static void dma_writes(void)
{
    CHECK_SURVIVES(dma_write, (void *)DW_STATUS);
    CHECK_DIES(dma_write, (void *)DW_OUTSIDE,
               IQV "DMA write of 4 byte(s) at 0x300000 with head 0x20: outside the processing "
                   "of an IQT write");
    CHECK_DIES(dma_write, (void *)DW_NOT_WAIT,
               IQV "DMA write of 4 byte(s) at 0x300000 with head 0x0: the descriptor at the "
                   "head is no valid wait");
    CHECK_DIES(dma_write, (void *)DW_NO_SW, IQV "DMA write of 4 byte(s) at 0x300000 with head "
                                            "0x20: the wait at the head has SW clear");
    CHECK_DIES(dma_write, (void *)DW_ADDR, IQV "DMA write of 4 byte(s) at 0x300004 with head "
                                           "0x20: not the 4 bytes at the wait's status address");
    CHECK_DIES(dma_write, (void *)DW_LEN, IQV "DMA write of 8 byte(s) at 0x300000 with head "
                                          "0x20: not the 4 bytes");
    CHECK_DIES(dma_write, (void *)DW_DATA, IQV "DMA write of 4 byte(s) at 0x300000 with head "
                                           "0x20: not the wait's status data");
}

/* What a batch did, for the register predictor: IEC, PASID-cache, then a
 * wait with IF (if_wait) and SW; stop: the PASID-cache descriptor is bad. */
static struct iq_outcome outcome(bool if_wait, bool stop, bool ring, bool qi_off)
{
    struct qb q;
    qb_init(&q);
    uint64_t d[4];
    base_desc(PF_DT_IEC, d);
    qb_put(&q, 0, d);
    base_desc(PF_DT_PASID_CACHE, d);
    d[0] |= stop ? 1ull << 7 : 0;
    qb_put(&q, 1, d);
    base_desc(PF_DT_WAIT, d);
    d[0] |= if_wait ? 1u << 4 : 0;
    d[1] = QS;
    qb_put(&q, 2, d);
    q.after.iqt = 0x60;
    q.after.iqh = stop ? 0x20 : 0x60;
    q.after.iqe = stop;
    q.after.ring_written = ring;
    if (qi_off) {
        q.before.qies = q.after.qies = false;
        q.after.iqh = 0;
    }
    iq_check_after_tail(q.mem, &q.before, &q.after, &q.out);
    guest_mem_free(q.mem);
    return q.out;
}

static void batch_outcomes(void)
{
    struct iq_outcome o = outcome(true, false, false, false);
    CHECK(o.known && o.head == 0x60 && !o.iqe && o.iwc);
    o = outcome(false, false, false, false);
    CHECK(o.known && o.head == 0x60 && !o.iqe && !o.iwc);
    o = outcome(true, true, false, false);              /* stopped before the wait */
    CHECK(o.known && o.head == 0x20 && o.iqe && !o.iwc);
    o = outcome(true, false, true, false);              /* not judged */
    CHECK(!o.known);
    o = outcome(true, false, false, true);              /* nothing runs */
    CHECK(o.known && o.head == 0 && !o.iqe && !o.iwc);
}

/* With the ring written during the batch there is no prediction: the
 * register rules alone must still hold. */
static void ring_batch(void *arg)
{
    int v = (int)(intptr_t)arg;
    struct qb q;
    qb_init(&q);
    uint64_t d[4];
    base_desc(PF_DT_IEC, d);
    for (unsigned i = 0; i < 4; i++)
        qb_put(&q, i, d);
    q.after.ring_written = true;
    q.after.iqt = q.after.iqh = 0x40;
    switch (v) {
    case 0: break;
    case 1: q.after.iqt = 0x50; q.after.iqh = 0x50; break;      /* DW tail with bit 4 */
    case 2: q.after.iqt = 0x60; q.after.iqh = 0x50; q.after.iqe = true; break; /* half */
    case 3: q.after.iqh = 0x60; q.after.iqe = true; break;      /* past the tail */
    case 4: q.after.iqh = 0x20; break;                          /* stopped, IQE clear */
    case 5: q.before.qies = q.after.qies = false; break;        /* QI off */
    default: abort();
    }
    iq_check_after_tail(q.mem, &q.before, &q.after, &q.out);
    guest_mem_free(q.mem);
}

static void register_rules_alone(void)
{
    CHECK_SURVIVES(ring_batch, (void *)0);
    CHECK_DIES(ring_batch, (void *)1, IQV "head moved from 0x0 to 0x50 although tail 0x50 is "
                                      "invalid");
    CHECK_DIES(ring_batch, (void *)2, IQV "head moved from 0x0 to 0x50, not a whole number");
    CHECK_DIES(ring_batch, (void *)3, IQV "head moved from 0x0 to 0x60, off the path to tail "
                                      "0x40");
    CHECK_DIES(ring_batch, (void *)4, IQV "IQE clear but head 0x20 != tail 0x40");
    CHECK_DIES(ring_batch, (void *)5, IQV "head moved from 0x0 to 0x40 while QI was disabled");
}

/* ---- registers ---- */

static uint64_t regfile[0x200 / 4];

static uint64_t rf_read(void *opaque, uint64_t off, unsigned size)
{
    (void)opaque;
    uint64_t v = regfile[off / 4] & 0xffffffffu;
    if (size == 8)
        v |= regfile[off / 4 + 1] << 32;
    return v;
}

static void rf_set(uint64_t off, unsigned size, uint64_t v)
{
    regfile[off / 4] = v & 0xffffffffu;
    if (size == 8)
        regfile[off / 4 + 1] = v >> 32;
}

struct rw {
    uint16_t off;
    uint8_t size;
    uint64_t val;
    const char *reg;        /* the register judged, at reg_off, reg_width bytes */
    uint16_t reg_off;
    uint8_t reg_width;
    uint64_t before, after;
    const char *broken;     /* NULL: allowed */
};

static const struct rw reg_cases[] = {
    {0x88, 8, ~0ull, "IQT", 0x88, 8, 0, 0x7fff0, NULL},
    {0x88, 8, 0x40, "IQT", 0x88, 8, 0, 0x41, "reserved bits read 0"},
    {0x88, 8, 0x40, "IQT", 0x88, 8, 0, 0x50, "read-write bits take the value"},
    {0x8c, 4, 0x1, "IQT", 0x88, 8, 0x40, 0x40, NULL},
    {0x88, 4, 0x80, "IQT", 0x88, 8, 0x40, 0x80, NULL},
    {0x90, 8, 0x1234fff, "IQA", 0x90, 8, 0, 0x1234807, NULL},
    {0x94, 4, 0x5, "IQA", 0x90, 8, 0x1000, 0x500001000ull, NULL},
    {0x94, 4, 0x5, "IQA", 0x90, 8, 0x1000, 0x500000000ull, "bits not written keep their value"},
    {0x34, 4, 0x10, "FSTS", 0x34, 4, 0x10, 0, NULL},
    {0x34, 4, 0x0, "FSTS", 0x34, 4, 0x10, 0x10, NULL},
    {0x34, 4, 0x0, "FSTS", 0x34, 4, 0x10, 0x0, "write-1-to-clear"},
    {0x34, 4, 0x10, "FSTS", 0x34, 4, 0x10, 0x10, "write-1-to-clear"},
    {0x34, 4, 0x2, "FSTS", 0x34, 4, 0x0, 0x2, "read-only bits do not change"},
    {0x9c, 4, 0x1, "ICS", 0x9c, 4, 0x1, 0x0, NULL},
    {0x9c, 4, 0x0, "ICS", 0x9c, 4, 0x1, 0x0, "write-1-to-clear"},
    {0x18, 4, 0x80000000u, "GCMD", 0x18, 4, 0, 0, NULL},
    {0x18, 4, 0x80000000u, "GCMD", 0x18, 4, 0, 0x80000000u, "write-only: reads 0"},
    {0x1c, 4, 0xffffffffu, "GSTS", 0x1c, 4, 0, 0, NULL},
    {0x1c, 4, 0xffffffffu, "GSTS", 0x1c, 4, 0, 0x80000000u, "read-only bits do not change"},
    {0x18, 8, 0x80000000u, "GSTS", 0x1c, 4, 0, 0x80000000u, NULL},
    {0x08, 8, 0, "CAP", 0x08, 8, 0x1234, 0x1235, "read-only bits do not change"},
    {0x20, 8, 0x12345fffull, "RTADDR", 0x20, 8, 0, 0x12345c00ull, NULL},
    {0x20, 8, 0x12345fffull, "RTADDR", 0x20, 8, 0, 0x12345fffull, "reserved bits read 0"},
    {0xa0, 4, 0x80000000u, "IECTL", 0xa0, 4, 0, 0xc0000000u, NULL},
    {0xa8, 4, 0xffffffffu, "IEADDR", 0xa8, 4, 0, 0xfffffffcu, NULL},
    {0x38, 4, 0x1u, "FECTL", 0x38, 4, 0, 0x1u, "reserved bits read 0"},
    /* FECTL.IP follows the fault status and IM: its value is reg_predict.c's. */
    {0x38, 4, 0x80000000u, "FECTL", 0x38, 4, 0xc0000000u, 0x80000000u, NULL},
    {0x8a, 4, 0x1, "IQT", 0x88, 8, 0x40, 0x41, "an improper access is ignored"},
    {0x8a, 4, 0x1, "IQT", 0x88, 8, 0x40, 0x40, NULL},
};

static void reg_case(void *arg)
{
    const struct rw *c = arg;
    memset(regfile, 0, sizeof regfile);
    rf_set(c->reg_off, c->reg_width, c->before);
    struct pf_reg_snap s;
    pf_reg_snap(&s, c->off, c->size, rf_read, NULL);
    rf_set(c->reg_off, c->reg_width, c->after);
    pf_reg_check(&s, c->val, rf_read, NULL);
}

static void reg_rules(void)
{
    for (size_t i = 0; i < sizeof reg_cases / sizeof reg_cases[0]; i++) {
        const struct rw *c = &reg_cases[i];
        if (!c->broken) {
            CHECK_SURVIVES(reg_case, (void *)c);
            continue;
        }
        char want[256];
        snprintf(want, sizeof want,
                 "pasidfuzz: VIOLATION reg-write: write 0x%llx (size %u) at 0x%03x: %s 0x%llx "
                 "-> 0x%llx breaks %s",
                 (unsigned long long)c->val, c->size, c->off, c->reg,
                 (unsigned long long)c->before, (unsigned long long)c->after, c->broken);
        CHECK_DIES(reg_case, (void *)c, want);
    }
}

CHECK_MAIN(TEST(decode_reserved_bits), TEST(decode_granularities), TEST(decode_address_mask),
           TEST(decode_types_and_width), TEST(decode_fields), TEST(predict_batches),
           TEST(batch_outcomes), TEST(dma_writes), TEST(register_rules_alone), TEST(reg_rules))

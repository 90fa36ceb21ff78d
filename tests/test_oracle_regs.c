/*
 * The register predictor's rules one at a time (stubs/reg_predict.c,
 * stubs/README.md "Registers"): a register file standing in for a model,
 * set by hand to what a model leaves after each access, and the predictor
 * judging it. Variant 0 of each scenario is a correct model and survives;
 * every other variant gets one rule wrong and dies naming the register.
 * Removing that rule from stubs/reg_predict.c makes its variant survive.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "oracle.h"
#include "reg_predict.h"
#include "stubs_bench.h"

#define VALUE "pasidfuzz: VIOLATION reg-value: "

static uint32_t rf[0x1000 / 4];       /* the whole register window */
static struct pf_regpred P;
static const struct pf_reg_config CFG = {20, 39, false};

static uint64_t rf_read(void *opaque, uint64_t off, unsigned size)
{
    (void)opaque;
    uint64_t v = rf[off / 4];
    if (size == 8)
        v |= (uint64_t)rf[off / 4 + 1] << 32;
    return v;
}

static void rf_set(uint64_t off, unsigned size, uint64_t v)
{
    rf[off / 4] = (uint32_t)v;
    if (size == 8)
        rf[off / 4 + 1] = (uint32_t)(v >> 32);
}

/* Power-on as model/BEHAVIOUR.md has it, judged. */
static void boot(void)
{
    memset(rf, 0, sizeof rf);
    rf_set(0x00, 4, 0x10);
    rf_set(0x08, 8, 0x1d2008020260406ull);
    rf_set(0x10, 8, 0x899800001042ull);
    rf_set(0x38, 4, 0x80000000u);
    rf_set(0xa0, 4, 0x80000000u);
    pf_regpred_reset(&P, &CFG);
    pf_regpred_check_all(&P, "at power-on", rf_read, NULL);
}

static void wr(uint64_t off, unsigned size, uint64_t val, const struct iq_outcome *batch)
{
    pf_regpred_write(&P, off, val, size, batch, rf_read, NULL);
}

/* The guest writes reg (4 or 8 bytes) and the model keeps what it wrote. */
static void wr_plain(uint64_t off, unsigned size, uint64_t val, uint64_t kept)
{
    rf_set(off, size, kept);
    wr(off, size, val, NULL);
}

/* ---- power-on, CAP and ECAP ---- */

static void cap_fields(void)
{
    /* Literals from the specification's field positions, by hand:
     * ND 6, SAGAW 4, MGAW haw-1, FRO 0x20, PSI, MAMV 18, DWD, DRD, FS1GP
     * (FS5LP); QI, PT, IRO 0x10, PSS, PASID, SMTS, FSTS. */
    CHECK_EQ_U64(pf_regpred_cap(&CFG), 0x1d2008020260406ull);
    const struct pf_reg_config wide = {1, 52, true};
    CHECK_EQ_U64(pf_regpred_cap(&wide), 0x11d2008020330406ull);
    CHECK_EQ_U64(pf_regpred_ecap(&CFG), 0x899800001042ull);
    CHECK_EQ_U64(pf_regpred_ecap(&wide), 0x890000001042ull);
}

static void seq_reset(void *arg)
{
    static const struct {
        uint16_t off;
        uint8_t size;
        uint64_t v;
    } wrong[] = {
        {0, 0, 0},
        {0x08, 8, 0x1d2008020260400ull},    /* CAP without ND */
        {0x08, 8, 0x1d2008000260406ull},    /* CAP without FRO */
        {0x10, 8, 0x819800001042ull},       /* ECAP without SMTS */
        {0x00, 4, 0x11},                    /* VER */
        {0x38, 4, 0},                       /* FECTL.IM */
        {0xa0, 4, 0},                       /* IECTL.IM */
        {0x9c, 4, 1},                       /* ICS */
    };
    unsigned v = (unsigned)(uintptr_t)arg;
    boot();
    if (v == 0)
        return;
    rf_set(wrong[v].off, wrong[v].size, wrong[v].v);
    pf_regpred_check_all(&P, "after reset", rf_read, NULL);
}

static void reset_values(void)
{
    static const char *const want[] = {
        NULL,
        VALUE "after reset: CAP reads 0x1d2008020260400, the spec says 0x1d2008020260406",
        VALUE "after reset: CAP reads 0x1d2008000260406, the spec says 0x1d2008020260406",
        VALUE "after reset: ECAP reads 0x819800001042, the spec says 0x899800001042",
        VALUE "after reset: VER reads 0x11, the spec says 0x10",
        VALUE "after reset: FECTL reads 0x0, the spec says 0x80000000",
        VALUE "after reset: IECTL reads 0x0, the spec says 0x80000000",
        VALUE "after reset: ICS reads 0x1, the spec says 0x0",
    };
    CHECK_SURVIVES(seq_reset, (void *)0);
    for (uintptr_t v = 1; v < sizeof want / sizeof want[0]; v++)
        CHECK_DIES(seq_reset, (void *)v, want[v]);
}

/* ---- GCMD and GSTS ---- */

#define TE (1u << 31)
#define SRTP (1u << 30)
#define QIE (1u << 26)

/* Power-on, then a 4 KiB queue of 256-bit descriptors at 0x10000 and QI
 * on, each step judged. */
static void boot_qi(void)
{
    boot();
    wr_plain(0x90, 8, 0x10800, 0x10800);
    rf_set(0x1c, 4, QIE);
    wr(0x18, 4, QIE, NULL);
}

/* Variant v: step v of the sequence gets its status wrong. */
static void seq_gcmd(void *arg)
{
    unsigned v = (unsigned)(uintptr_t)arg;
    boot();
    wr_plain(0x20, 8, 0x1c00, 0x1c00);
    rf_set(0x1c, 4, v == 1 ? 0 : SRTP);
    wr(0x18, 4, SRTP, NULL);                            /* 1: RTPS */
    rf_set(0x1c, 4, v == 2 ? SRTP : TE | SRTP);
    wr(0x18, 4, TE, NULL);                              /* 2: TES */
    wr_plain(0x90, 8, 0x10800, 0x10800);
    rf_set(0x1c, 4, v == 3 ? TE | SRTP : TE | SRTP | QIE);
    wr(0x18, 4, TE | QIE, NULL);                        /* 3: QIES */
    rf_set(0x1c, 4, v == 4 ? TE | SRTP | QIE : TE | SRTP);
    wr(0x18, 4, TE, NULL);                              /* 4: QIE off, queue empty */
    rf_set(0x1c, 4, v == 5 ? TE | SRTP | 1u << 24 : TE | SRTP);
    wr(0x18, 4, TE | 1u << 25 | 1u << 24, NULL);        /* 5: IRE, SIRTP: no IR */
    rf_set(0x18, 4, v == 6 ? TE : 0);
    rf_set(0x1c, 4, v == 7 ? SRTP : TE | SRTP);
    wr(0x18, 8, TE | 0xffffffffull << 32, NULL);        /* 6: GCMD reads 0; 7: GSTS read-only */
}

static void gcmd_status(void)
{
    static const char *const want[] = {
        NULL,
        VALUE "write 0x40000000 (size 4) at 0x018: GSTS reads 0x0, the spec says 0x40000000",
        VALUE "write 0x80000000 (size 4) at 0x018: GSTS reads 0x40000000, the spec says "
              "0xc0000000",
        VALUE "write 0x84000000 (size 4) at 0x018: GSTS reads 0xc0000000, the spec says "
              "0xc4000000",
        VALUE "write 0x80000000 (size 4) at 0x018: GSTS reads 0xc4000000, the spec says "
              "0xc0000000",
        VALUE "write 0x83000000 (size 4) at 0x018: GSTS reads 0xc1000000, the spec says "
              "0xc0000000",
        VALUE "write 0xffffffff80000000 (size 8) at 0x018: GCMD reads 0x80000000, the spec "
              "says 0x0",
        VALUE "write 0xffffffff80000000 (size 8) at 0x018: GSTS reads 0x40000000, the spec "
              "says 0xc0000000",
    };
    CHECK_SURVIVES(seq_gcmd, (void *)0);
    for (uintptr_t v = 1; v < sizeof want / sizeof want[0]; v++)
        CHECK_DIES(seq_gcmd, (void *)v, want[v]);
}

/* QI on, a batch that stopped with IQE at 0x20 before the tail 0x40. */
static void qi_on_stuck(void)
{
    boot_qi();
    const struct iq_outcome b = {true, 0x20, true, false};
    rf_set(0x88, 8, 0x40);
    rf_set(0x80, 8, 0x20);
    rf_set(0x34, 4, 0x10);
    rf_set(0x38, 4, 0xc0000000u);
    wr(0x88, 8, 0x40, &b);
}

/* Turning QI off with the head short of the tail: either outcome of
 * model/BEHAVIOUR.md's qie-pending case, but not half of each. */
static void seq_qie_pending(void *arg)
{
    unsigned v = (unsigned)(uintptr_t)arg;
    qi_on_stuck();
    rf_set(0x1c, 4, v == 0 ? QIE : 0);
    rf_set(0x80, 8, v == 2 ? 0x20 : v == 0 ? 0x20 : 0);
    wr(0x18, 4, 0, NULL);
}

static void qie_pending(void)
{
    CHECK_SURVIVES(seq_qie_pending, (void *)0);
    CHECK_SURVIVES(seq_qie_pending, (void *)1);
    CHECK_DIES(seq_qie_pending, (void *)2,
               VALUE "write 0x0 (size 4) at 0x018: IQH reads 0x20: the head reads 0 while "
                     "QI is off");
}

/* Enabling QI with a tail already written: the queue's outcome is open
 * (model/BEHAVIOUR.md, qie-with-tail), GSTS is not. */
static void seq_qie_tail(void *arg)
{
    unsigned v = (unsigned)(uintptr_t)arg;
    boot();
    wr_plain(0x88, 8, 0x40, 0x40);
    rf_set(0x1c, 4, v == 2 ? 0 : QIE);
    if (v == 1) {
        rf_set(0x80, 8, 0x40);
        rf_set(0x9c, 4, 1);
        rf_set(0xa0, 4, 0xc0000000u);
    }
    wr(0x18, 4, QIE, NULL);
}

static void qie_with_tail(void)
{
    CHECK_SURVIVES(seq_qie_tail, (void *)0);
    CHECK_SURVIVES(seq_qie_tail, (void *)1);
    CHECK_DIES(seq_qie_tail, (void *)2,
               VALUE "write 0x4000000 (size 4) at 0x018: GSTS reads 0x0, the spec says "
                     "0x4000000");
}

/* ---- CCMD ---- */

#define ICC (1ull << 63)
#define CIRG(g) ((uint64_t)(g) << 61)
#define CAIG(g) ((uint64_t)(g) << 59)

static void seq_ccmd(void *arg)
{
    static const uint64_t shown[] = {
        CIRG(2) | CAIG(2) | 5,                  /* as asked */
        CIRG(2) | CAIG(1) | 5,                  /* coarser: allowed */
        CIRG(2) | 5 | 0x3ffff0000ull,           /* FM and SID write-only */
        ICC | CIRG(2) | CAIG(2) | 5,            /* never completes */
        CIRG(2) | CAIG(3) | 5,                  /* finer than asked */
        CIRG(2) | CAIG(0) | 5,                  /* no granularity */
        CIRG(2) | CAIG(2) | 6,                  /* DID changed */
    };
    unsigned v = (unsigned)(uintptr_t)arg;
    boot();
    rf_set(0x28, 8, shown[v] | (v == 2 ? CAIG(2) : 0));
    wr(0x28, 8, ICC | CIRG(2) | 1ull << 32 | 0x1230000 | 5, NULL);
}

static void ccmd_completion(void)
{
    const char *die = VALUE "write 0xc000000101230005 (size 8) at 0x028: CCMD reads ";
    char want[256];
    CHECK_SURVIVES(seq_ccmd, (void *)0);
    CHECK_SURVIVES(seq_ccmd, (void *)1);
    CHECK_SURVIVES(seq_ccmd, (void *)2);
    snprintf(want, sizeof want, "%s0xd000000000000005, the spec says 0x5000000101230005 "
             "(open bits 0x18000003ffff0000)", die);
    CHECK_DIES(seq_ccmd, (void *)3, want);
    snprintf(want, sizeof want, "%s0x5800000000000005: CAIG 3, the request allows 0x6", die);
    CHECK_DIES(seq_ccmd, (void *)4, want);
    snprintf(want, sizeof want, "%s0x4000000000000005: CAIG 0, the request allows 0x6", die);
    CHECK_DIES(seq_ccmd, (void *)5, want);
    snprintf(want, sizeof want, "%s0x5000000000000006, the spec says 0x5000000101230005", die);
    CHECK_DIES(seq_ccmd, (void *)6, want);
}

/* With QI on a register-based invalidation may be dropped or done. */
static void seq_ccmd_qi(void *arg)
{
    unsigned v = (unsigned)(uintptr_t)arg;
    boot_qi();
    uint64_t done = CIRG(1) | CAIG(1) | 7;
    rf_set(0x28, 8, v == 0 ? 0 : v == 1 ? done : ICC | CIRG(1) | 7);
    wr(0x28, 8, ICC | CIRG(1) | 7, NULL);
}

static void ccmd_with_qi(void)
{
    CHECK_SURVIVES(seq_ccmd_qi, (void *)0);
    CHECK_SURVIVES(seq_ccmd_qi, (void *)1);
    CHECK_DIES(seq_ccmd_qi, (void *)2,
               VALUE "write 0xa000000000000007 (size 8) at 0x028: CCMD reads "
                     "0xa000000000000007, the spec says 0x2800000000000007 or 0x0");
}

/* ---- fault event: FSTS and FECTL ---- */

static void seq_fault(void *arg)
{
    unsigned v = (unsigned)(uintptr_t)arg;
    boot_qi();
    if (v == 3)
        wr_plain(0x38, 4, 0, 0);                /* unmasked: delivered at once */
    const struct iq_outcome b = {true, 0, true, false};
    rf_set(0x88, 8, 0x50);
    rf_set(0x34, 4, v == 1 ? 0 : 0x10);
    rf_set(0x38, 4, v == 3 ? 0x40000000u : v == 2 ? 0x80000000u : 0xc0000000u);
    wr(0x88, 8, 0x50, &b);                      /* IQE: a bad tail */
    if (v == 3)
        return;
    rf_set(0x38, 4, v == 4 ? 0x40000000u : 0);
    wr(0x38, 4, 0, NULL);                       /* 4: unmasking delivers */
}

static void fault_event(void)
{
    CHECK_SURVIVES(seq_fault, (void *)0);
    CHECK_DIES(seq_fault, (void *)1,
               VALUE "write 0x50 (size 8) at 0x088: FSTS reads 0x0, the spec says 0x10");
    CHECK_DIES(seq_fault, (void *)2,
               VALUE "write 0x50 (size 8) at 0x088: FECTL reads 0x80000000, the spec says "
                     "0xc0000000");
    CHECK_DIES(seq_fault, (void *)3,
               VALUE "write 0x50 (size 8) at 0x088: FECTL reads 0x40000000, the spec says 0x0");
    CHECK_DIES(seq_fault, (void *)4,
               VALUE "write 0x0 (size 4) at 0x038: FECTL reads 0x40000000, the spec says 0x0");
}

/* A masked fault event stays pending until FSTS is serviced. */
static void seq_fault_serviced(void *arg)
{
    unsigned v = (unsigned)(uintptr_t)arg;
    boot_qi();
    const struct iq_outcome b = {true, 0, true, false};
    rf_set(0x88, 8, 0x50);
    rf_set(0x34, 4, 0x10);
    rf_set(0x38, 4, 0xc0000000u);
    wr(0x88, 8, 0x50, &b);
    rf_set(0x38, 4, v == 1 ? 0x80000000u : 0xc0000000u);
    wr(0x38, 4, 0x80000000u, NULL);             /* 1: masked, IP stays */
    rf_set(0x34, 4, 0);
    rf_set(0x38, 4, v == 2 ? 0xc0000000u : 0x80000000u);
    wr(0x34, 4, 0x10, NULL);                    /* 2: clearing IQE services it */
}

static void fault_serviced(void)
{
    CHECK_SURVIVES(seq_fault_serviced, (void *)0);
    CHECK_DIES(seq_fault_serviced, (void *)1,
               VALUE "write 0x80000000 (size 4) at 0x038: FECTL reads 0x80000000, the spec "
                     "says 0xc0000000");
    CHECK_DIES(seq_fault_serviced, (void *)2,
               VALUE "write 0x10 (size 4) at 0x034: FECTL reads 0xc0000000, the spec says "
                     "0x80000000");
}

/* ---- invalidation completion: ICS and IECTL ---- */

static void seq_completion(void *arg)
{
    unsigned v = (unsigned)(uintptr_t)arg;
    boot_qi();
    const struct iq_outcome b = {true, 0x20, false, true};
    rf_set(0x88, 8, 0x20);
    rf_set(0x80, 8, v == 1 ? 0 : 0x20);
    rf_set(0x9c, 4, v == 2 ? 0 : 1);
    rf_set(0xa0, 4, v == 3 ? 0x80000000u : 0xc0000000u);
    wr(0x88, 8, 0x20, &b);                      /* 1 head, 2 IWC, 3 IP */
    rf_set(0xa0, 4, v == 4 ? 0x80000000u : 0xc0000000u);
    wr(0xa0, 4, 0x80000000u, NULL);             /* 4: still masked, IP stays */
    rf_set(0x9c, 4, v == 5 ? 1 : 0);
    rf_set(0xa0, 4, v == 6 ? 0xc0000000u : 0x80000000u);
    wr(0x9c, 4, 1, NULL);                       /* 5 IWC w1c, 6 servicing clears IP */
    wr_plain(0xa0, 4, 0, 0);
    const struct iq_outcome c = {true, 0x40, false, true};
    rf_set(0x88, 8, 0x40);
    rf_set(0x80, 8, 0x40);
    rf_set(0x9c, 4, 1);
    rf_set(0xa0, 4, v == 7 ? 0x40000000u : 0);
    wr(0x88, 8, 0x40, &c);                      /* 7: unmasked, no IP */
}

static void completion_event(void)
{
    CHECK_SURVIVES(seq_completion, (void *)0);
    CHECK_DIES(seq_completion, (void *)1,
               VALUE "write 0x20 (size 8) at 0x088: IQH reads 0x0, the spec says 0x20");
    CHECK_DIES(seq_completion, (void *)2,
               VALUE "write 0x20 (size 8) at 0x088: ICS reads 0x0, the spec says 0x1");
    CHECK_DIES(seq_completion, (void *)3,
               VALUE "write 0x20 (size 8) at 0x088: IECTL reads 0x80000000, the spec says "
                     "0xc0000000");
    CHECK_DIES(seq_completion, (void *)4,
               VALUE "write 0x80000000 (size 4) at 0x0a0: IECTL reads 0x80000000, the spec "
                     "says 0xc0000000");
    CHECK_DIES(seq_completion, (void *)5,
               VALUE "write 0x1 (size 4) at 0x09c: ICS reads 0x1, the spec says 0x0");
    CHECK_DIES(seq_completion, (void *)6,
               VALUE "write 0x1 (size 4) at 0x09c: IECTL reads 0xc0000000, the spec says "
                     "0x80000000");
    CHECK_DIES(seq_completion, (void *)7,
               VALUE "write 0x40 (size 8) at 0x088: IECTL reads 0x40000000, the spec says 0x0");
}

/* Unmasking delivers a pending completion event. */
static void seq_unmask(void *arg)
{
    unsigned v = (unsigned)(uintptr_t)arg;
    boot_qi();
    const struct iq_outcome b = {true, 0x20, false, true};
    rf_set(0x88, 8, 0x20);
    rf_set(0x80, 8, 0x20);
    rf_set(0x9c, 4, 1);
    rf_set(0xa0, 4, 0xc0000000u);
    wr(0x88, 8, 0x20, &b);
    rf_set(0xa0, 4, v == 1 ? 0x40000000u : 0);
    wr(0xa0, 4, 0, NULL);
}

static void unmask_delivers(void)
{
    CHECK_SURVIVES(seq_unmask, (void *)0);
    CHECK_DIES(seq_unmask, (void *)1,
               VALUE "write 0x0 (size 4) at 0x0a0: IECTL reads 0x40000000, the spec says 0x0");
}

/* A batch the checks could not follow: its registers are the model's. */
static void seq_unknown_batch(void *arg)
{
    unsigned v = (unsigned)(uintptr_t)arg;
    boot_qi();
    const struct iq_outcome b = {false, 0, false, false};
    rf_set(0x88, 8, v == 1 ? 0x30 : 0x40);
    rf_set(0x80, 8, 0x20);
    rf_set(0x34, 4, 0x10);
    wr(0x88, 8, 0x40, &b);
}

static void unknown_batch(void)
{
    CHECK_SURVIVES(seq_unknown_batch, (void *)0);
    CHECK_DIES(seq_unknown_batch, (void *)1,
               VALUE "write 0x40 (size 8) at 0x088: IQT reads 0x30, the spec says 0x40");
}

/* ---- read-write registers and reads ---- */

static void seq_plain(void *arg)
{
    unsigned v = (unsigned)(uintptr_t)arg;
    boot();
    wr_plain(0xa4, 4, 0x12345678, v == 1 ? 0x5678 : v == 2 ? 0x1234 : 0x12345678);
    wr_plain(0x20, 8, 0xffff000000001fffull,
             v == 3 ? 0x1c00 : v == 4 ? 0xffff000000001800ull : 0xffff000000001c00ull);
    wr_plain(0x40, 8, 0x8765432112345677ull,
             v == 5 ? 0x12345677ull : v == 3 ? 0x12345674ull : 0x8765432112345674ull);
    wr_plain(0x8c, 4, 0xffffffff, v == 6 ? 0xffffffff : 0);
}

static void plain_registers(void)
{
    CHECK_SURVIVES(seq_plain, (void *)0);
    CHECK_SURVIVES(seq_plain, (void *)1);   /* EIMD: 16-bit data only */
    CHECK_DIES(seq_plain, (void *)2,
               VALUE "write 0x12345678 (size 4) at 0x0a4: IEDATA reads 0x1234, the spec says "
                     "0x12345678");
    CHECK_SURVIVES(seq_plain, (void *)3);   /* RTADDR 63:HAW not implemented, no MUA */
    CHECK_DIES(seq_plain, (void *)4,
               VALUE "write 0xffff000000001fff (size 8) at 0x020: RTADDR reads "
                     "0xffff000000001800, the spec says 0xffff000000001c00");
    CHECK_DIES(seq_plain, (void *)5,
               VALUE "write 0x8765432112345677 (size 8) at 0x040: FEADDR reads 0x12345677, "
                     "the spec says 0x12345674");
    CHECK_DIES(seq_plain, (void *)6,
               VALUE "write 0xffffffff (size 4) at 0x08c: IQT reads 0xffffffff00000000, the "
                     "spec says 0x0");
}

/* The IOTLB registers (ECAP.IRO) and the fault recording register
 * (CAP.FRO) read 0 (model/BEHAVIOUR.md) whatever the guest writes there;
 * arg: the offset where the stand-in keeps what was written instead. */
static void seq_placed(void *arg)
{
    uint64_t keeps = (uint64_t)(uintptr_t)arg;
    boot();
    for (uint64_t off = 0x100; off < 0x210; off += off == 0x108 ? 0xf8 : 8) {
        if (off == keeps)
            rf_set(off, 8, 0x8000000000000001ull);
        wr(off, 8, 0x8000000000000001ull, NULL);
    }
    pf_regpred_check_all(&P, "at the end of the input", rf_read, NULL);
}

static void placed_registers(void)
{
    CHECK_SURVIVES(seq_placed, (void *)0);
    CHECK_DIES(seq_placed, (void *)0x108,
               VALUE "write 0x8000000000000001 (size 8) at 0x108: IOTLB reads "
                     "0x8000000000000001, the spec says 0x0");
    CHECK_DIES(seq_placed, (void *)0x208,
               VALUE "write 0x8000000000000001 (size 8) at 0x208: FRCD-HI reads "
                     "0x8000000000000001, the spec says 0x0");
}

static void seq_read(void *arg)
{
    unsigned v = (unsigned)(uintptr_t)arg;
    boot();
    wr_plain(0x90, 8, 0x10800, 0x10800);
    pf_regpred_read(&P, 0x90, 8, 0x10800);
    pf_regpred_read(&P, 0x94, 4, 0);
    pf_regpred_read(&P, 0x18, 8, 0);
    pf_regpred_read(&P, 0x92, 4, 0xdead);   /* improper: not judged */
    if (v == 1)
        pf_regpred_read(&P, 0x90, 4, 0x10000);
    if (v == 2)
        pf_regpred_read(&P, 0x18, 8, 1ull << 63);
}

static void guest_reads(void)
{
    CHECK_SURVIVES(seq_read, (void *)0);
    CHECK_DIES(seq_read, (void *)1,
               VALUE "read 0x10000 (size 4) at 0x090: IQA reads 0x10000, the spec says 0x10800");
    CHECK_DIES(seq_read, (void *)2,
               VALUE "read 0x8000000000000000 (size 8) at 0x018: GSTS reads 0x80000000, the "
                     "spec says 0x0");
}

CHECK_MAIN(TEST(cap_fields), TEST(reset_values), TEST(gcmd_status), TEST(qie_pending),
           TEST(qie_with_tail), TEST(ccmd_completion), TEST(ccmd_with_qi), TEST(fault_event),
           TEST(fault_serviced), TEST(completion_event), TEST(unmask_delivers),
           TEST(unknown_batch), TEST(plain_registers), TEST(placed_registers),
           TEST(guest_reads))

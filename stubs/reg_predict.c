/*
 * The register predictor: values the specification fixes, register by
 * register. Bit positions are the checker's own (reg_table.h), never
 * model/vtd_spec.h's.
 */
#include "reg_predict.h"

#include <inttypes.h>
#include <stdio.h>

#include "violation.h"

/* GCMD commands, reported in GSTS at the same positions. */
#define PF_G_TE    PF_B(31)
#define PF_G_SRTP  PF_B(30)     /* one-shot; its status is RTPS */
#define PF_G_QIE   PF_B(26)
/* FSTS: PFO, PPF, AFO, APF, IQE, ICE, ITE: the fault event's status. */
#define PF_FSTS_STATUS PF_M(6, 0)
#define PF_FSTS_IQE    PF_B(4)
/* FECTL and IECTL. */
#define PF_EV_IM   PF_B(31)
#define PF_EV_IP   PF_B(30)
#define PF_ICS_IWC PF_B(0)
#define PF_CCMD_ICC  PF_B(63)
#define PF_CCMD_CAIG PF_M(60, 59)
#define PF_IQ_OFF  PF_M(18, 4)

/* ---- CAP and ECAP, field by field ---- */

enum pf_capv {
    PF_CV_CONST,            /* the row's value */
    PF_CV_MGAW,             /* host address width - 1 */
    PF_CV_FS5,              /* 5-level first-stage tables */
    PF_CV_PSS,              /* PASID bits - 1 */
};

struct pf_cap_field {
    const char *name;
    uint8_t hi, lo;
    enum pf_capv kind;
    uint16_t value;
};

/* Every field of CAP; the bits in no row (15:13, 23, 38, 58:57, 61) are
 * reserved. The values are the feature set of model/BEHAVIOUR.md. */
static const struct pf_cap_field pf_cap_fields[] = {
    {"ND", 2, 0, PF_CV_CONST, 6},           /* 16-bit domain ids */
    {"AFL", 3, 3, PF_CV_CONST, 0},
    {"RWBF", 4, 4, PF_CV_CONST, 0},
    {"PLMR", 5, 5, PF_CV_CONST, 0},
    {"PHMR", 6, 6, PF_CV_CONST, 0},
    {"CM", 7, 7, PF_CV_CONST, 0},
    {"SAGAW", 12, 8, PF_CV_CONST, 0x4},     /* 4-level (48-bit) second stage */
    {"MGAW", 21, 16, PF_CV_MGAW, 0},
    {"ZLR", 22, 22, PF_CV_CONST, 0},
    {"FRO", 33, 24, PF_CV_CONST, 0x20},     /* fault recording at 16 * 0x20 */
    {"SSLPS", 37, 34, PF_CV_CONST, 0},
    {"PSI", 39, 39, PF_CV_CONST, 1},
    {"NFR", 47, 40, PF_CV_CONST, 0},        /* one fault recording register */
    {"MAMV", 53, 48, PF_CV_CONST, 18},
    {"DWD", 54, 54, PF_CV_CONST, 1},
    {"DRD", 55, 55, PF_CV_CONST, 1},
    {"FS1GP", 56, 56, PF_CV_CONST, 1},
    {"PI", 59, 59, PF_CV_CONST, 0},
    {"FS5LP", 60, 60, PF_CV_FS5, 0},
    {"ESIRTPS", 62, 62, PF_CV_CONST, 0},
    {"ESRTPS", 63, 63, PF_CV_CONST, 0},
};

/* Every field of ECAP; the bits in no row (5, 19:18, 24, 28:27, 32, 50,
 * 63:52) are reserved. */
static const struct pf_cap_field pf_ecap_fields[] = {
    {"C", 0, 0, PF_CV_CONST, 0},
    {"QI", 1, 1, PF_CV_CONST, 1},
    {"DT", 2, 2, PF_CV_CONST, 0},
    {"IR", 3, 3, PF_CV_CONST, 0},
    {"EIM", 4, 4, PF_CV_CONST, 0},
    {"PT", 6, 6, PF_CV_CONST, 1},
    {"SC", 7, 7, PF_CV_CONST, 0},
    {"IRO", 17, 8, PF_CV_CONST, 0x10},      /* IOTLB registers at 16 * 0x10 */
    {"MHMV", 23, 20, PF_CV_CONST, 0},
    {"MTS", 25, 25, PF_CV_CONST, 0},
    {"NEST", 26, 26, PF_CV_CONST, 0},
    {"PRS", 29, 29, PF_CV_CONST, 0},
    {"ERS", 30, 30, PF_CV_CONST, 0},
    {"SRS", 31, 31, PF_CV_CONST, 0},
    {"NWFS", 33, 33, PF_CV_CONST, 0},
    {"EAFS", 34, 34, PF_CV_CONST, 0},
    {"PSS", 39, 35, PF_CV_PSS, 0},
    {"PASID", 40, 40, PF_CV_CONST, 1},
    {"DIT", 41, 41, PF_CV_CONST, 0},
    {"PDS", 42, 42, PF_CV_CONST, 0},
    {"SMTS", 43, 43, PF_CV_CONST, 1},
    {"VCS", 44, 44, PF_CV_CONST, 0},
    {"SSADS", 45, 45, PF_CV_CONST, 0},
    {"SSTS", 46, 46, PF_CV_CONST, 0},
    {"FSTS", 47, 47, PF_CV_CONST, 1},
    {"SMPWCS", 48, 48, PF_CV_CONST, 0},
    {"RPS", 49, 49, PF_CV_CONST, 0},
    {"PMS", 51, 51, PF_CV_CONST, 0},
};

static uint64_t pf_cap_value(const struct pf_cap_field *f, const struct pf_reg_config *cfg)
{
    switch (f->kind) {
    case PF_CV_MGAW:
        return cfg->haw - 1u;
    case PF_CV_FS5:
        return cfg->fs_5level;
    case PF_CV_PSS:
        return cfg->pasid_bits - 1u;
    default:
        return f->value;
    }
}

static uint64_t pf_cap_fold(const struct pf_cap_field *f, size_t n,
                            const struct pf_reg_config *cfg)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v |= (pf_cap_value(&f[i], cfg) << f[i].lo) & PF_M(f[i].hi, f[i].lo);
    return v;
}

uint64_t pf_regpred_cap(const struct pf_reg_config *cfg)
{
    return pf_cap_fold(pf_cap_fields, sizeof pf_cap_fields / sizeof pf_cap_fields[0], cfg);
}

uint64_t pf_regpred_ecap(const struct pf_reg_config *cfg)
{
    return pf_cap_fold(pf_ecap_fields, sizeof pf_ecap_fields / sizeof pf_ecap_fields[0], cfg);
}

/* ---- the shadow ---- */

/* The bits of register i the specification always leaves open. */
static uint64_t pf_rp_base_open(const struct pf_regpred *p, enum pf_reg_idx i)
{
    uint64_t o = pf_reg_rows[i].open;
    if (i == PF_RI_RTADDR || i == PF_RI_IQA)
        o |= p->hi_open;        /* hardware may not implement bits 63:HAW */
    if (i == PF_RI_CCMD)
        o |= PF_CCMD_CAIG;      /* judged against caig_ok */
    return o;
}

void pf_regpred_reset(struct pf_regpred *p, const struct pf_reg_config *cfg)
{
    const struct pf_reg_config c = *cfg;    /* cfg may be &p->cfg */
    p->cfg = c;
    cfg = &p->cfg;
    p->hi_open = cfg->haw < 64 ? PF_M(63, cfg->haw) : 0;
    p->has_alt = 0;
    for (unsigned i = 0; i < PF_RI_COUNT; i++) {
        p->v[i] = pf_reg_rows[i].reset;
        p->alt[i] = 0;
        p->open[i] = pf_rp_base_open(p, (enum pf_reg_idx)i);
    }
    p->v[PF_RI_CAP] = pf_regpred_cap(cfg);
    p->v[PF_RI_ECAP] = pf_regpred_ecap(cfg);
    /* CAIG out of reset: implementations show 00 or 01. */
    p->caig_ok = 1u << 0 | 1u << 1;
}

static void pf_rp_alt(struct pf_regpred *p, enum pf_reg_idx i, uint64_t v)
{
    p->alt[i] = v;
    p->has_alt |= PF_RB(i);
}

/* The queue did something the checks could not follow: head, queue error,
 * completion and both pending bits are taken from the model. */
static uint32_t pf_rp_queue_open(struct pf_regpred *p)
{
    p->open[PF_RI_IQH] |= PF_IQ_OFF;
    p->open[PF_RI_FSTS] |= PF_FSTS_IQE;
    p->open[PF_RI_FECTL] |= PF_EV_IP;
    p->open[PF_RI_ICS] |= PF_ICS_IWC;
    p->open[PF_RI_IECTL] |= PF_EV_IP;
    return PF_RB(PF_RI_IQH) | PF_RB(PF_RI_FSTS) | PF_RB(PF_RI_FECTL) | PF_RB(PF_RI_ICS) |
           PF_RB(PF_RI_IECTL);
}

/* A fault status bit is set: a fault event when no status was pending,
 * held in FECTL.IP while masked (delivered at once otherwise). */
static void pf_rp_fault(struct pf_regpred *p, uint64_t bit)
{
    uint64_t st = p->v[PF_RI_FSTS];
    if (st & bit)
        return;
    p->v[PF_RI_FSTS] = st | bit;
    if (!(st & PF_FSTS_STATUS) && (p->v[PF_RI_FECTL] & PF_EV_IM))
        p->v[PF_RI_FECTL] |= PF_EV_IP;
}

/* A wait with IF completed: IWC 0 -> 1 is an invalidation event, held in
 * IECTL.IP while masked. */
static void pf_rp_iwc(struct pf_regpred *p)
{
    if (p->v[PF_RI_ICS] & PF_ICS_IWC)
        return;
    p->v[PF_RI_ICS] |= PF_ICS_IWC;
    if (p->v[PF_RI_IECTL] & PF_EV_IM)
        p->v[PF_RI_IECTL] |= PF_EV_IP;
}

static uint32_t pf_rp_batch(struct pf_regpred *p, const struct iq_outcome *b)
{
    if (!b->known)
        return pf_rp_queue_open(p);
    p->v[PF_RI_IQH] = b->head;
    if (b->iqe)
        pf_rp_fault(p, PF_FSTS_IQE);
    if (b->iwc)
        pf_rp_iwc(p);
    return 0;
}

/* QIE in a GCMD write, on status sts: QIES follows it and the head reads 0
 * while the queue is off. Returns registers to compare. */
static uint32_t pf_rp_qie(struct pf_regpred *p, bool qie, uint64_t *sts)
{
    if (qie && !(*sts & PF_G_QIE)) {
        *sts |= PF_G_QIE;
        p->v[PF_RI_IQH] = 0;
        /* model/BEHAVIOUR.md, qie-with-tail: enabling with IQT != 0 is
         * not specified. */
        return (p->v[PF_RI_IQT] & PF_IQ_OFF) ? pf_rp_queue_open(p) : 0;
    }
    if (qie || !(*sts & PF_G_QIE))
        return 0;
    if (p->v[PF_RI_IQH] == p->v[PF_RI_IQT]) {
        *sts &= ~PF_G_QIE;
        p->v[PF_RI_IQH] = 0;
        return 0;
    }
    /* Disabling with descriptors pending is not specified either: the
     * queue stays on, or goes off with its head at 0. */
    pf_rp_alt(p, PF_RI_GSTS, *sts & ~PF_G_QIE);
    pf_rp_alt(p, PF_RI_IQH, 0);
    return 0;
}

/* One GCMD write: RTPS on SRTP, QIES after QIE, TES after TE. The other
 * commands belong to capabilities the hardware does not report: no
 * status. */
static uint32_t pf_rp_gcmd(struct pf_regpred *p, uint64_t cmd)
{
    uint64_t sts = (p->v[PF_RI_GSTS] & ~PF_G_TE) | (cmd & PF_G_TE);
    if (cmd & PF_G_SRTP)
        sts |= PF_G_SRTP;
    uint32_t more = pf_rp_qie(p, (cmd & PF_G_QIE) != 0, &sts);
    p->v[PF_RI_GSTS] = sts;
    return more;
}

/* CAIG after a request of each CIRG: the granularity asked for or a
 * coarser one; a reserved CIRG leaves it open. */
static const uint8_t pf_caig_allowed[4] = {0xf, 1u << 1, 1u << 1 | 1u << 2,
                                           1u << 1 | 1u << 2 | 1u << 3};

/* A write of the top byte with ICC set invalidates and completes at once:
 * ICC reads 0, CAIG the granularity done. With QI on, register-based
 * invalidation must not be used: the write may take effect or not. */
static void pf_rp_ccmd(struct pf_regpred *p, uint64_t old, uint64_t m, uint64_t in)
{
    uint64_t v = p->v[PF_RI_CCMD];
    if (m & in & PF_CCMD_ICC) {
        unsigned cirg = (unsigned)((v >> 61) & 3);
        v = (v & ~(PF_CCMD_ICC | PF_CCMD_CAIG)) | (uint64_t)cirg << 59;
        p->caig_ok = pf_caig_allowed[cirg];
    }
    p->v[PF_RI_CCMD] = v;
    if (p->v[PF_RI_GSTS] & PF_G_QIE) {
        pf_rp_alt(p, PF_RI_CCMD, old);
        p->caig_ok |= (uint8_t)(1u << ((old >> 59) & 3));
    }
}

/* The side effects of a write to register i (after its bits took the
 * value); returns further registers to compare. */
static uint32_t pf_rp_effect(struct pf_regpred *p, enum pf_reg_idx i, uint64_t old, uint64_t m,
                             uint64_t in, const struct iq_outcome *batch)
{
    switch (i) {
    case PF_RI_GCMD:
        return pf_rp_gcmd(p, in & m);
    case PF_RI_CCMD:
        pf_rp_ccmd(p, old, m, in);
        return 0;
    case PF_RI_FSTS:
        /* Servicing every fault status clears the pending fault event. */
        if (!(p->v[PF_RI_FSTS] & PF_FSTS_STATUS))
            p->v[PF_RI_FECTL] &= ~PF_EV_IP;
        return 0;
    case PF_RI_ICS:
        if (!(p->v[PF_RI_ICS] & PF_ICS_IWC))
            p->v[PF_RI_IECTL] &= ~PF_EV_IP;
        return 0;
    case PF_RI_FECTL:
    case PF_RI_IECTL:
        /* Unmasking delivers a pending event. */
        if (!(p->v[i] & PF_EV_IM))
            p->v[i] &= ~PF_EV_IP;
        return 0;
    case PF_RI_IQT:
        return batch ? pf_rp_batch(p, batch) : 0;
    default:
        return 0;
    }
}

/* ---- comparing ---- */

struct pf_rp_when {
    const char *what;       /* "write", "read", or a moment ("after reset") */
    uint64_t off, val;
    unsigned size;
};

__attribute__((noreturn))
static void pf_rp_fail(const struct pf_regpred *p, enum pf_reg_idx i, uint64_t m, uint64_t got,
                       const struct pf_rp_when *w)
{
    char alt[48] = "";
    if (p->has_alt & PF_RB(i))
        snprintf(alt, sizeof alt, " or 0x%" PRIx64, p->alt[i] & m);
    const char *name = pf_reg_rows[i].name;
    uint64_t want = p->v[i] & m, open = p->open[i] & m;
    if (w->off == UINT64_MAX)
        pf_violation(PF_V_REG_VALUE,
                     "%s: %s reads 0x%" PRIx64 ", the spec says 0x%" PRIx64 "%s (open bits 0x%"
                     PRIx64 ")",
                     w->what, name, got & m, want, alt, open);
    pf_violation(PF_V_REG_VALUE,
                 "%s 0x%" PRIx64 " (size %u) at 0x%03" PRIx64 ": %s reads 0x%" PRIx64
                 ", the spec says 0x%" PRIx64 "%s (open bits 0x%" PRIx64 ")",
                 w->what, w->val, w->size, w->off, name, got & m, want, alt, open);
}

static bool pf_rp_matches(const struct pf_regpred *p, enum pf_reg_idx i, uint64_t m,
                          uint64_t got)
{
    uint64_t care = m & ~p->open[i];
    if (!((got ^ p->v[i]) & care))
        return true;
    return (p->has_alt & PF_RB(i)) && !((got ^ p->alt[i]) & care);
}

__attribute__((noreturn))
static void pf_rp_fail_rule(enum pf_reg_idx i, uint64_t got, const struct pf_rp_when *w,
                            const char *why, unsigned arg, unsigned arg2)
{
    char rule[96];
    snprintf(rule, sizeof rule, why, arg, arg2);
    const char *name = pf_reg_rows[i].name;
    if (w->off == UINT64_MAX)
        pf_violation(PF_V_REG_VALUE, "%s: %s reads 0x%" PRIx64 ": %s", w->what, name, got, rule);
    pf_violation(PF_V_REG_VALUE, "%s 0x%" PRIx64 " (size %u) at 0x%03" PRIx64 ": %s reads 0x%"
                 PRIx64 ": %s", w->what, w->val, w->size, w->off, name, got, rule);
}

/* Rules across bits the compare took from the model. */
static void pf_rp_consistent(struct pf_regpred *p, enum pf_reg_idx i, uint64_t m,
                             const struct pf_rp_when *w)
{
    if (i == PF_RI_CCMD && (m & PF_CCMD_CAIG)) {
        unsigned caig = (unsigned)((p->v[i] >> 59) & 3);
        if (!(p->caig_ok & (1u << caig)))
            pf_rp_fail_rule(i, p->v[i] & m, w, "CAIG %u, the request allows 0x%x", caig,
                            p->caig_ok);
        p->caig_ok = (uint8_t)(1u << caig);
    }
    if (i == PF_RI_IQH && !(p->v[PF_RI_GSTS] & PF_G_QIE) && (p->v[i] & m))
        pf_rp_fail_rule(i, p->v[i] & m, w, "the head reads 0 while QI is off", 0, 0);
}

/* The model shows got in bits m of register i. */
static void pf_rp_judge(struct pf_regpred *p, enum pf_reg_idx i, uint64_t m, uint64_t got,
                        const struct pf_rp_when *w)
{
    if (!pf_rp_matches(p, i, m, got))
        pf_rp_fail(p, i, m, got, w);
    p->v[i] = (p->v[i] & ~m) | (got & m);
    if (m == PF_M(8u * pf_reg_rows[i].width - 1, 0)) {
        p->open[i] = pf_rp_base_open(p, i);
        p->has_alt &= ~PF_RB(i);
    }
    pf_rp_consistent(p, i, m, w);
}

static void pf_rp_judge_all(struct pf_regpred *p, uint32_t set, pf_reg_read_fn rd,
                            void *opaque, const struct pf_rp_when *w)
{
    for (uint32_t left = set & (PF_RB(PF_RI_COUNT) - 1); left; left &= left - 1) {
        unsigned i = (unsigned)__builtin_ctz(left);
        const struct pf_reg_row *r = &pf_reg_rows[i];
        pf_rp_judge(p, (enum pf_reg_idx)i, PF_M(8u * r->width - 1, 0),
                    rd(opaque, r->off, r->width), w);
    }
}

/* The rows an access covers: at most two, at off and off + 4. */
static unsigned pf_rp_rows(uint64_t off, unsigned size, enum pf_reg_idx out[2])
{
    unsigned n = 0;
    enum pf_reg_idx a = pf_reg_at(off);
    if (a != PF_RI_COUNT)
        out[n++] = a;
    enum pf_reg_idx b = size == 8 ? pf_reg_at(off + 4) : PF_RI_COUNT;
    if (b != PF_RI_COUNT && b != a)
        out[n++] = b;
    return n;
}

void pf_regpred_write(struct pf_regpred *p, uint64_t off, uint64_t val, unsigned size,
                      const struct iq_outcome *batch, pf_reg_read_fn rd, void *opaque)
{
    /* model/BEHAVIOUR.md: an improper access is ignored (reg-write). */
    if (!pf_reg_proper(off, size))
        return;
    enum pf_reg_idx rows[2];
    unsigned n = pf_rp_rows(off, size, rows);
    uint32_t cmp = 0;
    for (unsigned k = 0; k < n; k++) {
        enum pf_reg_idx i = rows[k];
        const struct pf_reg_row *r = &pf_reg_rows[i];
        uint64_t in, old = p->v[i];
        uint64_t m = pf_reg_cover(r, off, size, val, &in);
        uint64_t rw = r->rw & m;
        p->v[i] = ((old & ~rw) | (in & rw)) & ~(in & r->w1c & m);
        cmp |= r->deps | pf_rp_effect(p, i, old, m, in, batch);
    }
    const struct pf_rp_when w = {"write", off, val, size};
    pf_rp_judge_all(p, cmp, rd, opaque, &w);
}

void pf_regpred_read(struct pf_regpred *p, uint64_t off, unsigned size, uint64_t got)
{
    if (!pf_reg_proper(off, size))
        return;
    enum pf_reg_idx rows[2];
    unsigned n = pf_rp_rows(off, size, rows);
    const struct pf_rp_when w = {"read", off, got, size};
    for (unsigned k = 0; k < n; k++) {
        uint64_t in;
        uint64_t m = pf_reg_cover(&pf_reg_rows[rows[k]], off, size, got, &in);
        pf_rp_judge(p, rows[k], m, in, &w);
    }
}

void pf_regpred_check_all(struct pf_regpred *p, const char *when, pf_reg_read_fn rd,
                          void *opaque)
{
    const struct pf_rp_when w = {when, UINT64_MAX, 0, 0};
    pf_rp_judge_all(p, PF_RB(PF_RI_COUNT) - 1, rd, opaque, &w);
}

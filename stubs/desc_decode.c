/*
 * Invalidation descriptors as the specification lays them out, one row per
 * field: qword, bit range, and what the field must hold. Bits 3:0 and 11:9
 * (the type) are not rows; every other bit of the 128 (or 256) is in
 * exactly one row, which tests/test_oracle_decode.c proves for every type.
 */
#include "desc_decode.h"

#include <stddef.h>
#include <stdlib.h>

enum pf_drule {
    PF_R_ANY,               /* no constraint */
    PF_R_MBZ,               /* reserved: must be zero */
    PF_R_ONE_OF,            /* value v valid iff bit v of arg is set */
    PF_R_NONZERO,           /* at least one bit set */
    PF_R_AM,                /* at most arg when G is page-selective (3) */
};

struct pf_dfield_row {
    const char *name;
    enum pf_dfield id;
    uint8_t qw, hi, lo;
    enum pf_drule rule;
    uint8_t arg;
};

struct pf_dtype_row {
    const char *name;
    bool wide_only;         /* model/BEHAVIOUR.md: types 6-9 only in a 256-bit queue */
    const struct pf_dfield_row *f;
    size_t n;
};

#define PF_PAGE_G 3u
/* CAP.MAMV as model/BEHAVIOUR.md advertises it. */
#define PF_MAMV 18u
/* The set of valid values of a granularity field, as a bit mask. */
#define PF_GB(v) (1u << (v))

/* The upper half of a 256-bit descriptor: reserved for every type (model/
 * BEHAVIOUR.md); zero by construction in a 128-bit queue. */
#define PF_UPPER_MBZ \
    {"q2", PF_F_NONE, 2, 63, 0, PF_R_MBZ, 0}, {"q3", PF_F_NONE, 3, 63, 0, PF_R_MBZ, 0}

static const struct pf_dfield_row pf_cc[] = {
    {"G", PF_F_G, 0, 5, 4, PF_R_ONE_OF, PF_GB(1) | PF_GB(2) | PF_GB(3)},
    {"rsvd 8:6", PF_F_NONE, 0, 8, 6, PF_R_MBZ, 0},
    {"rsvd 15:12", PF_F_NONE, 0, 15, 12, PF_R_MBZ, 0},
    {"DID", PF_F_DID, 0, 31, 16, PF_R_ANY, 0},
    {"SID", PF_F_NONE, 0, 47, 32, PF_R_ANY, 0},
    {"FM", PF_F_NONE, 0, 49, 48, PF_R_ANY, 0},
    {"rsvd 63:50", PF_F_NONE, 0, 63, 50, PF_R_MBZ, 0},
    {"rsvd 127:64", PF_F_NONE, 1, 63, 0, PF_R_MBZ, 0},
    PF_UPPER_MBZ,
};

/* The address qword of IOTLB and PASID-IOTLB. */
#define PF_ADDR_QWORD                                           \
    {"AM", PF_F_AM, 1, 5, 0, PF_R_AM, PF_MAMV},                 \
    {"IH", PF_F_IH, 1, 6, 6, PF_R_ANY, 0},                      \
    {"rsvd 75:71", PF_F_NONE, 1, 11, 7, PF_R_MBZ, 0},           \
    {"ADDR", PF_F_ADDR, 1, 63, 12, PF_R_ANY, 0}

static const struct pf_dfield_row pf_iotlb[] = {
    {"G", PF_F_G, 0, 5, 4, PF_R_ONE_OF, PF_GB(1) | PF_GB(2) | PF_GB(3)},
    {"DW", PF_F_NONE, 0, 6, 6, PF_R_ANY, 0},
    {"DR", PF_F_NONE, 0, 7, 7, PF_R_ANY, 0},
    {"rsvd 8", PF_F_NONE, 0, 8, 8, PF_R_MBZ, 0},
    {"rsvd 15:12", PF_F_NONE, 0, 15, 12, PF_R_MBZ, 0},
    {"DID", PF_F_DID, 0, 31, 16, PF_R_ANY, 0},
    {"rsvd 63:32", PF_F_NONE, 0, 63, 32, PF_R_MBZ, 0},
    PF_ADDR_QWORD,
    PF_UPPER_MBZ,
};

static const struct pf_dfield_row pf_devtlb[] = {
    {"rsvd 8:4", PF_F_NONE, 0, 8, 4, PF_R_MBZ, 0},
    {"PFSID 3:0", PF_F_NONE, 0, 15, 12, PF_R_ANY, 0},
    {"MIP", PF_F_NONE, 0, 20, 16, PF_R_ANY, 0},
    {"rsvd 31:21", PF_F_NONE, 0, 31, 21, PF_R_MBZ, 0},
    {"SID", PF_F_NONE, 0, 47, 32, PF_R_ANY, 0},
    {"rsvd 51:48", PF_F_NONE, 0, 51, 48, PF_R_MBZ, 0},
    {"PFSID 15:4", PF_F_NONE, 0, 63, 52, PF_R_ANY, 0},
    {"S", PF_F_NONE, 1, 0, 0, PF_R_ANY, 0},
    {"rsvd 75:65", PF_F_NONE, 1, 11, 1, PF_R_MBZ, 0},
    {"ADDR", PF_F_ADDR, 1, 63, 12, PF_R_ANY, 0},
    PF_UPPER_MBZ,
};

static const struct pf_dfield_row pf_iec[] = {
    {"G", PF_F_G, 0, 4, 4, PF_R_ANY, 0},
    {"rsvd 8:5", PF_F_NONE, 0, 8, 5, PF_R_MBZ, 0},
    {"rsvd 26:12", PF_F_NONE, 0, 26, 12, PF_R_MBZ, 0},
    {"IM", PF_F_NONE, 0, 31, 27, PF_R_ANY, 0},
    {"IIDX", PF_F_NONE, 0, 47, 32, PF_R_ANY, 0},
    {"rsvd 63:48", PF_F_NONE, 0, 63, 48, PF_R_MBZ, 0},
    {"rsvd 127:64", PF_F_NONE, 1, 63, 0, PF_R_MBZ, 0},
    PF_UPPER_MBZ,
};

static const struct pf_dfield_row pf_wait[] = {
    /* model/BEHAVIOUR.md: a wait that asks for nothing is invalid. */
    {"IF|SW|FN", PF_F_NONE, 0, 6, 4, PF_R_NONZERO, 0},
    {"IF", PF_F_IF, 0, 4, 4, PF_R_ANY, 0},
    {"SW", PF_F_SW, 0, 5, 5, PF_R_ANY, 0},
    {"PD", PF_F_NONE, 0, 7, 7, PF_R_ANY, 0},
    {"rsvd 8", PF_F_NONE, 0, 8, 8, PF_R_MBZ, 0},
    {"rsvd 31:12", PF_F_NONE, 0, 31, 12, PF_R_MBZ, 0},
    {"SDATA", PF_F_SDATA, 0, 63, 32, PF_R_ANY, 0},
    {"rsvd 65:64", PF_F_NONE, 1, 1, 0, PF_R_MBZ, 0},
    {"SADDR", PF_F_SADDR, 1, 63, 2, PF_R_ANY, 0},
    PF_UPPER_MBZ,
};

static const struct pf_dfield_row pf_piotlb[] = {
    {"G", PF_F_G, 0, 5, 4, PF_R_ONE_OF, PF_GB(PF_PIOTLB_G_PASID) | PF_GB(PF_PIOTLB_G_PAGE)},
    {"rsvd 8:6", PF_F_NONE, 0, 8, 6, PF_R_MBZ, 0},
    {"rsvd 15:12", PF_F_NONE, 0, 15, 12, PF_R_MBZ, 0},
    {"DID", PF_F_DID, 0, 31, 16, PF_R_ANY, 0},
    {"PASID", PF_F_PASID, 0, 51, 32, PF_R_ANY, 0},
    {"rsvd 63:52", PF_F_NONE, 0, 63, 52, PF_R_MBZ, 0},
    PF_ADDR_QWORD,
    PF_UPPER_MBZ,
};

static const struct pf_dfield_row pf_pc[] = {
    {"G", PF_F_G, 0, 5, 4, PF_R_ONE_OF, PF_GB(0) | PF_GB(1) | PF_GB(3)},
    {"rsvd 8:6", PF_F_NONE, 0, 8, 6, PF_R_MBZ, 0},
    {"rsvd 15:12", PF_F_NONE, 0, 15, 12, PF_R_MBZ, 0},
    {"DID", PF_F_DID, 0, 31, 16, PF_R_ANY, 0},
    {"PASID", PF_F_PASID, 0, 51, 32, PF_R_ANY, 0},
    {"rsvd 63:52", PF_F_NONE, 0, 63, 52, PF_R_MBZ, 0},
    {"rsvd 127:64", PF_F_NONE, 1, 63, 0, PF_R_MBZ, 0},
    PF_UPPER_MBZ,
};

static const struct pf_dfield_row pf_pdevtlb[] = {
    {"rsvd 8:4", PF_F_NONE, 0, 8, 4, PF_R_MBZ, 0},
    {"PFSID 3:0", PF_F_NONE, 0, 15, 12, PF_R_ANY, 0},
    {"SID", PF_F_NONE, 0, 31, 16, PF_R_ANY, 0},
    {"PASID", PF_F_PASID, 0, 51, 32, PF_R_ANY, 0},
    {"PFSID 15:4", PF_F_NONE, 0, 63, 52, PF_R_ANY, 0},
    {"G", PF_F_NONE, 1, 0, 0, PF_R_ANY, 0},
    {"rsvd 74:65", PF_F_NONE, 1, 10, 1, PF_R_MBZ, 0},
    {"S", PF_F_NONE, 1, 11, 11, PF_R_ANY, 0},
    {"ADDR", PF_F_ADDR, 1, 63, 12, PF_R_ANY, 0},
    PF_UPPER_MBZ,
};

static const struct pf_dfield_row pf_pgrp[] = {
    {"PP", PF_F_NONE, 0, 4, 4, PF_R_ANY, 0},
    {"PDP", PF_F_NONE, 0, 5, 5, PF_R_ANY, 0},
    {"rsvd 8:6", PF_F_NONE, 0, 8, 6, PF_R_MBZ, 0},
    {"RC", PF_F_NONE, 0, 15, 12, PF_R_ANY, 0},
    {"RID", PF_F_NONE, 0, 31, 16, PF_R_ANY, 0},
    {"PASID", PF_F_PASID, 0, 51, 32, PF_R_ANY, 0},
    {"rsvd 63:52", PF_F_NONE, 0, 63, 52, PF_R_MBZ, 0},
    {"rsvd 65:64", PF_F_NONE, 1, 1, 0, PF_R_MBZ, 0},
    {"LPIG|PRGI", PF_F_NONE, 1, 11, 2, PF_R_ANY, 0},
    {"rsvd 127:76", PF_F_NONE, 1, 63, 12, PF_R_MBZ, 0},
    /* Private data: model/BEHAVIOUR.md keeps the upper half zero. */
    PF_UPPER_MBZ,
};

#define PF_ROW(name, wide, tbl) {name, wide, tbl, sizeof tbl / sizeof tbl[0]}

static const struct pf_dtype_row pf_dtypes[] = {
    [PF_DT_CONTEXT_CACHE] = PF_ROW("context-cache", false, pf_cc),
    [PF_DT_IOTLB] = PF_ROW("iotlb", false, pf_iotlb),
    [PF_DT_DEVICE_TLB] = PF_ROW("device-tlb", false, pf_devtlb),
    [PF_DT_IEC] = PF_ROW("iec", false, pf_iec),
    [PF_DT_WAIT] = PF_ROW("wait", false, pf_wait),
    [PF_DT_PASID_IOTLB] = PF_ROW("pasid-iotlb", true, pf_piotlb),
    [PF_DT_PASID_CACHE] = PF_ROW("pasid-cache", true, pf_pc),
    [PF_DT_PASID_DEVICE_TLB] = PF_ROW("pasid-device-tlb", true, pf_pdevtlb),
    [PF_DT_PAGE_GROUP_RESP] = PF_ROW("page-group-response", true, pf_pgrp),
};

#define PF_NTYPES (sizeof pf_dtypes / sizeof pf_dtypes[0])

/* Ones in bits hi - lo .. 0: the width of the field [hi:lo]. */
static uint64_t pf_width_mask(unsigned hi, unsigned lo)
{
    return hi - lo == 63 ? ~0ull : (1ull << (hi - lo + 1)) - 1;
}

static uint64_t pf_bits(uint64_t v, unsigned hi, unsigned lo)
{
    return (v >> lo) & pf_width_mask(hi, lo);
}

static const struct pf_dtype_row *pf_dtype(unsigned type)
{
    return type < PF_NTYPES && pf_dtypes[type].f ? &pf_dtypes[type] : NULL;
}

const char *pf_desc_type_name(unsigned type)
{
    const struct pf_dtype_row *t = pf_dtype(type);
    return t ? t->name : "unknown";
}

unsigned pf_desc_type(uint64_t q0)
{
    return (unsigned)(pf_bits(q0, 3, 0) | pf_bits(q0, 11, 9) << 4);
}

static bool pf_row_ok(const struct pf_dfield_row *r, uint64_t v, uint64_t g)
{
    switch (r->rule) {
    case PF_R_ANY:
        return true;
    case PF_R_MBZ:
        return v == 0;
    case PF_R_ONE_OF:
        return v < 8 && ((r->arg >> v) & 1u);
    case PF_R_NONZERO:
        return v != 0;
    case PF_R_AM:
        return g != PF_PAGE_G || v <= r->arg;
    }
    return false;
}

static uint64_t pf_row_value(const struct pf_dfield_row *r, const uint64_t q[4])
{
    return pf_bits(q[r->qw], r->hi, r->lo);
}

/*
 * The rows of each type folded, once, into what a lookup needs: the
 * must-be-zero bits of each qword, the rows with any other rule, and the
 * row of each field checkers read. Every descriptor of a batch is decoded,
 * nearly all of them valid: a few masks say so, and only an invalid one is
 * walked row by row, for the first row it breaks.
 */
struct pf_dindex {
    uint64_t mbz[4];
    uint8_t rule_rows[4];
    uint8_t nrule;
    int8_t field_row[PF_F_COUNT];   /* -1: the type has no such field */
};
static struct pf_dindex pf_index[PF_NTYPES];
static bool pf_indexed;

static void pf_index_type(struct pf_dindex *x, const struct pf_dtype_row *t)
{
    for (unsigned f = 0; f < PF_F_COUNT; f++)
        x->field_row[f] = -1;
    for (size_t i = 0; i < t->n; i++) {
        const struct pf_dfield_row *r = &t->f[i];
        if (r->rule == PF_R_MBZ) {
            x->mbz[r->qw] |= pf_width_mask(r->hi, r->lo) << r->lo;
        } else if (r->rule != PF_R_ANY) {
            if (x->nrule == sizeof x->rule_rows)
                abort();        /* a type with more rules: make rule_rows bigger */
            x->rule_rows[x->nrule++] = (uint8_t)i;
        }
        if (r->id != PF_F_NONE && x->field_row[r->id] < 0)
            x->field_row[r->id] = (int8_t)i;
    }
}

static const struct pf_dindex *pf_dindex(unsigned type)
{
    if (!pf_indexed) {
        for (unsigned k = 0; k < PF_NTYPES; k++)
            if (pf_dtypes[k].f)
                pf_index_type(&pf_index[k], &pf_dtypes[k]);
        pf_indexed = true;
    }
    return &pf_index[type];
}

bool pf_desc_field(const uint64_t q[4], enum pf_dfield id, uint64_t *out)
{
    unsigned type = pf_desc_type(q[0]);
    const struct pf_dtype_row *t = pf_dtype(type);
    if (!t || id <= PF_F_NONE || id >= PF_F_COUNT)
        return false;
    int row = pf_dindex(type)->field_row[id];
    if (row < 0)
        return false;
    const struct pf_dfield_row *r = &t->f[row];
    *out = pf_row_value(r, q);
    if (id == PF_F_ADDR || id == PF_F_SADDR)
        *out <<= r->lo;
    return true;
}

/* Every row of type t holds: the masks, then the rows with other rules. */
static bool pf_all_rows_ok(const struct pf_dtype_row *t, const struct pf_dindex *x,
                           const uint64_t q[4], uint64_t g)
{
    if ((q[0] & x->mbz[0]) | (q[1] & x->mbz[1]) | (q[2] & x->mbz[2]) | (q[3] & x->mbz[3]))
        return false;
    for (unsigned k = 0; k < x->nrule; k++) {
        const struct pf_dfield_row *r = &t->f[x->rule_rows[k]];
        if (!pf_row_ok(r, pf_row_value(r, q), g))
            return false;
    }
    return true;
}

static void pf_verdict(struct pf_desc_verdict *v, const char *field, uint64_t value)
{
    v->valid = false;
    v->field = field;
    v->value = value;
}

void pf_desc_decode(const uint64_t q[4], bool dw, struct pf_desc_verdict *v)
{
    *v = (struct pf_desc_verdict){.valid = true, .type = pf_desc_type(q[0])};
    const struct pf_dtype_row *t = pf_dtype(v->type);
    v->type_name = pf_desc_type_name(v->type);
    if (!t) {
        pf_verdict(v, "type", v->type);
        return;
    }
    if (t->wide_only && !dw) {
        pf_verdict(v, "type (256-bit only, 128-bit queue)", v->type);
        return;
    }
    uint64_t g = 0;
    (void)pf_desc_field(q, PF_F_G, &g);
    if (pf_all_rows_ok(t, pf_dindex(v->type), q, g))
        return;
    for (size_t i = 0; i < t->n; i++) {
        uint64_t val = pf_row_value(&t->f[i], q);
        if (!pf_row_ok(&t->f[i], val, g)) {
            pf_verdict(v, t->f[i].name, val);
            return;
        }
    }
}

/*
 * The register file as the VT-d specification lays it out (chapter 11,
 * "Register Descriptions"): one row per register the model implements or
 * places (the IOTLB and fault recording registers CAP and ECAP point at),
 * with the access type of every bit, the power-on value and the bits whose
 * value the specification leaves to the implementation. The checkers'
 * own table, apart from model/vtd_spec.h; reg_check.c judges access types
 * with it, reg_predict.c values.
 */
#ifndef PASIDFUZZ_REG_TABLE_H
#define PASIDFUZZ_REG_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#define PF_B(n) (1ull << (n))
#define PF_M(hi, lo) ((~0ull >> (63 - (hi))) & ~(PF_B(lo) - 1))

/* The rows, in offset order. */
enum pf_reg_idx {
    PF_RI_VER,
    PF_RI_CAP,
    PF_RI_ECAP,
    PF_RI_GCMD,
    PF_RI_GSTS,
    PF_RI_RTADDR,
    PF_RI_CCMD,
    PF_RI_FSTS,
    PF_RI_FECTL,
    PF_RI_FEDATA,
    PF_RI_FEADDR,
    PF_RI_FEUADDR,
    PF_RI_IQH,
    PF_RI_IQT,
    PF_RI_IQA,
    PF_RI_ICS,
    PF_RI_IECTL,
    PF_RI_IEDATA,
    PF_RI_IEADDR,
    PF_RI_IEUADDR,
    PF_RI_IVA,
    PF_RI_IOTLB,
    PF_RI_FRCD_LO,
    PF_RI_FRCD_HI,
    PF_RI_COUNT
};

#define PF_RB(i) (1u << (i))

struct pf_reg_row {
    const char *name;
    uint16_t off;
    uint8_t width;          /* 4 or 8 bytes */
    uint64_t rw;            /* take the written value */
    uint64_t w1c;           /* a written 1 clears, a written 0 leaves */
    uint64_t rsvd;          /* read 0 */
    uint64_t volatile_;     /* may change on a write for reasons of its own */
    bool write_only;        /* reads 0 whatever was written */
    bool values_only;       /* a write's effect is not a matter of access types alone */
    int16_t side_src;       /* a write to this offset may change the RO bits, or -1 */
    uint64_t reset;         /* power-on value (CAP and ECAP: reg_predict.c) */
    uint64_t open;          /* bits the specification lets read as anything */
    uint32_t deps;          /* registers a write to this one may change (PF_RB) */
};

extern const struct pf_reg_row pf_reg_rows[PF_RI_COUNT];

/* The row holding byte off of the register file, or PF_RI_COUNT. */
enum pf_reg_idx pf_reg_at(uint64_t off);

/* The bits of row r that the access [off, off + size) covers, in the
 * register's frame; 0 if none. *in_frame gets val shifted into it. Inline:
 * every MMIO access of every input comes here. */
static inline uint64_t pf_reg_cover(const struct pf_reg_row *r, uint64_t off, unsigned size,
                                    uint64_t val, uint64_t *in_frame)
{
    uint64_t end = (uint64_t)r->off + r->width;
    if (off >= end || (uint64_t)r->off >= off + size) {
        *in_frame = 0;
        return 0;
    }
    uint64_t lo = off > r->off ? off - r->off : 0;
    uint64_t hi = off + size < end ? off + size - r->off : r->width;
    uint64_t bytes_mask = (hi - lo) == 8 ? ~0ull : (PF_B(8 * (hi - lo)) - 1);
    *in_frame = off >= r->off ? val << 8 * (off - r->off) : val >> 8 * (r->off - off);
    return bytes_mask << 8 * lo;
}

/* An access the bus passes on: 4 or 8 bytes, aligned to its size. */
static inline bool pf_reg_proper(uint64_t off, unsigned size)
{
    return (size == 4 || size == 8) && off % size == 0;
}

#endif

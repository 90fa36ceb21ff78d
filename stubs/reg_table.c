/*
 * The register table. Bits in neither rw, w1c nor volatile_ are read-only,
 * or reserved when also in rsvd (reserved bits read 0).
 */
#include "reg_table.h"

#include <stddef.h>

/* Interrupt message data: bits 31:16 (EIMD) only where 32-bit data is
 * supported, reserved otherwise. */
#define PF_EIMD PF_M(31, 16)
/* Interrupt message upper address: reserved without extended interrupt
 * mode (ECAP.EIM), which the model does not report. */
#define PF_MUA PF_M(31, 0)
/* CCMD.FM and CCMD.SID are write-only: a read returns anything. */
#define PF_CCMD_WO (PF_M(33, 32) | PF_M(31, 16))
/* What a queue write may change: the head, the fault and completion
 * status, and both pending bits. */
#define PF_IQ_DEPS (PF_RB(PF_RI_IQT) | PF_RB(PF_RI_IQH) | PF_RB(PF_RI_FSTS) | \
                    PF_RB(PF_RI_FECTL) | PF_RB(PF_RI_ICS) | PF_RB(PF_RI_IECTL))
#define PF_SELF(i) PF_RB(i)

const struct pf_reg_row pf_reg_rows[PF_RI_COUNT] = {
    [PF_RI_VER] = {"VER", 0x00, 4, 0, 0, PF_M(31, 8), 0, false, false, -1,
                   0x10, 0, PF_SELF(PF_RI_VER)},
    [PF_RI_CAP] = {"CAP", 0x08, 8, 0, 0, 0, 0, false, false, -1, 0, 0, PF_SELF(PF_RI_CAP)},
    [PF_RI_ECAP] = {"ECAP", 0x10, 8, 0, 0, 0, 0, false, false, -1, 0, 0, PF_SELF(PF_RI_ECAP)},
    [PF_RI_GCMD] = {"GCMD", 0x18, 4, 0, 0, 0, 0, true, false, -1, 0, 0,
                    PF_RB(PF_RI_GCMD) | PF_RB(PF_RI_GSTS) | PF_RB(PF_RI_IQH)},
    /* GSTS is read-only, but a GCMD write is what changes it. */
    [PF_RI_GSTS] = {"GSTS", 0x1c, 4, 0, 0, PF_M(22, 0), 0, false, false, 0x18, 0, 0,
                    PF_SELF(PF_RI_GSTS)},
    [PF_RI_RTADDR] = {"RTADDR", 0x20, 8, PF_M(63, 10), 0, PF_M(9, 0), 0, false, false, -1, 0, 0,
                      PF_SELF(PF_RI_RTADDR)},
    /* CCMD: ICC, CIRG and DID read-write, FM and SID write-only, CAIG
     * read-only; a write with ICC starts an invalidation (reg_predict.c). */
    [PF_RI_CCMD] = {"CCMD", 0x28, 8, PF_B(63) | PF_M(62, 61) | PF_M(33, 32) | PF_M(31, 0), 0,
                    PF_M(58, 34), 0, false, true, -1, 0, PF_CCMD_WO, PF_SELF(PF_RI_CCMD)},
    /* FSTS: PFO, IQE, ICE, ITE are RW1CS; PPF and FRI read-only. */
    [PF_RI_FSTS] = {"FSTS", 0x34, 4, 0, PF_B(0) | PF_B(4) | PF_B(5) | PF_B(6), PF_M(31, 16), 0,
                    false, false, -1, 0, 0, PF_RB(PF_RI_FSTS) | PF_RB(PF_RI_FECTL)},
    /* FECTL.IP follows the fault status and IM. */
    [PF_RI_FECTL] = {"FECTL", 0x38, 4, PF_B(31), 0, PF_M(29, 0), PF_B(30), false, false, -1,
                     PF_B(31), 0, PF_SELF(PF_RI_FECTL)},
    [PF_RI_FEDATA] = {"FEDATA", 0x3c, 4, PF_M(31, 0), 0, 0, 0, false, false, -1, 0, PF_EIMD,
                      PF_SELF(PF_RI_FEDATA)},
    [PF_RI_FEADDR] = {"FEADDR", 0x40, 4, PF_M(31, 2), 0, PF_M(1, 0), 0, false, false, -1, 0, 0,
                      PF_SELF(PF_RI_FEADDR)},
    [PF_RI_FEUADDR] = {"FEUADDR", 0x44, 4, PF_M(31, 0), 0, 0, 0, false, false, -1, 0, PF_MUA,
                       PF_SELF(PF_RI_FEUADDR)},
    [PF_RI_IQH] = {"IQH", 0x80, 8, 0, 0, PF_M(63, 19) | PF_M(3, 0), 0, false, false, -1, 0, 0,
                   PF_SELF(PF_RI_IQH)},
    [PF_RI_IQT] = {"IQT", 0x88, 8, PF_M(18, 4), 0, PF_M(63, 19) | PF_M(3, 0), 0, false, false,
                   -1, 0, 0, PF_IQ_DEPS},
    [PF_RI_IQA] = {"IQA", 0x90, 8, PF_M(63, 12) | PF_B(11) | PF_M(2, 0), 0, PF_M(10, 3), 0,
                   false, false, -1, 0, 0, PF_SELF(PF_RI_IQA)},
    [PF_RI_ICS] = {"ICS", 0x9c, 4, 0, PF_B(0), PF_M(31, 1), 0, false, false, -1, 0, 0,
                   PF_RB(PF_RI_ICS) | PF_RB(PF_RI_IECTL)},
    /* IECTL.IP follows IWC and IM. */
    [PF_RI_IECTL] = {"IECTL", 0xa0, 4, PF_B(31), 0, PF_M(29, 0), PF_B(30), false, false, -1,
                     PF_B(31), 0, PF_SELF(PF_RI_IECTL)},
    [PF_RI_IEDATA] = {"IEDATA", 0xa4, 4, PF_M(31, 0), 0, 0, 0, false, false, -1, 0, PF_EIMD,
                      PF_SELF(PF_RI_IEDATA)},
    [PF_RI_IEADDR] = {"IEADDR", 0xa8, 4, PF_M(31, 2), 0, PF_M(1, 0), 0, false, false, -1, 0, 0,
                      PF_SELF(PF_RI_IEADDR)},
    [PF_RI_IEUADDR] = {"IEUADDR", 0xac, 4, PF_M(31, 0), 0, 0, 0, false, false, -1, 0, PF_MUA,
                       PF_SELF(PF_RI_IEUADDR)},
    /* Where ECAP.IRO puts the IOTLB registers and CAP.FRO the fault
     * recording register: model/BEHAVIOUR.md keeps them at 0 (writes to the
     * IOTLB registers are ignored, no fault is ever recorded). */
    [PF_RI_IVA] = {"IVA", 0x100, 8, 0, 0, PF_M(63, 0), 0, false, false, -1, 0, 0,
                   PF_SELF(PF_RI_IVA)},
    [PF_RI_IOTLB] = {"IOTLB", 0x108, 8, 0, 0, PF_M(63, 0), 0, false, false, -1, 0, 0,
                     PF_SELF(PF_RI_IOTLB)},
    [PF_RI_FRCD_LO] = {"FRCD", 0x200, 8, 0, 0, PF_M(63, 0), 0, false, false, -1, 0, 0,
                       PF_SELF(PF_RI_FRCD_LO)},
    [PF_RI_FRCD_HI] = {"FRCD-HI", 0x208, 8, 0, 0, PF_M(63, 0), 0, false, false, -1, 0, 0,
                       PF_SELF(PF_RI_FRCD_HI)},
};

/* Bytes below PF_REG_MAPPED are looked up in a map built once from the
 * rows (so the offsets live only in the table above), the rest by a binary
 * search. */
#define PF_REG_MAPPED 0x100u

static enum pf_reg_idx pf_reg_search(uint64_t off)
{
    size_t lo = 0, hi = PF_RI_COUNT;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct pf_reg_row *r = &pf_reg_rows[mid];
        if (off < r->off)
            hi = mid;
        else if (off >= (uint64_t)r->off + r->width)
            lo = mid + 1;
        else
            return (enum pf_reg_idx)mid;
    }
    return PF_RI_COUNT;
}

enum pf_reg_idx pf_reg_at(uint64_t off)
{
    static uint8_t map[PF_REG_MAPPED];     /* row + 1 per byte, 0 for none */
    static bool built;
    if (!built) {
        for (unsigned b = 0; b < PF_REG_MAPPED; b++)
            map[b] = (uint8_t)(pf_reg_search(b) + 1) % (PF_RI_COUNT + 1);
        built = true;
    }
    if (off >= PF_REG_MAPPED)
        return pf_reg_search(off);
    return map[off] ? (enum pf_reg_idx)(map[off] - 1) : PF_RI_COUNT;
}

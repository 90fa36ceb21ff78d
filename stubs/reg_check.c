/*
 * One row per register the model implements: width and the access type of
 * every bit. Bits in neither rw, w1c nor volatile_ are read-only, or
 * reserved when also in rsvd (reserved bits must read 0).
 */
#include "reg_check.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>

#include "violation.h"

#define PF_B(n) (1ull << (n))
#define PF_M(hi, lo) ((~0ull >> (63 - (hi))) & ~(PF_B(lo) - 1))

struct pf_reg_row {
    const char *name;
    uint16_t off;
    uint8_t width;          /* 4 or 8 bytes */
    uint64_t rw;            /* take the written value */
    uint64_t w1c;           /* a written 1 clears, a written 0 leaves */
    uint64_t rsvd;          /* read 0 */
    uint64_t volatile_;     /* may change on a write for reasons of its own */
    bool write_only;        /* reads 0 whatever was written */
    int16_t side_src;       /* a write to this offset may change the RO bits, or -1 */
};

static const struct pf_reg_row pf_regs[] = {
    {"VER", 0x00, 4, 0, 0, PF_M(31, 8), 0, false, -1},
    {"CAP", 0x08, 8, 0, 0, 0, 0, false, -1},
    {"ECAP", 0x10, 8, 0, 0, 0, 0, false, -1},
    {"GCMD", 0x18, 4, 0, 0, 0, 0, true, -1},
    /* GSTS is read-only, but a GCMD write is what changes it. */
    {"GSTS", 0x1c, 4, 0, 0, 0, 0, false, 0x18},
    {"RTADDR", 0x20, 8, PF_M(63, 10), 0, PF_M(9, 0), 0, false, -1},
    /* FSTS: PFO, IQE, ICE, ITE are RW1CS; PPF and FRI read-only. */
    {"FSTS", 0x34, 4, 0, PF_B(0) | PF_B(4) | PF_B(5) | PF_B(6), PF_M(31, 16), 0, false, -1},
    {"FECTL", 0x38, 4, PF_B(31), 0, PF_M(29, 0), 0, false, -1},
    {"IQH", 0x80, 8, 0, 0, PF_M(63, 19) | PF_M(3, 0), 0, false, -1},
    {"IQT", 0x88, 8, PF_M(18, 4), 0, PF_M(63, 19) | PF_M(3, 0), 0, false, -1},
    {"IQA", 0x90, 8, PF_M(63, 12) | PF_B(11) | PF_M(2, 0), 0, PF_M(10, 3), 0, false, -1},
    {"ICS", 0x9c, 4, 0, PF_B(0), PF_M(31, 1), 0, false, -1},
    /* IECTL.IP follows IWC and IM (model/BEHAVIOUR.md). */
    {"IECTL", 0xa0, 4, PF_B(31), 0, PF_M(29, 0), PF_B(30), false, -1},
    {"IEDATA", 0xa4, 4, PF_M(31, 0), 0, 0, 0, false, -1},
    {"IEADDR", 0xa8, 4, PF_M(31, 2), 0, PF_M(1, 0), 0, false, -1},
    {"IEUADDR", 0xac, 4, PF_M(31, 0), 0, 0, 0, false, -1},
};

#define PF_NREGS (sizeof pf_regs / sizeof pf_regs[0])

static bool pf_overlaps(const struct pf_reg_row *r, uint64_t off, unsigned size)
{
    return off < (uint64_t)r->off + r->width && r->off < off + size;
}

void pf_reg_snap(struct pf_reg_snap *s, uint64_t off, unsigned size, pf_reg_read_fn rd,
                 void *opaque)
{
    *s = (struct pf_reg_snap){.off = off, .size = size};
    for (size_t i = 0; i < PF_NREGS && s->n < 2; i++) {
        if (!pf_overlaps(&pf_regs[i], off, size))
            continue;
        s->idx[s->n] = (uint8_t)i;
        s->before[s->n++] = rd(opaque, pf_regs[i].off, pf_regs[i].width);
    }
}

/* The bits of the register the write covers, and the value in its frame. */
static uint64_t pf_cover(const struct pf_reg_row *r, uint64_t off, unsigned size,
                         uint64_t val, uint64_t *in_frame)
{
    uint64_t lo = off > r->off ? off - r->off : 0;
    uint64_t hi = off + size < (uint64_t)r->off + r->width ? off + size - r->off : r->width;
    uint64_t bytes_mask = (hi - lo) == 8 ? ~0ull : (PF_B(8 * (hi - lo)) - 1);
    *in_frame = off >= r->off ? val << 8 * (off - r->off) : val >> 8 * (r->off - off);
    return bytes_mask << 8 * lo;
}

static bool pf_proper(uint64_t off, unsigned size)
{
    return (size == 4 || size == 8) && off % size == 0;
}

static bool pf_side_effect(const struct pf_reg_row *r, uint64_t off, unsigned size)
{
    return r->side_src >= 0 && off <= (uint64_t)r->side_src && (uint64_t)r->side_src < off + size;
}

__attribute__((noreturn))
static void pf_reg_fail(const struct pf_reg_row *r, const char *rule, uint64_t off,
                        unsigned size, uint64_t val, uint64_t before, uint64_t after)
{
    pf_violation(PF_V_REG_WRITE,
                 "write 0x%" PRIx64 " (size %u) at 0x%03" PRIx64 ": %s 0x%" PRIx64
                 " -> 0x%" PRIx64 " breaks %s",
                 val, size, off, r->name, before, after, rule);
}

/* The rules of one register whose bits m this write covers with v. */
static void pf_reg_rules(const struct pf_reg_row *r, const struct pf_reg_snap *s, uint64_t v,
                         uint64_t m, uint64_t before, uint64_t after, uint64_t val)
{
    uint64_t ro = ~(r->rw | r->w1c | r->rsvd | r->volatile_);
    if (r->width == 4)
        ro &= PF_M(31, 0);
    if (r->write_only && after != 0)
        pf_reg_fail(r, "write-only: reads 0", s->off, s->size, val, before, after);
    if (after & r->rsvd)
        pf_reg_fail(r, "reserved bits read 0", s->off, s->size, val, before, after);
    if ((after ^ v) & r->rw & m)
        pf_reg_fail(r, "read-write bits take the value", s->off, s->size, val, before, after);
    if ((after ^ before) & (r->rw | r->w1c) & ~m)
        pf_reg_fail(r, "bits not written keep their value", s->off, s->size, val, before, after);
    if ((after ^ (before & ~v)) & r->w1c & m)
        pf_reg_fail(r, "write-1-to-clear", s->off, s->size, val, before, after);
    if (!pf_side_effect(r, s->off, s->size) && ((after ^ before) & ro))
        pf_reg_fail(r, "read-only bits do not change", s->off, s->size, val, before, after);
}

void pf_reg_check(const struct pf_reg_snap *s, uint64_t val, pf_reg_read_fn rd, void *opaque)
{
    for (unsigned i = 0; i < s->n; i++) {
        const struct pf_reg_row *r = &pf_regs[s->idx[i]];
        uint64_t after = rd(opaque, r->off, r->width);
        uint64_t before = s->before[i];
        if (!pf_proper(s->off, s->size)) {
            /* model/BEHAVIOUR.md: an improper access is ignored. */
            if (after != before)
                pf_reg_fail(r, "an improper access is ignored", s->off, s->size, val, before,
                            after);
            continue;
        }
        uint64_t v = 0;
        uint64_t m = pf_cover(r, s->off, s->size, val, &v);
        pf_reg_rules(r, s, v, m, before, after, val);
    }
}

/*
 * The access-type rules of every register in reg_table.c.
 */
#include "reg_check.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>

#include "reg_table.h"
#include "violation.h"

void pf_reg_snap(struct pf_reg_snap *s, uint64_t off, unsigned size, pf_reg_read_fn rd,
                 void *opaque)
{
    *s = (struct pf_reg_snap){.off = off, .size = size};
    /* Row by row in offset order from the first byte; stop at the end of
     * the address space. */
    for (uint64_t b = off; b - off < size && b >= off && s->n < 2;) {
        enum pf_reg_idx i = pf_reg_at(b);
        if (i == PF_RI_COUNT) {
            b++;
            continue;
        }
        const struct pf_reg_row *r = &pf_reg_rows[i];
        b = (uint64_t)r->off + r->width;
        if (r->values_only)
            continue;
        s->idx[s->n] = (uint8_t)i;
        s->before[s->n++] = rd(opaque, r->off, r->width);
    }
}

bool pf_reg_snap_after(const struct pf_reg_snap *s, uint64_t off, unsigned size, uint64_t *out)
{
    for (unsigned i = 0; i < s->n; i++) {
        const struct pf_reg_row *r = &pf_reg_rows[s->idx[i]];
        if (r->off == off && r->width == size) {
            *out = s->after[i];
            return true;
        }
    }
    return false;
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

void pf_reg_check(struct pf_reg_snap *s, uint64_t val, pf_reg_read_fn rd, void *opaque)
{
    for (unsigned i = 0; i < s->n; i++) {
        const struct pf_reg_row *r = &pf_reg_rows[s->idx[i]];
        uint64_t after = rd(opaque, r->off, r->width);
        s->after[i] = after;
        uint64_t before = s->before[i];
        if (!pf_reg_proper(s->off, s->size)) {
            /* model/BEHAVIOUR.md: an improper access is ignored. */
            if (after != before)
                pf_reg_fail(r, "an improper access is ignored", s->off, s->size, val, before,
                            after);
            continue;
        }
        uint64_t v = 0;
        uint64_t m = pf_reg_cover(r, s->off, s->size, val, &v);
        pf_reg_rules(r, s, v, m, before, after, val);
    }
}

/*
 * The iq-state invariant: after an IQT write, the queue registers and guest
 * memory must agree with what the specification lets an IOMMU do. Judged
 * after the fact from the registers and memory only.
 *
 * One blind spot is accepted: a wait whose status write lands inside the
 * queue ring changes descriptor bytes after the IOMMU read them (even its own
 * status address), so for such a batch only the register rules are applied.
 * The caller says so in after->ring_written; found by AFL++ with a queue
 * moved onto the page the waits write to.
 */
#include "iq_check.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "desc_decode.h"
#include "pf_le.h"
#include "violation.h"
#include "vtd_spec.h"

struct iq_geom {
    uint64_t base;
    uint64_t qsize;         /* bytes */
    uint64_t dsz;           /* bytes per descriptor */
    bool dw;
};

struct iq_status {
    uint64_t addr;
    uint64_t seq;           /* consumption order within the batch */
    uint32_t data;
    uint64_t desc_off;      /* queue offset of the wait, for messages */
};

struct iq_batch {
    const struct guest_mem *mem;
    struct iq_geom g;
    uint64_t h0, h1, t;     /* head before, head after, tail */
    uint64_t n;             /* descriptors consumed */
};

static struct iq_geom iq_geom(uint64_t iqa)
{
    struct iq_geom g;
    g.base = iqa & VTD_IQA_BASE_MASK;
    g.qsize = (uint64_t)VTD_PAGE_SIZE << (iqa & VTD_IQA_QS_MASK);
    g.dw = (iqa & VTD_IQA_DW) != 0;
    g.dsz = g.dw ? VTD_IQ_DESC256_BYTES : VTD_IQ_DESC128_BYTES;
    return g;
}

/* Reads the first two qwords of the k-th consumed descriptor; false if any
 * byte of the descriptor is unreadable (the IOMMU reads it whole). */
static bool iq_read_desc(const struct iq_batch *b, uint64_t k, uint64_t *off, uint64_t q[2])
{
    *off = (b->h0 + k * b->g.dsz) % b->g.qsize;
    uint8_t raw[VTD_IQ_DESC256_BYTES];
    if (b->g.base > UINT64_MAX - *off)
        return false;
    if (guest_mem_read((void *)b->mem, b->g.base + *off, raw, (size_t)b->g.dsz) != 0)
        return false;
    q[0] = pf_le64_load(raw);
    q[1] = pf_le64_load(raw + 8);
    return true;
}

static void iq_check_registers(const struct iq_regs *before, const struct iq_regs *after,
                               struct iq_batch *b)
{
    bool moved = b->h1 != b->h0;
    if (moved && (!before->qies || before->iqe))
        pf_violation(PF_V_IQ_STATE, "head moved from 0x%" PRIx64 " to 0x%" PRIx64 " while %s",
                     b->h0, b->h1, !before->qies ? "QI was disabled" : "IQE was already set");
    if (after->qies && !after->iqe && b->h1 != b->t)
        pf_violation(PF_V_IQ_STATE,
                     "IQE clear but head 0x%" PRIx64 " != tail 0x%" PRIx64 " after the IQT write",
                     b->h1, b->t);
    if (!moved)
        return;
    const struct iq_geom *g = &b->g;
    if (b->t >= g->qsize || (g->dw && (b->t & VTD_IQ_DESC128_BYTES)))
        pf_violation(PF_V_IQ_STATE,
                     "head moved from 0x%" PRIx64 " to 0x%" PRIx64 " although tail 0x%" PRIx64
                     " is invalid for a 0x%" PRIx64 "-byte queue of %" PRIu64 "-byte descriptors",
                     b->h0, b->h1, b->t, g->qsize, g->dsz);
    if (b->h0 >= g->qsize || b->h1 >= g->qsize)
        pf_violation(PF_V_IQ_STATE,
                     "head moved from 0x%" PRIx64 " to 0x%" PRIx64 " outside the 0x%" PRIx64
                     "-byte queue",
                     b->h0, b->h1, g->qsize);
    uint64_t moved_by = (b->h1 + g->qsize - b->h0) % g->qsize;
    uint64_t to_tail = (b->t + g->qsize - b->h0) % g->qsize;
    if (moved_by > to_tail)
        pf_violation(PF_V_IQ_STATE,
                     "head moved from 0x%" PRIx64 " to 0x%" PRIx64 ", off the path to tail 0x%"
                     PRIx64,
                     b->h0, b->h1, b->t);
    if (moved_by % g->dsz != 0)
        pf_violation(PF_V_IQ_STATE,
                     "head moved from 0x%" PRIx64 " to 0x%" PRIx64 ", not a whole number of %"
                     PRIu64 "-byte descriptors",
                     b->h0, b->h1, g->dsz);
    b->n = moved_by / g->dsz;
}

static bool iq_in_ring(const struct iq_geom *g, uint64_t addr)
{
    /* A status word is 4 bytes at a 4-aligned address, the ring starts
     * 4 KiB aligned: overlap means the word's address is inside. */
    return addr >= g->base && addr - g->base < g->qsize;
}

/* Collects the SW waits of the batch into out (room for b->n); returns how
 * many, and whether any of them writes into the ring. Dies on an unreadable
 * consumed descriptor: the IOMMU could not have read it either. */
static uint64_t iq_collect(const struct iq_batch *b, struct iq_status *out, bool *in_ring)
{
    uint64_t n = 0;
    *in_ring = false;
    for (uint64_t k = 0; k < b->n; k++) {
        uint64_t off, q[2];
        if (!iq_read_desc(b, k, &off, q))
            pf_violation(PF_V_IQ_STATE,
                         "head moved from 0x%" PRIx64 " to 0x%" PRIx64
                         " past the unreadable descriptor at offset 0x%" PRIx64,
                         b->h0, b->h1, off);
        if (VTD_DESC_TYPE(q[0]) != VTD_DESC_WAIT || !(q[0] & VTD_WAIT_SW))
            continue;
        out[n] = (struct iq_status){q[1] & ~(uint64_t)3, k, VTD_WAIT_DATA(q[0]), off};
        *in_ring = *in_ring || iq_in_ring(&b->g, out[n].addr);
        n++;
    }
    return n;
}

/* ---- the oracle's prediction of the batch ---- */

struct iq_stop {
    uint64_t head;          /* where the queue stops (the tail when it does not) */
    bool iqe;
    bool iwc;               /* a wait with IF took effect before the stop */
    const char *why;        /* NULL when it runs to the tail */
    struct pf_desc_verdict d;
    uint64_t q0;
};

static bool iq_read4(const struct iq_batch *b, uint64_t off, uint64_t q[4])
{
    uint8_t raw[VTD_IQ_DESC256_BYTES];
    if (b->g.base > UINT64_MAX - off ||
        guest_mem_read((void *)b->mem, b->g.base + off, raw, (size_t)b->g.dsz) != 0)
        return false;
    for (unsigned i = 0; i < 4; i++)
        q[i] = i * 8 < b->g.dsz ? pf_le64_load(raw + i * 8) : 0;
    return true;
}

/* A wait's status word lands iff memory would take it now: the batch only
 * ever adds pages, so a write that failed during it would fail now, and one
 * that worked (or that a model failed to make) would work. */
static bool iq_status_lands(const struct iq_batch *b, const uint64_t q[4])
{
    uint64_t sw = 0, saddr = 0;
    if (!pf_desc_field(q, PF_F_SW, &sw) || !sw || !pf_desc_field(q, PF_F_SADDR, &saddr))
        return true;
    return guest_mem_writable(b->mem, saddr, 4);
}

/* Why the descriptor at off stops the queue, or NULL when it takes effect. */
static const char *iq_judge(const struct iq_batch *b, uint64_t off, struct iq_stop *s)
{
    uint64_t q[4];
    if (!iq_read4(b, off, q))
        return "unreadable";
    s->q0 = q[0];
    pf_desc_decode(q, b->g.dw, &s->d);
    if (!s->d.valid)
        return "invalid";
    if (!iq_status_lands(b, q))
        return "status write fails";
    uint64_t irq = 0;
    s->iwc |= pf_desc_field(q, PF_F_IF, &irq) && irq;
    return NULL;
}

static void iq_predict(const struct iq_batch *b, struct iq_stop *s)
{
    const struct iq_geom *g = &b->g;
    *s = (struct iq_stop){.head = b->h0};
    if (b->t >= g->qsize || (g->dw && (b->t & VTD_IQ_DESC128_BYTES))) {
        s->iqe = true;
        s->why = "tail invalid";
        return;
    }
    for (uint64_t k = 0; s->head != b->t && k < g->qsize / g->dsz; k++) {
        s->why = iq_judge(b, s->head, s);
        if (s->why) {
            s->iqe = true;
            return;
        }
        s->head = (s->head + g->dsz) % g->qsize;
    }
}

static void iq_describe_stop(const struct iq_stop *s, char *buf, size_t len)
{
    if (!s->why)
        snprintf(buf, len, "runs to the tail");
    else if (s->d.field)
        snprintf(buf, len, "stops at 0x%" PRIx64 " with IQE: %s descriptor (q0=0x%016" PRIx64
                 ") invalid, field %s = 0x%" PRIx64,
                 s->head, s->d.type_name, s->q0, s->d.field, s->d.value);
    else
        snprintf(buf, len, "stops at 0x%" PRIx64 " with IQE: %s", s->head, s->why);
}

/* What took effect (head, IQE) must be what the spec predicts. Only for a
 * batch that started with QI on and IQE clear; the others move nothing,
 * which iq_check_registers judges. */
static void iq_check_prediction(const struct iq_batch *b, const struct iq_regs *after,
                                struct iq_outcome *out)
{
    struct iq_stop s;
    iq_predict(b, &s);
    if (s.head == b->h1 && s.iqe == after->iqe) {
        *out = (struct iq_outcome){true, s.head, s.iqe, s.iwc};
        return;
    }
    char want[256];
    iq_describe_stop(&s, want, sizeof want);
    pf_violation(PF_V_IQ_STATE,
                 "batch from 0x%" PRIx64 " to tail 0x%" PRIx64 ": the spec %s; the model "
                 "left head 0x%" PRIx64 " with IQE %s",
                 b->h0, b->t, want, b->h1, after->iqe ? "set" : "clear");
}

static int iq_cmp_status(const void *a, const void *b)
{
    const struct iq_status *x = a, *y = b;
    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    if (x->seq != y->seq)
        return x->seq < y->seq ? -1 : 1;
    return 0;
}

/* Only the last wait to write an address must show: earlier ones were
 * legitimately overwritten within the same batch. */
static void iq_check_status(const struct iq_batch *b, struct iq_status *st, uint64_t n)
{
    if (n > 1)
        qsort(st, (size_t)n, sizeof *st, iq_cmp_status);
    for (uint64_t i = 0; i < n; i++) {
        if (i + 1 < n && st[i + 1].addr == st[i].addr)
            continue;
        uint8_t raw[4];
        if (guest_mem_read((void *)b->mem, st[i].addr, raw, sizeof raw) != 0)
            pf_violation(PF_V_IQ_STATE,
                         "wait at offset 0x%" PRIx64 " consumed but its status address 0x%"
                         PRIx64 " is unwritable",
                         st[i].desc_off, st[i].addr);
        uint32_t got = pf_le32_load(raw);
        if (got != st[i].data)
            pf_violation(PF_V_IQ_STATE,
                         "wait at offset 0x%" PRIx64 " consumed but status 0x%" PRIx64
                         " holds 0x%08x, not 0x%08x",
                         st[i].desc_off, st[i].addr, got, st[i].data);
    }
}

void iq_check_after_tail(const struct guest_mem *mem, const struct iq_regs *before,
                         const struct iq_regs *after, struct iq_outcome *out)
{
    struct iq_batch b = {
        .mem = mem,
        .g = iq_geom(before->iqa),
        .h0 = before->iqh & VTD_IQ_OFFSET_MASK,
        .h1 = after->iqh & VTD_IQ_OFFSET_MASK,
        .t = after->iqt & VTD_IQ_OFFSET_MASK,
    };
    iq_check_registers(before, after, &b);
    /* Nothing runs with QI off or IQE set (iq_check_registers saw the head
     * stay). */
    *out = (struct iq_outcome){!before->qies || before->iqe, b.h0, before->iqe, false};
    if (before->qies && !before->iqe && b.n == 0 && !after->ring_written)
        iq_check_prediction(&b, after, out);
    if (b.n == 0)
        return;

    /* A batch is a handful of descriptors as a rule: no allocation then. */
    struct iq_status small[16];
    struct iq_status *st = small;
    if (b.n > sizeof small / sizeof small[0]) {
        st = calloc((size_t)b.n, sizeof *st);
        if (!st) {
            fprintf(stderr, "pasidfuzz: iq_check out of memory\n");
            abort();
        }
    }
    bool in_ring;
    uint64_t nst = iq_collect(&b, st, &in_ring);
    if (!in_ring && !after->ring_written) {
        iq_check_prediction(&b, after, out);
        iq_check_status(&b, st, nst);
    }
    if (st != small)
        free(st);
}

/* ---- DMA writes ---- */

/* Why a write of len bytes at addr is not the status write of the wait q
 * (read at head), or NULL when it is exactly that. */
static const char *iq_not_status(const uint64_t q[4], bool dw, uint64_t addr,
                                 const uint8_t *buf, size_t len)
{
    struct pf_desc_verdict v;
    pf_desc_decode(q, dw, &v);
    uint64_t sw = 0, saddr = 0, sdata = 0;
    if (!v.valid || v.type != PF_DT_WAIT)
        return "the descriptor at the head is no valid wait";
    if (!pf_desc_field(q, PF_F_SW, &sw) || !sw)
        return "the wait at the head has SW clear";
    if (!pf_desc_field(q, PF_F_SADDR, &saddr) || !pf_desc_field(q, PF_F_SDATA, &sdata) ||
        addr != saddr || len != 4)
        return "not the 4 bytes at the wait's status address";
    if (pf_le32_load(buf) != (uint32_t)sdata)
        return "not the wait's status data";
    return NULL;
}

void iq_check_dma_write(const struct guest_mem *mem, const struct iq_regs *now, bool in_batch,
                        uint64_t addr, const void *buf, size_t len)
{
    const char *why = "outside the processing of an IQT write";
    uint64_t head = now->iqh & VTD_IQ_OFFSET_MASK;
    if (in_batch) {
        struct iq_batch b = {.mem = mem, .g = iq_geom(now->iqa)};
        uint64_t q[4];
        why = head >= b.g.qsize || !iq_read4(&b, head, q)
                  ? "the head is outside the queue or unreadable"
                  : iq_not_status(q, b.g.dw, addr, buf, len);
    }
    if (why)
        pf_violation(PF_V_IQ_STATE,
                     "DMA write of %zu byte(s) at 0x%" PRIx64 " with head 0x%" PRIx64 ": %s",
                     len, addr, head, why);
}

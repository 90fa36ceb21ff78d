#include "ops.h"

#include <string.h>

#define F(n, b) {n, b}

static const struct pf_op_spec pf_op_specs[PF_OP_COUNT] = {
    [PF_OP_PASID_ENTRY] = {"pasid-entry", 8,
        {F("dev", 1), F("pasid", 1), F("flags", 1), F("pgtt", 1), F("did", 1), F("aw", 1),
         F("fspm", 1), F("fspt", 1)}},
    [PF_OP_PASID_CLEAR] = {"pasid-clear", 2, {F("dev", 1), F("pasid", 1)}},
    [PF_OP_DIR_ENTRY] = {"dir-entry", 3, {F("dev", 1), F("pasid", 1), F("flags", 1)}},
    [PF_OP_CTX_ENTRY] = {"context-entry", 3, {F("dev", 1), F("flags", 1), F("pdts", 1)}},
    [PF_OP_MEM_WRITE] = {"mem-write", 5,
        {F("region", 1), F("dev", 1), F("pasid", 1), F("offset", 2), F("value", 8)}},
    [PF_OP_Q_PASID_CACHE] = {"pc-inv", 3, {F("g", 1), F("did", 1), F("pasid", 1)}},
    [PF_OP_Q_PASID_IOTLB] = {"piotlb-inv", 6,
        {F("g", 1), F("did", 1), F("pasid", 1), F("page", 4), F("am", 1), F("ih", 1)}},
    [PF_OP_Q_CONTEXT_CACHE] = {"cc-inv", 4, {F("g", 1), F("did", 1), F("dev", 1), F("fm", 1)}},
    [PF_OP_Q_IOTLB] = {"iotlb-inv", 6,
        {F("g", 1), F("did", 1), F("page", 4), F("am", 1), F("ih", 1), F("drdw", 1)}},
    [PF_OP_Q_WAIT] = {"wait", 2, {F("flags", 1), F("data", 4)}},
    [PF_OP_Q_OTHER] = {"other-inv", 4, {F("kind", 1), F("q0", 8), F("q1", 8), F("raw", 1)}},
    [PF_OP_Q_RAW] = {"raw-desc", 4, {F("q0", 8), F("q1", 8), F("q2", 8), F("q3", 8)}},
    [PF_OP_RING] = {"ring", 0, {{NULL, 0}}},
    [PF_OP_MMIO] = {"mmio", 3, {F("reg", 1), F("wide", 1), F("value", 8)}},
    [PF_OP_GCMD] = {"gcmd", 1, {F("cmd", 1)}},
    [PF_OP_PLUG] = {"plug", 1, {F("dev", 1)}},
    [PF_OP_UNPLUG] = {"unplug", 1, {F("dev", 1)}},
    [PF_OP_RESET] = {"reset", 0, {{NULL, 0}}},
    [PF_OP_FAIL] = {"fail", 2, {F("call", 1), F("nth", 1)}},
    [PF_OP_SYNC] = {"sync", 0, {{NULL, 0}}},
};

static const struct pf_field_spec pf_header_specs[PF_HEADER_FIELDS] = {
    F("version", 1), F("pasid_bits", 1), F("ndev", 1), F("flags", 1),
    F("sid0", 2), F("log2_0", 1), F("sid1", 2), F("log2_1", 1),
    F("sid2", 2), F("log2_2", 1), F("sid3", 2), F("log2_3", 1),
    F("pasid0", 4), F("pasid1", 4), F("pasid2", 4), F("pasid3", 4),
    F("pasid4", 4), F("pasid5", 4), F("pasid6", 4), F("pasid7", 4),
    F("did0", 2), F("did1", 2), F("did2", 2), F("did3", 2),
    F("fspt0", 4), F("fspt1", 4), F("fspt2", 4), F("fspt3", 4),
};

#undef F

enum pf_opcode pf_op_kind(const struct pf_op *op)
{
    return (enum pf_opcode)(op->code % PF_OP_COUNT);
}

const struct pf_op_spec *pf_op_spec(enum pf_opcode kind)
{
    return (unsigned)kind < PF_OP_COUNT ? &pf_op_specs[kind] : NULL;
}

size_t pf_record_size(const struct pf_field_spec *fields, unsigned nfields)
{
    size_t n = 1;
    for (unsigned i = 0; i < nfields; i++)
        n += fields[i].bytes;
    return n;
}

size_t pf_op_size(enum pf_opcode kind)
{
    const struct pf_op_spec *s = pf_op_spec(kind);
    return s ? pf_record_size(s->fields, s->nfields) : 1;
}

void pf_op_read(struct pf_reader *r, struct pf_op *op)
{
    pf_op_read_in(r, op, PF_DIALECT_PASID_CACHE);
}

void pf_op_write(struct pf_writer *w, const struct pf_op *op)
{
    pf_op_write_in(w, op, PF_DIALECT_PASID_CACHE);
}

/*
 * fuzz_lifecycle: code % 32 picks an entry of this table, 8 codes each.
 * The device and translation lifecycle (plug, unplug, reset, GCMD for TE
 * and SRTP, backend failures) holds 14 of 32 entries instead of 5 of 20,
 * between the PASID entry writes and invalidations that give it something
 * to tear down.
 */
#define PF_LIFECYCLE_ENTRIES 32
static const uint8_t pf_lifecycle_kinds[PF_LIFECYCLE_ENTRIES] = {
    PF_OP_PLUG, PF_OP_UNPLUG, PF_OP_GCMD, PF_OP_FAIL, PF_OP_PASID_ENTRY, PF_OP_Q_PASID_CACHE,
    PF_OP_SYNC, PF_OP_RESET,
    PF_OP_PLUG, PF_OP_UNPLUG, PF_OP_GCMD, PF_OP_FAIL, PF_OP_PASID_ENTRY, PF_OP_Q_PASID_CACHE,
    PF_OP_SYNC, PF_OP_RESET,
    PF_OP_PLUG, PF_OP_UNPLUG, PF_OP_GCMD, PF_OP_FAIL, PF_OP_PASID_CLEAR, PF_OP_Q_CONTEXT_CACHE,
    PF_OP_DIR_ENTRY, PF_OP_CTX_ENTRY,
    PF_OP_MEM_WRITE, PF_OP_Q_PASID_IOTLB, PF_OP_Q_IOTLB, PF_OP_Q_WAIT, PF_OP_Q_OTHER,
    PF_OP_Q_RAW, PF_OP_RING, PF_OP_MMIO,
};

enum pf_opcode pf_dialect_kind(enum pf_dialect d, uint8_t code)
{
    if (d == PF_DIALECT_LIFECYCLE)
        return (enum pf_opcode)pf_lifecycle_kinds[code % PF_LIFECYCLE_ENTRIES];
    return (enum pf_opcode)(code % PF_OP_COUNT);
}

uint8_t pf_dialect_code(enum pf_dialect d, enum pf_opcode kind)
{
    for (unsigned c = 0; c < 256; c++)
        if (pf_dialect_kind(d, (uint8_t)c) == kind)
            return (uint8_t)c;
    return 0;   /* not reached: every dialect reaches every kind */
}

void pf_op_read_in(struct pf_reader *r, struct pf_op *op, enum pf_dialect d)
{
    memset(op, 0, sizeof *op);
    op->code = pf_read_u8(r);
    const struct pf_op_spec *s = pf_op_spec(pf_dialect_kind(d, op->code));
    for (unsigned i = 0; i < s->nfields; i++)
        op->f[i] = pf_read_uint(r, s->fields[i].bytes);
}

void pf_op_write_in(struct pf_writer *w, const struct pf_op *op, enum pf_dialect d)
{
    pf_write_u8(w, op->code);
    const struct pf_op_spec *s = pf_op_spec(pf_dialect_kind(d, op->code));
    for (unsigned i = 0; i < s->nfields; i++)
        pf_write_uint(w, op->f[i], s->fields[i].bytes);
}

int pf_op_field(enum pf_opcode kind, const char *name)
{
    const struct pf_op_spec *s = pf_op_spec(kind);
    for (unsigned i = 0; s && i < s->nfields; i++)
        if (strcmp(s->fields[i].name, name) == 0)
            return (int)i;
    return -1;
}

const struct pf_field_spec *pf_header_fields(void)
{
    return pf_header_specs;
}

size_t pf_header_size(void)
{
    size_t n = 0;
    for (unsigned i = 0; i < PF_HEADER_FIELDS; i++)
        n += pf_header_specs[i].bytes;
    return n;
}

void pf_header_read(struct pf_reader *r, struct pf_header *h)
{
    for (unsigned i = 0; i < PF_HEADER_FIELDS; i++)
        h->f[i] = pf_read_uint(r, pf_header_specs[i].bytes);
}

void pf_header_write(struct pf_writer *w, const struct pf_header *h)
{
    for (unsigned i = 0; i < PF_HEADER_FIELDS; i++)
        pf_write_uint(w, h->f[i], pf_header_specs[i].bytes);
}

/* Raw zero must mean the common, productive case, because short inputs read
 * as zeros: 20 PASID bits (raw 0 -> 20), one device, a 256-bit queue. */
unsigned pf_header_pasid_bits(const struct pf_header *h)
{
    return 20u - (unsigned)(h->f[PF_HF_PASID_BITS] % 20u);
}

unsigned pf_header_ndev(const struct pf_header *h)
{
    return 1u + (unsigned)(h->f[PF_HF_NDEV] % PF_MAX_DEVS);
}

uint16_t pf_header_sid(const struct pf_header *h, unsigned dev)
{
    /* Raw zero gives distinct devices 00:01.0, 00:02.0, ... */
    uint16_t raw = (uint16_t)h->f[PF_HF_DEV0 + 2 * (dev % PF_MAX_DEVS)];
    return (uint16_t)(raw + ((dev % PF_MAX_DEVS) + 1) * 8);
}

unsigned pf_header_max_pasid_log2(const struct pf_header *h, unsigned dev)
{
    return 20u - (unsigned)(h->f[PF_HF_DEV0 + 2 * (dev % PF_MAX_DEVS) + 1] % 21u);
}

unsigned pf_header_flags(const struct pf_header *h)
{
    return (unsigned)h->f[PF_HF_FLAGS];
}

uint32_t pf_header_pasid(const struct pf_header *h, unsigned idx)
{
    /* Raw zero gives PASIDs 0..7, all in one PASID table. */
    unsigned i = idx % PF_PASID_POOL;
    return (uint32_t)((h->f[PF_HF_PASID0 + i] + i) & 0xfffff);
}

uint16_t pf_header_did(const struct pf_header *h, unsigned idx)
{
    unsigned i = idx % PF_DID_POOL;
    return (uint16_t)(h->f[PF_HF_DID0 + i] + i + 1);
}

uint64_t pf_header_fspt(const struct pf_header *h, unsigned idx)
{
    unsigned i = idx % PF_FSPT_POOL;
    /* 36-bit page numbers keep the address inside a 48-bit space. */
    uint64_t pfn = (h->f[PF_HF_FSPT0 + i] + 0x1000u * (i + 1)) & 0xfffffffffull;
    return pfn << 12;
}

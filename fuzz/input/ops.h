/*
 * The op-stream input format (fuzz/README.md, "Input format"), table-driven: every
 * record (the header and each op) is a list of little-endian fields of fixed
 * width, so the binary reader, its writer twin, the text form and the
 * structure-aware mutator all work from the same tables.
 *
 * Layout: header, then ops until the input ends. An op is one code byte
 * (every byte is some op; which one is the dialect's choice, see below) and
 * its fields.
 * Fields hold raw values; meaning (index into a pool, modulo the device
 * count, ...) is given by the guest driver, never by the reader, so every
 * input decodes and re-encodes to the same bytes.
 */
#ifndef PASIDFUZZ_OPS_H
#define PASIDFUZZ_OPS_H

#include <stddef.h>
#include <stdint.h>

#include "input.h"

#define PF_FORMAT_VERSION 1
#define PF_MAX_DEVS 4
#define PF_PASID_POOL 8
#define PF_DID_POOL 4
#define PF_FSPT_POOL 4

struct pf_field_spec {
    const char *name;
    uint8_t bytes;
};

#define PF_OP_MAX_FIELDS 8

struct pf_op_spec {
    const char *name;
    uint8_t nfields;
    struct pf_field_spec fields[PF_OP_MAX_FIELDS];
};

enum pf_opcode {
    PF_OP_PASID_ENTRY,      /* write a PASID table entry */
    PF_OP_PASID_CLEAR,      /* zero a PASID table entry */
    PF_OP_DIR_ENTRY,        /* write a PASID directory entry */
    PF_OP_CTX_ENTRY,        /* write a context entry (and its root entry) */
    PF_OP_MEM_WRITE,        /* raw 8-byte write into one of the guest's structures */
    PF_OP_Q_PASID_CACHE,    /* queue a PASID-cache descriptor */
    PF_OP_Q_PASID_IOTLB,    /* queue a PASID-IOTLB descriptor */
    PF_OP_Q_CONTEXT_CACHE,  /* queue a context-cache descriptor */
    PF_OP_Q_IOTLB,          /* queue an IOTLB descriptor */
    PF_OP_Q_WAIT,           /* queue a wait descriptor */
    PF_OP_Q_OTHER,          /* queue a device-TLB, IEC, PASID-devTLB or page-group response */
    PF_OP_Q_RAW,            /* queue raw descriptor bytes */
    PF_OP_RING,             /* write IQT: the model processes the queue */
    PF_OP_MMIO,             /* raw MMIO register write */
    PF_OP_GCMD,             /* a well-formed GCMD command (TE, SRTP, QIE) */
    PF_OP_PLUG,
    PF_OP_UNPLUG,
    PF_OP_RESET,
    PF_OP_FAIL,             /* arm a backend failure */
    PF_OP_SYNC,             /* queue a wait, ring, and check the oracle */
    PF_OP_COUNT
};

struct pf_op {
    uint8_t code;           /* raw code byte; its dialect gives the op kind */
    uint64_t f[PF_OP_MAX_FIELDS];
};

#define PF_HEADER_FIELDS (4 + 2 * PF_MAX_DEVS + PF_PASID_POOL + PF_DID_POOL + PF_FSPT_POOL)

/* Raw header values; pf_header_* give their meaning. */
struct pf_header {
    uint64_t f[PF_HEADER_FIELDS];
};

/* Header flag bits. Zero is the common case: 256-bit queue, 4-level only. */
#define PF_HDR_QUEUE_128      0x01u
#define PF_HDR_FS_5LEVEL      0x02u
#define PF_HDR_QS_SHIFT       2     /* 2 bits: queue size 4 KiB << QS */

/* The fuzz_pasid_cache dialect: code % PF_OP_COUNT. */
/* Encoded size of a record: one code byte and its fields. */
size_t pf_record_size(const struct pf_field_spec *fields, unsigned nfields);

enum pf_opcode pf_op_kind(const struct pf_op *op);
const struct pf_op_spec *pf_op_spec(enum pf_opcode kind);
/* Encoded size of an op of this kind, code byte included. */
size_t pf_op_size(enum pf_opcode kind);
void pf_op_read(struct pf_reader *r, struct pf_op *op);
void pf_op_write(struct pf_writer *w, const struct pf_op *op);
/* Field index by name within an op kind, or -1. */
int pf_op_field(enum pf_opcode kind, const char *name);

/*
 * Dialects: how a target maps the 256 code bytes onto op kinds. The records
 * (header, op fields) are the same in every dialect, so the writer twins,
 * the text form and the seed generator serve them all; a dialect only
 * changes how often random bytes pick each op. Every dialect reaches every
 * kind. Which target reads which dialect is the registry's (targets.def).
 */
enum pf_dialect {
    PF_DIALECT_NONE = -1,       /* not an op stream: raw bytes */
    PF_DIALECT_PASID_CACHE,     /* code % PF_OP_COUNT: every kind alike */
    PF_DIALECT_LIFECYCLE,       /* plug, unplug, reset, gcmd, fail favoured */
    PF_DIALECT_COUNT
};

enum pf_opcode pf_dialect_kind(enum pf_dialect d, uint8_t code);
/* The smallest code byte of a kind: what writers use unless told otherwise. */
uint8_t pf_dialect_code(enum pf_dialect d, enum pf_opcode kind);
void pf_op_read_in(struct pf_reader *r, struct pf_op *op, enum pf_dialect d);
void pf_op_write_in(struct pf_writer *w, const struct pf_op *op, enum pf_dialect d);

const struct pf_field_spec *pf_header_fields(void);
size_t pf_header_size(void);
void pf_header_read(struct pf_reader *r, struct pf_header *h);
void pf_header_write(struct pf_writer *w, const struct pf_header *h);

/* Meaning of header fields. */
unsigned pf_header_pasid_bits(const struct pf_header *h);   /* 1..20 */
unsigned pf_header_ndev(const struct pf_header *h);         /* 1..4 */
uint16_t pf_header_sid(const struct pf_header *h, unsigned dev);
unsigned pf_header_max_pasid_log2(const struct pf_header *h, unsigned dev); /* 0..20 */
unsigned pf_header_flags(const struct pf_header *h);
uint32_t pf_header_pasid(const struct pf_header *h, unsigned idx);         /* idx mod pool */
uint16_t pf_header_did(const struct pf_header *h, unsigned idx);
uint64_t pf_header_fspt(const struct pf_header *h, unsigned idx);          /* page aligned */

/* Header field positions, for the seed generator and the text form. */
enum {
    PF_HF_VERSION = 0,
    PF_HF_PASID_BITS = 1,
    PF_HF_NDEV = 2,
    PF_HF_FLAGS = 3,
    PF_HF_DEV0 = 4,                         /* sid, max_pasid_log2 per device */
    PF_HF_PASID0 = PF_HF_DEV0 + 2 * PF_MAX_DEVS,
    PF_HF_DID0 = PF_HF_PASID0 + PF_PASID_POOL,
    PF_HF_FSPT0 = PF_HF_DID0 + PF_DID_POOL,
};

#endif

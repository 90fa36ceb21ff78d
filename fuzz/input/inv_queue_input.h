/*
 * fuzz_inv_queue's input format (layout in inv_queue_run.c's top comment):
 * a 2-byte header, then commands until the input ends. A command is one code
 * byte (kind = code % IQ_CMD_COUNT, so every byte is some command) and its
 * little-endian fields of fixed width. Fields hold raw values; their meaning
 * is the target's. Reads never fail (see input.h); the writers are their
 * twins, used by the seed generator.
 */
#ifndef PASIDFUZZ_INV_QUEUE_INPUT_H
#define PASIDFUZZ_INV_QUEUE_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "input.h"
#include "ops.h"

/* Header byte 0, the queue and model configuration. Zero is the common
 * case: a 4 KiB 256-bit queue, tables bound by an initial global sync. */
#define IQ_CFG_QUEUE_128   0x01u    /* 128-bit descriptors */
#define IQ_CFG_QS_SHIFT    1        /* 2 bits: queue of 4 KiB << QS */
#define IQ_CFG_NO_PRESYNC  0x08u    /* leave the tables unbound at start */
#define IQ_CFG_FS_5LEVEL   0x10u    /* the IOMMU supports 5-level first stage */

struct iq_header {
    uint8_t cfg;
    uint8_t pasid_bits;     /* raw: 20 - raw % 20 */
};

enum iq_cmd_kind {
    IQ_CMD_RAW,             /* q0 q1 q2 q3: raw descriptor at the tail */
    IQ_CMD_DESC,            /* type flags sel arg: a shaped descriptor */
    IQ_CMD_TAIL,            /* mode value: write IQT ("iqt": "tail" is the text
                             * form's line of raw trailing bytes) */
    IQ_CMD_SKIP,            /* n: move the software tail */
    IQ_CMD_QUEUE,           /* mode iqa: QI off/on, reprogram IQA */
    IQ_CMD_IQE,             /* mode: clear FSTS.IQE, repair and resume */
    IQ_CMD_MMIO,            /* reg wide value: a queue register write */
    IQ_CMD_TABLE,           /* entry action arg: edit a setup PASID entry */
    IQ_CMD_SYNC,            /* a wait at the tail, then ring */
    IQ_CMD_COUNT
};

#define IQ_CMD_MAX_FIELDS 4

struct iq_cmd {
    uint8_t code;           /* raw; the kind is code % IQ_CMD_COUNT */
    uint64_t f[IQ_CMD_MAX_FIELDS];
};

/* Names and widths of the fields, for the reader, the writer and the text
 * form (the kind names are the text form's keywords). */
struct iq_cmd_spec {
    const char *name;
    uint8_t nfields;
    struct pf_field_spec fields[IQ_CMD_MAX_FIELDS];
};

enum iq_cmd_kind iq_cmd_kind(const struct iq_cmd *c);
const struct iq_cmd_spec *iq_cmd_spec(enum iq_cmd_kind kind);
/* Encoded size of a command of this kind, code byte included. */
size_t iq_cmd_size(enum iq_cmd_kind kind);

void iq_header_read(struct pf_reader *r, struct iq_header *h);
void iq_header_write(struct pf_writer *w, const struct iq_header *h);
void iq_cmd_read(struct pf_reader *r, struct iq_cmd *c);
void iq_cmd_write(struct pf_writer *w, const struct iq_cmd *c);
/* The header's fields, in input order, as the text form names them. */
const struct pf_field_spec *iq_header_fields(void);
#define IQ_HEADER_FIELDS 2

/* DESC flags (field 1, 16 bits). */
#define IQ_DESC_G_MASK      0x0003u /* granularity bits 5:4 */
#define IQ_DESC_RSVD_Q0     0x0004u /* set one reserved bit of qword 0 */
#define IQ_DESC_RSVD_Q1     0x0008u /* set one reserved bit of qword 1 */
#define IQ_DESC_UPPER       0x0010u /* nonzero qwords 2-3 (arg) */
#define IQ_DESC_OPT_SHIFT   5       /* 4 type-specific option bits */
/* Wait options, at IQ_DESC_OPT_SHIFT. */
#define IQ_WAIT_IF 0x1u
#define IQ_WAIT_SW 0x2u
#define IQ_WAIT_FN 0x4u
#define IQ_WAIT_PD 0x8u

#endif

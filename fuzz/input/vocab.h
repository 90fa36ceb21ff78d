/*
 * The operand vocabulary: what the guest driver makes of a field value, by
 * name. Fields hold raw values (ops.h); the interpreter (guest_ops.c,
 * inv_queue_run.c) reduces them modulo the counts below and acts on the
 * codes and bits named here, the text form spells them with the names of
 * pf_vocab_syms, and the dictionaries are written with them. A renumbering
 * here reaches all of them at once.
 */
#ifndef PASIDFUZZ_VOCAB_H
#define PASIDFUZZ_VOCAB_H

#include <stdbool.h>
#include <stdint.h>

/* ---- the op stream (ops.h) ---- */

/* pasid-entry flags */
enum { PF_PE_F_P = 1, PF_PE_F_FPD = 2, PF_PE_F_SRE = 4, PF_PE_F_WPE = 8, PF_PE_F_EAFE = 16 };

/* dir-entry flags */
enum { PF_DIR_F_P = 1, PF_DIR_F_FPD = 2, PF_DIR_F_NEW_TABLE = 4, PF_DIR_F_RSVD = 8 };

/* context-entry flags */
enum {
    PF_CTX_F_P = 1,
    PF_CTX_F_PRE = 2,
    PF_CTX_F_FPD = 4,
    PF_CTX_F_RSVD = 8,
    PF_CTX_F_ROOT_NP = 16,
    PF_CTX_F_NEW_DIR = 32,
};

/* mem-write region, value % PF_REGION_COUNT */
enum pf_region {
    PF_REGION_ROOT,
    PF_REGION_CTX,
    PF_REGION_DIR,
    PF_REGION_TABLE,
    PF_REGION_QUEUE,
    PF_REGION_STATUS,
    PF_REGION_COUNT
};

/* wait flags (the sync op queues IF | SW) */
enum { PF_WAIT_F_IF = 1, PF_WAIT_F_SW = 2, PF_WAIT_F_FN = 4, PF_WAIT_F_PD = 8 };

/* other-inv kind, value % PF_OTHER_COUNT */
enum pf_other_kind {
    PF_OTHER_DEV_TLB,
    PF_OTHER_IEC,
    PF_OTHER_PASID_DEV_TLB,
    PF_OTHER_PAGE_GROUP_RESP,
    PF_OTHER_COUNT
};

/* gcmd cmd, value % PF_GCMD_COUNT */
enum pf_gcmd_cmd {
    PF_GCMD_TE_ON,
    PF_GCMD_TE_OFF,
    PF_GCMD_SRTP,
    PF_GCMD_QIE_ON,
    PF_GCMD_QIE_OFF,
    PF_GCMD_ROOT_LEGACY,        /* RTADDR legacy mode, then SRTP */
    PF_GCMD_ROOT_SCALABLE,      /* RTADDR scalable mode, then SRTP */
    PF_GCMD_COUNT
};

/* fail call, value % PF_FAIL_COUNT: the backend calls that can fail
 * (destroying an object cannot). */
enum pf_fail_call { PF_FAIL_ALLOC, PF_FAIL_ATTACH, PF_FAIL_DETACH, PF_FAIL_INVALIDATE,
                    PF_FAIL_MEMORY, PF_FAIL_COUNT };

/* A register the fuzzer writes, by index (value % count). */
struct pf_reg {
    const char *name;
    uint16_t off;
};

/* The registers of the mmio op: every register the model has, the upper
 * halves of the 64-bit ones the driver writes in two halves, and offsets
 * no register lives at. */
extern const struct pf_reg pf_op_regs[];
extern const unsigned pf_op_nregs;

/* ---- fuzz_inv_queue's commands (inv_queue_input.h) ---- */

/* desc type: value % PF_IQ_TYPE_COUNT is the VT-d descriptor type (vtd_spec.h)
 * minus 1, so every type from context-cache to page-group response. */
#define PF_IQ_TYPE_COUNT 9u
#define PF_IQ_TYPE(vtd_type) ((vtd_type) - 1u)

/* iqt mode, value % PF_IQ_TAIL_COUNT */
enum pf_iq_tail_mode {
    PF_IQ_TAIL_SW,              /* IQT = the software tail */
    PF_IQ_TAIL_VALUE,           /* IQT = value */
    PF_IQ_TAIL_SW_4BYTE,        /* 4-byte IQT write of the software tail */
    PF_IQ_TAIL_HIGH_4BYTE,      /* 4-byte write of IQT's upper half */
    PF_IQ_TAIL_COUNT
};

/* queue mode, value % PF_IQ_QUEUE_COUNT */
enum pf_iq_queue_mode {
    PF_IQ_QUEUE_OFF,            /* QI off */
    PF_IQ_QUEUE_ON,             /* QI on */
    PF_IQ_QUEUE_REPROGRAM,      /* QI off, IQA, QI on */
    PF_IQ_QUEUE_IQA_ONLY,       /* IQA alone */
    PF_IQ_QUEUE_COUNT
};

/* iqe mode, value % PF_IQE_COUNT */
enum pf_iqe_mode {
    PF_IQE_CLEAR,               /* clear FSTS.IQE */
    PF_IQE_REPAIR,              /* a wait over the bad descriptor, clear, resume */
    PF_IQE_ABANDON,             /* clear, IQT = IQH */
    PF_IQE_CLEAR_ALL,           /* clear all of FSTS and re-ring as is */
    PF_IQE_COUNT
};

/* table action, value % PF_IQ_TABLE_COUNT */
enum pf_iq_table_action {
    PF_IQ_TABLE_CLEAR,          /* zero the entry */
    PF_IQ_TABLE_RESTORE,        /* write it as set up */
    PF_IQ_TABLE_DID,            /* DID from pool arg */
    PF_IQ_TABLE_PGTT_FLIP,      /* first stage <-> pass-through */
    PF_IQ_TABLE_NOT_PRESENT,
    PF_IQ_TABLE_FSPT,           /* first-stage table from pool arg */
    PF_IQ_TABLE_COUNT
};

/* The registers of the mmio command: the queue's, the fault status and
 * event registers around it, and the upper half of CCMD. */
extern const struct pf_reg pf_iq_regs[];
extern const unsigned pf_iq_nregs;

/* ---- names ---- */

struct pf_sym {
    const char *name;
    uint64_t value;
};

struct pf_sym_table {
    bool flags;                 /* names are bits, joined with '|' */
    unsigned n;
    const struct pf_sym *syms;
    const struct pf_reg *regs;  /* instead of syms: register i is value i */
};

/* Name and value i of a table. */
static inline struct pf_sym pf_sym_at(const struct pf_sym_table *t, unsigned i)
{
    return t->regs ? (struct pf_sym){t->regs[i].name, i} : t->syms[i];
}

/* The input formats whose records have names of their own (both op-stream
 * dialects share one). */
enum pf_input_format { PF_INPUT_OPS, PF_INPUT_INV_QUEUE, PF_INPUT_PASID_TABLE,
                       PF_INPUT_FORMAT_COUNT };

/* Names for field `field` of record `rec` (an op, command or prelude record
 * name such as "header") of an input format, or NULL when the field is a
 * plain number. Only spellings: every value still has its number. */
const struct pf_sym_table *pf_vocab_syms(enum pf_input_format fmt, const char *rec,
                                         const char *field);

#endif

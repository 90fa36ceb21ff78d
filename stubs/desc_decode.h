/*
 * The oracle's own reading of invalidation descriptors: every type's fields,
 * reserved bits and valid granularities as a table of bit ranges transcribed
 * from the VT-d specification (section 6.5.2, "Invalidation Descriptors"),
 * apart from model/vtd_spec.h, so that a wrong mask there cannot fool the
 * model and the checkers alike. Where the specification leaves a choice
 * open, the table follows model/BEHAVIOUR.md ("Invalidation queue").
 */
#ifndef PASIDFUZZ_DESC_DECODE_H
#define PASIDFUZZ_DESC_DECODE_H

#include <stdbool.h>
#include <stdint.h>

/* Descriptor types, numbered as the specification numbers them. */
enum pf_dtype {
    PF_DT_CONTEXT_CACHE = 1,
    PF_DT_IOTLB = 2,
    PF_DT_DEVICE_TLB = 3,
    PF_DT_IEC = 4,
    PF_DT_WAIT = 5,
    PF_DT_PASID_IOTLB = 6,
    PF_DT_PASID_CACHE = 7,
    PF_DT_PASID_DEVICE_TLB = 8,
    PF_DT_PAGE_GROUP_RESP = 9,
};

/* Granularities of the PASID-based IOTLB invalidation (type 6). */
#define PF_PIOTLB_G_PASID 2u
#define PF_PIOTLB_G_PAGE  3u

/* The verdict on one descriptor. */
struct pf_desc_verdict {
    bool valid;
    unsigned type;          /* bits 3:0 | bits 11:9 << 4 */
    const char *type_name;  /* "unknown" for a type the table does not know */
    const char *field;      /* the first field that makes it invalid, or NULL */
    uint64_t value;         /* that field's value */
};

/* q: the four qwords (q[2], q[3] are 0 in a 128-bit queue); dw: the queue
 * holds 256-bit descriptors. */
void pf_desc_decode(const uint64_t q[4], bool dw, struct pf_desc_verdict *v);

/* The fields checkers read; every other field is named in the table only. */
enum pf_dfield {
    PF_F_NONE,              /* reserved bits, or a field nobody reads */
    PF_F_G,                 /* granularity */
    PF_F_DID,
    PF_F_PASID,
    PF_F_ADDR,              /* address, bits 63:12 of qword 1, in place */
    PF_F_AM,                /* address mask: 2^AM pages */
    PF_F_IH,                /* invalidation hint: only leaf entries changed */
    PF_F_IF,                /* wait: raise the completion interrupt */
    PF_F_SW,                /* wait: write the status data */
    PF_F_SDATA,
    PF_F_SADDR,             /* wait: status address, bits 63:2 in place */
    PF_F_COUNT
};

/* One field of a descriptor of a known type; false if the type has no such
 * field. */
bool pf_desc_field(const uint64_t q[4], enum pf_dfield id, uint64_t *out);

/* The type of a descriptor: bits 3:0 | bits 11:9 << 4. */
unsigned pf_desc_type(uint64_t q0);
/* "context-cache", ...; "unknown" out of range. */
const char *pf_desc_type_name(unsigned type);

#endif

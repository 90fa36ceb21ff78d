/*
 * Symbolic values of the text form: names for the field values people think
 * in (granularities, PGTT, flag bits, registers, commands). They are only
 * spellings: every value still has its number, and a value without a name
 * is written as a number.
 */
#ifndef PASIDFUZZ_TEXT_SYMS_H
#define PASIDFUZZ_TEXT_SYMS_H

#include <stdbool.h>
#include <stdint.h>

struct pf_sym {
    const char *name;
    uint64_t value;
};

struct pf_sym_table {
    bool flags;                 /* names are bits, joined with '|' */
    unsigned n;
    const struct pf_sym *syms;
};

/* Input formats whose record names are their own (both op-stream dialects
 * share one). */
enum pf_text_family { PF_FAMILY_OPS, PF_FAMILY_INV_QUEUE, PF_FAMILY_PASID_TABLE };

/* Names for field `field` of record `rec` (an op, command or prelude record
 * name such as "header"), or NULL when the field is a plain number. */
const struct pf_sym_table *pf_text_syms(enum pf_text_family fam, const char *rec,
                                        const char *field);

#endif

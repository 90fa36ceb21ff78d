/*
 * What the text codec (text_print.c, text_parse.c) knows of a target's
 * input format: records of little-endian fields of fixed width, in two
 * parts.
 *  - The prelude: fixed records, always all present, in this order (the
 *    op stream's header; fuzz_pasid_table's header and table windows). An
 *    input shorter than the prelude is all tail.
 *  - The body: records until the input ends. With a code byte, each
 *    record starts with it and the byte picks the record's kind (`NAME`,
 *    or `NAME@CODE` when it is not the kind's first code); without, every
 *    record is of the one kind. A last record cut short is tail.
 * A record's line is its name, then its selector fields (which instance of
 * a repeated prelude record, e.g. `ctx page=a dev=2`; not in the bytes),
 * then FIELD=VALUE for its fields.
 */
#ifndef PASIDFUZZ_TEXT_FORMAT_H
#define PASIDFUZZ_TEXT_FORMAT_H

#include <stdbool.h>
#include <stdint.h>

#include "ops.h"
#include "text.h"
#include "vocab.h"

#define PF_TEXT_MAX_SEL 2
#define PF_TEXT_MAX_FIELDS 32       /* a bit each in a uint32_t */
#define PF_TEXT_MAX_PRELUDE 64

struct pf_text_rec {
    const char *name;
    unsigned nsel;
    const char *sel[PF_TEXT_MAX_SEL];
    uint8_t selv[PF_TEXT_MAX_SEL];  /* this instance's selector values */
    unsigned nfields;
    const struct pf_field_spec *fields;
    /* Decoding starts a new line at these fields (0-terminated list after
     * the first); NULL: one line. */
    const uint8_t *breaks;
};

struct pf_text_format {
    enum pf_input_format format;    /* for the value names (vocab.h) */
    const char *name;               /* of the format, for pasidfuzz targets --long */
    const char *noun;               /* what a body record is, for messages */
    unsigned nprelude;              /* prelude records */
    void (*prelude_rec)(unsigned idx, struct pf_text_rec *rec);
    bool coded;                     /* body records start with a code byte */
    unsigned nkinds;
    /* The body record of a kind; and, when coded, the kind of a code byte
     * and the first code byte of a kind, in a target's dialect. */
    void (*kind_rec)(unsigned kind, struct pf_text_rec *rec);
    unsigned (*kind_of)(enum pf_dialect d, uint8_t code);
    uint8_t (*code_of)(enum pf_dialect d, unsigned kind);
    /* Optional: a comment on the prelude's meaning, after it. */
    void (*explain)(struct pf_writer *out, const uint8_t *prelude, size_t size);
};

/* The format of an input format, or of a target's input; NULL when there
 * is no such format or target. */
const struct pf_text_format *pf_text_format_of(enum pf_input_format fmt);
const struct pf_text_format *pf_text_format(enum pf_target_id t);

/* Bytes of a record's fields (the code byte not included). */
size_t pf_text_rec_bytes(const struct pf_text_rec *rec);
size_t pf_text_prelude_bytes(const struct pf_text_format *f);
/* The distinct names of the prelude records, space-separated, in buf. */
const char *pf_text_prelude_names(const struct pf_text_format *f, char *buf, size_t size);

/* Output helpers of text_print.c, for the formats' comments. */
void pf_text_printf(struct pf_writer *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pf_text_number(struct pf_writer *w, uint64_t v);

#endif

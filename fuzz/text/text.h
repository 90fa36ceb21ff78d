/*
 * The text form of every target's inputs: what people read and write. One
 * record per line, named fields, '#' comments, omitted fields zero. For the
 * op-stream targets:
 *
 *   target fuzz_pasid_cache            # dialect (optional, first)
 *   header ndev=1 pasid5=1000          # header fields, raw (several lines ok)
 *   pasid-entry pasid=1 flags=p|sre pgtt=fs fspt=1
 *   pc-inv g=pasid pasid=1
 *   sync
 *   pc-inv@45 g=global                 # a code byte other than the kind's first
 *   tail 0a0b                          # bytes of a truncated last record
 *
 * fuzz_inv_queue and fuzz_pasid_table have their own records (a header,
 * fuzz_pasid_table's table windows, commands or edits; see text_formats.c)
 * under the same rules.
 *
 * Decoding never fails: every byte string has a text that encodes back to
 * the same bytes. Encoding checks everything and reports the first error
 * with its line and column.
 */
#ifndef PASIDFUZZ_TEXT_H
#define PASIDFUZZ_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "input.h"
#include "ops.h"

/* What a text is the text of: the op-stream dialects (same numbers), then
 * the raw-byte targets. The name of each is its target's. */
enum pf_text_target {
    PF_TEXT_PASID_CACHE = PF_DIALECT_PASID_CACHE,
    PF_TEXT_LIFECYCLE = PF_DIALECT_LIFECYCLE,
    PF_TEXT_INV_QUEUE = PF_DIALECT_COUNT,
    PF_TEXT_PASID_TABLE,
    PF_TEXT_TARGET_COUNT
};

const char *pf_text_target_name(enum pf_text_target t);
/* Target of a name, or -1. */
int pf_text_target_by_name(const char *name);
/* The names, for messages: "fuzz_pasid_cache, fuzz_lifecycle, ...". */
const char *pf_text_target_names(void);
/* True, with its dialect, when t reads the op stream. */
bool pf_text_target_dialect(enum pf_text_target t, enum pf_dialect *d);

struct pf_text_error {
    unsigned line, col;         /* 1-based; col 0: the whole line */
    char msg[200];
};

/* Input bytes to text, appended to out. False only when out of memory. */
bool pf_text_decode(const uint8_t *data, size_t size, enum pf_text_target t,
                    struct pf_writer *out);

/*
 * Text to input bytes, appended to out. *t is the target when the text has
 * no `target` line, and on return the one used; with `fixed`, a `target`
 * line naming another target is an error. 0 on success; -1 with *err set
 * on malformed text (err->line 0: out of memory).
 */
int pf_text_encode(const char *text, size_t len, enum pf_text_target *t, bool fixed,
                   struct pf_writer *out, struct pf_text_error *err);

/* One op as its text line, without newline, appended to out. */
void pf_text_op(struct pf_writer *out, const struct pf_op *op, enum pf_dialect d);

#endif

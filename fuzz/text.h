/*
 * The text form of op-stream inputs: what people read and write. One record
 * per line, named fields, '#' comments, omitted fields zero:
 *
 *   target fuzz_pasid_cache            # dialect (optional, first)
 *   header ndev=1 pasid5=1000          # header fields, raw (several lines ok)
 *   pasid-entry pasid=1 flags=p|sre pgtt=fs fspt=1
 *   pc-inv g=pasid pasid=1
 *   sync
 *   pc-inv@45 g=global                 # a code byte other than the kind's first
 *   tail 0a0b                          # bytes of a truncated last record
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

struct pf_text_error {
    unsigned line, col;         /* 1-based; col 0: the whole line */
    char msg[200];
};

/* Input bytes to text, appended to out. False only when out of memory. */
bool pf_text_decode(const uint8_t *data, size_t size, enum pf_dialect d, struct pf_writer *out);

/*
 * Text to input bytes, appended to out. *d is the dialect when the text has
 * no `target` line, and on return the one used; with `fixed`, a `target`
 * line naming another dialect is an error. 0 on success; -1 with *err set
 * on malformed text (err->line 0: out of memory).
 */
int pf_text_encode(const char *text, size_t len, enum pf_dialect *d, bool fixed,
                   struct pf_writer *out, struct pf_text_error *err);

/* One op as its text line, without newline, appended to out. */
void pf_text_op(struct pf_writer *out, const struct pf_op *op, enum pf_dialect d);

#endif

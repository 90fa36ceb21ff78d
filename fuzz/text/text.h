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
 * The raw-byte targets have their own records (a header, table windows,
 * commands or edits; see text_formats.c) under the same rules.
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

#include "dict.h"
#include "input.h"
#include "ops.h"
#include "targets.h"

/* A text is the text of a target of the registry (targets.h): its input
 * format gives the records, its dialect the code bytes. */

struct pf_text_error {
    unsigned line, col;         /* 1-based; col 0: the whole line */
    char msg[200];
};

/* Input bytes to text, appended to out. False only when out of memory. */
bool pf_text_decode(const uint8_t *data, size_t size, enum pf_target_id t,
                    struct pf_writer *out);

/*
 * Text to input bytes, appended to out. *t is the target when the text has
 * no `target` line, and on return the one used; with `fixed`, a `target`
 * line naming another target is an error. 0 on success; -1 with *err set
 * on malformed text (err->line 0: out of memory).
 */
int pf_text_encode(const char *text, size_t len, enum pf_target_id *t, bool fixed,
                   struct pf_writer *out, struct pf_text_error *err);

/* The name of a target's input format ("ops", ...), or NULL. */
const char *pf_text_format_name(enum pf_target_id t);

/* One op as its text line, without newline, appended to out. */
void pf_text_op(struct pf_writer *out, const struct pf_op *op, enum pf_dialect d);

/* Target t's dictionary (input/dict.h), its entries written by fn (the
 * registry's DICT column) and encoded by the text form, appended to out.
 * False (with the reason printed) when an entry does not encode. */
bool pf_text_dict(enum pf_target_id t, pf_dict_fn fn, struct pf_writer *out);

#endif

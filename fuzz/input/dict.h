/*
 * The targets' libFuzzer/AFL++ dictionaries, written at build time beside
 * each binary (NAME.dict). A target's DICT function (targets.def), next to
 * its run and input layout, gives each entry as a line of its text form,
 * with the names of vocab.h and ops.h, or as a value built from the VT-d
 * fields of vtd_spec.h; the target's own codec turns the lines into bytes,
 * so a renumbering cannot leave an entry stale.
 *
 * The codec comes in as a function (pf_text_dict in fuzz/text/text.h
 * passes the text form's), so the fuzz binaries, which link the DICT
 * functions with the runs, do not link the text codec.
 */
#ifndef PASIDFUZZ_DICT_H
#define PASIDFUZZ_DICT_H

#include <stdbool.h>
#include <stdint.h>

#include "input.h"
#include "targets.h"

struct pf_dict;

/* The registry's DICT column: writes a target's entries with the calls
 * below. */
typedef void (*pf_dict_fn)(struct pf_dict *d);

/* Encodes one text input of target t into bin; false (with the reason
 * printed) when it does not encode. */
typedef bool (*pf_dict_codec)(enum pf_target_id t, const char *text, struct pf_writer *bin);

/* A "# text" line. */
void pf_dict_comment(struct pf_dict *d, const char *text);
/* The bytes that one more record adds to an input of the target, given as
 * its text line (printf-style), whatever the input holds before it. */
void pf_dict_record(struct pf_dict *d, const char *label, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The low `bytes` bytes (at most 8) of a value, little-endian. */
void pf_dict_value(struct pf_dict *d, uint64_t v, unsigned bytes);

/* Target t's dictionary, written by fn through codec, appended to out.
 * False (with the reason printed) when an entry does not encode, or out of
 * memory. */
bool pf_dict_build(enum pf_target_id t, pf_dict_fn fn, pf_dict_codec codec,
                   struct pf_writer *out);

#endif

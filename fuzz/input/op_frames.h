/*
 * Framing of op-stream inputs (fuzz/README.md, "Input format") for tools that edit
 * them whole ops at a time: the structure-aware mutator and the AFL++
 * trimmer. A target whose input is an op stream names its format through
 * pf_target_format() (target.h); raw-bytes targets have none.
 *
 * Well framed: the whole header, then ops each with all of its fields.
 * An input whose last op is cut short is read by the targets as if the
 * missing bytes were zero.
 */
#ifndef PASIDFUZZ_OP_FRAMES_H
#define PASIDFUZZ_OP_FRAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ops.h"

/* How a target's reader turns code bytes into op kinds. Targets share the
 * header and the op table of ops.h but may map codes differently, e.g. to
 * make some ops more likely from random bytes. */
struct pf_op_format {
    const char *name;
    /* Op kind of a code byte; must be below PF_OP_COUNT. */
    enum pf_opcode (*kind_of)(uint8_t code);
};

/* The op dialects of ops.h: fuzz_pasid_cache (kind = code % PF_OP_COUNT)
 * and fuzz_lifecycle (lifecycle ops favoured). */
extern const struct pf_op_format pf_op_format_plain;
extern const struct pf_op_format pf_op_format_lifecycle;

/* A format by name, for the AFL++ library, which cannot ask the target;
 * NULL if unknown. */
const struct pf_op_format *pf_op_format_find(const char *name);

/* Number of ops of data as fmt reads it (a cut-short last op counted), and
 * whether data is well framed. */
size_t pf_op_frames(const struct pf_op_format *fmt, const uint8_t *data, size_t size,
                    bool *well_framed);

/* The trimmer of AFL++'s custom mutator API: it removes blocks of whole
 * ops, last first, at most PF_TRIM_STEPS candidates per input. begin
 * returns the number of steps (0: nothing to trim, or out of memory); each
 * step offers a candidate no longer than the input, and is told whether
 * the target behaved the same on it. result returns the steps done. */
#define PF_TRIM_STEPS 256

struct pf_trimmer;

struct pf_trimmer *pf_trimmer_new(const struct pf_op_format *fmt);
void pf_trimmer_free(struct pf_trimmer *t);
int32_t pf_trim_begin(struct pf_trimmer *t, const uint8_t *data, size_t size);
size_t pf_trim_candidate(struct pf_trimmer *t, uint8_t **out);
int32_t pf_trim_result(struct pf_trimmer *t, bool same);

#endif

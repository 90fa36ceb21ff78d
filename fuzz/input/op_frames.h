/*
 * Framing of op-stream inputs (fuzz/README.md, "Input format") for tools that edit
 * them whole ops at a time: the structure-aware mutator and the AFL++
 * trimmer. A target whose input is an op stream names its dialect through
 * pf_target_dialect() (target.h); raw-bytes targets have none.
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

/* Number of ops of data as dialect d reads it (a cut-short last op
 * counted), and whether data is well framed. */
size_t pf_op_frames(enum pf_dialect d, const uint8_t *data, size_t size, bool *well_framed);

/* The trimmer of AFL++'s custom mutator API: it removes blocks of whole
 * ops, last first, at most PF_TRIM_STEPS candidates per input. begin
 * returns the number of steps (0: nothing to trim, or out of memory); each
 * step offers a candidate no longer than the input, and is told whether
 * the target behaved the same on it. result returns the steps done. */
#define PF_TRIM_STEPS 256

struct pf_trimmer;

/* NULL when d is no dialect, or out of memory. */
struct pf_trimmer *pf_trimmer_new(enum pf_dialect d);
void pf_trimmer_free(struct pf_trimmer *t);
int32_t pf_trim_begin(struct pf_trimmer *t, const uint8_t *data, size_t size);
size_t pf_trim_candidate(struct pf_trimmer *t, uint8_t **out);
int32_t pf_trim_result(struct pf_trimmer *t, bool same);

#endif

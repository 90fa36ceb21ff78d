/*
 * Structure-aware mutation of op-stream inputs (fuzz/README.md): the
 * input is cut into its header and whole ops, edited op by op, and written
 * back well framed, so a mutation changes what the guest does rather than
 * where the reader thinks the next op starts. Engine-neutral: the libFuzzer
 * and AFL++ glue (engine/libfuzzer.c, afl_mutator.c) supply the byte-level
 * mutation of one field and the randomness seed.
 *
 * A cut-short last op (read by the targets as if the missing bytes were
 * zero) is completed with zeros, same meaning, or dropped when that would
 * not fit.
 */
#ifndef PASIDFUZZ_OP_MUTATOR_H
#define PASIDFUZZ_OP_MUTATOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "op_frames.h"

/* Mutates data[0..size) in place into at most max_size bytes and returns
 * the new size; may return size unchanged. libFuzzer's LLVMFuzzerMutate fits. */
typedef size_t (*pf_byte_mutate_fn)(void *ctx, uint8_t *data, size_t size, size_t max_size);

enum pf_mutation {
    PF_MUT_INSERT,      /* a new op with fields biased to pool indexes and small values */
    PF_MUT_DELETE,      /* one to four consecutive ops */
    PF_MUT_DUPLICATE,   /* copy an op to another position */
    PF_MUT_SWAP,        /* exchange two ops */
    PF_MUT_SPLICE,      /* insert a run of ops of another input */
    PF_MUT_FIELD,       /* one field of one op, through the byte mutator */
    PF_MUT_HEADER,      /* one header field */
    PF_MUT_KIND,        /* re-code one op as another kind, keeping its fields by position */
    PF_MUT_COUNT
};

const char *pf_mutation_name(enum pf_mutation kind);

struct pf_mutator;

/* bytes == NULL: the mutator's own bit flips, arithmetic and interesting
 * values. Returns NULL when out of memory or d is no dialect. */
struct pf_mutator *pf_mutator_new(enum pf_dialect d, pf_byte_mutate_fn bytes, void *bytes_ctx);
void pf_mutator_free(struct pf_mutator *m);

/* One mutation, chosen by seed, of data[0..size) (capacity max_size),
 * written back in place; returns the new size, always <= max_size and well
 * framed when max_size holds the header. other (may be NULL) feeds splices.
 * The same seed, input and byte mutator give the same output. */
size_t pf_mutate(struct pf_mutator *m, uint8_t *data, size_t size, size_t max_size,
                 const uint8_t *other, size_t other_size, uint64_t seed);

/* The same with the mutation kind forced. Returns the new size, or
 * (size_t)-1 when the kind cannot apply (no op to delete, no room, no
 * other input to splice from); data is then still normalised in place. */
size_t pf_mutate_as(struct pf_mutator *m, enum pf_mutation kind, uint8_t *data, size_t size,
                    size_t max_size, const uint8_t *other, size_t other_size, uint64_t seed);

/* Crossover into out[0..max_out): a run of a's ops, a run of b's ops (at
 * least one if b has any) and the rest of a's, under a's header or, one
 * time in four, b's. */
size_t pf_crossover(struct pf_mutator *m, const uint8_t *a, size_t a_size, const uint8_t *b,
                    size_t b_size, uint8_t *out, size_t max_out, uint64_t seed);

#endif

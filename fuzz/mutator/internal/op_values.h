/*
 * Values for op and header fields, for the op mutator: a small seeded
 * generator, fresh values biased to what the guest driver makes meaningful,
 * and changes of an existing value. Fields are little-endian, 1..8 bytes.
 */
#ifndef PASIDFUZZ_OP_VALUES_H
#define PASIDFUZZ_OP_VALUES_H

#include <stddef.h>
#include <stdint.h>

#include "op_mutator.h"

/* splitmix64: any state, including 0, is a good seed. */
uint64_t pf_rng_next(uint64_t *state);
/* Uniform enough below n; 0 when n is 0. */
size_t pf_rng_below(uint64_t *state, size_t n);

uint64_t pf_field_mask(unsigned width);
uint64_t pf_field_get(const uint8_t *p, unsigned width);
void pf_field_put(uint8_t *p, uint64_t v, unsigned width);

/* A fresh value for a field of this width. */
uint64_t pf_value_pick(uint64_t *rng, unsigned width);
/* A value different from old: bytes' (when not NULL) or our own flips,
 * arithmetic and interesting values. */
uint64_t pf_value_mutate(uint64_t *rng, pf_byte_mutate_fn bytes, void *bytes_ctx, uint64_t old,
                         unsigned width);

#endif

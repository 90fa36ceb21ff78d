/*
 * Seed scenarios of the raw-byte targets. Each
 * scenario writes one input with the target's writer twins; `pasidfuzz seed`
 * writes them all through raw_seeds_build.
 */
#ifndef PASIDFUZZ_SEEDS_RAW_H
#define PASIDFUZZ_SEEDS_RAW_H

#include <stddef.h>

#include "input.h"

struct raw_scenario {
    const char *name;
    void (*fn)(struct pf_writer *w);
};

/* The scenarios of each target and their count. */
const struct raw_scenario *seeds_inv_queue(size_t *n);
const struct raw_scenario *seeds_pasid_table(size_t *n);

/* Decode an input with the target's reader and encode it again with the
 * writer twin: a seed must come back byte for byte. */
void reencode_inv_queue(const uint8_t *data, size_t size, struct pf_writer *w);
void reencode_pasid_table(const uint8_t *data, size_t size, struct pf_writer *w);

/* The raw-byte targets with seeds, by index. */
size_t raw_seed_target_count(void);
const char *raw_seed_target_name(size_t t);
/* Seed i of target t into w, checked to round-trip through the reader and
 * writer twin. 0 with *name set, 1 past the last seed, -1 on an error
 * (printed). */
int raw_seeds_build(size_t t, size_t i, struct pf_writer *w, const char **name);

#endif

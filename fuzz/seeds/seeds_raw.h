/*
 * Seed scenarios of the raw-byte targets. Each
 * scenario writes one input with the target's writer twins; `pasidfuzz seed`
 * writes them all through raw_seeds_build.
 */
#ifndef PASIDFUZZ_SEEDS_RAW_H
#define PASIDFUZZ_SEEDS_RAW_H

#include <stdbool.h>
#include <stddef.h>

#include "input.h"
#include "targets.h"

struct raw_scenario {
    const char *name;
    void (*fn)(struct pf_writer *w);
};

/* The registry's SEEDS column (targets.def): a target's scenarios, and
 * its reader and writer twin (decode an input with the reader, encode it
 * again with the writer: a seed must come back byte for byte). */
struct raw_seeds {
    const struct raw_scenario *(*list)(size_t *n);  /* NULL: no C scenarios */
    void (*reencode)(const uint8_t *data, size_t size, struct pf_writer *w);
};

#define PF_TARGET(id, name, dialect, format, max_len, run, init, seeds, ...)    \
    extern const struct raw_seeds seeds;
#include "targets.def"
#undef PF_TARGET

/* Whether t has C scenarios. */
bool raw_seeds_has(enum pf_target_id t);
/* Seed i of target t into w, checked to round-trip through the reader and
 * writer twin. 0 with *name set, 1 past the last seed (or for a target
 * without C scenarios), -1 on an error (printed). */
int raw_seeds_build(enum pf_target_id t, size_t i, struct pf_writer *w, const char **name);

#endif

/*
 * Field values for the op mutator. Runs between inputs, so it is built
 * without coverage tracing (see fuzz/CMakeLists.txt).
 */
#include "op_values.h"

#include <string.h>

uint64_t pf_rng_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

size_t pf_rng_below(uint64_t *state, size_t n)
{
    return n ? (size_t)(pf_rng_next(state) % n) : 0;
}

uint64_t pf_field_mask(unsigned width)
{
    return width >= 8 ? ~0ull : (1ull << (8 * width)) - 1;
}

uint64_t pf_field_get(const uint8_t *p, unsigned width)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < width; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

void pf_field_put(uint8_t *p, uint64_t v, unsigned width)
{
    for (unsigned i = 0; i < width; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* Fields are mostly pool indexes, device indexes, small enums and flag sets
 * (guest_ops.c reduces them modulo small numbers), so small values are
 * what make ops meet on the same objects; wide fields still get extremes. */
uint64_t pf_value_pick(uint64_t *rng, unsigned width)
{
    uint64_t mask = pf_field_mask(width);
    switch (pf_rng_below(rng, 8)) {
    case 0: case 1: case 2: case 3:
        return pf_rng_below(rng, 8);
    case 4:
        return pf_rng_below(rng, 64) & mask;
    case 5: {
        const uint64_t top = 1ull << (8 * width - 1);
        const uint64_t v[] = {0, 1, mask, mask >> 1, top, 0x80, 0xff, 0x1000};
        return v[pf_rng_below(rng, sizeof v / sizeof v[0])] & mask;
    }
    default:
        return pf_rng_next(rng) & mask;
    }
}

static uint64_t pf_value_own_mutation(uint64_t *rng, uint64_t old, unsigned width)
{
    switch (pf_rng_below(rng, 5)) {
    case 0:
        return old ^ (1ull << pf_rng_below(rng, 8 * width));
    case 1:
        return old + 1 + pf_rng_below(rng, 16);
    case 2:
        return old - 1 - pf_rng_below(rng, 16);
    case 3:
        return pf_value_pick(rng, width);
    default: {
        unsigned sh = 8 * (unsigned)pf_rng_below(rng, width);
        return (old & ~(0xffull << sh)) | (pf_rng_next(rng) & 0xff) << sh;
    }
    }
}

uint64_t pf_value_mutate(uint64_t *rng, pf_byte_mutate_fn bytes, void *bytes_ctx, uint64_t old,
                         unsigned width)
{
    uint64_t mask = pf_field_mask(width), v;
    if (bytes) {
        uint8_t buf[8];
        pf_field_put(buf, old, width);
        size_t n = bytes(bytes_ctx, buf, width, width);
        if (n < width)
            memset(buf + n, 0, width - n);
        v = pf_field_get(buf, width);
    } else {
        v = pf_value_own_mutation(rng, old, width);
    }
    v &= mask;
    /* A mutation that changes nothing wastes an execution. */
    return v != (old & mask) ? v : (old ^ (1ull << pf_rng_below(rng, 8 * width))) & mask;
}

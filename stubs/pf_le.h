/*
 * Little-endian loads and stores for the stubs and the harness (the model
 * has its own in model/vtd_internal.h, so the two sides share no code).
 * Whole-word memcpy, swapped only on a big-endian host: assembling bytes in
 * a loop costs a traced compare per byte under fuzzer coverage.
 */
#ifndef PASIDFUZZ_PF_LE_H
#define PASIDFUZZ_PF_LE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define PF_LE_SWAP64(v) __builtin_bswap64(v)
#define PF_LE_SWAP32(v) __builtin_bswap32(v)
#define PF_LE_SWAP16(v) __builtin_bswap16(v)
#else
#define PF_LE_SWAP64(v) (v)
#define PF_LE_SWAP32(v) (v)
#define PF_LE_SWAP16(v) (v)
#endif

static inline uint64_t pf_le64_load(const void *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return PF_LE_SWAP64(v);
}

static inline uint32_t pf_le32_load(const void *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return PF_LE_SWAP32(v);
}

static inline void pf_le64_store(void *p, uint64_t v)
{
    v = PF_LE_SWAP64(v);
    memcpy(p, &v, sizeof v);
}

/* In place: n qwords just read from little-endian memory, to host order. */
static inline void pf_le64_to_cpu_n(uint64_t *q, size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    for (size_t i = 0; i < n; i++)
        q[i] = __builtin_bswap64(q[i]);
#else
    (void)q;
    (void)n;
#endif
}

#endif

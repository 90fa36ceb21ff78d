/*
 * bench_decode_only: the speed limit for fuzz_pasid_cache. It reads the same
 * inputs the same way (header, then ops through fuzz/input/ops.h until the input
 * ends) and does nothing else: no guest memory, no model, no backend, no
 * oracle. ci/measure/bench.sh runs it beside the real target so the real
 * target's exec/s can be read as a fraction of what the engine and the
 * decoder alone allow. Built for the libfuzzer preset only, and deliberately not named
 * fuzz_*, so fuzz campaigns never pick it up.
 */
#include "op_frames.h"
#include "ops.h"
#include "target.h"

int pf_target_init(void)
{
    return 0;
}

/* Folds every decoded value into the digest, so the decode cannot be
 * optimised away and equal inputs give equal digests, as target.h asks. */
static uint64_t pf_bench_mix(uint64_t h, uint64_t v)
{
    return (h ^ v) * 0x100000001b3ull;
}

uint64_t pf_target_run(const uint8_t *data, size_t size)
{
    struct pf_reader r;
    struct pf_header h;
    uint64_t digest = 0xcbf29ce484222325ull;
    pf_reader_init(&r, data, size);
    pf_header_read(&r, &h);
    for (unsigned i = 0; i < PF_HEADER_FIELDS; i++)
        digest = pf_bench_mix(digest, h.f[i]);
    while (!pf_reader_done(&r)) {
        struct pf_op op;
        pf_op_read(&r, &op);
        digest = pf_bench_mix(digest, op.code);
        for (unsigned i = 0; i < PF_OP_MAX_FIELDS; i++)
            digest = pf_bench_mix(digest, op.f[i]);
    }
    return digest;
}

void pf_target_set_trace(FILE *out)
{
    (void)out;
}

/* Mutated like fuzz_pasid_cache, so the two see the same kind of inputs. */
enum pf_dialect pf_target_dialect(void)
{
    return PF_DIALECT_PASID_CACHE;
}

const char *pf_target_name(void)
{
    return "bench_decode_only";
}

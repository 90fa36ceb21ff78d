/*
 * libFuzzer glue: LLVMFuzzerInitialize / LLVMFuzzerTestOneInput, and for
 * op-stream targets the structure-aware LLVMFuzzerCustomMutator /
 * LLVMFuzzerCustomCrossOver. Under OSS-Fuzz the same file is linked with
 * AFL++'s libAFLDriver through $LIB_FUZZING_ENGINE.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "op_frames.h"
#include "op_mutator.h"
#include "iotlb_check.h"
#include "target.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);
size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2,
                                 size_t size2, uint8_t *out, size_t max_out_size,
                                 unsigned int seed);

/* Share of mutations done whole ops at a time, in percent; the rest go to
 * libFuzzer's own byte mutations, which also shift op boundaries and use
 * its compare tables. PF_MUTATOR=off|on|0..100 sets it, so a campaign can
 * measure what the structural mutator is worth. */
#define PF_MUTATOR_DEFAULT_PCT 50
static unsigned pf_struct_pct;
static struct pf_mutator *pf_mutator;

static size_t pf_libfuzzer_bytes(void *ctx, uint8_t *data, size_t size, size_t max_size)
{
    (void)ctx;
    return LLVMFuzzerMutate(data, size, max_size);
}

static int pf_parse_pct(const char *s, unsigned *pct)
{
    char *end;
    if (!s || !*s) {
        *pct = PF_MUTATOR_DEFAULT_PCT;
        return 0;
    }
    if (strcmp(s, "off") == 0 || strcmp(s, "on") == 0) {
        *pct = s[1] == 'n' ? 100 : 0;
        return 0;
    }
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end || v > 100 || s[0] == '-')
        return -1;
    *pct = (unsigned)v;
    return 0;
}

static void pf_mutator_setup(void)
{
    enum pf_dialect d = pf_target_dialect();
    const char *env = getenv("PF_MUTATOR");
    if (pf_parse_pct(env, &pf_struct_pct) != 0) {
        fprintf(stderr, "pasidfuzz: PF_MUTATOR=%s: want off, on or a percentage 0..100\n", env);
        exit(2);
    }
    if (d == PF_DIALECT_NONE)
        pf_struct_pct = 0;
    if (pf_struct_pct > 0) {
        pf_mutator = pf_mutator_new(d, pf_libfuzzer_bytes, NULL);
        if (!pf_mutator) {
            fprintf(stderr, "pasidfuzz: cannot set up the op mutator for %s\n", pf_target_name());
            abort();
        }
    }
    fprintf(stderr, "pasidfuzz: structure-aware mutation %u%% (%s)\n", pf_struct_pct,
            d != PF_DIALECT_NONE ? pf_target_name() : "raw-bytes target");
}

/*
 * PF_TARGET_CLOCK=1: sum the time spent in the target over all inputs and
 * print it at exit, so ci/measure/bench.sh can split a fuzzing run's time
 * per input between the target and the engine (mutation, feature
 * collection, corpus upkeep). Off by default; on, it costs two clock reads
 * per input.
 */
static bool pf_clock_on;
static uint64_t pf_clock_ns, pf_clock_inputs;

/* 0 if the clock cannot be read: the sum is then short, never garbage. */
static uint64_t pf_now_ns(void)
{
    struct timespec t;
    if (clock_gettime(CLOCK_MONOTONIC, &t) != 0)
        return 0;
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static void pf_clock_report(void)
{
    fprintf(stderr, "pf_target_clock: inputs %llu ns %llu\n", (unsigned long long)pf_clock_inputs,
            (unsigned long long)pf_clock_ns);
}

static void pf_clock_setup(void)
{
    const char *env = getenv("PF_TARGET_CLOCK");
    pf_clock_on = env && *env && strcmp(env, "0") != 0;
    if (pf_clock_on && atexit(pf_clock_report) != 0) {
        fprintf(stderr, "pasidfuzz: cannot register the PF_TARGET_CLOCK report\n");
        exit(2);
    }
}

/* The host flushes beyond what the guest asked for, summed over every
 * input this process ran (stubs/README.md, "The host IOTLB check"): a
 * correct but slow vIOMMU shows here. ci/fuzz.sh sums the workers' lines. */
static void pf_over_report(void)
{
    fprintf(stderr, "pasidfuzz: over-invalidation %llu\n",
            (unsigned long long)pf_iotlb_over_total());
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (pf_target_init() != 0) {
        fprintf(stderr, "pasidfuzz: target init failed\n");
        abort();
    }
    pf_mutator_setup();
    pf_clock_setup();
    if (atexit(pf_over_report) != 0) {
        fprintf(stderr, "pasidfuzz: cannot register the over-invalidation report\n");
        exit(2);
    }
    return 0;
}

/* Decorrelates the structural-or-bytes choice from the mutator's own use
 * of the seed. */
static bool pf_pick_structural(unsigned int seed)
{
    return pf_mutator && ((uint64_t)seed * 0x9e3779b97f4a7c15ull >> 32) % 100 < pf_struct_pct;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
    if (pf_pick_structural(seed))
        return pf_mutate(pf_mutator, data, size, max_size, NULL, 0, seed);
    return LLVMFuzzerMutate(data, size, max_size);
}

/* 0 tells libFuzzer to pick another mutation, so with the op mutator off
 * the mix is the custom mutator's LLVMFuzzerMutate, which has its own
 * byte-level crossover. */
size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2,
                                 size_t size2, uint8_t *out, size_t max_out_size,
                                 unsigned int seed)
{
    if (!pf_pick_structural(seed))
        return 0;
    return pf_crossover(pf_mutator, data1, size1, data2, size2, out, max_out_size, seed);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!pf_clock_on) {
        (void)pf_target_run(data, size);
        return 0;
    }
    uint64_t t0 = pf_now_ns();
    (void)pf_target_run(data, size);
    uint64_t t1 = pf_now_ns();
    if (t0 && t1 >= t0)
        pf_clock_ns += t1 - t0;
    pf_clock_inputs++;
    return 0;
}

/*
 * What every fuzz target provides. A target knows its input format and the
 * code under test; it never knows which engine drives it. The glue files
 * of fuzz/engine/ are the only ones that do.
 */
#ifndef PASIDFUZZ_TARGET_H
#define PASIDFUZZ_TARGET_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Once per process. Non-zero: the target cannot run (out of memory). */
int pf_target_init(void);
/* One input. Returns a digest of the outcome: two runs of the same input
 * must return the same digest. Invariant violations abort. */
uint64_t pf_target_run(const uint8_t *data, size_t size);
/* Trace every step of the following runs to out (NULL: quiet). */
void pf_target_set_trace(FILE *out);
/* The input's op-stream format (op_frames.h), so engines can mutate whole
 * ops; NULL when the input is raw bytes. */
struct pf_op_format;
const struct pf_op_format *pf_target_format(void);

/*
 * A fuzz_<what>.c file only describes its target; target_world.c turns the
 * description into the functions above, with one guest world per process
 * that every input reuses. (Helpers that are not fuzz targets, such as
 * bench_decode_only, define the functions themselves.)
 */
struct pf_world;

struct pf_target_spec {
    /* Once, before the world is built; NULL if nothing to check. */
    int (*init)(void);
    /* One input over the world (see pf_target_run). */
    uint64_t (*run)(struct pf_world *w, const uint8_t *data, size_t size);
    const struct pf_op_format *format;
};

extern const struct pf_target_spec pf_target;

#endif

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

#include "targets.h"

/* Once per process. Non-zero: the target cannot run (out of memory). */
int pf_target_init(void);
/* One input. Returns a digest of the outcome: two runs of the same input
 * must return the same digest. Invariant violations abort. */
uint64_t pf_target_run(const uint8_t *data, size_t size);
/* Trace every step of the following runs to out (NULL: quiet). */
void pf_target_set_trace(FILE *out);
/* The input's op-stream dialect (ops.h), so engines can mutate whole ops;
 * PF_DIALECT_NONE when the input is raw bytes. */
enum pf_dialect pf_target_dialect(void);
/* The target's name, for messages and --input-format. */
const char *pf_target_name(void);
/* Host IOTLB flushes beyond what the guest asked for, summed over every
 * input this process ran (stubs/README.md, "The host IOTLB check"). */
uint64_t pf_target_over_invalidations(void);

/*
 * Every fuzz binary is target_world.c compiled for one row of the registry
 * (fuzz/input/targets.def, -DPF_TARGET_ID=PF_TARGET_<ID>): it turns the row
 * into the functions above, with one guest world per process that every
 * input reuses. (Helpers that are not fuzz targets, such as
 * bench_decode_only, define the functions themselves.)
 */

#endif

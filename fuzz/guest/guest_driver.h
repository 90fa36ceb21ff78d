/*
 * The guest driver: it plays the guest OS of fuzz/README.md, "Input format". It owns
 * where the root table, context tables, PASID directories and tables and the
 * invalidation queue live in guest memory, turns each op into guest-memory
 * writes, MMIO writes and plug/unplug/reset calls, keeps the stub backend's
 * view of the guest current, feeds the oracle its events, and runs every
 * check after every op.
 */
#ifndef PASIDFUZZ_GUEST_DRIVER_H
#define PASIDFUZZ_GUEST_DRIVER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ops.h"

struct pf_world;

/* NULL on out-of-memory. Build once, run many inputs. */
struct pf_world *pf_world_new(void);
void pf_world_free(struct pf_world *w);

/* One line per op, MMIO access, oracle event and check (NULL: quiet). The
 * backend's own trace goes to the same stream. */
void pf_world_set_trace(struct pf_world *w, FILE *out);

/* Upper bound on ops run per input, so every input finishes quickly. */
#define PF_MAX_OPS 2048

/*
 * One input from scratch in steps: header and boot, each op, teardown;
 * every invariant is checked after every op (a violation aborts).
 * pf_world_end returns a digest of the end state, equal across runs of the
 * same input. op_stream.h runs a whole op-stream input this way.
 */
void pf_world_begin(struct pf_world *w, const struct pf_header *h);
void pf_world_op(struct pf_world *w, const struct pf_op *op);
uint64_t pf_world_end(struct pf_world *w);

#endif

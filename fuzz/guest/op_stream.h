/*
 * Running an op-stream input in a given dialect (header, then ops, with the
 * dialect's code-to-kind mapping), shared by the op-stream targets and the
 * pasidfuzz tool.
 */
#ifndef PASIDFUZZ_OP_STREAM_H
#define PASIDFUZZ_OP_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "guest_driver.h"
#include "ops.h"

/* Called before each op runs, with the op as read (raw code byte). */
typedef void (*pf_op_hook)(void *ctx, const struct pf_op *op, enum pf_dialect d);

/* One input from scratch, as pf_world_begin, pf_world_op for each op,
 * pf_world_end (guest_driver.h); hook may be NULL. */
uint64_t pf_op_stream_run(struct pf_world *w, const uint8_t *data, size_t size,
                          enum pf_dialect d, pf_op_hook hook, void *ctx);

#endif

/*
 * fuzz_inv_queue: raw bytes become invalidation-queue content and queue
 * register writes over a fixed, valid table setup. The input layout and the
 * run are in inv_queue_run.c.
 */
#include "raw_targets.h"
#include "target.h"

const struct pf_target_spec pf_target = {
    .run = pf_inv_queue_run,
};

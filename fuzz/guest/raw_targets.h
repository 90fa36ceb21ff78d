/*
 * The runs of the raw-byte targets, fuzz_inv_queue and fuzz_pasid_table
 * (input layouts in inv_queue_run.c and pasid_table_run.c). They live in
 * the harness library rather than in the targets' files so that pasidfuzz
 * run can replay those inputs as well; the fuzz_*.c files only give them a
 * world of their own.
 */
#ifndef PASIDFUZZ_RAW_TARGETS_H
#define PASIDFUZZ_RAW_TARGETS_H

#include <stddef.h>
#include <stdint.h>

#include "raw_guest.h"

/* One input over w; returns the outcome's digest (see target.h). */
uint64_t pf_inv_queue_run(struct pf_world *w, const uint8_t *data, size_t size);

/* Non-zero when the page pool does not fit the guest driver's memory map:
 * then fuzz_pasid_table cannot run. */
int pf_pasid_table_init(void);
uint64_t pf_pasid_table_run(struct pf_world *w, const uint8_t *data, size_t size);

#endif

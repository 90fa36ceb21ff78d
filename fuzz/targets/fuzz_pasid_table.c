/*
 * fuzz_pasid_table: raw bytes become the root, context, PASID-directory and
 * PASID-table memory of three fixed devices, under a fixed sequence of
 * syncs, SRTP and TE toggles. The input layout and the run are in
 * pasid_table_run.c.
 */
#include "raw_targets.h"
#include "target.h"

const struct pf_target_spec pf_target = {
    .init = pf_pasid_table_init,
    .run = pf_pasid_table_run,
};

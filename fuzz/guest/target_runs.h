/*
 * The registry's RUN and INIT columns (targets.def): how the guest driver
 * runs each target's input, for the fuzz binaries (fuzz/targets/) and
 * pasidfuzz run alike.
 */
#ifndef PASIDFUZZ_TARGET_RUNS_H
#define PASIDFUZZ_TARGET_RUNS_H

#include <stddef.h>
#include <stdint.h>

#include "guest_driver.h"
#include "targets.h"

struct pf_target_runner {
    /* One input over w; returns the outcome's digest (see target.h). */
    uint64_t (*run)(struct pf_world *w, const uint8_t *data, size_t size);
    /* Once per process; non-zero: the target cannot run. */
    int (*init)(void);
};

/* The runner of t, or NULL when t is no target. */
const struct pf_target_runner *pf_target_runner(enum pf_target_id t);

/* Every row's RUN and INIT (the op-stream runs are pf_op_stream_run in
 * their dialect, in target_runs.c; the raw targets' runs have a file each,
 * with their input layout). */
#define PF_TARGET(id, name, dialect, format, run, init, ...)                    \
    uint64_t run(struct pf_world *w, const uint8_t *data, size_t size);         \
    int init(void);
#include "targets.def"
#undef PF_TARGET

#endif

/*
 * The registry's RUN, INIT and DICT columns (targets.def): how the guest
 * driver runs each target's input, for the fuzz binaries (fuzz/targets/)
 * and pasidfuzz run alike, and the target's dictionary entries.
 */
#ifndef PASIDFUZZ_TARGET_RUNS_H
#define PASIDFUZZ_TARGET_RUNS_H

#include <stddef.h>
#include <stdint.h>

#include "dict.h"
#include "guest_driver.h"
#include "targets.h"

struct pf_target_runner {
    /* One input over w; returns the outcome's digest (see target.h). */
    uint64_t (*run)(struct pf_world *w, const uint8_t *data, size_t size);
    /* Once per process; non-zero: the target cannot run. */
    int (*init)(void);
    /* Its dictionary's entries (dict.h). */
    pf_dict_fn dict;
};

/* The runner of t, or NULL when t is no target. */
const struct pf_target_runner *pf_target_runner(enum pf_target_id t);

/* Every row's RUN, INIT and DICT (the op-stream rows' in target_runs.c;
 * a raw target's in its own file, fuzz/guest/<what>_run.c, with its input
 * layout). */
#define PF_TARGET(id, name, dialect, format, max_len, run, init, seeds, dict)  \
    uint64_t run(struct pf_world *w, const uint8_t *data, size_t size);         \
    int init(void);                                                             \
    void dict(struct pf_dict *d);
#include "targets.def"
#undef PF_TARGET

#endif

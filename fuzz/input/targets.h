/*
 * The target registry (targets.def) as the input layer sees it: each
 * target's name, op-stream dialect, input format and longest input. The guest driver, the
 * seed writer and the dictionaries read the other columns of the same rows.
 */
#ifndef PASIDFUZZ_TARGETS_H
#define PASIDFUZZ_TARGETS_H

#include <stddef.h>

#include "ops.h"
#include "vocab.h"

enum pf_target_id {
#define PF_TARGET(id, ...) PF_TARGET_##id,
#include "targets.def"
#undef PF_TARGET
    PF_TARGET_COUNT
};

struct pf_target_info {
    const char *name;
    enum pf_dialect dialect;        /* PF_DIALECT_NONE: raw bytes */
    enum pf_input_format format;
    unsigned max_len;               /* bytes: libFuzzer's -max_len */
};

/* The row of t, or NULL when t is no target. */
const struct pf_target_info *pf_target_info(enum pf_target_id t);
/* The target of a name, or -1. */
int pf_target_by_name(const char *name);
/* The names, for messages: "fuzz_a, fuzz_b or fuzz_c". */
const char *pf_target_names(void);


#endif

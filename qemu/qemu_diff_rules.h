/*
 * Where the model and QEMU may differ without a finding: the behaviours
 * that model/BEHAVIOUR.md ("Where QEMU 7.2 differs") names as left open by
 * the spec or as a QEMU bug already filed, each matched exactly. Nothing
 * else is ever masked.
 */
#ifndef PASIDFUZZ_QEMU_DIFF_RULES_H
#define PASIDFUZZ_QEMU_DIFF_RULES_H

#include <stdint.h>

/* What a rule may look at besides the two values. */
struct qd_ctx {
    uint64_t iqa_latched;       /* IQA as it was when QI was last enabled */
};

/* The rule that explains model != qemu for a read of the register at off
 * (size bytes), or NULL: a divergence. */
const char *qd_explained(const struct qd_ctx *c, uint64_t off, unsigned size, uint64_t model,
                         uint64_t qemu);
/* "IQH", "GSTS", ... or NULL for an offset without a name. */
const char *qd_reg_name(uint64_t off);

/* QEMU's reports of a guest programming error that the spec answers in
 * registers (an invalid descriptor or queue tail: IQE), which the
 * comparison judges; NULL for any other stderr line, which is a finding. */
const char *qd_guest_error_report(const char *line);

#endif

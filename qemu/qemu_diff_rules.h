/*
 * Where the model and QEMU may differ without a finding: the behaviours
 * that model/BEHAVIOUR.md ("Where QEMU 7.2 differs") names as left open by
 * the spec or as a QEMU bug already filed, each matched exactly. Nothing
 * else is ever masked.
 */
#ifndef PASIDFUZZ_QEMU_DIFF_RULES_H
#define PASIDFUZZ_QEMU_DIFF_RULES_H

#include <stddef.h>
#include <stdint.h>

/* What a rule may look at besides the two values. */
struct qd_ctx {
    uint64_t iqa_latched;       /* IQA as it was when QI was last enabled */
    uint64_t cap, ecap;         /* what QEMU reports */
};

/* The rule that explains model != qemu for a read of the register at off
 * (size bytes), or NULL: a divergence. */
const char *qd_explained(const struct qd_ctx *c, uint64_t off, unsigned size, uint64_t model,
                         uint64_t qemu);
/*
 * Steps whose outcome the spec leaves open, or that a known QEMU bug turns
 * into a crash (model/BEHAVIOUR.md, "Where QEMU 7.2 differs"): in
 * differential mode the input stops reaching QEMU right before such a
 * step, since from there the two may rightly differ in every register.
 */
enum qd_stop {
    QD_STOP_NONE,
    QD_STOP_WAIT_IF_SW,         /* a wait with IF and SW: QEMU 7.2 aborts */
    QD_STOP_UNREPORTED_TYPE,    /* type 8 without ECAP.DT, 9 without ECAP.PRS */
    QD_STOP_AM_OVER_MAMV,       /* page-selective PASID-IOTLB, AM > CAP.MAMV */
    QD_STOP_QIE_WITH_TAIL,      /* QI enabled while IQT is not 0 */
    QD_STOP_ODD_ACCESS,         /* a register access not an aligned dword or qword */
    QD_STOP_N
};
const char *qd_stop_name(enum qd_stop s);
/* A descriptor (its first two quadwords) about to be submitted. */
enum qd_stop qd_stop_descriptor(const struct qd_ctx *c, uint64_t q0, uint64_t q1);
/* A register access of size bytes at off. */
enum qd_stop qd_stop_access(uint64_t off, unsigned size);
/* A GCMD write of cmd while GSTS is gsts and IQT is iqt. */
enum qd_stop qd_stop_gcmd(uint32_t cmd, uint32_t gsts, uint64_t iqt);

/* "IQH", "GSTS", ... or NULL for an offset without a name. */
const char *qd_reg_name(uint64_t off);

/*
 * A line QEMU printed on stderr as the message it is: the program name
 * ("qemu-system-x86_64: ") dropped, every number that stands as a word
 * masked: 0x<hex> as 0xN, a decimal or a hex value right after '=' as N
 * (QEMU prints name=%x without 0x); trailing blanks cut.
 * Two lines are the same message when these agree (qemu/README.md, "QEMU's
 * messages"). Writes at most n bytes with the NUL; returns the length.
 */
size_t qd_message(const char *line, char *out, size_t n);

#endif

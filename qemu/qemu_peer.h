/*
 * QEMU as the guest driver's peer (fuzz/peer.h): every guest-memory write,
 * MMIO access and reset of an input reaches QEMU too. In differential mode
 * each register read, the queue and status registers after each MMIO write
 * and each DMA write of the model are compared with QEMU's; in target mode
 * only QEMU's death, hang or error output counts.
 */
#ifndef PASIDFUZZ_QEMU_PEER_H
#define PASIDFUZZ_QEMU_PEER_H

#include <stdbool.h>
#include <stdint.h>

#include "peer.h"
#include "qemu_diff_rules.h"
#include "qemu_vtd.h"

struct qp;

struct qp *qp_new(struct qv *v, struct pf_world *w, bool compare);
void qp_free(struct qp *p);
const struct pf_peer_ops *qp_ops(void);
/* The input has ended: every reply owed is taken and judged (call after
 * each input; a finding found then belongs to it). */
void qp_end(struct qp *p);

#define QP_MAX_MESSAGES 64
#define QP_REG_SLOTS (QV_MMIO_SIZE / 4)

/* A message QEMU printed (qd_message), how often, and in which child. */
struct qp_message {
    char text[200];
    uint64_t count;
    unsigned child;             /* qt_starts() when last printed */
};

struct qp_stats {
    uint64_t inputs, mmio, mem_writes, compares, masked;
    uint64_t cut_short;         /* inputs stopped before a step of qd_stop */
    uint64_t stops[QD_STOP_N];  /* ... by rule */
    /* What reached QEMU: 4-byte register slots read and written, and the
     * descriptors submitted to its queue by type (VTD_DESC_TYPE). */
    uint64_t reg_read[QP_REG_SLOTS / 64], reg_written[QP_REG_SLOTS / 64];
    uint64_t desc[128];
    struct qp_message msg[QP_MAX_MESSAGES];
    unsigned nmsg;
    uint64_t msg_untracked;     /* lines of messages past QP_MAX_MESSAGES */
};
/* The stats so far (a large struct: out is filled in place). */
void qp_stats(const struct qp *p, struct qp_stats *out);

#endif

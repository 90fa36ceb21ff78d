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
#include "qemu_vtd.h"

struct qp;

struct qp *qp_new(struct qv *v, struct pf_world *w, bool compare);
void qp_free(struct qp *p);
const struct pf_peer_ops *qp_ops(void);

struct qp_stats {
    uint64_t inputs, mmio, mem_writes, compares, masked;
    uint64_t guest_errors;      /* QEMU's reports of guest errors (qd_guest_error_report) */
    uint64_t cut_short;         /* inputs stopped before a known QEMU crash */
};
void qp_stats(const struct qp *p, struct qp_stats *out);

#endif

/*
 * The iq-state invariant, checked around every write of IQT: the queue
 * registers must tell a consistent story, judged from guest memory and the
 * specification, not from the model's internals.
 */
#ifndef PASIDFUZZ_IQ_CHECK_H
#define PASIDFUZZ_IQ_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "guest_mem.h"

struct iq_regs {
    uint64_t iqa;           /* as latched when QIE was set */
    uint64_t iqh;
    uint64_t iqt;
    bool qies;              /* GSTS.QIES */
    bool iqe;               /* FSTS.IQE */
    /* after only: a DMA write during the batch landed inside the ring. The
     * caller sees every write the IOMMU makes; after the fact the check
     * cannot tell, because the write may have replaced the very status
     * address it would look at. */
    bool ring_written;
};

/* What a batch did, as the specification predicts it, for the register
 * predictor (reg_predict.h): known unless the batch went unjudged (its waits
 * wrote into the ring). */
struct iq_outcome {
    bool known;
    uint64_t head;          /* IQH after the batch */
    bool iqe;               /* FSTS.IQE after it */
    bool iwc;               /* a wait descriptor with IF took effect */
};

/*
 * before: registers just before the IQT write; after: just after; out gets
 * the outcome. Violations:
 *  - head moved while QI was off or IQE was already set;
 *  - head moved backwards or past the tail (not on the path head -> tail);
 *  - IQE clear but head != tail with QI on;
 *  - a consumed descriptor of an unknown type, or a 256-bit-only type in a
 *    128-bit queue (head moved past a bad descriptor);
 *  - a consumed wait descriptor with SW whose status data is not in memory;
 *  - a batch that stops (head, IQE) elsewhere than the decoder predicts; a
 *    wait's status write is predicted to land when memory would take it.
 */
void iq_check_after_tail(const struct guest_mem *mem, const struct iq_regs *before,
                         const struct iq_regs *after, struct iq_outcome *out);

/*
 * A DMA write by the IOMMU, before it lands. The only one the model may make
 * is a wait's status write (model/BEHAVIOUR.md: no fault recording, no page
 * requests): during an IQT write (in_batch), with the head (now->iqh) on a
 * valid wait with SW, exactly its 4 bytes of status data at its status
 * address. Anything else is iq-state.
 */
void iq_check_dma_write(const struct guest_mem *mem, const struct iq_regs *now, bool in_batch,
                        uint64_t addr, const void *buf, size_t len);

#endif

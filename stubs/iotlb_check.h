/*
 * The iotlb-stale invariant: what the host must have flushed by the next
 * completed wait. stubs/README.md, "The host IOTLB check", says which
 * descriptors oblige the host to drop first-stage translations and why;
 * the obligations come from the descriptor's own fields (stubs/
 * desc_decode.h) and the oracle's expectations, the flushes from the stub
 * backend's log of invalidate_cache calls. Flushing more than asked is
 * allowed and counted.
 */
#ifndef PASIDFUZZ_IOTLB_CHECK_H
#define PASIDFUZZ_IOTLB_CHECK_H

#include <stdint.h>

#include "host_backend.h"
#include "oracle.h"

struct pf_iotlb;

struct pf_iotlb *pf_iotlb_new(struct host_backend *hb, const struct pf_oracle *o);
void pf_iotlb_free(struct pf_iotlb *c);
/* Forget every obligation and this input's count; after the backend's
 * reset (its log starts empty again). */
void pf_iotlb_reset(struct pf_iotlb *c);

/* An IQT write is about to be processed: flushes from here on count for
 * the descriptors it consumes, and hwpts allocated from here on hold no
 * translation older than them. */
void pf_iotlb_batch_begin(struct pf_iotlb *c);
/* A descriptor the queue consumed, in queue order, after the oracle has
 * seen every descriptor before it. */
void pf_iotlb_descriptor(struct pf_iotlb *c, const uint64_t q[4]);

struct pf_iotlb_settled {
    unsigned obligations;   /* (hwpt, range) pairs the host had to flush */
    unsigned over;          /* invalidate_cache calls that flushed more than asked */
};
/* A wait is completing: every obligation must be met (iotlb-stale if not);
 * then none is left. */
void pf_iotlb_settle(struct pf_iotlb *c, struct pf_iotlb_settled *out);

/* Over-invalidations of this input so far, and of every input this
 * process has run. */
uint64_t pf_iotlb_over(const struct pf_iotlb *c);
uint64_t pf_iotlb_over_total(void);

#endif

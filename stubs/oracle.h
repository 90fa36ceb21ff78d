/*
 * The shadow of stubs/README.md, "The oracle": what the host bindings must be, kept
 * from the specification alone. It resolves (device, PASID) through the
 * spec-level resolver of stubs/guest_tables.h, updates its expectations
 * only at the events the model must act on, and compares them with the
 * stub backend's attachments. It never looks inside the model.
 */
#ifndef PASIDFUZZ_ORACLE_H
#define PASIDFUZZ_ORACLE_H

#include <stdbool.h>
#include <stdint.h>

#include "host_backend.h"

#define PF_ORACLE_DEVS 4

struct pf_oracle;

struct pf_oracle *pf_oracle_new(struct host_backend *hb);
void pf_oracle_free(struct pf_oracle *o);
/* Forget every device and expectation. */
void pf_oracle_reset(struct pf_oracle *o);

/* Devices by the guest driver's device index (the input header's
 * device list). */
void pf_oracle_plug(struct pf_oracle *o, unsigned idx, uint32_t dev, uint16_t sid,
                    uint8_t max_pasid_log2, uint32_t parent_hwpt);
void pf_oracle_unplug(struct pf_oracle *o, unsigned idx);
/* The model refused the unplug: the device keeps some bindings, which ones
 * depends on which host calls failed; skip it until the next global event. */
void pf_oracle_unplug_refused(struct pf_oracle *o, unsigned idx);

/* Events, each read from guest memory as it is now. */
void pf_oracle_global(struct pf_oracle *o);
void pf_oracle_domain(struct pf_oracle *o, uint16_t did);
void pf_oracle_pasid(struct pf_oracle *o, uint16_t did, uint32_t pasid);

/* Exempt the pairs whose backend calls were made to fail (from the stub's
 * failure log), then compare every pair: oracle-mismatch on a difference. */
void pf_oracle_check(struct pf_oracle *o);

/* Every plugged device whose expected binding at pasid is a first stage
 * read from an entry with DID did: the pairs a PASID-IOTLB invalidation of
 * (did, pasid) reaches. Pairs exempt after a failed backend call are left
 * out (their cached DID is not known for sure). */
typedef void (*pf_oracle_pair_fn)(void *opaque, uint32_t dev, uint32_t pasid);
void pf_oracle_first_stage(const struct pf_oracle *o, uint16_t did, uint32_t pasid,
                           pf_oracle_pair_fn fn, void *opaque);

/* Number of (device, PASID) pairs expected bound, for traces and tests. */
unsigned pf_oracle_expected_count(const struct pf_oracle *o);

#endif

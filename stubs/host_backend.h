/*
 * A host IOMMU backend in miniature, shaped like iommufd: devices with a
 * parent (second-stage) hwpt, first-stage hwpts allocated on a parent,
 * per-device per-PASID attachments. It checks each call the way the kernel
 * would (bad arguments return -EINVAL and friends) and, beyond that, the
 * invariants of stubs/README.md, which end the process through
 * pf_violation(). Deterministic: ids are handed out in order from 1, there
 * is no clock and no randomness, and reset forgets everything.
 *
 * Typical use: host_backend_ops() with the backend as opaque is what the
 * model calls; the harness plugs devices here first, then into the model,
 * keeps the guest view current (root pointer, TE) before the MMIO write
 * that changes it, and calls host_backend_check() after every op.
 */
#ifndef PASIDFUZZ_HOST_BACKEND_H
#define PASIDFUZZ_HOST_BACKEND_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "guest_mem.h"
#include "guest_tables.h"
#include "vtd.h"

struct host_backend;

enum hb_call {
    HB_CALL_ALLOC,
    HB_CALL_ATTACH,
    HB_CALL_DETACH,
    HB_CALL_FREE,
    HB_CALL_INVALIDATE,
    HB_CALL_MEM,            /* an allocation of the model's own (host_backend_mem_fail) */
    HB_CALL_COUNT
};
const char *hb_call_name(enum hb_call c);

/* NULL if mem is NULL, pasid_bits is not 1..20, or memory is short. */
struct host_backend *host_backend_new(struct guest_mem *mem, uint8_t pasid_bits,
                                      bool fs_5level);
void host_backend_free(struct host_backend *hb);
/* Forget all devices, hwpts, attachments, faults and logs, and give back
 * every buffer they grew; view back to TE=0, no root. Ids start from 1
 * again. */
void host_backend_reset(struct host_backend *hb);
/* host_backend_reset, then a new PASID width and 5-level support, as if
 * made by host_backend_new (with the same guest memory). -EINVAL, nothing
 * changed, if pasid_bits is not 1..20. */
int host_backend_reconfigure(struct host_backend *hb, uint8_t pasid_bits, bool fs_5level);

/* The ops table the model calls; pass the backend as its opaque. */
const struct vtd_host_ops *host_backend_ops(void);

/* The guest state that attaches are checked against. Keep it current. */
void host_backend_set_root(struct host_backend *hb, uint64_t rtaddr_latched);
void host_backend_set_te(struct host_backend *hb, bool te);
const struct gt_view *host_backend_view(const struct host_backend *hb);

/* Create a host device with its parent hwpt, PASID 0 attached to the parent
 * (as VFIO leaves it). 0 or -ENOSPC / -EEXIST (sid already plugged). */
int host_backend_plug(struct host_backend *hb, uint16_t sid, uint8_t max_pasid_log2,
                      uint32_t *dev_out, uint32_t *parent_hwpt_out);
/* Tear the device down: detaches PASID 0 from the parent and frees the
 * parent. Any other attachment still present (PASID 0 on a first stage
 * included), or a first-stage hwpt still allocated on the parent, is a
 * hwpt-leak (the model should have released it). -ENOENT if not plugged. */
int host_backend_unplug(struct host_backend *hb, uint32_t dev);

/* Fault injection: the nth (1 = next) call of kind c from now on fails with
 * -EIO. One pending injection per kind; 0 cancels. */
void host_backend_fail_nth(struct host_backend *hb, enum hb_call c, unsigned nth);

/* A vtd_config.mem_fail hook, with the backend as its opaque: the model's
 * own allocations fail by injection like the calls above (HB_CALL_MEM; the
 * failure names no device). Only a failure changes the backend. */
bool host_backend_mem_fail(void *opaque);

/* Calls that failed by injection since the last take, oldest first. */
struct hb_failure {
    enum hb_call call;
    uint32_t dev;           /* 0 when the call has no device (free, invalidate) */
    uint32_t pasid;
    uint32_t hwpt;
};
/* Copies up to max records into out, returns how many there were (may be
 * more than max), and clears the log. */
unsigned host_backend_take_failures(struct host_backend *hb, struct hb_failure *out,
                                    unsigned max);

/* The same records, left in the log for the oracle's next check. */
unsigned host_backend_peek_failures(const struct host_backend *hb, struct hb_failure *out,
                                    unsigned max);

/* Every invalidate_cache call since the last reset, oldest first. */
struct hb_inv_rec {
    uint32_t hwpt;
    struct vtd_s1_inv inv;  /* zero when the call passed none */
    int rc;
    bool injected;          /* failed by fault injection, not by its arguments */
};
/* Number of calls logged, and the log itself (valid until the next call). */
size_t host_backend_invalidations(const struct host_backend *hb, const struct hb_inv_rec **log);
/* Ids are handed out in increasing order: an id at or above this value
 * did not exist when it was read. */
uint32_t host_backend_next_id(const struct host_backend *hb);

/* ---- Queries for tests and the oracle ---- */
/* hwpt attached at (dev, pasid), or 0. */
uint32_t host_backend_attached(const struct host_backend *hb, uint32_t dev, uint32_t pasid);
unsigned host_backend_attach_count(const struct host_backend *hb, uint32_t dev);
uint32_t host_backend_dev_by_sid(const struct host_backend *hb, uint16_t sid);
uint32_t host_backend_parent_hwpt(const struct host_backend *hb, uint32_t dev);

struct hb_hwpt_info {
    bool alive;
    bool is_parent;
    uint32_t dev;           /* owning device of a parent, allocating device of an s1 */
    uint32_t parent;        /* parent hwpt of an s1 hwpt */
    struct vtd_s1_config s1;
    unsigned invalidations; /* invalidate_cache calls that reached it */
    struct vtd_s1_inv last_inv;
};
/* false if the id was never handed out. */
bool host_backend_hwpt_info(const struct host_backend *hb, uint32_t hwpt,
                            struct hb_hwpt_info *out);
unsigned host_backend_live_hwpts(const struct host_backend *hb);
/* Number of calls of a kind made since the last reset (failed ones too). */
unsigned host_backend_calls(const struct host_backend *hb, enum hb_call c);
/* A number that changes whenever anything in the backend may have changed:
 * every call (failed or not), plug, unplug, reset, fault arming, taking the
 * failure log, the guest view. Equal values mean an unchanged backend, so a
 * checker that judged it once need not judge it again. */
uint64_t host_backend_generation(const struct host_backend *hb);

typedef void (*hb_attach_visit_fn)(void *opaque, uint32_t dev, uint16_t sid,
                                   uint32_t pasid, uint32_t hwpt);
/* Every attachment, by device then ascending PASID. */
void host_backend_walk_attachments(const struct host_backend *hb,
                                   hb_attach_visit_fn visit, void *opaque);

/* One line per backend call ("hb: attach dev=1 pasid=5 hwpt=3 -> 0"), for
 * --trace; NULL turns it off. */
void host_backend_set_trace(struct host_backend *hb, FILE *out);

/* The model's answer to vtd_plug of device dev, which host_backend_plug just
 * made: its sid and id are new and a slot was free (the host has as many as
 * the model, and every device is plugged in both or neither), so the model
 * must take it (0, model/vtd.h). Otherwise api-result. */
void host_backend_check_plug(const struct host_backend *hb, uint32_t dev, int rc);
/* The model's answer to vtd_unplug of plugged device dev: -EBUSY exactly when
 * a detach of dev failed during the call (the failure log held
 * failures_before records, host_backend_peek_failures, before it), else 0
 * (model/vtd.h). Otherwise api-result. */
void host_backend_check_unplug(const struct host_backend *hb, uint32_t dev, int rc,
                               unsigned failures_before);

/* The after-every-op check: list-corrupt (through the model's self-check),
 * cache-incoherent and hwpt-leak, comparing the model's cache with the
 * host's attachments and live hwpts. */
void host_backend_check(const struct host_backend *hb, const struct vtd *model);

/* The same check against any cache that can be walked and self-checked:
 * host_backend_check() passes vtd_cache_walk and vtd_cache_self_check of
 * the model; tests pass fakes to present a corrupt or incoherent cache. */
typedef void (*hb_cache_walk_fn)(const void *model, vtd_cache_visit_fn visit, void *opaque);
typedef bool (*hb_self_check_fn)(const void *model, char *why, size_t why_len);
void host_backend_check_cache(const struct host_backend *hb, hb_cache_walk_fn walk,
                              hb_self_check_fn self_check, const void *model);

#endif

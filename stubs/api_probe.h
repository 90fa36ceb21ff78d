/*
 * Probes of the model's API contract (model/vtd.h): calls whose answer the
 * contract fixes, made beside a run without changing what the run does, so
 * that the paths a well-behaved caller never takes (a config out of range,
 * a plug with bad arguments or into a full model, a destroy with devices
 * still plugged) are exercised and judged too. A wrong answer is api-result.
 *
 * Each input runs one probe, numbered 0 .. PF_API_PROBES - 1; every hook
 * below does its part only for the numbers that are its own.
 */
#ifndef PASIDFUZZ_API_PROBE_H
#define PASIDFUZZ_API_PROBE_H

#include <stdbool.h>
#include <stdint.h>

#include "host_backend.h"
#include "vtd.h"

enum pf_api_probe {
    /* [0, PF_API_CREATE_PROBES): a config, one per row of api_probe.c's table */
    PF_API_CREATE_PROBES = 19,
    PF_API_PLUG_BAD_LOG2 = PF_API_CREATE_PROBES,
    PF_API_PLUG_NO_HOST_DEV,
    PF_API_PLUG_NO_PARENT,
    PF_API_PLUG_TAKEN_SID,
    PF_API_PLUG_TAKEN_DEV,
    PF_API_PLUG_FILL,
    PF_API_UNPLUG_UNKNOWN,
    PF_API_READ_SIZE_2,         /* MMIO reads the bus could make but the */
    PF_API_READ_SIZE_1,         /* model does not take: they read as 0 */
    PF_API_READ_MISALIGNED,
    PF_API_DESTROY,
    PF_API_PROBES
};

/* The calls probed: pf_api_model is the model's own (vtd_create, ...);
 * tests pass ones that answer wrong. */
struct pf_api {
    struct vtd *(*create)(const struct vtd_config *cfg);
    void (*destroy)(struct vtd *s);
    int (*plug)(struct vtd *s, uint16_t sid, uint8_t max_pasid_log2, uint32_t host_dev,
                uint32_t parent_hwpt);
    int (*unplug)(struct vtd *s, uint16_t sid);
    uint64_t (*mmio_read)(struct vtd *s, uint64_t offset, unsigned size);
};
extern const struct pf_api pf_api_model;

/* create on good (a config the model took) with one field changed: NULL
 * exactly when the change takes it out of range. */
void pf_api_probe_create(const struct pf_api *api, unsigned probe,
                         const struct vtd_config *good);

/* A plugged device of the model, as the caller plugged it. */
struct pf_api_dev {
    uint16_t sid;
    uint32_t host_dev;
};

/* On a booted model with devs[0..n) plugged (and no others): a plug with a
 * bad argument or a taken sid or host device (-EINVAL, -EEXIST), plugs
 * until the model is full (0 each, then -ENOSPC; unplugged again, 0 each),
 * an unplug of a sid nobody has (-ENOENT), or an MMIO read of a size other
 * than 4 or 8 or not aligned to its size (0). The model ends as it began. */
void pf_api_probe_booted(const struct pf_api *api, unsigned probe, struct vtd *s,
                         const struct pf_api_dev *devs, unsigned n);

/* true when this probe destroys the model with its devices plugged: it
 * does, checking that vtd_destroy calls nothing on the host (hb). The
 * caller must not use s any more. */
bool pf_api_probe_destroy(const struct pf_api *api, unsigned probe, struct vtd *s,
                          const struct host_backend *hb);

#endif

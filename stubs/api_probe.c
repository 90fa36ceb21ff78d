/*
 * The API-contract probes (api_probe.h). The answers expected are the ones
 * model/vtd.h gives: vtd_create is NULL for a config out of range or when
 * memory is short (its memory hook says so), vtd_plug
 * is -EINVAL, -EEXIST or -ENOSPC, vtd_unplug -ENOENT, vtd_destroy calls
 * nothing on the host.
 */
#include "api_probe.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>

#include "violation.h"

const struct pf_api pf_api_model = {vtd_create, vtd_destroy, vtd_plug, vtd_unplug,
                                    vtd_mmio_read};

static void pf_expect(int got, int want, const char *what, unsigned arg)
{
    if (got != want)
        pf_violation(PF_V_API_RESULT, "%s %u: the model answered %d, not %d", what, arg, got,
                     want);
}

/* ---- vtd_create ---- */

enum pf_cfg_field {
    CF_PASID_BITS, CF_HAW, CF_DMA_READ, CF_DMA_WRITE, CF_HOST, CF_OP, CF_MEM, CF_NONE
};

struct pf_cfg_probe {
    enum pf_cfg_field field;
    /* the new value; for CF_OP, which callback is NULL; for CF_MEM, 0 a
     * memory hook that fails every allocation, 1 none */
    unsigned value;
    bool valid;
};

/* Each range's two ends inside and the values just outside it; every
 * pointer the model needs, missing in turn; memory short from the first
 * allocation on, and no memory hook (optional: never short); no config at
 * all. */
static const struct pf_cfg_probe pf_cfg_probes[] = {
    {CF_PASID_BITS, 0, false}, {CF_PASID_BITS, 1, true},  {CF_PASID_BITS, 20, true},
    {CF_PASID_BITS, 21, false}, {CF_HAW, 38, false},      {CF_HAW, 39, true},
    {CF_HAW, 52, true},        {CF_HAW, 53, false},       {CF_DMA_READ, 0, false},
    {CF_DMA_WRITE, 0, false},  {CF_HOST, 0, false},       {CF_OP, 0, false},
    {CF_OP, 1, false},         {CF_OP, 2, false},         {CF_OP, 3, false},
    {CF_OP, 4, false},         {CF_MEM, 0, false},        {CF_MEM, 1, true},
    {CF_NONE, 0, false},
};
_Static_assert(sizeof pf_cfg_probes / sizeof pf_cfg_probes[0] == PF_API_CREATE_PROBES,
               "one create probe per row");

static const char *const pf_cfg_names[] = {
    [CF_PASID_BITS] = "pasid_bits", [CF_HAW] = "haw", [CF_DMA_READ] = "NULL dma_read",
    [CF_DMA_WRITE] = "NULL dma_write", [CF_HOST] = "NULL host", [CF_OP] = "NULL host callback",
    [CF_MEM] = "memory hook", [CF_NONE] = "no config",
};

static void pf_null_op(struct vtd_host_ops *ops, unsigned which)
{
    switch (which) {
    case 0: ops->alloc_s1_hwpt = NULL; break;
    case 1: ops->attach = NULL; break;
    case 2: ops->detach = NULL; break;
    case 3: ops->free_hwpt = NULL; break;
    default: ops->invalidate_cache = NULL; break;
    }
}

static bool pf_mem_always_short(void *opaque)
{
    (void)opaque;
    return true;
}

static void pf_cfg_apply(const struct pf_cfg_probe *p, struct vtd_config *c,
                         struct vtd_host_ops *ops)
{
    switch (p->field) {
    case CF_PASID_BITS: c->pasid_bits = (uint8_t)p->value; break;
    case CF_HAW: c->haw = (uint8_t)p->value; break;
    case CF_DMA_READ: c->dma_read = NULL; break;
    case CF_DMA_WRITE: c->dma_write = NULL; break;
    case CF_HOST: c->host = NULL; break;
    case CF_OP:
        *ops = *c->host;
        pf_null_op(ops, p->value);
        c->host = ops;
        break;
    case CF_MEM:
        c->mem_fail = p->value == 0 ? pf_mem_always_short : NULL;
        break;
    case CF_NONE: break;
    }
}

void pf_api_probe_create(const struct pf_api *api, unsigned probe,
                         const struct vtd_config *good)
{
    if (probe >= PF_API_CREATE_PROBES)
        return;
    const struct pf_cfg_probe *p = &pf_cfg_probes[probe];
    struct vtd_config c = *good;
    struct vtd_host_ops ops;
    pf_cfg_apply(p, &c, &ops);
    struct vtd *s = api->create(p->field == CF_NONE ? NULL : &c);
    if ((s != NULL) != p->valid) {
        char what[48];
        if (p->field != CF_DMA_READ && p->field != CF_DMA_WRITE && p->field != CF_HOST &&
            p->field != CF_NONE)
            snprintf(what, sizeof what, "%s %u", pf_cfg_names[p->field], p->value);
        else
            snprintf(what, sizeof what, "%s", pf_cfg_names[p->field]);
        pf_violation(PF_V_API_RESULT, "vtd_create with %s: the model answered %s", what,
                     s ? "a model, not NULL" : "NULL");
    }
    if (s)
        api->destroy(s);
}

/* ---- vtd_plug and vtd_unplug ---- */

/* Host ids the caller never hands out: its ids count up from 1. */
#define PF_PROBE_ID(k) (UINT32_MAX - (uint32_t)(k))

/* The k-th sid, counting down from 0xffff, that no device in devs has. */
static uint16_t pf_free_sid(const struct pf_api_dev *devs, unsigned n, unsigned k)
{
    for (uint32_t sid = 0xffff;; sid--) {
        bool taken = false;
        for (unsigned i = 0; i < n; i++)
            taken = taken || devs[i].sid == sid;
        if (!taken && k-- == 0)
            return (uint16_t)sid;
    }
}

/* Plugs every free slot, one more into the full model, and unplugs them. */
static void pf_probe_fill(const struct pf_api *api, struct vtd *s, const struct pf_api_dev *devs,
                          unsigned n)
{
    unsigned room = VTD_MAX_DEVICES - n, k;
    for (k = 0; k < room; k++)
        pf_expect(api->plug(s, pf_free_sid(devs, n, k), 20, PF_PROBE_ID(k), PF_PROBE_ID(k)), 0,
                  "plug into a free slot, devices plugged", n + k);
    pf_expect(api->plug(s, pf_free_sid(devs, n, k), 20, PF_PROBE_ID(k), PF_PROBE_ID(k)),
              -ENOSPC, "plug into a full model, devices plugged", VTD_MAX_DEVICES);
    for (k = 0; k < room; k++)
        pf_expect(api->unplug(s, pf_free_sid(devs, n, k)), 0,
                  "unplug of a device with nothing bound, sid", pf_free_sid(devs, n, k));
}

/* An access the model does not take (model/vtd.h): it reads as 0. GSTS
 * at 0x1c, FSTS at 0x34 and CAP at 0x8 do not read as 0 on their own. */
static void pf_probe_read(const struct pf_api *api, unsigned probe, struct vtd *s)
{
    static const struct { uint64_t off; unsigned size; } reads[] = {
        [PF_API_READ_SIZE_2 - PF_API_READ_SIZE_2] = {0x1c, 2},
        [PF_API_READ_SIZE_1 - PF_API_READ_SIZE_2] = {0x8, 1},
        [PF_API_READ_MISALIGNED - PF_API_READ_SIZE_2] = {0xc, 8},
    };
    unsigned i = probe - PF_API_READ_SIZE_2;
    uint64_t v = api->mmio_read(s, reads[i].off, reads[i].size);
    if (v != 0)
        pf_violation(PF_V_API_RESULT, "MMIO read of %u byte(s) at 0x%llx: the model answered "
                     "0x%llx, not 0", reads[i].size, (unsigned long long)reads[i].off,
                     (unsigned long long)v);
}

void pf_api_probe_booted(const struct pf_api *api, unsigned probe, struct vtd *s,
                         const struct pf_api_dev *devs, unsigned n)
{
    if (probe >= PF_API_READ_SIZE_2 && probe <= PF_API_READ_MISALIGNED) {
        pf_probe_read(api, probe, s);
        return;
    }
    if (probe < PF_API_PLUG_BAD_LOG2 || probe > PF_API_UNPLUG_UNKNOWN || n == 0 ||
        n > VTD_MAX_DEVICES)
        return;
    uint16_t sid = pf_free_sid(devs, n, 0);
    uint32_t id = PF_PROBE_ID(0);
    switch ((enum pf_api_probe)probe) {
    case PF_API_PLUG_BAD_LOG2:
        pf_expect(api->plug(s, sid, 21, id, id), -EINVAL, "plug with max_pasid_log2", 21);
        break;
    case PF_API_PLUG_NO_HOST_DEV:
        pf_expect(api->plug(s, sid, 20, 0, id), -EINVAL, "plug with host device", 0);
        break;
    case PF_API_PLUG_NO_PARENT:
        pf_expect(api->plug(s, sid, 20, id, 0), -EINVAL, "plug with parent hwpt", 0);
        break;
    case PF_API_PLUG_TAKEN_SID:
        pf_expect(api->plug(s, devs[n - 1].sid, 20, id, id), -EEXIST, "plug with the taken sid",
                  devs[n - 1].sid);
        break;
    case PF_API_PLUG_TAKEN_DEV:
        pf_expect(api->plug(s, sid, 20, devs[n - 1].host_dev, id), -EEXIST,
                  "plug with the taken host device", devs[n - 1].host_dev);
        break;
    case PF_API_PLUG_FILL:
        pf_probe_fill(api, s, devs, n);
        break;
    default:
        pf_expect(api->unplug(s, sid), -ENOENT, "unplug of the unknown sid", sid);
        break;
    }
}

/* ---- vtd_destroy ---- */

static uint64_t pf_host_calls(const struct host_backend *hb)
{
    uint64_t n = 0;
    for (unsigned c = 0; c < HB_CALL_COUNT; c++)
        n += host_backend_calls(hb, (enum hb_call)c);
    return n;
}

bool pf_api_probe_destroy(const struct pf_api *api, unsigned probe, struct vtd *s,
                          const struct host_backend *hb)
{
    if (probe != PF_API_DESTROY)
        return false;
    uint64_t before = pf_host_calls(hb);
    api->destroy(s);
    uint64_t made = pf_host_calls(hb) - before;
    if (made != 0)
        pf_violation(PF_V_API_RESULT, "vtd_destroy made %llu host call(s), not 0",
                     (unsigned long long)made);
    return true;
}

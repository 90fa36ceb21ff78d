/*
 * Queries of the stub host backend and its after-every-op check, which holds
 * the model's PASID cache against the host's attachments and live hwpts.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "host_backend_internal.h"
#include "violation.h"

/* ---- the model's answers to plug and unplug ---- */

/* A PCIe PASID capability reports at most 20 PASID bits. */
#define HB_PASID_WIDTH_MAX 20u

/* The host took the device, so its source-id and host device are new and a
 * slot is free: model/vtd.h leaves the model only the width to refuse. */
void host_backend_check_plug(const struct host_backend *hb, uint32_t dev, int rc)
{
    const struct hb_dev *d = hb_dev_get(hb, dev);
    unsigned bits = d ? d->max_pasid_log2 : 0;
    int want = bits > HB_PASID_WIDTH_MAX ? -EINVAL : 0;
    if (rc != want)
        pf_violation(PF_V_API_RESULT, "plug dev=%u sid=0x%04x (%u PASID bits): the model "
                     "answered %d, not %d, with %u of %u devices plugged",
                     dev, d ? d->sid : 0, bits, rc, want, hb->norder - 1, VTD_MAX_DEVICES);
}

void host_backend_check_unplug(const struct host_backend *hb, uint32_t dev, int rc,
                               unsigned failures_before)
{
    bool refused = false;
    for (size_t i = failures_before; i < hb->nfails; i++)
        refused = refused || (hb->fails[i].call == HB_CALL_DETACH && hb->fails[i].dev == dev);
    if (rc != (refused ? -EBUSY : 0))
        pf_violation(PF_V_API_RESULT, "unplug dev=%u: the model answered %d, not %d (%s)",
                     dev, rc, refused ? -EBUSY : 0,
                     refused ? "the host refused a detach" : "every detach succeeded");
}

/* ---- queries ---- */

uint32_t host_backend_attached(const struct host_backend *hb, uint32_t dev, uint32_t pasid)
{
    const struct hb_dev *d = hb_dev_get(hb, dev);
    return d ? hb_att_get(d, pasid) : 0;
}

unsigned host_backend_attach_count(const struct host_backend *hb, uint32_t dev)
{
    const struct hb_dev *d = hb_dev_get(hb, dev);
    return d ? (unsigned)d->natt : 0;
}

uint32_t host_backend_dev_by_sid(const struct host_backend *hb, uint16_t sid)
{
    for (unsigned i = 0; i < VTD_MAX_DEVICES; i++) {
        if (hb->devs[i].used && hb->devs[i].sid == sid)
            return hb->devs[i].id;
    }
    return 0;
}

uint32_t host_backend_parent_hwpt(const struct host_backend *hb, uint32_t dev)
{
    const struct hb_dev *d = hb_dev_get(hb, dev);
    return d ? d->parent : 0;
}

bool host_backend_hwpt_info(const struct host_backend *hb, uint32_t hwpt,
                            struct hb_hwpt_info *out)
{
    const struct hb_hwpt *h = hb_hwpt_get(hb, hwpt);
    if (!h)
        return false;
    *out = (struct hb_hwpt_info){
        .alive = h->alive,
        .is_parent = h->is_parent,
        .dev = h->dev,
        .parent = h->parent,
        .s1 = h->s1,
        .invalidations = h->invalidations,
        .last_inv = h->last_inv,
    };
    return true;
}

unsigned host_backend_live_hwpts(const struct host_backend *hb)
{
    return hb->live_count;
}

unsigned host_backend_calls(const struct host_backend *hb, enum hb_call c)
{
    return (unsigned)c < HB_CALL_COUNT ? hb->calls[c] : 0;
}

void host_backend_walk_attachments(const struct host_backend *hb, hb_attach_visit_fn visit,
                                   void *opaque)
{
    /* Device entries are reused in plug order; visit by id so the order
     * does not depend on which entry a device happened to get. */
    for (unsigned k = 0; k < hb->norder; k++) {
        const struct hb_dev *d = &hb->devs[hb->order[k]];
        for (size_t j = 0; j < d->natt; j++)
            visit(opaque, d->id, d->sid, d->att[j].pasid, d->att[j].hwpt);
    }
}

/* ---- the after-every-op check ---- */

struct hb_collect {
    struct hb_cached *v;
    size_t n, cap;
    const struct gt_view *gt;
};

static void hb_collect_visit(void *opaque, const struct vtd_cache_view *view)
{
    struct hb_collect *c = opaque;
    struct gt_binding b;
    gt_entry_binding(c->gt, view->entry, &b);
    c->v = hb_xgrow(c->v, &c->cap, c->n + 1, sizeof *c->v);
    c->v[c->n++] = (struct hb_cached){view->host_dev, view->pasid, view->hwpt, view->sid,
                                      (uint16_t)b.kind,
                                      b.kind == GT_FIRST_STAGE ? b.s1 : (struct vtd_s1_config){0}};
}

static int hb_cmp_cached(const void *a, const void *b)
{
    const struct hb_cached *x = a, *y = b;
    if (x->dev != y->dev)
        return x->dev < y->dev ? -1 : 1;
    if (x->pasid != y->pasid)
        return x->pasid < y->pasid ? -1 : 1;
    return 0;
}

static int hb_cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/*
 * The cache keeps a copy of each entry it bound so that an invalidation can
 * tell whether the guest changed it (model/BEHAVIOUR.md, "PASID cache and
 * sync"): the copy must be a valid entry asking for the binding the entry
 * holds, pass-through on the device's parent or first stage on an s1 hwpt
 * of the copy's config. A copy that says otherwise hides the next change.
 */
static void hb_check_entry_copy(const struct host_backend *hb, const struct hb_dev *d,
                                const struct hb_cached *e)
{
    const struct hb_hwpt *h = hb_hwpt_get(hb, e->hwpt);
    bool fs = h && !h->is_parent && gt_s1_same(&h->s1, &e->s1);
    if (e->kind == GT_PASS_THROUGH ? e->hwpt == d->parent : e->kind == GT_FIRST_STAGE && fs)
        return;
    char asks[96] = "pass-through (parent hwpt)";
    if (e->kind == GT_FIRST_STAGE)
        snprintf(asks, sizeof asks, "first-stage{pgtbl=0x%" PRIx64 " aw=%u flags=0x%x}",
                 e->s1.pgtbl_addr, e->s1.addr_width, e->s1.flags);
    else if (e->kind == GT_NONE)
        snprintf(asks, sizeof asks, "no binding (not a valid entry)");
    pf_violation(PF_V_CACHE_INCOHERENT,
                 "cached entry dev=%u sid=0x%04x pasid=%u hwpt=%u: its copy of the PASID entry "
                 "asks for %s",
                 e->dev, e->sid, e->pasid, e->hwpt, asks);
}

/* Every cached entry must be exactly what the host has attached. */
static void hb_check_entries(const struct host_backend *hb, const struct hb_collect *c)
{
    for (size_t i = 0; i < c->n; i++) {
        const struct hb_cached *e = &c->v[i];
        if (i > 0 && hb_cmp_cached(&c->v[i - 1], e) == 0)
            pf_violation(PF_V_CACHE_INCOHERENT,
                         "two cached entries for dev=%u pasid=%u (sid=0x%04x hwpt=%u)", e->dev,
                         e->pasid, e->sid, e->hwpt);
        const struct hb_dev *d = hb_dev_get(hb, e->dev);
        if (!d)
            pf_violation(PF_V_CACHE_INCOHERENT,
                         "cached entry sid=0x%04x pasid=%u hwpt=%u names dev=%u, which is not "
                         "plugged on the host",
                         e->sid, e->pasid, e->hwpt, e->dev);
        if (d->sid != e->sid)
            pf_violation(PF_V_CACHE_INCOHERENT,
                         "cached entry dev=%u pasid=%u hwpt=%u has sid=0x%04x but the host "
                         "plugged dev=%u as sid=0x%04x",
                         e->dev, e->pasid, e->hwpt, e->sid, d->id, d->sid);
        uint32_t att = hb_att_get(d, e->pasid);
        if (att != e->hwpt) {
            char has[32] = "nothing attached";
            if (att)
                snprintf(has, sizeof has, "hwpt=%u attached", att);
            pf_violation(PF_V_CACHE_INCOHERENT,
                         "cached entry dev=%u sid=0x%04x pasid=%u hwpt=%u but the host has %s",
                         e->dev, e->sid, e->pasid, e->hwpt, has);
        }
        hb_check_entry_copy(hb, d, e);
    }
}

/* Every attachment must be explained by a cached entry, but for the one the
 * host put there itself (PASID 0 on the device's own parent): whether that
 * one should still be there is for the oracle to judge. */
static void hb_check_attachments(const struct host_backend *hb, const struct hb_collect *c)
{
    for (unsigned i = 0; i < VTD_MAX_DEVICES; i++) {
        const struct hb_dev *d = &hb->devs[i];
        for (size_t j = 0; d->used && j < d->natt; j++) {
            const struct hb_attach *a = &d->att[j];
            if (a->pasid == 0 && a->hwpt == d->parent)
                continue;
            struct hb_cached key = {.dev = d->id, .pasid = a->pasid};
            if (c->n == 0 || !bsearch(&key, c->v, c->n, sizeof *c->v, hb_cmp_cached))
                pf_violation(PF_V_CACHE_INCOHERENT,
                             "attachment dev=%u sid=0x%04x pasid=%u hwpt=%u has no cached entry",
                             d->id, d->sid, a->pasid, a->hwpt);
        }
    }
}

/* A first-stage hwpt nobody uses or remembers can never be freed again. */
static void hb_check_leaks(const struct host_backend *hb, const struct hb_collect *c)
{
    struct hb_scratch *sc = hb->scratch;
    bool sorted = false;
    for (size_t i = 0; i < hb->nlive_s1; i++) {
        uint32_t id = hb->live_s1[i];
        const struct hb_hwpt *h = &hb->ids[id];
        if (h->refs != 0)
            continue;
        /* Unattached: only the cache can still hold it. The sorted list of
         * cached hwpts is only made when some hwpt needs it. */
        if (!sorted) {
            sc->refs = hb_xgrow(sc->refs, &sc->refs_cap, c->n + 1, sizeof *sc->refs);
            for (size_t k = 0; k < c->n; k++)
                sc->refs[k] = c->v[k].hwpt;
            qsort(sc->refs, c->n, sizeof *sc->refs, hb_cmp_u32);
            sorted = true;
        }
        if (!bsearch(&id, sc->refs, c->n, sizeof *sc->refs, hb_cmp_u32)) {
            const struct hb_dev *d = hb_dev_get(hb, h->dev);
            pf_violation(PF_V_HWPT_LEAK,
                         "hwpt=%u (first stage of dev=%u sid=0x%04x on parent hwpt=%u) is "
                         "neither attached nor cached",
                         id, h->dev, d ? d->sid : 0, h->parent);
        }
    }
}

static bool hb_cached_sorted(const struct hb_collect *c)
{
    for (size_t i = 1; i < c->n; i++)
        if (hb_cmp_cached(&c->v[i - 1], &c->v[i]) > 0)
            return false;
    return true;
}

void host_backend_check_cache(const struct host_backend *hb, hb_cache_walk_fn walk,
                              hb_self_check_fn self_check, const void *model)
{
    char why[256] = "";
    if (!self_check(model, why, sizeof why))
        pf_violation(PF_V_LIST_CORRUPT, "model cache: %s", why[0] ? why : "self-check failed");

    /* The collect buffer is the backend's, reused from check to check:
     * this runs after every op. */
    struct hb_scratch *sc = hb->scratch;
    struct hb_collect c = {sc->v, 0, sc->cap, &hb->view};
    walk(model, hb_collect_visit, &c);
    sc->v = c.v;
    sc->cap = c.cap;
    /* Sorted once, so each lookup below is a binary search: caches hold
     * thousands of entries. The model's walk usually comes sorted already;
     * glibc's qsort is stable on such input, so skipping it changes
     * nothing, not even which of two duplicates a message names. */
    if (c.n > 1 && !hb_cached_sorted(&c))
        qsort(c.v, c.n, sizeof *c.v, hb_cmp_cached);
    /* What follows judges nothing but this list and the backend. The list
     * is compared whole, so a cache that changed without any backend call
     * (a model bug) is judged afresh like any other. */
    if (sc->have_last && sc->last_gen == host_backend_generation(hb) && sc->nlast == c.n &&
        (c.n == 0 || memcmp(sc->last, c.v, c.n * sizeof *c.v) == 0))
        return;
    hb_check_entries(hb, &c);
    hb_check_attachments(hb, &c);
    hb_check_leaks(hb, &c);
    sc->last = hb_xgrow(sc->last, &sc->last_cap, c.n + 1, sizeof *sc->last);
    if (c.n)
        memcpy(sc->last, c.v, c.n * sizeof *c.v);
    sc->nlast = c.n;
    sc->last_gen = host_backend_generation(hb);
    sc->have_last = true;
}

static void hb_model_walk(const void *model, vtd_cache_visit_fn visit, void *opaque)
{
    vtd_cache_walk(model, visit, opaque);
}

static bool hb_model_self_check(const void *model, char *why, size_t why_len)
{
    return vtd_cache_self_check(model, why, why_len);
}

void host_backend_check(const struct host_backend *hb, const struct vtd *model)
{
    host_backend_check_cache(hb, hb_model_walk, hb_model_self_check, model);
}

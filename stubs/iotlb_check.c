/*
 * Obligations and flushes. An obligation names the hwpt a (device, PASID)
 * pair was attached to when its descriptor was consumed and the pages it
 * must drop; it is met by an invalidate_cache call on that hwpt, made
 * after the descriptor's IQT write began, that covers the pages (several
 * calls may share the range), or by the hwpt no longer being attached
 * there. A call that only leaf entries change (LEAF) meets an obligation
 * only if the guest gave that hint (IH).
 */
#include "iotlb_check.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "desc_decode.h"
#include "violation.h"

#define PF_PAGE_SHIFT 12u
#define PF_LAST_PAGE (UINT64_MAX >> PF_PAGE_SHIFT)

struct pf_oblig {
    uint32_t dev, pasid, hwpt;
    uint64_t first, last;   /* page numbers, inclusive */
    bool ih;
    bool required;          /* false: the hwpt is newer than the batch */
    size_t since;           /* log index of the batch's first call */
    uint16_t did;
};

struct pf_iotlb {
    struct host_backend *hb;
    const struct pf_oracle *o;
    struct pf_oblig *ob;
    size_t n, cap;
    size_t batch_log;       /* log length when the current IQT write began */
    uint32_t batch_id;      /* first hwpt id the current IQT write may create */
    size_t cursor;          /* first call not yet judged for over-invalidation */
    uint64_t over;
    struct pf_oblig cur;    /* the descriptor being expanded into pairs */
};

static uint64_t pf_over_all;

struct pf_iotlb *pf_iotlb_new(struct host_backend *hb, const struct pf_oracle *o)
{
    struct pf_iotlb *c = calloc(1, sizeof *c);
    if (c) {
        c->hb = hb;
        c->o = o;
    }
    return c;
}

void pf_iotlb_free(struct pf_iotlb *c)
{
    if (c)
        free(c->ob);
    free(c);
}

void pf_iotlb_reset(struct pf_iotlb *c)
{
    /* Back to empty buffers, as the backend and the oracle do. */
    free(c->ob);
    c->ob = NULL;
    c->n = c->cap = 0;
    c->batch_log = c->cursor = 0;
    c->batch_id = 0;
    c->over = 0;
}

void pf_iotlb_batch_begin(struct pf_iotlb *c)
{
    const struct hb_inv_rec *log;
    c->batch_log = host_backend_invalidations(c->hb, &log);
    c->batch_id = host_backend_next_id(c->hb);
}

/* ---- obligations from a descriptor ---- */

static void pf_oblig_push(struct pf_iotlb *c, const struct pf_oblig *ob)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 8;
        struct pf_oblig *p = realloc(c->ob, cap * sizeof *p);
        if (!p) {
            fprintf(stderr, "pasidfuzz: iotlb check out of memory\n");
            abort();
        }
        c->ob = p;
        c->cap = cap;
    }
    c->ob[c->n++] = *ob;
}

/* A failed attach or detach of the device, or any failed alloc, not yet
 * read by the oracle: the model's cache may hold another DID than the one
 * expected, so the pair is not judged. */
static bool pf_failure_pending(const struct pf_iotlb *c, uint32_t dev)
{
    struct hb_failure f[64];
    unsigned n = host_backend_peek_failures(c->hb, f, 64);
    for (unsigned i = 0; i < n; i++) {
        if (i >= 64 || f[i].call == HB_CALL_ALLOC)
            return true;
        if ((f[i].call == HB_CALL_ATTACH || f[i].call == HB_CALL_DETACH) && f[i].dev == dev)
            return true;
    }
    return false;
}

static void pf_pair(void *opaque, uint32_t dev, uint32_t pasid)
{
    struct pf_iotlb *c = opaque;
    uint32_t hwpt = host_backend_attached(c->hb, dev, pasid);
    struct hb_hwpt_info info;
    if (!hwpt || !host_backend_hwpt_info(c->hb, hwpt, &info) || info.is_parent)
        return;     /* nothing first-stage to flush; the oracle judges the binding */
    if (pf_failure_pending(c, dev))
        return;
    struct pf_oblig ob = c->cur;
    ob.dev = dev;
    ob.hwpt = hwpt;
    ob.required = hwpt < c->batch_id;
    pf_oblig_push(c, &ob);
}

/* The pages a PASID-IOTLB invalidation names: all of them, or 2^AM pages
 * at ADDR with its low AM page bits ignored (as the hardware ignores
 * them). */
static void pf_piotlb_range(const uint64_t q[4], struct pf_oblig *ob)
{
    uint64_t g = 0, addr = 0, am = 0, ih = 0;
    (void)pf_desc_field(q, PF_F_G, &g);
    (void)pf_desc_field(q, PF_F_ADDR, &addr);
    (void)pf_desc_field(q, PF_F_AM, &am);
    (void)pf_desc_field(q, PF_F_IH, &ih);
    ob->first = 0;
    ob->last = PF_LAST_PAGE;
    ob->ih = false;
    if (g != PF_PIOTLB_G_PAGE)
        return;
    uint64_t pages = am >= 52 ? PF_LAST_PAGE : (1ull << am) - 1;
    ob->first = (addr >> PF_PAGE_SHIFT) & ~pages;
    ob->last = ob->first + pages;
    ob->ih = ih != 0;
}

void pf_iotlb_descriptor(struct pf_iotlb *c, const uint64_t q[4])
{
    if (pf_desc_type(q[0]) != PF_DT_PASID_IOTLB)
        return;
    uint64_t did = 0, pasid = 0;
    (void)pf_desc_field(q, PF_F_DID, &did);
    (void)pf_desc_field(q, PF_F_PASID, &pasid);
    c->cur = (struct pf_oblig){.pasid = (uint32_t)pasid, .did = (uint16_t)did,
                               .since = c->batch_log};
    pf_piotlb_range(q, &c->cur);
    pf_oracle_first_stage(c->o, (uint16_t)did, (uint32_t)pasid, pf_pair, c);
}

/* ---- settling at a wait ---- */

static void pf_call_pages(const struct hb_inv_rec *r, uint64_t *first, uint64_t *last)
{
    *first = r->inv.addr >> PF_PAGE_SHIFT;
    uint64_t room = PF_LAST_PAGE - *first;
    *last = r->inv.npages - 1 > room ? PF_LAST_PAGE : *first + r->inv.npages - 1;
}

/* Does call r flush page p of obligation ob? Then *next is the first page
 * after what it flushes. */
static bool pf_call_covers(const struct hb_inv_rec *r, const struct pf_oblig *ob, uint64_t p,
                           uint64_t *next)
{
    if (r->hwpt != ob->hwpt || (r->rc != 0 && !r->injected) || r->inv.npages == 0)
        return false;
    if ((r->inv.flags & VTD_S1_INV_FLAG_LEAF) && !ob->ih)
        return false;
    uint64_t first, last;
    pf_call_pages(r, &first, &last);
    if (p < first || p > last)
        return false;
    *next = last;
    return true;
}

/* The first page of ob no call in log[since, n) flushes, or false when
 * they flush every page. */
static bool pf_unflushed(const struct hb_inv_rec *log, size_t n, const struct pf_oblig *ob,
                         uint64_t *page)
{
    uint64_t p = ob->first;
    for (;;) {
        bool moved = false;
        uint64_t last = 0;
        for (size_t i = ob->since; i < n && !moved; i++)
            moved = pf_call_covers(&log[i], ob, p, &last);
        if (!moved) {
            *page = p;
            return true;
        }
        if (last >= ob->last)
            return false;
        p = last + 1;
    }
}

static void pf_judge(const struct pf_iotlb *c, const struct hb_inv_rec *log, size_t n,
                     const struct pf_oblig *ob)
{
    uint64_t page;
    if (!ob->required || host_backend_attached(c->hb, ob->dev, ob->pasid) != ob->hwpt ||
        !pf_unflushed(log, n, ob, &page))
        return;
    pf_violation(PF_V_IOTLB_STALE,
                 "pasid-iotlb did=%u pasid=%u pages 0x%" PRIx64 "-0x%" PRIx64 "%s: dev=%u "
                 "hwpt=%u still caches page 0x%" PRIx64 " at the wait (no invalidate_cache "
                 "covered it)",
                 ob->did, ob->pasid, ob->first, ob->last, ob->ih ? " (leaf hint)" : "",
                 ob->dev, ob->hwpt, page);
}

/* A call that flushes exactly what some obligation asked for. */
static bool pf_exact(const struct pf_iotlb *c, const struct hb_inv_rec *r)
{
    uint64_t first, last;
    pf_call_pages(r, &first, &last);
    bool leaf = (r->inv.flags & VTD_S1_INV_FLAG_LEAF) != 0;
    for (size_t k = 0; k < c->n; k++) {
        const struct pf_oblig *ob = &c->ob[k];
        if (ob->hwpt == r->hwpt && ob->first == first && ob->last == last && ob->ih == leaf)
            return true;
    }
    return false;
}

void pf_iotlb_settle(struct pf_iotlb *c, struct pf_iotlb_settled *out)
{
    const struct hb_inv_rec *log;
    size_t n = host_backend_invalidations(c->hb, &log);
    *out = (struct pf_iotlb_settled){0};
    for (size_t k = 0; k < c->n; k++) {
        pf_judge(c, log, n, &c->ob[k]);
        out->obligations += c->ob[k].required;
    }
    for (size_t i = c->cursor; i < n; i++)
        out->over += !pf_exact(c, &log[i]);
    c->cursor = n;
    c->n = 0;
    c->over += out->over;
    pf_over_all += out->over;
}

uint64_t pf_iotlb_over(const struct pf_iotlb *c)
{
    return c->over;
}

uint64_t pf_iotlb_over_total(void)
{
    return pf_over_all;
}

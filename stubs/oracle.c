#include "oracle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest_tables.h"
#include "vtd_spec.h"
#include "violation.h"

struct pf_expect {
    uint32_t pasid;
    enum gt_kind kind;          /* GT_NONE only as a placeholder for an exemption */
    int32_t did;                /* DID of the entry it came from; -1 for none */
    struct vtd_s1_config s1;
    bool exempt;                /* a detach of this pair was made to fail: any binding */
    bool fail_closed;           /* an attach or alloc for it was made to fail: at the
                                 * check that sees the failure, the expected binding
                                 * or none (model/BEHAVIOUR.md); exempt after it */
    bool touched;               /* re-resolved since the failure log was read */
};

/* One guest device: its host ids and the bindings it must have. */
struct pf_oracle_dev {
    bool plugged;
    bool exempt_all;            /* unplug refused: skip until a global event */
    uint32_t dev;
    uint16_t sid;
    uint8_t max_pasid_log2;
    uint32_t parent;
    struct pf_expect *e;        /* sorted by pasid */
    size_t n, cap;
};

struct pf_attach {
    uint32_t dev, pasid, hwpt;
};

struct pf_oracle {
    struct host_backend *hb;
    struct pf_oracle_dev devs[PF_ORACLE_DEVS];
    struct pf_attach *att;
    size_t natt, attcap;
    /* Bumped by every change to the expectations (every event). */
    uint64_t gen;
    /* What the last check that passed saw: the expectations' and the
     * backend's generations right after it. */
    bool checked;
    uint64_t checked_gen, checked_hb_gen;
};

struct pf_oracle *pf_oracle_new(struct host_backend *hb)
{
    struct pf_oracle *o = calloc(1, sizeof *o);
    if (o)
        o->hb = hb;
    return o;
}

void pf_oracle_free(struct pf_oracle *o)
{
    if (!o)
        return;
    for (unsigned i = 0; i < PF_ORACLE_DEVS; i++)
        free(o->devs[i].e);
    free(o->att);
    free(o);
}

static void pf_dev_clear(struct pf_oracle_dev *s)
{
    struct pf_expect *keep = s->e;
    size_t cap = s->cap;
    memset(s, 0, sizeof *s);
    s->e = keep;
    s->cap = cap;
}

void pf_oracle_reset(struct pf_oracle *o)
{
    /* Buffers go back to empty: capacity left by earlier inputs would let
     * the same input skip growth paths (instability to a fuzzer). */
    for (unsigned i = 0; i < PF_ORACLE_DEVS; i++) {
        free(o->devs[i].e);
        o->devs[i] = (struct pf_oracle_dev){0};
    }
    free(o->att);
    o->att = NULL;
    o->attcap = 0;
    o->natt = 0;
    o->gen++;
    o->checked = false;
}

/* ---- the expectation table of one device ---- */

/* Index of pasid, or where it would be inserted. */
static size_t pf_dev_seek(const struct pf_oracle_dev *s, uint32_t pasid)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->e[mid].pasid < pasid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static struct pf_expect *pf_dev_find(struct pf_oracle_dev *s, uint32_t pasid)
{
    size_t i = pf_dev_seek(s, pasid);
    return i < s->n && s->e[i].pasid == pasid ? &s->e[i] : NULL;
}

static struct pf_expect *pf_dev_insert(struct pf_oracle_dev *s, uint32_t pasid)
{
    size_t i = pf_dev_seek(s, pasid);
    if (i < s->n && s->e[i].pasid == pasid)
        return &s->e[i];
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        struct pf_expect *p = realloc(s->e, cap * sizeof *p);
        if (!p) {
            fprintf(stderr, "pasidfuzz: oracle out of memory\n");
            abort();
        }
        s->e = p;
        s->cap = cap;
    }
    memmove(&s->e[i + 1], &s->e[i], (s->n - i) * sizeof s->e[0]);
    s->n++;
    memset(&s->e[i], 0, sizeof s->e[i]);
    s->e[i].pasid = pasid;
    s->e[i].did = -1;
    return &s->e[i];
}

static void pf_dev_remove(struct pf_oracle_dev *s, uint32_t pasid)
{
    size_t i = pf_dev_seek(s, pasid);
    if (i < s->n && s->e[i].pasid == pasid) {
        memmove(&s->e[i], &s->e[i + 1], (s->n - i - 1) * sizeof s->e[0]);
        s->n--;
    }
}

/* A binding read from a PASID entry, as opposed to untranslated PASID 0. */
static bool pf_from_entry(const struct gt_binding *b)
{
    return b->kind != GT_NONE && (b->entry[0] & VTD_PE_P);
}

/* Record what memory says now for one pair. */
static void pf_dev_set(struct pf_oracle_dev *s, uint32_t pasid, const struct gt_binding *b)
{
    if (b->kind == GT_NONE) {
        pf_dev_remove(s, pasid);
        return;
    }
    struct pf_expect *e = pf_dev_insert(s, pasid);
    e->kind = b->kind;
    e->did = pf_from_entry(b) ? b->did : -1;
    e->s1 = b->s1;
    e->exempt = false;
    e->fail_closed = false;
    e->touched = true;
}

static void pf_resolve(const struct pf_oracle *o, const struct pf_oracle_dev *s, uint32_t pasid,
                       struct gt_binding *b)
{
    gt_resolve(host_backend_view(o->hb), s->sid, s->max_pasid_log2, pasid, b);
}

static bool pf_valid_with_did(const struct gt_binding *b, int32_t did)
{
    return pf_from_entry(b) && (did < 0 || b->did == did);
}

struct pf_enum_ctx {
    struct pf_oracle_dev *odev;
    int32_t did;
};

static void pf_enum_visit(void *opaque, uint32_t pasid, const struct gt_binding *b)
{
    struct pf_enum_ctx *c = opaque;
    if (pf_valid_with_did(b, c->did))
        pf_dev_set(c->odev, pasid, b);
}

/* Every valid entry in memory for the device (with DID did, unless did < 0);
 * untranslated, only PASID 0 can be bound. */
static void pf_enumerate(struct pf_oracle *o, struct pf_oracle_dev *s, int32_t did)
{
    const struct gt_view *v = host_backend_view(o->hb);
    if (!gt_translated(v)) {
        struct gt_binding b;
        pf_resolve(o, s, 0, &b);
        if (did < 0)
            pf_dev_set(s, 0, &b);
        return;
    }
    struct pf_enum_ctx c = {s, did};
    gt_for_each_valid(v, s->sid, s->max_pasid_log2, pf_enum_visit, &c);
}

/* ---- events ---- */

void pf_oracle_plug(struct pf_oracle *o, unsigned idx, uint32_t dev, uint16_t sid,
                    uint8_t max_pasid_log2, uint32_t parent_hwpt)
{
    struct pf_oracle_dev *s = &o->devs[idx % PF_ORACLE_DEVS];
    o->gen++;
    pf_dev_clear(s);
    s->plugged = true;
    s->dev = dev;
    s->sid = sid;
    s->max_pasid_log2 = max_pasid_log2;
    s->parent = parent_hwpt;
    /* A VFIO device arrives with PASID 0 on its parent, whatever the
     * guest's tables say, until the guest invalidates. */
    struct pf_expect *e = pf_dev_insert(s, 0);
    e->kind = GT_PASS_THROUGH;
}

void pf_oracle_unplug(struct pf_oracle *o, unsigned idx)
{
    o->gen++;
    pf_dev_clear(&o->devs[idx % PF_ORACLE_DEVS]);
}

void pf_oracle_unplug_refused(struct pf_oracle *o, unsigned idx)
{
    o->gen++;
    o->devs[idx % PF_ORACLE_DEVS].exempt_all = true;
}

void pf_oracle_global(struct pf_oracle *o)
{
    o->gen++;
    for (unsigned i = 0; i < PF_ORACLE_DEVS; i++) {
        struct pf_oracle_dev *s = &o->devs[i];
        if (!s->plugged)
            continue;
        s->n = 0;
        s->exempt_all = false;
        pf_enumerate(o, s, -1);
    }
}

/* A backend call for the pair failed: the model may hold another DID. */
static bool pf_failed(const struct pf_expect *e)
{
    return e->exempt || e->fail_closed;
}

/*
 * A pair is covered when its expected DID matches, or memory holds a valid
 * entry with that DID. A pair with a failed call is covered only by the
 * second: after a failed call the model's cached DID may not be the one
 * expected here, and only the replay's match on memory reaches it for sure.
 */
static bool pf_covered(const struct pf_expect *e, const struct gt_binding *b, uint16_t did)
{
    if (pf_valid_with_did(b, did))
        return true;
    return e && !pf_failed(e) && e->did == did;
}

void pf_oracle_domain(struct pf_oracle *o, uint16_t did)
{
    o->gen++;
    for (unsigned i = 0; i < PF_ORACLE_DEVS; i++) {
        struct pf_oracle_dev *s = &o->devs[i];
        if (!s->plugged)
            continue;
        /* Walk backwards so removals do not disturb what is left to see. */
        for (size_t k = s->n; k-- > 0;) {
            if (pf_failed(&s->e[k]) || s->e[k].did != did)
                continue;
            struct gt_binding b;
            pf_resolve(o, s, s->e[k].pasid, &b);
            pf_dev_set(s, s->e[k].pasid, &b);
        }
        pf_enumerate(o, s, did);
    }
}

void pf_oracle_pasid(struct pf_oracle *o, uint16_t did, uint32_t pasid)
{
    o->gen++;
    for (unsigned i = 0; i < PF_ORACLE_DEVS; i++) {
        struct pf_oracle_dev *s = &o->devs[i];
        if (!s->plugged)
            continue;
        struct gt_binding b;
        pf_resolve(o, s, pasid, &b);
        if (pf_covered(pf_dev_find(s, pasid), &b, did))
            pf_dev_set(s, pasid, &b);
    }
}

/* ---- failures and the check ---- */

static void pf_oracle_check_now(struct pf_oracle *o);

static struct pf_oracle_dev *pf_dev_by_id(struct pf_oracle *o, uint32_t dev)
{
    for (unsigned i = 0; i < PF_ORACLE_DEVS; i++)
        if (o->devs[i].plugged && o->devs[i].dev == dev)
            return &o->devs[i];
    return NULL;
}

/* The model's own allocation failed: it names no pair, so every pair the
 * last events asked the model to bind, on any device, may be the one. */
static void pf_mem_failure(struct pf_oracle *o)
{
    for (unsigned i = 0; i < PF_ORACLE_DEVS; i++)
        for (size_t k = 0; k < o->devs[i].n; k++)
            if (o->devs[i].e[k].touched)
                o->devs[i].e[k].fail_closed = true;
}

static void pf_exempt_failure(struct pf_oracle *o, const struct hb_failure *f)
{
    if (f->call == HB_CALL_MEM) {
        pf_mem_failure(o);
        return;
    }
    struct pf_oracle_dev *s = pf_dev_by_id(o, f->dev);
    if (!s)
        return;
    switch (f->call) {
    case HB_CALL_ATTACH:
        pf_dev_insert(s, f->pasid)->fail_closed = true;
        break;
    case HB_CALL_DETACH:
        pf_dev_insert(s, f->pasid)->exempt = true;
        break;
    case HB_CALL_ALLOC:
        /* An alloc names no PASID: every first-stage pair that the last
         * events asked the model to bind on this device may be the one. */
        for (size_t k = 0; k < s->n; k++)
            if (s->e[k].touched && s->e[k].kind == GT_FIRST_STAGE)
                s->e[k].fail_closed = true;
        break;
    default:
        /* A failed free or flush changes no binding. */
        break;
    }
}

/* Reads the failure log into the exemptions; returns how many it read. */
static unsigned pf_take_failures(struct pf_oracle *o)
{
    /* At most one injection per call kind is pending, so a handful of
     * failures can happen between two checks. */
    struct hb_failure f[64];
    unsigned n = host_backend_take_failures(o->hb, f, 64);
    for (unsigned i = 0; i < n && i < 64; i++)
        pf_exempt_failure(o, &f[i]);
    for (unsigned i = 0; i < PF_ORACLE_DEVS; i++)
        for (size_t k = 0; k < o->devs[i].n; k++)
            o->devs[i].e[k].touched = false;
    return n;
}

static void pf_collect(void *opaque, uint32_t dev, uint16_t sid, uint32_t pasid, uint32_t hwpt)
{
    (void)sid;
    struct pf_oracle *o = opaque;
    if (o->natt == o->attcap) {
        size_t cap = o->attcap ? o->attcap * 2 : 64;
        struct pf_attach *p = realloc(o->att, cap * sizeof *p);
        if (!p) {
            fprintf(stderr, "pasidfuzz: oracle out of memory\n");
            abort();
        }
        o->att = p;
        o->attcap = cap;
    }
    o->att[o->natt++] = (struct pf_attach){dev, pasid, hwpt};
}

static void pf_describe_expected(const struct pf_expect *e, char *buf, size_t len)
{
    if (!e || e->kind == GT_NONE)
        snprintf(buf, len, "none");
    else if (e->kind == GT_PASS_THROUGH)
        snprintf(buf, len, "pass-through (parent)");
    else
        snprintf(buf, len, "first-stage{pgtbl=0x%llx aw=%u flags=0x%x}",
                 (unsigned long long)e->s1.pgtbl_addr, e->s1.addr_width, e->s1.flags);
}

static void pf_describe_actual(const struct pf_oracle *o, uint32_t hwpt, char *buf, size_t len)
{
    struct hb_hwpt_info info;
    if (hwpt == 0)
        snprintf(buf, len, "none");
    else if (!host_backend_hwpt_info(o->hb, hwpt, &info))
        snprintf(buf, len, "hwpt %u (unknown)", hwpt);
    else if (info.is_parent)
        snprintf(buf, len, "pass-through (parent hwpt %u)", hwpt);
    else
        snprintf(buf, len, "first-stage{pgtbl=0x%llx aw=%u flags=0x%x} hwpt %u",
                 (unsigned long long)info.s1.pgtbl_addr, info.s1.addr_width, info.s1.flags,
                 hwpt);
}

static bool pf_binding_matches(const struct pf_oracle *o, const struct pf_oracle_dev *s,
                               const struct pf_expect *e, uint32_t hwpt)
{
    if (!e || e->kind == GT_NONE)
        return hwpt == 0;
    if (hwpt == 0)
        return false;
    if (e->kind == GT_PASS_THROUGH)
        return hwpt == s->parent;
    struct hb_hwpt_info info;
    if (!host_backend_hwpt_info(o->hb, hwpt, &info) || info.is_parent)
        return false;
    return gt_s1_same(&info.s1, &e->s1);
}

static void pf_compare_pair(const struct pf_oracle *o, const struct pf_oracle_dev *s,
                            const struct pf_expect *e, uint32_t pasid, uint32_t hwpt)
{
    if ((e && e->exempt) || pf_binding_matches(o, s, e, hwpt))
        return;
    /* model/BEHAVIOUR.md: a failed bind fails closed, and the old binding
     * does not stay in use. */
    bool closed = e && e->fail_closed;
    if (closed && hwpt == 0)
        return;
    char want[128], got[160];
    pf_describe_expected(e, want, sizeof want);
    pf_describe_actual(o, hwpt, got, sizeof got);
    pf_violation(PF_V_ORACLE_MISMATCH, "dev=%u sid=0x%04x pasid=%u expected %s%s, actual %s",
                 s->dev, s->sid, pasid, want,
                 closed ? " or none (a bind failed closed)" : "", got);
}

static int pf_attach_cmp(const void *a, const void *b)
{
    const struct pf_attach *x = a, *y = b;
    if (x->dev != y->dev)
        return x->dev < y->dev ? -1 : 1;
    return x->pasid < y->pasid ? -1 : x->pasid > y->pasid;
}

/* Merge one device's expectations with its attachments [a, a_end). */
static void pf_check_dev(const struct pf_oracle *o, const struct pf_oracle_dev *s,
                          const struct pf_attach *a, const struct pf_attach *a_end)
{
    size_t k = 0;
    while (k < s->n || a < a_end) {
        if (a == a_end || (k < s->n && s->e[k].pasid < a->pasid)) {
            pf_compare_pair(o, s, &s->e[k], s->e[k].pasid, 0);
            k++;
        } else if (k == s->n || a->pasid < s->e[k].pasid) {
            pf_compare_pair(o, s, NULL, a->pasid, a->hwpt);
            a++;
        } else {
            pf_compare_pair(o, s, &s->e[k], a->pasid, a->hwpt);
            k++;
            a++;
        }
    }
}

/*
 * The check reads nothing but the expectations and the backend (its
 * attachments, hwpts and failure log). When neither has changed since a
 * check that passed, this one would see exactly the same and pass too, so
 * it is not repeated: it runs after every op, and most ops change neither.
 */
void pf_oracle_check(struct pf_oracle *o)
{
    if (o->checked && o->checked_gen == o->gen &&
        o->checked_hb_gen == host_backend_generation(o->hb))
        return;
    pf_oracle_check_now(o);
    o->checked = true;
    o->checked_gen = o->gen;
    o->checked_hb_gen = host_backend_generation(o->hb);
}

/* A failed bind is judged at the check that sees it (the only one that
 * finds fail_closed set). After that the model may bind the pair again
 * through a cached DID the oracle no longer follows, so the pair is exempt
 * until an event covers it again. */
static void pf_settle_failures(struct pf_oracle *o)
{
    for (unsigned i = 0; i < PF_ORACLE_DEVS; i++) {
        for (size_t k = 0; k < o->devs[i].n; k++) {
            struct pf_expect *e = &o->devs[i].e[k];
            e->exempt = e->exempt || e->fail_closed;
            e->fail_closed = false;
        }
    }
}

static void pf_oracle_check_now(struct pf_oracle *o)
{
    bool failures = pf_take_failures(o) > 0;
    o->natt = 0;
    host_backend_walk_attachments(o->hb, pf_collect, o);
    /* The walk comes in (dev, pasid) order already; pairs are unique, so
     * the sorted order is the same with or without the sort. */
    bool sorted = true;
    for (size_t k = 1; k < o->natt && sorted; k++)
        sorted = pf_attach_cmp(&o->att[k - 1], &o->att[k]) < 0;
    if (!sorted)
        qsort(o->att, o->natt, sizeof o->att[0], pf_attach_cmp);
    bool seen[PF_ORACLE_DEVS] = {false};
    size_t i = 0;
    while (i < o->natt) {
        size_t j = i;
        while (j < o->natt && o->att[j].dev == o->att[i].dev)
            j++;
        const struct pf_oracle_dev *s = pf_dev_by_id(o, o->att[i].dev);
        if (!s)
            pf_violation(PF_V_ORACLE_MISMATCH,
                         "dev=%u pasid=%u attached to hwpt %u but no plugged device has it",
                         o->att[i].dev, o->att[i].pasid, o->att[i].hwpt);
        /* Host device ids are unique: s is the one plugged device with it. */
        seen[s - o->devs] = true;
        if (!s->exempt_all)
            pf_check_dev(o, s, &o->att[i], &o->att[j]);
        i = j;
    }
    for (unsigned d = 0; d < PF_ORACLE_DEVS; d++) {
        const struct pf_oracle_dev *s = &o->devs[d];
        if (s->plugged && !s->exempt_all && !seen[d])
            pf_check_dev(o, s, NULL, NULL);
    }
    if (failures)
        pf_settle_failures(o);
}

void pf_oracle_first_stage(const struct pf_oracle *o, uint16_t did, uint32_t pasid,
                           pf_oracle_pair_fn fn, void *opaque)
{
    for (unsigned i = 0; i < PF_ORACLE_DEVS; i++) {
        const struct pf_oracle_dev *s = &o->devs[i];
        if (!s->plugged || s->exempt_all)
            continue;
        size_t k = pf_dev_seek(s, pasid);
        if (k == s->n || s->e[k].pasid != pasid)
            continue;
        const struct pf_expect *e = &s->e[k];
        if (!pf_failed(e) && e->kind == GT_FIRST_STAGE && e->did == did)
            fn(opaque, s->dev, pasid);
    }
}

unsigned pf_oracle_expected_count(const struct pf_oracle *o)
{
    unsigned n = 0;
    for (unsigned i = 0; i < PF_ORACLE_DEVS; i++)
        for (size_t k = 0; k < o->devs[i].n; k++)
            n += o->devs[i].e[k].kind != GT_NONE;
    return n;
}

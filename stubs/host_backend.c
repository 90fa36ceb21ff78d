/*
 * The stub host backend: an iommufd in miniature that judges every call
 * against guest memory (through guest_tables) and the model's cache.
 * Argument errors the kernel would reject come back as negative errnos;
 * anything that shows the model out of step with the guest or the host is a
 * violation and ends the process.
 */
#include "host_backend.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "host_backend_internal.h"
#include "violation.h"
#include "vtd_spec.h"

/* Bookkeeping memory the stub cannot do without: failing a call instead
 * would look to the model like a host error nobody injected, so a shortage
 * stops the run loudly (and not as a VIOLATION, which would blame the model). */
void *hb_xgrow(void *p, size_t *cap, size_t want, size_t elem)
{
    if (want <= *cap)
        return p;
    size_t n = *cap ? *cap : 8;
    while (n < want && n <= SIZE_MAX / 2)
        n *= 2;
    void *q = n >= want && n <= SIZE_MAX / elem ? realloc(p, n * elem) : NULL;
    if (!q) {
        fprintf(stderr, "pasidfuzz: host backend out of memory\n");
        abort();
    }
    memset((char *)q + *cap * elem, 0, (n - *cap) * elem);
    *cap = n;
    return q;
}

const char *hb_call_name(enum hb_call c)
{
    switch (c) {
    case HB_CALL_ALLOC: return "alloc_s1_hwpt";
    case HB_CALL_ATTACH: return "attach";
    case HB_CALL_DETACH: return "detach";
    case HB_CALL_FREE: return "free_hwpt";
    case HB_CALL_INVALIDATE: return "invalidate_cache";
    case HB_CALL_MEM: return "model_alloc";
    case HB_CALL_COUNT: break;
    }
    return "unknown";
}

__attribute__((format(printf, 2, 3)))
static void hb_trace(const struct host_backend *hb, const char *fmt, ...)
{
    if (!hb->trace)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("hb: ", hb->trace);
    vfprintf(hb->trace, fmt, ap);
    fputc('\n', hb->trace);
    va_end(ap);
}

/* ---- lookups ---- */

struct hb_dev *hb_dev_get(const struct host_backend *hb, uint32_t dev)
{
    for (unsigned i = 0; i < VTD_MAX_DEVICES; i++) {
        if (hb->devs[i].used && hb->devs[i].id == dev)
            return (struct hb_dev *)&hb->devs[i];
    }
    return NULL;
}

/* The record of a hwpt id ever handed out, dead or alive; NULL otherwise. */
struct hb_hwpt *hb_hwpt_get(const struct host_backend *hb, uint32_t id)
{
    if (id == 0 || id >= hb->next_id || !hb->ids[id].is_hwpt)
        return NULL;
    return &hb->ids[id];
}

static const char *hb_hwpt_state(const struct host_backend *hb, uint32_t id)
{
    if (id == 0 || id >= hb->next_id)
        return "was never allocated";
    if (!hb->ids[id].is_hwpt)
        return "is a device id, not a hwpt";
    return hb->ids[id].alive ? "is alive" : "was already freed";
}

/* Index of pasid in d->att, or where it would go (with *found false). */
static size_t hb_att_find(const struct hb_dev *d, uint32_t pasid, bool *found)
{
    size_t lo = 0, hi = d->natt;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->att[mid].pasid < pasid)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < d->natt && d->att[lo].pasid == pasid;
    return lo;
}

uint32_t hb_att_get(const struct hb_dev *d, uint32_t pasid)
{
    bool found;
    size_t i = hb_att_find(d, pasid, &found);
    return found ? d->att[i].hwpt : 0;
}

static void hb_att_set(struct host_backend *hb, struct hb_dev *d, uint32_t pasid,
                       uint32_t hwpt)
{
    bool found;
    size_t i = hb_att_find(d, pasid, &found);
    if (found) {
        hb->ids[d->att[i].hwpt].refs--;
    } else {
        d->att = hb_xgrow(d->att, &d->catt, d->natt + 1, sizeof *d->att);
        memmove(&d->att[i + 1], &d->att[i], (d->natt - i) * sizeof *d->att);
        d->natt++;
    }
    d->att[i] = (struct hb_attach){pasid, hwpt};
    hb->ids[hwpt].refs++;
}

static void hb_att_remove(struct host_backend *hb, struct hb_dev *d, size_t i)
{
    hb->ids[d->att[i].hwpt].refs--;
    memmove(&d->att[i], &d->att[i + 1], (d->natt - i - 1) * sizeof *d->att);
    d->natt--;
}

/* A fresh id; 0 once the 32-bit space is spent (never in practice, but an
 * id that wrapped to an old one would alias a dead hwpt). */
static uint32_t hb_new_id(struct host_backend *hb)
{
    if (hb->next_id == UINT32_MAX)
        return 0;
    uint32_t id = hb->next_id++;
    hb->ids = hb_xgrow(hb->ids, &hb->ids_cap, (size_t)id + 1, sizeof *hb->ids);
    memset(&hb->ids[id], 0, sizeof hb->ids[id]);
    return id;
}

static void hb_kill_hwpt(struct host_backend *hb, uint32_t id)
{
    struct hb_hwpt *h = &hb->ids[id];
    h->alive = false;
    hb->live_count--;
    if (h->is_parent)
        return;
    /* Swap-remove from the live list, keeping the moved id's index right. */
    uint32_t last = hb->live_s1[--hb->nlive_s1];
    hb->live_s1[h->live_idx] = last;
    hb->ids[last].live_idx = h->live_idx;
}

/* ---- fault injection ---- */

/* Counts the call and fails it if an injection is due. The failure comes
 * before any check and changes nothing: it stands for a host error the
 * model must cope with, so it must not also be judged as a model mistake. */
/* Counts a call of kind c; true, with the failure logged, when an injection
 * is due. */
static bool hb_due(struct host_backend *hb, enum hb_call c, uint32_t dev, uint32_t pasid,
                   uint32_t hwpt)
{
    hb->calls[c]++;
    if (hb->pending[c] == 0 || --hb->pending[c] != 0)
        return false;
    hb->gen++;
    hb->fails = hb_xgrow(hb->fails, &hb->cfails, hb->nfails + 1, sizeof *hb->fails);
    hb->fails[hb->nfails++] = (struct hb_failure){c, dev, pasid, hwpt};
    return true;
}

static int hb_inject(struct host_backend *hb, enum hb_call c, uint32_t dev, uint32_t pasid,
                     uint32_t hwpt)
{
    /* Every call may change something, so every call counts as a change. */
    hb->gen++;
    return hb_due(hb, c, dev, pasid, hwpt) ? -EIO : 0;
}

bool host_backend_mem_fail(void *opaque)
{
    struct host_backend *hb = opaque;
    if (!hb_due(hb, HB_CALL_MEM, 0, 0, 0))
        return false;
    hb_trace(hb, "model_alloc -> out of memory (injected)");
    return true;
}

void host_backend_fail_nth(struct host_backend *hb, enum hb_call c, unsigned nth)
{
    if ((unsigned)c < HB_CALL_COUNT)
        hb->pending[c] = nth;
    hb->gen++;
}

unsigned host_backend_take_failures(struct host_backend *hb, struct hb_failure *out,
                                    unsigned max)
{
    unsigned n = hb->nfails > UINT_MAX ? UINT_MAX : (unsigned)hb->nfails;
    for (unsigned i = 0; i < n && i < max; i++)
        out[i] = hb->fails[i];
    if (hb->nfails != 0)
        hb->gen++;
    hb->nfails = 0;
    return n;
}

unsigned host_backend_peek_failures(const struct host_backend *hb, struct hb_failure *out,
                                    unsigned max)
{
    unsigned n = hb->nfails > UINT_MAX ? UINT_MAX : (unsigned)hb->nfails;
    for (unsigned i = 0; i < n && i < max; i++)
        out[i] = hb->fails[i];
    return n;
}

size_t host_backend_invalidations(const struct host_backend *hb, const struct hb_inv_rec **log)
{
    *log = hb->invs;
    return hb->ninvs;
}

uint32_t host_backend_next_id(const struct host_backend *hb)
{
    return hb->next_id;
}

/* ---- the invariants of an attach ---- */

static void hb_check_range(const struct host_backend *hb, const struct hb_dev *d,
                           uint32_t pasid, uint32_t hwpt)
{
    uint32_t lim = gt_pasid_limit(&hb->view, d->max_pasid_log2);
    if (pasid >= lim)
        pf_violation(PF_V_BIND_RANGE,
                     "attach dev=%u sid=0x%04x pasid=%u hwpt=%u beyond the PASID limit %u "
                     "(pasid_bits=%u, device max_pasid_log2=%u)",
                     d->id, d->sid, pasid, hwpt, lim, hb->view.pasid_bits, d->max_pasid_log2);
    if (!gt_translated(&hb->view))
        return;
    /* Without a valid context there is no directory to be beyond: such an
     * attach is judged by bind-deleted (root-bad / context-bad) instead. */
    uint32_t dir = gt_dir_pasid_limit(&hb->view, d->sid);
    if (dir != 0 && pasid >= dir)
        pf_violation(PF_V_BIND_RANGE,
                     "attach dev=%u sid=0x%04x pasid=%u hwpt=%u beyond the PASID directory "
                     "(%u PASIDs)",
                     d->id, d->sid, pasid, hwpt, dir);
}

static void hb_check_bind(const struct host_backend *hb, const struct hb_dev *d,
                          uint32_t pasid, uint32_t hwpt, const struct hb_hwpt *h)
{
    hb_check_range(hb, d, pasid, hwpt);

    struct gt_binding b;
    gt_resolve(&hb->view, d->sid, d->max_pasid_log2, pasid, &b);
    if (b.kind == GT_NONE)
        pf_violation(PF_V_BIND_DELETED,
                     "attach dev=%u sid=0x%04x pasid=%u hwpt=%u but the guest has no valid "
                     "entry for it (%s)",
                     d->id, d->sid, pasid, hwpt, gt_reason_name(b.reason));
    if (b.kind == GT_PASS_THROUGH && hwpt != d->parent)
        pf_violation(PF_V_BIND_CONFIG,
                     "attach dev=%u sid=0x%04x pasid=%u hwpt=%u but the guest entry is "
                     "pass-through (parent hwpt=%u)",
                     d->id, d->sid, pasid, hwpt, d->parent);
    if (b.kind != GT_FIRST_STAGE)
        return;
    if (h->is_parent)
        pf_violation(PF_V_BIND_CONFIG,
                     "attach dev=%u sid=0x%04x pasid=%u hwpt=%u (the parent) but the guest "
                     "entry is first-stage pgtbl=0x%" PRIx64,
                     d->id, d->sid, pasid, hwpt, b.s1.pgtbl_addr);
    if (h->s1.pgtbl_addr != b.s1.pgtbl_addr || h->s1.addr_width != b.s1.addr_width ||
        h->s1.flags != b.s1.flags)
        pf_violation(PF_V_BIND_CONFIG,
                     "attach dev=%u sid=0x%04x pasid=%u hwpt=%u with pgtbl=0x%" PRIx64
                     " aw=%u flags=0x%x but the guest entry says pgtbl=0x%" PRIx64
                     " aw=%u flags=0x%x",
                     d->id, d->sid, pasid, hwpt, h->s1.pgtbl_addr, h->s1.addr_width,
                     h->s1.flags, b.s1.pgtbl_addr, b.s1.addr_width, b.s1.flags);
}

/* ---- the ops the model calls ---- */

static int hb_alloc(struct host_backend *hb, uint32_t dev, uint32_t parent,
                    const struct vtd_s1_config *cfg, uint32_t *out)
{
    struct hb_dev *d = hb_dev_get(hb, dev);
    if (!d)
        pf_violation(PF_V_DEV_UNPLUGGED, "alloc_s1_hwpt dev=%u parent=%u: device not plugged",
                     dev, parent);
    if (parent != d->parent || !cfg || !out)
        return -EINVAL;
    if ((cfg->addr_width != 48 && cfg->addr_width != 57) ||
        (cfg->pgtbl_addr & (VTD_PAGE_SIZE - 1)) || (cfg->flags & ~VTD_S1_FLAGS_ALL))
        return -EINVAL;
    uint32_t id = hb_new_id(hb);
    if (id == 0)
        return -ENOSPC;
    struct hb_hwpt *h = &hb->ids[id];
    *h = (struct hb_hwpt){.is_hwpt = true, .alive = true, .dev = dev, .parent = parent,
                          .s1 = *cfg, .live_idx = hb->nlive_s1};
    hb->live_s1 = hb_xgrow(hb->live_s1, &hb->clive_s1, hb->nlive_s1 + 1, sizeof *hb->live_s1);
    hb->live_s1[hb->nlive_s1++] = id;
    hb->live_count++;
    *out = id;
    return 0;
}

static int hb_op_alloc(void *opaque, uint32_t dev, uint32_t parent,
                       const struct vtd_s1_config *cfg, uint32_t *out)
{
    struct host_backend *hb = opaque;
    int rc = hb_inject(hb, HB_CALL_ALLOC, dev, 0, parent);
    bool injected = rc != 0;
    if (!injected)
        rc = hb_alloc(hb, dev, parent, cfg, out);
    char res[32] = "";
    if (injected)
        snprintf(res, sizeof res, " (injected)");
    else if (rc == 0)
        snprintf(res, sizeof res, " hwpt=%u", *out);
    hb_trace(hb, "alloc_s1_hwpt dev=%u parent=%u pgtbl=0x%" PRIx64 " aw=%u flags=0x%x -> %d%s",
             dev, parent, cfg ? cfg->pgtbl_addr : 0, cfg ? cfg->addr_width : 0,
             cfg ? cfg->flags : 0, rc, res);
    return rc;
}

static int hb_attach(struct host_backend *hb, uint32_t dev, uint32_t pasid, uint32_t hwpt)
{
    struct hb_dev *d = hb_dev_get(hb, dev);
    if (!d)
        pf_violation(PF_V_DEV_UNPLUGGED, "attach dev=%u pasid=%u hwpt=%u: device not plugged",
                     dev, pasid, hwpt);
    const struct hb_hwpt *h = hb_hwpt_get(hb, hwpt);
    if (!h || !h->alive)
        pf_violation(PF_V_HWPT_DEAD, "attach dev=%u sid=0x%04x pasid=%u hwpt=%u: hwpt %s",
                     dev, d->sid, pasid, hwpt, hb_hwpt_state(hb, hwpt));
    /* Another device's parent, or a first stage nested on one: the kernel
     * refuses to mix domains across devices this way. */
    if (h->is_parent ? h->dev != dev : h->parent != d->parent)
        return -EINVAL;
    hb_check_bind(hb, d, pasid, hwpt, h);
    hb_att_set(hb, d, pasid, hwpt);
    return 0;
}

static int hb_op_attach(void *opaque, uint32_t dev, uint32_t pasid, uint32_t hwpt)
{
    struct host_backend *hb = opaque;
    int rc = hb_inject(hb, HB_CALL_ATTACH, dev, pasid, hwpt);
    bool injected = rc != 0;
    if (!injected)
        rc = hb_attach(hb, dev, pasid, hwpt);
    hb_trace(hb, "attach dev=%u pasid=%u hwpt=%u -> %d%s", dev, pasid, hwpt, rc,
             injected ? " (injected)" : "");
    return rc;
}

static int hb_detach(struct host_backend *hb, uint32_t dev, uint32_t pasid)
{
    struct hb_dev *d = hb_dev_get(hb, dev);
    if (!d)
        pf_violation(PF_V_DEV_UNPLUGGED, "detach dev=%u pasid=%u: device not plugged", dev,
                     pasid);
    bool found;
    size_t i = hb_att_find(d, pasid, &found);
    if (!found)
        pf_violation(PF_V_DETACH_UNBOUND,
                     "detach dev=%u sid=0x%04x pasid=%u: nothing is attached there", dev,
                     d->sid, pasid);
    hb_att_remove(hb, d, i);
    return 0;
}

static int hb_op_detach(void *opaque, uint32_t dev, uint32_t pasid)
{
    struct host_backend *hb = opaque;
    int rc = hb_inject(hb, HB_CALL_DETACH, dev, pasid, 0);
    bool injected = rc != 0;
    if (!injected)
        rc = hb_detach(hb, dev, pasid);
    hb_trace(hb, "detach dev=%u pasid=%u -> %d%s", dev, pasid, rc, injected ? " (injected)" : "");
    return rc;
}

/* Names one attachment of hwpt for a busy-free message. */
static void hb_where_attached(const struct host_backend *hb, uint32_t hwpt, char *buf,
                              size_t len)
{
    snprintf(buf, len, "somewhere");
    for (unsigned i = 0; i < VTD_MAX_DEVICES; i++) {
        const struct hb_dev *d = &hb->devs[i];
        for (size_t j = 0; d->used && j < d->natt; j++) {
            if (d->att[j].hwpt == hwpt) {
                snprintf(buf, len, "dev=%u sid=0x%04x pasid=%u", d->id, d->sid,
                         d->att[j].pasid);
                return;
            }
        }
    }
}

static int hb_free(struct host_backend *hb, uint32_t hwpt)
{
    const struct hb_hwpt *h = hb_hwpt_get(hb, hwpt);
    if (!h || !h->alive)
        pf_violation(PF_V_HWPT_DEAD, "free_hwpt hwpt=%u: hwpt %s", hwpt,
                     hb_hwpt_state(hb, hwpt));
    if (h->is_parent) {
        const struct hb_dev *d = hb_dev_get(hb, h->dev);
        pf_violation(PF_V_HWPT_BUSY_FREE,
                     "free_hwpt hwpt=%u: it is the parent hwpt of dev=%u sid=0x%04x", hwpt,
                     h->dev, d ? d->sid : 0);
    }
    if (h->refs > 0) {
        char where[96];
        hb_where_attached(hb, hwpt, where, sizeof where);
        pf_violation(PF_V_HWPT_BUSY_FREE, "free_hwpt hwpt=%u: still attached at %s", hwpt,
                     where);
    }
    hb_kill_hwpt(hb, hwpt);
    return 0;
}

static int hb_op_free(void *opaque, uint32_t hwpt)
{
    struct host_backend *hb = opaque;
    int rc = hb_inject(hb, HB_CALL_FREE, 0, 0, hwpt);
    bool injected = rc != 0;
    if (!injected)
        rc = hb_free(hb, hwpt);
    hb_trace(hb, "free_hwpt hwpt=%u -> %d%s", hwpt, rc, injected ? " (injected)" : "");
    return rc;
}

static int hb_invalidate(struct host_backend *hb, uint32_t hwpt, const struct vtd_s1_inv *inv)
{
    struct hb_hwpt *h = hb_hwpt_get(hb, hwpt);
    if (!h || !h->alive)
        pf_violation(PF_V_HWPT_DEAD, "invalidate_cache hwpt=%u: hwpt %s", hwpt,
                     hb_hwpt_state(hb, hwpt));
    /* A parent is the host's second stage: the guest has no business
     * invalidating it, and the model only knows first stages to flush. */
    if (h->is_parent)
        pf_violation(PF_V_HWPT_DEAD,
                     "invalidate_cache hwpt=%u: it is the parent hwpt of dev=%u, not a "
                     "first-stage hwpt",
                     hwpt, h->dev);
    if (!inv || (inv->flags & ~VTD_S1_INV_FLAG_LEAF) || (inv->addr & (VTD_PAGE_SIZE - 1)) ||
        inv->npages == 0)
        return -EINVAL;
    h->invalidations++;
    h->last_inv = *inv;
    return 0;
}

static int hb_op_invalidate(void *opaque, uint32_t hwpt, const struct vtd_s1_inv *inv)
{
    struct host_backend *hb = opaque;
    int rc = hb_inject(hb, HB_CALL_INVALIDATE, 0, 0, hwpt);
    bool injected = rc != 0;
    if (!injected)
        rc = hb_invalidate(hb, hwpt, inv);
    hb->invs = hb_xgrow(hb->invs, &hb->cinvs, hb->ninvs + 1, sizeof *hb->invs);
    hb->invs[hb->ninvs++] = (struct hb_inv_rec){hwpt, inv ? *inv : (struct vtd_s1_inv){0}, rc,
                                                injected};
    hb_trace(hb, "invalidate_cache hwpt=%u addr=0x%" PRIx64 " npages=0x%" PRIx64
             " flags=0x%x -> %d%s",
             hwpt, inv ? inv->addr : 0, inv ? inv->npages : 0, inv ? inv->flags : 0, rc,
             injected ? " (injected)" : "");
    return rc;
}

static const struct vtd_host_ops hb_ops = {
    .alloc_s1_hwpt = hb_op_alloc,
    .attach = hb_op_attach,
    .detach = hb_op_detach,
    .free_hwpt = hb_op_free,
    .invalidate_cache = hb_op_invalidate,
};

const struct vtd_host_ops *host_backend_ops(void)
{
    return &hb_ops;
}

/* ---- lifecycle and devices ---- */

struct host_backend *host_backend_new(struct guest_mem *mem, uint8_t pasid_bits,
                                      bool fs_5level)
{
    if (!mem || pasid_bits < 1 || pasid_bits > 20)
        return NULL;
    struct host_backend *hb = calloc(1, sizeof *hb);
    if (!hb)
        return NULL;
    hb->scratch = calloc(1, sizeof *hb->scratch);
    if (!hb->scratch) {
        free(hb);
        return NULL;
    }
    hb->view = (struct gt_view){.mem = mem, .pasid_bits = pasid_bits, .fs_5level = fs_5level};
    hb->next_id = 1;
    return hb;
}

/* A device entry emptied, keeping its attachment buffer for the next
 * device: entries are reused over and over, inputs after inputs. */
static void hb_dev_clear(struct hb_dev *d)
{
    struct hb_attach *att = d->att;
    size_t catt = d->catt;
    *d = (struct hb_dev){0};
    d->att = att;
    d->catt = catt;
}

static void hb_forget(struct host_backend *hb)
{
    for (unsigned i = 0; i < VTD_MAX_DEVICES; i++)
        hb_dev_clear(&hb->devs[i]);
    hb->norder = 0;
    hb->gen++;
}

void host_backend_free(struct host_backend *hb)
{
    if (!hb)
        return;
    for (unsigned i = 0; i < VTD_MAX_DEVICES; i++)
        free(hb->devs[i].att);
    free(hb->ids);
    free(hb->live_s1);
    free(hb->fails);
    free(hb->invs);
    free(hb->scratch->v);
    free(hb->scratch->refs);
    free(hb->scratch->last);
    free(hb->scratch);
    free(hb);
}

/* Buffers go back to empty on reset: capacity left by earlier inputs would
 * let the same input skip growth paths, which fuzzers see as instability. */
static void hb_release_buffers(struct host_backend *hb)
{
    for (unsigned i = 0; i < VTD_MAX_DEVICES; i++) {
        free(hb->devs[i].att);
        hb->devs[i].att = NULL;
        hb->devs[i].catt = 0;
    }
    free(hb->ids);
    hb->ids = NULL;
    hb->ids_cap = 0;
    free(hb->live_s1);
    hb->live_s1 = NULL;
    hb->clive_s1 = 0;
    free(hb->fails);
    hb->fails = NULL;
    hb->cfails = 0;
    free(hb->invs);
    hb->invs = NULL;
    hb->cinvs = 0;
    struct hb_scratch *sc = hb->scratch;
    free(sc->v);
    free(sc->refs);
    free(sc->last);
    *sc = (struct hb_scratch){0};
}

void host_backend_reset(struct host_backend *hb)
{
    hb_forget(hb);
    hb_release_buffers(hb);
    hb->next_id = 1;
    hb->nlive_s1 = 0;
    hb->live_count = 0;
    hb->nfails = 0;
    hb->ninvs = 0;
    memset(hb->pending, 0, sizeof hb->pending);
    memset(hb->calls, 0, sizeof hb->calls);
    hb->view.rtaddr = 0;
    hb->view.te = false;
}

int host_backend_reconfigure(struct host_backend *hb, uint8_t pasid_bits, bool fs_5level)
{
    if (pasid_bits < 1 || pasid_bits > 20)
        return -EINVAL;
    host_backend_reset(hb);
    hb->view.pasid_bits = pasid_bits;
    hb->view.fs_5level = fs_5level;
    return 0;
}

void host_backend_set_root(struct host_backend *hb, uint64_t rtaddr_latched)
{
    if (hb->view.rtaddr != rtaddr_latched)
        hb->gen++;
    hb->view.rtaddr = rtaddr_latched;
}

void host_backend_set_te(struct host_backend *hb, bool te)
{
    if (hb->view.te != te)
        hb->gen++;
    hb->view.te = te;
}

uint64_t host_backend_generation(const struct host_backend *hb)
{
    return hb->gen;
}

const struct gt_view *host_backend_view(const struct host_backend *hb)
{
    return &hb->view;
}

void host_backend_set_trace(struct host_backend *hb, FILE *out)
{
    hb->trace = out;
}

int host_backend_plug(struct host_backend *hb, uint16_t sid, uint8_t max_pasid_log2,
                      uint32_t *dev_out, uint32_t *parent_hwpt_out)
{
    struct hb_dev *entry = NULL;
    for (unsigned i = 0; i < VTD_MAX_DEVICES; i++) {
        if (hb->devs[i].used && hb->devs[i].sid == sid)
            return -EEXIST;
        if (!hb->devs[i].used && !entry)
            entry = &hb->devs[i];
    }
    if (!entry)
        return -ENOSPC;
    if (hb->next_id >= UINT32_MAX - 1)
        return -ENOSPC;
    uint32_t dev = hb_new_id(hb), parent = hb_new_id(hb);
    *entry = (struct hb_dev){.used = true, .id = dev, .sid = sid,
                             .max_pasid_log2 = max_pasid_log2, .parent = parent,
                             .att = entry->att, .catt = entry->catt};
    hb->order[hb->norder++] = (uint8_t)(entry - hb->devs);
    hb->gen++;
    hb->ids[parent] = (struct hb_hwpt){.is_hwpt = true, .alive = true, .is_parent = true,
                                       .dev = dev};
    hb->live_count++;
    /* VFIO leaves requests without PASID on the parent: no checks, the
     * host does this, not the model. */
    hb_att_set(hb, entry, 0, parent);
    if (dev_out)
        *dev_out = dev;
    if (parent_hwpt_out)
        *parent_hwpt_out = parent;
    hb_trace(hb, "plug sid=0x%04x max_pasid_log2=%u -> 0 dev=%u parent=%u", sid, max_pasid_log2,
             dev, parent);
    return 0;
}

int host_backend_unplug(struct host_backend *hb, uint32_t dev)
{
    struct hb_dev *d = hb_dev_get(hb, dev);
    if (!d)
        return -ENOENT;
    bool found;
    size_t i = hb_att_find(d, 0, &found);
    if (found && d->att[i].hwpt == d->parent)
        hb_att_remove(hb, d, i);
    /* Whatever the model still has attached (PASID 0 on a first stage
     * included) it should have released before letting the device go. */
    if (d->natt > 0)
        pf_violation(PF_V_HWPT_LEAK,
                     "unplug dev=%u sid=0x%04x: pasid=%u still attached to hwpt=%u", dev,
                     d->sid, d->att[0].pasid, d->att[0].hwpt);
    for (size_t j = 0; j < hb->nlive_s1; j++) {
        uint32_t id = hb->live_s1[j];
        if (hb->ids[id].parent == d->parent)
            pf_violation(PF_V_HWPT_LEAK,
                         "unplug dev=%u sid=0x%04x: first-stage hwpt=%u on its parent "
                         "hwpt=%u is still allocated",
                         dev, d->sid, id, d->parent);
    }
    hb_kill_hwpt(hb, d->parent);
    hb_dev_clear(d);
    unsigned entry = (unsigned)(d - hb->devs), k = 0;
    while (k < hb->norder && hb->order[k] != entry)
        k++;
    if (k < hb->norder) {
        memmove(&hb->order[k], &hb->order[k + 1], hb->norder - k - 1);
        hb->norder--;
    }
    hb->gen++;
    hb_trace(hb, "unplug dev=%u -> 0", dev);
    return 0;
}

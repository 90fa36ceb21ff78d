/*
 * The PASID cache of each plugged host device and the host bindings it
 * mirrors. The rule that keeps the two honest: a cache entry exists exactly
 * while its PASID is attached on the host to the entry's hwpt. Every path
 * below, including each backend failure, preserves it.
 *
 * Lists are kept sorted by PASID: the replay walks PASIDs in ascending
 * order and so finds or inserts with a cursor instead of a search, and the
 * self-check can prove "no duplicate" by order alone.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vtd_internal.h"

/* ---- host calls ---- */

static const struct vtd_host_ops *vtd_host(const struct vtd *s)
{
    return s->cfg.host;
}

static void vtd_s1_config_from_entry(const uint64_t *pe, struct vtd_s1_config *cfg)
{
    cfg->pgtbl_addr = pe[2] & VTD_PE_FSPTPTR_MASK;
    cfg->addr_width = VTD_FS_ADDR_WIDTH(VTD_PE_FSPM(pe[2]));
    cfg->flags = 0;
    if (pe[2] & VTD_PE_SRE)
        cfg->flags |= VTD_S1_FLAG_SRE;
    if (pe[2] & VTD_PE_WPE)
        cfg->flags |= VTD_S1_FLAG_WPE;
    if (pe[2] & VTD_PE_EAFE)
        cfg->flags |= VTD_S1_FLAG_EAFE;
}

static bool vtd_entry_is_first_stage(const uint64_t *pe)
{
    return VTD_PE_PGTT(pe[0]) == VTD_PGTT_FIRST_STAGE;
}

/*
 * Attach the binding a (valid) entry asks for. On success *hwpt is what the
 * PASID is now attached to and *owned says whether it is a first-stage hwpt
 * made here. On failure nothing new exists on the host and the PASID keeps
 * whatever attachment it had.
 */
static bool vtd_bind(struct vtd *s, struct vtd_dev *d, uint32_t pasid, const uint64_t *pe,
                     uint32_t *hwpt, bool *owned)
{
    const struct vtd_host_ops *h = vtd_host(s);
    void *op = s->cfg.host_opaque;

    if (!vtd_entry_is_first_stage(pe)) {
        if (h->attach(op, d->host_dev, pasid, d->parent_hwpt) != 0)
            return false;
        *hwpt = d->parent_hwpt;
        *owned = false;
        return true;
    }
    struct vtd_s1_config cfg;
    uint32_t id = 0;
    vtd_s1_config_from_entry(pe, &cfg);
    if (h->alloc_s1_hwpt(op, d->host_dev, d->parent_hwpt, &cfg, &id) != 0)
        return false;
    if (h->attach(op, d->host_dev, pasid, id) != 0) {
        /* Never attached, so the free cannot meet a busy hwpt. */
        (void)h->free_hwpt(op, id);
        return false;
    }
    *hwpt = id;
    *owned = true;
    return true;
}

/* Freeing a hwpt nobody is attached to cannot fail in iommufd; if a host
 * still refused, there would be nothing left for the model to do with it. */
static void vtd_release_hwpt(struct vtd *s, uint32_t hwpt, bool owned)
{
    if (owned)
        (void)vtd_host(s)->free_hwpt(s->cfg.host_opaque, hwpt);
}

/* ---- list handling ---- */

static void vtd_pce_link(struct vtd_pce **at, struct vtd_pce *e)
{
    e->next = *at;
    e->pprev = at;
    if (e->next)
        e->next->pprev = &e->next;
    *at = e;
}

static void vtd_pce_unlink(struct vtd_pce *e)
{
    *e->pprev = e->next;
    if (e->next)
        e->next->pprev = e->pprev;
    e->next = NULL;
    e->pprev = NULL;
}

/* The link where an entry for pasid is or would be, starting at *from. */
static struct vtd_pce **vtd_pce_seek(struct vtd_pce **from, uint32_t pasid)
{
    while (*from && (*from)->pasid < pasid)
        from = &(*from)->next;
    return from;
}

static struct vtd_pce *vtd_pce_find(struct vtd_dev *d, uint32_t pasid)
{
    struct vtd_pce *e = *vtd_pce_seek(&d->cache, pasid);
    return e && e->pasid == pasid ? e : NULL;
}

/*
 * PASID 0 is also "DMA without PASID". Untranslated, it belongs on the
 * parent hwpt; translated, it is blocked unless a valid entry binds it, so
 * the parent attachment the host started with must go.
 */
static void vtd_settle_pasid0(struct vtd *s, struct vtd_dev *d)
{
    const struct vtd_host_ops *h = vtd_host(s);
    if (vtd_pce_find(d, 0))
        return;
    if (!vtd_translated(s)) {
        if (!d->pasid0_default &&
            h->attach(s->cfg.host_opaque, d->host_dev, 0, d->parent_hwpt) == 0)
            d->pasid0_default = true;
    } else if (d->pasid0_default) {
        if (h->detach(s->cfg.host_opaque, d->host_dev, 0) == 0)
            d->pasid0_default = false;
    }
}

/* ---- the three things that happen to an entry ---- */

/* Cache and bind a new entry at link `at` (the sorted position). */
static void vtd_pce_add(struct vtd *s, struct vtd_dev *d, struct vtd_pce **at, uint32_t pasid,
                        const uint64_t *pe)
{
    uint32_t hwpt;
    bool owned;
    /* The entry before the binding: out of memory, nothing is bound that
     * the cache could not account for. */
    struct vtd_pce *e = vtd_zalloc(&s->cfg, sizeof *e);
    if (!e || !vtd_bind(s, d, pasid, pe, &hwpt, &owned)) {
        free(e);
        /* Fails closed: translated, the parent attachment PASID 0 came
         * with must not stay in place of the tables the guest asked for. */
        if (pasid == 0)
            vtd_settle_pasid0(s, d);
        return;
    }
    e->pasid = pasid;
    memcpy(e->entry, pe, sizeof e->entry);
    e->hwpt = hwpt;
    e->owns_hwpt = owned;
    vtd_pce_link(at, e);
    if (pasid == 0)
        d->pasid0_default = false;
}

/* Detach and forget an entry. false if the host refused the detach: the
 * entry then stays, still true to the host. */
static bool vtd_pce_drop(struct vtd *s, struct vtd_dev *d, struct vtd_pce *e)
{
    if (vtd_host(s)->detach(s->cfg.host_opaque, d->host_dev, e->pasid) != 0)
        return false;
    vtd_release_hwpt(s, e->hwpt, e->owns_hwpt);
#ifdef PF_MUTANT_UNLINK_AFTER_FREE
    /* Mutant unlink-after-free (model/mutants.md): the entry is freed
     * before it leaves the list. */
    free(e);
    vtd_pce_unlink(e);
#else
    vtd_pce_unlink(e);
    free(e);
#endif
    return true;
}

/*
 * The guest changed a cached entry. Attach the new binding (a replace on
 * the host), then free the old first-stage hwpt. If the new binding cannot
 * be made, fail closed: the guest has retired the old tables, so DMA must
 * not keep using them; the PASID is detached and the entry dropped, and the
 * next invalidation that covers it tries again. Only if even that detach is
 * refused does the old binding stay, with its old cached copy.
 */
static void vtd_pce_replace(struct vtd *s, struct vtd_dev *d, struct vtd_pce *e,
                            const uint64_t *pe)
{
    uint32_t hwpt;
    bool owned;
    if (vtd_bind(s, d, e->pasid, pe, &hwpt, &owned)) {
        if (e->hwpt != hwpt)
            vtd_release_hwpt(s, e->hwpt, e->owns_hwpt);
        memcpy(e->entry, pe, sizeof e->entry);
        e->hwpt = hwpt;
        e->owns_hwpt = owned;
        return;
    }
    (void)vtd_pce_drop(s, d, e);
}

/* ---- sync ---- */

static bool vtd_in_scope(const struct vtd_pce *e, const struct vtd_sync_info *info)
{
    switch (info->scope) {
    case VTD_SYNC_GLOBAL:
        return true;
    case VTD_SYNC_DOMAIN:
        return VTD_PE_DID(e->entry[1]) == info->did;
    case VTD_SYNC_PASID:
        return e->pasid == info->pasid && VTD_PE_DID(e->entry[1]) == info->did;
    }
    return false;
}

#ifdef PF_MUTANT_REPLAY_STALE_COPY
/* Mutant replay-stale-copy (model/mutants.md): the replay brings back the
 * entries the invalidate phase just deleted, from their stale cached copy. */
static struct {
    uint32_t pasid;
    uint64_t entry[VTD_PE_QWORDS];
} vtd_mutant_stale[16];
static unsigned vtd_mutant_stale_n;

static void vtd_mutant_remember(const struct vtd_pce *e)
{
    if (vtd_mutant_stale_n < 16) {
        vtd_mutant_stale[vtd_mutant_stale_n].pasid = e->pasid;
        memcpy(vtd_mutant_stale[vtd_mutant_stale_n].entry, e->entry, sizeof e->entry);
        vtd_mutant_stale_n++;
    }
}

static void vtd_mutant_rebind_stale(struct vtd *s, struct vtd_dev *d)
{
    for (unsigned i = 0; i < vtd_mutant_stale_n; i++) {
        struct vtd_pce **at = vtd_pce_seek(&d->cache, vtd_mutant_stale[i].pasid);
        if (!*at || (*at)->pasid != vtd_mutant_stale[i].pasid)
            vtd_pce_add(s, d, at, vtd_mutant_stale[i].pasid, vtd_mutant_stale[i].entry);
    }
    vtd_mutant_stale_n = 0;
}
#endif

/*
 * Re-read every cached entry the invalidation covers. One that is gone goes;
 * one that changed but is still valid is rebound here, because the replay's
 * DID filter looks at the entry in memory and would skip an entry whose DID
 * changed (invalidated by its old DID).
 */
static void vtd_invalidate_phase(struct vtd *s, struct vtd_dev *d, struct vtd_sync_info *info)
{
    struct vtd_pce *e = d->cache;
    while (e) {
        struct vtd_pce *next = e->next;
        if (vtd_in_scope(e, info)) {
            uint64_t pe[VTD_PE_QWORDS];
            if (vtd_walk_pasid(s, d, e->pasid, pe) != VTD_WALK_OK) {
                /* The seed patch's shortcut: for a PASID-selective sync a
                 * deleted entry cannot come back in this device's replay. */
#ifdef PF_MUTANT_REPLAY_STALE_COPY
                vtd_mutant_remember(e);
#endif
#ifdef PF_MUTANT_DELETED_FLAG_ANY_GRANULARITY
                /* Mutant deleted-flag-any-granularity (model/mutants.md). */
                if (vtd_pce_drop(s, d, e))
                    info->deleted = true;
#else
                if (vtd_pce_drop(s, d, e) && info->scope == VTD_SYNC_PASID)
                    info->deleted = true;
#endif
            } else if (memcmp(pe, e->entry, sizeof pe) != 0) {
                vtd_pce_replace(s, d, e, pe);
            }
        }
        e = next;
    }
}

static bool vtd_replay_wants(const struct vtd_sync_info *info, const uint64_t *pe)
{
    return info->scope == VTD_SYNC_GLOBAL || VTD_PE_DID(pe[1]) == info->did;
}

/* Bring the cache in line with the valid entry pe of pasid, read from the
 * guest; cursor is at or before pasid's place in the sorted list. */
static struct vtd_pce **vtd_replay_entry(struct vtd *s, struct vtd_dev *d,
                                         const struct vtd_sync_info *info, uint32_t pasid,
                                         const uint64_t *pe, struct vtd_pce **cursor)
{
    if (!vtd_replay_wants(info, pe))
        return cursor;
    cursor = vtd_pce_seek(cursor, pasid);
    struct vtd_pce *e = *cursor;
    if (!e || e->pasid != pasid)
        vtd_pce_add(s, d, cursor, pasid, pe);
    else if (memcmp(pe, e->entry, sizeof e->entry) != 0)
        vtd_pce_replace(s, d, e, pe);
    return cursor;
}

/* Walk one 64-PASID table of the directory over [lo, hi). */
static struct vtd_pce **vtd_replay_table(struct vtd *s, struct vtd_dev *d,
                                         const struct vtd_sync_info *info, uint64_t table,
                                         uint32_t lo, uint32_t hi, struct vtd_pce **cursor)
{
    uint64_t entries[VTD_PASIDS_PER_TABLE][VTD_PE_QWORDS];
    if (!vtd_read_table(s, table, entries))
        return cursor;
    for (uint32_t pasid = lo; (pasid = vtd_table_next(entries, pasid, hi)) < hi; pasid++) {
        const uint64_t *pe = entries[pasid % VTD_PASIDS_PER_TABLE];
        if (vtd_entry_check(s, pe) == VTD_WALK_OK)
            cursor = vtd_replay_entry(s, d, info, pasid, pe, cursor);
    }
    return cursor;
}

/*
 * A range of one PASID (a PASID-selective sync, or any sync of a device
 * limited to PASID 0) is replayed from one directory entry and one PASID
 * entry, read alone. Directories and tables are page aligned and
 * memory is mapped in pages, so each read succeeds exactly when the page
 * the walk over a range would read does, and the outcome is the same.
 */
static void vtd_replay_one(struct vtd *s, struct vtd_dev *d, const struct vtd_sync_info *info,
                           const struct vtd_context *ctx, uint32_t pasid)
{
    uint64_t table, pe[VTD_PE_QWORDS];
    if (vtd_walk_dir(s, ctx, pasid, &table) != VTD_WALK_OK ||
        vtd_walk_entry_in_table(s, table, pasid, pe) != VTD_WALK_OK)
        return;
    (void)vtd_replay_entry(s, d, info, pasid, pe, &d->cache);
}

/* Directory entries are taken a page (512 tables) at a time: an unreadable
 * page is skipped whole, a readable one scanned in a tight loop. */
static void vtd_replay_phase(struct vtd *s, struct vtd_dev *d, const struct vtd_sync_info *info,
                             uint32_t start, uint32_t end)
{
    const uint64_t per_page = VTD_PAGE_SIZE / VTD_PDIR_ENTRY_BYTES;
    struct vtd_context ctx;
    if (vtd_walk_context(s, d, &ctx) != VTD_WALK_OK)
        return;
    if (end > ctx.pasid_limit)
        end = ctx.pasid_limit;
    if (start >= end)
        return;
    if (end - start == 1) {
        vtd_replay_one(s, d, info, &ctx, start);
        return;
    }
    struct vtd_pce **cursor = &d->cache;
    struct vtd_dir_block blk;
    uint64_t idx = start / VTD_PASIDS_PER_TABLE;
    uint64_t idx_end = (end - 1) / VTD_PASIDS_PER_TABLE + 1;
    while (idx < idx_end) {
        uint64_t page_end = idx - idx % per_page + per_page;
        if (page_end > idx_end)
            page_end = idx_end;
        if (!vtd_dir_block_load(s, &ctx, idx, page_end, &blk)) {
            idx = page_end;
            continue;
        }
        for (; (idx = vtd_dir_block_next(&blk, idx, page_end)) < page_end; idx++) {
            uint64_t table;
            if (vtd_dir_block_entry(&blk, idx, &table) != VTD_WALK_OK)
                continue;
            uint64_t lo = idx * VTD_PASIDS_PER_TABLE, hi = lo + VTD_PASIDS_PER_TABLE;
            cursor = vtd_replay_table(s, d, info, table, (uint32_t)(lo > start ? lo : start),
                                      (uint32_t)(hi < end ? hi : end), cursor);
        }
    }
}

void vtd_pasid_cache_sync(struct vtd *s, struct vtd_sync_info *info)
{
    uint32_t start = 0, end = 1u << s->cfg.pasid_bits;
    if (info->scope == VTD_SYNC_PASID) {
        /* A PASID past pasid_bits names nothing; the range stays empty. */
        if (info->pasid < end) {
            start = info->pasid;
            end = info->pasid + 1;
        } else {
            start = end;
        }
    }
    info->deleted = false;
    for (unsigned i = 0; i < VTD_MAX_DEVICES; i++) {
        struct vtd_dev *d = &s->devs[i];
        if (!d->plugged)
            continue;
#ifdef PF_MUTANT_REPLAY_STALE_COPY
        vtd_mutant_stale_n = 0;
#endif
        vtd_invalidate_phase(s, d, info);
        if (info->deleted) {
#ifndef PF_MUTANT_DELETED_FLAG_STICKY
            info->deleted = false;
#endif
        } else if (start < end) {
#ifdef PF_MUTANT_REPLAY_STALE_COPY
            vtd_mutant_rebind_stale(s, d);
#endif
            vtd_replay_phase(s, d, info, start, end);
        }
        if (info->scope == VTD_SYNC_GLOBAL || !vtd_translated(s))
            vtd_settle_pasid0(s, d);
    }
}

void vtd_pasid_sync_all(struct vtd *s)
{
    struct vtd_sync_info info = {VTD_SYNC_GLOBAL, 0, 0, false};
    vtd_pasid_cache_sync(s, &info);
}

void vtd_piotlb_propagate(struct vtd *s, uint16_t did, uint32_t pasid,
                          const struct vtd_s1_inv *inv)
{
    for (unsigned i = 0; i < VTD_MAX_DEVICES; i++) {
        struct vtd_dev *d = &s->devs[i];
        if (!d->plugged)
            continue;
        struct vtd_pce *e = vtd_pce_find(d, pasid);
        if (!e || !e->owns_hwpt || VTD_PE_DID(e->entry[1]) != did)
            continue;
        /* The guest has no way to hear of a failed host flush; the entry's
         * next change replaces the hwpt and its IOTLB with it. */
        (void)vtd_host(s)->invalidate_cache(s->cfg.host_opaque, e->hwpt, inv);
    }
}

/* ---- plug / unplug ---- */

static struct vtd_dev *vtd_dev_by_sid(struct vtd *s, uint16_t sid)
{
    for (unsigned i = 0; i < VTD_MAX_DEVICES; i++)
        if (s->devs[i].plugged && s->devs[i].sid == sid)
            return &s->devs[i];
    return NULL;
}

int vtd_plug(struct vtd *s, uint16_t sid, uint8_t max_pasid_log2, uint32_t host_dev,
             uint32_t parent_hwpt)
{
    if (max_pasid_log2 > 20 || host_dev == 0 || parent_hwpt == 0)
        return -EINVAL;
    struct vtd_dev *free_dev = NULL;
    for (unsigned i = 0; i < VTD_MAX_DEVICES; i++) {
        struct vtd_dev *d = &s->devs[i];
        if (d->plugged && (d->sid == sid || d->host_dev == host_dev))
            return -EEXIST;
        if (!d->plugged && !free_dev)
            free_dev = d;
    }
    if (!free_dev)
        return -ENOSPC;
    *free_dev = (struct vtd_dev){
        .plugged = true,
        .sid = sid,
        .max_pasid_log2 = max_pasid_log2,
        .host_dev = host_dev,
        .parent_hwpt = parent_hwpt,
        .pasid0_default = true,
        .cache = NULL,
    };
    return 0;
}

int vtd_unplug(struct vtd *s, uint16_t sid)
{
    struct vtd_dev *d = vtd_dev_by_sid(s, sid);
    if (!d)
        return -ENOENT;
    struct vtd_pce *e = d->cache;
    while (e) {
        struct vtd_pce *next = e->next;
        (void)vtd_pce_drop(s, d, e);
        e = next;
    }
    if (d->cache)
        return -EBUSY;
    *d = (struct vtd_dev){0};
    return 0;
}

/* ---- introspection ---- */

void vtd_cache_walk(const struct vtd *s, vtd_cache_visit_fn visit, void *opaque)
{
    for (unsigned i = 0; i < VTD_MAX_DEVICES; i++) {
        const struct vtd_dev *d = &s->devs[i];
        if (!d->plugged)
            continue;
        for (const struct vtd_pce *e = d->cache; e; e = e->next) {
            struct vtd_cache_view v = {
                .sid = d->sid,
                .host_dev = d->host_dev,
                .parent_hwpt = d->parent_hwpt,
                .pasid = e->pasid,
                .hwpt = e->hwpt,
            };
            memcpy(v.entry, e->entry, sizeof v.entry);
            visit(opaque, &v);
        }
    }
}

static bool vtd_list_has_cycle(const struct vtd_pce *head)
{
    const struct vtd_pce *slow = head, *fast = head;
    while (fast && fast->next) {
        slow = slow->next;
        fast = fast->next->next;
        if (slow == fast)
            return true;
    }
    return false;
}

static bool vtd_dev_self_check(const struct vtd_dev *d, char *why, size_t why_len)
{
    if (vtd_list_has_cycle(d->cache)) {
        snprintf(why, why_len, "sid 0x%04x: cache list has a cycle", d->sid);
        return false;
    }
    struct vtd_pce *const *link = &d->cache;
    for (const struct vtd_pce *e = d->cache; e; link = &e->next, e = e->next) {
        if (e->pprev != link) {
            snprintf(why, why_len, "sid 0x%04x: pasid %u has a broken back-link", d->sid,
                     e->pasid);
            return false;
        }
        if (e->next && e->next->pasid <= e->pasid) {
            snprintf(why, why_len, "sid 0x%04x: pasid %u %s pasid %u", d->sid, e->pasid,
                     e->next->pasid == e->pasid ? "duplicated by" : "out of order before",
                     e->next->pasid);
            return false;
        }
    }
    return true;
}

bool vtd_cache_self_check(const struct vtd *s, char *why, size_t why_len)
{
    for (unsigned i = 0; i < VTD_MAX_DEVICES; i++) {
        if (s->devs[i].plugged && !vtd_dev_self_check(&s->devs[i], why, why_len))
            return false;
    }
    if (why_len)
        why[0] = '\0';
    return true;
}

/*
 * PASID-cache behaviour when the host refuses a call, PASID-IOTLB
 * propagation to first-stage hwpts, and plug/unplug.
 */
#include <errno.h>

#include "pasid_sync_common.h"

static unsigned take_one(struct fx *f, struct hb_failure *out)
{
    struct hb_failure recs[8];
    unsigned n = host_backend_take_failures(f->hb, recs, 8);
    if (n >= 1 && out)
        *out = recs[0];
    return n;
}

/* SA/7's first bind meets a failure of kind c: nothing is bound or left
 * allocated, the failure is logged, and the next invalidation binds it. */
static struct fx *first_bind_fails(enum hb_call c)
{
    struct fx *f = two_devs();
    put_fs(f, SA, 7, 3, 1);
    host_backend_fail_nth(f->hb, c, 1);
    fx_pc(f, VTD_PC_G_PASID, 3, 7);
    CHECK(is_unbound(f, SA, 7));
    CHECK_EQ_U64(host_backend_live_hwpts(f->hb), 2);   /* no s1 left behind */
    struct hb_failure r;
    CHECK_EQ_U64(take_one(f, &r), 1);
    CHECK(r.call == c);
    /* A failed allocation of the model's own names no device. */
    CHECK(c == HB_CALL_MEM ? r.dev == 0 : r.dev == fx_hdev(f, SA) && r.pasid == 7);
    fx_pc(f, VTD_PC_G_PASID, 3, 7);
    CHECK(is_fs(f, SA, 7, 3, 1));
    return f;
}

static void failed_first_attach_caches_nothing(void)
{
    struct fx *f = first_bind_fails(HB_CALL_ATTACH);

    /* Failed alloc: no attach at all. */
    put_fs(f, SA, 8, 3, 2);
    host_backend_fail_nth(f->hb, HB_CALL_ALLOC, 1);
    struct calls c = calls_now(f);
    fx_pc(f, VTD_PC_G_PASID, 3, 8);
    CHECK(is_unbound(f, SA, 8));
    CHECK_EQ_U64(calls_since(f, &c, HB_CALL_ATTACH), 0);
    CHECK_EQ_U64(take_one(f, NULL), 1);
    fx_pc(f, VTD_PC_G_PASID, 3, 8);
    CHECK(is_fs(f, SA, 8, 3, 2));

    /* Pass-through whose attach fails. */
    put_pt(f, SB, 9, 3);
    host_backend_fail_nth(f->hb, HB_CALL_ATTACH, 1);
    fx_pc(f, VTD_PC_G_PASID, 3, 9);
    CHECK(is_unbound(f, SB, 9));
    CHECK_EQ_U64(take_one(f, NULL), 1);

    /* The second of three attaches fails: exactly that PASID is missing. */
    put_fs(f, SB, 20, 4, 20);
    put_fs(f, SB, 21, 4, 21);
    put_fs(f, SB, 22, 4, 22);
    host_backend_fail_nth(f->hb, HB_CALL_ATTACH, 2);
    fx_pc(f, VTD_PC_G_DOMAIN, 4, 0);
    struct hb_failure r;
    CHECK_EQ_U64(take_one(f, &r), 1);
    for (uint32_t p = 20; p <= 22; p++) {
        if (p == r.pasid)
            CHECK(is_unbound(f, SB, p));
        else
            CHECK(is_fs(f, SB, p, 4, p));
    }
    CHECK(r.pasid >= 20 && r.pasid <= 22);
    fx_free(f);
}

/*
 * A bound entry at SA/7 (DID 3, FX_PGTBL(1)) rewritten to DID 4,
 * FX_PGTBL(2). A PASID-selective sync with the old DID covers the cached
 * copy (the replace happens in the invalidate phase) but its replay skips
 * the rewritten entry, so what the failed replace left is what stays.
 */
static struct fx *changed_entry(uint32_t *old_hw)
{
    struct fx *f = two_devs();
    put_fs(f, SA, 7, 3, 1);
    fx_pc_global(f);
    *old_hw = fx_attached(f, SA, 7);
    CHECK(is_fs(f, SA, 7, 3, 1));
    put_fs(f, SA, 7, 4, 2);
    return f;
}

static void failed_replace_fails_closed(void)
{
    static const enum hb_call kinds[] = {HB_CALL_ATTACH, HB_CALL_ALLOC};
    for (unsigned i = 0; i < 2; i++) {
        uint32_t old;
        struct fx *f = changed_entry(&old);
        host_backend_fail_nth(f->hb, kinds[i], 1);
        fx_pc(f, VTD_PC_G_PASID, 3, 7);
        CHECK(is_unbound(f, SA, 7));
        CHECK(hwpt_dead(f, old));
        CHECK_EQ_U64(host_backend_live_hwpts(f->hb), 2);
        CHECK_EQ_U64(take_one(f, NULL), 1);
        fx_pc(f, VTD_PC_G_PASID, 4, 7);
        CHECK(is_fs(f, SA, 7, 4, 2));
        fx_free(f);
    }

    /* First stage -> pass-through whose attach fails. */
    uint32_t old;
    struct fx *f = changed_entry(&old);
    put_pt(f, SA, 7, 4);
    host_backend_fail_nth(f->hb, HB_CALL_ATTACH, 1);
    fx_pc(f, VTD_PC_G_PASID, 3, 7);
    CHECK(is_unbound(f, SA, 7));
    CHECK(hwpt_dead(f, old));
    CHECK_EQ_U64(host_backend_live_hwpts(f->hb), 2);
    fx_free(f);

    /* Same DID: the replay of the same sync may retry the new entry (the
     * injected failure is spent), but the old tables are never kept. */
    f = two_devs();
    put_fs(f, SA, 7, 3, 1);
    fx_pc_global(f);
    old = fx_attached(f, SA, 7);
    put_fs(f, SA, 7, 3, 2);
    host_backend_fail_nth(f->hb, HB_CALL_ATTACH, 1);
    fx_pc(f, VTD_PC_G_PASID, 3, 7);
    CHECK(hwpt_dead(f, old));
    CHECK(is_unbound(f, SA, 7) || is_fs(f, SA, 7, 3, 2));
    fx_free(f);
}

static void failed_replace_and_detach_keeps_old(void)
{
    uint32_t old;
    struct fx *f = changed_entry(&old);
    host_backend_fail_nth(f->hb, HB_CALL_ATTACH, 1);
    host_backend_fail_nth(f->hb, HB_CALL_DETACH, 1);
    fx_pc(f, VTD_PC_G_PASID, 3, 7);
    CHECK(is_fs(f, SA, 7, 3, 1));
    CHECK_EQ_U64(fx_attached(f, SA, 7), old);
    CHECK_EQ_U64(host_backend_live_hwpts(f->hb), 3);  /* the new s1 went away */
    CHECK_EQ_U64(take_one(f, NULL), 2);
    fx_pc(f, VTD_PC_G_PASID, 3, 7);
    CHECK(is_fs(f, SA, 7, 4, 2));
    CHECK(hwpt_dead(f, old));
    fx_free(f);
}

static void failed_detach_keeps_entry(void)
{
    struct fx *f = two_devs();
    put_fs(f, SA, 7, 3, 1);
    fx_pc_global(f);
    uint32_t hw = fx_attached(f, SA, 7);
    fx_clear_pe(f, SA, 7);
    host_backend_fail_nth(f->hb, HB_CALL_DETACH, 1);
    fx_pc(f, VTD_PC_G_PASID, 3, 7);
    CHECK(is_fs(f, SA, 7, 3, 1));
    CHECK_EQ_U64(fx_attached(f, SA, 7), hw);
    struct hb_failure r;
    CHECK_EQ_U64(take_one(f, &r), 1);
    CHECK(r.call == HB_CALL_DETACH && r.pasid == 7);
    fx_pc(f, VTD_PC_G_PASID, 3, 7);
    CHECK(is_unbound(f, SA, 7));
    CHECK(hwpt_dead(f, hw));

    /* Leaving translation with a detach refused: that binding stays cached. */
    put_fs(f, SB, 5, 3, 5);
    fx_pc_global(f);
    hw = fx_attached(f, SB, 5);
    host_backend_fail_nth(f->hb, HB_CALL_DETACH, 1);
    fx_te(f, false);
    CHECK_EQ_U64(take_one(f, NULL), 1);
    CHECK_EQ_U64(fx_attached(f, SB, 5), hw);
    CHECK(fx_cache_get(f, SB, 5, NULL));
    CHECK_EQ_U64(fx_attached(f, SA, 0), fx_parent(f, SA));
    fx_pc_global(f);
    CHECK(is_unbound(f, SB, 5));
    fx_free(f);
}

static void unplug_releases_everything(void)
{
    struct fx *f = two_devs();
    put_fs(f, SA, 0, 1, 1);
    put_fs(f, SA, 1, 1, 2);
    put_fs(f, SA, 2, 1, 3);
    put_pt(f, SA, 3, 1);
    put_fs(f, SB, 1, 1, 4);
    fx_pc_global(f);
    CHECK_EQ_U64(host_backend_live_hwpts(f->hb), 2 + 4);
    uint32_t dev = fx_hdev(f, SA);

    CHECK_EQ_U64(vtd_unplug(f->vtd, SA), 0);
    CHECK_EQ_U64(fx_cache_count_dev(f, SA), 0);
    CHECK_EQ_U64(host_backend_live_hwpts(f->hb), 2 + 1);
    for (uint32_t p = 1; p <= 3; p++)
        CHECK_EQ_U64(host_backend_attached(f->hb, dev, p), 0);
    uint32_t p0 = host_backend_attached(f->hb, dev, 0);
    CHECK(p0 == 0 || p0 == fx_parent(f, SA));
    CHECK_EQ_U64(host_backend_unplug(f->hb, dev), 0);
    fx_dev(f, SA)->used = false;
    fx_check(f);
    CHECK_EQ_U64(host_backend_live_hwpts(f->hb), 1 + 1);
    CHECK_EQ_U64(vtd_unplug(f->vtd, SA), -ENOENT);
    CHECK(is_fs(f, SB, 1, 1, 4));

    /* Plug again: a clean start, bound by the next invalidation. */
    CHECK_EQ_U64(fx_plug(f, SA, 20), 0);
    CHECK_EQ_U64(fx_attached(f, SA, 0), fx_parent(f, SA));
    CHECK_EQ_U64(fx_cache_count_dev(f, SA), 0);
    fx_pc_global(f);
    CHECK(is_fs(f, SA, 1, 1, 2));
    CHECK(is_fs(f, SA, 0, 1, 1));
    fx_free(f);
}

static void unplug_with_failing_detach(void)
{
    struct fx *f = two_devs();
    put_fs(f, SA, 1, 1, 1);
    put_fs(f, SA, 2, 1, 2);
    fx_pc_global(f);
    host_backend_fail_nth(f->hb, HB_CALL_DETACH, 1);
    CHECK_EQ_U64(fx_unplug(f, SA), -EBUSY);
    CHECK_EQ_U64(take_one(f, NULL), 1);
    /* Still plugged with exactly the binding it could not release. */
    CHECK_EQ_U64(fx_cache_count_dev(f, SA), 1);
    unsigned kept = 0;
    for (uint32_t p = 1; p <= 2; p++) {
        if (fx_cache_get(f, SA, p, NULL)) {
            kept++;
            CHECK(is_fs(f, SA, p, 1, p));
        } else {
            CHECK(is_unbound(f, SA, p));
        }
    }
    CHECK_EQ_U64(kept, 1);
    CHECK_EQ_U64(vtd_plug(f->vtd, SA, 20, 999, 998), -EEXIST);
    CHECK_EQ_U64(fx_unplug(f, SA), 0);
    CHECK_EQ_U64(host_backend_live_hwpts(f->hb), 1);
    fx_free(f);
}

static void plug_errors(void)
{
    struct fx *f = fx_new(20, false);
    CHECK_EQ_U64(fx_plug(f, SA, 20), 0);
    uint32_t dev = fx_hdev(f, SA), parent = fx_parent(f, SA);
    CHECK_EQ_U64(vtd_plug(f->vtd, SA, 20, 500, 501), -EEXIST);          /* sid taken */
    CHECK_EQ_U64(vtd_plug(f->vtd, SB, 20, dev, parent), -EEXIST);       /* host dev taken */
    CHECK_EQ_U64(vtd_plug(f->vtd, SB, 20, 0, 501), -EINVAL);
    CHECK_EQ_U64(vtd_plug(f->vtd, SB, 20, 500, 0), -EINVAL);
    CHECK_EQ_U64(vtd_unplug(f->vtd, SB), -ENOENT);
    fx_free(f);

    /* Capacity: made-up host ids, no backend calls happen on plug/unplug of
     * devices without bindings. */
    f = fx_new(20, false);
    for (unsigned i = 0; i < VTD_MAX_DEVICES; i++)
        CHECK_EQ_U64(vtd_plug(f->vtd, (uint16_t)(0x100 + i), 5, 1000 + i, 2000 + i), 0);
    CHECK_EQ_U64(vtd_plug(f->vtd, 0x200, 5, 3000, 3001), -ENOSPC);
    struct calls c = calls_now(f);
    for (unsigned i = 0; i < VTD_MAX_DEVICES; i++)
        CHECK_EQ_U64(vtd_unplug(f->vtd, (uint16_t)(0x100 + i)), 0);
    for (unsigned k = 0; k < HB_CALL_COUNT; k++)
        CHECK_EQ_U64(calls_since(f, &c, (enum hb_call)k), 0);
    CHECK_EQ_U64(vtd_plug(f->vtd, 0x200, 5, 3000, 3001), 0);
    CHECK_EQ_U64(vtd_unplug(f->vtd, 0x200), 0);
    fx_free(f);
}

static unsigned invs(struct fx *f, uint16_t sid, uint32_t pasid, struct vtd_s1_inv *last)
{
    struct hb_hwpt_info info;
    if (!host_backend_hwpt_info(f->hb, fx_attached(f, sid, pasid), &info))
        return ~0u;
    if (last)
        *last = info.last_inv;
    return info.invalidations;
}

static void piotlb_propagation(void)
{
    struct fx *f = two_devs();
    put_fs(f, SA, 1, 5, 1);
    put_fs(f, SA, 2, 5, 2);
    put_fs(f, SA, 3, 6, 3);
    put_pt(f, SA, 4, 5);
    put_fs(f, SB, 1, 5, 4);
    fx_pc_global(f);
    put_fs(f, SA, 9, 5, 9);  /* in memory, never invalidated */
    const uint32_t pasids[] = {1, 2, 3, 4};
    unsigned base_parent = invs(f, SA, 4, NULL);

    /* Whole PASID. */
    struct calls c = calls_now(f);
    fx_submit(f, fx_piotlb_q0(VTD_PIOTLB_G_PASID, 5, 1), 0);
    CHECK(!fx_iqe(f));
    CHECK_EQ_U64(calls_since(f, &c, HB_CALL_INVALIDATE), 2);
    struct vtd_s1_inv last;
    CHECK_EQ_U64(invs(f, SA, 1, &last), 1);
    CHECK(last.addr == 0 && last.npages == VTD_S1_INV_ALL_PAGES && last.flags == 0);
    CHECK_EQ_U64(invs(f, SB, 1, &last), 1);
    CHECK(last.addr == 0 && last.npages == VTD_S1_INV_ALL_PAGES && last.flags == 0);
    CHECK_EQ_U64(invs(f, SA, 2, NULL), 0);
    CHECK_EQ_U64(invs(f, SA, 3, NULL), 0);

    /* Page-selective, with and without IH. */
    fx_submit(f, fx_piotlb_q0(VTD_PIOTLB_G_PAGE, 5, 2), fx_inv_q1(0x7770000, true, 3));
    CHECK_EQ_U64(invs(f, SA, 2, &last), 1);
    CHECK(last.addr == 0x7770000 && last.npages == 8 && last.flags == VTD_S1_INV_FLAG_LEAF);
    fx_submit(f, fx_piotlb_q0(VTD_PIOTLB_G_PAGE, 5, 2), fx_inv_q1(0x9000, false, 0));
    CHECK_EQ_U64(invs(f, SA, 2, &last), 2);
    CHECK(last.addr == 0x9000 && last.npages == 1 && last.flags == 0);
    fx_submit(f, fx_piotlb_q0(VTD_PIOTLB_G_PAGE, 5, 2), fx_inv_q1(0, false, 18));
    CHECK_EQ_U64(invs(f, SA, 2, &last), 3);
    CHECK(last.addr == 0 && last.npages == (1u << 18) && last.flags == 0);
    CHECK_EQ_U64(calls_since(f, &c, HB_CALL_INVALIDATE), 5);

    /* Nothing for: pass-through, wrong DID, uncached, other PASID's DID. */
    c = calls_now(f);
    fx_submit(f, fx_piotlb_q0(VTD_PIOTLB_G_PASID, 5, 4), 0);
    fx_submit(f, fx_piotlb_q0(VTD_PIOTLB_G_PASID, 6, 1), 0);
    fx_submit(f, fx_piotlb_q0(VTD_PIOTLB_G_PASID, 5, 9), 0);
    fx_submit(f, fx_piotlb_q0(VTD_PIOTLB_G_PAGE, 5, 3), fx_inv_q1(0x1000, false, 0));
    fx_submit(f, fx_iotlb_q0(VTD_IOTLB_G_GLOBAL, 0), 0);
    CHECK(!fx_iqe(f));
    CHECK_EQ_U64(calls_since(f, &c, HB_CALL_INVALIDATE), 0);
    CHECK_EQ_U64(invs(f, SA, 4, NULL), base_parent);

    fx_submit(f, fx_piotlb_q0(VTD_PIOTLB_G_PASID, 6, 3), 0);
    CHECK_EQ_U64(invs(f, SA, 3, &last), 1);
    CHECK_EQ_U64(calls_since(f, &c, HB_CALL_INVALIDATE), 1);

    /* A failing host invalidation has no channel back: the queue goes on. */
    host_backend_fail_nth(f->hb, HB_CALL_INVALIDATE, 1);
    fx_status_set(f, 0, 0);
    fx_queue2(f, fx_piotlb_q0(VTD_PIOTLB_G_PASID, 5, 1), 0);
    fx_queue2(f, fx_wait_q0(VTD_WAIT_SW, 7), fx_status_addr(0));
    fx_ring(f);
    CHECK(!fx_iqe(f));
    CHECK_EQ_U64(fx_status(f, 0), 7);
    CHECK_EQ_U64(take_one(f, NULL), 1);
    for (unsigned i = 0; i < 4; i++)
        CHECK(fx_attached(f, SA, pasids[i]) != 0);
    fx_free(f);
}

/* The PASID-0 default attachment under failing host calls. */
static void pasid0_default_faults(void)
{
    /* TE on, the detach of the default refused: it stays until the next
     * global sync. */
    struct fx *f = fx_new(20, false);
    CHECK_EQ_U64(fx_plug(f, SA, 20), 0);
    fx_map_dev(f, SA, 0);
    fx_qi_enable(f, true, 0);
    fx_srtp(f, FX_RTADDR_SM);
    host_backend_fail_nth(f->hb, HB_CALL_DETACH, 1);
    fx_te(f, true);
    CHECK_EQ_U64(take_one(f, NULL), 1);
    CHECK_EQ_U64(fx_attached(f, SA, 0), fx_parent(f, SA));
    fx_pc_global(f);
    CHECK_EQ_U64(fx_attached(f, SA, 0), 0);

    /* TE off, the re-attach to the parent refused: retried next time. */
    host_backend_fail_nth(f->hb, HB_CALL_ATTACH, 1);
    fx_te(f, false);
    CHECK_EQ_U64(take_one(f, NULL), 1);
    CHECK_EQ_U64(fx_attached(f, SA, 0), 0);
    fx_pc_global(f);
    CHECK_EQ_U64(fx_attached(f, SA, 0), fx_parent(f, SA));
    fx_free(f);
}

/* A device plugged while translation is on keeps the parent attachment of
 * PASID 0 it came with until the guest invalidates; when the bind the guest
 * then asks for fails, that attachment goes too (fails closed). */
static void failed_pasid0_bind_fails_closed(void)
{
    static const enum hb_call kinds[] = {HB_CALL_ALLOC, HB_CALL_ATTACH};
    for (unsigned i = 0; i < 2; i++) {
        struct fx *f = fx_new(20, false);
        fx_map_dev(f, SA, 0);
        fx_translated(f);
        CHECK_EQ_U64(fx_plug(f, SA, 20), 0);
        CHECK_EQ_U64(fx_attached(f, SA, 0), fx_parent(f, SA));
        put_fs(f, SA, 0, 3, 1);
        host_backend_fail_nth(f->hb, kinds[i], 1);
        fx_pc(f, VTD_PC_G_PASID, 3, 0);
        CHECK_EQ_U64(take_one(f, NULL), 1);
        CHECK_EQ_U64(fx_attached(f, SA, 0), 0);
        fx_pc(f, VTD_PC_G_PASID, 3, 0);     /* not stuck */
        CHECK(is_fs(f, SA, 0, 3, 1));
        fx_free(f);
    }
}

/* model/BEHAVIOUR.md, out of memory: a new entry that cannot be allocated
 * is not bound; the model itself cannot be made without memory. */
static void out_of_memory_fails_closed(void)
{
    struct fx *f = first_bind_fails(HB_CALL_MEM);
    /* Cached now: unplug releases it, so nothing was left behind. */
    CHECK_EQ_U64(fx_unplug(f, SA), 0);
    struct vtd_config cfg = f->cfg;
    host_backend_fail_nth(f->hb, HB_CALL_MEM, 1);
    CHECK(vtd_create(&cfg) == NULL);
    fx_free(f);
}

/* model/vtd.h: the allocation hook is optional (NULL: never fail); a
 * config without it still makes a model. */
static void mem_fail_hook_is_optional(void)
{
    struct fx *f = fx_new(20, false);
    struct vtd_config cfg = f->cfg;
    cfg.mem_fail = NULL;
    cfg.mem_opaque = NULL;
    struct vtd *s = vtd_create(&cfg);
    CHECK(s != NULL);
    vtd_destroy(s);
    fx_free(f);
}

CHECK_MAIN(TEST(out_of_memory_fails_closed), TEST(mem_fail_hook_is_optional), TEST(failed_first_attach_caches_nothing), TEST(failed_replace_fails_closed),
           TEST(failed_replace_and_detach_keeps_old), TEST(failed_detach_keeps_entry),
           TEST(unplug_releases_everything), TEST(unplug_with_failing_detach),
           TEST(plug_errors), TEST(piotlb_propagation), TEST(pasid0_default_faults),
           TEST(failed_pasid0_bind_fails_closed))

/*
 * PASID-cache syncs: which invalidations bind, replace and drop what, on
 * which devices. Fault injection, PASID-IOTLB propagation and unplug are in
 * test_pasid_faults.c.
 */
#include "pasid_sync_common.h"

static void pasid_selective_adds(void)
{
    struct fx *f = two_devs();
    put_fs(f, SA, 7, 3, 1);
    put_fs(f, SB, 7, 3, 2);
    put_fs(f, SA, 8, 3, 3);
    CHECK(is_unbound(f, SA, 7));

    fx_pc(f, VTD_PC_G_PASID, 4, 7);   /* DID filter on the entry in memory */
    fx_pc(f, VTD_PC_G_PASID, 3, 9);   /* another PASID */
    fx_pc(f, VTD_PC_G_DOMAIN, 4, 0);
    CHECK(is_unbound(f, SA, 7));
    CHECK(is_unbound(f, SB, 7));
    CHECK(is_unbound(f, SA, 8));

    fx_pc(f, VTD_PC_G_PASID, 3, 7);
    CHECK(is_fs(f, SA, 7, 3, 1));
    CHECK(is_fs(f, SB, 7, 3, 2));
    CHECK(is_unbound(f, SA, 8));
    CHECK_EQ_U64(fx_cache_count(f), 2);
    fx_free(f);
}

static void pasid_selective_deletes(void)
{
    struct fx *f = two_devs();
    put_fs(f, SA, 7, 3, 1);
    put_fs(f, SB, 7, 3, 2);
    fx_pc_global(f);
    uint32_t hw = fx_attached(f, SA, 7);
    CHECK(is_fs(f, SA, 7, 3, 1));
    CHECK_EQ_U64(host_backend_live_hwpts(f->hb), 4);

    fx_clear_pe(f, SA, 7);
    /* Another DID or PASID does not cover the cached entry: it stays (the
     * guest invalidated the wrong thing). */
    fx_pc(f, VTD_PC_G_PASID, 4, 7);
    fx_pc(f, VTD_PC_G_PASID, 3, 6);
    CHECK(is_fs(f, SA, 7, 3, 1));
    struct calls c = calls_now(f);
    fx_pc(f, VTD_PC_G_PASID, 3, 7);
    CHECK(is_unbound(f, SA, 7));
    CHECK(hwpt_dead(f, hw));
    CHECK(is_fs(f, SB, 7, 3, 2));
    CHECK_EQ_U64(calls_since(f, &c, HB_CALL_DETACH), 1);
    CHECK_EQ_U64(calls_since(f, &c, HB_CALL_FREE), 1);
    CHECK_EQ_U64(calls_since(f, &c, HB_CALL_ALLOC), 0);
    CHECK_EQ_U64(calls_since(f, &c, HB_CALL_ATTACH), 0);
    CHECK_EQ_U64(host_backend_live_hwpts(f->hb), 3);
    fx_free(f);
}

/* X loses its cached PASID 7, Y has a new PASID 7 in memory; one
 * PASID-selective sync must do both, whichever device comes first. */
static void deleted_flag_case(bool a_deletes)
{
    int before = check_failures;
    uint16_t x = a_deletes ? SA : SB, y = a_deletes ? SB : SA;
    struct fx *f = two_devs();
    put_fs(f, x, 7, 3, 1);
    fx_pc(f, VTD_PC_G_PASID, 3, 7);
    CHECK(is_fs(f, x, 7, 3, 1));
    uint32_t hw = fx_attached(f, x, 7);

    fx_clear_pe(f, x, 7);
    put_fs(f, y, 7, 3, 2);
    struct calls c = calls_now(f);
    fx_pc(f, VTD_PC_G_PASID, 3, 7);
    CHECK(is_unbound(f, x, 7));
    CHECK(hwpt_dead(f, hw));
    CHECK(is_fs(f, y, 7, 3, 2));
    CHECK_EQ_U64(calls_since(f, &c, HB_CALL_ALLOC), 1);
    CHECK_EQ_U64(calls_since(f, &c, HB_CALL_ATTACH), 1);
    CHECK_EQ_U64(calls_since(f, &c, HB_CALL_DETACH), 1);
    fx_free(f);
    if (check_failures != before)
        fprintf(stderr, "  ... deleting device is %s (plugged %s)\n", a_deletes ? "SA" : "SB",
                a_deletes ? "first" : "second");
}

static void deleted_flag_does_not_leak_to_next_device(void)
{
    deleted_flag_case(true);
    deleted_flag_case(false);
}

/* SA had PASID 7 (DID 3) bound, the guest cleared it and wrote a new
 * PASID 9 with DID did9: a sync that deletes 7 must still bind 9. */
static struct fx *deleted_7_new_9(uint16_t did9)
{
    struct fx *f = two_devs();
    put_fs(f, SA, 7, 3, 1);
    fx_pc_global(f);
    fx_clear_pe(f, SA, 7);
    put_fs(f, SA, 9, did9, 2);
    return f;
}

static void deleted_flag_only_for_pasid_selective(void)
{
    /* Domain-selective: a deletion does not stop the replay. */
    struct fx *f = deleted_7_new_9(3);
    fx_pc(f, VTD_PC_G_DOMAIN, 3, 0);
    CHECK(is_unbound(f, SA, 7));
    CHECK(is_fs(f, SA, 9, 3, 2));
    fx_free(f);

    /* Global: neither. */
    f = deleted_7_new_9(4);
    fx_pc_global(f);
    CHECK(is_unbound(f, SA, 7));
    CHECK(is_fs(f, SA, 9, 4, 2));
    fx_free(f);

    /* The flag of one PASID-selective sync does not survive into the next
     * sync in the same batch. */
    f = deleted_7_new_9(3);
    fx_queue2(f, fx_pc_q0(VTD_PC_G_PASID, 3, 7), 0);
    fx_queue2(f, fx_pc_q0(VTD_PC_G_DOMAIN, 3, 0), 0);
    fx_ring(f);
    CHECK(!fx_iqe(f));
    CHECK(is_unbound(f, SA, 7));
    CHECK(is_fs(f, SA, 9, 3, 2));
    fx_free(f);

    /* Nor into a PASID-selective sync of another PASID on the same device. */
    f = deleted_7_new_9(3);
    fx_queue2(f, fx_pc_q0(VTD_PC_G_PASID, 3, 7), 0);
    fx_queue2(f, fx_pc_q0(VTD_PC_G_PASID, 3, 9), 0);
    fx_ring(f);
    CHECK(is_unbound(f, SA, 7));
    CHECK(is_fs(f, SA, 9, 3, 2));
    fx_free(f);
}

static void domain_selective(void)
{
    struct fx *f = two_devs();
    put_fs(f, SA, 1, 1, 1);
    put_fs(f, SA, 2, 2, 2);
    fx_pc_global(f);
    CHECK(is_fs(f, SA, 1, 1, 1));
    CHECK(is_fs(f, SA, 2, 2, 2));

    /* New entries: only the matching DID, on every device. */
    put_fs(f, SA, 3, 1, 3);
    put_fs(f, SA, 4, 2, 4);
    put_fs(f, SB, 3, 1, 13);
    fx_pc(f, VTD_PC_G_DOMAIN, 1, 0);
    CHECK(is_fs(f, SA, 3, 1, 3));
    CHECK(is_fs(f, SB, 3, 1, 13));
    CHECK(is_unbound(f, SA, 4));

    /* Cached DID 1, now DID 2 in memory: an unrelated DID changes nothing,
     * the cached DID replaces. */
    uint32_t old = fx_attached(f, SA, 1);
    put_fs(f, SA, 1, 2, 5);
    fx_pc(f, VTD_PC_G_DOMAIN, 5, 0);
    CHECK(is_fs(f, SA, 1, 1, 1));
    fx_pc(f, VTD_PC_G_DOMAIN, 1, 0);
    CHECK(is_fs(f, SA, 1, 2, 5));
    CHECK(hwpt_dead(f, old));

    /* Cached DID 2, now DID 1 in memory: the in-memory DID replaces. */
    old = fx_attached(f, SA, 2);
    put_fs(f, SA, 2, 1, 6);
    fx_pc(f, VTD_PC_G_DOMAIN, 1, 0);
    CHECK(is_fs(f, SA, 2, 1, 6));
    CHECK(hwpt_dead(f, old));
    CHECK(is_unbound(f, SA, 4));

    /* Deleted: only a sync with the cached DID drops it. */
    fx_clear_pe(f, SA, 3);
    fx_pc(f, VTD_PC_G_DOMAIN, 2, 0);
    CHECK(is_fs(f, SA, 3, 1, 3));
    fx_pc(f, VTD_PC_G_DOMAIN, 1, 0);
    CHECK(is_unbound(f, SA, 3));
    CHECK(is_fs(f, SB, 3, 1, 13));
    fx_free(f);
}

static void global_sync(void)
{
    struct fx *f = two_devs();
    put_fs(f, SA, 1, 1, 1);
    put_fs(f, SA, 2, 2, 2);
    put_pt(f, SB, 3, 3);
    fx_pc_global(f);
    CHECK(is_fs(f, SA, 1, 1, 1));
    CHECK(is_fs(f, SA, 2, 2, 2));
    CHECK(is_pt(f, SB, 3));

    fx_clear_pe(f, SA, 1);
    put_fs(f, SA, 2, 9, 3);
    put_fs(f, SB, 3, 3, 4);
    put_fs(f, SB, 60, 8, 5);
    put_pt(f, SB, 70, 8);
    fx_pc_global(f);
    CHECK(is_unbound(f, SA, 1));
    CHECK(is_fs(f, SA, 2, 9, 3));
    CHECK(is_fs(f, SB, 3, 3, 4));
    CHECK(is_fs(f, SB, 60, 8, 5));
    CHECK(is_pt(f, SB, 70));
    CHECK_EQ_U64(fx_cache_count(f), 4);
    CHECK_EQ_U64(host_backend_live_hwpts(f->hb), 2 + 3);
    fx_free(f);
}

static void did_change_picked_up(void)
{
    for (unsigned which = 0; which < 2; which++) {
        struct fx *f = two_devs();
        put_fs(f, SA, 7, 3, 1);
        fx_pc_global(f);
        uint32_t old = fx_attached(f, SA, 7);
        put_fs(f, SA, 7, 4, 2);
        /* Old DID: the cached copy is in scope. New DID: the entry in memory. */
        fx_pc(f, VTD_PC_G_PASID, which == 0 ? 3 : 4, 7);
        CHECK(is_fs(f, SA, 7, 4, 2));
        CHECK(hwpt_dead(f, old));
        CHECK_EQ_U64(host_backend_live_hwpts(f->hb), 3);
        fx_free(f);

        /* Pass-through: same hwpt, but the cached copy follows. */
        f = two_devs();
        put_pt(f, SA, 7, 3);
        fx_pc_global(f);
        put_pt(f, SA, 7, 4);
        fx_pc(f, VTD_PC_G_PASID, which == 0 ? 3 : 4, 7);
        struct vtd_cache_view v;
        CHECK(is_pt(f, SA, 7) && fx_cache_get(f, SA, 7, &v) && VTD_PE_DID(v.entry[1]) == 4);
        fx_free(f);
    }
}

static void replace_changed_entry(void)
{
    struct fx *f = two_devs();
    put_fs(f, SA, 7, 3, 1);
    fx_pc_global(f);
    uint32_t hw1 = fx_attached(f, SA, 7);

    /* Same entry again: nothing to do. */
    struct calls c = calls_now(f);
    fx_pc_global(f);
    fx_pc(f, VTD_PC_G_PASID, 3, 7);
    for (unsigned k = 0; k < HB_CALL_COUNT; k++)
        CHECK_EQ_U64(calls_since(f, &c, (enum hb_call)k), 0);
    CHECK_EQ_U64(fx_attached(f, SA, 7), hw1);

    /* New page table: new hwpt, old one freed. */
    put_fs(f, SA, 7, 3, 2);
    fx_pc(f, VTD_PC_G_PASID, 3, 7);
    uint32_t hw2 = fx_attached(f, SA, 7);
    CHECK(hw2 != hw1);
    CHECK(is_fs(f, SA, 7, 3, 2));
    CHECK(hwpt_dead(f, hw1));
    CHECK_EQ_U64(host_backend_live_hwpts(f->hb), 3);

    /* Flags only. */
    uint64_t pe[8];
    fx_pe_fs(pe, 3, FX_PGTBL(2), 0, VTD_S1_FLAG_SRE);
    fx_set_pe(f, SA, 7, pe);
    fx_pc(f, VTD_PC_G_PASID, 3, 7);
    struct vtd_s1_config cfg;
    uint32_t hw3 = fx_attached(f, SA, 7);
    CHECK(fx_s1_of(f, hw3, &cfg) && cfg.flags == VTD_S1_FLAG_SRE);
    CHECK(hwpt_dead(f, hw2));

    /* A change the walk ignores still refreshes the cached copy. */
    pe[3] = 0x1234;
    fx_write_pe_raw(f, SA, 7, pe);
    fx_pc(f, VTD_PC_G_PASID, 3, 7);
    struct vtd_cache_view v;
    CHECK(fx_cache_get(f, SA, 7, &v) && v.entry[3] == 0x1234);
    CHECK(fx_s1_of(f, fx_attached(f, SA, 7), &cfg) && cfg.flags == VTD_S1_FLAG_SRE);
    CHECK_EQ_U64(host_backend_live_hwpts(f->hb), 3);

    /* First stage -> pass-through -> first stage. */
    uint32_t hw4 = fx_attached(f, SA, 7);
    put_pt(f, SA, 7, 3);
    fx_pc(f, VTD_PC_G_PASID, 3, 7);
    CHECK(is_pt(f, SA, 7));
    CHECK(hwpt_dead(f, hw4));
    CHECK_EQ_U64(host_backend_live_hwpts(f->hb), 2);
    put_fs(f, SA, 7, 3, 5);
    fx_pc(f, VTD_PC_G_PASID, 3, 7);
    CHECK(is_fs(f, SA, 7, 3, 5));
    CHECK_EQ_U64(host_backend_live_hwpts(f->hb), 3);
    fx_free(f);
}

static void context_cache_invalidation(void)
{
    struct fx *f = two_devs();
    put_fs(f, SA, 7, 3, 1);
    fx_submit(f, fx_cc_q0(VTD_CC_G_DEVICE, 3, SA, 0), 0);
    CHECK(!fx_iqe(f));
    CHECK(is_unbound(f, SA, 7));
    fx_submit(f, fx_cc_q0(VTD_CC_G_DOMAIN, 99, 0, 0), 0);
    CHECK(!fx_iqe(f));
    CHECK(is_fs(f, SA, 7, 3, 1));

    put_fs(f, SB, 8, 4, 2);
    fx_clear_pe(f, SA, 7);
    fx_submit(f, fx_cc_q0(VTD_CC_G_DEVICE, 4, SB, 3), 0);
    CHECK(is_unbound(f, SB, 8));
    CHECK(is_fs(f, SA, 7, 3, 1));
    fx_submit(f, fx_cc_q0(VTD_CC_G_GLOBAL, 0, 0, 0), 0);
    CHECK(!fx_iqe(f));
    CHECK(is_fs(f, SB, 8, 4, 2));
    CHECK(is_unbound(f, SA, 7));
    fx_free(f);
}

static void srtp_syncs(void)
{
    struct fx *f = two_devs();
    put_fs(f, SA, 7, 3, 1);
    fx_srtp(f, FX_RTADDR_SM);
    CHECK(is_fs(f, SA, 7, 3, 1));

    /* A root table with nothing present drops every binding. */
    fx_w64(f, 0x5000000, 0);
    fx_srtp(f, 0x5000000 | VTD_RTADDR_SMT);
    CHECK(is_unbound(f, SA, 7));
    CHECK_EQ_U64(fx_attached(f, SA, 0), 0);
    CHECK_EQ_U64(fx_cache_count(f), 0);
    CHECK_EQ_U64(host_backend_live_hwpts(f->hb), 2);
    fx_srtp(f, FX_RTADDR_SM);
    CHECK(is_fs(f, SA, 7, 3, 1));
    fx_free(f);
}

static void te_on_pasid0(void)
{
    struct fx *f = fx_new(20, false);
    CHECK_EQ_U64(fx_plug(f, SA, 20), 0);
    CHECK_EQ_U64(fx_plug(f, SB, 20), 0);
    uint16_t sc = 0x0420;
    CHECK_EQ_U64(fx_plug(f, sc, 20), 0);
    fx_map_dev(f, SA, 0);
    fx_map_dev(f, SB, 0);
    fx_map_dev(f, sc, 0);
    put_fs(f, SA, 0, 1, 1);
    put_pt(f, SB, 0, 2);
    /* Plugged: PASID 0 on the parent, nothing cached, no calls made. */
    CHECK_EQ_U64(fx_attached(f, SA, 0), fx_parent(f, SA));
    CHECK_EQ_U64(fx_cache_count(f), 0);
    fx_qi_enable(f, true, 0);
    fx_srtp(f, FX_RTADDR_SM);
    CHECK_EQ_U64(fx_attached(f, SA, 0), fx_parent(f, SA)); /* TE still off */
    fx_te(f, true);
    CHECK(is_fs(f, SA, 0, 1, 1));
    CHECK(is_pt(f, SB, 0));
    CHECK_EQ_U64(fx_attached(f, sc, 0), 0); /* no valid entry: blocked */
    CHECK_EQ_U64(host_backend_attach_count(f->hb, fx_hdev(f, sc)), 0);

    /* A later PASID-0 entry comes in through a PASID-selective sync. */
    put_fs(f, sc, 0, 5, 3);
    fx_pc(f, VTD_PC_G_PASID, 5, 0);
    CHECK(is_fs(f, sc, 0, 5, 3));
    fx_free(f);
}

static void te_off_drops_everything(void)
{
    struct fx *f = two_devs();
    put_fs(f, SA, 0, 1, 1);
    put_fs(f, SA, 7, 1, 2);
    put_pt(f, SB, 7, 2);
    fx_pc_global(f);
    CHECK(is_fs(f, SA, 0, 1, 1));
    CHECK(is_pt(f, SB, 7));
    CHECK_EQ_U64(fx_attached(f, SB, 0), 0);

    fx_te(f, false);
    CHECK_EQ_U64(fx_gsts(f) & VTD_GSTS_TES, 0);
    CHECK_EQ_U64(fx_cache_count(f), 0);
    CHECK_EQ_U64(host_backend_live_hwpts(f->hb), 2);
    CHECK_EQ_U64(fx_attached(f, SA, 0), fx_parent(f, SA));
    CHECK_EQ_U64(fx_attached(f, SB, 0), fx_parent(f, SB));
    CHECK_EQ_U64(host_backend_attach_count(f->hb, fx_hdev(f, SA)), 1);
    CHECK_EQ_U64(host_backend_attach_count(f->hb, fx_hdev(f, SB)), 1);

    /* Untranslated: invalidations bind nothing. */
    fx_pc_global(f);
    fx_pc(f, VTD_PC_G_PASID, 1, 7);
    CHECK_EQ_U64(fx_cache_count(f), 0);
    CHECK_EQ_U64(fx_attached(f, SA, 7), 0);
    CHECK_EQ_U64(fx_attached(f, SA, 0), fx_parent(f, SA));

    fx_te(f, true);
    CHECK(is_fs(f, SA, 0, 1, 1));
    CHECK(is_fs(f, SA, 7, 1, 2));
    CHECK(is_pt(f, SB, 7));
    CHECK_EQ_U64(fx_attached(f, SB, 0), 0);
    fx_free(f);
}

static void reset_drops_everything(void)
{
    struct fx *f = two_devs();
    put_fs(f, SA, 0, 1, 1);
    put_fs(f, SA, 7, 1, 2);
    put_pt(f, SB, 7, 2);
    fx_pc_global(f);
    fx_reset(f);
    CHECK_EQ_U64(fx_gsts(f), 0);
    CHECK_EQ_U64(fx_cache_count(f), 0);
    CHECK_EQ_U64(host_backend_live_hwpts(f->hb), 2);
    CHECK_EQ_U64(fx_attached(f, SA, 0), fx_parent(f, SA));
    CHECK_EQ_U64(fx_attached(f, SB, 0), fx_parent(f, SB));
    CHECK_EQ_U64(host_backend_attach_count(f->hb, fx_hdev(f, SA)), 1);
    CHECK_EQ_U64(host_backend_attach_count(f->hb, fx_hdev(f, SB)), 1);
    /* Devices stay plugged and work after the guest sets up again. */
    fx_translated(f);
    CHECK(is_fs(f, SA, 7, 1, 2));
    CHECK(is_pt(f, SB, 7));
    fx_free(f);
}

static void invalid_pasid0_isolated(void)
{
    struct fx *f = fx_new(20, false);
    CHECK_EQ_U64(fx_plug(f, SA, 20), 0);
    fx_map_dev(f, SA, 0);
    uint64_t pe[8];
    fx_pe_fs(pe, 1, FX_PGTBL(1), 0, 0);
    pe[1] |= VTD_BIT(16); /* reserved */
    fx_set_pe(f, SA, 0, pe);
    put_fs(f, SA, 1, 1, 2);
    put_fs(f, SA, 2, 1, 3);
    put_pt(f, SA, 63, 1);
    put_fs(f, SA, 64, 1, 4);
    fx_translated(f);
    CHECK(is_unbound(f, SA, 0));
    CHECK(is_fs(f, SA, 1, 1, 2));
    CHECK(is_fs(f, SA, 2, 1, 3));
    CHECK(is_pt(f, SA, 63));
    CHECK(is_fs(f, SA, 64, 1, 4));

    /* Valid, then invalid again: only PASID 0 goes. */
    pe[1] &= ~VTD_BIT(16);
    fx_write_pe_raw(f, SA, 0, pe);
    fx_pc(f, VTD_PC_G_PASID, 1, 0);
    CHECK(is_fs(f, SA, 0, 1, 1));
    pe[1] |= VTD_BIT(16);
    fx_write_pe_raw(f, SA, 0, pe);
    fx_pc(f, VTD_PC_G_PASID, 1, 0);
    CHECK(is_unbound(f, SA, 0));
    fx_pc(f, VTD_PC_G_DOMAIN, 1, 0);
    fx_pc_global(f);
    CHECK(is_unbound(f, SA, 0));
    CHECK(is_fs(f, SA, 1, 1, 2));
    CHECK(is_fs(f, SA, 2, 1, 3));
    CHECK(is_pt(f, SA, 63));
    CHECK(is_fs(f, SA, 64, 1, 4));
    fx_free(f);
}

static void pasid_selective_beyond_pasid_bits(void)
{
    struct fx *f = fx_new(6, false);
    CHECK_EQ_U64(fx_plug(f, SA, 20), 0);
    fx_map_dev(f, SA, 0);
    fx_translated(f);
    put_fs(f, SA, 5, 3, 1);
    put_fs(f, SA, 69, 3, 2);   /* 64 + 5 */
    struct calls c = calls_now(f);
    fx_pc(f, VTD_PC_G_PASID, 3, 69);
    fx_pc(f, VTD_PC_G_PASID, 3, 0xfffff);
    fx_pc(f, VTD_PC_G_PASID, 3, 0xfffc5);
    for (unsigned k = 0; k < HB_CALL_COUNT; k++)
        CHECK_EQ_U64(calls_since(f, &c, (enum hb_call)k), 0);
    CHECK_EQ_U64(fx_cache_count(f), 0);

    /* A cached PASID 5 is not in the scope of PASID 69 either. */
    fx_pc(f, VTD_PC_G_PASID, 3, 5);
    CHECK(is_fs(f, SA, 5, 3, 1));
    put_fs(f, SA, 5, 3, 3);
    fx_pc(f, VTD_PC_G_PASID, 3, 69);
    CHECK(is_fs(f, SA, 5, 3, 1));
    fx_clear_pe(f, SA, 5);
    fx_pc(f, VTD_PC_G_PASID, 3, 69);
    CHECK(is_fs(f, SA, 5, 3, 1));
    fx_free(f);
}

static void no_invalidation_no_binding(void)
{
    struct fx *f = two_devs();
    put_fs(f, SA, 7, 3, 1);
    fx_status_set(f, 0, 0);
    fx_queue2(f, fx_wait_q0(VTD_WAIT_SW | VTD_WAIT_IF, 1), fx_status_addr(0));
    fx_queue2(f, fx_iotlb_q0(VTD_IOTLB_G_GLOBAL, 0), 0);
    fx_queue2(f, fx_piotlb_q0(VTD_PIOTLB_G_PASID, 3, 7), 0);
    fx_queue2(f, fx_pc_q0(VTD_PC_G_PASID, 3, 8), 0);
    fx_queue2(f, fx_pc_q0(VTD_PC_G_DOMAIN, 4, 0), 0);
    fx_queue2(f, fx_cc_q0(VTD_CC_G_DEVICE, 3, SA, 0), 0);
    fx_queue2(f, VTD_DESC_IEC, 0);
    fx_ring(f);
    CHECK(!fx_iqe(f));
    CHECK_EQ_U64(fx_status(f, 0), 1);
    CHECK(is_unbound(f, SA, 7));
    CHECK_EQ_U64(fx_cache_count(f), 0);

    /* Changes to a bound entry without an invalidation are not seen either. */
    fx_pc(f, VTD_PC_G_PASID, 3, 7);
    CHECK(is_fs(f, SA, 7, 3, 1));
    put_fs(f, SA, 7, 3, 2);
    fx_submit(f, fx_wait_q0(VTD_WAIT_SW, 2), fx_status_addr(0));
    CHECK(is_fs(f, SA, 7, 3, 1));
    fx_free(f);
}

/* PASID 0 in translated mode is bound by its entry or blocked; it only goes
 * back to the parent when translation ends. */
static void pasid0_transitions(void)
{
    struct fx *f = two_devs();
    CHECK_EQ_U64(fx_attached(f, SA, 0), 0);
    put_pt(f, SA, 0, 1);
    fx_pc(f, VTD_PC_G_PASID, 1, 0);
    CHECK(is_pt(f, SA, 0));
    fx_clear_pe(f, SA, 0);
    fx_pc(f, VTD_PC_G_PASID, 1, 0);
    CHECK(is_unbound(f, SA, 0));        /* blocked, not back on the parent */
    put_fs(f, SA, 0, 2, 1);
    fx_pc(f, VTD_PC_G_DOMAIN, 2, 0);
    CHECK(is_fs(f, SA, 0, 2, 1));
    fx_clear_pe(f, SA, 0);
    fx_pc_global(f);
    CHECK(is_unbound(f, SA, 0));
    CHECK_EQ_U64(host_backend_live_hwpts(f->hb), 2);
    fx_free(f);
}

/* A device plugged while translation is on starts on its parent and
 * nothing else happens until the guest invalidates. */
static void plug_while_translated(void)
{
    struct fx *f = fx_new(20, false);
    fx_map_dev(f, SA, 0);
    put_fs(f, SA, 7, 3, 1);
    fx_translated(f);
    struct calls c = calls_now(f);
    CHECK_EQ_U64(fx_plug(f, SA, 20), 0);
    CHECK_EQ_U64(fx_attached(f, SA, 0), fx_parent(f, SA));
    CHECK_EQ_U64(host_backend_attach_count(f->hb, fx_hdev(f, SA)), 1);
    CHECK_EQ_U64(fx_cache_count(f), 0);
    CHECK_EQ_U64(calls_since(f, &c, HB_CALL_ATTACH), 0);
    CHECK_EQ_U64(calls_since(f, &c, HB_CALL_DETACH), 0);
    fx_pc(f, VTD_PC_G_PASID, 3, 7);
    CHECK(is_fs(f, SA, 7, 3, 1));
    fx_pc_global(f);
    CHECK_EQ_U64(fx_attached(f, SA, 0), 0);
    CHECK(is_fs(f, SA, 7, 3, 1));
    fx_free(f);
}

/* SRTP and TE in one GCMD write act as one transition. */
static void gcmd_combined_write(void)
{
    struct fx *f = fx_new(20, false);
    CHECK_EQ_U64(fx_plug(f, SA, 20), 0);
    fx_map_dev(f, SA, 0);
    put_fs(f, SA, 7, 3, 1);
    fx_qi_enable(f, true, 0);
    fx_wr(f, VTD_REG_RTADDR, FX_RTADDR_SM, 8);
    host_backend_set_root(f->hb, FX_RTADDR_SM);
    host_backend_set_te(f->hb, true);
    fx_wr(f, VTD_REG_GCMD, VTD_GCMD_QIE | VTD_GCMD_TE | VTD_GCMD_SRTP, 4);
    CHECK(is_fs(f, SA, 7, 3, 1));
    CHECK_EQ_U64(fx_attached(f, SA, 0), 0);

    fx_w64(f, 0x5000000, 0);
    fx_wr(f, VTD_REG_RTADDR, 0x5000000 | VTD_RTADDR_SMT, 8);
    host_backend_set_root(f->hb, 0x5000000 | VTD_RTADDR_SMT);
    host_backend_set_te(f->hb, false);
    fx_wr(f, VTD_REG_GCMD, VTD_GCMD_QIE | VTD_GCMD_SRTP, 4);
    CHECK(is_unbound(f, SA, 7));
    CHECK_EQ_U64(fx_attached(f, SA, 0), fx_parent(f, SA));
    CHECK_EQ_U64(fx_gsts(f) & (VTD_GSTS_TES | VTD_GSTS_QIES), VTD_GSTS_QIES);
    fx_free(f);
}

CHECK_MAIN(TEST(pasid_selective_adds), TEST(pasid_selective_deletes),
           TEST(deleted_flag_does_not_leak_to_next_device),
           TEST(deleted_flag_only_for_pasid_selective), TEST(domain_selective),
           TEST(global_sync), TEST(did_change_picked_up), TEST(replace_changed_entry),
           TEST(context_cache_invalidation), TEST(srtp_syncs), TEST(te_on_pasid0),
           TEST(te_off_drops_everything), TEST(reset_drops_everything),
           TEST(invalid_pasid0_isolated), TEST(pasid_selective_beyond_pasid_bits),
           TEST(no_invalidation_no_binding), TEST(pasid0_transitions),
           TEST(plug_while_translated), TEST(gcmd_combined_write))

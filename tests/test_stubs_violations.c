/*
 * For every invariant the stub backend owns, a death test on a hand-made
 * bad call sequence (checking the exact VIOLATION line) next to the good
 * sequence that must survive. The after-every-op check is driven through a
 * fake cache (host_backend_check_cache) so that lists and entries can be
 * made to lie in ways the real model never lets them.
 */
#include <errno.h>
#include <string.h>

#include "check.h"
#include "iotlb_check.h"
#include "oracle.h"
#include "reg_check.h"
#include "reg_predict.h"
#include "stubs_bench.h"
#include "violation.h"

#define V(id) "pasidfuzz: VIOLATION " id ":"

/* ---- invariant violations on direct call sequences ---- */

/* arg: variant; 0 is the good sequence, others each break the invariant. */
static void seq_bind_deleted(void *arg)
{
    int v = (int)(intptr_t)arg;
    struct sb *b = sb_new();
    uint32_t h = sb_alloc(b, 1, 2, SB_PGTBL(1));
    sb_set_fs(b, SID_A, 5, SB_PGTBL(1));
    if (v == 2) {
        host_backend_set_te(b->hb, false);
        sb_set_pt(b, SID_A, 5);
        h = 2;
    }
    if (v == 3)
        sb_w64(b, sb_ctx_addr(SID_A), 0);
    b->ops->attach(b->hb, 1, v == 1 ? 6 : 5, h);
    sb_free(b);
}

static void violation_bind_deleted(void)
{
    CHECK_SURVIVES(seq_bind_deleted, (void *)0);
    CHECK_DIES(seq_bind_deleted, (void *)1,
               V("bind-deleted") " attach dev=1 sid=0x0008 pasid=6 hwpt=5 but the guest has no "
               "valid entry for it (entry-bad)");
    CHECK_DIES(seq_bind_deleted, (void *)2,
               V("bind-deleted") " attach dev=1 sid=0x0008 pasid=5 hwpt=2 but the guest has no "
               "valid entry for it (untranslated)");
    CHECK_DIES(seq_bind_deleted, (void *)3, V("bind-deleted") " attach dev=1 sid=0x0008 pasid=5");
}

static void seq_bind_config(void *arg)
{
    int v = (int)(intptr_t)arg;
    struct sb *b = sb_new();
    uint64_t pe[8];
    sb_pe_fs(pe, 1, SB_PGTBL(1), 0, VTD_S1_FLAG_SRE);
    sb_set_pe(b, SID_A, 5, pe);
    struct vtd_s1_config cfg = {SB_PGTBL(1), 48, VTD_S1_FLAG_SRE};
    if (v == 3)
        cfg.pgtbl_addr = SB_PGTBL(2);
    if (v == 4)
        cfg.flags = 0;
    if (v == 5)
        cfg.addr_width = 57;
    uint32_t h = 0;
    if (b->ops->alloc_s1_hwpt(b->hb, 1, 2, &cfg, &h) != 0)
        abort();
    if (v == 1 || v == 10)
        sb_set_pt(b, SID_A, 5);
    if (v == 2 || v == 10)
        h = 2;
    if (v == 11) {          /* untranslated: PASID 0 on the parent is right */
        host_backend_set_te(b->hb, false);
        b->ops->detach(b->hb, 1, 0);
        b->ops->attach(b->hb, 1, 0, 2);
    } else {
        b->ops->attach(b->hb, 1, 5, h);
    }
    sb_free(b);
}

static void violation_bind_config(void)
{
    /* Good: first stage as in memory, pass-through on the parent, and
     * untranslated PASID 0 on the parent. */
    static const intptr_t good[] = {0, 10, 11};
    for (unsigned i = 0; i < sizeof good / sizeof good[0]; i++)
        CHECK_SURVIVES(seq_bind_config, (void *)good[i]);
    CHECK_DIES(seq_bind_config, (void *)1,
               V("bind-config") " attach dev=1 sid=0x0008 pasid=5 hwpt=5 but the guest entry is "
               "pass-through (parent hwpt=2)");
    CHECK_DIES(seq_bind_config, (void *)2,
               V("bind-config") " attach dev=1 sid=0x0008 pasid=5 hwpt=2 (the parent) but the "
               "guest entry is first-stage pgtbl=0x80001000");
    CHECK_DIES(seq_bind_config, (void *)3,
               V("bind-config") " attach dev=1 sid=0x0008 pasid=5 hwpt=5 with pgtbl=0x80002000 "
               "aw=48 flags=0x1 but the guest entry says pgtbl=0x80001000 aw=48 flags=0x1");
    CHECK_DIES(seq_bind_config, (void *)4, V("bind-config") " attach dev=1");
    CHECK_DIES(seq_bind_config, (void *)5, V("bind-config") " attach dev=1");
}

static void seq_bind_range(void *arg)
{
    int v = (int)(intptr_t)arg;
    struct sb *b = sb_new();
    if (v == 0 || v == 1) {         /* device B supports 2^4 PASIDs */
        uint32_t pasid = v ? 16 : 15;
        sb_set_fs(b, SID_B, pasid, SB_PGTBL(1));
        b->ops->attach(b->hb, 3, pasid, sb_alloc(b, 3, 4, SB_PGTBL(1)));
    } else {                        /* PDTS 0: the directory covers 8192 */
        uint32_t pasid = v == 2 ? 8191 : v == 3 ? 8192 : 1u << 20;
        if (v == 4)
            sb_map(b, SID_A, 7);
        sb_set_fs(b, SID_A, pasid, SB_PGTBL(1));
        b->ops->attach(b->hb, 1, pasid, sb_alloc(b, 1, 2, SB_PGTBL(1)));
    }
    sb_free(b);
}

static void violation_bind_range(void)
{
    CHECK_SURVIVES(seq_bind_range, (void *)0);
    CHECK_SURVIVES(seq_bind_range, (void *)2);
    CHECK_DIES(seq_bind_range, (void *)1,
               V("bind-range") " attach dev=3 sid=0x0010 pasid=16 hwpt=5 beyond the PASID limit "
               "16 (pasid_bits=20, device max_pasid_log2=4)");
    CHECK_DIES(seq_bind_range, (void *)3,
               V("bind-range") " attach dev=1 sid=0x0008 pasid=8192 hwpt=5 beyond the PASID "
               "directory (8192 PASIDs)");
    CHECK_DIES(seq_bind_range, (void *)4,
               V("bind-range") " attach dev=1 sid=0x0008 pasid=1048576 hwpt=5 beyond the PASID "
               "limit 1048576");
}

static void seq_hwpt_dead(void *arg)
{
    int v = (int)(intptr_t)arg;
    struct sb *b = sb_new();
    const struct vtd_host_ops *o = b->ops;
    struct vtd_s1_inv inv = {0, VTD_S1_INV_ALL_PAGES, 0};
    uint32_t h = sb_bind_fs(b, 5, SB_PGTBL(1));
    o->invalidate_cache(b->hb, h, &inv);
    o->detach(b->hb, 1, 5);
    o->free_hwpt(b->hb, h);
    switch (v) {
    case 1: o->attach(b->hb, 1, 5, h); break;
    case 2: o->attach(b->hb, 1, 5, 99); break;
    case 3: o->free_hwpt(b->hb, h); break;
    case 4: o->invalidate_cache(b->hb, 2, &inv); break;
    case 5: o->invalidate_cache(b->hb, h, &inv); break;
    case 6: o->attach(b->hb, 1, 5, 1); break;
    case 7: o->free_hwpt(b->hb, 0); break;
    }
    sb_free(b);
}

static void violation_hwpt_dead(void)
{
    CHECK_SURVIVES(seq_hwpt_dead, (void *)0);
    CHECK_DIES(seq_hwpt_dead, (void *)1,
               V("hwpt-dead") " attach dev=1 sid=0x0008 pasid=5 hwpt=5: hwpt was already freed");
    CHECK_DIES(seq_hwpt_dead, (void *)2,
               V("hwpt-dead") " attach dev=1 sid=0x0008 pasid=5 hwpt=99: hwpt was never "
               "allocated");
    CHECK_DIES(seq_hwpt_dead, (void *)3,
               V("hwpt-dead") " free_hwpt hwpt=5: hwpt was already freed");
    CHECK_DIES(seq_hwpt_dead, (void *)4,
               V("hwpt-dead") " invalidate_cache hwpt=2: it is the parent hwpt of dev=1");
    CHECK_DIES(seq_hwpt_dead, (void *)5, V("hwpt-dead") " invalidate_cache hwpt=5: hwpt was "
                                                         "already freed");
    CHECK_DIES(seq_hwpt_dead, (void *)6, V("hwpt-dead") " attach dev=1 sid=0x0008 pasid=5 "
                                                         "hwpt=1: hwpt is a device id");
    CHECK_DIES(seq_hwpt_dead, (void *)7, V("hwpt-dead") " free_hwpt hwpt=0");
}

static void seq_busy_free(void *arg)
{
    int v = (int)(intptr_t)arg;
    struct sb *b = sb_new();
    uint32_t h = sb_bind_fs(b, 5, SB_PGTBL(1));
    if (v == 0)
        b->ops->detach(b->hb, 1, 5);
    b->ops->free_hwpt(b->hb, v == 2 ? 2 : h);
    sb_free(b);
}

static void violation_hwpt_busy_free(void)
{
    CHECK_SURVIVES(seq_busy_free, (void *)0);
    CHECK_DIES(seq_busy_free, (void *)1,
               V("hwpt-busy-free") " free_hwpt hwpt=5: still attached at dev=1 sid=0x0008 "
               "pasid=5");
    CHECK_DIES(seq_busy_free, (void *)2,
               V("hwpt-busy-free") " free_hwpt hwpt=2: it is the parent hwpt of dev=1 "
               "sid=0x0008");
}

static void seq_unplug_leak(void *arg)
{
    int v = (int)(intptr_t)arg;
    struct sb *b = sb_new();
    uint32_t h = sb_bind_fs(b, 5, SB_PGTBL(1));
    if (v != 1)
        b->ops->detach(b->hb, 1, 5);
    if (v != 1 && v != 2)
        b->ops->free_hwpt(b->hb, h);
    if (v == 3) {           /* PASID 0 left on a first stage */
        sb_set_fs(b, SID_A, 0, SB_PGTBL(2));
        b->ops->attach(b->hb, 1, 0, sb_alloc(b, 1, 2, SB_PGTBL(2)));
    }
    host_backend_unplug(b->hb, 1);
    host_backend_unplug(b->hb, 3);
    if (host_backend_live_hwpts(b->hb) != (v == 3 ? 1u : 0u))
        abort();
    sb_free(b);
}

static void violation_hwpt_leak_unplug(void)
{
    CHECK_SURVIVES(seq_unplug_leak, (void *)0);
    CHECK_DIES(seq_unplug_leak, (void *)1,
               V("hwpt-leak") " unplug dev=1 sid=0x0008: pasid=5 still attached to hwpt=5");
    CHECK_DIES(seq_unplug_leak, (void *)2,
               V("hwpt-leak") " unplug dev=1 sid=0x0008: first-stage hwpt=5 on its parent "
               "hwpt=2 is still allocated");
    CHECK_DIES(seq_unplug_leak, (void *)3,
               V("hwpt-leak") " unplug dev=1 sid=0x0008: pasid=0 still attached to hwpt=6");
}

static void seq_dev_unplugged(void *arg)
{
    int v = (int)(intptr_t)arg;
    struct sb *b = sb_new();
    sb_set_fs(b, SID_B, 5, SB_PGTBL(1));
    uint32_t h = sb_alloc(b, 3, 4, SB_PGTBL(1));
    b->ops->attach(b->hb, 3, 5, h);
    b->ops->detach(b->hb, 3, 5);
    b->ops->free_hwpt(b->hb, h);
    host_backend_unplug(b->hb, 3);
    struct vtd_s1_config cfg = {SB_PGTBL(1), 48, 0};
    uint32_t id;
    switch (v) {
    case 1: b->ops->attach(b->hb, 3, 5, 4); break;
    case 2: b->ops->alloc_s1_hwpt(b->hb, 3, 4, &cfg, &id); break;
    case 3: b->ops->detach(b->hb, 3, 0); break;
    case 4: b->ops->attach(b->hb, 99, 0, 2); break;
    }
    sb_free(b);
}

static void violation_dev_unplugged(void)
{
    CHECK_SURVIVES(seq_dev_unplugged, (void *)0);
    CHECK_DIES(seq_dev_unplugged, (void *)1,
               V("dev-unplugged") " attach dev=3 pasid=5 hwpt=4: device not plugged");
    CHECK_DIES(seq_dev_unplugged, (void *)2,
               V("dev-unplugged") " alloc_s1_hwpt dev=3 parent=4: device not plugged");
    CHECK_DIES(seq_dev_unplugged, (void *)3,
               V("dev-unplugged") " detach dev=3 pasid=0: device not plugged");
    CHECK_DIES(seq_dev_unplugged, (void *)4, V("dev-unplugged") " attach dev=99");
}

static void seq_detach_unbound(void *arg)
{
    int v = (int)(intptr_t)arg;
    struct sb *b = sb_new();
    sb_set_pt(b, SID_A, 5);
    if (v != 1)
        b->ops->attach(b->hb, 1, 5, 2);
    b->ops->detach(b->hb, 1, 5);
    if (v == 2)
        b->ops->detach(b->hb, 1, 5);
    sb_free(b);
}

static void violation_detach_unbound(void)
{
    CHECK_SURVIVES(seq_detach_unbound, (void *)0);
    CHECK_DIES(seq_detach_unbound, (void *)1,
               V("detach-unbound") " detach dev=1 sid=0x0008 pasid=5: nothing is attached there");
    CHECK_DIES(seq_detach_unbound, (void *)2, V("detach-unbound") " detach dev=1 sid=0x0008 "
                                                                   "pasid=5");
}

/* ---- the after-every-op check, on a fake cache ---- */

struct fake_cache {
    bool sound;
    const char *why;
    unsigned n;
    struct vtd_cache_view v[8];
};

static void fake_walk(const void *model, vtd_cache_visit_fn visit, void *opaque)
{
    const struct fake_cache *c = model;
    for (unsigned i = 0; i < c->n; i++)
        visit(opaque, &c->v[i]);
}

static bool fake_self_check(const void *model, char *why, size_t why_len)
{
    const struct fake_cache *c = model;
    snprintf(why, why_len, "%s", c->sound ? "" : c->why);
    return c->sound;
}

/* A cached entry with its copy of the PASID entry: first stage on pgtbl,
 * or pass-through when pgtbl is 0. */
static void fake_add(struct fake_cache *c, uint16_t sid, uint32_t dev, uint32_t pasid,
                     uint32_t hwpt, uint64_t pgtbl)
{
    struct vtd_cache_view *e = &c->v[c->n++];
    *e = (struct vtd_cache_view){.sid = sid, .host_dev = dev, .pasid = pasid, .hwpt = hwpt};
    if (pgtbl)
        sb_pe_fs(e->entry, 1, pgtbl, 0, 0);
    else
        sb_pe_pt(e->entry, 1);
}

/* Backend: A/5 on s1 5, A/7 pass-through. The fake cache agrees with it
 * unless the variant makes it lie. */
static void seq_check(void *arg)
{
    int v = (int)(intptr_t)arg;
    struct sb *b = sb_new();
    uint32_t h = sb_bind_fs(b, 5, SB_PGTBL(1));
    sb_set_pt(b, SID_A, 7);
    b->ops->attach(b->hb, 1, 7, 2);
    struct fake_cache c = {.sound = true, .why = "sid 0x0008: pasid 5 has a broken back-link"};
    fake_add(&c, SID_A, 1, 7, 2, 0);
    fake_add(&c, SID_A, 1, 5, h, SB_PGTBL(1));
    switch (v) {
    case 1: c.sound = false; break;
    case 2: fake_add(&c, SID_A, 1, 9, h, SB_PGTBL(1)); break; /* entry, nothing attached */
    case 3: c.n = 1; break;                                  /* attachment, no entry */
    case 4: c.v[0].hwpt = h; break;                          /* entry on another hwpt */
    case 5: fake_add(&c, 0x77, 99, 1, 2, 0); break;          /* device not plugged */
    case 6: c.v[1].sid = SID_B; break;                       /* sid disagrees */
    case 7: fake_add(&c, SID_A, 1, 5, h, SB_PGTBL(1)); break; /* twice */
    case 8: sb_alloc(b, 1, 2, SB_PGTBL(3)); break;           /* nobody's hwpt */
    case 9: /* cached only, between a failed detach and its retry: no leak */
        sb_set_fs(b, SID_A, 0, SB_PGTBL(4));
        b->ops->attach(b->hb, 1, 0, sb_alloc(b, 1, 2, SB_PGTBL(4)));
        fake_add(&c, SID_A, 1, 0, 6, SB_PGTBL(4));
        break;
    case 10: b->ops->detach(b->hb, 1, 0); break;            /* default PASID 0 gone: fine */
    /* Copies that do not ask for the binding held: */
    case 11: sb_pe_fs(c.v[1].entry, 1, SB_PGTBL(2), 0, 0); break;  /* older tables */
    case 12: sb_pe_fs(c.v[1].entry, 1, SB_PGTBL(1), 0, VTD_S1_FLAG_SRE); break;
    case 13: memset(c.v[0].entry, 0, sizeof c.v[0].entry); break; /* not an entry */
    case 14: sb_pe_fs(c.v[0].entry, 1, SB_PGTBL(1), 0, 0); break;  /* on the parent */
    case 15: sb_pe_pt(c.v[1].entry, 1); break;                     /* on an s1 */
    }
    host_backend_check_cache(b->hb, fake_walk, fake_self_check, &c);
    sb_free(b);
}

static void violation_list_corrupt(void)
{
    CHECK_SURVIVES(seq_check, (void *)0);
    CHECK_DIES(seq_check, (void *)1,
               V("list-corrupt") " model cache: sid 0x0008: pasid 5 has a broken back-link");
}

static void violation_cache_incoherent(void)
{
    CHECK_SURVIVES(seq_check, (void *)0);
    CHECK_SURVIVES(seq_check, (void *)9);
    CHECK_SURVIVES(seq_check, (void *)10);
    CHECK_DIES(seq_check, (void *)2,
               V("cache-incoherent") " cached entry dev=1 sid=0x0008 pasid=9 hwpt=5 but the "
               "host has nothing attached");
    CHECK_DIES(seq_check, (void *)3,
               V("cache-incoherent") " attachment dev=1 sid=0x0008 pasid=5 hwpt=5 has no cached "
               "entry");
    CHECK_DIES(seq_check, (void *)4,
               V("cache-incoherent") " cached entry dev=1 sid=0x0008 pasid=7 hwpt=5 but the "
               "host has hwpt=2 attached");
    CHECK_DIES(seq_check, (void *)5,
               V("cache-incoherent") " cached entry sid=0x0077 pasid=1 hwpt=2 names dev=99, "
               "which is not plugged on the host");
    CHECK_DIES(seq_check, (void *)6, V("cache-incoherent") " cached entry dev=1 pasid=5 hwpt=5 "
                                                            "has sid=0x0010");
    CHECK_DIES(seq_check, (void *)7, V("cache-incoherent") " two cached entries for dev=1 "
                                                            "pasid=5");
}

/* The cached copy of each entry asks for the binding the entry holds. */
static void violation_cache_copy(void)
{
    CHECK_SURVIVES(seq_check, (void *)0);
    CHECK_DIES(seq_check, (void *)11,
               V("cache-incoherent") " cached entry dev=1 sid=0x0008 pasid=5 hwpt=5: its copy of "
               "the PASID entry asks for first-stage{pgtbl=0x80002000 aw=48 flags=0x0}");
    CHECK_DIES(seq_check, (void *)12,
               V("cache-incoherent") " cached entry dev=1 sid=0x0008 pasid=5 hwpt=5: its copy of "
               "the PASID entry asks for first-stage{pgtbl=0x80001000 aw=48 flags=0x1}");
    CHECK_DIES(seq_check, (void *)13,
               V("cache-incoherent") " cached entry dev=1 sid=0x0008 pasid=7 hwpt=2: its copy of "
               "the PASID entry asks for no binding (not a valid entry)");
    CHECK_DIES(seq_check, (void *)14,
               V("cache-incoherent") " cached entry dev=1 sid=0x0008 pasid=7 hwpt=2: its copy of "
               "the PASID entry asks for first-stage{pgtbl=0x80001000");
    CHECK_DIES(seq_check, (void *)15,
               V("cache-incoherent") " cached entry dev=1 sid=0x0008 pasid=5 hwpt=5: its copy of "
               "the PASID entry asks for pass-through (parent hwpt)");
}

static void violation_hwpt_leak_check(void)
{
    CHECK_SURVIVES(seq_check, (void *)0);
    CHECK_DIES(seq_check, (void *)8,
               V("hwpt-leak") " hwpt=6 (first stage of dev=1 sid=0x0008 on parent hwpt=2) is "
               "neither attached nor cached");
}

/* ---- the host IOTLB and the registers ---- */

/* A/5 on a first stage of DID 1; a PASID-selective PASID-IOTLB flush of
 * (1, 5), then the wait. v 0 flushes the hwpt, v 1 forgets to. */
static void seq_iotlb(void *arg)
{
    int v = (int)(intptr_t)arg;
    struct sb *b = sb_new();
    struct pf_oracle *o = pf_oracle_new(b->hb);
    struct pf_iotlb *c = pf_iotlb_new(b->hb, o);
    if (!o || !c)
        abort();
    pf_oracle_plug(o, 0, b->dev_a, SID_A, 20, b->parent_a);
    uint32_t h = sb_bind_fs(b, 5, SB_PGTBL(1));
    pf_oracle_pasid(o, 1, 5);
    pf_iotlb_batch_begin(c);
    struct vtd_s1_inv all = {0, VTD_S1_INV_ALL_PAGES, 0};
    if (v == 0)
        b->ops->invalidate_cache(b->hb, h, &all);
    const uint64_t q[4] = {0x6 | 2u << 4 | 1u << 16 | 5ull << 32, 0, 0, 0};
    pf_iotlb_descriptor(c, q);
    struct pf_iotlb_settled st;
    pf_iotlb_settle(c, &st);
    pf_iotlb_free(c);
    pf_oracle_free(o);
    sb_free(b);
}

static void violation_iotlb_stale(void)
{
    CHECK_SURVIVES(seq_iotlb, (void *)0);
    CHECK_DIES(seq_iotlb, (void *)1,
               V("iotlb-stale") " pasid-iotlb did=1 pasid=5 pages 0x0-0xfffffffffffff: dev=1 "
               "hwpt=5 still caches page 0x0 at the wait (no invalidate_cache covered it)");
}

static uint64_t fsts_now;

static uint64_t fsts_read(void *opaque, uint64_t off, unsigned size)
{
    (void)opaque;
    (void)size;
    return off == 0x34 ? fsts_now : 0;
}

/* FSTS.IQE set, the guest writes 1 to it: v 0 clears it, v 1 does not. */
static void seq_reg(void *arg)
{
    fsts_now = 0x10;
    struct pf_reg_snap s;
    pf_reg_snap(&s, 0x34, 4, fsts_read, NULL);
    if ((intptr_t)arg == 0)
        fsts_now = 0;
    pf_reg_check(&s, 0x10, fsts_read, NULL);
}

static void violation_reg_write(void)
{
    CHECK_SURVIVES(seq_reg, (void *)0);
    CHECK_DIES(seq_reg, (void *)1,
               V("reg-write") " write 0x10 (size 4) at 0x034: FSTS 0x10 -> 0x10 breaks "
               "write-1-to-clear");
}

static uint32_t ics_now;

static uint64_t ics_read(void *opaque, uint64_t off, unsigned size)
{
    (void)opaque;
    (void)size;
    if (off == 0x00)
        return 0x10;                        /* VER */
    if (off == 0x38 || off == 0xa0)
        return 0x80000000u;                 /* FECTL.IM, IECTL.IM */
    if (off == 0x9c)
        return ics_now;
    static const struct pf_reg_config cfg = {20, 39, false};
    return off == 0x08 ? pf_regpred_cap(&cfg) : off == 0x10 ? pf_regpred_ecap(&cfg) : 0;
}

/* Power-on, then a guest read of ICS: v 0 reads 0, v 1 reads IWC set out of
 * nowhere. */
static void seq_reg_value(void *arg)
{
    struct pf_regpred p;
    const struct pf_reg_config cfg = {20, 39, false};
    ics_now = 0;
    pf_regpred_reset(&p, &cfg);
    pf_regpred_check_all(&p, "at power-on", ics_read, NULL);
    ics_now = (uint32_t)(intptr_t)arg;
    pf_regpred_read(&p, 0x9c, 4, ics_read(NULL, 0x9c, 4));
}

static void violation_reg_value(void)
{
    CHECK_SURVIVES(seq_reg_value, (void *)0);
    CHECK_DIES(seq_reg_value, (void *)1,
               V("reg-value") " read 0x1 (size 4) at 0x09c: ICS reads 0x1, the spec says 0x0 "
               "(open bits 0x0)");
}

/* The model's answers to plug and unplug: v 0 the right ones (0 for a new
 * device, -EINVAL for one over 20 PASID bits, -EBUSY after a refused detach
 * of the device, 0 otherwise). */
static void seq_plug_result(void *arg)
{
    int v = (int)(intptr_t)arg;
    struct sb *b = sb_new();
    uint32_t wide, parent;
    if (host_backend_plug(b->hb, 0x0030, 21, &wide, &parent) != 0)
        abort();
    host_backend_check_plug(b->hb, wide, v == 6 ? 0 : -EINVAL);
    (void)host_backend_unplug(b->hb, wide);
    host_backend_check_plug(b->hb, b->dev_a, v == 1 ? -ENOSPC : 0);
    unsigned before = host_backend_peek_failures(b->hb, NULL, 0);
    host_backend_check_unplug(b->hb, b->dev_a, v == 2 ? -EBUSY : 0, before);
    sb_bind_fs(b, 5, SB_PGTBL(1));
    before = host_backend_peek_failures(b->hb, NULL, 0);
    host_backend_fail_nth(b->hb, HB_CALL_DETACH, 1);
    if (b->ops->detach(b->hb, v == 5 ? b->dev_b : b->dev_a, v == 5 ? 0 : 5) == 0)
        abort();
    host_backend_check_unplug(b->hb, b->dev_a, v == 3 ? 0 : v == 4 ? EBUSY : -EBUSY, before);
    sb_free(b);
}

static void violation_plug_result(void)
{
    CHECK_SURVIVES(seq_plug_result, (void *)0);
    CHECK_DIES(seq_plug_result, (void *)1,
               V("api-result") " plug dev=1 sid=0x0008 (20 PASID bits): the model answered -28, "
               "not 0, with 1 of 8 devices plugged");
    CHECK_DIES(seq_plug_result, (void *)2, V("api-result") " unplug dev=1: the model answered "
               "-16, not 0 (every detach succeeded)");
    CHECK_DIES(seq_plug_result, (void *)3, V("api-result") " unplug dev=1: the model answered "
               "0, not -16 (the host refused a detach)");
    CHECK_DIES(seq_plug_result, (void *)4, V("api-result") " unplug dev=1: the model answered "
               "16, not -16");
    CHECK_DIES(seq_plug_result, (void *)5, V("api-result") " unplug dev=1: the model answered "
               "-16, not 0");
    CHECK_DIES(seq_plug_result, (void *)6, V("api-result") " plug dev=5 sid=0x0030 (21 PASID "
               "bits): the model answered 0, not -22, with 2 of 8 devices plugged");
}

CHECK_MAIN(TEST(violation_bind_deleted), TEST(violation_bind_config), TEST(violation_bind_range),
           TEST(violation_hwpt_dead), TEST(violation_hwpt_busy_free),
           TEST(violation_hwpt_leak_unplug), TEST(violation_dev_unplugged),
           TEST(violation_detach_unbound), TEST(violation_list_corrupt),
           TEST(violation_cache_incoherent), TEST(violation_cache_copy),
           TEST(violation_hwpt_leak_check),
           TEST(violation_iotlb_stale), TEST(violation_reg_write), TEST(violation_reg_value),
           TEST(violation_plug_result))

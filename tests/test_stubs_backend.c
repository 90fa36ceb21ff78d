/*
 * Tests of the stub host backend: the kernel-like argument checks, fault
 * injection, queries and trace, the cost of the after-every-op check, and
 * that check once through the real model. The invariant death tests are in
 * test_stubs_violations.c.
 */
#include <errno.h>
#include <string.h>

#include "check.h"
#include "model_fixture.h"
#include "stubs_bench.h"
#include "violation.h"

#define V(id) "pasidfuzz: VIOLATION " id ":"

/* ---- argument checks, ids, queries ---- */

static void hb_ids_and_queries(void)
{
    struct sb *b = sb_new();
    CHECK_EQ_U64(b->dev_a, 1);
    CHECK_EQ_U64(b->parent_a, 2);
    CHECK_EQ_U64(b->dev_b, 3);
    CHECK_EQ_U64(b->parent_b, 4);
    CHECK_EQ_U64(host_backend_dev_by_sid(b->hb, SID_B), 3);
    CHECK_EQ_U64(host_backend_dev_by_sid(b->hb, 0x4242), 0);
    CHECK_EQ_U64(host_backend_parent_hwpt(b->hb, 3), 4);
    CHECK_EQ_U64(host_backend_parent_hwpt(b->hb, 2), 0);
    CHECK_EQ_U64(host_backend_attached(b->hb, 1, 0), 2);
    CHECK_EQ_U64(host_backend_attach_count(b->hb, 1), 1);
    CHECK_EQ_U64(host_backend_live_hwpts(b->hb), 2);
    struct hb_hwpt_info info;
    CHECK(host_backend_hwpt_info(b->hb, 2, &info));
    CHECK(info.alive && info.is_parent && info.dev == 1);
    CHECK(!host_backend_hwpt_info(b->hb, 1, &info));   /* a device id */
    CHECK(!host_backend_hwpt_info(b->hb, 0, &info));
    CHECK(!host_backend_hwpt_info(b->hb, 5, &info));   /* not yet handed out */

    uint32_t h = sb_bind_fs(b, 5, SB_PGTBL(1));
    CHECK_EQ_U64(h, 5);
    CHECK(host_backend_hwpt_info(b->hb, 5, &info));
    CHECK(info.alive && !info.is_parent && info.dev == 1 && info.parent == 2);
    CHECK_EQ_U64(info.s1.pgtbl_addr, SB_PGTBL(1));
    CHECK_EQ_U64(host_backend_attached(b->hb, 1, 5), 5);
    CHECK_EQ_U64(host_backend_attach_count(b->hb, 1), 2);
    CHECK_EQ_U64(host_backend_live_hwpts(b->hb), 3);
    CHECK_EQ_U64(host_backend_calls(b->hb, HB_CALL_ALLOC), 1);
    CHECK_EQ_U64(host_backend_calls(b->hb, HB_CALL_ATTACH), 1);
    CHECK(strcmp(hb_call_name(HB_CALL_INVALIDATE), "invalidate_cache") == 0);

    host_backend_reset(b->hb);
    CHECK_EQ_U64(host_backend_live_hwpts(b->hb), 0);
    CHECK_EQ_U64(host_backend_calls(b->hb, HB_CALL_ATTACH), 0);
    CHECK(!host_backend_view(b->hb)->te);
    uint32_t dev = 0, parent = 0;
    CHECK_EQ_U64(host_backend_plug(b->hb, SID_B, 20, &dev, &parent), 0);
    CHECK(dev == 1 && parent == 2);                     /* ids start over */
    sb_free(b);
}

struct walk_log {
    unsigned n;
    uint32_t dev[8], pasid[8];
};

static void log_attachment(void *opaque, uint32_t dev, uint16_t sid, uint32_t pasid,
                           uint32_t hwpt)
{
    struct walk_log *w = opaque;
    (void)sid;
    (void)hwpt;
    if (w->n < 8) {
        w->dev[w->n] = dev;
        w->pasid[w->n] = pasid;
    }
    w->n++;
}

static void hb_walk_order(void)
{
    struct sb *b = sb_new();
    sb_bind_fs(b, 9, SB_PGTBL(1));
    sb_bind_fs(b, 3, SB_PGTBL(2));
    /* Unplug A and plug C: C reuses A's entry but comes after B by id. */
    CHECK_EQ_U64(b->ops->detach(b->hb, 1, 9), 0);
    CHECK_EQ_U64(b->ops->detach(b->hb, 1, 3), 0);
    CHECK_EQ_U64(b->ops->free_hwpt(b->hb, 5), 0);
    CHECK_EQ_U64(b->ops->free_hwpt(b->hb, 6), 0);
    CHECK_EQ_U64(host_backend_unplug(b->hb, 1), 0);
    uint32_t dev = 0;
    CHECK_EQ_U64(host_backend_plug(b->hb, SID_A, 20, &dev, NULL), 0);
    CHECK_EQ_U64(dev, 7);
    sb_set_pt(b, SID_A, 4);
    CHECK_EQ_U64(b->ops->attach(b->hb, 7, 4, 8), 0);
    struct walk_log w = {0};
    host_backend_walk_attachments(b->hb, log_attachment, &w);
    CHECK_EQ_U64(w.n, 3);
    CHECK(w.dev[0] == 3 && w.pasid[0] == 0);
    CHECK(w.dev[1] == 7 && w.pasid[1] == 0);
    CHECK(w.dev[2] == 7 && w.pasid[2] == 4);
    sb_free(b);
}

static void hb_alloc_args(void)
{
    struct sb *b = sb_new();
    const struct vtd_host_ops *o = b->ops;
    struct vtd_s1_config ok = {SB_PGTBL(1), 48, VTD_S1_FLAGS_ALL};
    uint32_t id = 0;
    CHECK_EQ_U64(o->alloc_s1_hwpt(b->hb, 1, 4, &ok, &id), (uint64_t)-EINVAL);  /* B's parent */
    CHECK_EQ_U64(o->alloc_s1_hwpt(b->hb, 1, 0, &ok, &id), (uint64_t)-EINVAL);
    CHECK_EQ_U64(o->alloc_s1_hwpt(b->hb, 1, 99, &ok, &id), (uint64_t)-EINVAL);
    CHECK_EQ_U64(o->alloc_s1_hwpt(b->hb, 1, 2, NULL, &id), (uint64_t)-EINVAL);
    CHECK_EQ_U64(o->alloc_s1_hwpt(b->hb, 1, 2, &ok, NULL), (uint64_t)-EINVAL);
    static const uint32_t widths[] = {0, 39, 47, 49, 56, 58, 64};
    for (unsigned i = 0; i < sizeof widths / sizeof widths[0]; i++) {
        struct vtd_s1_config c = ok;
        c.addr_width = widths[i];
        CHECK_EQ_U64(o->alloc_s1_hwpt(b->hb, 1, 2, &c, &id), (uint64_t)-EINVAL);
    }
    struct vtd_s1_config c = ok;
    c.pgtbl_addr |= 0x800;
    CHECK_EQ_U64(o->alloc_s1_hwpt(b->hb, 1, 2, &c, &id), (uint64_t)-EINVAL);
    c = ok;
    c.flags = 1u << 3;
    CHECK_EQ_U64(o->alloc_s1_hwpt(b->hb, 1, 2, &c, &id), (uint64_t)-EINVAL);
    CHECK_EQ_U64(host_backend_live_hwpts(b->hb), 2);
    CHECK_EQ_U64(id, 0);                                /* untouched on error */
    /* Refused calls used no id: the first success is 5. */
    CHECK_EQ_U64(o->alloc_s1_hwpt(b->hb, 1, 2, &ok, &id), 0);
    CHECK_EQ_U64(id, 5);
    c = ok;
    c.addr_width = 57;
    CHECK_EQ_U64(o->alloc_s1_hwpt(b->hb, 1, 2, &c, &id), 0);
    /* An s1 is not a parent to nest on. */
    CHECK_EQ_U64(o->alloc_s1_hwpt(b->hb, 1, 5, &ok, &id), (uint64_t)-EINVAL);
    sb_free(b);
}

static void hb_attach_args_and_replace(void)
{
    struct sb *b = sb_new();
    const struct vtd_host_ops *o = b->ops;
    sb_set_pt(b, SID_A, 2);
    sb_set_fs(b, SID_B, 2, SB_PGTBL(7));
    uint32_t hb_s1 = sb_alloc(b, 3, 4, SB_PGTBL(7));
    /* Another device's parent or first stage: refused before any check. */
    CHECK_EQ_U64(o->attach(b->hb, 1, 2, 4), (uint64_t)-EINVAL);
    CHECK_EQ_U64(o->attach(b->hb, 1, 2, hb_s1), (uint64_t)-EINVAL);
    CHECK_EQ_U64(host_backend_attached(b->hb, 1, 2), 0);
    CHECK_EQ_U64(o->attach(b->hb, 1, 2, 2), 0);         /* pass-through */
    CHECK_EQ_U64(o->attach(b->hb, 3, 2, hb_s1), 0);

    /* Replace: new tables at A/5, attach over the old binding. */
    uint32_t h1 = sb_bind_fs(b, 5, SB_PGTBL(1));
    sb_set_fs(b, SID_A, 5, SB_PGTBL(2));
    uint32_t h2 = sb_alloc(b, 1, 2, SB_PGTBL(2));
    CHECK_EQ_U64(o->attach(b->hb, 1, 5, h2), 0);
    CHECK_EQ_U64(host_backend_attached(b->hb, 1, 5), h2);
    CHECK_EQ_U64(host_backend_attach_count(b->hb, 1), 3);
    CHECK_EQ_U64(o->free_hwpt(b->hb, h1), 0);           /* no longer busy */
    struct hb_hwpt_info info;
    CHECK(host_backend_hwpt_info(b->hb, h1, &info) && !info.alive);
    CHECK_EQ_U64(o->detach(b->hb, 1, 5), 0);
    CHECK_EQ_U64(o->free_hwpt(b->hb, h2), 0);
    sb_free(b);
}

static void hb_invalidate_args(void)
{
    struct sb *b = sb_new();
    const struct vtd_host_ops *o = b->ops;
    uint32_t h = sb_bind_fs(b, 5, SB_PGTBL(1));
    struct vtd_s1_inv bad[] = {
        {0x1000, 1, 1u << 1},       /* unknown flag */
        {0x1800, 1, 0},             /* unaligned */
        {0x1000, 0, 0},             /* no pages */
    };
    for (unsigned i = 0; i < 3; i++)
        CHECK_EQ_U64(o->invalidate_cache(b->hb, h, &bad[i]), (uint64_t)-EINVAL);
    CHECK_EQ_U64(o->invalidate_cache(b->hb, h, NULL), (uint64_t)-EINVAL);
    struct hb_hwpt_info info;
    CHECK(host_backend_hwpt_info(b->hb, h, &info) && info.invalidations == 0);
    struct vtd_s1_inv all = {0, VTD_S1_INV_ALL_PAGES, 0};
    struct vtd_s1_inv page = {0x5000, 4, VTD_S1_INV_FLAG_LEAF};
    CHECK_EQ_U64(o->invalidate_cache(b->hb, h, &all), 0);
    CHECK_EQ_U64(o->invalidate_cache(b->hb, h, &page), 0);
    CHECK(host_backend_hwpt_info(b->hb, h, &info));
    CHECK_EQ_U64(info.invalidations, 2);
    CHECK(info.last_inv.addr == 0x5000 && info.last_inv.npages == 4 &&
          info.last_inv.flags == VTD_S1_INV_FLAG_LEAF);
    sb_free(b);
}

static void hb_plug_unplug(void)
{
    struct sb *b = sb_new();
    uint32_t dev, parent;
    CHECK_EQ_U64(host_backend_plug(b->hb, SID_A, 20, &dev, &parent), (uint64_t)-EEXIST);
    for (unsigned i = 2; i < VTD_MAX_DEVICES; i++)
        CHECK_EQ_U64(host_backend_plug(b->hb, (uint16_t)(0x100 + i), 20, &dev, &parent), 0);
    CHECK_EQ_U64(host_backend_plug(b->hb, 0x200, 20, &dev, &parent), (uint64_t)-ENOSPC);
    CHECK_EQ_U64(host_backend_unplug(b->hb, 99), (uint64_t)-ENOENT);
    CHECK_EQ_U64(host_backend_unplug(b->hb, 2), (uint64_t)-ENOENT);     /* a hwpt id */
    CHECK_EQ_U64(host_backend_unplug(b->hb, 3), 0);
    CHECK_EQ_U64(host_backend_dev_by_sid(b->hb, SID_B), 0);
    struct hb_hwpt_info info;
    CHECK(host_backend_hwpt_info(b->hb, 4, &info) && !info.alive);
    CHECK_EQ_U64(host_backend_unplug(b->hb, 3), (uint64_t)-ENOENT);
    CHECK_EQ_U64(host_backend_plug(b->hb, SID_B, 4, &dev, &parent), 0);
    CHECK_EQ_U64(dev, 17);                              /* ids never reused */
    sb_free(b);
}

/* ---- fault injection ---- */

static void hb_fault_injection(void)
{
    struct sb *b = sb_new();
    const struct vtd_host_ops *o = b->ops;
    sb_set_fs(b, SID_A, 5, SB_PGTBL(1));
    sb_set_fs(b, SID_A, 6, SB_PGTBL(1));
    uint32_t h = sb_alloc(b, 1, 2, SB_PGTBL(1));
    host_backend_fail_nth(b->hb, HB_CALL_ATTACH, 2);
    CHECK_EQ_U64(o->attach(b->hb, 1, 5, h), 0);
    CHECK_EQ_U64(o->attach(b->hb, 1, 6, h), (uint64_t)-EIO);
    CHECK_EQ_U64(host_backend_attached(b->hb, 1, 6), 0);     /* changed nothing */
    CHECK_EQ_U64(o->attach(b->hb, 1, 6, h), 0);              /* one shot */
    CHECK_EQ_U64(host_backend_calls(b->hb, HB_CALL_ATTACH), 3);

    /* An injected failure comes before every check: these would all be
     * violations if they went through. */
    host_backend_fail_nth(b->hb, HB_CALL_DETACH, 1);
    CHECK_EQ_U64(o->detach(b->hb, 1, 77), (uint64_t)-EIO);
    host_backend_fail_nth(b->hb, HB_CALL_ATTACH, 1);
    CHECK_EQ_U64(o->attach(b->hb, 99, 1, 99), (uint64_t)-EIO);
    host_backend_fail_nth(b->hb, HB_CALL_FREE, 1);
    CHECK_EQ_U64(o->free_hwpt(b->hb, h), (uint64_t)-EIO);
    host_backend_fail_nth(b->hb, HB_CALL_INVALIDATE, 1);
    CHECK_EQ_U64(o->invalidate_cache(b->hb, 2, NULL), (uint64_t)-EIO);
    host_backend_fail_nth(b->hb, HB_CALL_ALLOC, 1);
    uint32_t id = 0;
    struct vtd_s1_config cfg = {SB_PGTBL(1), 48, 0};
    CHECK_EQ_U64(o->alloc_s1_hwpt(b->hb, 1, 2, &cfg, &id), (uint64_t)-EIO);
    CHECK_EQ_U64(id, 0);
    CHECK_EQ_U64(sb_alloc(b, 1, 2, SB_PGTBL(1)), 6);          /* no id was used */
    CHECK_EQ_U64(host_backend_attached(b->hb, 1, 5), h);

    struct hb_failure f[8];
    CHECK_EQ_U64(host_backend_take_failures(b->hb, f, 2), 6);  /* more than max */
    CHECK(f[0].call == HB_CALL_ATTACH && f[0].dev == 1 && f[0].pasid == 6 && f[0].hwpt == h);
    CHECK(f[1].call == HB_CALL_DETACH && f[1].dev == 1 && f[1].pasid == 77);
    CHECK_EQ_U64(host_backend_take_failures(b->hb, f, 8), 0);  /* the log was cleared */

    /* Re-arming replaces, 0 cancels, kinds are independent. */
    host_backend_fail_nth(b->hb, HB_CALL_DETACH, 5);
    host_backend_fail_nth(b->hb, HB_CALL_DETACH, 1);
    host_backend_fail_nth(b->hb, HB_CALL_ATTACH, 1);
    host_backend_fail_nth(b->hb, HB_CALL_ATTACH, 0);
    CHECK_EQ_U64(o->attach(b->hb, 1, 5, h), 0);
    CHECK_EQ_U64(o->detach(b->hb, 1, 5), (uint64_t)-EIO);
    CHECK_EQ_U64(o->detach(b->hb, 1, 5), 0);
    CHECK_EQ_U64(host_backend_take_failures(b->hb, f, 8), 1);
    CHECK(f[0].call == HB_CALL_DETACH);
    CHECK_EQ_U64(host_backend_take_failures(b->hb, NULL, 0), 0);
    sb_free(b);
}

static void hb_trace_lines(void)
{
    struct sb *b = sb_new();
    FILE *t = tmpfile();
    CHECK(t != NULL);
    if (!t) {
        sb_free(b);
        return;
    }
    host_backend_set_trace(b->hb, t);
    sb_bind_fs(b, 5, SB_PGTBL(1));
    host_backend_fail_nth(b->hb, HB_CALL_DETACH, 1);
    b->ops->detach(b->hb, 1, 5);
    host_backend_set_trace(b->hb, NULL);
    b->ops->detach(b->hb, 1, 5);
    char buf[1024] = "";
    rewind(t);
    size_t n = fread(buf, 1, sizeof buf - 1, t);
    buf[n] = '\0';
    fclose(t);
    CHECK(strcmp(buf, "hb: alloc_s1_hwpt dev=1 parent=2 pgtbl=0x80001000 aw=48 flags=0x0 -> 0 "
                      "hwpt=5\n"
                      "hb: attach dev=1 pasid=5 hwpt=5 -> 0\n"
                      "hb: detach dev=1 pasid=5 -> -5 (injected)\n") == 0);
    if (check_failures)
        fprintf(stderr, "trace was:\n%s", buf);
    sb_free(b);
}

/* Thousands of entries: the check must stay n log n, not n^2. */
struct big_cache {
    size_t n;
    struct vtd_cache_view *v;
};

static void big_walk(const void *model, vtd_cache_visit_fn visit, void *opaque)
{
    const struct big_cache *c = model;
    for (size_t i = 0; i < c->n; i++)
        visit(opaque, &c->v[i]);
}

static bool always_sound(const void *model, char *why, size_t why_len)
{
    (void)model;
    if (why_len)
        why[0] = '\0';
    return true;
}

static void hb_check_scales(void)
{
    enum { N = 6000 };
    struct sb *b = sb_new();
    struct big_cache c = {N, calloc(N, sizeof(struct vtd_cache_view))};
    CHECK(c.v != NULL);
    for (uint32_t p = 1; c.v && p <= N; p++) {
        sb_set_pt(b, SID_A, p);
        CHECK_EQ_U64(b->ops->attach(b->hb, 1, p, 2), 0);
        /* Reverse order: the check must not rely on the walk's order. */
        c.v[N - p] = (struct vtd_cache_view){.sid = SID_A, .host_dev = 1, .pasid = p,
                                             .hwpt = 2};
        sb_pe_pt(c.v[N - p].entry, 1);
    }
    for (unsigned i = 0; c.v && i < 50; i++)
        host_backend_check_cache(b->hb, big_walk, always_sound, &c);
    free(c.v);
    sb_free(b);
}

/* ---- through the real model ---- */

#define MSID 0x0008

/* One first-stage binding at MSID/5 made by the model from a global
 * PASID-cache invalidation; host ids: dev 1, parent 2, s1 3. */
static struct fx *model_bound(void)
{
    struct fx *f = fx_new(20, false);
    CHECK_EQ_U64(fx_plug(f, MSID, 20), 0);
    fx_translated(f);
    fx_map_dev(f, MSID, 0);
    uint64_t pe[8];
    fx_pe_fs(pe, 1, FX_PGTBL(1), 0, 0);
    fx_set_pe(f, MSID, 5, pe);
    fx_pc_global(f);
    return f;
}

static void seq_model(void *arg)
{
    int v = (int)(intptr_t)arg;
    struct fx *f = model_bound();
    if (fx_attached(f, MSID, 5) != 3)
        abort();
    if (v == 1)         /* the host loses the binding behind the model's back */
        f->cfg.host->detach(f->hb, 1, 5);
    if (v == 2) {       /* a first stage nobody will ever free */
        struct vtd_s1_config cfg = {FX_PGTBL(9), 48, 0};
        uint32_t id;
        f->cfg.host->alloc_s1_hwpt(f->hb, 1, 2, &cfg, &id);
    }
    fx_check(f);
    fx_free(f);
}

static void model_check_through_fixture(void)
{
    struct fx *f = model_bound();
    CHECK_EQ_U64(fx_attached(f, MSID, 5), 3);
    CHECK_EQ_U64(fx_cache_count(f), 1);
    host_backend_check(f->hb, f->vtd);
    fx_free(f);
    CHECK_SURVIVES(seq_model, (void *)0);
    CHECK_DIES(seq_model, (void *)1,
               V("cache-incoherent") " cached entry dev=1 sid=0x0008 pasid=5 hwpt=3 but the "
               "host has nothing attached");
    CHECK_DIES(seq_model, (void *)2,
               V("hwpt-leak") " hwpt=4 (first stage of dev=1 sid=0x0008 on parent hwpt=2) is "
               "neither attached nor cached");
}

CHECK_MAIN(TEST(hb_ids_and_queries), TEST(hb_walk_order), TEST(hb_alloc_args),
           TEST(hb_attach_args_and_replace), TEST(hb_invalidate_args), TEST(hb_plug_unplug),
           TEST(hb_fault_injection), TEST(hb_trace_lines), TEST(hb_check_scales),
           TEST(model_check_through_fixture))

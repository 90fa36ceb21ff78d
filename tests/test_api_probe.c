/*
 * The API-contract probes (stubs/api_probe.c): every probe holds on the
 * model, and each rule fires on a stand-in that answers what the contract
 * (model/vtd.h) rules out.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api_probe.h"
#include "check.h"
#include "model_fixture.h"
#include "violation.h"

#define V "pasidfuzz: VIOLATION api-result: "

/* The fixture with two devices plugged and one PASID bound (a first-stage
 * entry, so that destroy has a cached entry to free). */
static struct fx *two_devices(struct pf_api_dev devs[2])
{
    struct fx *f = fx_new(20, false);
    if (fx_plug(f, 0x0008, 20) != 0 || fx_plug(f, 0x0110, 8) != 0)
        abort();
    devs[0] = (struct pf_api_dev){0x0008, fx_hdev(f, 0x0008)};
    devs[1] = (struct pf_api_dev){0x0110, fx_hdev(f, 0x0110)};
    fx_translated(f);
    fx_map_dev(f, 0x0008, 0);
    uint64_t pe[8];
    fx_pe_fs(pe, 1, FX_PGTBL(1), 0, 0);
    fx_set_pe(f, 0x0008, 5, pe);
    fx_pc_global(f);
    if (!fx_attached(f, 0x0008, 5))
        abort();
    return f;
}

static void probes_hold_on_the_model(void)
{
    struct pf_api_dev devs[2];
    struct fx *f = two_devices(devs);
    for (unsigned p = 0; p < PF_API_PROBES; p++) {
        pf_api_probe_create(&pf_api_model, p, &f->cfg);
        pf_api_probe_booted(&pf_api_model, p, f->vtd, devs, 2);
        fx_check(f);
    }
    CHECK_EQ_U64(fx_attached(f, 0x0008, 5) != 0, 1);
    fx_free(f);
}

static void destroy_with_devices_plugged(void)
{
    struct pf_api_dev devs[2];
    struct fx *f = two_devices(devs);
    CHECK(!pf_api_probe_destroy(&pf_api_model, 0, f->vtd, f->hb));
    CHECK(pf_api_probe_destroy(&pf_api_model, PF_API_DESTROY, f->vtd, f->hb));
    /* The model is gone; the fixture must not unplug from it. */
    f->vtd = NULL;
    memset(f->devs, 0, sizeof f->devs);
    host_backend_free(f->hb);
    guest_mem_free(f->mem);
    free(f);
}

/* ---- stand-ins that answer wrong ---- */

static struct vtd *dummy_model = (struct vtd *)&dummy_model;
static struct fx *stand_in_fx;

static struct vtd *create_always(const struct vtd_config *c) { (void)c; return dummy_model; }
static struct vtd *create_never(const struct vtd_config *c) { (void)c; return NULL; }
static void destroy_nothing(struct vtd *s) { (void)s; }
static int plug_always(struct vtd *s, uint16_t sid, uint8_t l, uint32_t d, uint32_t p)
{
    (void)s, (void)sid, (void)l, (void)d, (void)p;
    return 0;
}
static int plug_full(struct vtd *s, uint16_t sid, uint8_t l, uint32_t d, uint32_t p)
{
    (void)s, (void)sid, (void)l, (void)d, (void)p;
    return -ENOSPC;
}
static int unplug_always(struct vtd *s, uint16_t sid) { (void)s, (void)sid; return 0; }
/* A read that takes any access, as the register file holds it. */
static uint64_t read_any(struct vtd *s, uint64_t off, unsigned size)
{
    (void)s, (void)off;
    return size >= 2 ? 0x1234 : 0x12;
}
/* A destroy that detaches a PASID on the way out. */
static void destroy_detaching(struct vtd *s)
{
    (void)s;
    host_backend_ops()->detach(stand_in_fx->hb, fx_hdev(stand_in_fx, 0x0008), 5);
}

static const struct pf_api api_yes = {create_always, destroy_nothing, plug_always, unplug_always,
                                      read_any};
static const struct pf_api api_no = {create_never, destroy_nothing, plug_full, vtd_unplug,
                                     vtd_mmio_read};
static const struct pf_api api_destroy = {vtd_create, destroy_detaching, vtd_plug, vtd_unplug,
                                          vtd_mmio_read};

static void run_probe(void *arg)
{
    unsigned probe = (unsigned)(uintptr_t)arg & 0xff;
    const struct pf_api *api = ((uintptr_t)arg >> 8) == 0 ? &api_yes
                               : ((uintptr_t)arg >> 8) == 1 ? &api_no : &api_destroy;
    struct pf_api_dev devs[2];
    struct fx *f = two_devices(devs);
    stand_in_fx = f;
    pf_api_probe_create(api, probe, &f->cfg);
    pf_api_probe_booted(api, probe, f->vtd, devs, 2);
    if (pf_api_probe_destroy(api, probe, f->vtd, f->hb))
        return;     /* dies before */
    fx_free(f);
}

#define YES(p) ((void *)(uintptr_t)(p))
#define NO(p) ((void *)(uintptr_t)(0x100 | (p)))
#define DESTROY(p) ((void *)(uintptr_t)(0x200 | (p)))

/* Each stand-in answer the probe must reject: which probe on which API,
 * and the violation it dies with. */
static const struct {
    void *arg;
    const char *dies_with;
} wrong_answers[] = {
    {YES(0), V "vtd_create with pasid_bits 0: the model answered a model"},
    {YES(7), V "vtd_create with haw 53: the model answered a model"},
    {YES(8), V "vtd_create with NULL dma_read: the model answered a model"},
    {YES(15), V "vtd_create with NULL host callback 4: the model answered"},
    {YES(16), V "vtd_create with memory hook 0: the model answered a model"},
    {NO(17), V "vtd_create with memory hook 1: the model answered NULL"},
    {YES(18), V "vtd_create with no config: the model answered a model"},
    {NO(1), V "vtd_create with pasid_bits 1: the model answered NULL"},
    {NO(6), V "vtd_create with haw 52: the model answered NULL"},
    {YES(PF_API_PLUG_BAD_LOG2), V "plug with max_pasid_log2 21: the model answered 0, not -22"},
    {YES(PF_API_PLUG_NO_HOST_DEV), V "plug with host device 0: the model answered 0, not -22"},
    {YES(PF_API_PLUG_NO_PARENT), V "plug with parent hwpt 0: the model answered 0, not -22"},
    {YES(PF_API_PLUG_TAKEN_SID), V "plug with the taken sid 272: the model answered 0, not -17"},
    {YES(PF_API_PLUG_TAKEN_DEV), V "plug with the taken host device"},
    {YES(PF_API_PLUG_FILL),
     V "plug into a full model, devices plugged 8: the model answered 0, not -28"},
    {NO(PF_API_PLUG_FILL),
     V "plug into a free slot, devices plugged 2: the model answered -28, not 0"},
    {YES(PF_API_UNPLUG_UNKNOWN), V "unplug of the unknown sid 65535: the model answered 0, not -2"},
    {YES(PF_API_READ_SIZE_2), V "MMIO read of 2 byte(s) at 0x1c: the model answered 0x1234, not 0"},
    {YES(PF_API_READ_SIZE_1), V "MMIO read of 1 byte(s) at 0x8: the model answered 0x12, not 0"},
    {YES(PF_API_READ_MISALIGNED),
     V "MMIO read of 8 byte(s) at 0xc: the model answered 0x1234, not 0"},
    {DESTROY(PF_API_DESTROY), V "vtd_destroy made 1 host call(s), not 0"},
};

static void wrong_answers_die(void)
{
    for (size_t i = 0; i < sizeof wrong_answers / sizeof wrong_answers[0]; i++)
        CHECK_DIES(run_probe, wrong_answers[i].arg, wrong_answers[i].dies_with);
    /* A right answer from the stand-in: no death. */
    CHECK_SURVIVES(run_probe, YES(2));
    CHECK_SURVIVES(run_probe, NO(3));
}

CHECK_MAIN(TEST(probes_hold_on_the_model), TEST(destroy_with_devices_plugged),
           TEST(wrong_answers_die))

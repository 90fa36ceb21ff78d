/* The register file of the model, as software sees it through MMIO. */
#include "check.h"
#include "model_fixture.h"

#define SID_A 0x0110u   /* bus 1, devfn 0x10 */

static uint64_t expected_cap(uint8_t haw, bool fs5)
{
    return 6ull | (0x4ull << VTD_CAP_SAGAW_SHIFT) | ((uint64_t)(haw - 1) << VTD_CAP_MGAW_SHIFT) |
           (0x20ull << VTD_CAP_FRO_SHIFT) | VTD_CAP_PSI | (18ull << VTD_CAP_MAMV_SHIFT) |
           VTD_CAP_DWD | VTD_CAP_DRD | VTD_CAP_FS1GP | (fs5 ? VTD_CAP_FS5LP : 0);
}

static uint64_t expected_ecap(uint8_t pasid_bits)
{
    return VTD_ECAP_QI | VTD_ECAP_PT | (0x10ull << VTD_ECAP_IRO_SHIFT) |
           ((uint64_t)(pasid_bits - 1) << VTD_ECAP_PSS_SHIFT) | VTD_ECAP_PASID |
           VTD_ECAP_SMTS | VTD_ECAP_FSTS;
}

static void check_power_on(struct fx *f)
{
    CHECK_EQ_U64(fx_rd(f, VTD_REG_VER, 4), 0x10);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_GCMD, 4), 0);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_GSTS, 4), 0);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_RTADDR, 8), 0);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_FSTS, 4), 0);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_IQH, 8), 0);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_IQT, 8), 0);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_IQA, 8), 0);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_ICS, 4), 0);
    /* Both event interrupts masked on reset. */
    CHECK_EQ_U64(fx_rd(f, VTD_REG_FECTL, 4), VTD_FECTL_IM);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_IECTL, 4), VTD_IECTL_IM);
}

static void reset_values(void)
{
    struct fx *f = fx_new(20, false);
    check_power_on(f);

    /* Dirty everything reset must restore. */
    fx_wr(f, VTD_REG_RTADDR, FX_RTADDR_SM, 8);
    fx_srtp(f, FX_RTADDR_SM);
    fx_te(f, true);
    fx_qi_enable(f, true, 0);
    fx_status_set(f, 0, 0);
    fx_submit(f, fx_wait_q0(VTD_WAIT_IF | VTD_WAIT_SW, 1), fx_status_addr(0));
    fx_submit(f, 0, 0); /* type 0: IQE */
    fx_wr(f, VTD_REG_FECTL, 0, 4);
    fx_wr(f, VTD_REG_IECTL, 0, 4);
    CHECK(fx_iqe(f));
    CHECK_EQ_U64(fx_rd(f, VTD_REG_ICS, 4), VTD_ICS_IWC);
    CHECK_EQ_U64(fx_gsts(f) & (VTD_GSTS_TES | VTD_GSTS_QIES | VTD_GSTS_RTPS),
                 VTD_GSTS_TES | VTD_GSTS_QIES | VTD_GSTS_RTPS);

    fx_reset(f);
    check_power_on(f);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_CAP, 8), expected_cap(48, false));
    CHECK_EQ_U64(fx_rd(f, VTD_REG_ECAP, 8), expected_ecap(20));
    fx_free(f);
}

static void cap_ecap_fields(void)
{
    struct fx *f = fx_new_haw(20, 48, false);
    uint64_t cap = fx_rd(f, VTD_REG_CAP, 8);
    CHECK_EQ_U64(cap, expected_cap(48, false));
    CHECK_EQ_U64(VTD_FIELD(cap, 21, 16), 47);
    CHECK(!(cap & VTD_CAP_FS5LP));
    CHECK_EQ_U64(fx_rd(f, VTD_REG_ECAP, 8), expected_ecap(20));
    CHECK_EQ_U64(VTD_FIELD(fx_rd(f, VTD_REG_ECAP, 8), 39, 35), 19);
    fx_free(f);

    f = fx_new_haw(5, 39, true);
    cap = fx_rd(f, VTD_REG_CAP, 8);
    CHECK_EQ_U64(cap, expected_cap(39, true));
    CHECK_EQ_U64(VTD_FIELD(cap, 21, 16), 38);
    CHECK(cap & VTD_CAP_FS5LP);
    CHECK_EQ_U64(VTD_FIELD(fx_rd(f, VTD_REG_ECAP, 8), 39, 35), 4);
    fx_free(f);

    f = fx_new_haw(1, 52, false);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_CAP, 8), expected_cap(52, false));
    CHECK_EQ_U64(fx_rd(f, VTD_REG_ECAP, 8), expected_ecap(1));
    /* The halves read what the 64-bit read shows. */
    uint64_t full = fx_rd(f, VTD_REG_CAP, 8);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_CAP, 4), full & 0xffffffffu);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_CAP + 4, 4), full >> 32);
    full = fx_rd(f, VTD_REG_ECAP, 8);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_ECAP, 4), full & 0xffffffffu);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_ECAP + 4, 4), full >> 32);
    fx_free(f);
}

static void create_rejects_bad_config(void)
{
    struct fx *f = fx_new(20, false);
    struct vtd_config c = f->cfg;
    static const struct { uint8_t pasid_bits, haw; bool ok; } cases[] = {
        {0, 48, false}, {21, 48, false}, {1, 48, true}, {20, 48, true},
        {8, 38, false}, {8, 53, false}, {8, 39, true}, {8, 52, true},
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        c.pasid_bits = cases[i].pasid_bits;
        c.haw = cases[i].haw;
        struct vtd *v = vtd_create(&c);
        if (cases[i].ok != (v != NULL))
            fprintf(stderr, "case pasid_bits=%u haw=%u\n", cases[i].pasid_bits, cases[i].haw);
        CHECK(cases[i].ok == (v != NULL));
        if (v)
            vtd_destroy(v);
    }
    fx_free(f);
}

static void readonly_registers(void)
{
    struct fx *f = fx_new(20, false);
    uint64_t cap = fx_rd(f, VTD_REG_CAP, 8), ecap = fx_rd(f, VTD_REG_ECAP, 8);
    fx_wr(f, VTD_REG_VER, ~0ull, 4);
    fx_wr(f, VTD_REG_CAP, ~0ull, 8);
    fx_wr(f, VTD_REG_CAP, 0, 4);
    fx_wr(f, VTD_REG_CAP + 4, 0, 4);
    fx_wr(f, VTD_REG_ECAP, 0, 8);
    fx_wr(f, VTD_REG_ECAP + 4, ~0ull, 4);
    fx_wr(f, VTD_REG_GSTS, ~0ull, 4);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_VER, 4), 0x10);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_CAP, 8), cap);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_ECAP, 8), ecap);
    CHECK_EQ_U64(fx_gsts(f), 0);

    /* IQH belongs to the hardware. */
    fx_qi_enable(f, true, 0);
    fx_wr(f, VTD_REG_IQH, 0x40, 8);
    fx_wr(f, VTD_REG_IQH, 0x60, 4);
    CHECK_EQ_U64(fx_iqh(f), 0);

    /* IOTLB registers (IRO 0x10) ignore writes; fault recording reads 0. */
    fx_wr(f, 0x100, ~0ull, 8);
    fx_wr(f, 0x108, ~0ull, 8);
    fx_wr(f, 0x200, ~0ull, 8);
    fx_wr(f, 0x208, ~0ull, 8);
    CHECK_EQ_U64(fx_rd(f, 0x100, 8), 0);
    CHECK_EQ_U64(fx_rd(f, 0x108, 8), 0);
    CHECK_EQ_U64(fx_rd(f, 0x200, 8), 0);
    CHECK_EQ_U64(fx_rd(f, 0x208, 8), 0);
    fx_free(f);
}

static void gcmd_gsts_bits(void)
{
    struct fx *f = fx_new(20, false);
    fx_wr(f, VTD_REG_RTADDR, FX_RTADDR_SM, 8);
    fx_wr(f, VTD_REG_GCMD, VTD_GCMD_SRTP, 4);
    CHECK_EQ_U64(fx_gsts(f), VTD_GSTS_RTPS);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_GCMD, 4), 0);

    fx_wr(f, VTD_REG_GCMD, VTD_GCMD_TE, 4);
    CHECK_EQ_U64(fx_gsts(f) & (VTD_GSTS_TES | VTD_GSTS_QIES), VTD_GSTS_TES);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_GCMD, 4), 0);

    fx_wr(f, VTD_REG_IQA, FX_IQ_BASE | VTD_IQA_DW, 8);
    fx_wr(f, VTD_REG_GCMD, VTD_GCMD_TE | VTD_GCMD_QIE, 4);
    CHECK_EQ_U64(fx_gsts(f) & (VTD_GSTS_TES | VTD_GSTS_QIES), VTD_GSTS_TES | VTD_GSTS_QIES);

    /* A write without the persistent TE bit turns translation off. */
    fx_wr(f, VTD_REG_GCMD, VTD_GCMD_QIE, 4);
    CHECK_EQ_U64(fx_gsts(f) & (VTD_GSTS_TES | VTD_GSTS_QIES), VTD_GSTS_QIES);
    /* And one without QIE turns the queue off (head == tail). */
    fx_wr(f, VTD_REG_GCMD, VTD_GCMD_TE, 4);
    CHECK_EQ_U64(fx_gsts(f) & (VTD_GSTS_TES | VTD_GSTS_QIES), VTD_GSTS_TES);
    fx_wr(f, VTD_REG_GCMD, 0, 4);
    CHECK_EQ_U64(fx_gsts(f) & (VTD_GSTS_TES | VTD_GSTS_QIES), 0);

    /* All three in one write. */
    fx_wr(f, VTD_REG_GCMD, VTD_GCMD_TE | VTD_GCMD_QIE | VTD_GCMD_SRTP, 4);
    CHECK_EQ_U64(fx_gsts(f) & (VTD_GSTS_TES | VTD_GSTS_QIES | VTD_GSTS_RTPS),
                 VTD_GSTS_TES | VTD_GSTS_QIES | VTD_GSTS_RTPS);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_GCMD, 4), 0);
    fx_free(f);
}

/* A device with a first-stage entry at PASID 1, bound in translated mode. */
static struct fx *bound_setup(void)
{
    struct fx *f = fx_new(20, false);
    uint64_t pe[8];
    CHECK_EQ_U64(fx_plug(f, SID_A, 20), 0);
    fx_map_dev(f, SID_A, 0);
    fx_pe_fs(pe, 1, FX_PGTBL(1), 0, 0);
    fx_set_pe(f, SID_A, 1, pe);
    fx_translated(f);
    CHECK(fx_s1_of(f, fx_attached(f, SID_A, 1), NULL));
    return f;
}

static void rtaddr_latched_only_on_srtp(void)
{
    struct fx *f = bound_setup();
    uint32_t hw = fx_attached(f, SID_A, 1);

    /* A root pointer at unbacked memory, not yet latched. */
    fx_wr(f, VTD_REG_RTADDR, 0x5000 | VTD_RTADDR_SMT, 8);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_RTADDR, 8), 0x5000 | VTD_RTADDR_SMT);
    fx_pc_global(f);
    CHECK_EQ_U64(fx_attached(f, SID_A, 1), hw);
    fx_wr(f, VTD_REG_GCMD, VTD_GCMD_TE | VTD_GCMD_QIE, 4); /* no SRTP */
    fx_pc_global(f);
    CHECK_EQ_U64(fx_attached(f, SID_A, 1), hw);

    fx_srtp(f, 0x5000 | VTD_RTADDR_SMT);
    CHECK_EQ_U64(fx_attached(f, SID_A, 1), 0);
    CHECK_EQ_U64(fx_cache_count(f), 0);

    /* Back to the good root: again only after SRTP. */
    fx_wr(f, VTD_REG_RTADDR, FX_RTADDR_SM, 8);
    fx_pc_global(f);
    CHECK_EQ_U64(fx_attached(f, SID_A, 1), 0);
    fx_srtp(f, FX_RTADDR_SM);
    CHECK(fx_s1_of(f, fx_attached(f, SID_A, 1), NULL));

    /* Bits 9:0 read as 0; TTM and the address read back. */
    fx_wr(f, VTD_REG_RTADDR, ~0ull, 8);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_RTADDR, 8), ~0x3ffull);
    fx_free(f);
}

static void rtaddr_non_scalable_is_untranslated(void)
{
    static const uint64_t ttm[] = {0, 2, 3};
    for (unsigned i = 0; i < 3; i++) {
        struct fx *f = bound_setup();
        uint32_t parent = fx_parent(f, SID_A);
        CHECK_EQ_U64(fx_attached(f, SID_A, 0), 0); /* no PASID 0 entry: blocked */
        fx_srtp(f, FX_ROOT | (ttm[i] << VTD_RTADDR_TTM_SHIFT));
        CHECK_EQ_U64(fx_attached(f, SID_A, 1), 0);
        CHECK_EQ_U64(fx_attached(f, SID_A, 0), parent);
        CHECK_EQ_U64(fx_cache_count(f), 0);
        fx_pc_global(f);
        CHECK_EQ_U64(fx_attached(f, SID_A, 1), 0);
        fx_free(f);
    }
}

static void fsts_iqe_write_one_to_clear(void)
{
    struct fx *f = fx_new(20, false);
    fx_qi_enable(f, true, 0);
    fx_submit(f, 0, 0);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_FSTS, 4), VTD_FSTS_IQE);
    fx_wr(f, VTD_REG_FSTS, 0, 4);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_FSTS, 4), VTD_FSTS_IQE);
    fx_wr(f, VTD_REG_FSTS, ~(uint32_t)VTD_FSTS_IQE, 4);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_FSTS, 4), VTD_FSTS_IQE);
    fx_wr(f, VTD_REG_FSTS, VTD_FSTS_IQE, 4);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_FSTS, 4), 0);
    fx_wr(f, VTD_REG_FSTS, ~0u, 4);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_FSTS, 4), 0);
    fx_free(f);
}

static void ics_iwc_write_one_to_clear(void)
{
    struct fx *f = fx_new(20, false);
    fx_qi_enable(f, true, 0);
    fx_submit(f, fx_wait_q0(VTD_WAIT_IF, 0), 0);
    CHECK(!fx_iqe(f));
    CHECK_EQ_U64(fx_rd(f, VTD_REG_ICS, 4), VTD_ICS_IWC);
    fx_wr(f, VTD_REG_ICS, 0, 4);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_ICS, 4), VTD_ICS_IWC);
    fx_wr(f, VTD_REG_ICS, VTD_ICS_IWC, 4);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_ICS, 4), 0);
    /* A wait without IF leaves it alone. */
    fx_submit(f, fx_wait_q0(VTD_WAIT_FN, 0), 0);
    CHECK(!fx_iqe(f));
    CHECK_EQ_U64(fx_rd(f, VTD_REG_ICS, 4), 0);
    fx_free(f);
}

static void iectl_ip(void)
{
    struct fx *f = fx_new(20, false);
    fx_qi_enable(f, true, 0);
    uint64_t wait_if = fx_wait_q0(VTD_WAIT_IF, 0);

    /* IM set: IWC 0->1 raises IP; clearing IWC drops it. */
    fx_wr(f, VTD_REG_IECTL, VTD_IECTL_IM, 4);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_IECTL, 4), VTD_IECTL_IM);
    fx_submit(f, wait_if, 0);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_IECTL, 4), VTD_IECTL_IM | VTD_IECTL_IP);
    fx_wr(f, VTD_REG_ICS, VTD_ICS_IWC, 4);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_IECTL, 4), VTD_IECTL_IM);

    /* Clearing IM drops IP; IWC stays. */
    fx_submit(f, wait_if, 0);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_IECTL, 4), VTD_IECTL_IM | VTD_IECTL_IP);
    fx_wr(f, VTD_REG_IECTL, 0, 4);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_IECTL, 4), 0);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_ICS, 4), VTD_ICS_IWC);

    /* IM clear: IWC 0->1 does not raise IP. */
    fx_wr(f, VTD_REG_ICS, VTD_ICS_IWC, 4);
    fx_submit(f, wait_if, 0);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_ICS, 4), VTD_ICS_IWC);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_IECTL, 4), 0);
    /* IM set while IWC is already 1: another IF is no 0->1 edge. */
    fx_wr(f, VTD_REG_IECTL, VTD_IECTL_IM, 4);
    fx_submit(f, wait_if, 0);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_IECTL, 4), VTD_IECTL_IM);
    fx_free(f);
}

/* An invalidation queue error is a fault event: held in FECTL.IP while
 * masked, delivered (IP clear) when not; serviced by clearing FSTS. */
static void fectl_ip(void)
{
    struct fx *f = fx_new(20, false);
    fx_qi_enable(f, true, 0);
    fx_submit(f, 0, 0); /* type 0: IQE */
    CHECK_EQ_U64(fx_rd(f, VTD_REG_FECTL, 4), VTD_FECTL_IM | VTD_FECTL_IP);
    fx_wr(f, VTD_REG_FECTL, VTD_FECTL_IM, 4);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_FECTL, 4), VTD_FECTL_IM | VTD_FECTL_IP);
    fx_wr(f, VTD_REG_FSTS, 0, 4);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_FECTL, 4), VTD_FECTL_IM | VTD_FECTL_IP);
    fx_wr(f, VTD_REG_FSTS, VTD_FSTS_IQE, 4);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_FECTL, 4), VTD_FECTL_IM);

    /* Unmasking delivers it. Ringing again stops on the same descriptor. */
    fx_wr(f, VTD_REG_IQT, fx_rd(f, VTD_REG_IQT, 8), 8);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_FECTL, 4), VTD_FECTL_IM | VTD_FECTL_IP);
    fx_wr(f, VTD_REG_FECTL, 0, 4);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_FECTL, 4), 0);

    /* Unmasked: no IP at all. */
    fx_wr(f, VTD_REG_FSTS, VTD_FSTS_IQE, 4);
    fx_wr(f, VTD_REG_IQT, fx_rd(f, VTD_REG_IQT, 8), 8);
    CHECK(fx_iqe(f));
    CHECK_EQ_U64(fx_rd(f, VTD_REG_FECTL, 4), 0);
    fx_free(f);
}

static void plain_rw_registers(void)
{
    struct fx *f = fx_new(20, false);
    fx_wr(f, VTD_REG_FEDATA, 0xffffffffu, 4);
    fx_wr(f, VTD_REG_FEADDR, 0xffffffffu, 4);
    fx_wr(f, VTD_REG_FEUADDR, 0xffffffffu, 4);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_FEDATA, 4), 0xffffffffu);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_FEADDR, 4), 0xfffffffcu);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_FEUADDR, 4), 0xffffffffu);
    fx_wr(f, VTD_REG_IEDATA, 0xffffffffu, 4);
    fx_wr(f, VTD_REG_IEADDR, 0xffffffffu, 4);
    fx_wr(f, VTD_REG_IEUADDR, 0xffffffffu, 4);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_IEDATA, 4), 0xffffffffu);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_IEADDR, 4), 0xfffffffcu);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_IEUADDR, 4), 0xffffffffu);
    fx_wr(f, VTD_REG_IEDATA, 0x12345678u, 4);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_IEDATA, 4), 0x12345678u);

    fx_wr(f, VTD_REG_FECTL, 0xffffffffu, 4);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_FECTL, 4), VTD_FECTL_IM);
    fx_wr(f, VTD_REG_FECTL, 0, 4);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_FECTL, 4), 0);
    fx_wr(f, VTD_REG_IECTL, 0xffffffffu, 4);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_IECTL, 4), VTD_IECTL_IM);
    fx_free(f);
}

static void access_sizes_and_halves(void)
{
    struct fx *f = fx_new(20, false);
    fx_wr(f, VTD_REG_RTADDR, 0x1122334455667400ull, 8);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_RTADDR, 4), 0x55667400u);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_RTADDR + 4, 4), 0x11223344u);
    fx_wr(f, VTD_REG_RTADDR + 4, 0xaabbccddu, 4);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_RTADDR, 8), 0xaabbccdd55667400ull);
    fx_wr(f, VTD_REG_RTADDR, 0x00001c00u, 4);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_RTADDR, 8), 0xaabbccdd00001c00ull);

    fx_wr(f, VTD_REG_IQA, ~0ull, 8);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_IQA, 8), VTD_IQA_BASE_MASK | VTD_IQA_DW | VTD_IQA_QS_MASK);
    fx_wr(f, VTD_REG_IQA + 4, 0x1u, 4);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_IQA, 8),
                 0x100000000ull | (VTD_IQA_BASE_MASK & 0xffffffffu) | VTD_IQA_DW | 7);
    fx_wr(f, VTD_REG_IQA, 0x3001u, 4);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_IQA, 8), 0x100003001ull);

    /* QI off: IQT just stores bits 18:4. */
    fx_wr(f, VTD_REG_IQT, ~0ull, 8);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_IQT, 8), VTD_IQ_OFFSET_MASK);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_IQT + 4, 4), 0);
    fx_wr(f, VTD_REG_IQT, 0x20, 4);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_IQT, 8), 0x20);

    /* Misaligned or odd-sized accesses: read 0, writes dropped. */
    fx_wr(f, VTD_REG_RTADDR, 0x7000, 8);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_RTADDR + 1, 4), 0);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_RTADDR + 2, 4), 0);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_RTADDR + 4, 8), 0);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_VER, 2), 0);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_VER, 1), 0);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_CAP, 3), 0);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_CAP, 16), 0);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_CAP + 4, 8), 0);
    fx_wr(f, VTD_REG_RTADDR + 1, ~0ull, 4);
    fx_wr(f, VTD_REG_RTADDR + 4, ~0ull, 8);
    fx_wr(f, VTD_REG_RTADDR, ~0ull, 2);
    fx_wr(f, VTD_REG_RTADDR, ~0ull, 1);
    fx_wr(f, VTD_REG_RTADDR, ~0ull, 0);
    fx_wr(f, VTD_REG_RTADDR, ~0ull, 16);
    CHECK_EQ_U64(fx_rd(f, VTD_REG_RTADDR, 8), 0x7000);
    fx_wr(f, VTD_REG_GCMD + 1, ~0ull, 4);
    fx_wr(f, VTD_REG_GCMD, ~0ull, 2);
    fx_wr(f, VTD_REG_GCMD + 4, ~0ull, 8);
    CHECK_EQ_U64(fx_gsts(f), 0);
    fx_free(f);
}

static void iqt_low_half_triggers(void)
{
    struct fx *f = fx_new(20, false);
    fx_qi_enable(f, true, 0);
    fx_status_set(f, 0, 0);
    fx_queue2(f, fx_wait_q0(VTD_WAIT_SW, 0x5a5a), fx_status_addr(0));
    fx_wr(f, VTD_REG_IQT + 4, 0, 4);
    CHECK_EQ_U64(fx_iqh(f), 0);
    CHECK_EQ_U64(fx_status(f, 0), 0);
    fx_wr(f, VTD_REG_IQT, 32, 4);
    CHECK_EQ_U64(fx_iqh(f), 32);
    CHECK_EQ_U64(fx_status(f, 0), 0x5a5a);
    CHECK(!fx_iqe(f));
    fx_free(f);
}

/* Translation on without QI, one device mapped, nothing in its table yet. */
static struct fx *ccmd_setup(void)
{
    struct fx *f = fx_new(20, false);
    CHECK_EQ_U64(fx_plug(f, SID_A, 20), 0);
    fx_map_dev(f, SID_A, 0);
    fx_srtp(f, FX_RTADDR_SM);
    fx_te(f, true);
    return f;
}

static void new_pe(struct fx *f, uint32_t pasid)
{
    uint64_t pe[8];
    fx_pe_fs(pe, (uint16_t)(100 + pasid), FX_PGTBL(pasid), 0, 0);
    fx_set_pe(f, SID_A, pasid, pe);
}

static uint64_t ccmd(unsigned cirg, uint16_t did)
{
    return VTD_CCMD_ICC | ((uint64_t)cirg << VTD_CCMD_CIRG_SHIFT) | did;
}

static void ccmd_register_invalidation(void)
{
    struct fx *f = ccmd_setup();
    new_pe(f, 3);

    fx_wr(f, VTD_REG_CCMD, ccmd(3, 0), 8); /* device-selective */
    CHECK_EQ_U64(fx_attached(f, SID_A, 3), 0);
    CHECK_EQ_U64(VTD_FIELD(fx_rd(f, VTD_REG_CCMD, 8), 63, 63), 0);
    CHECK_EQ_U64(VTD_FIELD(fx_rd(f, VTD_REG_CCMD, 8), 60, 59), 3);
    fx_wr(f, VTD_REG_CCMD, ccmd(0, 0), 8); /* invalid */
    CHECK_EQ_U64(fx_attached(f, SID_A, 3), 0);
    fx_wr(f, VTD_REG_CCMD, ccmd(1, 0) & ~VTD_CCMD_ICC, 8); /* no ICC */
    CHECK_EQ_U64(fx_attached(f, SID_A, 3), 0);

    fx_wr(f, VTD_REG_CCMD, ccmd(1, 0), 8); /* global */
    CHECK(fx_s1_of(f, fx_attached(f, SID_A, 3), NULL));
    CHECK_EQ_U64(VTD_FIELD(fx_rd(f, VTD_REG_CCMD, 8), 63, 63), 0);
    CHECK_EQ_U64(VTD_FIELD(fx_rd(f, VTD_REG_CCMD, 8), 60, 59), 1);

    new_pe(f, 4);
    fx_wr(f, VTD_REG_CCMD, ccmd(2, 77), 8); /* domain: a global PASID sync */
    CHECK(fx_s1_of(f, fx_attached(f, SID_A, 4), NULL));
    CHECK_EQ_U64(VTD_FIELD(fx_rd(f, VTD_REG_CCMD, 8), 60, 59), 2);

    /* Halves: the low half alone does nothing, the high half with ICC fires. */
    new_pe(f, 5);
    fx_wr(f, VTD_REG_CCMD, ccmd(1, 9) & 0xffffffffu, 4);
    CHECK_EQ_U64(fx_attached(f, SID_A, 5), 0);
    fx_wr(f, VTD_REG_CCMD + 4, ccmd(1, 9) >> 32, 4);
    CHECK(fx_s1_of(f, fx_attached(f, SID_A, 5), NULL));
    CHECK_EQ_U64(VTD_FIELD(fx_rd(f, VTD_REG_CCMD, 8), 63, 63), 0);

    fx_free(f);
}

/* With QI on, register-based invalidation is ignored. */
static void ccmd_ignored_with_qi_on(void)
{
    struct fx *f = ccmd_setup();
    fx_wr(f, VTD_REG_CCMD, ccmd(3, 9), 8);
    fx_qi_enable(f, true, 0);
    new_pe(f, 6);
    uint64_t before = fx_rd(f, VTD_REG_CCMD, 8);
    fx_wr(f, VTD_REG_CCMD, ccmd(1, 0), 8);
    CHECK_EQ_U64(fx_attached(f, SID_A, 6), 0);
    fx_wr(f, VTD_REG_CCMD + 4, ccmd(2, 0) >> 32, 4);
    CHECK_EQ_U64(fx_attached(f, SID_A, 6), 0);
    /* "The write is ignored": the register keeps what it had. */
    CHECK_EQ_U64(fx_rd(f, VTD_REG_CCMD, 8), before);
    fx_free(f);
}

CHECK_MAIN(TEST(reset_values), TEST(cap_ecap_fields), TEST(create_rejects_bad_config),
           TEST(readonly_registers), TEST(gcmd_gsts_bits), TEST(rtaddr_latched_only_on_srtp),
           TEST(rtaddr_non_scalable_is_untranslated), TEST(fsts_iqe_write_one_to_clear),
           TEST(ics_iwc_write_one_to_clear), TEST(iectl_ip), TEST(fectl_ip), TEST(plain_rw_registers),
           TEST(access_sizes_and_halves), TEST(iqt_low_half_triggers),
           TEST(ccmd_register_invalidation), TEST(ccmd_ignored_with_qi_on))

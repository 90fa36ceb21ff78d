/*
 * The known differences (qemu_diff_rules.h). Each rule names one register,
 * computes what QEMU shows instead of the model's value, and explains the
 * read only when QEMU shows exactly that; model/BEHAVIOUR.md, "Where QEMU
 * 7.2 differs", gives each its verdict.
 */
#include "qemu_diff_rules.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "vtd_spec.h"

/* The part of a 64-bit register at reg that a read at off of size bytes
 * returns, or false when the read is not within it. */
static bool qd_slice(uint64_t reg, uint64_t off, unsigned size, uint64_t v, uint64_t *out)
{
    if (off < reg || off + size > reg + 8 || (size != 4 && size != 8))
        return false;
    v >>= 8 * (off - reg);
    *out = size == 8 ? v : (v & 0xffffffffull);
    return true;
}

/*
 * CAP and ECAP: the model is configured from QEMU's MGAW, PSS and FS5LP and
 * insists on SMTS, QI and PASID (qemu_vtd.c); those must read the same. The
 * other fields are each implementation's own feature set (QEMU's second-stage
 * translation and caching mode, the model's first-stage only), which is
 * hardware choice, not behaviour.
 */
static const char *qd_caps(uint64_t off, unsigned size, uint64_t model, uint64_t qemu)
{
    uint64_t cap_keep = VTD_MASK(21, 16) | VTD_CAP_FS5LP;
    uint64_t ecap_keep = VTD_MASK(39, 35) | VTD_ECAP_SMTS | VTD_ECAP_QI | VTD_ECAP_PASID;
    uint64_t keep;
    if (qd_slice(VTD_REG_CAP, off, size, cap_keep, &keep) && ((model ^ qemu) & keep) == 0)
        return "cap-feature-set";
    if (qd_slice(VTD_REG_ECAP, off, size, ecap_keep, &keep) && ((model ^ qemu) & keep) == 0)
        return "cap-feature-set";
    return NULL;
}

/*
 * IQA: QEMU 7.2 answers a read with the base it latched when QI was last
 * enabled and the QS field of the register, so the base written since and
 * DW (bit 11) never read back. The model reads back what was written, as
 * the spec's read-write IQA does. A QEMU bug, matched only when QEMU's value
 * is exactly that.
 */
static const char *qd_iqa(const struct qd_ctx *c, uint64_t off, unsigned size, uint64_t model,
                          uint64_t qemu)
{
    uint64_t m64 = 0, expect;
    if (!qd_slice(VTD_REG_IQA, off, size, UINT64_MAX, &expect))
        return NULL;
    /* Rebuild the model's whole register from the slice read. */
    m64 = off == VTD_REG_IQA ? model : model << 32;
    uint64_t shown = (c->iqa_latched & VTD_IQA_BASE_MASK) | (m64 & VTD_IQA_QS_MASK);
    if (qd_slice(VTD_REG_IQA, off, size, shown, &expect) && expect == qemu)
        return "qemu-iqa-readback";
    return NULL;
}

const char *qd_explained(const struct qd_ctx *c, uint64_t off, unsigned size, uint64_t model,
                         uint64_t qemu)
{
    const char *why = qd_caps(off, size, model, qemu);
    return why ? why : qd_iqa(c, off, size, model, qemu);
}

const char *qd_reg_name(uint64_t off)
{
    static const struct {
        uint16_t off;
        const char *name;
    } names[] = {
        {VTD_REG_VER, "VER"},       {VTD_REG_CAP, "CAP"},       {VTD_REG_ECAP, "ECAP"},
        {VTD_REG_GCMD, "GCMD"},     {VTD_REG_GSTS, "GSTS"},     {VTD_REG_RTADDR, "RTADDR"},
        {VTD_REG_CCMD, "CCMD"},     {VTD_REG_FSTS, "FSTS"},     {VTD_REG_FECTL, "FECTL"},
        {VTD_REG_IQH, "IQH"},       {VTD_REG_IQT, "IQT"},       {VTD_REG_IQA, "IQA"},
        {VTD_REG_ICS, "ICS"},       {VTD_REG_IECTL, "IECTL"},   {VTD_REG_IEDATA, "IEDATA"},
        {VTD_REG_IEADDR, "IEADDR"}, {VTD_REG_IEUADDR, "IEUADDR"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].off == off)
            return names[i].name;
    return NULL;
}

const char *qd_guest_error_report(const char *line)
{
    /* QEMU prints each of these once per process (error_report_once), so
     * they cannot be a per-input verdict anyway. */
    static const char *const reports[] = {
        "vtd_process_inv_desc: invalid inv desc",
        "vtd_process_context_cache_desc: invalid cc inv desc",
        "vtd_process_iotlb_desc: invalid iotlb inv desc",
        "vtd_process_wait_desc: invalid wait desc",
        "vtd_process_inv_iec_desc: invalid iec inv desc",
        "vtd_process_device_iotlb_desc: invalid dev-iotlb inv desc",
        "vtd_process_piotlb_desc: invalid piotlb inv desc",
        "vtd_handle_iqt_write: RSV bit is set",
        /* An event (IWC, IQE) while its interrupt is masked: the spec sets
         * IP, which IECTL's compare sees. */
        "Interrupt Mask set, irq is not generated",
    };
    const char *p = strstr(line, ": ");
    if (!p || strncmp(line, "qemu-system-", 12) != 0)
        return NULL;
    for (size_t i = 0; i < sizeof reports / sizeof reports[0]; i++)
        if (strncmp(p + 2, reports[i], strlen(reports[i])) == 0)
            return reports[i];
    return NULL;
}

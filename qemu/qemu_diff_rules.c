/*
 * The known differences (qemu_diff_rules.h). Each rule names one register,
 * computes what QEMU shows instead of the model's value, and explains the
 * read only when QEMU shows exactly that; model/BEHAVIOUR.md, "Where QEMU
 * 7.2 differs", gives each its verdict.
 */
#include "qemu_diff_rules.h"

#include <stdbool.h>
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
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

/*
 * CCMD's FM (33:32) and SID (31:16) are write-only: the spec leaves the value
 * a read returns undefined. The model reads back what was written, QEMU 7.2
 * reads 0. Every other bit of a CCMD read is compared.
 */
static bool qd_ccmd_write_only(uint64_t off, unsigned size, uint64_t diff, uint64_t *rest)
{
    uint64_t wo;
    if (!qd_slice(VTD_REG_CCMD, off, size, VTD_CCMD_FM_MASK | VTD_CCMD_SID_MASK, &wo))
        return false;
    *rest = diff & ~wo;
    return *rest != diff;
}

/*
 * CCMD after a context-cache invalidation: hardware may invalidate more
 * than asked and reports what it did in CAIG (bits 60:59). QEMU 7.2 does a
 * global invalidation for a domain-selective request (CAIG 01); the model
 * does what was asked. Matched when the values differ in CAIG alone (FM and
 * SID aside, above) and QEMU's is global, the coarsest.
 */
static const char *qd_ccmd(uint64_t off, unsigned size, uint64_t model, uint64_t qemu)
{
    uint64_t caig = VTD_MASK(VTD_CCMD_CAIG_SHIFT + 1, VTD_CCMD_CAIG_SHIFT), global, mask;
    uint64_t diff = model ^ qemu;
    bool wo = qd_ccmd_write_only(off, size, diff, &diff);
    if (wo && diff == 0)
        return "ccmd-write-only-fields";
    if (!qd_slice(VTD_REG_CCMD, off, size, caig, &mask) ||
        !qd_slice(VTD_REG_CCMD, off, size, (uint64_t)1 << VTD_CCMD_CAIG_SHIFT, &global))
        return NULL;
    if (mask == 0 || (diff & ~mask) != 0 || (qemu & mask) != global)
        return NULL;
    return "caig-coarser";
}

const char *qd_explained(const struct qd_ctx *c, uint64_t off, unsigned size, uint64_t model,
                         uint64_t qemu)
{
    const char *why = qd_caps(off, size, model, qemu);
    if (!why)
        why = qd_ccmd(off, size, model, qemu);
    return why ? why : qd_iqa(c, off, size, model, qemu);
}

const char *qd_stop_name(enum qd_stop s)
{
    static const char *const names[QD_STOP_N] = {
        [QD_STOP_NONE] = "none",
        [QD_STOP_WAIT_IF_SW] = "wait-if-sw",
        [QD_STOP_UNREPORTED_TYPE] = "unreported-descriptor-type",
        [QD_STOP_AM_OVER_MAMV] = "am-over-mamv",
        [QD_STOP_QIE_WITH_TAIL] = "qie-with-tail",
        [QD_STOP_ODD_ACCESS] = "odd-access",
    };
    return s < QD_STOP_N ? names[s] : "?";
}

enum qd_stop qd_stop_descriptor(const struct qd_ctx *c, uint64_t q0, uint64_t q1)
{
    unsigned type = VTD_DESC_TYPE(q0);
    unsigned mamv = (unsigned)VTD_FIELD(c->cap, VTD_CAP_MAMV_SHIFT + 5, VTD_CAP_MAMV_SHIFT);
    if (type == VTD_DESC_WAIT && (q0 & VTD_WAIT_IF) && (q0 & VTD_WAIT_SW))
        return QD_STOP_WAIT_IF_SW;
    if ((type == VTD_DESC_PASID_DEVICE_TLB && !(c->ecap & VTD_ECAP_DT)) ||
        (type == VTD_DESC_PAGE_GROUP_RESP && !(c->ecap & VTD_ECAP_PRS)))
        return QD_STOP_UNREPORTED_TYPE;
    if (type == VTD_DESC_PASID_IOTLB && VTD_DESC_G(q0) == VTD_PIOTLB_G_PAGE && VTD_INV_AM(q1) > mamv)
        return QD_STOP_AM_OVER_MAMV;
    return QD_STOP_NONE;
}

/* Software must access the registers as aligned doublewords or aligned
 * quadwords; the spec does not say what anything else does. */
enum qd_stop qd_stop_access(uint64_t off, unsigned size)
{
    bool ok = (size == 4 && off % 4 == 0) || (size == 8 && off % 8 == 0);
    return ok ? QD_STOP_NONE : QD_STOP_ODD_ACCESS;
}

enum qd_stop qd_stop_gcmd(uint32_t cmd, uint32_t gsts, uint64_t iqt)
{
    bool enables_qi = (cmd & VTD_GCMD_QIE) && !(gsts & VTD_GSTS_QIES);
    return enables_qi && (iqt & VTD_IQ_OFFSET_MASK) ? QD_STOP_QIE_WITH_TAIL : QD_STOP_NONE;
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

/* A run of digits starting at p, as one number: hex after "0x" or after
 * "=" (QEMU prints name=%x values without the 0x), decimal otherwise. */
static size_t qd_number(const char *p, bool after_eq)
{
    size_t n = 0;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && isxdigit((unsigned char)p[2])) {
        for (n = 2; isxdigit((unsigned char)p[n]); n++)
            ;
        return n;
    }
    while (after_eq ? isxdigit((unsigned char)p[n]) : isdigit((unsigned char)p[n]))
        n++;
    return n;
}

static bool qd_word_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

size_t qd_message(const char *line, char *out, size_t n)
{
    size_t o = 0;
    if (n == 0)
        return 0;
    if (strncmp(line, "qemu-system-", 12) == 0 && strstr(line, ": "))
        line = strstr(line, ": ") + 2;
    for (const char *p = line; *p && *p != '\n' && o + 4 < n;) {
        bool start = p == line || !qd_word_char(p[-1]);
        size_t num = start ? qd_number(p, p > line && p[-1] == '=') : 0;
        if (num && !qd_word_char(p[num])) {
            bool hex = num > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X');
            o += (size_t)snprintf(out + o, n - o, "%s", hex ? "0xN" : "N");
            p += num;
        } else {
            out[o++] = *p++;
        }
    }
    while (o > 0 && isspace((unsigned char)out[o - 1]))
        o--;
    out[o] = '\0';
    return o;
}

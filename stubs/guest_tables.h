/*
 * A resolver for "what does guest memory say right now" about one
 * (device, PASID), written from the specification and independent of
 * model/. The stub backend checks every attach against it and the oracle
 * builds its expectations from it.
 *
 * Validity rules (the model must agree on every one of them):
 *  - Translated mode is TE=1 with a latched root pointer whose TTM is 01b
 *    (scalable). Otherwise: PASID 0 -> the parent hwpt, every other PASID ->
 *    none.
 *  - PASID >= 2^pasid_bits, >= 2^max_pasid_log2 of the device, or whose
 *    directory index (pasid >> 6) is >= 2^(PDTS + 7): none.
 *  - Root entry (rtaddr + bus * 16, low qword for devfn < 128, else high):
 *    unreadable, P clear or bits 11:1 set: none.
 *  - Context entry (ctp + (devfn & 0x7f) * 32): unreadable, P clear, or any of
 *    qword0 8:5, qword1 63:21, qwords 2-3 nonzero: none.
 *  - Directory entry (pdp + (pasid >> 6) * 8): unreadable, P clear or bits
 *    11:2 set: none.
 *  - PASID entry (ptp + (pasid & 63) * 64): unreadable, P clear, qword1
 *    22:16 set, qword2 11:8 set, or qwords 4-7 nonzero: none.
 *    PGTT 4 -> pass-through (the parent hwpt). PGTT 1 -> first stage when
 *    FSPM is 0, or 1 with fs_5level; config {FSPTPTR, 48 + 9 * FSPM,
 *    SRE | WPE | EAFE}. Any other PGTT or FSPM: none.
 */
#ifndef PASIDFUZZ_GUEST_TABLES_H
#define PASIDFUZZ_GUEST_TABLES_H

#include <stdbool.h>
#include <stdint.h>

#include "guest_mem.h"
#include "vtd.h"

/* What the guest has programmed into the IOMMU, as the checkers see it. */
struct gt_view {
    const struct guest_mem *mem;
    uint64_t rtaddr;        /* root pointer latched by the last SRTP, with TTM */
    bool te;                /* GSTS.TES */
    uint8_t pasid_bits;
    bool fs_5level;
};

enum gt_kind {
    GT_NONE,                /* no binding: DMA with this PASID is blocked */
    GT_PASS_THROUGH,        /* bound to the device's parent hwpt */
    GT_FIRST_STAGE,         /* bound to a first-stage hwpt with config s1 */
};

/* Why a resolve gave GT_NONE (for trace and error messages). */
enum gt_reason {
    GT_OK,
    GT_UNTRANSLATED,        /* TE=0 or legacy root, and PASID != 0 */
    GT_OUT_OF_RANGE,
    GT_ROOT_BAD,
    GT_CONTEXT_BAD,
    GT_DIR_BAD,
    GT_ENTRY_BAD,
};

struct gt_binding {
    enum gt_kind kind;
    enum gt_reason reason;
    uint16_t did;           /* DID of the entry; 0 unless it resolved from one */
    struct vtd_s1_config s1;/* valid when kind == GT_FIRST_STAGE */
    uint64_t entry[8];      /* the PASID entry, when one was read */
};

void gt_resolve(const struct gt_view *v, uint16_t sid, uint8_t max_pasid_log2,
                uint32_t pasid, struct gt_binding *out);

/* PASID limit of a device: min(2^pasid_bits, 2^max_pasid_log2); the
 * directory bound comes on top of it. */
uint32_t gt_pasid_limit(const struct gt_view *v, uint8_t max_pasid_log2);

/* The directory bound of a device now, in PASIDs (0 if no valid context). */
uint32_t gt_dir_pasid_limit(const struct gt_view *v, uint16_t sid);

bool gt_translated(const struct gt_view *v);

/* Root then context entry of sid, validated by the rules above; false with
 * *why set (GT_ROOT_BAD or GT_CONTEXT_BAD) when either is unusable. */
bool gt_context(const struct gt_view *v, uint16_t sid, uint64_t ctx[4], enum gt_reason *why);

/* The entry stage of gt_resolve alone: the binding a PASID entry already
 * read asks for (rules above), with out->entry set to pe. */
void gt_entry_binding(const struct gt_view *v, const uint64_t pe[8], struct gt_binding *out);

/*
 * Every (PASID, binding) of a device whose entry is present and valid, in
 * ascending PASID order; the same answers as gt_resolve, but directory and
 * tables are read a page at a time so a 2^20-PASID device costs little.
 * Translated mode only (untranslated has no entries to find).
 */
typedef void (*gt_visit_fn)(void *opaque, uint32_t pasid, const struct gt_binding *b);
void gt_for_each_valid(const struct gt_view *v, uint16_t sid, uint8_t max_pasid_log2,
                       gt_visit_fn visit, void *opaque);

/* Short names for messages: "entry-bad", "first-stage", ... */
/* Two first-stage configs ask for the same tables. */
bool gt_s1_same(const struct vtd_s1_config *a, const struct vtd_s1_config *b);

const char *gt_reason_name(enum gt_reason r);
const char *gt_kind_name(enum gt_kind k);

#endif

/*
 * fuzz_pasid_table's run (in the harness library, so that pasidfuzz run
 * replays it too; the registry, fuzz/input/targets.def, names it): raw bytes become the
 * root, context, PASID-directory and PASID-table memory of three fixed
 * devices, and a fixed sequence of PASID-selective, domain-selective and
 * global PASID-cache syncs (each ending in a wait, where the oracle checks),
 * SRTP and TE toggles runs over it: the table walk and the replay on
 * arbitrary memory.
 *
 * So that random bytes reach deep, memory is a small pool of fixed pages and
 * every pointer the input gives (root entries, context entries' directory
 * pointer, directory entries) names one of them: a pointer qword whose bits
 * 63:16 are zero is read as flags 11:0 and a page reference 15:12 (enum
 * pt_page: context pages A B, directory pages A B, table pages 0-3, spare
 * pages 0-3, the root page, a page that exists, one that does not, one past
 * the address width); any other pointer is taken raw. A byte flip in a
 * pointer thus mostly moves it to another pool page (aliasing, sharing
 * between devices, a directory running on into the next pages) rather than
 * off into unbacked memory.
 *
 * Input layout (little-endian; short input reads as zeros):
 *
 *   header  20 bytes
 *     pasid_bits:1   20 - raw % 20
 *     flags:1        bit 0: 5-level first stage supported
 *     rt2:1          the root of the final SRTP: bits 3:0 page reference,
 *                    5:4 translation-table mode
 *     log2:1 x 3     per device, max_pasid_log2 = 20 - raw % 21
 *     did:2 x 3      DIDs of the syncs
 *     pasid:4 x 2    PASIDs of the PASID-selective syncs (bits 19:0)
 *   windows 1488 bytes, copied into the pages in this order:
 *     root      2 qwords: root entry of bus 0 (low half), bus 1 (high half)
 *     context   pages A, B: for devices 0-2 the 32-byte entry at devfn & 0x7f
 *     directory pages A, B: entries 0-15
 *     tables    pages 0-3: PASID entries 0-3 (64 bytes each)
 *   edits   until the input ends (at most 256), 11 bytes each:
 *     where:1 index:2 value:8   one qword of a page: page (where & 15) % 13
 *              (12 = root), qword index % 512; bit 7 of where: applied
 *              between the two rounds of syncs instead of before the first.
 *              Pointer remapping applies to root qwords, qword 0 of context
 *              entries and directory entries.
 *
 * Devices: 00:01.0, 00:02.0 (sharing bus 0's context table) and 01:10.0
 * (upper half of bus 1's root entry). The run:
 *   memory (windows, phase-0 edits)
 *   round 1: PASID-sel(did0, pasid0); domain(did1); global - each + wait
 *   phase-1 edits
 *   round 2: PASID-sel(did0, pasid0) + PASID-sel(did2, pasid1) + wait;
 *            domain(did1) + domain(did2) + wait; global + wait
 *   SRTP; TE off; TE on; root := rt2, SRTP
 */
#include <stdlib.h>
#include <string.h>

#include "raw_guest.h"
#include "pasid_table_input.h"
#include "pf_le.h"
#include "target_runs.h"
#include "vtd_spec.h"

/* Between the driver's queue and its table allocator (checked at init). */
#define PT_POOL_GPA     0x20000ull
#define PT_UNBACKED_GPA 0x80000ull
#define PT_BEYOND_GPA   VTD_BIT(39)     /* the driver's guest address width */

static const uint16_t pt_sids[PT_NDEV] = {0x0008, 0x0010, 0x0180};


static uint64_t pt_page_gpa(unsigned ref)
{
    if (ref < PT_POOL_PAGES)
        return PT_POOL_GPA + (uint64_t)ref * VTD_PAGE_SIZE;
    switch (ref) {
    case PT_PAGE_ROOT:
        return pf_raw_root_gpa();
    case PT_PAGE_STATUS:
        return pf_raw_status_gpa();
    case PT_PAGE_UNBACKED:
        return PT_UNBACKED_GPA;
    default:
        return PT_BEYOND_GPA;
    }
}

static uint64_t pt_ptr(uint64_t v)
{
    uint64_t ref = v >> 12;
    return ref < PT_PAGE_REFS ? pt_page_gpa((unsigned)ref) | (v & 0xfff) : v;
}

static void pt_write_qwords(struct pf_world *w, uint64_t gpa, const uint64_t *q, unsigned n)
{
    uint8_t le[PT_PE_BYTES];
    if (n > PT_PE_BYTES / 8)
        n = PT_PE_BYTES / 8;
    for (unsigned i = 0; i < n; i++)
        pf_le64_store(le + 8 * i, q[i]);
    pf_raw_mem_write(w, gpa, le, 8u * n);
}

static uint64_t pt_root_qword_gpa(uint16_t sid)
{
    return pf_raw_root_gpa() + (uint64_t)(sid >> 8) * VTD_ROOT_ENTRY_BYTES +
           ((sid & 0xff) >= 128 ? 8 : 0);
}

/* ---- memory from the input ---- */

static void pt_fill_windows(struct pf_world *w, const struct pt_input *in)
{
    pf_raw_trace(w, "op: fill windows");
    static const uint8_t zero[VTD_PAGE_SIZE];
    for (unsigned p = 0; p < PT_POOL_PAGES; p++)
        pf_raw_mem_write(w, pt_page_gpa(p), zero, sizeof zero);

    uint64_t q[PT_PE_BYTES / 8];
    /* Devices 0 and 1 share bus 0's low root half, device 2 has bus 1's high. */
    pt_win_get(in, pt_win_root(0), q, 1);
    q[0] = pt_ptr(q[0]);
    pt_write_qwords(w, pt_root_qword_gpa(pt_sids[0]), q, 1);
    pt_win_get(in, pt_win_root(1), q, 1);
    q[0] = pt_ptr(q[0]);
    pt_write_qwords(w, pt_root_qword_gpa(pt_sids[2]), q, 1);

    for (unsigned p = 0; p < PT_CTX_PAGES; p++) {
        for (unsigned d = 0; d < PT_NDEV; d++) {
            pt_win_get(in, pt_win_ctx(p, d), q, 4);
            q[0] = pt_ptr(q[0]);
            pt_write_qwords(w, pt_page_gpa(PT_PAGE_CTX_A + p) +
                                (uint64_t)(pt_sids[d] & 0x7f) * VTD_CTX_ENTRY_BYTES, q, 4);
        }
    }
    for (unsigned p = 0; p < PT_DIR_PAGES; p++) {
        for (unsigned i = 0; i < PT_DIR_WIN; i++) {
            pt_win_get(in, pt_win_dir(p, i), q, 1);
            q[0] = pt_ptr(q[0]);
            pt_write_qwords(w, pt_page_gpa(PT_PAGE_DIR_A + p) + (uint64_t)i * VTD_PDIR_ENTRY_BYTES,
                            q, 1);
        }
    }
    for (unsigned t = 0; t < PT_TAB_PAGES; t++) {
        for (unsigned i = 0; i < PT_TAB_WIN; i++) {
            pt_win_get(in, pt_win_pe(t, i), q, VTD_PE_QWORDS);
            pt_write_qwords(w, pt_page_gpa(PT_PAGE_TAB_0 + t) + (uint64_t)i * VTD_PE_BYTES, q,
                            VTD_PE_QWORDS);
        }
    }
}

static bool pt_is_pointer(unsigned page, unsigned index)
{
    if (page == PT_PAGE_ROOT || page == PT_PAGE_DIR_A || page == PT_PAGE_DIR_B)
        return true;
    return (page == PT_PAGE_CTX_A || page == PT_PAGE_CTX_B) &&
           index % (VTD_CTX_ENTRY_BYTES / 8) == 0;
}

static void pt_apply_edits(struct pf_world *w, const struct pt_input *in, unsigned phase)
{
    for (unsigned i = 0; i < in->nedits; i++) {
        const struct pt_edit *e = &in->edits[i];
        if (((e->where & PT_EDIT_PHASE1) != 0) != (phase != 0))
            continue;
        unsigned page = (e->where & PT_EDIT_PAGE_MASK) % (PT_POOL_PAGES + 1);
        unsigned index = e->index % (VTD_PAGE_SIZE / 8);
        uint64_t v = pt_is_pointer(page, index) ? pt_ptr(e->value) : e->value;
        uint64_t gpa = pt_page_gpa(page) + (uint64_t)index * 8;
        pf_raw_trace(w, "op: edit phase %u page %u qword %u = 0x%016llx", phase, page, index,
                       (unsigned long long)v);
        pt_write_qwords(w, gpa, &v, 1);
    }
}

/* ---- the fixed sequence ---- */

static void pt_queue_pc(struct pf_world *w, unsigned g, uint16_t did, uint32_t pasid)
{
    pf_raw_trace(w, "op: pasid-cache g=%u did=%u pasid=%u", g, did, pasid & 0xfffff);
    uint64_t q[4] = {VTD_DESC_PASID_CACHE | (uint64_t)g << 4 | (uint64_t)did << 16 |
                         (uint64_t)(pasid & 0xfffff) << 32,
                     0, 0, 0};
    pf_raw_queue(w, q);
}

static void pt_sync(struct pf_world *w)
{
    pf_raw_trace(w, "op: sync");
    pf_raw_sync(w);
    pf_raw_check(w);
}

static void pt_event_gcmd(struct pf_world *w, uint32_t set, uint32_t clear)
{
    pf_raw_trace(w, "op: gcmd set 0x%08x clear 0x%08x", set, clear);
    pf_raw_gcmd(w, set, clear);
    pf_raw_check(w);
}

static void pt_run_sequence(struct pf_world *w, const struct pt_input *in)
{
    const struct pt_header *h = &in->h;
    pt_queue_pc(w, VTD_PC_G_PASID, h->did[0], h->pasid[0]);
    pt_sync(w);
    pt_queue_pc(w, VTD_PC_G_DOMAIN, h->did[1], 0);
    pt_sync(w);
    pt_queue_pc(w, VTD_PC_G_GLOBAL, 0, 0);
    pt_sync(w);

    pt_apply_edits(w, in, 1);
    pt_queue_pc(w, VTD_PC_G_PASID, h->did[0], h->pasid[0]);
    pt_queue_pc(w, VTD_PC_G_PASID, h->did[2], h->pasid[1]);
    pt_sync(w);
    pt_queue_pc(w, VTD_PC_G_DOMAIN, h->did[1], 0);
    pt_queue_pc(w, VTD_PC_G_DOMAIN, h->did[2], 0);
    pt_sync(w);
    pt_queue_pc(w, VTD_PC_G_GLOBAL, 0, 0);
    pt_sync(w);

    pt_event_gcmd(w, (uint32_t)VTD_GCMD_SRTP, 0);
    pt_event_gcmd(w, 0, (uint32_t)VTD_GCMD_TE);
    pt_event_gcmd(w, (uint32_t)VTD_GCMD_TE, 0);
    uint64_t rt = pt_page_gpa(h->rt2 & 0xf) | (uint64_t)((h->rt2 >> 4) & 3) << VTD_RTADDR_TTM_SHIFT;
    pf_raw_mmio(w, VTD_REG_RTADDR, rt, 8);
    pt_event_gcmd(w, (uint32_t)VTD_GCMD_SRTP, 0);
}

static void pt_make_header(const struct pt_header *in, struct pf_header *h)
{
    memset(h, 0, sizeof *h);
    h->f[PF_HF_VERSION] = PF_FORMAT_VERSION;
    h->f[PF_HF_PASID_BITS] = in->pasid_bits;
    h->f[PF_HF_NDEV] = PT_NDEV - 1;
    h->f[PF_HF_FLAGS] = (in->flags & PT_HF_FS_5LEVEL) ? PF_HDR_FS_5LEVEL : 0;
    for (unsigned i = 0; i < PT_NDEV; i++) {
        /* The driver's sid of device i is raw + 8 * (i + 1). */
        h->f[PF_HF_DEV0 + 2 * i] = (uint16_t)(pt_sids[i] - 8 * (i + 1));
        h->f[PF_HF_DEV0 + 2 * i + 1] = in->log2[i];
    }
}

int pf_pasid_table_init(void)
{
    /* The pool must sit between the boot queue (4 KiB here) and the
     * driver's allocator, or they would write over each other. */
    if (PT_POOL_GPA < pf_raw_queue_gpa() + VTD_PAGE_SIZE ||
        PT_POOL_GPA + PT_POOL_PAGES * VTD_PAGE_SIZE > pf_raw_alloc_gpa() ||
        PT_UNBACKED_GPA < PT_POOL_GPA + PT_POOL_PAGES * VTD_PAGE_SIZE)
        return -1;
    return 0;
}

uint64_t pf_pasid_table_run(struct pf_world *w, const uint8_t *data, size_t size)
{
    /* Static: too large for a fuzzer's stack frame, and runs never nest. */
    static struct pt_input input;
    struct pf_reader r;
    struct pf_header h;
    pf_reader_init(&r, data, size);
    pt_input_read(&r, &input);
    pt_make_header(&input.h, &h);
    pf_world_begin(w, &h);
    pt_fill_windows(w, &input);
    pt_apply_edits(w, &input, 0);
    pt_run_sequence(w, &input);
    return pf_world_end(w);
}

/* ---- the dictionary: pointers, PASID entries and edit records ---- */

static void pt_dict_pointers(struct pf_dict *d)
{
    pf_dict_comment(d, "present pointers to context A/B, directory A/B, tables 0-3, spares, root");
    for (unsigned p = PT_PAGE_CTX_A; p <= PT_PAGE_SPARE_0; p++)
        pf_dict_value(d, PT_REF(p, VTD_ROOT_P), 2);
    pf_dict_value(d, PT_REF(PT_PAGE_ROOT, VTD_ROOT_P), 2);
    pf_dict_comment(d, "page references: status page, unbacked, past the address width");
    pf_dict_value(d, PT_REF(PT_PAGE_STATUS, VTD_ROOT_P), 2);
    pf_dict_value(d, PT_REF(PT_PAGE_UNBACKED, VTD_ROOT_P), 2);
    pf_dict_value(d, PT_REF(PT_PAGE_BEYOND, VTD_ROOT_P), 2);
    pf_dict_comment(d, "context qword 0: directory A/B with PDTS 1, 4, 7");
    pf_dict_value(d, PT_REF(PT_PAGE_DIR_A, VTD_CTX_P | 1u << VTD_CTX_PDTS_SHIFT), 2);
    pf_dict_value(d, PT_REF(PT_PAGE_DIR_B, VTD_CTX_P | 4u << VTD_CTX_PDTS_SHIFT), 2);
    pf_dict_value(d, PT_REF(PT_PAGE_DIR_A, VTD_CTX_P | 7u << VTD_CTX_PDTS_SHIFT), 2);
}

void pf_dict_pasid_table(struct pf_dict *d)
{
    pf_dict_comment(d, "pointer qwords naming pool pages (page reference in bits 15:12, P in");
    pf_dict_comment(d, "bit 0), context PDTS values, PASID-entry qword 0 for each PGTT, and");
    pf_dict_comment(d, "edit records (layout in fuzz/guest/pasid_table_run.c), little-endian");
    pt_dict_pointers(d);
    pf_dict_comment(d, "PASID entry qword 0: first stage, second stage, nested, pass-through");
    for (unsigned pgtt = VTD_PGTT_FIRST_STAGE; pgtt <= VTD_PGTT_PASS_THROUGH; pgtt++)
        pf_dict_value(d, VTD_PE_P | (uint64_t)pgtt << VTD_PE_PGTT_SHIFT, 2);
    pf_dict_comment(d, "qword 2: 5-level first stage (a table address the pool does not hold)");
    pf_dict_value(d, 0x5000000ull | 1u << VTD_PE_FSPM_SHIFT, 4);
    pf_dict_comment(d, "edit record: phase 1, table 0 qword 8 (PASID 1 qword 0) cleared");
    pf_dict_record(d, NULL, "edit where=phase1|%u index=%u value=0", PT_PAGE_TAB_0,
                   PT_PE_BYTES / 8);
    pf_dict_comment(d, "edit record: phase 1, directory A entry 1 not present");
    pf_dict_record(d, NULL, "edit where=phase1|%u index=1 value=0x%llx", PT_PAGE_DIR_A,
                   (unsigned long long)PT_REF(PT_PAGE_TAB_1, 0));
}

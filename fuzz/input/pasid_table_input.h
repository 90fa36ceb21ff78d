/*
 * fuzz_pasid_table's input format (layout in pasid_table_run.c's top
 * comment): a fixed header, fixed windows of table memory, then edit
 * records until the input ends. Reads never fail (see input.h);
 * pt_input_write() is the reader's twin, used by the seed generator.
 */
#ifndef PASIDFUZZ_PASID_TABLE_INPUT_H
#define PASIDFUZZ_PASID_TABLE_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "input.h"
#include "ops.h"

#define PT_NDEV 3
#define PT_NDIDS 3
#define PT_NPASIDS 2

/* Pages a pointer can name: page reference pn (bits 15:12 of a pointer
 * whose bits 63:16 are zero) selects one of these. */
enum pt_page {
    PT_PAGE_CTX_A, PT_PAGE_CTX_B,
    PT_PAGE_DIR_A, PT_PAGE_DIR_B,
    PT_PAGE_TAB_0, PT_PAGE_TAB_1, PT_PAGE_TAB_2, PT_PAGE_TAB_3,
    PT_PAGE_SPARE_0, PT_PAGE_SPARE_1, PT_PAGE_SPARE_2, PT_PAGE_SPARE_3,
    PT_POOL_PAGES,                      /* the above are consecutive pages */
    PT_PAGE_ROOT = PT_POOL_PAGES,       /* the root table */
    PT_PAGE_STATUS,                     /* a page that exists (wait status words) */
    PT_PAGE_UNBACKED,                   /* never written: reads fail */
    PT_PAGE_BEYOND,                     /* past the guest address width */
    PT_PAGE_REFS
};

/* A pointer qword as the input holds it: page reference and low flag bits. */
#define PT_REF(page, low12) (((uint64_t)(page) << 12) | ((uint64_t)(low12) & 0xfff))

/* Header flags. */
#define PT_HF_FS_5LEVEL 0x01u

struct pt_header {
    uint8_t pasid_bits;                 /* raw: 20 - raw % 20 */
    uint8_t flags;
    uint8_t rt2;                        /* final root: bits 3:0 page ref, 5:4 TTM */
    uint8_t log2[PT_NDEV];              /* raw: 20 - raw % 21 */
    uint16_t did[PT_NDIDS];
    uint32_t pasid[PT_NPASIDS];         /* bits 19:0 used */
};

/* The windows: the parts of the pages that the fixed devices' walks read. */
#define PT_ROOT_QWORDS   2              /* bus 0 devfn < 128, bus 1 devfn >= 128 */
#define PT_CTX_PAGES     2
#define PT_DIR_PAGES     2
#define PT_DIR_WIN       16             /* directory entries per page */
#define PT_TAB_PAGES     4
#define PT_TAB_WIN       4              /* PASID entries per table page */
#define PT_CTX_BYTES     32u
#define PT_PE_BYTES      64u

#define PT_WIN_ROOT_OFF  0u
#define PT_WIN_CTX_OFF   (PT_WIN_ROOT_OFF + PT_ROOT_QWORDS * 8u)
#define PT_WIN_DIR_OFF   (PT_WIN_CTX_OFF + PT_CTX_PAGES * PT_NDEV * PT_CTX_BYTES)
#define PT_WIN_TAB_OFF   (PT_WIN_DIR_OFF + PT_DIR_PAGES * PT_DIR_WIN * 8u)
#define PT_WIN_BYTES     (PT_WIN_TAB_OFF + PT_TAB_PAGES * PT_TAB_WIN * PT_PE_BYTES)

/* Window offsets of one root qword, context entry, directory entry, PASID
 * entry (indices taken modulo their window). */
size_t pt_win_root(unsigned i);
size_t pt_win_ctx(unsigned page, unsigned dev);
size_t pt_win_dir(unsigned page, unsigned idx);
size_t pt_win_pe(unsigned table, unsigned idx);

/* An edit: one qword of a page, written before the first round of syncs
 * (phase 0) or between the rounds (phase 1). */
#define PT_EDIT_PHASE1   0x80u          /* in where */
#define PT_EDIT_PAGE_MASK 0x0fu         /* page: (where & mask) % 13, 12 = root */
#define PT_MAX_EDITS     256

struct pt_edit {
    uint8_t where;
    uint16_t index;                     /* qword index, % 512 */
    uint64_t value;
};

struct pt_input {
    struct pt_header h;
    uint8_t win[PT_WIN_BYTES];
    unsigned nedits;
    struct pt_edit edits[PT_MAX_EDITS];
};

/* Field tables, in input order, as the text form names them. */
#define PT_HEADER_FIELDS (3 + PT_NDEV + PT_NDIDS + PT_NPASIDS)
#define PT_HEADER_BYTES 20u
#define PT_EDIT_FIELDS 3
#define PT_EDIT_BYTES 11u
const struct pf_field_spec *pt_header_fields(void);
const struct pf_field_spec *pt_edit_fields(void);

void pt_input_read(struct pf_reader *r, struct pt_input *in);
void pt_input_write(struct pf_writer *w, const struct pt_input *in);

/* Little-endian qwords in the window, for the generator and the target. */
void pt_win_set(struct pt_input *in, size_t off, const uint64_t *q, unsigned n);
void pt_win_get(const struct pt_input *in, size_t off, uint64_t *q, unsigned n);
/* Appends an edit; ignored when full. */
void pt_input_add_edit(struct pt_input *in, unsigned phase, unsigned page, unsigned index,
                       uint64_t value);

#endif

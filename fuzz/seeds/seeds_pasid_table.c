/*
 * Seeds of fuzz_pasid_table (layout in fuzz/guest/pasid_table_run.c): valid
 * tables, then each way they go wrong (not present, bad PGTT, reserved bits,
 * huge PDTS, pointers out of memory, aliased pages, tables shared between
 * devices, DID and configuration changes between the two rounds of syncs).
 */
#include <string.h>

#include "pasid_table_input.h"
#include "seeds_raw.h"
#include "vtd_spec.h"

#define U(x) ((uint64_t)(x))
#define P 1u

/* Context-table entries (devfn & 0x7f) of the three devices, in qwords. */
static const unsigned ctx_entry[PT_NDEV] = {8, 16, 0};

static struct pt_input in;

static void set_q(size_t off, uint64_t v)
{
    pt_win_set(&in, off, &v, 1);
}

/* A PASID entry in table t, index i: qword 0 gets P and PGTT, qword 1 the
 * DID, qword 2 the first-stage pointer and its low flag bits. */
static void pe(unsigned t, unsigned i, unsigned pgtt, uint16_t did, uint64_t q2)
{
    uint64_t q[VTD_PE_QWORDS] = {P | U(pgtt) << VTD_PE_PGTT_SHIFT, did, q2, 0, 0, 0, 0, 0};
    pt_win_set(&in, pt_win_pe(t, i), q, VTD_PE_QWORDS);
}

/* Edit qword k of PASID entry i of table page t. */
static void edit_pe(unsigned phase, unsigned t, unsigned i, unsigned k, uint64_t v)
{
    pt_input_add_edit(&in, phase, PT_PAGE_TAB_0 + t, i * VTD_PE_QWORDS + k, v);
}

static void edit_ctx(unsigned phase, unsigned page, unsigned dev, unsigned k, uint64_t v)
{
    pt_input_add_edit(&in, phase, page, ctx_entry[dev] * 4 + k, v);
}

enum { FS = VTD_PGTT_FIRST_STAGE, SS = VTD_PGTT_SECOND_STAGE, NESTED = VTD_PGTT_NESTED,
       PT = VTD_PGTT_PASS_THROUGH };

/* Two context tables, two directories, four PASID tables, all valid:
 * dev 0 -> dir A (PASIDs 0-3 in T0, 64-65 in T1); devs 1 and 2 -> dir B
 * (PASIDs 0-3 in T2, 962 in T3). */
static void base(void)
{
    memset(&in, 0, sizeof in);
    in.h.rt2 = PT_PAGE_ROOT | 1u << 4;
    in.h.did[0] = 1;
    in.h.did[1] = 2;
    in.h.did[2] = 3;
    in.h.pasid[0] = 1;
    in.h.pasid[1] = 64;
    set_q(pt_win_root(0), PT_REF(PT_PAGE_CTX_A, P));
    set_q(pt_win_root(1), PT_REF(PT_PAGE_CTX_B, P));
    set_q(pt_win_ctx(0, 0), PT_REF(PT_PAGE_DIR_A, P));
    set_q(pt_win_ctx(0, 1), PT_REF(PT_PAGE_DIR_B, P | 1u << VTD_CTX_PDTS_SHIFT));
    set_q(pt_win_ctx(1, 2), PT_REF(PT_PAGE_DIR_B, P));
    set_q(pt_win_dir(0, 0), PT_REF(PT_PAGE_TAB_0, P));
    set_q(pt_win_dir(0, 1), PT_REF(PT_PAGE_TAB_1, P));
    set_q(pt_win_dir(1, 0), PT_REF(PT_PAGE_TAB_2, P));
    set_q(pt_win_dir(1, 15), PT_REF(PT_PAGE_TAB_3, P));
    pe(0, 0, PT, 1, 0);
    pe(0, 1, FS, 1, 0x1234000 | VTD_PE_SRE);
    pe(0, 2, FS, 2, 0x2000000 | VTD_PE_WPE);
    pe(0, 3, PT, 2, 0);
    pe(1, 0, FS, 3, 0x4000000 | VTD_PE_EAFE);
    pe(1, 1, PT, 1, 0);
    pe(2, 0, PT, 1, 0);
    pe(2, 1, FS, 1, 0x3000000);
    pe(2, 2, FS, 2, 0x5000000 | U(1) << VTD_PE_FSPM_SHIFT);    /* 5-level */
    pe(2, 3, PT, 3, 0);
    pe(3, 2, FS, 2, 0x6000000);
}

static void valid(void)
{
    base();
}

static void non_present(void)
{
    base();
    edit_pe(1, 0, 1, 0, 0);                                     /* PASID 1 of dev 0 */
    pt_input_add_edit(&in, 1, PT_PAGE_DIR_A, 1, PT_REF(PT_PAGE_TAB_1, 0));
    edit_ctx(1, PT_PAGE_CTX_A, 1, 0, PT_REF(PT_PAGE_DIR_B, 1u << VTD_CTX_PDTS_SHIFT));
    pt_input_add_edit(&in, 1, PT_PAGE_ROOT, 3, PT_REF(PT_PAGE_CTX_B, 0));
}

static void bad_pgtt(void)
{
    base();
    pe(0, 2, SS, 2, 0x2000000);
    pe(0, 3, NESTED, 2, 0x2000000);
    pe(1, 0, 0, 3, 0x4000000);
    pe(1, 1, 7, 1, 0);
    edit_pe(1, 0, 1, 0, P | U(SS) << VTD_PE_PGTT_SHIFT);
}

static void reserved_bits(void)
{
    base();
    set_q(pt_win_ctx(0, 1), PT_REF(PT_PAGE_DIR_B, P | VTD_BIT(5)));
    set_q(pt_win_ctx(1, 2) + 8, VTD_BIT(21));                  /* context qword 1 */
    set_q(pt_win_dir(0, 1), PT_REF(PT_PAGE_TAB_1, P | VTD_BIT(2)));
    set_q(pt_win_pe(0, 1) + 8, 1 | VTD_BIT(16));               /* DID 1, reserved 16 */
    set_q(pt_win_pe(0, 2) + 16, 0x2000000 | VTD_BIT(8));
    set_q(pt_win_pe(2, 1) + 32, 1);                             /* qword 4 */
    set_q(pt_win_pe(2, 3) + 24, ~U(0));                         /* qword 3 is ignored */
    pt_input_add_edit(&in, 1, PT_PAGE_ROOT, 0, PT_REF(PT_PAGE_CTX_A, P | VTD_BIT(3)));
}

static void huge_pdts(void)
{
    base();
    /* Directory A grows to 2^14 entries: it runs on through the pool's
     * later pages and off its end into unbacked memory. */
    set_q(pt_win_ctx(0, 0), PT_REF(PT_PAGE_DIR_A, P | 7u << VTD_CTX_PDTS_SHIFT));
    set_q(pt_win_ctx(1, 2), PT_REF(PT_PAGE_DIR_B, P | 4u << VTD_CTX_PDTS_SHIFT));
    /* Directory A entry 600 lies in page B, qword 88: PASIDs 38400-38463. */
    pt_input_add_edit(&in, 0, PT_PAGE_DIR_B, 88, PT_REF(PT_PAGE_TAB_3, P));
    in.h.pasid[0] = 38400 + 2;
}

static void pointers_out(void)
{
    base();
    set_q(pt_win_root(0), PT_REF(PT_PAGE_UNBACKED, P));
    set_q(pt_win_ctx(1, 2), PT_REF(PT_PAGE_BEYOND, P));
    set_q(pt_win_dir(0, 1), U(0x7fff000) | P);                  /* raw, unbacked */
    set_q(pt_win_dir(1, 0), PT_REF(PT_PAGE_STATUS, P));
    set_q(pt_win_pe(0, 1) + 16, U(0xfffffffff000));             /* raw first-stage root */
    pt_input_add_edit(&in, 1, PT_PAGE_ROOT, 0, PT_REF(PT_PAGE_CTX_A, P));
    pt_input_add_edit(&in, 1, PT_PAGE_CTX_B, 0, PT_REF(PT_PAGE_UNBACKED, P));
}

static void shared_tables(void)
{
    base();
    set_q(pt_win_ctx(0, 1), PT_REF(PT_PAGE_DIR_A, P));
    set_q(pt_win_ctx(1, 2), PT_REF(PT_PAGE_DIR_A, P));
    edit_pe(1, 0, 1, 0, 0);                                     /* PASID 1 of all three */
    pt_input_add_edit(&in, 1, PT_PAGE_DIR_B, 1, PT_REF(PT_PAGE_TAB_1, P));
}

static void did_change(void)
{
    base();
    edit_pe(1, 0, 1, 1, 2);                                     /* PASID 1: DID 1 -> 2 */
    edit_pe(1, 0, 2, 1, 1);                                     /* PASID 2: DID 2 -> 1 */
    edit_pe(1, 2, 1, 1, 3);
}

static void replace_config(void)
{
    base();
    edit_pe(1, 0, 1, 2, 0x7777000 | VTD_PE_WPE | VTD_PE_EAFE);
    edit_pe(1, 2, 0, 0, P | U(FS) << VTD_PE_PGTT_SHIFT);        /* PASID 0: PT -> FS */
    edit_pe(1, 2, 0, 2, 0x8000000);
    edit_pe(1, 1, 0, 0, P | U(PT) << VTD_PE_PGTT_SHIFT);
}

static void new_entries(void)
{
    base();
    in.h.pasid[1] = 130;
    edit_pe(1, 1, 2, 0, P | U(FS) << VTD_PE_PGTT_SHIFT);        /* PASID 66 */
    edit_pe(1, 1, 2, 1, 3);
    edit_pe(1, 1, 2, 2, 0x9000000);
    pt_input_add_edit(&in, 1, PT_PAGE_DIR_B, 2, PT_REF(PT_PAGE_TAB_1, P));
    pt_input_add_edit(&in, 1, PT_PAGE_TAB_3, 63 * 8, P | U(PT) << VTD_PE_PGTT_SHIFT);
    pt_input_add_edit(&in, 1, PT_PAGE_TAB_3, 63 * 8 + 1, 3);    /* PASID 1023 */
}

static void legacy_root(void)
{
    base();
    in.h.rt2 = PT_PAGE_ROOT;                                    /* TTM 00b */
}

static void aliased_root(void)
{
    base();
    in.h.rt2 = PT_PAGE_DIR_A | 1u << 4;
    set_q(pt_win_ctx(0, 0), PT_REF(PT_PAGE_TAB_0, P));          /* a table as directory */
}

static void fs_5level(void)
{
    base();
    in.h.flags = PT_HF_FS_5LEVEL;
    set_q(pt_win_pe(0, 1) + 16, 0x1234000 | U(1) << VTD_PE_FSPM_SHIFT);
    edit_pe(1, 2, 2, 2, 0x5000000 | U(2) << VTD_PE_FSPM_SHIFT);    /* reserved mode */
}

static void pasid_limits(void)
{
    base();
    in.h.pasid_bits = 14;                                       /* 6 bits: 64 PASIDs */
    in.h.log2[0] = 17;                                          /* 3 bits */
    in.h.log2[1] = 20;                                          /* PASID 0 only */
    in.h.pasid[0] = 65;
    in.h.pasid[1] = 7;
}

typedef void (*build_fn)(void);

static void emit(struct pf_writer *w, build_fn fn)
{
    fn();
    pt_input_write(w, &in);
}

#define SCENARIO(name) \
    static void gen_##name(struct pf_writer *w) { emit(w, name); }
SCENARIO(valid)
SCENARIO(non_present)
SCENARIO(bad_pgtt)
SCENARIO(reserved_bits)
SCENARIO(huge_pdts)
SCENARIO(pointers_out)
SCENARIO(shared_tables)
SCENARIO(did_change)
SCENARIO(replace_config)
SCENARIO(new_entries)
SCENARIO(legacy_root)
SCENARIO(aliased_root)
SCENARIO(fs_5level)
SCENARIO(pasid_limits)
#undef SCENARIO

static const struct raw_scenario scenarios[] = {
    {"valid", gen_valid},
    {"non_present", gen_non_present},
    {"bad_pgtt", gen_bad_pgtt},
    {"reserved_bits", gen_reserved_bits},
    {"huge_pdts", gen_huge_pdts},
    {"pointers_out", gen_pointers_out},
    {"shared_tables", gen_shared_tables},
    {"did_change", gen_did_change},
    {"replace_config", gen_replace_config},
    {"new_entries", gen_new_entries},
    {"legacy_root", gen_legacy_root},
    {"aliased_root", gen_aliased_root},
    {"fs_5level", gen_fs_5level},
    {"pasid_limits", gen_pasid_limits},
};

static const struct raw_scenario *seeds_pasid_table(size_t *n)
{
    *n = sizeof scenarios / sizeof scenarios[0];
    return scenarios;
}

static void reencode_pasid_table(const uint8_t *data, size_t size, struct pf_writer *w)
{
    static struct pt_input back;
    struct pf_reader r;
    pf_reader_init(&r, data, size);
    pt_input_read(&r, &back);
    pt_input_write(w, &back);
}

const struct raw_seeds raw_seeds_pasid_table = {seeds_pasid_table, reencode_pasid_table};

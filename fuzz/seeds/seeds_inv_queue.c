/*
 * Seeds of fuzz_inv_queue (layout in fuzz/guest/inv_queue_run.c): every
 * descriptor type and granularity, reserved bits, both queue widths,
 * wrap-around, odd tail values, queue reprogramming, IQE recovery and table
 * edits followed by the invalidations that make them visible.
 */
#include <string.h>

#include "inv_queue_input.h"
#include "seeds_raw.h"
#include "vtd_spec.h"

#define U(x) ((uint64_t)(x))

static void hdr(struct pf_writer *w, unsigned cfg)
{
    struct iq_header h = {(uint8_t)cfg, 0};
    iq_header_write(w, &h);
}

static void cmd(struct pf_writer *w, enum iq_cmd_kind k, uint64_t f0, uint64_t f1, uint64_t f2,
                uint64_t f3)
{
    struct iq_cmd c = {(uint8_t)k, {f0, f1, f2, f3}};
    iq_cmd_write(w, &c);
}

/* A shaped descriptor: type 1..9, granularity, extra flags, pool selectors. */
static void desc(struct pf_writer *w, unsigned type, unsigned g, unsigned flags, unsigned did_idx,
                 unsigned pasid_idx, unsigned dev, uint64_t arg)
{
    cmd(w, IQ_CMD_DESC, U(type - 1), U(g | flags), U(did_idx | pasid_idx << 2 | dev << 5), arg);
}

static unsigned opt(unsigned bits)
{
    return bits << IQ_DESC_OPT_SHIFT;
}

static void sync(struct pf_writer *w)
{
    cmd(w, IQ_CMD_SYNC, 0, 0, 0, 0);
}

static void ring(struct pf_writer *w)
{
    cmd(w, IQ_CMD_TAIL, 0, 0, 0, 0);
}

/* Repair the descriptor at the head with a wait, clear IQE, resume. */
static void repair(struct pf_writer *w)
{
    cmd(w, IQ_CMD_IQE, 1, 0, 0, 0);
}

/* A 4 KiB page-selective address with AM 2. */
#define ADDR_AM2 U(0x12345000 | 2)

static void all_types(struct pf_writer *w)
{
    hdr(w, 0);
    desc(w, VTD_DESC_CONTEXT_CACHE, VTD_CC_G_GLOBAL, 0, 0, 0, 0, 0);
    desc(w, VTD_DESC_IOTLB, VTD_IOTLB_G_GLOBAL, 0, 0, 0, 0, 0);
    desc(w, VTD_DESC_DEVICE_TLB, 0, 0, 0, 0, 0, U(0x0008) << 32);
    desc(w, VTD_DESC_IEC, 0, 0, 0, 0, 0, 0);
    desc(w, VTD_DESC_WAIT, 0, opt(IQ_WAIT_SW), 0, 0, 0, U(0x10) << 32 | 0xabcd);
    desc(w, VTD_DESC_PASID_IOTLB, VTD_PIOTLB_G_PASID, 0, 0, 1, 0, 0);
    desc(w, VTD_DESC_PASID_CACHE, VTD_PC_G_PASID, 0, 0, 1, 0, 0);
    desc(w, VTD_DESC_PASID_DEVICE_TLB, 0, 0, 0, 0, 0, 0);
    desc(w, VTD_DESC_PAGE_GROUP_RESP, 0, 0, 0, 0, 0, 0);
    sync(w);
}

static void pasid_cache_granularity(struct pf_writer *w)
{
    hdr(w, IQ_CFG_NO_PRESYNC);
    desc(w, VTD_DESC_PASID_CACHE, VTD_PC_G_PASID, 0, 0, 1, 0, 0);
    sync(w);
    desc(w, VTD_DESC_PASID_CACHE, VTD_PC_G_DOMAIN, 0, 1, 0, 0, 0);
    sync(w);
    desc(w, VTD_DESC_PASID_CACHE, 2, 0, 0, 0, 0, 0);    /* invalid granularity */
    sync(w);
    repair(w);
    desc(w, VTD_DESC_PASID_CACHE, VTD_PC_G_GLOBAL, 0, 0, 0, 0, 0);
    sync(w);
}

static void piotlb_granularity(struct pf_writer *w)
{
    hdr(w, 0);
    desc(w, VTD_DESC_PASID_IOTLB, VTD_PIOTLB_G_PASID, 0, 0, 1, 0, 0);
    desc(w, VTD_DESC_PASID_IOTLB, VTD_PIOTLB_G_PAGE, opt(1), 0, 1, 0, ADDR_AM2);
    desc(w, VTD_DESC_PASID_IOTLB, VTD_PIOTLB_G_PAGE, 0, 2, 5, 0, U(0x1000 | 25));  /* AM > 18 */
    sync(w);
    repair(w);
    desc(w, VTD_DESC_PASID_IOTLB, 0, 0, 0, 1, 0, 0);    /* invalid granularity */
    sync(w);
    repair(w);
    sync(w);
}

static void context_and_iotlb(struct pf_writer *w)
{
    hdr(w, IQ_CFG_NO_PRESYNC);
    desc(w, VTD_DESC_CONTEXT_CACHE, VTD_CC_G_DEVICE, opt(1), 0, 0, 1, 0);
    desc(w, VTD_DESC_CONTEXT_CACHE, VTD_CC_G_DOMAIN, 0, 2, 0, 0, 0);
    sync(w);
    desc(w, VTD_DESC_IOTLB, VTD_IOTLB_G_DOMAIN, opt(6), 1, 0, 0, 0);
    desc(w, VTD_DESC_IOTLB, VTD_IOTLB_G_PAGE, opt(1), 1, 0, 0, ADDR_AM2);
    sync(w);
    desc(w, VTD_DESC_CONTEXT_CACHE, 0, 0, 0, 0, 0, 0);  /* invalid granularity */
    sync(w);
    repair(w);
    desc(w, VTD_DESC_IOTLB, 0, 0, 0, 0, 0, 0);          /* invalid granularity */
    sync(w);
    repair(w);
}

static void reserved_bits(struct pf_writer *w)
{
    hdr(w, 0);
    for (unsigned type = 1; type <= 9; type++) {
        unsigned g = type == VTD_DESC_PASID_IOTLB ? VTD_PIOTLB_G_PASID
                     : type == VTD_DESC_PASID_CACHE ? VTD_PC_G_GLOBAL
                                                    : 1;
        unsigned w_opt = type == VTD_DESC_WAIT ? opt(IQ_WAIT_IF) : 0;
        desc(w, type, g, IQ_DESC_RSVD_Q0 | w_opt, 0, 0, 0, U(type) << 58);
        ring(w);
        repair(w);
        desc(w, type, g, IQ_DESC_RSVD_Q1 | w_opt, 0, 0, 0, U(type + 1) << 58);
        ring(w);
        repair(w);
    }
    desc(w, VTD_DESC_PASID_CACHE, VTD_PC_G_GLOBAL, IQ_DESC_UPPER, 0, 0, 0, 0x40);
    sync(w);
    repair(w);
}

static void queue_128(struct pf_writer *w)
{
    hdr(w, IQ_CFG_QUEUE_128);
    for (unsigned type = 1; type <= 9; type++) {
        unsigned w_opt = type == VTD_DESC_WAIT ? opt(IQ_WAIT_IF | IQ_WAIT_FN) : 0;
        desc(w, type, type == VTD_DESC_PASID_CACHE ? 3 : type >= 6 ? 2 : 1, w_opt, 0, 1, 0, 0);
        sync(w);
        repair(w);      /* types 6-9 are 256-bit only */
    }
}

/* A queue of configuration cfg: `waits` waits fill it until the next
 * PASID-selective invalidations, each with its wait, cross its end. */
static void fill_then_wrap(struct pf_writer *w, unsigned cfg, unsigned waits)
{
    hdr(w, cfg);
    for (unsigned i = 0; i < waits; i++)
        sync(w);
    for (unsigned i = 0; i < 6; i++) {
        desc(w, VTD_DESC_PASID_CACHE, VTD_PC_G_PASID, 0, i & 3, i, 0, 0);
        sync(w);
    }
}

static void wrap_around(struct pf_writer *w)
{
    fill_then_wrap(w, 0, 123);                  /* 128 entries, 2 used by the setup */
}

static void wrap_128(struct pf_writer *w)
{
    hdr(w, IQ_CFG_QUEUE_128);                   /* 256 entries */
    for (unsigned i = 0; i < 251; i++)
        sync(w);
    for (unsigned i = 0; i < 6; i++) {
        desc(w, VTD_DESC_CONTEXT_CACHE, VTD_CC_G_GLOBAL, 0, 0, 0, 0, 0);
        sync(w);
    }
}

static void tail_values(struct pf_writer *w)
{
    hdr(w, 0);
    desc(w, VTD_DESC_PASID_CACHE, VTD_PC_G_GLOBAL, 0, 0, 0, 0, 0);
    cmd(w, IQ_CMD_TAIL, 1, 0x10, 0, 0);         /* bit 4 in a 256-bit queue */
    cmd(w, IQ_CMD_IQE, 0, 0, 0, 0);
    cmd(w, IQ_CMD_TAIL, 1, 0x2000, 0, 0);       /* past the queue */
    cmd(w, IQ_CMD_IQE, 0, 0, 0, 0);
    cmd(w, IQ_CMD_TAIL, 3, 0x1, 0, 0);          /* upper half only */
    cmd(w, IQ_CMD_TAIL, 2, 0, 0, 0);            /* 4-byte ring */
    sync(w);
}

static void reprogram(struct pf_writer *w)
{
    hdr(w, 0);
    cmd(w, IQ_CMD_QUEUE, 2, 1 | 3 << 1, 0, 0);          /* 128-bit, 32 KiB */
    desc(w, VTD_DESC_CONTEXT_CACHE, VTD_CC_G_GLOBAL, 0, 0, 0, 0, 0);
    sync(w);
    cmd(w, IQ_CMD_QUEUE, 2, 1 << 4, 0, 0);              /* 256-bit at queue + 32 KiB */
    desc(w, VTD_DESC_PASID_CACHE, VTD_PC_G_GLOBAL, 0, 0, 0, 0, 0);
    sync(w);
    cmd(w, IQ_CMD_QUEUE, 2, 2 << 4, 0, 0);              /* on the status page */
    sync(w);
    cmd(w, IQ_CMD_QUEUE, 2, 3 << 4 | 0x40, 0, 0);       /* past memory, reserved bits */
    sync(w);
    cmd(w, IQ_CMD_IQE, 2, 0, 0, 0);
    cmd(w, IQ_CMD_QUEUE, 0, 0, 0, 0);
    cmd(w, IQ_CMD_QUEUE, 3, 0, 0, 0);
    cmd(w, IQ_CMD_QUEUE, 1, 0, 0, 0);
    sync(w);
}

static void table_edits(struct pf_writer *w)
{
    hdr(w, 0);
    cmd(w, IQ_CMD_TABLE, 0, 0, 0, 0);                   /* clear dev 0 PASID 1 */
    desc(w, VTD_DESC_PASID_CACHE, VTD_PC_G_PASID, 0, 0, 1, 0, 0);
    sync(w);
    cmd(w, IQ_CMD_TABLE, 3, 2, 2, 0);                   /* dev 1 PASID 1: DID 2 -> 3 */
    desc(w, VTD_DESC_PASID_CACHE, VTD_PC_G_DOMAIN, 0, 1, 0, 0, 0);
    sync(w);
    cmd(w, IQ_CMD_TABLE, 1, 3, 0, 0);                   /* PASID 2: pass-through -> first */
    cmd(w, IQ_CMD_TABLE, 6, 5, 3, 0);                   /* PASID 5: new page table */
    desc(w, VTD_DESC_PASID_CACHE, VTD_PC_G_GLOBAL, 0, 0, 0, 0, 0);
    desc(w, VTD_DESC_PASID_IOTLB, VTD_PIOTLB_G_PAGE, 0, 2, 5, 2, ADDR_AM2);
    sync(w);
    cmd(w, IQ_CMD_TABLE, 5, 4, 0, 0);                   /* PASID 0 not present */
    cmd(w, IQ_CMD_TABLE, 0, 1, 0, 0);                   /* restore dev 0 PASID 1 */
    desc(w, VTD_DESC_CONTEXT_CACHE, VTD_CC_G_DOMAIN, 0, 0, 0, 0, 0);
    sync(w);
}

static void iqe_variants(struct pf_writer *w)
{
    hdr(w, 0);
    cmd(w, IQ_CMD_RAW, 0, 0, 0, 0);                     /* type 0: unknown */
    desc(w, VTD_DESC_PASID_CACHE, VTD_PC_G_GLOBAL, 0, 0, 0, 0, 0);
    sync(w);
    cmd(w, IQ_CMD_IQE, 0, 0, 0, 0);                     /* clear, no fix */
    ring(w);
    cmd(w, IQ_CMD_IQE, 3, 0, 0, 0);                     /* clear all, no fix */
    cmd(w, IQ_CMD_IQE, 2, 0, 0, 0);                     /* abandon the batch */
    desc(w, VTD_DESC_WAIT, 0, 0, 0, 0, 0, 0);           /* a wait with no action */
    sync(w);
    repair(w);
    desc(w, VTD_DESC_WAIT, 0, opt(IQ_WAIT_SW), 0, 0, 0, U(1) << 63 | U(0xffff) << 32);
    sync(w);
    repair(w);
}

static void no_presync_5level(struct pf_writer *w)
{
    hdr(w, IQ_CFG_NO_PRESYNC | IQ_CFG_FS_5LEVEL);
    desc(w, VTD_DESC_PASID_CACHE, VTD_PC_G_PASID, 0, 0, 3, 1, 0);
    sync(w);
    desc(w, VTD_DESC_PASID_CACHE, VTD_PC_G_DOMAIN, 0, 2, 0, 0, 0);
    sync(w);
    desc(w, VTD_DESC_PASID_CACHE, VTD_PC_G_GLOBAL, 0, 0, 0, 0, 0);
    sync(w);
}

static void registers(struct pf_writer *w)
{
    hdr(w, 0);
    desc(w, VTD_DESC_WAIT, 0, opt(IQ_WAIT_IF), 0, 0, 0, 0);
    ring(w);
    cmd(w, IQ_CMD_MMIO, 10, 0, VTD_ICS_IWC, 0);         /* ICS W1C */
    cmd(w, IQ_CMD_MMIO, 11, 0, VTD_IECTL_IM, 0);        /* IECTL */
    cmd(w, IQ_CMD_MMIO, 3, 0, VTD_FECTL_IM, 0);         /* FECTL */
    cmd(w, IQ_CMD_MMIO, 4, 1, 0x40, 0);                 /* IQH is read-only */
    cmd(w, IQ_CMD_MMIO, 0, 0, VTD_GCMD_QIE, 0);         /* GCMD: TE off, QIE kept */
    cmd(w, IQ_CMD_MMIO, 0, 0, VTD_GCMD_QIE | VTD_GCMD_TE, 0);
    cmd(w, IQ_CMD_MMIO, 8, 1, 0x10000 | VTD_IQA_DW | 1, 0);  /* IQA while QI on */
    sync(w);
}

static void raw_descriptors(struct pf_writer *w)
{
    hdr(w, 0);
    cmd(w, IQ_CMD_RAW, VTD_DESC_PASID_CACHE | U(VTD_PC_G_GLOBAL) << 4, 0, 0, 0);
    cmd(w, IQ_CMD_RAW, VTD_DESC_WAIT | VTD_WAIT_SW | U(7) << 32, 0x2008, 0, 0);
    ring(w);
    cmd(w, IQ_CMD_RAW, 0xf | U(7) << 9, 0, 0, 0);       /* type 127 */
    ring(w);
    repair(w);
}

/* A queue of two pages (QS 1, 8 KiB of 256-bit descriptors): waits carry
 * the tail into the second page, where a 4 KiB queue would end, and on to
 * the wrap at 8 KiB (the size is latched from IQA.QS, BEHAVIOUR.md). */
static void queue_two_pages(struct pf_writer *w)
{
    fill_then_wrap(w, 1u << IQ_CFG_QS_SHIFT, 251);  /* 256 entries, 2 used by the setup */
}

/* A tail equal to the queue size is past its last descriptor: IQE, and the
 * valid descriptor waiting at the head is not run. Then the same in an
 * 8 KiB queue, after which the guest gives the batch up. */
static void tail_at_queue_size(struct pf_writer *w)
{
    hdr(w, 0);
    desc(w, VTD_DESC_PASID_CACHE, VTD_PC_G_GLOBAL, 0, 0, 0, 0, 0);
    cmd(w, IQ_CMD_TAIL, 1, 0x1000, 0, 0);       /* = 4 KiB: IQE, head stays */
    cmd(w, IQ_CMD_IQE, 2, 0, 0, 0);             /* abandon: IQT = IQH */
    cmd(w, IQ_CMD_QUEUE, 2, 1 << 1, 0, 0);      /* 256-bit, 8 KiB */
    desc(w, VTD_DESC_PASID_CACHE, VTD_PC_G_GLOBAL, 0, 0, 0, 0, 0);
    cmd(w, IQ_CMD_TAIL, 1, 0x2000, 0, 0);       /* = 8 KiB: IQE */
    cmd(w, IQ_CMD_IQE, 2, 0, 0, 0);
    sync(w);
}

/* Device-TLB invalidations: an address in qword 1 with bits in 31:21, which
 * are reserved only in qword 0, is valid; a reserved bit of qword 0 (bit 4)
 * with a clean qword 1 is not. */
static void device_tlb_fields(struct pf_writer *w)
{
    uint64_t q0 = VTD_DESC_DEVICE_TLB | U(0x0008) << 32;   /* SID 00:01.0 */
    hdr(w, 0);
    cmd(w, IQ_CMD_RAW, q0, 0x12345000, 0, 0);
    sync(w);
    cmd(w, IQ_CMD_RAW, q0 | VTD_BIT(4), 0, 0, 0);
    sync(w);
    repair(w);
}

static const struct raw_scenario scenarios[] = {
    {"all_types", all_types},
    {"pasid_cache_granularity", pasid_cache_granularity},
    {"piotlb_granularity", piotlb_granularity},
    {"context_and_iotlb", context_and_iotlb},
    {"reserved_bits", reserved_bits},
    {"queue_128", queue_128},
    {"wrap_around", wrap_around},
    {"wrap_128", wrap_128},
    {"tail_values", tail_values},
    {"reprogram", reprogram},
    {"table_edits", table_edits},
    {"iqe_variants", iqe_variants},
    {"no_presync_5level", no_presync_5level},
    {"registers", registers},
    {"raw_descriptors", raw_descriptors},
    {"queue_two_pages", queue_two_pages},
    {"tail_at_queue_size", tail_at_queue_size},
    {"device_tlb_fields", device_tlb_fields},
};

static const struct raw_scenario *seeds_inv_queue(size_t *n)
{
    *n = sizeof scenarios / sizeof scenarios[0];
    return scenarios;
}

static void reencode_inv_queue(const uint8_t *data, size_t size, struct pf_writer *w)
{
    struct pf_reader r;
    struct iq_header h;
    pf_reader_init(&r, data, size);
    iq_header_read(&r, &h);
    iq_header_write(w, &h);
    while (!pf_reader_done(&r)) {
        struct iq_cmd c;
        iq_cmd_read(&r, &c);
        iq_cmd_write(w, &c);
    }
}

const struct raw_seeds raw_seeds_inv_queue = {seeds_inv_queue, reencode_inv_queue};

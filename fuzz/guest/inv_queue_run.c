/*
 * fuzz_inv_queue's run (in the harness library, so that pasidfuzz run
 * replays it too; the registry, fuzz/input/targets.def, names it): raw bytes become
 * invalidation-queue content and queue register writes, over a fixed,
 * valid table setup. It exercises descriptor decoding of all nine types,
 * reserved bits, bad granularities, 128- and 256-bit queues, wrap-around,
 * odd tail values and IQE recovery, with every invariant checked after
 * each command and the oracle at every wait.
 *
 * Input layout (all fields little-endian; short input reads as zeros):
 *
 *   header   cfg:1 pasid_bits:1
 *            cfg bit 0 128-bit queue, bits 2:1 QS (4 KiB << QS), bit 3 no
 *            initial sync, bit 4 5-level first stage supported;
 *            pasid_bits = 20 - raw % 20.
 *   commands until the input ends (at most IQ_MAX_CMDS), each a code byte
 *            (kind = code % 9) and its fields:
 *     0 raw    q0:8 q1:8 q2:8 q3:8   raw descriptor at the software tail
 *                                    (16 or 32 bytes of it, as latched)
 *     1 desc   type:1 flags:2 sel:1 arg:8
 *              type % 9 + 1; flags bits 1:0 granularity, 2 set a reserved
 *              bit of qword 0, 3 of qword 1 (which: arg >> 58), 4 nonzero
 *              upper qwords, 8:5 type options (wait IF SW FN PD; IOTLB DR
 *              DW; context FM; IOTLB/PASID-IOTLB IH in bit 5);
 *              sel bits 1:0 DID pool, 4:2 PASID pool, 7:5 device;
 *              arg: address/AM of (PASID-)IOTLB, data and status of a
 *              wait, the payload of the other types
 *     2 iqt    mode:1 value:4        mode % 4: IQT = software tail, IQT =
 *                                    value, 4-byte IQT = software tail,
 *                                    4-byte write of IQT's upper half
 *     3 skip   n:1                   bit 7: software tail = IQH; else the
 *                                    tail moves n descriptors, wrapping
 *     4 queue  mode:1 iqa:1          mode % 4: QI off, QI on, off + IQA +
 *                                    on, IQA only; iqa bit 0 128-bit, 3:1
 *                                    QS, 5:4 base (queue, queue + 32 KiB,
 *                                    status page, past the address width),
 *                                    6 reserved bits 10:3 set
 *     5 iqe    mode:1                mode % 4: clear FSTS.IQE; repair (a
 *                                    wait over the bad descriptor, clear,
 *                                    resume); abandon (clear, IQT = IQH);
 *                                    clear all of FSTS and re-ring as is
 *     6 mmio   reg:1 wide:1 value:8  a queue or fault register, 4 or 8 bytes
 *     7 table  entry:1 action:1 arg:1
 *              setup entry % 8; action % 6: clear, restore, DID from pool
 *              arg, PGTT first-stage <-> pass-through, not present, page
 *              table from pool arg. No invalidation: the queue must do it.
 *     8 sync   (none)                a wait (IF, SW) at the tail, then ring
 *
 * The setup: three devices 00:01.0, 00:02.0, 00:03.0 (PASID width 20) and
 * eight PASID entries across them (first-stage and pass-through, PASIDs 0,
 * 1, 2, 3, 5, 1000 and 0x400, four DIDs), written through the guest driver
 * and, unless cfg bit 3, bound by a global context-cache invalidation.
 */
#include <stdlib.h>
#include <string.h>

#include "raw_guest.h"
#include "inv_queue_input.h"
#include "target_runs.h"
#include "vocab.h"
#include "vtd_spec.h"

#define IQ_MAX_CMDS 512
#define IQ_NDEV 3

struct iq_ctx {
    struct pf_world *w;
    struct pf_header hdr;
};

/* ---- the fixed table setup ---- */

struct iq_entry {
    uint8_t dev, pasid_idx, flags, pgtt, did_idx, fspm, fspt_idx;
};

enum { PGTT_FS = VTD_PGTT_FIRST_STAGE, PGTT_PT = VTD_PGTT_PASS_THROUGH };

static const struct iq_entry iq_entries[] = {
    {0, 1, PF_PE_F_P | PF_PE_F_SRE, PGTT_FS, 0, 0, 0},
    {0, 2, PF_PE_F_P, PGTT_PT, 1, 0, 0},
    {0, 6, PF_PE_F_P | PF_PE_F_WPE, PGTT_FS, 0, 0, 1},
    {1, 1, PF_PE_F_P, PGTT_FS, 1, 0, 2},
    {1, 3, PF_PE_F_P | PF_PE_F_EAFE, PGTT_FS, 0, 1, 3},     /* 5-level: valid only if supported */
    {2, 0, PF_PE_F_P, PGTT_PT, 2, 0, 0},
    {2, 5, PF_PE_F_P, PGTT_FS, 2, 0, 0},
    {2, 7, PF_PE_F_P, PGTT_PT, 3, 0, 0},
};
#define IQ_NENTRIES (sizeof iq_entries / sizeof iq_entries[0])

static void iq_make_header(const struct iq_header *in, struct pf_header *h)
{
    memset(h, 0, sizeof *h);
    h->f[PF_HF_VERSION] = PF_FORMAT_VERSION;
    h->f[PF_HF_PASID_BITS] = in->pasid_bits;
    h->f[PF_HF_NDEV] = IQ_NDEV - 1;
    h->f[PF_HF_FLAGS] = ((in->cfg & IQ_CFG_QUEUE_128) ? PF_HDR_QUEUE_128 : 0) |
                        ((in->cfg & IQ_CFG_FS_5LEVEL) ? PF_HDR_FS_5LEVEL : 0) |
                        (((in->cfg >> IQ_CFG_QS_SHIFT) & 3u) << PF_HDR_QS_SHIFT);
    /* Pool PASIDs 0..5, then 1000 and 0x400 (two more PASID tables). */
    h->f[PF_HF_PASID0 + 6] = 1000 - 6;
    h->f[PF_HF_PASID0 + 7] = 0x400 - 7;
}

static void iq_write_entry(struct iq_ctx *c, const struct iq_entry *e)
{
    struct pf_op op = {.code = PF_OP_PASID_ENTRY,
                       .f = {e->dev, e->pasid_idx, e->flags, e->pgtt, e->did_idx, 0, e->fspm,
                             e->fspt_idx}};
    pf_world_op(c->w, &op);
}

static void iq_setup(struct iq_ctx *c, const struct iq_header *in)
{
    for (unsigned i = 0; i < IQ_NENTRIES; i++)
        iq_write_entry(c, &iq_entries[i]);
    if (in->cfg & IQ_CFG_NO_PRESYNC)
        return;
    /* Context-cache global: valid in either queue width, and a global
     * PASID sync for the model and the oracle alike. */
    uint64_t q[4] = {VTD_DESC_CONTEXT_CACHE | (uint64_t)VTD_CC_G_GLOBAL << 4, 0, 0, 0};
    pf_raw_queue(c->w, q);
    pf_raw_sync(c->w);
}

static void cmd_table(struct iq_ctx *c, const uint64_t *f)
{
    struct iq_entry e = iq_entries[f[0] % IQ_NENTRIES];
    switch (f[1] % PF_IQ_TABLE_COUNT) {
    case PF_IQ_TABLE_CLEAR: {
        struct pf_op op = {.code = PF_OP_PASID_CLEAR, .f = {e.dev, e.pasid_idx}};
        pf_world_op(c->w, &op);
        return;
    }
    case PF_IQ_TABLE_RESTORE:
        break;
    case PF_IQ_TABLE_DID:
        e.did_idx = (uint8_t)f[2];
        break;
    case PF_IQ_TABLE_PGTT_FLIP:
        e.pgtt = e.pgtt == PGTT_FS ? PGTT_PT : PGTT_FS;
        break;
    case PF_IQ_TABLE_NOT_PRESENT:
        e.flags &= (uint8_t)~PF_PE_F_P;
        break;
    default:            /* PF_IQ_TABLE_FSPT */
        e.fspt_idx = (uint8_t)f[2];
        break;
    }
    iq_write_entry(c, &e);
}

/* ---- descriptors ---- */

struct iq_type_rsvd {
    uint64_t q0, q1;
};

/* Reserved bits per type, from the specification; ~0 for "must be zero". */
static const struct iq_type_rsvd iq_rsvd[VTD_DESC_PAGE_GROUP_RESP + 1] = {
    [VTD_DESC_CONTEXT_CACHE] = {VTD_CC_RSVD_Q0, ~0ull},
    [VTD_DESC_IOTLB] = {VTD_IOTLB_RSVD_Q0, VTD_INV_RSVD_Q1},
    [VTD_DESC_DEVICE_TLB] = {VTD_DEVTLB_RSVD_Q0, VTD_DEVTLB_RSVD_Q1},
    [VTD_DESC_IEC] = {VTD_IEC_RSVD_Q0, ~0ull},
    [VTD_DESC_WAIT] = {VTD_WAIT_RSVD_Q0, VTD_WAIT_RSVD_Q1},
    [VTD_DESC_PASID_IOTLB] = {VTD_PIOTLB_RSVD_Q0, VTD_INV_RSVD_Q1},
    [VTD_DESC_PASID_CACHE] = {VTD_PC_RSVD_Q0, ~0ull},
    [VTD_DESC_PASID_DEVICE_TLB] = {VTD_PDEVTLB_RSVD_Q0, VTD_PDEVTLB_RSVD_Q1},
    [VTD_DESC_PAGE_GROUP_RESP] = {VTD_PGRP_RSVD_Q0, VTD_PGRP_RSVD_Q1},
};

/* The n-th (mod count) set bit of mask; 0 for an empty mask. */
static uint64_t iq_nth_bit(uint64_t mask, unsigned n)
{
    unsigned count = (unsigned)__builtin_popcountll(mask);
    if (count == 0)
        return 0;
    n %= count;
    for (unsigned b = 0; b < 64; b++) {
        if (!(mask & VTD_BIT(b)))
            continue;
        if (n-- == 0)
            return VTD_BIT(b);
    }
    return 0;
}

static uint64_t iq_q0(unsigned type, unsigned g, uint16_t did)
{
    return (uint64_t)(type & 0xf) | (uint64_t)(type >> 4) << 9 | (uint64_t)(g & 3) << 4 |
           (uint64_t)did << 16;
}

static uint64_t iq_inv_addr(uint64_t arg, bool ih)
{
    /* AM 0..31: above 18 is invalid for page-selective invalidations. */
    return (arg & VTD_INV_ADDR_MASK) | (ih ? VTD_INV_IH : 0) | (arg & 0x1f);
}

static uint64_t iq_wait_status(uint64_t arg)
{
    /* Mostly a status word in the status page; with arg bit 63 a raw
     * address, usually past guest memory, where the write must fail. */
    if (arg & VTD_BIT(63))
        return (arg >> 16) & VTD_MASK(47, 2);
    return pf_raw_status_gpa() + ((arg >> 32) & 0x1ff) * 8;
}

static void cmd_desc(struct iq_ctx *c, const uint64_t *f)
{
    unsigned type = (unsigned)(f[0] % PF_IQ_TYPE_COUNT) + 1;
    unsigned flags = (unsigned)f[1], g = flags & IQ_DESC_G_MASK;
    unsigned opt = (flags >> IQ_DESC_OPT_SHIFT) & 0xf;
    unsigned sel = (unsigned)f[2];
    uint64_t arg = f[3];
    uint16_t did = pf_header_did(&c->hdr, sel & 3);
    uint32_t pasid = pf_header_pasid(&c->hdr, (sel >> 2) & 7);
    uint16_t sid = pf_header_sid(&c->hdr, (sel >> 5) % IQ_NDEV);
    const struct iq_type_rsvd *rsvd = &iq_rsvd[type];
    uint64_t typebits = iq_q0(type, 0, 0);
    uint64_t q[4] = {0, 0, 0, 0};

    switch (type) {
    case VTD_DESC_CONTEXT_CACHE:
        q[0] = iq_q0(type, g, did) | (uint64_t)sid << 32 | (uint64_t)(opt & 3) << 48;
        break;
    case VTD_DESC_IOTLB:
        q[0] = iq_q0(type, g, did) | (opt & 2 ? VTD_IOTLB_DW : 0) | (opt & 4 ? VTD_IOTLB_DR : 0);
        q[1] = iq_inv_addr(arg, opt & 1);
        break;
    case VTD_DESC_WAIT:
        q[0] = typebits | (uint64_t)(uint32_t)arg << 32 | (opt & IQ_WAIT_IF ? VTD_WAIT_IF : 0) |
               (opt & IQ_WAIT_SW ? VTD_WAIT_SW : 0) | (opt & IQ_WAIT_FN ? VTD_WAIT_FN : 0) |
               (opt & IQ_WAIT_PD ? VTD_WAIT_PD : 0);
        q[1] = iq_wait_status(arg);
        break;
    case VTD_DESC_PASID_IOTLB:
        q[0] = iq_q0(type, g, did) | (uint64_t)pasid << 32;
        q[1] = iq_inv_addr(arg, opt & 1);
        break;
    case VTD_DESC_PASID_CACHE:
        q[0] = iq_q0(type, g, did) | (uint64_t)pasid << 32;
        break;
    default:
        /* Device-TLB, IEC, PASID-device-TLB, page-group response: nothing
         * here acts on them beyond decoding, so any legal payload will do. */
        q[0] = typebits | (arg & ~(rsvd->q0 | VTD_DESC_TYPE_LO_MASK | VTD_DESC_TYPE_HI_MASK));
        q[1] = ((arg << 32) | (arg >> 32)) & ~rsvd->q1;
        break;
    }
    unsigned which = (unsigned)(arg >> 58);
    if (flags & IQ_DESC_RSVD_Q0)
        q[0] |= iq_nth_bit(rsvd->q0, which);
    if (flags & IQ_DESC_RSVD_Q1)
        q[1] |= iq_nth_bit(rsvd->q1, which);
    if (flags & IQ_DESC_UPPER)
        q[2] = arg | 1;
    pf_raw_queue(c->w, q);
}

/* ---- queue registers ---- */

static void cmd_tail(struct iq_ctx *c, const uint64_t *f)
{
    switch (f[0] % PF_IQ_TAIL_COUNT) {
    case PF_IQ_TAIL_SW:
        pf_raw_ring(c->w);
        break;
    case PF_IQ_TAIL_VALUE:
        pf_raw_mmio(c->w, VTD_REG_IQT, f[1], 8);
        break;
    case PF_IQ_TAIL_SW_4BYTE:
        pf_raw_mmio(c->w, VTD_REG_IQT, pf_raw_sw_tail(c->w), 4);
        break;
    default:            /* PF_IQ_TAIL_HIGH_4BYTE */
        pf_raw_mmio(c->w, VTD_REG_IQT + 4, f[1], 4);
        break;
    }
}

static void cmd_skip(struct iq_ctx *c, const uint64_t *f)
{
    if (f[0] & 0x80)
        pf_raw_set_sw_tail(c->w, pf_raw_mmio_read(c->w, VTD_REG_IQH, 8) & VTD_IQ_OFFSET_MASK);
    else
        pf_raw_set_sw_tail(c->w, pf_raw_sw_tail(c->w) + f[0] * pf_raw_desc_bytes(c->w));
}

static uint64_t iq_iqa_base(unsigned sel)
{
    switch (sel & 3) {
    case 0:
        return pf_raw_queue_gpa();
    case 1:
        /* Overlaps the first queue from QS 3 up. */
        return pf_raw_queue_gpa() + 0x8000;
    case 2:
        /* The page the waits write their status to. */
        return pf_raw_status_gpa();
    default:
        return VTD_BIT(39);         /* past the driver's 39-bit address width */
    }
}

static uint64_t iq_iqa_value(uint64_t raw)
{
    return iq_iqa_base((unsigned)(raw >> 4)) | ((raw & 1) ? 0 : VTD_IQA_DW) | ((raw >> 1) & 7) |
           ((raw & 0x40) ? VTD_MASK(10, 3) : 0);
}

static void cmd_queue(struct iq_ctx *c, const uint64_t *f)
{
    unsigned mode = (unsigned)(f[0] % PF_IQ_QUEUE_COUNT);
    if (mode == PF_IQ_QUEUE_OFF || mode == PF_IQ_QUEUE_REPROGRAM)
        pf_raw_gcmd(c->w, 0, (uint32_t)VTD_GCMD_QIE);
    if (mode == PF_IQ_QUEUE_REPROGRAM || mode == PF_IQ_QUEUE_IQA_ONLY)
        pf_raw_mmio(c->w, VTD_REG_IQA, iq_iqa_value(f[1]), 8);
    if (mode == PF_IQ_QUEUE_ON || mode == PF_IQ_QUEUE_REPROGRAM)
        pf_raw_gcmd(c->w, (uint32_t)VTD_GCMD_QIE, 0);
}

static bool iq_error(struct iq_ctx *c)
{
    return (pf_raw_mmio_read(c->w, VTD_REG_FSTS, 4) & VTD_FSTS_IQE) != 0;
}

static void iq_reissue_tail(struct iq_ctx *c)
{
    pf_raw_mmio(c->w, VTD_REG_IQT, pf_raw_mmio_read(c->w, VTD_REG_IQT, 8), 8);
}

static void cmd_iqe(struct iq_ctx *c, const uint64_t *f)
{
    uint64_t head = pf_raw_mmio_read(c->w, VTD_REG_IQH, 8) & VTD_IQ_OFFSET_MASK;
    switch (f[0] % PF_IQE_COUNT) {
    case PF_IQE_CLEAR:
        pf_raw_mmio(c->w, VTD_REG_FSTS, VTD_FSTS_IQE, 4);
        break;
    case PF_IQE_REPAIR:
        /* What a driver does: overwrite the bad descriptor with a wait,
         * clear the error, resume from the head. */
        if (iq_error(c)) {
            uint64_t tail = pf_raw_sw_tail(c->w);
            pf_raw_set_sw_tail(c->w, head);
            pf_raw_wait(c->w);
            pf_raw_set_sw_tail(c->w, tail);
        }
        pf_raw_mmio(c->w, VTD_REG_FSTS, VTD_FSTS_IQE, 4);
        iq_reissue_tail(c);
        break;
    case PF_IQE_ABANDON:
        pf_raw_mmio(c->w, VTD_REG_FSTS, VTD_FSTS_IQE, 4);
        pf_raw_mmio(c->w, VTD_REG_IQT, head, 8);
        pf_raw_set_sw_tail(c->w, head);
        break;
    default:            /* PF_IQE_CLEAR_ALL */
        pf_raw_mmio(c->w, VTD_REG_FSTS, 0xffffffffu, 4);
        iq_reissue_tail(c);
        break;
    }
}

static void cmd_mmio(struct iq_ctx *c, const uint64_t *f)
{
    uint16_t off = pf_iq_regs[f[0] % pf_iq_nregs].off;
    pf_raw_mmio(c->w, off, f[2], (f[1] & 1) ? 8 : 4);
}

/* ---- one input ---- */

static void iq_run_cmd(struct iq_ctx *c, const struct iq_cmd *cmd)
{
    enum iq_cmd_kind k = iq_cmd_kind(cmd);
    pf_raw_trace(c->w, "op: %s", iq_cmd_spec(k)->name);
    switch (k) {
    case IQ_CMD_RAW:
        pf_raw_queue(c->w, cmd->f);
        break;
    case IQ_CMD_DESC:
        cmd_desc(c, cmd->f);
        break;
    case IQ_CMD_TAIL:
        cmd_tail(c, cmd->f);
        break;
    case IQ_CMD_SKIP:
        cmd_skip(c, cmd->f);
        break;
    case IQ_CMD_QUEUE:
        cmd_queue(c, cmd->f);
        break;
    case IQ_CMD_IQE:
        cmd_iqe(c, cmd->f);
        break;
    case IQ_CMD_MMIO:
        cmd_mmio(c, cmd->f);
        break;
    case IQ_CMD_TABLE:
        cmd_table(c, cmd->f);
        break;
    default:
        pf_raw_sync(c->w);
        break;
    }
    pf_raw_check(c->w);
}

uint64_t pf_inv_queue_run(struct pf_world *w, const uint8_t *data, size_t size)
{
    struct pf_reader r;
    struct iq_header h;
    struct iq_ctx c = {.w = w};
    pf_reader_init(&r, data, size);
    iq_header_read(&r, &h);
    iq_make_header(&h, &c.hdr);
    pf_world_begin(w, &c.hdr);
    iq_setup(&c, &h);
    pf_raw_check(w);
    for (unsigned n = 0; n < IQ_MAX_CMDS && !pf_reader_done(&r); n++) {
        struct iq_cmd cmd;
        iq_cmd_read(&r, &cmd);
        iq_run_cmd(&c, &cmd);
    }
    return pf_world_end(w);
}

/* ---- the dictionary: whole commands and raw descriptor qwords ---- */

/* Qword 0 of an invalidation descriptor. */
static uint64_t iq_dict_q0(unsigned type, unsigned g, uint16_t did, uint32_t pasid)
{
    return (uint64_t)(type & 0xf) | (uint64_t)(type >> 4) << 9 | (uint64_t)(g & 3) << 4 |
           (uint64_t)did << 16 | (uint64_t)pasid << 32;
}

static void iq_dict_commands(struct pf_dict *d)
{
    pf_dict_comment(d, "sync; ring; IQE repair / clear / abandon");
    pf_dict_record(d, NULL, "sync");
    pf_dict_record(d, NULL, "iqt mode=sw-tail");
    pf_dict_record(d, NULL, "iqe mode=repair");
    pf_dict_record(d, NULL, "iqe mode=clear");
    pf_dict_record(d, NULL, "iqe mode=abandon");
}

static void iq_dict_descs(struct pf_dict *d)
{
    pf_dict_comment(d, "desc: PASID-cache global, PASID-selective, domain; context global; "
                       "PASID-IOTLB");
    pf_dict_record(d, NULL, "desc type=pc-inv flags=%u", VTD_PC_G_GLOBAL);
    pf_dict_record(d, NULL, "desc type=pc-inv flags=%u sel=%u", VTD_PC_G_PASID, 1u << 2);
    pf_dict_record(d, NULL, "desc type=pc-inv flags=%u sel=1", VTD_PC_G_DOMAIN);
    pf_dict_record(d, NULL, "desc type=cc-inv flags=%u", VTD_CC_G_GLOBAL);
    pf_dict_record(d, NULL, "desc type=piotlb-inv flags=%u sel=%u", VTD_PIOTLB_G_PASID, 1u << 2);
    pf_dict_comment(d, "desc: wait with SW, with IF");
    pf_dict_record(d, NULL, "desc type=wait flags=%u arg=0x%llx", IQ_WAIT_SW << IQ_DESC_OPT_SHIFT,
                   0x10ull << 32 | 1);
    pf_dict_record(d, NULL, "desc type=wait flags=%u", IQ_WAIT_IF << IQ_DESC_OPT_SHIFT);
    pf_dict_comment(d, "desc with a reserved bit of qword 0 / qword 1, with upper qwords");
    pf_dict_record(d, NULL, "desc type=pc-inv flags=rsvd-q0|%u arg=0x%llx", VTD_PC_G_GLOBAL,
                   1ull << 58);
    pf_dict_record(d, NULL, "desc type=pc-inv flags=rsvd-q1|%u arg=0x%llx", VTD_PC_G_GLOBAL,
                   2ull << 58);
    pf_dict_record(d, NULL, "desc type=pc-inv flags=upper|%u arg=1", VTD_PC_G_GLOBAL);
}

static void iq_dict_queue(struct pf_dict *d)
{
    pf_dict_comment(d, "queue: reprogram 128-bit, 256-bit 32 KiB, status page; QI off; QI on");
    pf_dict_record(d, NULL, "queue mode=reprogram iqa=1");
    pf_dict_record(d, NULL, "queue mode=reprogram iqa=%u", 3u << 1);
    pf_dict_record(d, NULL, "queue mode=reprogram iqa=%u", 2u << 4);
    pf_dict_record(d, NULL, "queue mode=off");
    pf_dict_record(d, NULL, "queue mode=on");
    pf_dict_comment(d, "table: clear, DID change, PGTT flip");
    pf_dict_record(d, NULL, "table entry=0 action=clear");
    pf_dict_record(d, NULL, "table entry=3 action=did arg=2");
    pf_dict_record(d, NULL, "table entry=1 action=pgtt-flip");
}

void pf_dict_inv_queue(struct pf_dict *d)
{
    pf_dict_comment(d, "whole commands (layout in fuzz/guest/inv_queue_run.c) and raw");
    pf_dict_comment(d, "descriptor qwords, little-endian");
    iq_dict_commands(d);
    iq_dict_descs(d);
    iq_dict_queue(d);
    pf_dict_comment(d, "raw descriptor qword 0: PASID-cache global, PASID-selective, context");
    pf_dict_comment(d, "global, IOTLB global, PASID-IOTLB, wait IF|SW");
    pf_dict_value(d, iq_dict_q0(VTD_DESC_PASID_CACHE, VTD_PC_G_GLOBAL, 0, 0), 8);
    pf_dict_value(d, iq_dict_q0(VTD_DESC_PASID_CACHE, VTD_PC_G_PASID, 1, 1), 8);
    pf_dict_value(d, iq_dict_q0(VTD_DESC_CONTEXT_CACHE, VTD_CC_G_GLOBAL, 0, 0), 8);
    pf_dict_value(d, iq_dict_q0(VTD_DESC_IOTLB, VTD_IOTLB_G_GLOBAL, 0, 0), 8);
    pf_dict_value(d, iq_dict_q0(VTD_DESC_PASID_IOTLB, VTD_PIOTLB_G_PASID, 1, 1), 8);
    pf_dict_value(d, VTD_DESC_WAIT | VTD_WAIT_IF | VTD_WAIT_SW | 1ull << 32, 8);
    pf_dict_comment(d, "wait status address (status page)");
    pf_dict_value(d, pf_raw_status_gpa() + 8, 8);
}

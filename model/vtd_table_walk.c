/*
 * Root -> scalable-mode context -> PASID directory -> PASID table, read
 * from guest memory by DMA. Every way a level can be unusable has its own
 * status, so callers and traces can tell them apart; none of them is fatal
 * to anything but the one (device, PASID) being looked up.
 */
#include <stdlib.h>
#include <string.h>

#include "vtd_internal.h"

/* The present-bit scans below shift the P bit into place as it is. */
_Static_assert(VTD_PDIR_P == 1 && VTD_PE_P == 1, "P is bit 0 of directory and PASID entries");

/*
 * Present bits, gathered 64 qwords (512 bytes) at a time through a vector
 * and written out lane by lane with constant indices: under the fuzzing
 * build a loop that looks at one entry at a time pays traced compares per
 * entry for its bounds and overflow checks alone (and a loop over vector
 * lanes may spill the vector on every turn), while most entries of a
 * directory or table are empty.
 */
typedef uint64_t vtd_qvec64 __attribute__((vector_size(64 * sizeof(uint64_t))));
#define VTD_LANE(x, i, step, bit) ((x)[(i) * (step)] << (bit))
#define VTD_LANES4(x, i, step) (VTD_LANE(x, i, step, i) | VTD_LANE(x, (i) + 1, step, (i) + 1) | \
                                VTD_LANE(x, (i) + 2, step, (i) + 2) | VTD_LANE(x, (i) + 3, step, (i) + 3))
#define VTD_LANES16(x, i, step) (VTD_LANES4(x, i, step) | VTD_LANES4(x, (i) + 4, step) | \
                                 VTD_LANES4(x, (i) + 8, step) | VTD_LANES4(x, (i) + 12, step))

/* Bit i: P of q[i], for 64 consecutive directory entries. */
static uint64_t vtd_p_bits_dense(const uint64_t *q)
{
    vtd_qvec64 x;
    memcpy(&x, q, sizeof x);
    x &= VTD_PDIR_P;
    return VTD_LANES16(x, 0, 1) | VTD_LANES16(x, 16, 1) | VTD_LANES16(x, 32, 1) |
           VTD_LANES16(x, 48, 1);
}

/* Bit i: P of PASID entry i, for the 8 entries at q (8 qwords each). */
static uint64_t vtd_p_bits_entries8(const uint64_t *q)
{
    vtd_qvec64 x;
    memcpy(&x, q, sizeof x);
    x &= VTD_PE_P;
    return VTD_LANES4(x, 0, VTD_PE_QWORDS) | VTD_LANES4(x, 4, VTD_PE_QWORDS);
}

/* Reads n qwords straight into q; q is only meaningful on success. */
static bool vtd_read_qwords(const struct vtd *s, uint64_t addr, uint64_t *q, unsigned n)
{
    if (n > VTD_PE_QWORDS)
        return false;
    if (s->cfg.dma_read(s->cfg.dma_opaque, addr, q, n * 8) != 0)
        return false;
    vtd_qwords_from_le(q, n);
    return true;
}

/*
 * Address of entry idx of a table at base. A directory may sit near the top
 * of the address space with up to 2^20 / 64 entries of 8 bytes: an address
 * that carries past 2^64 is not memory, and must not wrap to low memory
 * (where the root table and the queue live).
 */
static bool vtd_entry_addr(uint64_t base, uint64_t idx, uint64_t entry_bytes, uint64_t *addr)
{
    uint64_t off = idx * entry_bytes;   /* idx < 2^20, no overflow */
    if (off > UINT64_MAX - base)
        return false;
    *addr = base + off;
    return true;
}

static uint32_t vtd_min_u32(uint32_t a, uint32_t b)
{
    return a < b ? a : b;
}

enum vtd_walk_status vtd_walk_context(const struct vtd *s, const struct vtd_dev *d,
                                      struct vtd_context *ctx)
{
    if (!vtd_translated(s))
        return VTD_WALK_UNTRANSLATED;
    unsigned bus = d->sid >> 8, devfn = d->sid & 0xff;
    uint64_t root[2];
    if (!vtd_read_qwords(s, (s->root_latched & VTD_RTADDR_ADDR_MASK) + bus * VTD_ROOT_ENTRY_BYTES,
                         root, 2))
        return VTD_WALK_DMA_ERROR;
    uint64_t re = devfn < 128 ? root[0] : root[1];
    if (!(re & VTD_ROOT_P))
        return VTD_WALK_ROOT_NOT_PRESENT;
    if (re & VTD_ROOT_RSVD)
        return VTD_WALK_ROOT_RESERVED;

    uint64_t ctp = re & VTD_PAGE_MASK;
    if (!vtd_read_qwords(s, ctp + (devfn & 0x7f) * VTD_CTX_ENTRY_BYTES, ctx->qw, 4))
        return VTD_WALK_DMA_ERROR;
    if (!(ctx->qw[0] & VTD_CTX_P))
        return VTD_WALK_CTX_NOT_PRESENT;
    if ((ctx->qw[0] & VTD_CTX_RSVD_Q0) || (ctx->qw[1] & VTD_CTX_RSVD_Q1) || ctx->qw[2] ||
        ctx->qw[3])
        return VTD_WALK_CTX_RESERVED;

    uint32_t limit = 1u << s->cfg.pasid_bits;
    limit = vtd_min_u32(limit, 1u << d->max_pasid_log2);
    limit = vtd_min_u32(limit, VTD_CTX_DIR_ENTRIES(ctx->qw[0]) * VTD_PASIDS_PER_TABLE);
    ctx->pasid_limit = limit;
    return VTD_WALK_OK;
}

static enum vtd_walk_status vtd_dir_entry_check(uint64_t de, uint64_t *table)
{
    if (!(de & VTD_PDIR_P))
        return VTD_WALK_DIR_NOT_PRESENT;
    if (de & VTD_PDIR_RSVD)
        return VTD_WALK_DIR_RESERVED;
    *table = de & VTD_PAGE_MASK;
    return VTD_WALK_OK;
}

enum vtd_walk_status vtd_walk_dir(const struct vtd *s, const struct vtd_context *ctx,
                                  uint32_t pasid, uint64_t *table)
{
    if (pasid >= ctx->pasid_limit)
        return VTD_WALK_PASID_RANGE;
    uint64_t dir = ctx->qw[0] & VTD_PAGE_MASK;
    uint64_t de, addr;
    if (!vtd_entry_addr(dir, pasid >> 6, VTD_PDIR_ENTRY_BYTES, &addr) ||
        !vtd_read_qwords(s, addr, &de, 1))
        return VTD_WALK_DMA_ERROR;
    return vtd_dir_entry_check(de, table);
}

/*
 * Directory entries come a page at a time, and only the ones the walk
 * covers. Guest memory is mapped in pages, so entries of a page that cannot
 * be read are none of them readable: the answers are the ones vtd_walk_dir
 * gives, with one DMA per page.
 */
bool vtd_dir_block_load(const struct vtd *s, const struct vtd_context *ctx, uint64_t idx,
                        uint64_t end, struct vtd_dir_block *blk)
{
    uint64_t dir = ctx->qw[0] & VTD_PAGE_MASK, addr;
    uint64_t n = end - idx;
    uint64_t words = (n + 63) / 64;
    /* A caller that broke this would have the DMA write past entries[]. */
    if (idx >= end || n > VTD_DIR_BLOCK_ENTRIES - idx % VTD_DIR_BLOCK_ENTRIES)
        abort();
    blk->first = idx;
    if (!vtd_entry_addr(dir, idx, VTD_PDIR_ENTRY_BYTES, &addr) ||
        s->cfg.dma_read(s->cfg.dma_opaque, addr, blk->entries, n * VTD_PDIR_ENTRY_BYTES) != 0)
        return false;
    /* The present bits are gathered 64 entries at a time: the rest of the
     * last group reads as not present. */
    if (words * 64 > n)
        memset(&blk->entries[n], 0, (words * 64 - n) * sizeof blk->entries[0]);
    vtd_qwords_from_le(blk->entries, n);
    for (uint64_t w = 0; w < words; w++)
        blk->present[w] = vtd_p_bits_dense(&blk->entries[w * 64]);
    return true;
}

uint64_t vtd_dir_block_next(const struct vtd_dir_block *blk, uint64_t idx, uint64_t end)
{
    for (uint64_t i = idx - blk->first; i < end - blk->first; i = (i | 63) + 1) {
        uint64_t bits = blk->present[i / 64] & (~0ull << (i % 64));
        if (bits) {
            uint64_t next = blk->first + (i & ~63ull) + (uint64_t)__builtin_ctzll(bits);
            return next < end ? next : end;
        }
    }
    return end;
}

enum vtd_walk_status vtd_dir_block_entry(const struct vtd_dir_block *blk, uint64_t idx,
                                         uint64_t *table)
{
    return vtd_dir_entry_check(blk->entries[idx - blk->first], table);
}

static enum vtd_walk_status vtd_entry_mode_ok(const struct vtd *s, const uint64_t *pe)
{
    switch (VTD_PE_PGTT(pe[0])) {
    case VTD_PGTT_PASS_THROUGH:
        return VTD_WALK_OK;
    case VTD_PGTT_FIRST_STAGE:
        switch (VTD_PE_FSPM(pe[2])) {
        case 0:
            return VTD_WALK_OK;
        case 1:
            return s->cfg.fs_5level ? VTD_WALK_OK : VTD_WALK_FSPM_UNSUPPORTED;
        default:
            return VTD_WALK_FSPM_UNSUPPORTED;
        }
    default:
        /* Second-stage and nested need ECAP.SLTS/NEST, which this model
         * does not advertise; the rest are reserved encodings. */
        return VTD_WALK_PGTT_UNSUPPORTED;
    }
}

enum vtd_walk_status vtd_entry_check(const struct vtd *s, const uint64_t pe[VTD_PE_QWORDS])
{
    if (!(pe[0] & VTD_PE_P))
        return VTD_WALK_PE_NOT_PRESENT;
    if ((pe[1] & VTD_PE_RSVD_Q1) || (pe[2] & VTD_PE_RSVD_Q2) || pe[4] || pe[5] || pe[6] ||
        pe[7])
        return VTD_WALK_PE_RESERVED;
    return vtd_entry_mode_ok(s, pe);
}

enum vtd_walk_status vtd_walk_entry_in_table(const struct vtd *s, uint64_t table,
                                             uint32_t pasid, uint64_t entry[VTD_PE_QWORDS])
{
    uint64_t pe[VTD_PE_QWORDS];
    uint64_t addr = table + (uint64_t)(pasid & (VTD_PASIDS_PER_TABLE - 1)) * VTD_PE_BYTES;
    if (!vtd_read_qwords(s, addr, pe, VTD_PE_QWORDS))
        return VTD_WALK_DMA_ERROR;
    enum vtd_walk_status st = vtd_entry_check(s, pe);
    if (st == VTD_WALK_OK)
        memcpy(entry, pe, sizeof pe);
    return st;
}

bool vtd_read_table(const struct vtd *s, uint64_t table,
                    uint64_t entries[VTD_PASIDS_PER_TABLE][VTD_PE_QWORDS])
{
    if (s->cfg.dma_read(s->cfg.dma_opaque, table, entries,
                        (size_t)VTD_PASIDS_PER_TABLE * VTD_PE_BYTES) != 0)
        return false;
    vtd_qwords_from_le(&entries[0][0], (size_t)VTD_PASIDS_PER_TABLE * VTD_PE_QWORDS);
    return true;
}

uint32_t vtd_table_next(const uint64_t entries[VTD_PASIDS_PER_TABLE][VTD_PE_QWORDS],
                        uint32_t pasid, uint32_t hi)
{
    if (pasid >= hi)
        return hi;
    uint64_t bits = 0;
    for (unsigned i = 0; i < VTD_PASIDS_PER_TABLE; i += 8)
        bits |= vtd_p_bits_entries8(entries[i]) << i;
    bits &= ~0ull << (pasid % VTD_PASIDS_PER_TABLE);
    if (!bits)
        return hi;
    uint32_t next = pasid - pasid % VTD_PASIDS_PER_TABLE + (uint32_t)__builtin_ctzll(bits);
    return next < hi ? next : hi;
}

enum vtd_walk_status vtd_walk_pasid(const struct vtd *s, const struct vtd_dev *d,
                                    uint32_t pasid, uint64_t entry[VTD_PE_QWORDS])
{
    struct vtd_context ctx;
    uint64_t table;
    enum vtd_walk_status st = vtd_walk_context(s, d, &ctx);
    if (st == VTD_WALK_OK)
        st = vtd_walk_dir(s, &ctx, pasid, &table);
    if (st == VTD_WALK_OK)
        st = vtd_walk_entry_in_table(s, table, pasid, entry);
    return st;
}

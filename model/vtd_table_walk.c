/*
 * Root -> scalable-mode context -> PASID directory -> PASID table, read
 * from guest memory by DMA. Every way a level can be unusable has its own
 * status, so callers and traces can tell them apart; none of them is fatal
 * to anything but the one (device, PASID) being looked up.
 */
#include <string.h>

#include "vtd_internal.h"

static bool vtd_read_qwords(const struct vtd *s, uint64_t addr, uint64_t *q, unsigned n)
{
    uint8_t raw[VTD_PE_BYTES];
    if (n * 8 > sizeof raw)
        return false;
    if (s->cfg.dma_read(s->cfg.dma_opaque, addr, raw, n * 8) != 0)
        return false;
    for (unsigned i = 0; i < n; i++) {
        uint64_t v = 0;
        for (unsigned b = 0; b < 8; b++)
            v |= (uint64_t)raw[i * 8 + b] << (8 * b);
        q[i] = v;
    }
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
    uint64_t de;
    if (!vtd_read_qwords(s, dir + (uint64_t)(pasid >> 6) * VTD_PDIR_ENTRY_BYTES, &de, 1))
        return VTD_WALK_DMA_ERROR;
    return vtd_dir_entry_check(de, table);
}

/*
 * Directory entries come a page at a time. Guest memory is mapped in pages,
 * so a page-aligned page that cannot be read holds no readable entry: the
 * answers are the ones vtd_walk_dir gives, with one DMA per 512 entries.
 */
bool vtd_dir_block_load(const struct vtd *s, const struct vtd_context *ctx, uint64_t idx,
                        struct vtd_dir_block *blk)
{
    const uint64_t per_page = VTD_PAGE_SIZE / VTD_PDIR_ENTRY_BYTES;
    uint64_t first = idx - idx % per_page;
    if (blk->loaded && blk->first == first)
        return blk->readable;
    uint8_t raw[VTD_PAGE_SIZE];
    uint64_t dir = ctx->qw[0] & VTD_PAGE_MASK;
    blk->loaded = true;
    blk->first = first;
    blk->readable = s->cfg.dma_read(s->cfg.dma_opaque, dir + first * VTD_PDIR_ENTRY_BYTES, raw,
                                    sizeof raw) == 0;
    for (uint64_t i = 0; blk->readable && i < per_page; i++) {
        uint64_t v = 0;
        for (unsigned b = 0; b < 8; b++)
            v |= (uint64_t)raw[i * 8 + b] << (8 * b);
        blk->entries[i] = v;
    }
    return blk->readable;
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
    uint8_t raw[VTD_PAGE_SIZE];
    if (s->cfg.dma_read(s->cfg.dma_opaque, table, raw, sizeof raw) != 0)
        return false;
    for (unsigned i = 0; i < VTD_PASIDS_PER_TABLE; i++)
        for (unsigned q = 0; q < VTD_PE_QWORDS; q++) {
            uint64_t v = 0;
            for (unsigned b = 0; b < 8; b++)
                v |= (uint64_t)raw[i * VTD_PE_BYTES + q * 8 + b] << (8 * b);
            entries[i][q] = v;
        }
    return true;
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

const char *vtd_walk_status_name(enum vtd_walk_status st)
{
    static const char *const names[] = {
        [VTD_WALK_OK] = "ok",
        [VTD_WALK_UNTRANSLATED] = "untranslated",
        [VTD_WALK_DMA_ERROR] = "dma-error",
        [VTD_WALK_ROOT_NOT_PRESENT] = "root-not-present",
        [VTD_WALK_ROOT_RESERVED] = "root-reserved",
        [VTD_WALK_CTX_NOT_PRESENT] = "context-not-present",
        [VTD_WALK_CTX_RESERVED] = "context-reserved",
        [VTD_WALK_PASID_RANGE] = "pasid-out-of-range",
        [VTD_WALK_DIR_NOT_PRESENT] = "dir-not-present",
        [VTD_WALK_DIR_RESERVED] = "dir-reserved",
        [VTD_WALK_PE_NOT_PRESENT] = "entry-not-present",
        [VTD_WALK_PE_RESERVED] = "entry-reserved",
        [VTD_WALK_PGTT_UNSUPPORTED] = "pgtt-unsupported",
        [VTD_WALK_FSPM_UNSUPPORTED] = "paging-mode-unsupported",
    };
    if ((unsigned)st >= sizeof names / sizeof names[0] || !names[st])
        return "unknown";
    return names[st];
}

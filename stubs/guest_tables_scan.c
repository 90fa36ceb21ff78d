/*
 * Enumeration of a device's valid PASID entries, for the oracle's global
 * and domain events. Directories and tables are read a page at a time; each
 * entry is judged by gt_entry_binding, the same code gt_resolve ends in, and
 * the range bounds are gt_resolve's, so the two cannot disagree.
 */
#include <string.h>

#include "guest_tables.h"
#include "vtd_spec.h"

static uint64_t gt_le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < 8; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

/* The entries of one PASID table with the bindings they ask for. */
static void gt_scan_table(const struct gt_view *v, uint64_t table, uint64_t lo, uint64_t hi,
                          gt_visit_fn visit, void *opaque)
{
    static uint8_t bytes[VTD_PAGE_SIZE];    /* 4 KiB: kept off the stack */
    if (guest_mem_read((void *)v->mem, table, bytes, sizeof bytes) != 0)
        return;
    for (uint64_t pasid = lo; pasid < hi; pasid++) {
        const uint8_t *p = bytes + (pasid % VTD_PASIDS_PER_TABLE) * VTD_PE_BYTES;
        if (!(p[0] & VTD_PE_P))
            continue;
        uint64_t pe[VTD_PE_QWORDS];
        for (unsigned q = 0; q < VTD_PE_QWORDS; q++)
            pe[q] = gt_le64(p + q * 8);
        struct gt_binding b;
        memset(&b, 0, sizeof b);
        gt_entry_binding(v, pe, &b);
        if (b.kind != GT_NONE)
            visit(opaque, (uint32_t)pasid, &b);
    }
}

/*
 * Directory pages one at a time: guest memory is mapped in pages, so an
 * unreadable page holds no readable entry and is skipped whole.
 * (guest_mem_read takes the DMA signature's non-const opaque; it does not
 * write through it.)
 */
void gt_for_each_valid(const struct gt_view *v, uint16_t sid, uint8_t max_pasid_log2,
                       gt_visit_fn visit, void *opaque)
{
    const uint64_t per_page = VTD_PAGE_SIZE / VTD_PDIR_ENTRY_BYTES;
    static uint8_t dir_page[VTD_PAGE_SIZE];
    uint64_t ctx[4];
    enum gt_reason why;
    if (!gt_translated(v) || !gt_context(v, sid, ctx, &why))
        return;
    uint64_t end = gt_pasid_limit(v, max_pasid_log2);
    uint64_t dir_end = (uint64_t)VTD_CTX_DIR_ENTRIES(ctx[0]) * VTD_PASIDS_PER_TABLE;
    if (dir_end < end)
        end = dir_end;
    uint64_t dir = ctx[0] & VTD_PAGE_MASK;
    uint64_t idx_end = (end + VTD_PASIDS_PER_TABLE - 1) / VTD_PASIDS_PER_TABLE;
    for (uint64_t first = 0; first < idx_end; first += per_page) {
        if (guest_mem_read((void *)v->mem, dir + first * VTD_PDIR_ENTRY_BYTES, dir_page,
                           sizeof dir_page) != 0)
            continue;
        uint64_t last = first + per_page < idx_end ? first + per_page : idx_end;
        for (uint64_t idx = first; idx < last; idx++) {
            uint64_t de = gt_le64(dir_page + (idx - first) * VTD_PDIR_ENTRY_BYTES);
            if (!(de & VTD_PDIR_P) || (de & VTD_PDIR_RSVD))
                continue;
            uint64_t lo = idx * VTD_PASIDS_PER_TABLE, hi = lo + VTD_PASIDS_PER_TABLE;
            gt_scan_table(v, de & VTD_PAGE_MASK, lo, hi < end ? hi : end, visit, opaque);
        }
    }
}

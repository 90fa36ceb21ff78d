/*
 * Enumeration of a device's valid PASID entries, for the oracle's global
 * and domain events. Directories and tables are read a page at a time; each
 * entry is judged by gt_entry_binding, the same code gt_resolve ends in, and
 * the range bounds are gt_resolve's, so the two cannot disagree.
 */
#include <string.h>

#include "guest_tables.h"
#include "pf_le.h"
#include "vtd_spec.h"

/* P is bit 0 of directory and PASID entries, so it shifts into a mask as
 * it is. */
_Static_assert(VTD_PDIR_P == 1 && VTD_PE_P == 1, "P is bit 0");

/*
 * P bits gathered 512 bytes at a time through a vector, written out lane by
 * lane with constant indices: under the fuzzing build a loop over single
 * entries pays traced compares per entry for its bounds and overflow checks
 * alone (and a loop over vector lanes may spill the vector on every turn),
 * while most entries are empty. Lanes hold little-endian qwords; P is bit 0
 * of the first byte of each.
 */
typedef uint64_t gt_qvec64 __attribute__((vector_size(64 * sizeof(uint64_t))));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define GT_LANE_P_SHIFT 56
#else
#define GT_LANE_P_SHIFT 0
#endif
#define GT_LANE(x, i, step) ((x)[(i) * (step)] << (i))
#define GT_LANES4(x, i, step) (GT_LANE(x, i, step) | GT_LANE(x, (i) + 1, step) | \
                               GT_LANE(x, (i) + 2, step) | GT_LANE(x, (i) + 3, step))
#define GT_LANES16(x, i, step) (GT_LANES4(x, i, step) | GT_LANES4(x, (i) + 4, step) | \
                                GT_LANES4(x, (i) + 8, step) | GT_LANES4(x, (i) + 12, step))

/* Bit i: P of the i-th qword of the 64 at p (a directory stretch). */
static uint64_t gt_p_bits_dense(const uint8_t *p)
{
    gt_qvec64 x;
    memcpy(&x, p, sizeof x);
    x = (x >> GT_LANE_P_SHIFT) & 1;
    return GT_LANES16(x, 0, 1) | GT_LANES16(x, 16, 1) | GT_LANES16(x, 32, 1) |
           GT_LANES16(x, 48, 1);
}

/* Bit i: P of the i-th of the 64 PASID entries of a table page, for the
 * entries that overlap bytes [lo, hi) of it (the rest read as clear). */
static uint64_t gt_p_bits_table(const uint8_t *page, size_t lo, size_t hi)
{
    const unsigned per_vec = sizeof(gt_qvec64) / VTD_PE_BYTES;   /* 8 entries */
    uint64_t bits = 0;
    unsigned k = (unsigned)(lo / VTD_PE_BYTES) / per_vec * per_vec;
    for (; k < VTD_PASIDS_PER_TABLE && (size_t)k * VTD_PE_BYTES < hi; k += per_vec) {
        gt_qvec64 x;
        memcpy(&x, page + (size_t)k * VTD_PE_BYTES, sizeof x);
        x = (x >> GT_LANE_P_SHIFT) & 1;
        bits |= (GT_LANES4(x, 0, VTD_PE_QWORDS) | GT_LANES4(x, 4, VTD_PE_QWORDS)) << k;
    }
    return bits;
}

/* Bits lo..hi-1 (0 <= lo < hi <= 64). */
static uint64_t gt_bit_range(uint64_t lo, uint64_t hi)
{
    uint64_t upto = hi >= 64 ? ~0ull : (1ull << hi) - 1;
    return upto & (~0ull << lo);
}

/* The entries of one PASID table with the bindings they ask for. */
static void gt_scan_table(const struct gt_view *v, uint64_t table, uint64_t lo, uint64_t hi,
                          gt_visit_fn visit, void *opaque)
{
    /* Read in place: tables are page aligned, so the page is readable
     * whole or not at all, as for guest_mem_read. */
    size_t wlo, whi;
    const uint8_t *bytes = guest_mem_peek_page(v->mem, table, &wlo, &whi);
    if (!bytes || wlo >= whi)
        return;
    uint64_t base = lo - lo % VTD_PASIDS_PER_TABLE;
    uint64_t todo = gt_p_bits_table(bytes, wlo, whi) & gt_bit_range(lo - base, hi - base);
    for (; todo; todo &= todo - 1) {
        uint64_t pasid = base + (uint64_t)__builtin_ctzll(todo);
        const uint8_t *p = bytes + (pasid % VTD_PASIDS_PER_TABLE) * VTD_PE_BYTES;
        uint64_t pe[VTD_PE_QWORDS];
        memcpy(pe, p, sizeof pe);
        pf_le64_to_cpu_n(pe, VTD_PE_QWORDS);
        struct gt_binding b;
        memset(&b, 0, sizeof b);
        gt_entry_binding(v, pe, &b);
        if (b.kind != GT_NONE)
            visit(opaque, (uint32_t)pasid, &b);
    }
}

/* The present directory entries of one directory page whose first entry
 * is number first, up to entry last (exclusive), each table scanned. */
static void gt_scan_dir_page(const struct gt_view *v, uint64_t dir, uint64_t first,
                             uint64_t last, uint64_t end, gt_visit_fn visit, void *opaque)
{
    size_t wlo, whi;
    const uint8_t *dir_page =
        guest_mem_peek_page(v->mem, dir + first * VTD_PDIR_ENTRY_BYTES, &wlo, &whi);
    if (!dir_page || wlo >= whi)
        return;
    /* Entries outside the written bytes are zero: not present. */
    uint64_t from = first + wlo / VTD_PDIR_ENTRY_BYTES / 64 * 64;
    uint64_t upto = first + (whi + VTD_PDIR_ENTRY_BYTES - 1) / VTD_PDIR_ENTRY_BYTES;
    if (upto < last)
        last = upto;
    for (uint64_t w = from; w < last; w += 64) {
        /* Only entries with P set need a look: the rest are "not
         * present" whatever else they hold. */
        uint64_t todo = gt_p_bits_dense(dir_page + (w - first) * VTD_PDIR_ENTRY_BYTES) &
                        gt_bit_range(0, last - w < 64 ? last - w : 64);
        for (; todo; todo &= todo - 1) {
            uint64_t idx = w + (uint64_t)__builtin_ctzll(todo);
            uint64_t de = pf_le64_load(dir_page + (idx - first) * VTD_PDIR_ENTRY_BYTES);
            if (!(de & VTD_PDIR_P) || (de & VTD_PDIR_RSVD))
                continue;
            uint64_t lo = idx * VTD_PASIDS_PER_TABLE, hi = lo + VTD_PASIDS_PER_TABLE;
            gt_scan_table(v, de & VTD_PAGE_MASK, lo, hi < end ? hi : end, visit, opaque);
        }
    }
}

/*
 * Directory pages one at a time: guest memory is mapped in pages, so an
 * unreadable page holds no readable entry and is skipped whole. Pages are
 * read in place (guest_mem_peek_page): nothing writes guest memory
 * meanwhile.
 */
void gt_for_each_valid(const struct gt_view *v, uint16_t sid, uint8_t max_pasid_log2,
                       gt_visit_fn visit, void *opaque)
{
    const uint64_t per_page = VTD_PAGE_SIZE / VTD_PDIR_ENTRY_BYTES;
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
        /* As gt_read_qwords: a directory page past 2^64 does not wrap. */
        if (first * VTD_PDIR_ENTRY_BYTES > UINT64_MAX - dir)
            break;
        uint64_t last = first + per_page < idx_end ? first + per_page : idx_end;
        gt_scan_dir_page(v, dir, first, last, end, visit, opaque);
    }
}

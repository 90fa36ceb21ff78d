/*
 * Model internals shared by the register file, the invalidation queue, the
 * table walk and the PASID cache. Nothing outside model/ includes this.
 */
#ifndef PASIDFUZZ_VTD_INTERNAL_H
#define PASIDFUZZ_VTD_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "vtd.h"
#include "vtd_spec.h"

/* Guest memory and the register file are little-endian. Values are loaded
 * and stored whole (memcpy), swapped only on a big-endian host: byte-at-a-
 * time assembly costs a traced compare per byte under fuzzer coverage. */
static inline uint64_t vtd_le64_to_cpu(uint64_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return __builtin_bswap64(v);
#else
    return v;
#endif
}

static inline uint32_t vtd_le32_to_cpu(uint32_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return __builtin_bswap32(v);
#else
    return v;
#endif
}

static inline uint64_t vtd_ldq_le(const void *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return vtd_le64_to_cpu(v);
}

/* In place: n qwords just read from guest memory, to host order. */
static inline void vtd_qwords_from_le(uint64_t *q, size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    for (size_t i = 0; i < n; i++)
        q[i] = __builtin_bswap64(q[i]);
#else
    (void)q;
    (void)n;
#endif
}

/* One cached PASID entry of one device. Linked both ways so that unlinking
 * is O(1) and the self-check has a back-link to verify. */
struct vtd_pce {
    struct vtd_pce *next;
    struct vtd_pce **pprev;     /* address of the pointer that points at us */
    uint32_t pasid;
    uint64_t entry[VTD_PE_QWORDS];
    uint32_t hwpt;              /* bound hwpt: an owned s1 hwpt or the parent */
    bool owns_hwpt;             /* hwpt is a first-stage hwpt we allocated */
};

struct vtd_dev {
    bool plugged;
    uint16_t sid;
    uint8_t max_pasid_log2;
    uint32_t host_dev;
    uint32_t parent_hwpt;
    /* PASID 0 sits on the parent because the host put it there (plug) or
     * because DMA is untranslated; no cache entry explains it. */
    bool pasid0_default;
    struct vtd_pce *cache;
};

/* What a PASID-cache sync covers. */
enum vtd_sync_scope {
    VTD_SYNC_GLOBAL,
    VTD_SYNC_DOMAIN,
    VTD_SYNC_PASID,
};

struct vtd_sync_info {
    enum vtd_sync_scope scope;
    uint16_t did;
    uint32_t pasid;
    /* Set when the invalidate phase deleted the PASID of a PASID-selective
     * sync on the current device: the replay cannot bring it back, so it is
     * skipped. Cleared before the next device. */
    bool deleted;
};

/* Result of walking the tables for one (device, PASID). */
enum vtd_walk_status {
    VTD_WALK_OK = 0,
    VTD_WALK_UNTRANSLATED,      /* TE=0 or no scalable-mode root */
    VTD_WALK_DMA_ERROR,         /* some level unreadable */
    VTD_WALK_ROOT_NOT_PRESENT,
    VTD_WALK_ROOT_RESERVED,
    VTD_WALK_CTX_NOT_PRESENT,
    VTD_WALK_CTX_RESERVED,
    VTD_WALK_PASID_RANGE,       /* past pasid_bits, the device or the directory */
    VTD_WALK_DIR_NOT_PRESENT,
    VTD_WALK_DIR_RESERVED,
    VTD_WALK_PE_NOT_PRESENT,
    VTD_WALK_PE_RESERVED,
    VTD_WALK_PGTT_UNSUPPORTED,
    VTD_WALK_FSPM_UNSUPPORTED,
};

struct vtd_context {
    uint64_t qw[4];
    uint32_t pasid_limit;       /* min(pasid_bits, device, directory) bound */
};

struct vtd {
    struct vtd_config cfg;
    uint8_t regs[VTD_MMIO_SIZE];

    /* Latched state: what the hardware acts on, as opposed to what the
     * guest last wrote into the registers. */
    uint64_t root_latched;      /* RTADDR at the last SRTP */
    uint64_t iq_base;
    uint32_t iq_size;           /* bytes */
    bool iq_dw;                 /* 256-bit descriptors */

    struct vtd_dev devs[VTD_MAX_DEVICES];
};

/* ---- registers (vtd_regs.c) ---- */
/* Zeroed memory of the model's own, or NULL when short (or made to fail by
 * cfg->mem_fail). Freed with free(). */
void *vtd_zalloc(const struct vtd_config *cfg, size_t size);

/* Inline: nearly every caller names its register by a constant, and with
 * the offset known the compiler drops the bounds checks UBSan puts on
 * regs[off]; under the fuzzing build each of those is a traced compare. */
static inline uint32_t vtd_reg_get32(const struct vtd *s, unsigned off)
{
    uint32_t v;
    memcpy(&v, &s->regs[off], sizeof v);
    return vtd_le32_to_cpu(v);
}

static inline uint64_t vtd_reg_get64(const struct vtd *s, unsigned off)
{
    return (uint64_t)vtd_reg_get32(s, off) | (uint64_t)vtd_reg_get32(s, off + 4) << 32;
}

static inline void vtd_reg_set32(struct vtd *s, unsigned off, uint32_t v)
{
    v = vtd_le32_to_cpu(v);    /* the same swap both ways */
    memcpy(&s->regs[off], &v, sizeof v);
}

static inline void vtd_reg_set64(struct vtd *s, unsigned off, uint64_t v)
{
    vtd_reg_set32(s, off, (uint32_t)v);
    vtd_reg_set32(s, off + 4, (uint32_t)(v >> 32));
}
bool vtd_translated(const struct vtd *s);
void vtd_raise_iwc(struct vtd *s);
/* Sets a fault status bit of FSTS and raises the fault event it implies. */
void vtd_raise_fault(struct vtd *s, uint32_t status);

/* ---- invalidation queue (vtd_inv_queue.c) ---- */
void vtd_iq_latch(struct vtd *s);
void vtd_iq_process(struct vtd *s);

/* ---- table walk (vtd_table_walk.c) ---- */
enum vtd_walk_status vtd_walk_context(const struct vtd *s, const struct vtd_dev *d,
                                      struct vtd_context *ctx);
/* Reads one directory entry; on VTD_WALK_OK *table is the PASID table. */
enum vtd_walk_status vtd_walk_dir(const struct vtd *s, const struct vtd_context *ctx,
                                  uint32_t pasid, uint64_t *table);
/* Directory entries of one page read at once, for walks over many chunks. */
#define VTD_DIR_BLOCK_ENTRIES (VTD_PAGE_SIZE / VTD_PDIR_ENTRY_BYTES)
struct vtd_dir_block {
    uint64_t first;             /* directory index of entries[0] */
    uint64_t entries[VTD_DIR_BLOCK_ENTRIES];
    /* Bit i of word i / 64: entries[i] has its P bit set. */
    uint64_t present[VTD_DIR_BLOCK_ENTRIES / 64];
};
/* Load directory entries [idx, end) into blk: idx < end, and all of them
 * in idx's page of the directory (end at most the first index of the next
 * page). False when that page is unreadable. */
bool vtd_dir_block_load(const struct vtd *s, const struct vtd_context *ctx, uint64_t idx,
                        uint64_t end, struct vtd_dir_block *blk);
/* vtd_walk_dir's answer for entry idx of a loaded, readable block. */
enum vtd_walk_status vtd_dir_block_entry(const struct vtd_dir_block *blk, uint64_t idx,
                                         uint64_t *table);
/* The first directory index in [idx, end) of a loaded, readable block whose
 * entry has P set, or end: every index it passes over is one for which
 * vtd_dir_block_entry says "not present". end is at most the block's end. */
uint64_t vtd_dir_block_next(const struct vtd_dir_block *blk, uint64_t idx, uint64_t end);
/* Validates a PASID entry already read. */
enum vtd_walk_status vtd_entry_check(const struct vtd *s, const uint64_t pe[VTD_PE_QWORDS]);
/* A whole 64-entry PASID table in one DMA (tables are page aligned and
 * memory is mapped in pages, so it is readable whole or not at all). */
bool vtd_read_table(const struct vtd *s, uint64_t table,
                    uint64_t entries[VTD_PASIDS_PER_TABLE][VTD_PE_QWORDS]);
/* The first PASID in [pasid, hi) whose entry in a table read by
 * vtd_read_table has P set, or hi: every PASID it passes over is one for
 * which vtd_entry_check says "not present". [pasid, hi) lies in one table. */
uint32_t vtd_table_next(const uint64_t entries[VTD_PASIDS_PER_TABLE][VTD_PE_QWORDS],
                        uint32_t pasid, uint32_t hi);
/* Reads and validates one PASID entry from a PASID table. */
enum vtd_walk_status vtd_walk_entry_in_table(const struct vtd *s, uint64_t table,
                                             uint32_t pasid, uint64_t entry[VTD_PE_QWORDS]);
/* The whole walk for one (device, PASID). */
enum vtd_walk_status vtd_walk_pasid(const struct vtd *s, const struct vtd_dev *d,
                                    uint32_t pasid, uint64_t entry[VTD_PE_QWORDS]);

/* ---- PASID cache (vtd_pasid_cache.c) ---- */
void vtd_pasid_cache_sync(struct vtd *s, struct vtd_sync_info *info);
void vtd_pasid_sync_all(struct vtd *s);
void vtd_piotlb_propagate(struct vtd *s, uint16_t did, uint32_t pasid,
                          const struct vtd_s1_inv *inv);

#endif

/*
 * A test bench for the model, driving it only through its public face:
 * guest memory (stubs/guest_mem.h) as the DMA target, the stub backend
 * (stubs/host_backend.h) as the host, and MMIO registers. The helpers write
 * guest tables at fixed addresses, keep the backend's view of the guest
 * (root pointer, TE) current before each MMIO write that changes it, and run
 * host_backend_check() after every step so an invariant break aborts at the
 * step that caused it.
 */
#ifndef PASIDFUZZ_TESTS_MODEL_FIXTURE_H
#define PASIDFUZZ_TESTS_MODEL_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "guest_mem.h"
#include "host_backend.h"
#include "vtd.h"
#include "vtd_spec.h"

/* Fixed guest-physical layout. Nothing else lives below FX_PGTBL_BASE. */
#define FX_ROOT          0x00100000ull  /* root table */
#define FX_IQ_BASE       0x00200000ull  /* invalidation queue (up to 128 KiB) */
#define FX_STATUS        0x00300000ull  /* wait status words, 4 bytes apart */
#define FX_CTX_BASE      0x01000000ull  /* context tables, 2 pages per bus */
#define FX_DIR_BASE      0x100000000ull /* PASID directories, 128 KiB per sid */
#define FX_PTBL_BASE     0x10000000000ull /* PASID tables, 64 MiB per sid */
/* First-stage page-table addresses handed to the host; the model never
 * reads them, so they need no backing. */
#define FX_PGTBL(n)      (0x40000000ull + (uint64_t)(n) * VTD_PAGE_SIZE)
/* An address the guest memory can never back (past its 48-bit width). */
#define FX_NO_MEMORY     (1ull << 52)
#define FX_ADDR_WIDTH    48u

#define FX_RTADDR_SM     (FX_ROOT | VTD_RTADDR_SMT)

struct fx_dev {
    bool used;
    uint16_t sid;
    uint8_t max_pasid_log2;
    uint32_t dev;
    uint32_t parent;
};

struct fx {
    struct guest_mem *mem;
    struct host_backend *hb;
    struct vtd *vtd;
    struct vtd_config cfg;
    /* Queue as latched at the last QIE 0->1 through fx_qi_enable*(). */
    uint64_t iqa_latched;
    uint64_t iq_base;
    uint32_t iq_size;
    bool dw;
    uint32_t tail;          /* software tail, a byte offset */
    struct fx_dev devs[VTD_MAX_DEVICES];
};

/* haw 48, given pasid_bits and fs_5level. Never NULL (aborts on failure). */
struct fx *fx_new(uint8_t pasid_bits, bool fs_5level);
struct fx *fx_new_haw(uint8_t pasid_bits, uint8_t haw, bool fs_5level);
/* Unplugs every device (model then host), destroys everything. */
void fx_free(struct fx *f);
void fx_check(struct fx *f);

/* ---- MMIO ---- */
uint64_t fx_rd(struct fx *f, uint64_t off, unsigned size);
/* Raw write followed by the backend check. Does not update the view. */
void fx_wr(struct fx *f, uint64_t off, uint64_t v, unsigned size);
uint32_t fx_gsts(struct fx *f);
bool fx_iqe(struct fx *f);
uint64_t fx_iqh(struct fx *f);
void fx_clear_iqe(struct fx *f);

/* GCMD as software must write it: the persistent bits (TE, QIE) as GSTS
 * shows them, plus the change. */
void fx_srtp(struct fx *f, uint64_t rtaddr);
void fx_te(struct fx *f, bool on);
/* QIE 0->1 with IQA = base | DW | QS (IQT zeroed first). */
void fx_qi_enable_at(struct fx *f, uint64_t base, bool dw, unsigned qs);
void fx_qi_enable(struct fx *f, bool dw, unsigned qs);
/* Writes GCMD without QIE; returns whether QIES is now clear. */
bool fx_qi_disable(struct fx *f);
/* QI on (256-bit, QS 0), scalable root at FX_ROOT latched, TE on. */
void fx_translated(struct fx *f);
/* Reset as the platform does it: the view goes back to power-on first. */
void fx_reset(struct fx *f);

/* ---- devices ---- */
/* Plug on the host, then into the model. Returns vtd_plug's result. */
int fx_plug(struct fx *f, uint16_t sid, uint8_t max_pasid_log2);
/* vtd_unplug, then (on success) the host unplug. Returns vtd_unplug's. */
int fx_unplug(struct fx *f, uint16_t sid);
struct fx_dev *fx_dev(struct fx *f, uint16_t sid);
uint32_t fx_hdev(struct fx *f, uint16_t sid);
uint32_t fx_parent(struct fx *f, uint16_t sid);
/* hwpt the host has at (sid, pasid), 0 if none. */
uint32_t fx_attached(struct fx *f, uint16_t sid, uint32_t pasid);

/* ---- guest tables ---- */
uint64_t fx_ctx_table(uint16_t sid);    /* the context table covering sid */
uint64_t fx_ctx_addr(uint16_t sid);     /* the context entry of sid */
uint64_t fx_dir_addr(uint16_t sid);     /* PASID directory of sid */
uint64_t fx_ptbl_addr(uint16_t sid, uint32_t dir_index);
uint64_t fx_pe_addr(uint16_t sid, uint32_t pasid);

void fx_w64(struct fx *f, uint64_t addr, uint64_t v);
uint64_t fx_r64(struct fx *f, uint64_t addr);
/* Root entry of a bus: lo covers devfn 0-127, hi 128-255. */
void fx_write_root(struct fx *f, uint8_t bus, uint64_t lo, uint64_t hi);
void fx_write_ctx(struct fx *f, uint16_t sid, uint64_t q0, uint64_t q1, uint64_t q2,
                  uint64_t q3);
/* Root half and context entry of sid, directory at fx_dir_addr(sid). */
void fx_map_dev(struct fx *f, uint16_t sid, unsigned pdts);
void fx_write_dir(struct fx *f, uint16_t sid, uint32_t dir_index, uint64_t v);
/* Writes the entry only. */
void fx_write_pe_raw(struct fx *f, uint16_t sid, uint32_t pasid, const uint64_t pe[8]);
/* Writes the entry and makes its directory entry present. */
void fx_set_pe(struct fx *f, uint16_t sid, uint32_t pasid, const uint64_t pe[8]);
void fx_clear_pe(struct fx *f, uint16_t sid, uint32_t pasid);
void fx_pe_fs(uint64_t pe[8], uint16_t did, uint64_t pgtbl, unsigned fspm, uint32_t flags);
void fx_pe_pt(uint64_t pe[8], uint16_t did);

/* ---- invalidation queue ---- */
/* Writes the descriptor (16 or 32 bytes as the queue is) at the software
 * tail and advances it, wrapping at the queue size. */
void fx_queue(struct fx *f, const uint64_t d[4]);
void fx_queue2(struct fx *f, uint64_t q0, uint64_t q1);
/* IQT := software tail. */
void fx_ring(struct fx *f);
/* Raw IQT write (8 bytes) with the iq-state and backend checks. */
void fx_write_iqt(struct fx *f, uint64_t v);
/* Queue q0/q1 and ring. */
void fx_submit(struct fx *f, uint64_t q0, uint64_t q1);

uint64_t fx_pc_q0(unsigned g, uint16_t did, uint32_t pasid);
uint64_t fx_cc_q0(unsigned g, uint16_t did, uint16_t sid, unsigned fm);
uint64_t fx_iotlb_q0(unsigned g, uint16_t did);
uint64_t fx_piotlb_q0(unsigned g, uint16_t did, uint32_t pasid);
uint64_t fx_inv_q1(uint64_t addr, bool ih, unsigned am);
uint64_t fx_wait_q0(uint64_t flags, uint32_t data);
uint64_t fx_status_addr(unsigned idx);
uint32_t fx_status(struct fx *f, unsigned idx);
void fx_status_set(struct fx *f, unsigned idx, uint32_t v);

/* A PASID-cache invalidation, checked to have been consumed. */
void fx_pc(struct fx *f, unsigned g, uint16_t did, uint32_t pasid);
void fx_pc_global(struct fx *f);

/* ---- the model's cache, through vtd_cache_walk ---- */
unsigned fx_cache_count(struct fx *f);
unsigned fx_cache_count_dev(struct fx *f, uint16_t sid);
bool fx_cache_get(struct fx *f, uint16_t sid, uint32_t pasid, struct vtd_cache_view *out);

/* The s1 config of an attached hwpt; false if it is not a live s1 hwpt. */
bool fx_s1_of(struct fx *f, uint32_t hwpt, struct vtd_s1_config *out);

#endif

/* State shared by the guest driver's two halves: guest_driver.c (world,
 * MMIO, queue mirror, events, checks) and guest_ops.c (the op handlers). */
#ifndef PASIDFUZZ_GUEST_DRIVER_INTERNAL_H
#define PASIDFUZZ_GUEST_DRIVER_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "guest_driver.h"
#include "guest_mem.h"
#include "host_backend.h"
#include "iotlb_check.h"
#include "oracle.h"
#include "ops.h"
#include "peer.h"
#include "reg_predict.h"
#include "vtd.h"

/* Guest-physical layout. Pages are address space until written. */
#define PF_GPA_ROOT      0x1000ull
#define PF_GPA_STATUS    0x2000ull
#define PF_GPA_QUEUE     0x10000ull
#define PF_GPA_ALLOC     0x100000ull
#define PF_GPA_ALLOC_END 0x40000000ull
#define PF_DIR_PAGES     32u      /* room for the largest directory (PDTS 7) */
#define PF_HAW           39u
#define PF_MEM_PAGES     2048u
#define PF_MAX_TABLES    64u
#define PF_READ_SLOTS    8u       /* remembered DMA read lengths: 8..64 bytes */
/* Widest PASID a header can ask for; the backend is made with it and
 * reconfigured per input. */
#define PF_MAX_PASID_BITS 20u

struct pf_guest_dev {
    bool plugged;
    uint16_t sid;
    uint8_t max_pasid_log2;
    uint32_t dev;
    uint32_t parent;
    uint64_t dir;               /* PASID directory base, 0 until needed */
    bool ctx_written;
};

struct pf_table {
    unsigned dev;
    uint32_t dir_idx;
    uint64_t page;
};

struct pf_world {
    struct guest_mem *mem;
    struct host_backend *hb;
    struct vtd *vtd;
    struct pf_oracle *oracle;
    struct pf_iotlb *iotlb;
    FILE *trace;

    struct pf_header hdr;
    unsigned ndev;
    struct pf_guest_dev devs[PF_MAX_DEVS];
    uint64_t ctx_page[256][2];  /* by bus, devfn >= 128 */
    uint16_t ctx_used[PF_MAX_DEVS];     /* bus << 1 | half of each set ctx_page */
    unsigned nctx_used;
    struct pf_table tables[PF_MAX_TABLES];
    unsigned ntables;
    uint64_t next_page;

    /* What the registers must read (stubs/reg_predict.h). */
    struct pf_regpred regs;

    /* The queue as the guest knows it: latched when it turned QI on. */
    uint64_t iq_iqa;
    uint64_t sw_tail;
    uint64_t events_head;       /* first descriptor not yet given to the oracle */
    bool in_batch;
    bool ring_written;          /* a wait of this batch wrote into the ring */
    uint32_t wait_seq;
    unsigned ops_run;
    /* Where the model's last DMA read that succeeded of each length 8, 16,
     * ..., 64 bytes (a PASID entry) read from (pf_dma_read): slot
     * len / 8 - 1, set when bit slot of last_read_valid is. */
    uint64_t last_read[PF_READ_SLOTS];
    uint8_t last_read_valid;
    struct vtd_config cfg;      /* the model's, for the API probe (api_probe.h) */

    /* Bumped just before and just after every call that can change the
     * model (MMIO write, plug, unplug, reset, create, destroy): the model
     * changes nowhere else, so an unchanged value means an unchanged model. */
    uint64_t model_gen;
    /* The model's and the backend's generations at the last backend check
     * that passed (valid while hb_checked). */
    bool hb_checked;
    uint64_t hb_checked_model_gen, hb_checked_hb_gen;

    /* The hardware a peer fixed (peer.h), and the peer itself. */
    bool has_hw;
    struct pf_hw hw;
    const struct pf_peer_ops *peer;
    void *peer_opaque;
};

/* guest_driver.c */
void pf_mmio_write(struct pf_world *w, uint64_t off, uint64_t val, unsigned size);
uint64_t pf_mmio_read(struct pf_world *w, uint64_t off, unsigned size);
void pf_gcmd(struct pf_world *w, uint32_t set, uint32_t clear);
void pf_queue_desc(struct pf_world *w, const uint64_t q[4]);
void pf_mem_write64(struct pf_world *w, uint64_t gpa, uint64_t v);
/* n (<= 8) qwords of one table entry in one write. Entries are naturally
 * aligned and never cross a page, so this succeeds or fails exactly as n
 * separate pf_mem_write64 calls would. */
void pf_mem_write_entry(struct pf_world *w, uint64_t gpa, const uint64_t *q, unsigned n);
/* Every guest-memory write of the driver goes here: guest memory, then the
 * peer when the write succeeded. */
int pf_guest_write(struct pf_world *w, uint64_t gpa, const void *buf, size_t len);
void pf_plug(struct pf_world *w, unsigned idx);
void pf_unplug(struct pf_world *w, unsigned idx);
void pf_reset(struct pf_world *w);
/* Every invariant check and the oracle, skipped when nothing changed. */
void pf_check_all(struct pf_world *w);
void pf_trace_print(struct pf_world *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Tracing is off in every fuzzing run, and the trace points sit on the
 * hottest paths: test the stream first, so an untraced run neither
 * evaluates the arguments nor builds a va_list. */
#define pf_trace(w, ...)                        \
    do {                                        \
        if ((w)->trace)                         \
            pf_trace_print((w), __VA_ARGS__);   \
    } while (0)
void pf_vtrace(struct pf_world *w, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* The wait the driver's own syncs queue: IF and SW, or SW alone (peer.h). */
bool pf_sync_wait_if(const struct pf_world *w);

/* guest_ops.c */
void pf_exec_op(struct pf_world *w, const struct pf_op *op);

#endif

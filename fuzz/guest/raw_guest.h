/*
 * Guest-driver entry points for targets that build guest state from raw
 * bytes instead of the op stream: raw guest-memory writes, MMIO writes with
 * the driver's bookkeeping (queue mirror, backend view, oracle events),
 * descriptors at the driver's software tail, and the full check. They are
 * valid between pf_world_begin() and pf_world_end() only, and every one of
 * them keeps the stub backend and the oracle as informed as the op stream
 * does, so the same invariants hold.
 */
#ifndef PASIDFUZZ_RAW_GUEST_H
#define PASIDFUZZ_RAW_GUEST_H

#include <stddef.h>
#include <stdint.h>

#include "guest_driver.h"

/* Fixed guest-physical pages the driver owns (see guest_driver_internal.h);
 * raw targets place their own structures elsewhere. */
uint64_t pf_raw_root_gpa(void);
uint64_t pf_raw_status_gpa(void);
uint64_t pf_raw_queue_gpa(void);
/* First address the driver's own table allocator hands out: pages below it
 * (apart from the three above) are free for a raw target's fixed layout. */
uint64_t pf_raw_alloc_gpa(void);

/* Raw guest-memory write; past the memory bound it has no effect, as for a
 * guest with less RAM. Guest memory never changes the model by itself. */
void pf_raw_mem_write(struct pf_world *w, uint64_t gpa, const void *buf, size_t len);

uint64_t pf_raw_mmio_read(struct pf_world *w, uint64_t off, unsigned size);
/* An MMIO write as the op stream makes it: GCMD, IQT and CCMD side effects
 * reach the backend view, the queue mirror and the oracle. */
void pf_raw_mmio(struct pf_world *w, uint64_t off, uint64_t val, unsigned size);
/* A well-formed GCMD write: the persistent TE/QIE bits kept, set added,
 * clear removed. */
void pf_raw_gcmd(struct pf_world *w, uint32_t set, uint32_t clear);

/* The queue as the guest latched it when it last turned QI on. */
uint64_t pf_raw_queue_base(const struct pf_world *w);
uint64_t pf_raw_queue_bytes(const struct pf_world *w);
unsigned pf_raw_desc_bytes(const struct pf_world *w);
/* The driver's software tail: where the next descriptor is written. The
 * setter rounds down to a descriptor and wraps to the queue size. */
uint64_t pf_raw_sw_tail(const struct pf_world *w);
void pf_raw_set_sw_tail(struct pf_world *w, uint64_t off);

/* Write a descriptor (16 or 32 bytes, as latched) at the software tail and
 * advance it, wrapping. Nothing is processed until the tail is written. */
void pf_raw_queue(struct pf_world *w, const uint64_t q[4]);
/* IQT = software tail: the model processes the queue. */
void pf_raw_ring(struct pf_world *w);
/* A wait descriptor (IF and SW, a fresh status word) at the software tail;
 * consuming it is a completion point where the oracle checks. */
void pf_raw_wait(struct pf_world *w);
/* pf_raw_wait, then ring. */
void pf_raw_sync(struct pf_world *w);

/* Every invariant and the oracle, as after each op of the op stream. */
void pf_raw_check(struct pf_world *w);

/* One line to the trace, if tracing. */
void pf_raw_trace(struct pf_world *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif

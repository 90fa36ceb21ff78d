/*
 * Sparse guest-physical memory. Pages come into being when the guest first
 * writes them (the rest of the page reads as zero); a read that touches a
 * page the guest never wrote fails, as a DMA to unbacked memory would.
 * Addresses at or past 2^addr_width fail both ways. Reset is cheap: it costs
 * the pages in use, not the address space.
 */
#ifndef PASIDFUZZ_GUEST_MEM_H
#define PASIDFUZZ_GUEST_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct guest_mem;

/* addr_width 12..63; max_pages bounds memory use (writes past it fail). */
struct guest_mem *guest_mem_new(unsigned addr_width, size_t max_pages);
void guest_mem_free(struct guest_mem *m);
void guest_mem_reset(struct guest_mem *m);
/* Allocates up front every page and hash bucket max_pages can need (meant
 * for small bounds: max_pages * 4 KiB). From then on no access and no
 * reset allocates or frees, so a run takes the same path whatever ran
 * before it. 0, -EBUSY if pages are in use, or -ENOMEM (nothing changed
 * that matters: the memory stays usable as before). */
int guest_mem_preallocate(struct guest_mem *m);
unsigned guest_mem_addr_width(const struct guest_mem *m);
size_t guest_mem_pages_used(const struct guest_mem *m);

/* Signatures match vtd_dma_read_fn / vtd_dma_write_fn (opaque = the
 * guest_mem). 0 on success, -EFAULT when the range is not all readable
 * (writable); a failed access changes nothing. */
int guest_mem_read(void *m, uint64_t addr, void *buf, size_t len);
int guest_mem_write(void *m, uint64_t addr, const void *buf, size_t len);

/* Whether guest_mem_write of [addr, addr + len) would succeed now: inside
 * the address space, and every page it touches exists or can still come
 * into being. Writes never take pages away, so after a write that failed
 * this stays false until a reset. */
bool guest_mem_writable(const struct guest_mem *m, uint64_t addr, size_t len);

/* The page at page_addr (a multiple of 4 KiB) in place, when it exists,
 * and the part of it the guest may have written: every byte outside
 * [*lo, *hi) reads as zero (*lo >= *hi when the guest wrote none). Scans
 * of sparse tables look at that part only. NULL when guest_mem_read of the
 * page would fail. Valid until the next write or reset. */
const uint8_t *guest_mem_peek_page(const struct guest_mem *m, uint64_t page_addr, size_t *lo,
                                   size_t *hi);

/* Little-endian helpers; reads of unbacked memory return -EFAULT. */
int guest_mem_read_u64(const struct guest_mem *m, uint64_t addr, uint64_t *out);
int guest_mem_write_u64(struct guest_mem *m, uint64_t addr, uint64_t v);

#endif

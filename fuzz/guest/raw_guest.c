/*
 * The raw targets' way into the guest driver. Each function is a thin
 * wrapper over the driver's own bookkeeping (guest_driver_internal.h), so a
 * raw target informs the backend and the oracle exactly as an op would.
 */
#include "raw_guest.h"

#include <stdarg.h>

#include "guest_driver_internal.h"
#include "vtd_spec.h"

uint64_t pf_raw_root_gpa(void)
{
    return PF_GPA_ROOT;
}

uint64_t pf_raw_status_gpa(void)
{
    return PF_GPA_STATUS;
}

uint64_t pf_raw_queue_gpa(void)
{
    return PF_GPA_QUEUE;
}

uint64_t pf_raw_alloc_gpa(void)
{
    return PF_GPA_ALLOC;
}

void pf_raw_trace(struct pf_world *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pf_vtrace(w, fmt, ap);
    va_end(ap);
}

void pf_raw_mem_write(struct pf_world *w, uint64_t gpa, const void *buf, size_t len)
{
    (void)pf_guest_write(w, gpa, buf, len);
}

uint64_t pf_raw_mmio_read(struct pf_world *w, uint64_t off, unsigned size)
{
    return pf_mmio_read(w, off, size);
}

void pf_raw_mmio(struct pf_world *w, uint64_t off, uint64_t val, unsigned size)
{
    pf_mmio_write(w, off, val, size);
}

void pf_raw_gcmd(struct pf_world *w, uint32_t set, uint32_t clear)
{
    pf_gcmd(w, set, clear);
}

uint64_t pf_raw_queue_base(const struct pf_world *w)
{
    return w->iq_iqa & VTD_IQA_BASE_MASK;
}

uint64_t pf_raw_queue_bytes(const struct pf_world *w)
{
    return (uint64_t)VTD_PAGE_SIZE << (w->iq_iqa & VTD_IQA_QS_MASK);
}

unsigned pf_raw_desc_bytes(const struct pf_world *w)
{
    return (w->iq_iqa & VTD_IQA_DW) ? VTD_IQ_DESC256_BYTES : VTD_IQ_DESC128_BYTES;
}

uint64_t pf_raw_sw_tail(const struct pf_world *w)
{
    return w->sw_tail;
}

void pf_raw_set_sw_tail(struct pf_world *w, uint64_t off)
{
    off %= pf_raw_queue_bytes(w);
    w->sw_tail = off - off % pf_raw_desc_bytes(w);
}

void pf_raw_queue(struct pf_world *w, const uint64_t q[4])
{
    pf_queue_desc(w, q);
}

void pf_raw_ring(struct pf_world *w)
{
    pf_mmio_write(w, VTD_REG_IQT, w->sw_tail, 8);
}

void pf_raw_wait(struct pf_world *w)
{
    uint32_t data = ++w->wait_seq;
    /* A fresh status word per wait, within the status page, so that the
     * iq-state check can tell each wait's write from the one before. */
    uint64_t q[4] = {VTD_DESC_WAIT | (pf_sync_wait_if(w) ? VTD_WAIT_IF : 0) | VTD_WAIT_SW |
                         (uint64_t)data << 32,
                     PF_GPA_STATUS + (uint64_t)(data & 0x1ff) * 8, 0, 0};
    pf_queue_desc(w, q);
}

void pf_raw_sync(struct pf_world *w)
{
    pf_raw_wait(w);
    pf_raw_ring(w);
}

void pf_raw_check(struct pf_world *w)
{
    pf_check_all(w);
}

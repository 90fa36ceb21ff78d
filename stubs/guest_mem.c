#include "guest_mem.h"
#include "pf_le.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define GM_PAGE_SHIFT 12u
#define GM_PAGE_SIZE  ((size_t)1 << GM_PAGE_SHIFT)
/* Bucket values are page indexes + 1 in 32 bits, 0 meaning empty. */
#define GM_MAX_PAGES  ((size_t)1 << 30)
#define GM_MIN_BUCKET_BITS 6u

struct gm_page {
    uint64_t pfn;
    size_t bucket;          /* where this page sits in the hash, for reset */
    uint8_t *data;          /* GM_PAGE_SIZE bytes, kept across reset */
    /* Every byte of data outside [dirty_lo, dirty_hi) is zero, so making
     * the page fresh clears only what was written since: tables and queues
     * fill a few entries of a page, and a whole-page clear per page per
     * input would cost more than the accesses. */
    uint16_t dirty_lo;
    uint16_t dirty_hi;
};

struct guest_mem {
    unsigned addr_width;
    uint64_t limit;         /* 2^addr_width: first address that never exists */
    size_t max_pages;
    /* pages[0, used) are live; pages[used, pooled) hold buffers from before
     * the last reset, ready to be reused without another malloc. */
    struct gm_page *pages;
    size_t used;
    size_t pooled;
    size_t pages_cap;
    /* Open addressing with linear probing, pfn -> page index + 1. Always
     * at most half full, so probes stay short and always end. */
    uint32_t *buckets;
    size_t nbuckets;          /* 2^bucket_bits */
    unsigned bucket_bits;
    /* guest_mem_preallocate made every buffer max_pages needs: nothing is
     * allocated or freed again until guest_mem_free. */
    bool fixed;
};

static size_t gm_hash(const struct guest_mem *m, uint64_t pfn)
{
    /* Fibonacci hashing (top bits of the product): table pages are often a
     * power of two apart, which a plain modulo would pile onto one chain. */
    return (size_t)((pfn * 0x9e3779b97f4a7c15ull) >> (64u - m->bucket_bits));
}

/* Index of the page holding pfn, or SIZE_MAX. */
static size_t gm_find(const struct guest_mem *m, uint64_t pfn)
{
    for (size_t s = gm_hash(m, pfn);; s = (s + 1) & (m->nbuckets - 1)) {
        uint32_t v = m->buckets[s];
        if (v == 0)
            return SIZE_MAX;
        if (m->pages[v - 1].pfn == pfn)
            return v - 1;
    }
}

static void gm_place(struct guest_mem *m, size_t idx)
{
    size_t s = gm_hash(m, m->pages[idx].pfn);
    while (m->buckets[s] != 0)
        s = (s + 1) & (m->nbuckets - 1);
    m->buckets[s] = (uint32_t)(idx + 1);
    m->pages[idx].bucket = s;
}

static int gm_grow_buckets(struct guest_mem *m, size_t want_pages)
{
    unsigned bits = m->bucket_bits;
    while (((size_t)1 << bits) / 2 < want_pages)
        bits++;
    if (bits == m->bucket_bits)
        return 0;
    size_t n = (size_t)1 << bits;
    uint32_t *buckets = calloc(n, sizeof *buckets);
    if (!buckets)
        return -ENOMEM;
    free(m->buckets);
    m->buckets = buckets;
    m->nbuckets = n;
    m->bucket_bits = bits;
    for (size_t i = 0; i < m->used; i++)
        gm_place(m, i);
    return 0;
}

/* Makes room for `want` live pages so that inserting them cannot fail
 * half-way: a failed write must leave memory as it was. */
static int gm_reserve(struct guest_mem *m, size_t want)
{
    if (want > m->pages_cap) {
        size_t cap = m->pages_cap ? m->pages_cap : 16;
        while (cap < want)
            cap *= 2;
        struct gm_page *p = realloc(m->pages, cap * sizeof *p);
        if (!p)
            return -ENOMEM;
        m->pages = p;
        m->pages_cap = cap;
    }
    while (m->pooled < want) {
        uint8_t *data = malloc(GM_PAGE_SIZE);
        if (!data)
            return -ENOMEM;
        struct gm_page *p = &m->pages[m->pooled++];
        p->data = data;
        p->dirty_lo = 0;
        p->dirty_hi = (uint16_t)GM_PAGE_SIZE;
    }
    return gm_grow_buckets(m, want);
}

static void gm_insert(struct guest_mem *m, uint64_t pfn)
{
    size_t idx = m->used++;
    struct gm_page *p = &m->pages[idx];
    p->pfn = pfn;
    if (p->dirty_lo < p->dirty_hi)
        memset(p->data + p->dirty_lo, 0, (size_t)(p->dirty_hi - p->dirty_lo));
    p->dirty_lo = (uint16_t)GM_PAGE_SIZE;
    p->dirty_hi = 0;
    gm_place(m, idx);
}

struct guest_mem *guest_mem_new(unsigned addr_width, size_t max_pages)
{
    if (addr_width < GM_PAGE_SHIFT || addr_width > 63)
        return NULL;
    struct guest_mem *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->addr_width = addr_width;
    m->limit = 1ull << addr_width;
    m->max_pages = max_pages < GM_MAX_PAGES ? max_pages : GM_MAX_PAGES;
    m->bucket_bits = GM_MIN_BUCKET_BITS;
    m->nbuckets = (size_t)1 << GM_MIN_BUCKET_BITS;
    m->buckets = calloc(m->nbuckets, sizeof *m->buckets);
    if (!m->buckets) {
        free(m);
        return NULL;
    }
    return m;
}

void guest_mem_free(struct guest_mem *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->pooled; i++)
        free(m->pages[i].data);
    free(m->pages);
    free(m->buckets);
    free(m);
}

void guest_mem_reset(struct guest_mem *m)
{
    /* Emptying exactly the buckets in use keeps reset proportional to what the
     * last input touched, not to the table size. */
    for (size_t i = 0; i < m->used; i++)
        m->buckets[m->pages[i].bucket] = 0;
    m->used = 0;
    /* Preallocated: the buffers are already the same for every input. */
    if (m->fixed)
        return;
    /* Back to the first input's shape: a table and a page pool sized by
     * earlier inputs would make the same input take other paths (probe
     * lengths, pool refills), which fuzzers see as instability. */
    for (size_t i = 0; i < m->pooled; i++)
        free(m->pages[i].data);
    m->pooled = 0;
    free(m->pages);
    m->pages = NULL;
    m->pages_cap = 0;
    if (m->bucket_bits > GM_MIN_BUCKET_BITS) {
        uint32_t *buckets = calloc((size_t)1 << GM_MIN_BUCKET_BITS, sizeof *buckets);
        if (buckets) {
            free(m->buckets);
            m->buckets = buckets;
            m->bucket_bits = GM_MIN_BUCKET_BITS;
            m->nbuckets = (size_t)1 << GM_MIN_BUCKET_BITS;
        }
    }
}

int guest_mem_preallocate(struct guest_mem *m)
{
    if (m->used != 0)
        return -EBUSY;
    int rc = gm_reserve(m, m->max_pages);
    if (rc != 0)
        return rc;
    m->fixed = true;
    return 0;
}

unsigned guest_mem_addr_width(const struct guest_mem *m)
{
    return m->addr_width;
}

size_t guest_mem_pages_used(const struct guest_mem *m)
{
    return m->used;
}

/* [addr, addr + len) inside the address space; len > 0. */
static bool gm_in_range(const struct guest_mem *m, uint64_t addr, size_t len)
{
    return addr < m->limit && (uint64_t)len <= m->limit - addr;
}

/* Number of pages [addr, addr + len) touches; the range is in bounds. */
static uint64_t gm_span(uint64_t addr, size_t len)
{
    uint64_t first = addr >> GM_PAGE_SHIFT;
    uint64_t last = (addr + (uint64_t)len - 1) >> GM_PAGE_SHIFT;
    return last - first + 1;
}

static int gm_read(const struct guest_mem *m, uint64_t addr, void *buf, size_t len)
{
    if (len == 0)
        return 0;
    if (!gm_in_range(m, addr, len) || gm_span(addr, len) > m->used)
        return -EFAULT;
    uint64_t first = addr >> GM_PAGE_SHIFT, n = gm_span(addr, len);
    if (n == 1) {
        /* Nearly every access stays in one page: one lookup does. */
        size_t idx = gm_find(m, first);
        if (idx == SIZE_MAX)
            return -EFAULT;
        memcpy(buf, m->pages[idx].data + (addr & (GM_PAGE_SIZE - 1)), len);
        return 0;
    }
    /* Check every page before copying: a failed read leaves buf alone. */
    for (uint64_t i = 0; i < n; i++) {
        if (gm_find(m, first + i) == SIZE_MAX)
            return -EFAULT;
    }
    uint8_t *out = buf;
    while (len > 0) {
        size_t off = (size_t)(addr & (GM_PAGE_SIZE - 1));
        size_t chunk = GM_PAGE_SIZE - off < len ? GM_PAGE_SIZE - off : len;
        const struct gm_page *p = &m->pages[gm_find(m, addr >> GM_PAGE_SHIFT)];
        memcpy(out, p->data + off, chunk);
        out += chunk;
        addr += chunk;
        len -= chunk;
    }
    return 0;
}

const uint8_t *guest_mem_peek_page(const struct guest_mem *m, uint64_t page_addr, size_t *lo,
                                   size_t *hi)
{
    if (page_addr % GM_PAGE_SIZE != 0 || !gm_in_range(m, page_addr, GM_PAGE_SIZE))
        return NULL;
    size_t idx = gm_find(m, page_addr >> GM_PAGE_SHIFT);
    if (idx == SIZE_MAX)
        return NULL;
    *lo = m->pages[idx].dirty_lo;
    *hi = m->pages[idx].dirty_hi;
    return m->pages[idx].data;
}

int guest_mem_read(void *m, uint64_t addr, void *buf, size_t len)
{
    return gm_read(m, addr, buf, len);
}

/* Pages of [first, first + n) that do not exist yet. */
static size_t gm_missing(const struct guest_mem *m, uint64_t first, uint64_t n)
{
    size_t missing = 0;
    for (uint64_t i = 0; i < n; i++) {
        if (gm_find(m, first + i) == SIZE_MAX)
            missing++;
    }
    return missing;
}

bool guest_mem_writable(const struct guest_mem *m, uint64_t addr, size_t len)
{
    if (len == 0)
        return true;
    if (!gm_in_range(m, addr, len) || gm_span(addr, len) > m->max_pages)
        return false;
    return gm_missing(m, addr >> GM_PAGE_SHIFT, gm_span(addr, len)) <= m->max_pages - m->used;
}

/* [off, off + len) lies in the page. */
static void gm_page_write(struct gm_page *p, size_t off, const void *buf, size_t len)
{
    memcpy(p->data + off, buf, len);
    if (off < p->dirty_lo)
        p->dirty_lo = (uint16_t)off;
    if (off + len > p->dirty_hi)
        p->dirty_hi = (uint16_t)(off + len);
}

int guest_mem_write(void *opaque, uint64_t addr, const void *buf, size_t len)
{
    struct guest_mem *m = opaque;
    if (len == 0)
        return 0;
    if (!gm_in_range(m, addr, len) || gm_span(addr, len) > m->max_pages)
        return -EFAULT;
    uint64_t first = addr >> GM_PAGE_SHIFT, n = gm_span(addr, len);
    if (n == 1) {
        /* One page that exists already: nothing to reserve or insert. */
        size_t idx = gm_find(m, first);
        if (idx != SIZE_MAX) {
            gm_page_write(&m->pages[idx], (size_t)(addr & (GM_PAGE_SIZE - 1)), buf, len);
            return 0;
        }
    }
    size_t missing = gm_missing(m, first, n);
    if (missing > m->max_pages - m->used)
        return -EFAULT;
    /* Out of host memory reads as unwritable guest memory: the caller sees
     * a DMA error either way and nothing has changed. */
    if (gm_reserve(m, m->used + missing) != 0)
        return -EFAULT;
    for (uint64_t i = 0; i < n; i++) {
        if (gm_find(m, first + i) == SIZE_MAX)
            gm_insert(m, first + i);
    }
    const uint8_t *in = buf;
    while (len > 0) {
        size_t off = (size_t)(addr & (GM_PAGE_SIZE - 1));
        size_t chunk = GM_PAGE_SIZE - off < len ? GM_PAGE_SIZE - off : len;
        gm_page_write(&m->pages[gm_find(m, addr >> GM_PAGE_SHIFT)], off, in, chunk);
        in += chunk;
        addr += chunk;
        len -= chunk;
    }
    return 0;
}

int guest_mem_read_u64(const struct guest_mem *m, uint64_t addr, uint64_t *out)
{
    uint8_t b[8];
    int rc = gm_read(m, addr, b, sizeof b);
    if (rc != 0)
        return rc;
    *out = pf_le64_load(b);
    return 0;
}

int guest_mem_write_u64(struct guest_mem *m, uint64_t addr, uint64_t v)
{
    uint8_t b[8];
    pf_le64_store(b, v);
    return guest_mem_write(m, addr, b, sizeof b);
}

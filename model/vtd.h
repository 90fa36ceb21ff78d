/*
 * A virtual Intel VT-d IOMMU, seen from outside: MMIO registers, guest
 * memory read and written by DMA, a host IOMMU backend it drives, and host
 * devices plugged into it. This is the whole public face; any other VT-d
 * implementation offering it can be linked in its place.
 */
#ifndef PASIDFUZZ_VTD_H
#define PASIDFUZZ_VTD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vtd;

/* Guest memory access by DMA. Return 0 on success, negative on a DMA error;
 * after a failed read buf holds nothing the model may act on. */
typedef int (*vtd_dma_read_fn)(void *opaque, uint64_t addr, void *buf, size_t len);
typedef int (*vtd_dma_write_fn)(void *opaque, uint64_t addr, const void *buf, size_t len);

/* Flags of a first-stage page table, taken from the PASID entry. */
#define VTD_S1_FLAG_SRE  (1u << 0)
#define VTD_S1_FLAG_WPE  (1u << 1)
#define VTD_S1_FLAG_EAFE (1u << 2)
#define VTD_S1_FLAGS_ALL (VTD_S1_FLAG_SRE | VTD_S1_FLAG_WPE | VTD_S1_FLAG_EAFE)

/* What the host needs to walk a guest first-stage page table. */
struct vtd_s1_config {
    uint64_t pgtbl_addr;  /* FSPTPTR, 4 KiB aligned guest-physical address */
    uint32_t addr_width;  /* 48 (4-level) or 57 (5-level) */
    uint32_t flags;       /* VTD_S1_FLAG_* */
};

/* A first-stage IOTLB invalidation passed down to the host. */
#define VTD_S1_INV_FLAG_LEAF (1u << 0)
#define VTD_S1_INV_ALL_PAGES UINT64_MAX
struct vtd_s1_inv {
    uint64_t addr;
    uint64_t npages;      /* VTD_S1_INV_ALL_PAGES with addr 0: the whole space */
    uint32_t flags;       /* VTD_S1_INV_FLAG_* */
};

/*
 * The host IOMMU backend (iommufd-like). Every call returns 0 or a negative
 * errno. Devices and hwpts are named by the host's ids; id 0 is never valid.
 * attach() replaces an existing attachment at the same PASID.
 */
struct vtd_host_ops {
    int (*alloc_s1_hwpt)(void *opaque, uint32_t dev, uint32_t parent_hwpt,
                         const struct vtd_s1_config *cfg, uint32_t *hwpt_out);
    int (*attach)(void *opaque, uint32_t dev, uint32_t pasid, uint32_t hwpt);
    int (*detach)(void *opaque, uint32_t dev, uint32_t pasid);
    int (*free_hwpt)(void *opaque, uint32_t hwpt);
    int (*invalidate_cache)(void *opaque, uint32_t hwpt, const struct vtd_s1_inv *inv);
};

struct vtd_config {
    uint8_t pasid_bits;         /* 1..20: PASIDs [0, 2^pasid_bits) */
    uint8_t haw;                /* host address width, 39..52 (CAP.MGAW + 1) */
    bool fs_5level;             /* CAP.FS5LP: 5-level first-stage tables */
    vtd_dma_read_fn dma_read;
    vtd_dma_write_fn dma_write;
    void *dma_opaque;
    const struct vtd_host_ops *host;
    void *host_opaque;
    /* Optional fault injection: asked before each allocation of the
     * model's own memory (the model itself, a cached entry); true makes
     * that allocation fail as if memory were short. NULL: never. */
    bool (*mem_fail)(void *opaque);
    void *mem_opaque;
};

#define VTD_MAX_DEVICES 8

/* NULL if the config is out of range or memory is short. */
struct vtd *vtd_create(const struct vtd_config *cfg);
/* Frees the model only: no backend calls. Unplug devices first to release
 * their host bindings. */
void vtd_destroy(struct vtd *s);

/* size is 4 or 8 and offset must be size-aligned; anything else reads as 0
 * and writes are ignored, as a bus would drop them. */
uint64_t vtd_mmio_read(struct vtd *s, uint64_t offset, unsigned size);
void vtd_mmio_write(struct vtd *s, uint64_t offset, uint64_t value, unsigned size);

/*
 * Plug a host device: source-id (bus << 8 | devfn), PASID width it supports,
 * and its host ids. The host has already attached PASID 0 to parent_hwpt,
 * as VFIO does. Returns 0, -EEXIST (sid or host dev taken), -ENOSPC, -EINVAL.
 */
int vtd_plug(struct vtd *s, uint16_t sid, uint8_t max_pasid_log2,
             uint32_t host_dev, uint32_t parent_hwpt);
/*
 * Release every binding of the device and forget it. Returns -ENOENT if not
 * plugged, -EBUSY if the host refused a detach: the device then stays plugged
 * with the bindings it could not release, so model and host still agree.
 * PASID 0 on the parent hwpt is the host's to tear down.
 */
int vtd_unplug(struct vtd *s, uint16_t sid);
/* System reset: registers to power-on values, every PASID binding dropped,
 * devices stay plugged with PASID 0 back on their parent hwpt. */
void vtd_reset(struct vtd *s);

/* ---- Read-only introspection, for checkers ---- */
struct vtd_cache_view {
    uint16_t sid;
    uint32_t host_dev;
    uint32_t parent_hwpt;
    uint32_t pasid;
    uint64_t entry[8];    /* the cached copy of the 64-byte PASID entry */
    uint32_t hwpt;        /* hwpt the PASID is bound to: s1 hwpt or the parent */
};
typedef void (*vtd_cache_visit_fn)(void *opaque, const struct vtd_cache_view *v);
/* Visit every cached entry of every plugged device. */
void vtd_cache_walk(const struct vtd *s, vtd_cache_visit_fn visit, void *opaque);
/* Check the cache lists' links: true if sound, else false with the first
 * defect (broken back-link, cycle, duplicate PASID) described in why. */
bool vtd_cache_self_check(const struct vtd *s, char *why, size_t why_len);

#endif

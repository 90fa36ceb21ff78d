/*
 * A peer: a second VT-d implementation that the guest driver drives in
 * lockstep with the model. The driver mirrors to it every guest-memory
 * write that succeeded, every MMIO access of the input and every reset, and
 * tells it every DMA write the model made, so the peer can compare what it
 * sees with the model. The peer may abort with a finding; it never changes
 * what the model, the backend or the checkers see. Plug, unplug and backend
 * failures concern the host side only and are not mirrored.
 */
#ifndef PASIDFUZZ_PEER_H
#define PASIDFUZZ_PEER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pf_world;

struct pf_peer_ops {
    /* A new input starts: back to power-on, guest memory all zero. */
    void (*begin)(void *opaque);
    void (*mem_write)(void *opaque, uint64_t gpa, const void *buf, size_t len);
    /* After the model took the write. */
    void (*mmio_write)(void *opaque, uint64_t off, uint64_t val, unsigned size);
    /* A register read of the input (not one made while the model is in
     * the middle of a write), with the model's answer. */
    void (*mmio_read)(void *opaque, uint64_t off, unsigned size, uint64_t model_val);
    /* The model wrote guest memory by DMA (only writes that succeeded). */
    void (*dma_write)(void *opaque, uint64_t gpa, const void *buf, size_t len);
    /* After the model's system reset. */
    void (*reset)(void *opaque);
};

/* What the hardware is, when a peer fixes it rather than the input header:
 * PASID width and first-stage 5-level support replace the header's, the
 * model gets haw, and guest memory is [0, 2^mem_width). */
struct pf_hw {
    uint8_t pasid_bits;         /* 1..20 */
    uint8_t haw;                /* 39..52 */
    bool fs_5level;
    uint8_t mem_width;          /* 30..39 */
    /* The driver's own syncs use a wait with SW alone instead of IF and SW
     * (for hardware that cannot take both; inputs' own waits unchanged). */
    bool sync_without_if;
};

/* NULL on out-of-memory or a pf_hw out of range (hw NULL: the defaults
 * and the header's choices, as pf_world_new). */
struct pf_world *pf_world_new_hw(const struct pf_hw *hw);
/* ops NULL: no peer. Between inputs only. */
void pf_world_set_peer(struct pf_world *w, const struct pf_peer_ops *ops, void *opaque);

/* For a peer comparing with the model: a model register as it is now (no
 * trace, no mirroring), and guest memory as the model sees it (0 or
 * -EFAULT, as guest_mem_read). */
uint64_t pf_world_model_reg(struct pf_world *w, uint64_t off, unsigned size);
int pf_world_mem_read(struct pf_world *w, uint64_t gpa, void *buf, size_t len);

#endif

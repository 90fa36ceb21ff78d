/*
 * The reg-write invariant: what an MMIO write may do to the registers it
 * covers, from the specification's access types (chapter 11, "Register
 * Descriptions"): read-write bits take the written value, write-1-to-clear
 * bits clear where a 1 is written, read-only bits do not change, reserved
 * bits read 0. Where the model takes a choice the specification leaves
 * open (model/BEHAVIOUR.md, "Registers"), the table (reg_table.h) follows
 * it.
 */
#ifndef PASIDFUZZ_REG_CHECK_H
#define PASIDFUZZ_REG_CHECK_H

#include <stdbool.h>
#include <stdint.h>

/* Reads size (4 or 8) bytes of the register file at off. */
typedef uint64_t (*pf_reg_read_fn)(void *opaque, uint64_t off, unsigned size);

/* The registers a write covers (at most two), as they were before it. */
struct pf_reg_snap {
    uint64_t off;
    unsigned size;
    unsigned n;
    uint8_t idx[2];
    uint64_t before[2];
    uint64_t after[2];      /* what pf_reg_check read */
};

/* Before the write of size bytes at off. */
void pf_reg_snap(struct pf_reg_snap *s, uint64_t off, unsigned size, pf_reg_read_fn rd,
                 void *opaque);
/* After it, with the value written: reg-write on a broken rule. */
void pf_reg_check(struct pf_reg_snap *s, uint64_t val, pf_reg_read_fn rd, void *opaque);
/* After pf_reg_check: the value it read of the size bytes at off, if it
 * read a register there (a later check need not read it again). */
bool pf_reg_snap_after(const struct pf_reg_snap *s, uint64_t off, unsigned size, uint64_t *out);

#endif

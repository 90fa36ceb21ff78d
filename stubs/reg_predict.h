/*
 * The reg-value invariant: the checker's own shadow of every register the
 * specification determines, advanced on each guest MMIO write and on the
 * queue's outcome (iq_check.h), and compared with the model's registers
 * at every guest read, after every write (the registers it can change),
 * after reset and at the end of an input. Where the specification leaves a
 * value open, any of the values it allows is accepted, and the one the
 * model shows is taken from then on (model/BEHAVIOUR.md names each case).
 */
#ifndef PASIDFUZZ_REG_PREDICT_H
#define PASIDFUZZ_REG_PREDICT_H

#include <stdbool.h>
#include <stdint.h>

#include "iq_check.h"
#include "reg_check.h"
#include "reg_table.h"

/* The hardware the registers describe. */
struct pf_reg_config {
    unsigned pasid_bits;    /* 1..20: ECAP.PSS + 1 */
    unsigned haw;           /* host address width: CAP.MGAW + 1 */
    bool fs_5level;         /* CAP.FS5LP */
};

struct pf_regpred {
    struct pf_reg_config cfg;
    uint64_t v[PF_RI_COUNT];        /* the prediction */
    uint64_t alt[PF_RI_COUNT];      /* the other value allowed, where has_alt says */
    uint64_t open[PF_RI_COUNT];     /* bits any value of which is allowed now */
    uint32_t has_alt;               /* PF_RB of the registers with an alternative */
    uint64_t hi_open;               /* bits 63:HAW of RTADDR and IQA */
    uint8_t caig_ok;                /* CCMD.CAIG values allowed now, one bit per value */
};

/* The power-on values of hardware cfg. */
void pf_regpred_reset(struct pf_regpred *p, const struct pf_reg_config *cfg);

/* The guest wrote size bytes of val at off; batch: what the queue did when
 * the write covered IQT's low half (NULL otherwise). The registers the write
 * may have changed are then compared with rd's. */
void pf_regpred_write(struct pf_regpred *p, uint64_t off, uint64_t val, unsigned size,
                      const struct iq_outcome *batch, pf_reg_read_fn rd, void *opaque);

/* The guest read got from size bytes at off. */
void pf_regpred_read(struct pf_regpred *p, uint64_t off, unsigned size, uint64_t got);

/* Every register, against rd's; when names the moment in a violation. */
void pf_regpred_check_all(struct pf_regpred *p, const char *when, pf_reg_read_fn rd,
                          void *opaque);

/* CAP and ECAP of hardware cfg, field by field (tests compare them). */
uint64_t pf_regpred_cap(const struct pf_reg_config *cfg);
uint64_t pf_regpred_ecap(const struct pf_reg_config *cfg);

#endif

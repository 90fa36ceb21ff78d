/*
 * The in-tree seed generator for fuzz_pasid_cache: each scenario is a short
 * guest program written with the input format's writer twins, so a seed is
 * exactly what the reader will see. Together they cover every op, every
 * descriptor type and every granularity.
 *
 * usage: pf_gen_seeds OUTDIR   (writes OUTDIR/<scenario>.bin)
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"

struct seed {
    struct pf_writer w;
};

/* Header: raw values as the reader takes them (see ops.c for meaning). */
static void seed_header(struct seed *s, unsigned pasid_bits_raw, unsigned ndev_raw,
                        unsigned flags)
{
    struct pf_header h;
    memset(&h, 0, sizeof h);
    h.f[PF_HF_VERSION] = PF_FORMAT_VERSION;
    h.f[PF_HF_PASID_BITS] = pasid_bits_raw;
    h.f[PF_HF_NDEV] = ndev_raw;
    h.f[PF_HF_FLAGS] = flags;
    /* PASIDs 1, 2, 3 ... and two far ones that need other directory slots. */
    h.f[PF_HF_PASID0 + 5] = 1000;
    h.f[PF_HF_PASID0 + 6] = 0x7fff0;
    h.f[PF_HF_PASID0 + 7] = 0xffff0;
    pf_header_write(&s->w, &h);
}

/* One op; the field values follow in spec order. */
static void seed_op(struct seed *s, enum pf_opcode kind, ...)
{
    struct pf_op op;
    memset(&op, 0, sizeof op);
    op.code = (uint8_t)kind;
    const struct pf_op_spec *spec = pf_op_spec(kind);
    va_list ap;
    va_start(ap, kind);
    for (unsigned i = 0; i < spec->nfields; i++)
        op.f[i] = va_arg(ap, uint64_t);
    va_end(ap);
    pf_op_write(&s->w, &op);
}

#define U(x) ((uint64_t)(x))
/* Field shorthands. PASID entry flags: P=1 FPD=2 SRE=4 WPE=8 EAFE=16. */
#define PE(dev, pasid, flags, pgtt, did, fspm, fspt) \
    seed_op(s, PF_OP_PASID_ENTRY, U(dev), U(pasid), U(flags), U(pgtt), U(did), U(0), U(fspm), U(fspt))
#define PC(g, did, pasid) seed_op(s, PF_OP_Q_PASID_CACHE, U(g), U(did), U(pasid))
#define SYNC() seed_op(s, PF_OP_SYNC)
#define RING() seed_op(s, PF_OP_RING)
#define FS 1
#define PT 4

typedef void (*scenario_fn)(struct seed *s);

static void bind_first_stage(struct seed *s)
{
    seed_header(s, 0, 0, 0);
    PE(0, 1, 1 | 4 | 8 | 16, FS, 0, 0, 1);
    PC(1, 0, 1);
    SYNC();
}

static void bind_pass_through(struct seed *s)
{
    seed_header(s, 0, 0, 0);
    PE(0, 2, 1, PT, 1, 0, 0);
    PC(1, 1, 2);
    SYNC();
}

static void pasid_selective_delete(struct seed *s)
{
    seed_header(s, 0, 1, 0);
    PE(0, 1, 1, FS, 0, 0, 0);
    PE(1, 1, 1, FS, 0, 0, 1);
    PC(3, 0, 0);
    SYNC();
    seed_op(s, PF_OP_PASID_CLEAR, U(0), U(1));
    PE(1, 2, 1, FS, 0, 0, 2);
    PC(1, 0, 1);
    PC(1, 0, 2);
    SYNC();
}

static void domain_selective(struct seed *s)
{
    seed_header(s, 0, 1, 0);
    PE(0, 1, 1, FS, 0, 0, 0);
    PE(0, 2, 1, FS, 1, 0, 1);
    PE(1, 3, 1, PT, 0, 0, 0);
    PC(0, 0, 0);
    SYNC();
    PE(0, 1, 1, FS, 0, 0, 3);
    seed_op(s, PF_OP_PASID_CLEAR, U(1), U(3));
    PC(0, 0, 0);
    SYNC();
}

static void global_sync(struct seed *s)
{
    seed_header(s, 0, 3, 0);
    for (unsigned d = 0; d < 4; d++)
        PE(d, d, 1, d & 1 ? PT : FS, d, 0, d);
    PE(0, 6, 1, FS, 0, 0, 0);
    PC(3, 0, 0);
    SYNC();
}

static void did_change(struct seed *s)
{
    seed_header(s, 0, 0, 0);
    PE(0, 1, 1, FS, 0, 0, 0);
    PC(1, 0, 1);
    SYNC();
    PE(0, 1, 1, FS, 1, 0, 2);
    PC(1, 0, 1);
    SYNC();
    PC(0, 1, 0);
    SYNC();
}

static void replace_entry(struct seed *s)
{
    seed_header(s, 0, 0, 0);
    PE(0, 4, 1, FS, 0, 0, 0);
    PC(1, 0, 4);
    SYNC();
    PE(0, 4, 1 | 4, PT, 0, 0, 0);
    PC(1, 0, 4);
    SYNC();
    PE(0, 4, 1 | 8, FS, 0, 0, 3);
    PC(0, 0, 0);
    SYNC();
}

static void invalid_granularity(struct seed *s)
{
    seed_header(s, 0, 0, 0);
    PE(0, 1, 1, FS, 0, 0, 0);
    PC(2, 0, 1);
    SYNC();
    seed_op(s, PF_OP_MMIO, U(9), U(0), U(0x10)); /* FSTS: clear IQE */
    seed_op(s, PF_OP_Q_PASID_IOTLB, U(1), U(0), U(1), U(0), U(0), U(0));
    SYNC();
}

static void context_cache_all(struct seed *s)
{
    seed_header(s, 0, 1, 0);
    PE(0, 1, 1, FS, 0, 0, 0);
    PE(1, 2, 1, PT, 1, 0, 0);
    for (unsigned g = 0; g < 4; g++) {
        seed_op(s, PF_OP_Q_CONTEXT_CACHE, U(g), U(0), U(g & 1), U(g));
        SYNC();
        seed_op(s, PF_OP_MMIO, U(9), U(0), U(0x10));
    }
}

static void piotlb_all(struct seed *s)
{
    seed_header(s, 0, 0, 0);
    PE(0, 1, 1, FS, 0, 0, 0);
    PE(0, 2, 1, PT, 0, 0, 0);
    PC(3, 0, 0);
    for (unsigned g = 0; g < 4; g++) {
        seed_op(s, PF_OP_Q_PASID_IOTLB, U(g), U(0), U(1), U(0x1234), U(g * 9), U(g & 1));
        seed_op(s, PF_OP_Q_PASID_IOTLB, U(g), U(0), U(2), U(0x10), U(0), U(0));
        SYNC();
        seed_op(s, PF_OP_MMIO, U(9), U(0), U(0x10));
    }
    seed_op(s, PF_OP_Q_PASID_IOTLB, U(3), U(0), U(1), U(0), U(19), U(0));
    SYNC();
}

static void iotlb_all(struct seed *s)
{
    seed_header(s, 0, 0, 0);
    for (unsigned g = 0; g < 4; g++) {
        seed_op(s, PF_OP_Q_IOTLB, U(g), U(1), U(0x42), U(g * 3), U(g & 1), U(g));
        SYNC();
        seed_op(s, PF_OP_MMIO, U(9), U(0), U(0x10));
    }
}

static void wait_variants(struct seed *s)
{
    seed_header(s, 0, 0, 0);
    for (unsigned f = 0; f < 16; f++) {
        seed_op(s, PF_OP_Q_WAIT, U(f), U(0x1000 + f));
        RING();
        seed_op(s, PF_OP_MMIO, U(9), U(0), U(0x10));
        seed_op(s, PF_OP_MMIO, U(16), U(0), U(1)); /* ICS: clear IWC */
    }
}

static void other_descriptors(struct seed *s)
{
    seed_header(s, 0, 0, 0);
    for (unsigned k = 0; k < 4; k++) {
        seed_op(s, PF_OP_Q_OTHER, U(k), U(0x0000123400050000ull), U(0x5000), U(0));
        SYNC();
        seed_op(s, PF_OP_Q_OTHER, U(k), U(~0ull), U(~0ull), U(1));
        SYNC();
        seed_op(s, PF_OP_MMIO, U(9), U(0), U(0x10));
    }
}

static void raw_descriptors(struct seed *s)
{
    seed_header(s, 0, 0, 0);
    seed_op(s, PF_OP_Q_RAW, U(0x17), U(0), U(0), U(0));          /* PASID-cache global */
    seed_op(s, PF_OP_Q_RAW, U(0x0a), U(0), U(0), U(0));          /* type 10: unknown */
    SYNC();
    seed_op(s, PF_OP_MMIO, U(9), U(0), U(0x10));
    seed_op(s, PF_OP_Q_RAW, U(0x17 | 1 << 6), U(0), U(0), U(0)); /* reserved bit */
    SYNC();
}

static void queue_128(struct seed *s)
{
    seed_header(s, 0, 0, PF_HDR_QUEUE_128);
    seed_op(s, PF_OP_Q_CONTEXT_CACHE, U(1), U(0), U(0), U(0));
    SYNC();
    PC(3, 0, 0);
    SYNC();
}

static void queue_wrap(struct seed *s)
{
    seed_header(s, 0, 0, 0);
    PE(0, 1, 1, FS, 0, 0, 0);
    for (unsigned i = 0; i < 70; i++) {
        PC(i % 4 == 2 ? 3 : i % 4, 0, 1);
        if (i % 8 == 7)
            SYNC();
    }
    SYNC();
}

static void srtp_and_te(struct seed *s)
{
    seed_header(s, 0, 1, 0);
    PE(0, 0, 1, FS, 0, 0, 0);
    PE(1, 1, 1, PT, 0, 0, 0);
    seed_op(s, PF_OP_GCMD, U(2));
    SYNC();
    seed_op(s, PF_OP_GCMD, U(1));
    SYNC();
    seed_op(s, PF_OP_GCMD, U(0));
    seed_op(s, PF_OP_GCMD, U(5));
    seed_op(s, PF_OP_GCMD, U(6));
    seed_op(s, PF_OP_GCMD, U(4));
    seed_op(s, PF_OP_GCMD, U(3));
    SYNC();
}

static void pasid0_blocked(struct seed *s)
{
    seed_header(s, 0, 0, 0);
    PE(0, 1, 1, FS, 0, 0, 0);
    PE(0, 0, 1, 7, 0, 0, 0); /* an invalid PASID 0 entry must not hurt PASID 1 */
    PC(3, 0, 0);
    SYNC();
}

static void reset_and_replug(struct seed *s)
{
    seed_header(s, 0, 1, 0);
    PE(0, 1, 1, FS, 0, 0, 0);
    PE(1, 1, 1, FS, 0, 0, 1);
    PC(3, 0, 0);
    SYNC();
    seed_op(s, PF_OP_UNPLUG, U(1));
    seed_op(s, PF_OP_RESET);
    seed_op(s, PF_OP_PLUG, U(1));
    seed_op(s, PF_OP_GCMD, U(6));
    seed_op(s, PF_OP_MMIO, U(14), U(1), U(0x10800));
    seed_op(s, PF_OP_GCMD, U(3));
    seed_op(s, PF_OP_GCMD, U(0));
    PC(3, 0, 0);
    SYNC();
}

static void fault_injection(struct seed *s)
{
    seed_header(s, 0, 0, 0);
    for (unsigned c = 0; c < 4; c++) {
        PE(0, c, 1, c & 1 ? PT : FS, 0, 0, c);
        seed_op(s, PF_OP_FAIL, U(c), U(0));
        PC(1, 0, c);
        SYNC();
        PE(0, c, 1, FS, 0, 0, (c + 1) % 4);
        PC(1, 0, c);
        SYNC();
        seed_op(s, PF_OP_PASID_CLEAR, U(0), U(c));
        seed_op(s, PF_OP_FAIL, U(2), U(0));
        PC(1, 0, c);
        SYNC();
    }
    seed_op(s, PF_OP_FAIL, U(2), U(0));
    seed_op(s, PF_OP_UNPLUG, U(0));
    PC(3, 0, 0);
    SYNC();
}

static void tables_and_memory(struct seed *s)
{
    seed_header(s, 0, 0, PF_HDR_FS_5LEVEL);
    PE(0, 5, 1, FS, 0, 1, 0);
    PE(0, 6, 1, FS, 0, 0, 1);
    PE(0, 7, 1, PT, 0, 0, 0);
    PC(3, 0, 0);
    SYNC();
    seed_op(s, PF_OP_DIR_ENTRY, U(0), U(6), U(0));
    seed_op(s, PF_OP_CTX_ENTRY, U(0), U(1), U(2));
    PC(3, 0, 0);
    SYNC();
    seed_op(s, PF_OP_DIR_ENTRY, U(0), U(6), U(1 | 4));
    seed_op(s, PF_OP_CTX_ENTRY, U(0), U(1 | 2 | 32), U(7));
    PC(3, 0, 0);
    SYNC();
    for (unsigned r = 0; r < 6; r++)
        seed_op(s, PF_OP_MEM_WRITE, U(r), U(0), U(5), U(r * 3), U(0x1ull << r));
    PC(3, 0, 0);
    SYNC();
}

static void small_pasid_space(struct seed *s)
{
    seed_header(s, 16, 1, 0); /* 4 PASID bits */
    PE(0, 6, 1, FS, 0, 0, 0);
    PE(1, 2, 1, FS, 0, 0, 0);
    PC(1, 0, 6);
    PC(3, 0, 0);
    SYNC();
}

static void register_writes(struct seed *s)
{
    seed_header(s, 0, 0, 0);
    for (unsigned r = 0; r < 24; r++) {
        seed_op(s, PF_OP_MMIO, U(r), U(r & 1), U(0xffffffffull << (r % 5)));
        SYNC();
    }
}

static const struct {
    const char *name;
    scenario_fn fn;
} scenarios[] = {
    {"bind_first_stage", bind_first_stage},
    {"bind_pass_through", bind_pass_through},
    {"pasid_selective_delete", pasid_selective_delete},
    {"domain_selective", domain_selective},
    {"global_sync", global_sync},
    {"did_change", did_change},
    {"replace_entry", replace_entry},
    {"invalid_granularity", invalid_granularity},
    {"context_cache_all", context_cache_all},
    {"piotlb_all", piotlb_all},
    {"iotlb_all", iotlb_all},
    {"wait_variants", wait_variants},
    {"other_descriptors", other_descriptors},
    {"raw_descriptors", raw_descriptors},
    {"queue_128", queue_128},
    {"queue_wrap", queue_wrap},
    {"srtp_and_te", srtp_and_te},
    {"pasid0_blocked", pasid0_blocked},
    {"reset_and_replug", reset_and_replug},
    {"fault_injection", fault_injection},
    {"tables_and_memory", tables_and_memory},
    {"small_pasid_space", small_pasid_space},
    {"register_writes", register_writes},
};

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUTDIR\n", argv[0]);
        return 2;
    }
    for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++) {
        struct seed s;
        pf_writer_init(&s.w);
        scenarios[i].fn(&s);
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.bin", argv[1], scenarios[i].name);
        FILE *f = s.w.ok ? fopen(path, "wb") : NULL;
        if (!f || fwrite(s.w.data, 1, s.w.size, f) != s.w.size || fclose(f) != 0) {
            fprintf(stderr, "pf_gen_seeds: cannot write %s: %s\n", path,
                    s.w.ok ? strerror(errno) : "out of memory");
            pf_writer_free(&s.w);
            return 1;
        }
        pf_writer_free(&s.w);
    }
    printf("pf_gen_seeds: wrote %zu seeds to %s\n", sizeof scenarios / sizeof scenarios[0], argv[1]);
    return 0;
}

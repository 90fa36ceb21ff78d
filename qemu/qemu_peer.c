/*
 * The QEMU peer (qemu_peer.h). Guest-memory writes are queued to QEMU as
 * they happen (qtest keeps their order, so they land before the MMIO write
 * that follows them); an MMIO write waits for its reply, then the compare.
 * Every page QEMU saw written is zeroed again at the next input, so each
 * input starts from zeroed RAM, as the model's guest memory does.
 */
#include "qemu_peer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu_diff_rules.h"
#include "vtd_spec.h"

#define QP_PAGE 4096u
#define QP_PAGES (1u << (QV_RAM_WIDTH - 12))
#define QP_MAX_DMA 64
/* A child whose transcript grows past this is replaced at the next input,
 * so a reproducer's input.qtest stays a size anyone can replay. */
#define QP_TRANSCRIPT_MAX (16u << 20)

struct qp_dma {
    uint64_t gpa;
    unsigned len;
    uint8_t bytes[32];
};

struct qp {
    struct qv *v;
    struct pf_world *w;
    bool compare;
    uint64_t step;              /* MMIO accesses of this input */
    uint8_t touched_map[QP_PAGES / 8];
    uint32_t *touched;          /* pages written since the last zeroing */
    size_t ntouched;
    struct qp_dma dma[QP_MAX_DMA];
    unsigned ndma;
    bool dma_lost;              /* more DMA writes than dma[] holds */
    struct qd_ctx ctx;
    bool idle;                  /* this input stopped reaching QEMU */
    struct qp_stats st;
};

struct qp *qp_new(struct qv *v, struct pf_world *w, bool compare)
{
    struct qp *p = calloc(1, sizeof *p);
    if (p)
        p->touched = calloc(QP_PAGES, sizeof *p->touched);
    if (p && !p->touched) {
        free(p);
        return NULL;
    }
    if (p) {
        p->v = v;
        p->w = w;
        p->compare = compare;
    }
    return p;
}

void qp_free(struct qp *p)
{
    if (p)
        free(p->touched);
    free(p);
}

void qp_stats(const struct qp *p, struct qp_stats *out)
{
    *out = p->st;
}

static void qp_check(struct qp *p, enum qt_status st, const char *during)
{
    if (st != QT_OK)
        qv_qt_failure(p->v, st, during);
}

static void qp_touch(struct qp *p, uint64_t gpa, size_t len)
{
    for (uint64_t pg = gpa / QP_PAGE; pg <= (gpa + len - 1) / QP_PAGE && pg < QP_PAGES; pg++) {
        if (p->touched_map[pg / 8] & (1u << (pg % 8)))
            continue;
        p->touched_map[pg / 8] |= (uint8_t)(1u << (pg % 8));
        p->touched[p->ntouched++] = (uint32_t)pg;
    }
}

static void qp_forget_touched(struct qp *p)
{
    memset(p->touched_map, 0, sizeof p->touched_map);
    p->ntouched = 0;
}

/* QEMU's stderr: any new line is QEMU reporting something the input did. */
static void qp_stderr(struct qp *p, const char *during)
{
    char lines[4096];
    if (qt_stderr_new(p->v->qt, lines, sizeof lines) == 0)
        return;
    for (char *line = lines, *next; *line; line = next) {
        next = line + strcspn(line, "\n");
        if (*next)
            *next++ = '\0';
        if (qd_guest_error_report(line)) {
            p->st.guest_errors++;
            continue;
        }
        qv_finding(p->v, "error", "%s (after %s, step %llu)", line, during,
                   (unsigned long long)p->step);
    }
}

/* ---- the ops ---- */

static void qp_begin(void *opaque)
{
    struct qp *p = opaque;
    size_t len;
    qt_transcript(p->v->qt, &len);
    if (!qt_running(p->v->qt) || len > QP_TRANSCRIPT_MAX) {
        if (qv_restart(p->v) != 0)
            exit(2);
        qp_forget_touched(p);
    }
    qp_check(p, qt_cmd(p->v->qt, NULL, "outb 0x%x 0x%x", QV_RESET_PORT, QV_RESET_VALUE), "reset");
    for (size_t i = 0; i < p->ntouched; i++)
        qp_check(p, qt_send(p->v->qt, "memset 0x%llx 0x%x 0", (unsigned long long)p->touched[i] * QP_PAGE,
                            QP_PAGE), "zeroing RAM");
    qp_forget_touched(p);
    qp_check(p, qt_sync(p->v->qt), "zeroing RAM");
    p->step = 0;
    p->ndma = 0;
    p->dma_lost = false;
    p->ctx.iqa_latched = 0;
    p->idle = false;
    p->st.inputs++;
}

static void qp_mem_write(void *opaque, uint64_t gpa, const void *buf, size_t len)
{
    struct qp *p = opaque;
    if (len == 0 || p->idle)
        return;
    qp_touch(p, gpa, len);
    p->st.mem_writes++;
    qp_check(p, qt_mem_write(p->v->qt, gpa, buf, len), "a guest-memory write");
}

static void qp_diverge(struct qp *p, const char *what, uint64_t model, uint64_t qemu)
{
    size_t lines = qt_commands(p->v->qt);
    qv_finding(p->v, "divergence", "%s model=0x%llx qemu=0x%llx step %llu (input.qtest line %zu)",
               what, (unsigned long long)model, (unsigned long long)qemu,
               (unsigned long long)p->step, lines);
}

static void qp_compare_reg(struct qp *p, uint64_t off, unsigned size, uint64_t model, uint64_t qemu)
{
    char what[48];
    p->st.compares++;
    if (model == qemu)
        return;
    if (qd_explained(&p->ctx, off, size, model, qemu)) {
        p->st.masked++;
        return;
    }
    const char *name = qd_reg_name(off);
    if (name && size == 8)
        snprintf(what, sizeof what, "%s", name);
    else if (name)
        snprintf(what, sizeof what, "%s (%u bytes)", name, size);
    else
        snprintf(what, sizeof what, "reg 0x%03llx (%u bytes)", (unsigned long long)off, size);
    qp_diverge(p, what, model, qemu);
}

/* Accesses the register window can take at all; the model ignores the
 * others, and past the window QEMU has other devices. */
static bool qp_mirrored(uint64_t off, unsigned size)
{
    return (size == 1 || size == 2 || size == 4 || size == 8) && off < QV_MMIO_SIZE &&
           QV_MMIO_SIZE - off >= size;
}

static uint64_t qp_qemu_reg(struct qp *p, uint64_t off, unsigned size)
{
    uint64_t v = 0;
    qp_check(p, qt_readx(p->v->qt, QV_MMIO_BASE + off, size, &v), "a register read");
    return v;
}

static void qp_mmio_read(void *opaque, uint64_t off, unsigned size, uint64_t model_val)
{
    struct qp *p = opaque;
    if (p->idle || !qp_mirrored(off, size))
        return;
    p->step++;
    p->st.mmio++;
    uint64_t q = qp_qemu_reg(p, off, size);
    if (p->compare)
        qp_compare_reg(p, off, size, model_val, q);
}

/* The registers every MMIO write is judged by. */
static const struct {
    uint16_t off;
    uint8_t size;
} qp_after_write[] = {
    {VTD_REG_IQH, 8}, {VTD_REG_IQT, 8}, {VTD_REG_FSTS, 4},
    {VTD_REG_ICS, 4}, {VTD_REG_IECTL, 4}, {VTD_REG_GSTS, 4},
};

static void qp_compare_dma(struct qp *p)
{
    for (unsigned i = 0; i < p->ndma; i++) {
        const struct qp_dma *d = &p->dma[i];
        uint8_t q[32];
        char what[64];
        qp_check(p, qt_mem_read(p->v->qt, d->gpa, q, d->len), "reading back a DMA write");
        p->st.compares++;
        if (memcmp(q, d->bytes, d->len) == 0)
            continue;
        uint64_t mv = 0, qv = 0;
        for (unsigned b = d->len < 8 ? d->len : 8; b-- > 0;) {
            mv = mv << 8 | d->bytes[b];
            qv = qv << 8 | q[b];
        }
        snprintf(what, sizeof what, "DMA write at 0x%llx (%u bytes)", (unsigned long long)d->gpa,
                 d->len);
        qp_diverge(p, what, mv, qv);
    }
    p->ndma = 0;
}

static bool qp_covers(uint64_t off, unsigned size, uint64_t reg)
{
    return off <= reg && reg < off + size;
}

/* IQA as QEMU latches it: when QI goes from off to on. */
static void qp_note_qie(struct qp *p, uint64_t off, unsigned size, uint64_t val, uint32_t gsts)
{
    if (!qp_covers(off, size, VTD_REG_GCMD) || (gsts & VTD_GSTS_QIES))
        return;
    uint32_t cmd = (uint32_t)(val >> (8 * (VTD_REG_GCMD - off)));
    if (cmd & VTD_GCMD_QIE)
        p->ctx.iqa_latched = pf_world_model_reg(p->w, VTD_REG_IQA, 8);
}

/*
 * QEMU 7.2 aborts on a wait descriptor with both IF and SW set
 * (model/BEHAVIOUR.md, "Where QEMU 7.2 differs"). In differential mode an
 * input that is about to make QEMU process one stops reaching QEMU there,
 * so the rest of the corpus can still be compared; target mode lets QEMU
 * take it and reports the crash.
 */
static bool qp_known_crash_ahead(struct qp *p, uint64_t off, unsigned size)
{
    if (!p->compare || !qp_covers(off, size, VTD_REG_IQT) || !p->ctx.iqa_latched)
        return false;
    uint64_t head = pf_world_model_reg(p->w, VTD_REG_IQH, 8) & VTD_IQ_OFFSET_MASK;
    uint64_t tail = pf_world_model_reg(p->w, VTD_REG_IQT, 8) & VTD_IQ_OFFSET_MASK;
    uint64_t base = p->ctx.iqa_latched & VTD_IQA_BASE_MASK;
    uint64_t qsize = (uint64_t)VTD_PAGE_SIZE << (p->ctx.iqa_latched & VTD_IQA_QS_MASK);
    unsigned dsize = (p->ctx.iqa_latched & VTD_IQA_DW) ? 32 : 16;
    for (uint64_t n = 0; head != tail && tail < qsize && n < qsize / dsize; n++) {
        uint8_t raw[8];
        if (pf_world_mem_read(p->w, base + head, raw, sizeof raw) != 0)
            return false;
        uint64_t q0 = 0;
        for (unsigned b = 8; b-- > 0;)
            q0 = q0 << 8 | raw[b];
        if (VTD_DESC_TYPE(q0) == VTD_DESC_WAIT && (q0 & VTD_WAIT_IF) && (q0 & VTD_WAIT_SW))
            return true;
        head = (head + dsize) % qsize;
    }
    return false;
}

static void qp_mmio_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
    struct qp *p = opaque;
    char during[96];
    if (p->idle || !qp_mirrored(off, size))
        return;
    if (qp_known_crash_ahead(p, off, size)) {
        p->idle = true;
        p->st.cut_short++;
        p->ndma = 0;
        return;
    }
    p->step++;
    p->st.mmio++;
    snprintf(during, sizeof during, "write%u 0x%03llx 0x%llx", size, (unsigned long long)off,
             (unsigned long long)val);
    uint32_t qemu_gsts = (uint32_t)qp_qemu_reg(p, VTD_REG_GSTS, 4);
    qp_check(p, qt_writex(p->v->qt, QV_MMIO_BASE + off, size, val), during);
    qp_note_qie(p, off, size, val, qemu_gsts);
    qp_stderr(p, during);
    if (!p->compare) {
        p->ndma = 0;
        return;
    }
    for (size_t i = 0; i < sizeof qp_after_write / sizeof qp_after_write[0]; i++) {
        unsigned r = qp_after_write[i].off, sz = qp_after_write[i].size;
        qp_compare_reg(p, r, sz, pf_world_model_reg(p->w, r, sz), qp_qemu_reg(p, r, sz));
    }
    if (p->dma_lost)
        fprintf(stderr, "pf_qemu: more than %d DMA writes in one MMIO write: the rest unchecked\n",
                QP_MAX_DMA);
    p->dma_lost = false;
    qp_compare_dma(p);
}

static void qp_dma_write(void *opaque, uint64_t gpa, const void *buf, size_t len)
{
    struct qp *p = opaque;
    if (p->idle)
        return;
    qp_touch(p, gpa, len);
    if (p->ndma == QP_MAX_DMA || len > sizeof p->dma[0].bytes) {
        p->dma_lost = true;
        return;
    }
    struct qp_dma *d = &p->dma[p->ndma++];
    d->gpa = gpa;
    d->len = (unsigned)len;
    memcpy(d->bytes, buf, len);
}

static void qp_reset(void *opaque)
{
    struct qp *p = opaque;
    if (p->idle)
        return;
    p->step++;
    qp_check(p, qt_cmd(p->v->qt, NULL, "outb 0x%x 0x%x", QV_RESET_PORT, QV_RESET_VALUE), "reset");
    p->ctx.iqa_latched = 0;
    qp_stderr(p, "reset");
}

const struct pf_peer_ops *qp_ops(void)
{
    static const struct pf_peer_ops ops = {
        .begin = qp_begin,
        .mem_write = qp_mem_write,
        .mmio_write = qp_mmio_write,
        .mmio_read = qp_mmio_read,
        .dma_write = qp_dma_write,
        .reset = qp_reset,
    };
    return &ops;
}

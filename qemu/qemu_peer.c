/*
 * The QEMU peer (qemu_peer.h). Every command is pipelined (qtest.h): QEMU
 * answers in order, so guest-memory writes land before the MMIO write that
 * follows them, and a read's reply is what the read saw whenever it is
 * taken. Adjacent guest-memory writes go as one `write`. In differential
 * mode the input's register reads are queued with the model's value beside
 * them; an MMIO write is queued with the registers and DMA writes it is
 * judged by, and then every reply owed is taken and compared, in order:
 * one round trip per MMIO write. QEMU's GSTS before a write (for the stop
 * rules) is the one read after the last write. In target mode nothing is
 * waited for until the input ends. Every page QEMU saw written is zeroed
 * again at the next input, so each input starts from zeroed RAM, as the
 * model's guest memory does.
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
/* Replies compared at once, and the bytes of one coalesced memory write. */
#define QP_MAX_PENDING 128
#define QP_WRITE_MAX 4096
/* A child whose transcript grows past this is replaced at the next input,
 * so a reproducer's input.qtest stays a size anyone can replay. */
#define QP_TRANSCRIPT_MAX (16u << 20)

struct qp_dma {
    uint64_t gpa;
    unsigned len;
    uint8_t bytes[32];
};

/* A queued read whose reply is compared with the model's answer. */
struct qp_pending {
    bool dma;                   /* a DMA write read back, else a register */
    unsigned size;              /* register bytes */
    uint64_t off;               /* register offset */
    uint64_t model, qemu;       /* register values */
    struct qp_dma d;            /* the model's DMA write */
    uint8_t qbytes[32];         /* QEMU's bytes there */
    uint64_t iqa_latched;       /* the rules' context when the read was made */
    uint64_t step;
    size_t line;                /* of the read in the transcript */
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
    struct qp_pending pending[QP_MAX_PENDING];
    unsigned npending;
    int gsts_at;                /* pending[] index of the GSTS read after a write, or -1 */
    bool gsts_after_reset;      /* GSTS read after a reset, into qemu_gsts, owed */
    uint64_t qemu_gsts;         /* QEMU's GSTS as last read */
    bool gsts_known;            /* ... and no write since */
    uint32_t model_gsts;        /* the model's GSTS after the last mirrored step */
    uint64_t wgpa;              /* the memory write being coalesced */
    size_t wlen;
    uint8_t wbuf[QP_WRITE_MAX];
    struct qd_ctx ctx;
    bool idle;                  /* this input stopped reaching QEMU */
    uint64_t iq_head;           /* the model's IQH after the last mirrored write */
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
        p->ctx.cap = v->cap;
        p->ctx.ecap = v->ecap;
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

static void qp_cover(uint64_t *slots, uint64_t off, unsigned size)
{
    for (uint64_t s = off / 4; s <= (off + size - 1) / 4 && s < QP_REG_SLOTS; s++)
        slots[s / 64] |= 1ull << (s % 64);
}

static void qp_forget_touched(struct qp *p)
{
    memset(p->touched_map, 0, sizeof p->touched_map);
    p->ntouched = 0;
}

/* The entry of message text in the stats, a new one when there is room;
 * NULL when the table is full. */
static struct qp_message *qp_message_entry(struct qp *p, const char *text)
{
    for (unsigned i = 0; i < p->st.nmsg; i++)
        if (strcmp(p->st.msg[i].text, text) == 0)
            return &p->st.msg[i];
    if (p->st.nmsg == QP_MAX_MESSAGES)
        return NULL;
    struct qp_message *m = &p->st.msg[p->st.nmsg++];
    snprintf(m->text, sizeof m->text, "%s", text);
    m->child = 0;
    return m;
}

/*
 * QEMU's stderr (qemu/README.md, "QEMU's messages"): a message the same
 * QEMU process prints a second time is one a guest can print at will, so
 * flood the host's log with: a finding. A message printed once per process
 * (QEMU's error_report_once) is counted and listed, not a finding.
 */
static void qp_message(struct qp *p, const char *line, const char *during)
{
    char text[200];
    unsigned child = qt_starts(p->v->qt);
    qd_message(line, text, sizeof text);
    struct qp_message *m = qp_message_entry(p, text);
    if (!m) {
        p->st.msg_untracked++;
        return;
    }
    m->count++;
    if (m->child != child) {
        m->child = child;
        return;
    }
    qv_finding(p->v, "error", "%s (printed again by the same QEMU; again after %s, step %llu)",
               line, during, (unsigned long long)p->step);
}

static void qp_stderr(struct qp *p, const char *during)
{
    char lines[4096];
    if (qt_stderr_new(p->v->qt, lines, sizeof lines) == 0)
        return;
    for (char *line = lines, *next; *line; line = next) {
        next = line + strcspn(line, "\n");
        if (*next)
            *next++ = '\0';
        qp_message(p, line, during);
    }
}

/* ---- pipelining ---- */

/* The coalesced guest-memory write, sent. */
static void qp_flush_write(struct qp *p)
{
    if (p->wlen == 0)
        return;
    size_t len = p->wlen;
    p->wlen = 0;
    qp_check(p, qt_mem_write(p->v->qt, p->wgpa, p->wbuf, len), "a guest-memory write");
}

static void qp_diverge(struct qp *p, const struct qp_pending *r, const struct qv_wrong *w)
{
    qv_divergence(p->v, w, "%s model=0x%llx qemu=0x%llx step %llu (input.qtest line %zu)",
                  w->what, (unsigned long long)r->model, (unsigned long long)r->qemu,
                  (unsigned long long)r->step, r->line);
}

static void qp_compare_reg(struct qp *p, const struct qp_pending *r)
{
    struct qv_wrong w = {.line = r->line};
    struct qd_ctx ctx = p->ctx;
    ctx.iqa_latched = r->iqa_latched;
    p->st.compares++;
    if (r->model == r->qemu)
        return;
    if (qd_explained(&ctx, r->off, r->size, r->model, r->qemu)) {
        p->st.masked++;
        return;
    }
    const char *name = qd_reg_name(r->off);
    if (name && r->size == 8)
        snprintf(w.what, sizeof w.what, "%s", name);
    else if (name)
        snprintf(w.what, sizeof w.what, "%s (%u bytes)", name, r->size);
    else
        snprintf(w.what, sizeof w.what, "reg 0x%03llx (%u bytes)", (unsigned long long)r->off,
                 r->size);
    snprintf(w.spec, sizeof w.spec, "OK 0x%016llx", (unsigned long long)r->model);
    snprintf(w.qemu, sizeof w.qemu, "OK 0x%016llx", (unsigned long long)r->qemu);
    qp_diverge(p, r, &w);
}

static void qp_compare_dma(struct qp *p, struct qp_pending *r)
{
    const struct qp_dma *d = &r->d;
    struct qv_wrong w = {.line = r->line};
    char hex[2 * sizeof d->bytes + 3];
    p->st.compares++;
    if (memcmp(r->qbytes, d->bytes, d->len) == 0)
        return;
    r->model = r->qemu = 0;
    for (unsigned b = d->len < 8 ? d->len : 8; b-- > 0;) {
        r->model = r->model << 8 | d->bytes[b];
        r->qemu = r->qemu << 8 | r->qbytes[b];
    }
    snprintf(w.what, sizeof w.what, "DMA write at 0x%llx (%u bytes)", (unsigned long long)d->gpa,
             d->len);
    snprintf(w.spec, sizeof w.spec, "OK %s", qt_hex(d->bytes, d->len, hex));
    snprintf(w.qemu, sizeof w.qemu, "OK %s", qt_hex(r->qbytes, d->len, hex));
    qp_diverge(p, r, &w);
}

/*
 * Takes every reply owed and compares the queued reads in order (the first
 * divergence is the finding), then reads QEMU's new messages: those
 * belong to the commands just answered.
 */
static void qp_settle(struct qp *p, const char *during)
{
    qp_flush_write(p);
    qp_check(p, qt_sync(p->v->qt), during);
    unsigned n = p->npending;
    p->npending = 0;
    for (unsigned i = 0; i < n; i++) {
        if (p->pending[i].dma)
            qp_compare_dma(p, &p->pending[i]);
        else
            qp_compare_reg(p, &p->pending[i]);
    }
    if (p->gsts_at >= 0) {
        p->qemu_gsts = p->pending[p->gsts_at].qemu;
        p->gsts_known = true;
    }
    p->gsts_known |= p->gsts_after_reset;
    p->gsts_at = -1;
    p->gsts_after_reset = false;
    qp_stderr(p, during);
}

/* A slot for a queued read to compare; full slots are settled first. */
static struct qp_pending *qp_pending_slot(struct qp *p)
{
    if (p->npending == QP_MAX_PENDING)
        qp_settle(p, "a batch of reads");
    struct qp_pending *r = &p->pending[p->npending++];
    memset(r, 0, sizeof *r);
    r->step = p->step;
    r->iqa_latched = p->ctx.iqa_latched;
    return r;
}

/* Returns the read's index in pending[]. */
static unsigned qp_queue_reg(struct qp *p, uint64_t off, unsigned size, uint64_t model)
{
    struct qp_pending *r = qp_pending_slot(p);
    r->off = off;
    r->size = size;
    r->model = model;
    qp_check(p, qt_queue_readx(p->v->qt, QV_MMIO_BASE + off, size, &r->qemu), "a register read");
    r->line = qt_commands(p->v->qt);
    return (unsigned)(r - p->pending);
}

static void qp_queue_dma(struct qp *p, const struct qp_dma *d)
{
    struct qp_pending *r = qp_pending_slot(p);
    r->dma = true;
    r->d = *d;
    qp_check(p, qt_queue_mem_read(p->v->qt, d->gpa, r->qbytes, d->len), "reading back a DMA write");
    r->line = qt_commands(p->v->qt);
}

/* After a reset: QEMU's GSTS is read (with the next batch) before the next
 * write's stop rules need it; the model's is taken now. */
static void qp_after_reset(struct qp *p)
{
    p->ctx.iqa_latched = 0;
    p->iq_head = 0;
    p->model_gsts = (uint32_t)pf_world_model_reg(p->w, VTD_REG_GSTS, 4);
    p->gsts_known = !p->compare;
    p->gsts_at = -1;
    p->gsts_after_reset = p->compare;
    if (p->compare)
        qp_check(p, qt_queue_readx(p->v->qt, QV_MMIO_BASE + VTD_REG_GSTS, 4, &p->qemu_gsts),
                 "reading GSTS after a reset");
}

/* ---- the ops ---- */

/* Every page written since the last zeroing, zeroed again: adjacent pages
 * in one memset. */
static void qp_zero_touched(struct qp *p)
{
    for (size_t i = 0, j; i < p->ntouched; i = j) {
        for (j = i + 1; j < p->ntouched && p->touched[j] == p->touched[j - 1] + 1; j++)
            ;
        unsigned long long at = (unsigned long long)p->touched[i] * QP_PAGE;
        unsigned long long len = (unsigned long long)(j - i) * QP_PAGE;
        qp_check(p, qt_send(p->v->qt, "memset 0x%llx 0x%llx 0", at, len), "zeroing RAM");
    }
    qp_forget_touched(p);
}

static int qp_cmp_page(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static void qp_begin(void *opaque)
{
    struct qp *p = opaque;
    size_t len;
    qt_transcript(p->v->qt, &len);
    p->npending = 0;
    p->wlen = 0;
    if (!qt_running(p->v->qt) || len > QP_TRANSCRIPT_MAX) {
        if (qv_restart(p->v) != 0)
            exit(2);
        qp_forget_touched(p);
    }
    qp_check(p, qv_reset(p->v), "reset");
    qsort(p->touched, p->ntouched, sizeof *p->touched, qp_cmp_page);
    qp_zero_touched(p);
    p->step = 0;
    p->ndma = 0;
    p->dma_lost = false;
    p->idle = false;
    qp_after_reset(p);
    p->st.inputs++;
}

static void qp_mem_write(void *opaque, uint64_t gpa, const void *buf, size_t len)
{
    struct qp *p = opaque;
    if (len == 0 || p->idle)
        return;
    qp_touch(p, gpa, len);
    p->st.mem_writes++;
    if (p->wlen && (gpa != p->wgpa + p->wlen || p->wlen + len > QP_WRITE_MAX))
        qp_flush_write(p);
    if (len > QP_WRITE_MAX) {
        qp_check(p, qt_mem_write(p->v->qt, gpa, buf, len), "a guest-memory write");
        return;
    }
    if (p->wlen == 0)
        p->wgpa = gpa;
    memcpy(p->wbuf + p->wlen, buf, len);
    p->wlen += len;
}

/* Accesses the register window can take at all; the model ignores the
 * others, and past the window QEMU has other devices. */
static bool qp_mirrored(uint64_t off, unsigned size)
{
    return (size == 1 || size == 2 || size == 4 || size == 8) && off < QV_MMIO_SIZE &&
           QV_MMIO_SIZE - off >= size;
}

/* An access whose effect the spec leaves open, in differential mode. */
static enum qd_stop qp_compare_access(const struct qp *p, uint64_t off, unsigned size)
{
    return p->compare ? qd_stop_access(off, size) : QD_STOP_NONE;
}

/* The input stops reaching QEMU here when stop names a rule. */
static bool qp_stopped(struct qp *p, enum qd_stop stop)
{
    if (stop == QD_STOP_NONE)
        return false;
    p->idle = true;
    p->st.cut_short++;
    p->st.stops[stop]++;
    p->ndma = 0;
    return true;
}

static void qp_mmio_read(void *opaque, uint64_t off, unsigned size, uint64_t model_val)
{
    struct qp *p = opaque;
    if (p->idle || !qp_mirrored(off, size) || qp_stopped(p, qp_compare_access(p, off, size)))
        return;
    p->step++;
    p->st.mmio++;
    qp_cover(p->st.reg_read, off, size);
    qp_flush_write(p);
    if (p->compare)
        qp_queue_reg(p, off, size, model_val);
    else
        qp_check(p, qt_queue_readx(p->v->qt, QV_MMIO_BASE + off, size, NULL), "a register read");
}

/* The registers every MMIO write is judged by. */
static const struct {
    uint16_t off;
    uint8_t size;
} qp_after_write[] = {
    {VTD_REG_IQH, 8}, {VTD_REG_IQT, 8}, {VTD_REG_FSTS, 4},
    {VTD_REG_ICS, 4}, {VTD_REG_IECTL, 4}, {VTD_REG_GSTS, 4},
};

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

/* The first two quadwords of each descriptor an IQT write submits to
 * QEMU's queue: from the head before the write to the model's new tail, in
 * the model's copy of guest memory (the same bytes QEMU holds), through the
 * queue QEMU latched when QI was enabled. Stops at the first descriptor
 * visit returns nonzero for, and returns that. */
static int qp_walk_submitted(struct qp *p, int (*visit)(struct qp *p, uint64_t q0, uint64_t q1))
{
    if (!p->ctx.iqa_latched)
        return 0;
    uint64_t head = p->iq_head;
    uint64_t tail = pf_world_model_reg(p->w, VTD_REG_IQT, 8) & VTD_IQ_OFFSET_MASK;
    uint64_t base = p->ctx.iqa_latched & VTD_IQA_BASE_MASK;
    uint64_t qsize = (uint64_t)VTD_PAGE_SIZE << (p->ctx.iqa_latched & VTD_IQA_QS_MASK);
    unsigned dsize = (p->ctx.iqa_latched & VTD_IQA_DW) ? 32 : 16;
    for (uint64_t n = 0; head != tail && head < qsize && tail < qsize && n < qsize / dsize; n++) {
        uint8_t raw[16];
        uint64_t q[2] = {0, 0};
        if (pf_world_mem_read(p->w, base + head, raw, sizeof raw) != 0)
            return 0;
        for (unsigned b = 16; b-- > 0;)
            q[b / 8] = q[b / 8] << 8 | raw[b];
        int r = visit(p, q[0], q[1]);
        if (r)
            return r;
        head = (head + dsize) % qsize;
    }
    return 0;
}

static int qp_count_desc(struct qp *p, uint64_t q0, uint64_t q1)
{
    (void)q1;
    p->st.desc[VTD_DESC_TYPE(q0) & 127]++;
    return 0;
}

static int qp_stop_desc(struct qp *p, uint64_t q0, uint64_t q1)
{
    return (int)qd_stop_descriptor(&p->ctx, q0, q1);
}

/* In differential mode, the step this write would make QEMU take if the
 * spec leaves its outcome open or QEMU 7.2 crashes on it (qd_stop). */
static enum qd_stop qp_stop_ahead(struct qp *p, uint64_t off, unsigned size, uint64_t val,
                                  uint32_t qemu_gsts)
{
    if (!p->compare)
        return QD_STOP_NONE;
    if (qp_covers(off, size, VTD_REG_GCMD)) {
        uint32_t cmd = (uint32_t)(val >> (8 * (VTD_REG_GCMD - off)));
        enum qd_stop s = qd_stop_gcmd(cmd, qemu_gsts, pf_world_model_reg(p->w, VTD_REG_IQT, 8));
        if (s != QD_STOP_NONE)
            return s;
    }
    if (!qp_covers(off, size, VTD_REG_IQT))
        return QD_STOP_NONE;
    return (enum qd_stop)qp_walk_submitted(p, qp_stop_desc);
}

/* GSTS before a write: QEMU's in differential mode (read after the last
 * write or reset), the model's otherwise. */
static uint32_t qp_gsts_before(struct qp *p)
{
    if (!p->compare)
        return p->model_gsts;
    if (!p->gsts_known)
        qp_settle(p, "reading GSTS");
    return (uint32_t)p->qemu_gsts;
}

/* The write's judges, queued: the registers, then each DMA write. */
static void qp_queue_judges(struct qp *p)
{
    for (size_t i = 0; i < sizeof qp_after_write / sizeof qp_after_write[0]; i++) {
        unsigned r = qp_after_write[i].off, sz = qp_after_write[i].size;
        unsigned at = qp_queue_reg(p, r, sz, pf_world_model_reg(p->w, r, sz));
        if (r == VTD_REG_GSTS)
            p->gsts_at = (int)at;
    }
    if (p->dma_lost)
        fprintf(stderr, "pf_qemu: more than %d DMA writes in one MMIO write: the rest unchecked\n",
                QP_MAX_DMA);
    p->dma_lost = false;
    for (unsigned i = 0; i < p->ndma; i++)
        qp_queue_dma(p, &p->dma[i]);
    p->ndma = 0;
}

/* The write reaches QEMU, then (in differential mode) its judges. */
static void qp_send_write(struct qp *p, uint64_t off, uint64_t val, unsigned size, uint32_t gsts)
{
    char during[96];
    snprintf(during, sizeof during, "write%u 0x%03llx 0x%llx", size, (unsigned long long)off,
             (unsigned long long)val);
    qp_flush_write(p);
    qp_check(p, qt_queue_writex(p->v->qt, QV_MMIO_BASE + off, size, val), during);
    qp_note_qie(p, off, size, val, gsts);
    p->iq_head = pf_world_model_reg(p->w, VTD_REG_IQH, 8) & VTD_IQ_OFFSET_MASK;
    p->model_gsts = (uint32_t)pf_world_model_reg(p->w, VTD_REG_GSTS, 4);
    if (!p->compare) {
        p->ndma = 0;
        return;
    }
    p->gsts_known = false;
    qp_queue_judges(p);
    qp_settle(p, during);
}

static void qp_mmio_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
    struct qp *p = opaque;
    if (p->idle || !qp_mirrored(off, size) || qp_stopped(p, qp_compare_access(p, off, size)))
        return;
    uint32_t gsts = qp_gsts_before(p);
    if (qp_stopped(p, qp_stop_ahead(p, off, size, val, gsts)))
        return;
    p->step++;
    p->st.mmio++;
    qp_cover(p->st.reg_written, off, size);
    if (qp_covers(off, size, VTD_REG_IQT))
        qp_walk_submitted(p, qp_count_desc);
    qp_send_write(p, off, val, size, gsts);
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
    qp_flush_write(p);
    qp_check(p, qv_reset(p->v), "reset");
    qp_after_reset(p);
    qp_stderr(p, "reset");
}

void qp_end(struct qp *p)
{
    if (qt_running(p->v->qt))
        qp_settle(p, "the end of the input");
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

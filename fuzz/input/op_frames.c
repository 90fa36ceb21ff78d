/*
 * Op framing and the whole-op trimmer. Plain code outside any hot path:
 * it decodes through ops.c.
 */
#include "op_frames.h"

#include <stdlib.h>
#include <string.h>

size_t pf_op_frames(enum pf_dialect d, const uint8_t *data, size_t size, bool *well_framed)
{
    size_t hdr = pf_header_size(), n = 0, pos = hdr;
    while (pos < size) {
        pos += pf_op_size(pf_dialect_kind(d, data[pos]));
        n++;
    }
    *well_framed = size >= hdr && pos == size;
    return n;
}

struct pf_trimmer {
    enum pf_dialect dialect;
    uint8_t *cur, *out;         /* the input as trimmed so far; the candidate */
    size_t size, cap;
    size_t *start, *len;        /* offset and length of each op of the input */
    size_t nops, ops_cap;
    size_t block, hi;           /* ops per step; the current block ends before op hi */
    int32_t steps, done;
};

struct pf_trimmer *pf_trimmer_new(enum pf_dialect d)
{
    struct pf_trimmer *t = d != PF_DIALECT_NONE ? calloc(1, sizeof *t) : NULL;
    if (t)
        t->dialect = d;
    return t;
}

void pf_trimmer_free(struct pf_trimmer *t)
{
    if (!t)
        return;
    free(t->cur);
    free(t->out);
    free(t->start);
    free(t->len);
    free(t);
}

static bool pf_trim_reserve(struct pf_trimmer *t, size_t size, size_t nops)
{
    if (size > t->cap) {
        uint8_t *cur = realloc(t->cur, size);
        if (!cur)
            return false;
        t->cur = cur;
        uint8_t *out = realloc(t->out, size);
        if (!out)
            return false;
        t->out = out;
        t->cap = size;
    }
    if (nops > t->ops_cap) {
        if (nops > SIZE_MAX / sizeof(size_t))
            return false;
        size_t *start = realloc(t->start, nops * sizeof *start);
        if (!start)
            return false;
        t->start = start;
        size_t *len = realloc(t->len, nops * sizeof *len);
        if (!len)
            return false;
        t->len = len;
        t->ops_cap = nops;
    }
    return true;
}

int32_t pf_trim_begin(struct pf_trimmer *t, const uint8_t *data, size_t size)
{
    size_t hdr = pf_header_size();
    t->steps = t->done = 0;
    t->nops = 0;
    t->size = 0;
    if (size <= hdr || !pf_trim_reserve(t, size, size - hdr))
        return 0;
    memcpy(t->cur, data, size);
    t->size = size;
    /* A cut-short last op stays as it is: a candidate may not grow. */
    for (size_t pos = hdr; pos < size; t->nops++) {
        size_t l = pf_op_size(pf_dialect_kind(t->dialect, data[pos]));
        l = l < size - pos ? l : size - pos;
        t->start[t->nops] = pos;
        t->len[t->nops] = l;
        pos += l;
    }
    t->block = (t->nops + PF_TRIM_STEPS - 1) / PF_TRIM_STEPS;
    t->steps = (int32_t)((t->nops + t->block - 1) / t->block);
    t->hi = t->nops;
    return t->steps;
}

/* Blocks go last to first, so the offsets of the ops before the current
 * block never change when a later block is removed. */
static void pf_trim_block(const struct pf_trimmer *t, size_t *cut, size_t *tail)
{
    size_t lo = t->hi > t->block ? t->hi - t->block : 0;
    *cut = t->start[lo];
    *tail = t->start[t->hi - 1] + t->len[t->hi - 1];
}

size_t pf_trim_candidate(struct pf_trimmer *t, uint8_t **out)
{
    if (t->done >= t->steps) {
        *out = t->cur;
        return t->size;
    }
    size_t cut, tail;
    pf_trim_block(t, &cut, &tail);
    memcpy(t->out, t->cur, cut);
    memcpy(t->out + cut, t->cur + tail, t->size - tail);
    *out = t->out;
    return t->size - (tail - cut);
}

int32_t pf_trim_result(struct pf_trimmer *t, bool same)
{
    if (t->done >= t->steps)
        return t->steps;
    size_t cut, tail;
    pf_trim_block(t, &cut, &tail);
    if (same) {
        memmove(t->cur + cut, t->cur + tail, t->size - tail);
        t->size -= tail - cut;
    }
    t->hi = t->hi > t->block ? t->hi - t->block : 0;
    return ++t->done;
}

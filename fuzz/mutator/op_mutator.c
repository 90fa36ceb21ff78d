/*
 * The op-level mutator. An input is loaded as its header plus a list of op
 * references into one byte arena (input bytes, the other input's bytes and
 * any op built on the way), edited as a list, and written back. Ops are
 * never decoded through ops.c on the hot path: their layout is tabled per
 * code byte once, because under libFuzzer every compare in code that runs
 * between inputs feeds its table of recent compares.
 */
#include "op_mutator.h"
#include "op_values.h"

#include <stdlib.h>
#include <string.h>

#define PF_OP_BYTES_MAX 64
#define PF_HDR_BYTES_MAX 256
#define PF_SPLICE_MAX 8     /* ops taken from another input at once */
#define PF_DELETE_MAX 4

struct pf_opref {
    size_t off;             /* into the arena */
    size_t len;
};

struct pf_oplist {
    struct pf_opref *v;
    size_t n, cap;
};

struct pf_layout {
    uint8_t nfields;
    uint8_t off[PF_OP_MAX_FIELDS];  /* from the code byte */
    uint8_t width[PF_OP_MAX_FIELDS];
};

struct pf_mutator {
    enum pf_dialect dialect;
    pf_byte_mutate_fn bytes;
    void *bytes_ctx;
    uint8_t kind_of[256];
    uint8_t size_of[256];
    struct pf_layout layout[PF_OP_COUNT];
    uint8_t hdr_off[PF_HEADER_FIELDS], hdr_width[PF_HEADER_FIELDS];
    size_t hdr_size;
    uint8_t hdr[PF_HDR_BYTES_MAX];
    uint64_t rng;
    uint8_t *arena;
    size_t arena_len, arena_cap;
    struct pf_oplist ops, other;
};

const char *pf_mutation_name(enum pf_mutation kind)
{
    static const char *const names[PF_MUT_COUNT] = {
        "insert", "delete", "duplicate", "swap", "splice", "field", "header", "kind",
    };
    return (unsigned)kind < PF_MUT_COUNT ? names[kind] : NULL;
}

/* ---- setup ---- */

static bool pf_layout_init(struct pf_mutator *m)
{
    for (unsigned k = 0; k < PF_OP_COUNT; k++) {
        const struct pf_op_spec *s = pf_op_spec((enum pf_opcode)k);
        if (!s || s->nfields > PF_OP_MAX_FIELDS || pf_op_size((enum pf_opcode)k) > PF_OP_BYTES_MAX)
            return false;
        unsigned off = 1;
        m->layout[k].nfields = s->nfields;
        for (unsigned i = 0; i < s->nfields; i++) {
            if (s->fields[i].bytes < 1 || s->fields[i].bytes > 8)
                return false;
            m->layout[k].off[i] = (uint8_t)off;
            m->layout[k].width[i] = s->fields[i].bytes;
            off += s->fields[i].bytes;
        }
    }
    for (unsigned c = 0; c < 256; c++) {
        unsigned k = (unsigned)pf_dialect_kind(m->dialect, (uint8_t)c);
        if (k >= PF_OP_COUNT)
            return false;
        m->kind_of[c] = (uint8_t)k;
        m->size_of[c] = (uint8_t)pf_op_size((enum pf_opcode)k);
    }
    const struct pf_field_spec *h = pf_header_fields();
    m->hdr_size = 0;
    for (unsigned i = 0; i < PF_HEADER_FIELDS; i++) {
        if (h[i].bytes < 1 || h[i].bytes > 8 || m->hdr_size + h[i].bytes > PF_HDR_BYTES_MAX)
            return false;
        m->hdr_off[i] = (uint8_t)m->hdr_size;
        m->hdr_width[i] = h[i].bytes;
        m->hdr_size += h[i].bytes;
    }
    return true;
}

struct pf_mutator *pf_mutator_new(enum pf_dialect d, pf_byte_mutate_fn bytes, void *bytes_ctx)
{
    if (d == PF_DIALECT_NONE)
        return NULL;
    struct pf_mutator *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->dialect = d;
    m->bytes = bytes;
    m->bytes_ctx = bytes_ctx;
    if (!pf_layout_init(m)) {
        free(m);
        return NULL;
    }
    return m;
}

void pf_mutator_free(struct pf_mutator *m)
{
    if (!m)
        return;
    free(m->arena);
    free(m->ops.v);
    free(m->other.v);
    free(m);
}

static uint64_t pf_rand(struct pf_mutator *m)
{
    return pf_rng_next(&m->rng);
}

static size_t pf_below(struct pf_mutator *m, size_t n)
{
    return pf_rng_below(&m->rng, n);
}

/* ---- the arena and op lists ---- */

/* Room for n more bytes; the offset of the first, or SIZE_MAX. */
static size_t pf_arena_take(struct pf_mutator *m, size_t n)
{
    if (n > SIZE_MAX / 4 - m->arena_len)
        return SIZE_MAX;
    if (m->arena_len + n > m->arena_cap) {
        size_t cap = m->arena_cap ? m->arena_cap : 4096;
        while (cap < m->arena_len + n)
            cap *= 2;
        uint8_t *p = realloc(m->arena, cap);
        if (!p)
            return SIZE_MAX;
        m->arena = p;
        m->arena_cap = cap;
    }
    size_t off = m->arena_len;
    m->arena_len += n;
    return off;
}

static bool pf_list_insert(struct pf_oplist *l, size_t pos, const struct pf_opref *refs, size_t n)
{
    if (n == 0)
        return true;
    if (n > SIZE_MAX / sizeof *refs / 4 - l->n)
        return false;
    if (l->n + n > l->cap) {
        size_t cap = l->cap ? l->cap : 64;
        while (cap < l->n + n)
            cap *= 2;
        struct pf_opref *p = realloc(l->v, cap * sizeof *p);
        if (!p)
            return false;
        l->v = p;
        l->cap = cap;
    }
    memmove(l->v + pos + n, l->v + pos, (l->n - pos) * sizeof *refs);
    memcpy(l->v + pos, refs, n * sizeof *refs);
    l->n += n;
    return true;
}

static void pf_list_remove(struct pf_oplist *l, size_t pos, size_t n)
{
    if (n == 0)
        return;
    memmove(l->v + pos, l->v + pos + n, (l->n - pos - n) * sizeof *l->v);
    l->n -= n;
}

/* Cuts data into ops (after the header when with_header) appended to l; a
 * cut-short last op is completed with zeros, which is how the target reads it. */
static bool pf_load(struct pf_mutator *m, struct pf_oplist *l, const uint8_t *data, size_t size,
                    bool with_header)
{
    l->n = 0;
    if (with_header) {
        memset(m->hdr, 0, m->hdr_size);
        if (size)
            memcpy(m->hdr, data, size < m->hdr_size ? size : m->hdr_size);
    }
    if (size <= m->hdr_size)
        return true;
    size_t base = pf_arena_take(m, size);
    if (base == SIZE_MAX)
        return false;
    memcpy(m->arena + base, data, size);
    for (size_t pos = m->hdr_size; pos < size;) {
        struct pf_opref r = {base + pos, m->size_of[data[pos]]};
        if (size - pos < r.len) {
            size_t off = pf_arena_take(m, r.len);
            if (off == SIZE_MAX)
                return false;
            memset(m->arena + off, 0, r.len);
            memcpy(m->arena + off, data + pos, size - pos);
            r.off = off;
        }
        if (!pf_list_insert(l, l->n, &r, 1))
            return false;
        pos += r.len;
    }
    return true;
}

static size_t pf_ops_bytes(const struct pf_opref *v, size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += v[i].len;
    return total;
}

/* Header and every op that fits; ops past max are dropped, not cut. */
static size_t pf_store(const struct pf_mutator *m, uint8_t *out, size_t max)
{
    size_t n = m->hdr_size < max ? m->hdr_size : max;
    if (n)
        memcpy(out, m->hdr, n);
    if (n < m->hdr_size)
        return n;
    for (size_t i = 0; i < m->ops.n && max - n >= m->ops.v[i].len; i++) {
        memcpy(out + n, m->arena + m->ops.v[i].off, m->ops.v[i].len);
        n += m->ops.v[i].len;
    }
    return n;
}

/* A copy of op i the caller may change, or SIZE_MAX. */
static size_t pf_own_op(struct pf_mutator *m, size_t i)
{
    size_t off = pf_arena_take(m, m->ops.v[i].len);
    if (off == SIZE_MAX)
        return SIZE_MAX;
    memcpy(m->arena + off, m->arena + m->ops.v[i].off, m->ops.v[i].len);
    m->ops.v[i].off = off;
    return off;
}

/* ---- the mutations; each returns false when it cannot apply ---- */

static bool pf_room(const struct pf_mutator *m, size_t max, size_t more)
{
    size_t used = m->hdr_size + pf_ops_bytes(m->ops.v, m->ops.n);
    return used <= max && max - used >= more;
}

static bool pf_mut_insert(struct pf_mutator *m, size_t max)
{
    uint8_t code = (uint8_t)pf_rand(m);
    const struct pf_layout *lay = &m->layout[m->kind_of[code]];
    struct pf_opref r = {0, m->size_of[code]};
    if (!pf_room(m, max, r.len) || (r.off = pf_arena_take(m, r.len)) == SIZE_MAX)
        return false;
    m->arena[r.off] = code;
    for (unsigned f = 0; f < lay->nfields; f++)
        pf_field_put(m->arena + r.off + lay->off[f], pf_value_pick(&m->rng, lay->width[f]),
                     lay->width[f]);
    return pf_list_insert(&m->ops, pf_below(m, m->ops.n + 1), &r, 1);
}

static bool pf_mut_delete(struct pf_mutator *m)
{
    if (m->ops.n == 0)
        return false;
    size_t n = 1 + pf_below(m, m->ops.n < PF_DELETE_MAX ? m->ops.n : PF_DELETE_MAX);
    pf_list_remove(&m->ops, pf_below(m, m->ops.n - n + 1), n);
    return true;
}

static bool pf_mut_duplicate(struct pf_mutator *m, size_t max)
{
    if (m->ops.n == 0)
        return false;
    struct pf_opref r = m->ops.v[pf_below(m, m->ops.n)];
    return pf_room(m, max, r.len) && pf_list_insert(&m->ops, pf_below(m, m->ops.n + 1), &r, 1);
}

static bool pf_mut_swap(struct pf_mutator *m)
{
    if (m->ops.n < 2)
        return false;
    size_t i = pf_below(m, m->ops.n), j = pf_below(m, m->ops.n - 1);
    j += j >= i;
    struct pf_opref t = m->ops.v[i];
    m->ops.v[i] = m->ops.v[j];
    m->ops.v[j] = t;
    return true;
}

static bool pf_mut_splice(struct pf_mutator *m, size_t max)
{
    if (m->other.n == 0)
        return false;
    size_t n = 1 + pf_below(m, m->other.n < PF_SPLICE_MAX ? m->other.n : PF_SPLICE_MAX);
    size_t from = pf_below(m, m->other.n - n + 1);
    while (n > 0 && !pf_room(m, max, pf_ops_bytes(m->other.v + from, n)))
        n--;
    return n > 0 && pf_list_insert(&m->ops, pf_below(m, m->ops.n + 1), m->other.v + from, n);
}

static bool pf_mut_field(struct pf_mutator *m)
{
    /* Some ops have no fields; a few tries find one if there is one. */
    for (unsigned tries = 0; m->ops.n > 0 && tries < 16; tries++) {
        size_t i = pf_below(m, m->ops.n);
        const struct pf_layout *lay = &m->layout[m->kind_of[m->arena[m->ops.v[i].off]]];
        if (lay->nfields == 0)
            continue;
        size_t off = pf_own_op(m, i);
        if (off == SIZE_MAX)
            return false;
        unsigned f = (unsigned)pf_below(m, lay->nfields);
        uint8_t *p = m->arena + off + lay->off[f];
        unsigned w = lay->width[f];
        pf_field_put(p, pf_value_mutate(&m->rng, m->bytes, m->bytes_ctx, pf_field_get(p, w), w), w);
        return true;
    }
    return false;
}

static bool pf_mut_header(struct pf_mutator *m)
{
    unsigned f = (unsigned)pf_below(m, PF_HEADER_FIELDS);
    uint8_t *p = m->hdr + m->hdr_off[f];
    unsigned w = m->hdr_width[f];
    uint64_t old = pf_field_get(p, w), v = pf_value_pick(&m->rng, w);
    /* Half the time a small value: device count, PASID width, flag bits. */
    if (pf_below(m, 2) || v == old)
        v = pf_value_mutate(&m->rng, m->bytes, m->bytes_ctx, old, w);
    pf_field_put(p, v, w);
    return true;
}

static bool pf_mut_kind(struct pf_mutator *m, size_t max)
{
    if (m->ops.n == 0)
        return false;
    size_t i = pf_below(m, m->ops.n);
    const uint8_t *old = m->arena + m->ops.v[i].off;
    unsigned old_kind = m->kind_of[old[0]];
    for (unsigned tries = 0; tries < 32; tries++) {
        uint8_t code = (uint8_t)pf_rand(m);
        if (m->kind_of[code] == old_kind)
            continue;
        size_t len = m->size_of[code];
        if (len > m->ops.v[i].len && !pf_room(m, max, len - m->ops.v[i].len))
            continue;
        size_t off = pf_arena_take(m, len);
        if (off == SIZE_MAX)
            return false;
        old = m->arena + m->ops.v[i].off;   /* the arena may have moved */
        const struct pf_layout *from = &m->layout[old_kind], *to = &m->layout[m->kind_of[code]];
        m->arena[off] = code;
        /* Field n keeps its value: dev stays dev, pasid stays pasid, for most kinds. */
        for (unsigned f = 0; f < to->nfields; f++) {
            uint64_t v = f < from->nfields ? pf_field_get(old + from->off[f], from->width[f])
                                           : pf_value_pick(&m->rng, to->width[f]);
            pf_field_put(m->arena + off + to->off[f], v, to->width[f]);
        }
        m->ops.v[i] = (struct pf_opref){off, len};
        return true;
    }
    return false;
}

static bool pf_apply(struct pf_mutator *m, enum pf_mutation kind, size_t max)
{
    switch (kind) {
    case PF_MUT_INSERT:
        return pf_mut_insert(m, max);
    case PF_MUT_DELETE:
        return pf_mut_delete(m);
    case PF_MUT_DUPLICATE:
        return pf_mut_duplicate(m, max);
    case PF_MUT_SWAP:
        return pf_mut_swap(m);
    case PF_MUT_SPLICE:
        return pf_mut_splice(m, max);
    case PF_MUT_FIELD:
        return pf_mut_field(m);
    case PF_MUT_HEADER:
        return max >= m->hdr_size && pf_mut_header(m);
    case PF_MUT_KIND:
        return pf_mut_kind(m, max);
    default:
        return false;
    }
}

/* Loads data (and other) afresh; false when out of memory. */
static bool pf_begin(struct pf_mutator *m, const uint8_t *data, size_t size, const uint8_t *other,
                     size_t other_size, uint64_t seed)
{
    m->rng = seed;
    m->arena_len = 0;
    m->other.n = 0;
    return pf_load(m, &m->ops, data, size, true) &&
           (!other || pf_load(m, &m->other, other, other_size, false));
}

size_t pf_mutate_as(struct pf_mutator *m, enum pf_mutation kind, uint8_t *data, size_t size,
                    size_t max_size, const uint8_t *other, size_t other_size, uint64_t seed)
{
    if (!pf_begin(m, data, size, other, other_size, seed))
        return (size_t)-1;
    bool ok = pf_apply(m, kind, max_size);
    size_t n = pf_store(m, data, max_size);
    return ok ? n : (size_t)-1;
}

/* Weights: field edits are the workhorse, as in byte-level fuzzing; the
 * structural ones are what byte-level mutation cannot do. */
static enum pf_mutation pf_pick_mutation(struct pf_mutator *m)
{
    static const uint8_t weight[PF_MUT_COUNT] = {
        [PF_MUT_INSERT] = 4, [PF_MUT_DELETE] = 2, [PF_MUT_DUPLICATE] = 2, [PF_MUT_SWAP] = 1,
        [PF_MUT_SPLICE] = 2, [PF_MUT_FIELD] = 6, [PF_MUT_HEADER] = 1, [PF_MUT_KIND] = 2,
    };
    unsigned r = (unsigned)pf_below(m, 20);
    for (unsigned k = 0; k < PF_MUT_COUNT; k++) {
        if (r < weight[k])
            return (enum pf_mutation)k;
        r -= weight[k];
    }
    return PF_MUT_FIELD;
}

size_t pf_mutate(struct pf_mutator *m, uint8_t *data, size_t size, size_t max_size,
                 const uint8_t *other, size_t other_size, uint64_t seed)
{
    if (!pf_begin(m, data, size, other, other_size, seed))
        return size <= max_size ? size : max_size;
    bool ok = false;
    for (unsigned tries = 0; !ok && tries < 8; tries++)
        ok = pf_apply(m, pf_pick_mutation(m), max_size);
    /* An input with no op and no room for one still has a header. */
    if (!ok && max_size >= m->hdr_size)
        pf_mut_header(m);
    return pf_store(m, data, max_size);
}

size_t pf_crossover(struct pf_mutator *m, const uint8_t *a, size_t a_size, const uint8_t *b,
                    size_t b_size, uint8_t *out, size_t max_out, uint64_t seed)
{
    if (!pf_begin(m, a, a_size, b, b_size, seed))
        return 0;
    size_t na = m->ops.n, nb = m->other.n;
    size_t cut = pf_below(m, na + 1), resume = cut + pf_below(m, na - cut + 1);
    size_t from = pf_below(m, nb + 1), to = from + pf_below(m, nb - from + 1);
    if (to == from && nb > 0) {     /* at least one op of b, or it is no crossover */
        from -= from == nb;
        to = from + 1;
    }
    pf_list_remove(&m->ops, cut, resume - cut);
    if (to > from && !pf_list_insert(&m->ops, cut, m->other.v + from, to - from))
        return 0;
    /* Sometimes b's world (devices, pools) with a's ops. */
    if (pf_below(m, 4) == 0) {
        memset(m->hdr, 0, m->hdr_size);
        if (b_size)
            memcpy(m->hdr, b, b_size < m->hdr_size ? b_size : m->hdr_size);
    }
    return pf_store(m, out, max_out);
}

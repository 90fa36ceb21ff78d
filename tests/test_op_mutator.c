/*
 * Tests of the op-level mutator (fuzz/mutator/op_mutator.h): every output is well
 * framed and within max_size, whatever the input; each mutation kind does
 * what it says and nothing else; the code-to-kind mapping is the format's,
 * not ops.c's.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "op_mutator.h"

#define MAX_OPS 512
#define BUF 8192

static uint64_t rng_state = 0x1234567887654321ull;

static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

struct split {
    size_t n;
    size_t off[MAX_OPS], len[MAX_OPS];
};

/* Ops of a well-framed input, as dialect dl reads it. */
static void split_ops(enum pf_dialect dl, const uint8_t *d, size_t size, struct split *s)
{
    s->n = 0;
    for (size_t pos = pf_header_size(); pos < size && s->n < MAX_OPS; s->n++) {
        s->off[s->n] = pos;
        s->len[s->n] = pf_op_size(pf_dialect_kind(dl, d[pos]));
        pos += s->len[s->n];
    }
}

static bool op_eq(const uint8_t *a, const struct split *sa, size_t i, const uint8_t *b,
                  const struct split *sb, size_t j)
{
    return sa->len[i] == sb->len[j] && memcmp(a + sa->off[i], b + sb->off[j], sa->len[i]) == 0;
}

/* An input of the plain format with the given codes; field f of op i holds
 * 16 * i + f + 1 so every op and field is distinct. */
static size_t make_input(uint8_t *out, const uint8_t *codes, size_t nops)
{
    struct pf_writer w;
    struct pf_header h;
    memset(&h, 0, sizeof h);
    h.f[PF_HF_NDEV] = 1;
    pf_writer_init(&w);
    pf_header_write(&w, &h);
    for (size_t i = 0; i < nops; i++) {
        struct pf_op op = {.code = codes[i]};
        for (unsigned f = 0; f < PF_OP_MAX_FIELDS; f++)
            op.f[f] = 16 * i + f + 1;
        pf_op_write(&w, &op);
    }
    CHECK(w.ok && w.size <= BUF);
    size_t n = w.size;
    memcpy(out, w.data, n);
    pf_writer_free(&w);
    return n;
}

static void check_framed(enum pf_dialect dl, const uint8_t *d, size_t size)
{
    bool framed;
    pf_op_frames(dl, d, size, &framed);
    CHECK(framed);
}

/* Base input: pasid-entry, pc-inv, sync, plug, raw-desc, mmio. */
static const uint8_t base_codes[] = {PF_OP_PASID_ENTRY, PF_OP_Q_PASID_CACHE, PF_OP_SYNC,
                                     PF_OP_PLUG, PF_OP_Q_RAW, PF_OP_MMIO};
#define NBASE (sizeof base_codes)

struct fixture {
    struct pf_mutator *m;
    uint8_t in[BUF], out[BUF];
    size_t in_size, out_size;
    struct split a, b;
};

/* Applies kind with a seed; the result must apply, be framed and fit. */
static void run_kind(struct fixture *fx, enum pf_mutation kind, uint64_t seed,
                     const uint8_t *other, size_t other_size)
{
    memcpy(fx->out, fx->in, fx->in_size);
    fx->out_size = pf_mutate_as(fx->m, kind, fx->out, fx->in_size, BUF, other, other_size, seed);
    CHECK(fx->out_size != (size_t)-1);
    if (fx->out_size == (size_t)-1)
        fx->out_size = fx->in_size;
    check_framed(PF_DIALECT_PASID_CACHE, fx->out, fx->out_size);
    split_ops(PF_DIALECT_PASID_CACHE, fx->in, fx->in_size, &fx->a);
    split_ops(PF_DIALECT_PASID_CACHE, fx->out, fx->out_size, &fx->b);
    CHECK(memcmp(fx->in, fx->out, pf_header_size()) == 0 || kind == PF_MUT_HEADER);
}

static struct fixture *fixture_new(void)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    CHECK(fx != NULL);
    if (!fx)
        abort();
    fx->m = pf_mutator_new(PF_DIALECT_PASID_CACHE, NULL, NULL);
    CHECK(fx->m != NULL);
    fx->in_size = make_input(fx->in, base_codes, NBASE);
    return fx;
}

static void fixture_free(struct fixture *fx)
{
    pf_mutator_free(fx->m);
    free(fx);
}

/* out == in with b's ops [from, from+n) inserted at pos (b NULL: out's own). */
static bool is_insertion(const struct fixture *fx, size_t pos, size_t n)
{
    if (fx->b.n != fx->a.n + n || pos + n > fx->b.n)
        return false;
    for (size_t i = 0; i < fx->a.n; i++)
        if (!op_eq(fx->in, &fx->a, i, fx->out, &fx->b, i < pos ? i : i + n))
            return false;
    return true;
}

static size_t find_insertion(const struct fixture *fx, size_t n)
{
    for (size_t pos = 0; pos + n <= fx->b.n; pos++)
        if (is_insertion(fx, pos, n))
            return pos;
    return SIZE_MAX;
}

static void insert_adds_one_new_op(void)
{
    struct fixture *fx = fixture_new();
    for (uint64_t seed = 1; seed <= 200; seed++) {
        run_kind(fx, PF_MUT_INSERT, seed, NULL, 0);
        CHECK(find_insertion(fx, 1) != SIZE_MAX);
    }
    fixture_free(fx);
}

static void delete_removes_a_run(void)
{
    struct fixture *fx = fixture_new();
    for (uint64_t seed = 1; seed <= 200; seed++) {
        run_kind(fx, PF_MUT_DELETE, seed, NULL, 0);
        size_t gone = fx->a.n - fx->b.n;
        CHECK(fx->b.n < fx->a.n && gone <= 4);
        /* Seen from the other side: in is out with the run inserted. */
        bool found = false;
        for (size_t pos = 0; pos + gone <= fx->a.n && !found; pos++) {
            bool same = true;
            for (size_t i = 0; i < fx->b.n && same; i++)
                same = op_eq(fx->out, &fx->b, i, fx->in, &fx->a, i < pos ? i : i + gone);
            found = same;
        }
        CHECK(found);
    }
    uint8_t hdr_only[128] = {0};
    CHECK(pf_mutate_as(fx->m, PF_MUT_DELETE, hdr_only, pf_header_size(), sizeof hdr_only, NULL, 0,
                       1) == (size_t)-1);
    fixture_free(fx);
}

static void duplicate_copies_an_op(void)
{
    struct fixture *fx = fixture_new();
    for (uint64_t seed = 1; seed <= 200; seed++) {
        run_kind(fx, PF_MUT_DUPLICATE, seed, NULL, 0);
        size_t pos = find_insertion(fx, 1);
        CHECK(pos != SIZE_MAX);
        bool copy = false;
        for (size_t i = 0; pos != SIZE_MAX && i < fx->a.n; i++)
            copy |= op_eq(fx->in, &fx->a, i, fx->out, &fx->b, pos);
        CHECK(copy);
    }
    fixture_free(fx);
}

static void swap_exchanges_two_ops(void)
{
    struct fixture *fx = fixture_new();
    for (uint64_t seed = 1; seed <= 200; seed++) {
        run_kind(fx, PF_MUT_SWAP, seed, NULL, 0);
        CHECK_EQ_U64(fx->b.n, fx->a.n);
        size_t diff[3], nd = 0;
        for (size_t i = 0; i < fx->a.n && i < fx->b.n; i++)
            if (!op_eq(fx->in, &fx->a, i, fx->out, &fx->b, i) && nd < 3)
                diff[nd++] = i;
        CHECK_EQ_U64(nd, 2);
        if (nd == 2) {
            CHECK(op_eq(fx->in, &fx->a, diff[0], fx->out, &fx->b, diff[1]));
            CHECK(op_eq(fx->in, &fx->a, diff[1], fx->out, &fx->b, diff[0]));
        }
    }
    fixture_free(fx);
}

static void splice_inserts_a_run_of_the_other_input(void)
{
    struct fixture *fx = fixture_new();
    static const uint8_t other_codes[] = {PF_OP_UNPLUG, PF_OP_FAIL, PF_OP_GCMD, PF_OP_Q_WAIT};
    uint8_t other[BUF];
    size_t other_size = make_input(other, other_codes, sizeof other_codes);
    struct split o;
    split_ops(PF_DIALECT_PASID_CACHE, other, other_size, &o);
    for (uint64_t seed = 1; seed <= 200; seed++) {
        run_kind(fx, PF_MUT_SPLICE, seed, other, other_size);
        size_t n = fx->b.n - fx->a.n, pos = find_insertion(fx, n);
        CHECK(n >= 1 && pos != SIZE_MAX);
        /* The inserted run is consecutive ops of other. */
        bool found = false;
        for (size_t from = 0; pos != SIZE_MAX && from + n <= o.n && !found; from++) {
            bool same = true;
            for (size_t k = 0; k < n && same; k++)
                same = op_eq(other, &o, from + k, fx->out, &fx->b, pos + k);
            found = same;
        }
        CHECK(found);
    }
    /* Nothing to splice from. */
    memcpy(fx->out, fx->in, fx->in_size);
    CHECK(pf_mutate_as(fx->m, PF_MUT_SPLICE, fx->out, fx->in_size, BUF, NULL, 0, 1) == (size_t)-1);
    fixture_free(fx);
}

/* Exactly one op differs; returns its index (SIZE_MAX if not exactly one). */
static size_t one_op_differs(const struct fixture *fx)
{
    size_t at = SIZE_MAX, nd = 0;
    for (size_t i = 0; i < fx->a.n && i < fx->b.n; i++)
        if (!op_eq(fx->in, &fx->a, i, fx->out, &fx->b, i))
            at = i, nd++;
    return fx->a.n == fx->b.n && nd == 1 ? at : SIZE_MAX;
}

static size_t count_field_diffs(const uint8_t *a, const uint8_t *b, enum pf_opcode kind)
{
    const struct pf_op_spec *s = pf_op_spec(kind);
    size_t off = 1, nd = 0;
    for (unsigned f = 0; f < s->nfields; f++) {
        nd += memcmp(a + off, b + off, s->fields[f].bytes) != 0;
        off += s->fields[f].bytes;
    }
    return nd;
}

static void field_changes_one_field_of_one_op(void)
{
    struct fixture *fx = fixture_new();
    for (uint64_t seed = 1; seed <= 300; seed++) {
        run_kind(fx, PF_MUT_FIELD, seed, NULL, 0);
        size_t i = one_op_differs(fx);
        CHECK(i != SIZE_MAX);
        if (i == SIZE_MAX)
            continue;
        const uint8_t *a = fx->in + fx->a.off[i], *b = fx->out + fx->b.off[i];
        CHECK_EQ_U64(a[0], b[0]);
        CHECK_EQ_U64(count_field_diffs(a, b, (enum pf_opcode)(a[0] % PF_OP_COUNT)), 1);
    }
    fixture_free(fx);
}

static void header_changes_one_header_field(void)
{
    struct fixture *fx = fixture_new();
    const struct pf_field_spec *h = pf_header_fields();
    for (uint64_t seed = 1; seed <= 300; seed++) {
        run_kind(fx, PF_MUT_HEADER, seed, NULL, 0);
        CHECK_EQ_U64(fx->out_size, fx->in_size);
        CHECK(memcmp(fx->in + pf_header_size(), fx->out + pf_header_size(),
                     fx->in_size - pf_header_size()) == 0);
        size_t off = 0, nd = 0;
        for (unsigned f = 0; f < PF_HEADER_FIELDS; f++) {
            nd += memcmp(fx->in + off, fx->out + off, h[f].bytes) != 0;
            off += h[f].bytes;
        }
        CHECK_EQ_U64(nd, 1);
    }
    fixture_free(fx);
}

static void kind_recodes_one_op_keeping_fields(void)
{
    struct fixture *fx = fixture_new();
    for (uint64_t seed = 1; seed <= 300; seed++) {
        run_kind(fx, PF_MUT_KIND, seed, NULL, 0);
        size_t i = one_op_differs(fx);
        CHECK(i != SIZE_MAX);
        if (i == SIZE_MAX)
            continue;
        const uint8_t *a = fx->in + fx->a.off[i], *b = fx->out + fx->b.off[i];
        enum pf_opcode ka = (enum pf_opcode)(a[0] % PF_OP_COUNT);
        enum pf_opcode kb = (enum pf_opcode)(b[0] % PF_OP_COUNT);
        CHECK(ka != kb);
        /* The first field keeps its value where both kinds have one. */
        const struct pf_op_spec *sa = pf_op_spec(ka), *sb = pf_op_spec(kb);
        if (sa->nfields && sb->nfields) {
            unsigned w = sb->fields[0].bytes < sa->fields[0].bytes ? sb->fields[0].bytes
                                                                   : sa->fields[0].bytes;
            CHECK(memcmp(a + 1, b + 1, w) == 0);
        }
    }
    fixture_free(fx);
}

static size_t garbage_bytes(void *ctx, uint8_t *d, size_t size, size_t max)
{
    (void)ctx;
    (void)max;
    for (size_t i = 0; i < size; i++)
        d[i] = (uint8_t)rnd();
    return rnd() % (size + 1);   /* shrinking too, as LLVMFuzzerMutate may */
}

/* Everything goes through one framing check, whatever the bytes. */
static void fuzz_mutator(enum pf_dialect dl, pf_byte_mutate_fn bytes)
{
    struct pf_mutator *m = pf_mutator_new(dl, bytes, NULL);
    CHECK(m != NULL);
    uint8_t *d = malloc(BUF), *other = malloc(BUF);
    CHECK(d && other);
    for (unsigned iter = 0; m && d && other && iter < 1500; iter++) {
        size_t size = rnd() % 700, other_size = rnd() % 700;
        size_t max = iter % 7 ? pf_header_size() + rnd() % 1500 : rnd() % 100;
        for (size_t i = 0; i < BUF; i++)
            d[i] = (uint8_t)rnd(), other[i] = (uint8_t)rnd();
        size = size < max ? size : max;
        for (unsigned step = 0; step < 6; step++) {
            const uint8_t *o = step ? other : NULL;
            size = step % 3 == 2 ? pf_crossover(m, d, size, other, other_size, d, max, rnd())
                                 : pf_mutate(m, d, size, max, o, other_size, rnd());
            CHECK(size <= max);
            if (max >= pf_header_size())
                check_framed(dl, d, size);
        }
    }
    free(d);
    free(other);
    pf_mutator_free(m);
}

static void garbage_in_framed_out(void)
{
    fuzz_mutator(PF_DIALECT_PASID_CACHE, NULL);
    fuzz_mutator(PF_DIALECT_PASID_CACHE, garbage_bytes);
}

/* The lifecycle dialect reads code 7 as a reset (1 byte; a context-cache
 * invalidation of 5 in the plain one) and 29 as a raw descriptor (33
 * bytes; a wait of 6 in the plain one). */
static void dialect_decides_framing(void)
{
    fuzz_mutator(PF_DIALECT_LIFECYCLE, NULL);
    CHECK(pf_dialect_kind(PF_DIALECT_LIFECYCLE, 7) == PF_OP_RESET);
    CHECK(pf_dialect_kind(PF_DIALECT_LIFECYCLE, 29) == PF_OP_Q_RAW);
    /* An input framed for the plain dialect is reframed the lifecycle way. */
    uint8_t d[BUF] = {0};
    size_t size = pf_header_size() + 3;
    d[pf_header_size()] = 7;
    d[pf_header_size() + 1] = 7;
    d[pf_header_size() + 2] = 29;  /* a raw descriptor, cut short */
    struct pf_mutator *m = pf_mutator_new(PF_DIALECT_LIFECYCLE, NULL, NULL);
    size = pf_mutate_as(m, PF_MUT_HEADER, d, size, BUF, NULL, 0, 3);
    CHECK_EQ_U64(size, pf_header_size() + 2 + 33);
    pf_mutator_free(m);
}

static void cut_short_op_is_completed_or_dropped(void)
{
    struct fixture *fx = fixture_new();
    size_t cut = fx->in_size - 5;   /* the mmio op loses its last bytes */
    memcpy(fx->out, fx->in, fx->in_size);
    size_t n = pf_mutate_as(fx->m, PF_MUT_HEADER, fx->out, cut, BUF, NULL, 0, 9);
    CHECK_EQ_U64(n, fx->in_size);
    CHECK(memcmp(fx->out + pf_header_size(), fx->in + pf_header_size(),
                 cut - pf_header_size()) == 0);
    static const uint8_t zero[5];
    CHECK(memcmp(fx->out + cut, zero, 5) == 0);
    /* No room to complete it: dropped. */
    memcpy(fx->out, fx->in, fx->in_size);
    n = pf_mutate_as(fx->m, PF_MUT_HEADER, fx->out, cut, cut, NULL, 0, 9);
    CHECK_EQ_U64(n, fx->in_size - pf_op_size(PF_OP_MMIO));
    fixture_free(fx);
}

static void max_size_is_respected(void)
{
    struct fixture *fx = fixture_new();
    memcpy(fx->out, fx->in, fx->in_size);
    /* Full: nothing may grow. */
    CHECK(pf_mutate_as(fx->m, PF_MUT_DUPLICATE, fx->out, fx->in_size, fx->in_size, NULL, 0, 1) ==
          (size_t)-1);
    for (uint64_t seed = 1; seed <= 500; seed++) {
        memcpy(fx->out, fx->in, fx->in_size);
        size_t n = pf_mutate(fx->m, fx->out, fx->in_size, fx->in_size, fx->in, fx->in_size, seed);
        CHECK(n <= fx->in_size);
        check_framed(PF_DIALECT_PASID_CACHE, fx->out, n);
    }
    /* Smaller than a header: a header prefix, never more. */
    memcpy(fx->out, fx->in, fx->in_size);
    CHECK_EQ_U64(pf_mutate(fx->m, fx->out, fx->in_size, 10, NULL, 0, 1), 10);
    fixture_free(fx);
}

static void same_seed_same_output(void)
{
    struct fixture *fx = fixture_new();
    uint8_t again[BUF];
    unsigned differ = 0;
    for (uint64_t seed = 1; seed <= 100; seed++) {
        memcpy(fx->out, fx->in, fx->in_size);
        memcpy(again, fx->in, fx->in_size);
        size_t n1 = pf_mutate(fx->m, fx->out, fx->in_size, BUF, fx->in, fx->in_size, seed);
        size_t n2 = pf_mutate(fx->m, again, fx->in_size, BUF, fx->in, fx->in_size, seed);
        CHECK(n1 == n2 && memcmp(fx->out, again, n1) == 0);
        differ += n1 != fx->in_size || memcmp(fx->out, fx->in, n1) != 0;
    }
    CHECK_EQ_U64(differ, 100);   /* every mutation changes something */
    fixture_free(fx);
}

static void crossover_joins_runs_of_both(void)
{
    struct fixture *fx = fixture_new();
    uint8_t b[BUF];
    static const uint8_t b_codes[] = {PF_OP_UNPLUG, PF_OP_FAIL, PF_OP_GCMD};
    size_t b_size = make_input(b, b_codes, sizeof b_codes);
    struct split sb;
    split_ops(PF_DIALECT_PASID_CACHE, b, b_size, &sb);
    size_t ndev_at = 0;   /* a different device count tells the headers apart */
    for (unsigned f = 0; f < PF_HF_NDEV; f++)
        ndev_at += pf_header_fields()[f].bytes;
    b[ndev_at] = 3;
    unsigned b_headers = 0;
    for (uint64_t seed = 1; seed <= 200; seed++) {
        fx->out_size = pf_crossover(fx->m, fx->in, fx->in_size, b, b_size, fx->out, BUF, seed);
        bool a_hdr = memcmp(fx->out, fx->in, pf_header_size()) == 0;
        bool b_hdr = memcmp(fx->out, b, pf_header_size()) == 0;
        CHECK(a_hdr || b_hdr);
        b_headers += b_hdr;
        check_framed(PF_DIALECT_PASID_CACHE, fx->out, fx->out_size);
        split_ops(PF_DIALECT_PASID_CACHE, fx->in, fx->in_size, &fx->a);
        split_ops(PF_DIALECT_PASID_CACHE, fx->out, fx->out_size, &fx->b);
        /* a-prefix, then a run of b (at least one op), then a suffix of a. */
        size_t i = 0, j = 0, k;
        while (i < fx->b.n && i < fx->a.n && op_eq(fx->in, &fx->a, i, fx->out, &fx->b, i))
            i++;
        size_t from = 0;
        while (from < sb.n && !(i < fx->b.n && op_eq(b, &sb, from, fx->out, &fx->b, i)))
            from++;
        for (k = i; k < fx->b.n && from + (k - i) < sb.n &&
                    op_eq(b, &sb, from + (k - i), fx->out, &fx->b, k); k++)
            ;
        CHECK(k > i);
        size_t rest = fx->b.n - k;
        CHECK(rest <= fx->a.n - i);
        for (j = 0; j < rest; j++)
            CHECK(op_eq(fx->in, &fx->a, fx->a.n - rest + j, fx->out, &fx->b, k + j));
    }
    CHECK(b_headers > 20 && b_headers < 100);
    /* b without a single op, to a mutator that never saw one: a prefix and
     * a suffix of a's ops. Found by libFuzzer under clang's UBSan. */
    struct pf_mutator *fresh = pf_mutator_new(PF_DIALECT_PASID_CACHE, NULL, NULL);
    for (uint64_t seed = 1; seed <= 20; seed++) {
        fx->out_size = pf_crossover(fresh, fx->in, fx->in_size, b, 10, fx->out, BUF, seed);
        check_framed(PF_DIALECT_PASID_CACHE, fx->out, fx->out_size);
        split_ops(PF_DIALECT_PASID_CACHE, fx->out, fx->out_size, &fx->b);
        size_t i = 0;
        while (i < fx->b.n && op_eq(fx->in, &fx->a, i, fx->out, &fx->b, i))
            i++;
        size_t rest = fx->b.n - i;
        CHECK(rest <= fx->a.n - i);
        for (size_t j = 0; rest <= fx->a.n - i && j < rest; j++)
            CHECK(op_eq(fx->in, &fx->a, fx->a.n - rest + j, fx->out, &fx->b, i + j));
    }
    pf_mutator_free(fresh);
    fixture_free(fx);
}

CHECK_MAIN(TEST(insert_adds_one_new_op), TEST(delete_removes_a_run), TEST(duplicate_copies_an_op),
           TEST(swap_exchanges_two_ops), TEST(splice_inserts_a_run_of_the_other_input),
           TEST(field_changes_one_field_of_one_op), TEST(header_changes_one_header_field),
           TEST(kind_recodes_one_op_keeping_fields), TEST(garbage_in_framed_out),
           TEST(dialect_decides_framing), TEST(cut_short_op_is_completed_or_dropped),
           TEST(max_size_is_respected), TEST(same_seed_same_output),
           TEST(crossover_joins_runs_of_both))

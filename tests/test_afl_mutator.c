/*
 * The AFL++ face of the op mutator: the whole-op trimmer (fuzz/input/op_frames.h),
 * and the custom mutator library as afl-fuzz uses it: dlopen, look up the
 * afl_custom_* symbols, init, fuzz, trim, deinit. Only the symbols of the
 * AFL++ API may be exported.
 */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "op_frames.h"

struct afl_api {
    void *(*init)(void *afl, unsigned int seed);
    size_t (*fuzz)(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf, uint8_t *add_buf,
                   size_t add_buf_size, size_t max_size);
    int32_t (*init_trim)(void *data, uint8_t *buf, size_t buf_size);
    size_t (*trim)(void *data, uint8_t **out_buf);
    int32_t (*post_trim)(void *data, unsigned char success);
    void (*deinit)(void *data);
};

static void *load(struct afl_api *api)
{
    void *h = dlopen(PF_AFL_MUTATOR_SO, RTLD_NOW | RTLD_LOCAL);
    CHECK(h != NULL);
    if (!h) {
        fprintf(stderr, "dlopen: %s\n", dlerror());
        return NULL;
    }
    /* POSIX allows the cast from void * to a function pointer type. */
    *(void **)&api->init = dlsym(h, "afl_custom_init");
    *(void **)&api->fuzz = dlsym(h, "afl_custom_fuzz");
    *(void **)&api->init_trim = dlsym(h, "afl_custom_init_trim");
    *(void **)&api->trim = dlsym(h, "afl_custom_trim");
    *(void **)&api->post_trim = dlsym(h, "afl_custom_post_trim");
    *(void **)&api->deinit = dlsym(h, "afl_custom_deinit");
    CHECK(api->init && api->fuzz && api->init_trim && api->trim && api->post_trim && api->deinit);
    CHECK(dlsym(h, "pf_mutate") == NULL);
    return h;
}

static bool has_sync(const uint8_t *d, size_t size)
{
    size_t pos = pf_header_size();
    for (; pos < size; pos += pf_op_size(pf_dialect_kind(PF_DIALECT_PASID_CACHE, d[pos])))
        if (d[pos] == PF_OP_SYNC)
            return true;
    return false;
}

static bool framed(const uint8_t *d, size_t size)
{
    bool ok;
    pf_op_frames(PF_DIALECT_PASID_CACHE, d, size, &ok);
    return ok;
}

/* header, pasid-entry, pc-inv, sync, plug, raw-desc, mmio */
static size_t make_input(uint8_t *out, size_t cap)
{
    static const uint8_t codes[] = {PF_OP_PASID_ENTRY, PF_OP_Q_PASID_CACHE, PF_OP_SYNC, PF_OP_PLUG,
                                    PF_OP_Q_RAW, PF_OP_MMIO};
    size_t n = pf_header_size();
    memset(out, 0, cap);
    for (size_t i = 0; i < sizeof codes; i++) {
        out[n] = codes[i];
        n += pf_op_size((enum pf_opcode)codes[i]);
    }
    return n;
}

static void trim_removes_whole_ops(void)
{
    uint8_t in[512];
    size_t in_size = make_input(in, sizeof in);
    struct pf_trimmer *t = pf_trimmer_new(PF_DIALECT_PASID_CACHE);
    /* The "target" behaves the same as long as the sync op (index 2) stays. */
    int32_t steps = pf_trim_begin(t, in, in_size), done = 0;
    CHECK_EQ_U64(steps, 6);
    size_t size = in_size;
    while (done < steps) {
        uint8_t *cand;
        size_t n = pf_trim_candidate(t, &cand);
        CHECK(n < size);
        CHECK(framed(cand, n));
        bool keeps = has_sync(cand, n);
        if (keeps)
            size = n;
        done = pf_trim_result(t, keeps);
    }
    uint8_t *final;
    size_t n = pf_trim_candidate(t, &final);
    CHECK_EQ_U64(n, pf_header_size() + 1);
    CHECK(memcmp(final, in, pf_header_size()) == 0 && final[pf_header_size()] == PF_OP_SYNC);
    /* Big inputs take a bounded number of steps, in blocks of ops. */
    uint8_t big[8192];
    memset(big, PF_OP_RING, sizeof big);
    steps = pf_trim_begin(t, big, sizeof big);
    CHECK(steps > 0 && steps <= PF_TRIM_STEPS);
    CHECK_EQ_U64(pf_trim_begin(t, big, pf_header_size()), 0);
    pf_trimmer_free(t);
}

static void fuzz_and_trim(void)
{
    struct afl_api api;
    void *h = load(&api);
    if (!h || !api.init)
        return;
    unsetenv("PF_OP_FORMAT");
    void *st = api.init(NULL, 7);
    CHECK(st != NULL);
    uint8_t buf[4096], add[300];
    size_t size = pf_header_size();
    memset(buf, 0, sizeof buf);
    for (size_t i = 0; i < sizeof add; i++)
        add[i] = (uint8_t)(i * 37);
    unsigned grew = 0;
    for (unsigned i = 0; st && i < 3000; i++) {
        uint8_t *out = NULL;
        size_t n = api.fuzz(st, buf, size, &out, i % 2 ? add : NULL, sizeof add, sizeof buf);
        CHECK(out != NULL && n <= sizeof buf);
        bool framed;
        pf_op_frames(PF_DIALECT_PASID_CACHE, out, n, &framed);
        CHECK(framed);
        grew += n > size;
        /* Keep the output as the next input, as a corpus grows. */
        memcpy(buf, out, n);
        size = n;
    }
    CHECK(grew > 0);
    /* Trim: the target "behaves the same" on every candidate, so all ops go. */
    int32_t steps = st ? api.init_trim(st, buf, size) : 0;
    CHECK(steps > 0 || size == pf_header_size());
    for (int32_t done = 0; st && done < steps;) {
        uint8_t *out = NULL;
        size_t n = api.trim(st, &out);
        CHECK(out != NULL && n < size);
        size = n;
        done = api.post_trim(st, 1);
    }
    CHECK_EQ_U64(size, pf_header_size());
    if (st)
        api.deinit(st);
    /* An unknown format is refused, not guessed. */
    setenv("PF_OP_FORMAT", "no-such-format", 1);
    CHECK(api.init(NULL, 1) == NULL);
    unsetenv("PF_OP_FORMAT");
    dlclose(h);
}

CHECK_MAIN(TEST(trim_removes_whole_ops), TEST(fuzz_and_trim))

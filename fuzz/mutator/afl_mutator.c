/*
 * The op mutator as an AFL++ custom mutator library (AFL++ 4.x API), loaded
 * by afl-fuzz with AFL_CUSTOM_MUTATOR_LIBRARY. It runs inside afl-fuzz, not
 * the target, so it is built with plain clang and cannot ask the target for
 * its input format: PF_OP_FORMAT names the target (its --input-format;
 * default the registry's first row, fuzz_pasid_cache). AFL++ runs its own havoc stages as well unless
 * AFL_CUSTOM_MUTATOR_ONLY is set; the trimmer removes whole ops.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "op_mutator.h"
#include "targets.h"

#define PF_EXPORT __attribute__((visibility("default")))

struct pf_afl {
    struct pf_mutator *mutator;
    struct pf_trimmer *trimmer;
    uint64_t rng;
    uint8_t *out;
    size_t out_cap;
};

PF_EXPORT void *afl_custom_init(void *afl, unsigned int seed);
PF_EXPORT size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf,
                                 uint8_t *add_buf, size_t add_buf_size, size_t max_size);
PF_EXPORT int32_t afl_custom_init_trim(void *data, uint8_t *buf, size_t buf_size);
PF_EXPORT size_t afl_custom_trim(void *data, uint8_t **out_buf);
PF_EXPORT int32_t afl_custom_post_trim(void *data, unsigned char success);
PF_EXPORT void afl_custom_deinit(void *data);

static void pf_afl_free(struct pf_afl *a)
{
    pf_mutator_free(a->mutator);
    pf_trimmer_free(a->trimmer);
    free(a->out);
    free(a);
}

/* NULL makes afl-fuzz stop with an error, after our message. */
void *afl_custom_init(void *afl, unsigned int seed)
{
    (void)afl;
    const char *name = getenv("PF_OP_FORMAT");
    const struct pf_target_info *t =
        pf_target_info(name ? (enum pf_target_id)pf_target_by_name(name) : PF_TARGET_PASID_CACHE);
    if (!t || t->dialect == PF_DIALECT_NONE) {
        fprintf(stderr, "pasidfuzz: PF_OP_FORMAT=%s: no such op-stream target\n", name);
        return NULL;
    }
    struct pf_afl *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->rng = seed;
    a->mutator = pf_mutator_new(t->dialect, NULL, NULL);
    a->trimmer = pf_trimmer_new(t->dialect);
    if (!a->mutator || !a->trimmer) {
        fprintf(stderr, "pasidfuzz: cannot set up the op mutator\n");
        pf_afl_free(a);
        return NULL;
    }
    return a;
}

/* One mutation adds at most a header, a completed last op and a splice of
 * a few ops, far less than the slack here, so the buffer stays small even
 * when max_size is AFL++'s 1 MiB. */
size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf,
                       uint8_t *add_buf, size_t add_buf_size, size_t max_size)
{
    struct pf_afl *a = data;
    size_t room = buf_size + 4096;
    room = room < max_size ? room : max_size;
    if (room > a->out_cap || !a->out) {
        uint8_t *p = realloc(a->out, room ? room : 1);
        if (!p) {
            *out_buf = buf;
            return buf_size <= max_size ? buf_size : max_size;
        }
        a->out = p;
        a->out_cap = room;
    }
    size_t n = buf_size < room ? buf_size : room;
    if (n)
        memcpy(a->out, buf, n);
    a->rng = a->rng * 6364136223846793005ull + 1442695040888963407ull;
    *out_buf = a->out;
    return pf_mutate(a->mutator, a->out, n, room, add_buf, add_buf ? add_buf_size : 0, a->rng);
}

int32_t afl_custom_init_trim(void *data, uint8_t *buf, size_t buf_size)
{
    struct pf_afl *a = data;
    return pf_trim_begin(a->trimmer, buf, buf_size);
}

size_t afl_custom_trim(void *data, uint8_t **out_buf)
{
    struct pf_afl *a = data;
    return pf_trim_candidate(a->trimmer, out_buf);
}

int32_t afl_custom_post_trim(void *data, unsigned char success)
{
    struct pf_afl *a = data;
    return pf_trim_result(a->trimmer, success != 0);
}

void afl_custom_deinit(void *data)
{
    if (data)
        pf_afl_free(data);
}

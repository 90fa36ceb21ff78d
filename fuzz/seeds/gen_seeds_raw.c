/*
 * The in-tree seed generator of the raw-byte targets (fuzz_inv_queue,
 * fuzz_pasid_table), run by `pasidfuzz seed`: each scenario is written with
 * the target's writer twins, so a seed is exactly what its reader will see,
 * and is decoded and re-encoded with the reader and writer twin, which must
 * give it back byte for byte.
 */
#include <stdio.h>
#include <string.h>

#include "seeds_raw.h"

static const struct raw_target {
    const char *target;
    const struct raw_scenario *(*list)(size_t *n);
    void (*reencode)(const uint8_t *data, size_t size, struct pf_writer *w);
} targets[] = {
    {"fuzz_inv_queue", seeds_inv_queue, reencode_inv_queue},
    {"fuzz_pasid_table", seeds_pasid_table, reencode_pasid_table},
};

/* The reader and its writer twin agree on this seed. */
static bool round_trips(const struct pf_writer *seed,
                        void (*reencode)(const uint8_t *, size_t, struct pf_writer *))
{
    struct pf_writer back;
    pf_writer_init(&back);
    reencode(seed->data, seed->size, &back);
    bool same = back.ok && back.size == seed->size &&
                (seed->size == 0 || memcmp(back.data, seed->data, seed->size) == 0);
    pf_writer_free(&back);
    return same;
}

size_t raw_seed_target_count(void)
{
    return sizeof targets / sizeof targets[0];
}

const char *raw_seed_target_name(size_t t)
{
    return t < raw_seed_target_count() ? targets[t].target : NULL;
}

int raw_seeds_build(size_t t, size_t i, struct pf_writer *w, const char **name)
{
    size_t n = 0;
    if (t >= raw_seed_target_count())
        return -1;
    const struct raw_scenario *list = targets[t].list(&n);
    if (i >= n)
        return 1;
    *name = list[i].name;
    list[i].fn(w);
    if (!w->ok) {
        fprintf(stderr, "pasidfuzz: out of memory building %s seed %s\n", targets[t].target,
                list[i].name);
        return -1;
    }
    if (!round_trips(w, targets[t].reencode)) {
        fprintf(stderr, "pasidfuzz: %s seed %s: reader and writer disagree\n",
                targets[t].target, list[i].name);
        return -1;
    }
    return 0;
}

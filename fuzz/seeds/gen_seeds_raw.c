/*
 * The in-tree seed generator of the raw-byte targets (the rows of
 * targets.def with a SEEDS column), run by `pasidfuzz seed`: each scenario
 * is written with the target's writer twins, so a seed is exactly what its reader will see,
 * and is decoded and re-encoded with the reader and writer twin, which must
 * give it back byte for byte.
 */
#include <stdio.h>
#include <string.h>

#include "seeds_raw.h"

const struct raw_seeds raw_seeds_none = {NULL, NULL};

static const struct raw_seeds *const pf_raw_seeds[PF_TARGET_COUNT] = {
#define PF_TARGET(id, name, dialect, format, max_len, run, init, seeds, ...)    \
    [PF_TARGET_##id] = &seeds,
#include "targets.def"
#undef PF_TARGET
};

bool raw_seeds_has(enum pf_target_id t)
{
    return pf_target_info(t) && pf_raw_seeds[t]->list;
}

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

int raw_seeds_build(enum pf_target_id t, size_t i, struct pf_writer *w, const char **name)
{
    size_t n = 0;
    if (!pf_target_info(t))
        return -1;
    const struct raw_seeds *seeds = pf_raw_seeds[t];
    if (!seeds->list)
        return 1;
    const struct raw_scenario *list = seeds->list(&n);
    if (i >= n)
        return 1;
    *name = list[i].name;
    list[i].fn(w);
    if (!w->ok) {
        fprintf(stderr, "pasidfuzz: out of memory building %s seed %s\n",
                pf_target_info(t)->name, list[i].name);
        return -1;
    }
    if (!round_trips(w, seeds->reencode)) {
        fprintf(stderr, "pasidfuzz: %s seed %s: reader and writer disagree\n",
                pf_target_info(t)->name, list[i].name);
        return -1;
    }
    return 0;
}

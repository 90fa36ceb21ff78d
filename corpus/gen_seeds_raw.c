/*
 * The in-tree seed generator for the raw-byte targets (fuzz_inv_queue,
 * fuzz_pasid_table): each scenario is written with the target's writer
 * twins, so a seed is exactly what its reader will see.
 *
 * usage: pf_gen_seeds_raw TARGET OUTDIR   (writes OUTDIR/<scenario>.bin)
 * Every seed is also decoded and re-encoded with the target's reader and
 * writer twin, and must come back byte for byte.
 * Exit 0 on success, 1 when a seed does not round-trip or a file cannot be
 * written, 2 on bad usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seeds_raw.h"

static const struct {
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

static int write_file(const char *path, const struct pf_writer *w)
{
    if (!w->ok) {
        fprintf(stderr, "pf_gen_seeds_raw: out of memory building %s\n", path);
        return 1;
    }
    FILE *f = fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "pf_gen_seeds_raw: cannot write %s: %s\n", path, strerror(errno));
        return 1;
    }
    bool ok = fwrite(w->data, 1, w->size, f) == w->size;
    if (fclose(f) != 0 || !ok) {
        fprintf(stderr, "pf_gen_seeds_raw: cannot write %s: %s\n", path, strerror(errno));
        return 1;
    }
    return 0;
}

static void usage(const char *argv0)
{
    fprintf(stderr, "usage: %s TARGET OUTDIR\ntargets:", argv0);
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++)
        fprintf(stderr, " %s", targets[i].target);
    fputc('\n', stderr);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        usage(argv[0]);
        return 2;
    }
    const struct raw_scenario *list = NULL;
    void (*reencode)(const uint8_t *, size_t, struct pf_writer *) = NULL;
    size_t n = 0;
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        if (strcmp(argv[1], targets[i].target) == 0) {
            list = targets[i].list(&n);
            reencode = targets[i].reencode;
        }
    }
    if (!list) {
        fprintf(stderr, "pf_gen_seeds_raw: unknown target '%s'\n", argv[1]);
        usage(argv[0]);
        return 2;
    }
    for (size_t i = 0; i < n; i++) {
        struct pf_writer w;
        char path[4096];
        pf_writer_init(&w);
        list[i].fn(&w);
        int len = snprintf(path, sizeof path, "%s/%s.bin", argv[2], list[i].name);
        int rc = 1;
        if (len < 0 || (size_t)len >= sizeof path)
            fprintf(stderr, "pf_gen_seeds_raw: output path too long\n");
        else if (w.ok && !round_trips(&w, reencode))
            fprintf(stderr, "pf_gen_seeds_raw: %s: reader and writer disagree\n", list[i].name);
        else
            rc = write_file(path, &w);
        pf_writer_free(&w);
        if (rc != 0)
            return 1;
    }
    printf("pf_gen_seeds_raw: wrote %zu %s seeds to %s\n", n, argv[1], argv[2]);
    return 0;
}

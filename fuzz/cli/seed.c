/*
 * pasidfuzz seed: the whole seed corpus. Every
 * CORPUS/scenarios/<target>/NAME.txt of any target becomes
 * <OUTDIR>/<target>/NAME.bin, encoded in that target's text form; the
 * raw-byte targets also have C scenarios (fuzz/seeds/seeds_raw.h), written
 * after the text ones (a text scenario must not reuse a C scenario's name).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "seeds_raw.h"
#include "text.h"

static char *pf_path(const char *a, const char *b, const char *c)
{
    size_t n = strlen(a) + strlen(b) + (c ? strlen(c) : 0) + 3;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s%s%s", a, b, c ? "/" : "", c ? c : "");
    return p;
}

/* One scenario: 0, or PF_EXIT_USAGE with the error printed. */
static int pf_seed_one(const char *dir, const char *name, enum pf_target_id t,
                       const char *outdir)
{
    char *src = pf_path(dir, name, NULL);
    size_t stem = strlen(name) - strlen(".txt");
    char *bin = malloc(strlen(outdir) + stem + 6);
    int rc = PF_EXIT_USAGE;
    if (src && bin) {
        sprintf(bin, "%s/%.*s.bin", outdir, (int)stem, name);
        struct pf_writer w;
        pf_writer_init(&w);
        if (pf_cli_load(src, &t, true, &w) == 0 && pf_cli_write(bin, w.data, w.size) == 0)
            rc = 0;
        pf_writer_free(&w);
    } else {
        fprintf(stderr, "pasidfuzz: out of memory\n");
    }
    free(src);
    free(bin);
    return rc;
}

static int pf_seed_target(const char *corpus, const char *outroot, enum pf_target_id t,
                          unsigned *total)
{
    const char *target = pf_target_info(t)->name;
    char *dir = pf_path(corpus, "scenarios", target);
    char *outdir = pf_path(outroot, target, NULL);
    char **names = NULL;
    size_t n = 0;
    int rc = PF_EXIT_USAGE;
    if (!dir || !outdir) {
        fprintf(stderr, "pasidfuzz: out of memory\n");
        goto out;
    }
    int lrc = pf_cli_list(dir, ".txt", &names, &n);
    if (lrc == 1) {
        rc = 0;     /* a target without scenarios */
        goto out;
    }
    if (lrc < 0) {
        fprintf(stderr, "pasidfuzz: cannot list %s: %s\n", dir, strerror(errno));
        goto out;
    }
    if (mkdir(outdir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "pasidfuzz: cannot create %s: %s\n", outdir, strerror(errno));
        goto out;
    }
    rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = pf_seed_one(dir, names[i], t, outdir);
    if (rc == 0) {
        printf("pasidfuzz: %zu seed(s) for %s in %s\n", n, target, outdir);
        *total += (unsigned)n;
    }
out:
    pf_cli_free_list(names, n);
    free(dir);
    free(outdir);
    return rc;
}

/* The seeds of raw-byte target t, written with its writer twins. */
static int pf_seed_raw_target(const char *outroot, enum pf_target_id t, unsigned *total)
{
    const char *target = pf_target_info(t)->name;
    char *outdir = pf_path(outroot, target, NULL);
    int rc = PF_EXIT_USAGE;
    unsigned n = 0;
    if (!outdir) {
        fprintf(stderr, "pasidfuzz: out of memory\n");
        return rc;
    }
    if (mkdir(outdir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "pasidfuzz: cannot create %s: %s\n", outdir, strerror(errno));
        free(outdir);
        return rc;
    }
    for (size_t i = 0;; i++) {
        struct pf_writer w;
        const char *name = NULL;
        pf_writer_init(&w);
        int brc = raw_seeds_build(t, i, &w, &name);
        char *bin = brc == 0 ? malloc(strlen(outdir) + strlen(name) + 6) : NULL;
        if (bin)
            sprintf(bin, "%s/%s.bin", outdir, name);
        else if (brc == 0)
            fprintf(stderr, "pasidfuzz: out of memory\n");
        int wrc = bin ? pf_cli_write(bin, w.data, w.size) : -1;
        free(bin);
        pf_writer_free(&w);
        if (brc == 1) {
            rc = 0;
            break;
        }
        if (wrc != 0)
            break;
        n++;
    }
    if (rc == 0) {
        printf("pasidfuzz: %u seed(s) for %s in %s\n", n, target, outdir);
        *total += n;
    }
    free(outdir);
    return rc;
}

int pf_cmd_seed(const struct pf_cli_opts *o)
{
    if (o->nargs > 1) {
        fprintf(stderr, "pasidfuzz: seed takes at most one CORPUS directory\n");
        return PF_EXIT_USAGE;
    }
    const char *corpus = o->nargs ? o->args[0] : PF_CORPUS_DIR;
    const char *outroot = o->out ? o->out : corpus;
    unsigned total = 0;
    for (unsigned t = 0; t < PF_TARGET_COUNT; t++) {
        int rc = pf_seed_target(corpus, outroot, (enum pf_target_id)t, &total);
        if (rc != 0)
            return rc;
    }
    /* No text scenarios: CORPUS is not a corpus folder, whatever C seeds
     * could still be written. */
    if (total == 0) {
        fprintf(stderr, "pasidfuzz: no scenarios under %s/scenarios/<target>/\n", corpus);
        return PF_EXIT_USAGE;
    }
    for (unsigned t = 0; t < PF_TARGET_COUNT; t++) {
        int rc = raw_seeds_has((enum pf_target_id)t)
                     ? pf_seed_raw_target(outroot, (enum pf_target_id)t, &total)
                     : 0;
        if (rc != 0)
            return rc;
    }
    return PF_EXIT_CLEAN;
}

/*
 * Standalone replay glue: files and directories, each input run
 * PF_REPLAY_RUNS times; a digest that differs between runs is a failure,
 * as is any violation. What ctest, triage and pasidfuzz-less scripts use.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "engine.h"
#include "target.h"

#define PF_REPLAY_RUNS 4
#define PF_MAX_INPUT (16u << 20)

static int pf_read_file(const char *path, uint8_t **data, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -errno;
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    int rc = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 4096;
            if (cap > PF_MAX_INPUT) {
                rc = -EFBIG;
                break;
            }
            uint8_t *p = realloc(buf, cap);
            if (!p) {
                rc = -ENOMEM;
                break;
            }
            buf = p;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0) {
            if (ferror(f))
                rc = -EIO;
            break;
        }
    }
    fclose(f);
    if (rc != 0) {
        free(buf);
        return rc;
    }
    *data = buf;
    *size = len;
    return 0;
}

static FILE *pf_trace_out;

static int pf_replay_file(const char *path, unsigned *count)
{
    uint8_t *data = NULL;
    size_t size = 0;
    int rc = pf_read_file(path, &data, &size);
    if (rc != 0) {
        fprintf(stderr, "pasidfuzz: cannot read %s: %s\n", path, strerror(-rc));
        return 2;
    }
    /* Trace the first run only; the others are there to compare digests. */
    pf_target_set_trace(pf_trace_out);
    uint64_t first = pf_target_run(data, size);
    pf_target_set_trace(NULL);
    for (unsigned i = 1; i < PF_REPLAY_RUNS; i++) {
        uint64_t again = pf_target_run(data, size);
        if (again != first) {
            fprintf(stderr,
                    "pasidfuzz: NONDETERMINISTIC: %s: run 1 digest %016llx, run %u digest %016llx\n",
                    path, (unsigned long long)first, i + 1, (unsigned long long)again);
            free(data);
            return 1;
        }
    }
    free(data);
    (*count)++;
    return 0;
}

static int pf_name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Regular files of a directory, in name order so runs are repeatable. */
static int pf_replay_dir(const char *path, unsigned *count)
{
    DIR *dir = opendir(path);
    if (!dir) {
        fprintf(stderr, "pasidfuzz: cannot open %s: %s\n", path, strerror(errno));
        return 2;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *de;
    while ((de = readdir(dir)) != NULL && rc == 0) {
        if (de->d_name[0] == '.')
            continue;
        size_t len = strlen(path) + strlen(de->d_name) + 2;
        char *full = malloc(len);
        if (!full || (n == cap && !(names = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof *names)))) {
            free(full);
            rc = 2;
            break;
        }
        snprintf(full, len, "%s/%s", path, de->d_name);
        struct stat st;
        if (stat(full, &st) == 0 && S_ISREG(st.st_mode))
            names[n++] = full;
        else
            free(full);
    }
    closedir(dir);
    if (rc != 0)
        fprintf(stderr, "pasidfuzz: out of memory listing %s\n", path);
    qsort(names, n, sizeof *names, pf_name_cmp);
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = pf_replay_file(names[i], count);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

static void pf_usage(const char *argv0)
{
    fprintf(stderr,
            "usage: %s [--trace] FILE|DIR...\n"
            "       %s --input-format\n"
            "Replays each input %d times; exits 0 when all are clean, 1 on a failure,\n"
            "2 on bad usage or an unreadable input. Violations abort.\n"
            "--input-format prints the op format of the target's input (\"raw\" for\n"
            "raw bytes), for scripts choosing a mutator (PF_OP_FORMAT of AFL++).\n",
            argv0, argv0, PF_REPLAY_RUNS);
}

int main(int argc, char **argv)
{
    int first = 1;
    if (pf_print_input_format(argc, argv))
        return 0;
    if (argc > 1 && strcmp(argv[1], "--trace") == 0) {
        first = 2;
    }
    if (first >= argc || (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0))) {
        pf_usage(argv[0]);
        return 2;
    }
    if (pf_target_init() != 0) {
        fprintf(stderr, "pasidfuzz: target init failed\n");
        return 2;
    }
    if (first == 2) {
        /* Line-buffered, so the trace up to a violation survives abort(). */
        setvbuf(stdout, NULL, _IOLBF, 0);
        pf_trace_out = stdout;
    }
    unsigned count = 0;
    for (int i = first; i < argc; i++) {
        struct stat st;
        int rc;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "pasidfuzz: cannot stat %s: %s\n", argv[i], strerror(errno));
            return 2;
        }
        rc = S_ISDIR(st.st_mode) ? pf_replay_dir(argv[i], &count) : pf_replay_file(argv[i], &count);
        if (rc != 0)
            return rc;
    }
    printf("pasidfuzz: replayed %u input(s) x%d, no violation\n", count, PF_REPLAY_RUNS);
    return 0;
}


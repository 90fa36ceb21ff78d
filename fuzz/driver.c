/*
 * Engine glue, the one place that knows about engines. Built three ways:
 *  PF_ENGINE_LIBFUZZER  LLVMFuzzerInitialize / LLVMFuzzerTestOneInput, and
 *                       for op-stream targets the structure-aware
 *                       LLVMFuzzerCustomMutator / LLVMFuzzerCustomCrossOver
 *  PF_ENGINE_AFL        AFL++ persistent mode with shared-memory input
 *  (neither)            standalone replay: files and directories, each input
 *                       run PF_REPLAY_RUNS times; a digest that differs
 *                       between runs is a failure, as is any violation.
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "op_frames.h"
#include "target.h"

#if !defined(PF_ENGINE_LIBFUZZER)
/* `--input-format`: the target's op format, "raw" for raw bytes, so
 * scripts know whether to load the AFL++ custom mutator and with which
 * PF_OP_FORMAT. */
static bool pf_print_input_format(int argc, char **argv)
{
    if (argc != 2 || strcmp(argv[1], "--input-format") != 0)
        return false;
    const struct pf_op_format *fmt = pf_target_format();
    printf("%s\n", fmt ? fmt->name : "raw");
    return true;
}
#endif

#if defined(PF_ENGINE_LIBFUZZER)

#include "op_mutator.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);
size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2,
                                 size_t size2, uint8_t *out, size_t max_out_size,
                                 unsigned int seed);

/* Share of mutations done whole ops at a time, in percent; the rest go to
 * libFuzzer's own byte mutations, which also shift op boundaries and use
 * its compare tables. PF_MUTATOR=off|on|0..100 sets it, so a campaign can
 * measure what the structural mutator is worth. */
#define PF_MUTATOR_DEFAULT_PCT 50
static unsigned pf_struct_pct;
static struct pf_mutator *pf_mutator;

static size_t pf_libfuzzer_bytes(void *ctx, uint8_t *data, size_t size, size_t max_size)
{
    (void)ctx;
    return LLVMFuzzerMutate(data, size, max_size);
}

static int pf_parse_pct(const char *s, unsigned *pct)
{
    char *end;
    if (!s || !*s) {
        *pct = PF_MUTATOR_DEFAULT_PCT;
        return 0;
    }
    if (strcmp(s, "off") == 0 || strcmp(s, "on") == 0) {
        *pct = s[1] == 'n' ? 100 : 0;
        return 0;
    }
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end || v > 100 || s[0] == '-')
        return -1;
    *pct = (unsigned)v;
    return 0;
}

static void pf_mutator_setup(void)
{
    const struct pf_op_format *fmt = pf_target_format();
    const char *env = getenv("PF_MUTATOR");
    if (pf_parse_pct(env, &pf_struct_pct) != 0) {
        fprintf(stderr, "pasidfuzz: PF_MUTATOR=%s: want off, on or a percentage 0..100\n", env);
        exit(2);
    }
    if (!fmt)
        pf_struct_pct = 0;
    if (pf_struct_pct > 0) {
        pf_mutator = pf_mutator_new(fmt, pf_libfuzzer_bytes, NULL);
        if (!pf_mutator) {
            fprintf(stderr, "pasidfuzz: cannot set up the op mutator for format %s\n", fmt->name);
            abort();
        }
    }
    fprintf(stderr, "pasidfuzz: structure-aware mutation %u%% (%s)\n", pf_struct_pct,
            fmt ? fmt->name : "raw-bytes target");
}

/*
 * PF_TARGET_CLOCK=1: sum the time spent in the target over all inputs and
 * print it at exit, so ci/measure/bench.sh can split a fuzzing run's time
 * per input between the target and the engine (mutation, feature
 * collection, corpus upkeep). Off by default; on, it costs two clock reads
 * per input.
 */
static bool pf_clock_on;
static uint64_t pf_clock_ns, pf_clock_inputs;

/* 0 if the clock cannot be read: the sum is then short, never garbage. */
static uint64_t pf_now_ns(void)
{
    struct timespec t;
    if (clock_gettime(CLOCK_MONOTONIC, &t) != 0)
        return 0;
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static void pf_clock_report(void)
{
    fprintf(stderr, "pf_target_clock: inputs %llu ns %llu\n", (unsigned long long)pf_clock_inputs,
            (unsigned long long)pf_clock_ns);
}

static void pf_clock_setup(void)
{
    const char *env = getenv("PF_TARGET_CLOCK");
    pf_clock_on = env && *env && strcmp(env, "0") != 0;
    if (pf_clock_on && atexit(pf_clock_report) != 0) {
        fprintf(stderr, "pasidfuzz: cannot register the PF_TARGET_CLOCK report\n");
        exit(2);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (pf_target_init() != 0) {
        fprintf(stderr, "pasidfuzz: target init failed\n");
        abort();
    }
    pf_mutator_setup();
    pf_clock_setup();
    return 0;
}

/* Decorrelates the structural-or-bytes choice from the mutator's own use
 * of the seed. */
static bool pf_pick_structural(unsigned int seed)
{
    return pf_mutator && ((uint64_t)seed * 0x9e3779b97f4a7c15ull >> 32) % 100 < pf_struct_pct;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
    if (pf_pick_structural(seed))
        return pf_mutate(pf_mutator, data, size, max_size, NULL, 0, seed);
    return LLVMFuzzerMutate(data, size, max_size);
}

/* 0 tells libFuzzer to pick another mutation, so with the op mutator off
 * the mix is the custom mutator's LLVMFuzzerMutate, which has its own
 * byte-level crossover. */
size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2,
                                 size_t size2, uint8_t *out, size_t max_out_size,
                                 unsigned int seed)
{
    if (!pf_pick_structural(seed))
        return 0;
    return pf_crossover(pf_mutator, data1, size1, data2, size2, out, max_out_size, seed);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!pf_clock_on) {
        (void)pf_target_run(data, size);
        return 0;
    }
    uint64_t t0 = pf_now_ns();
    (void)pf_target_run(data, size);
    uint64_t t1 = pf_now_ns();
    if (t0 && t1 >= t0)
        pf_clock_ns += t1 - t0;
    pf_clock_inputs++;
    return 0;
}

#elif defined(PF_ENGINE_AFL)

#include <unistd.h> /* __AFL_FUZZ_INIT reads stdin when not under afl-fuzz */

__AFL_FUZZ_INIT();

int main(int argc, char **argv)
{
    if (pf_print_input_format(argc, argv))
        return 0;
    if (pf_target_init() != 0) {
        fprintf(stderr, "pasidfuzz: target init failed\n");
        return 1;
    }
#ifdef __AFL_HAVE_MANUAL_CONTROL
    __AFL_INIT();
#endif
    const unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;
    while (__AFL_LOOP(100000)) {
        size_t len = (size_t)__AFL_FUZZ_TESTCASE_LEN;
        (void)pf_target_run(buf, len);
    }
    return 0;
}

#else /* standalone replay */

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

#endif

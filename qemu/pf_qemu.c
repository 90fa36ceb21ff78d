/*
 * pf_qemu: the harness's inputs against QEMU's intel-iommu (qemu/README.md).
 *
 *   pf_qemu info                                   QEMU, its command line, its hardware
 *   pf_qemu diff   [--target NAME] [-k] [--max-time S] FILE|DIR...  model and QEMU in lockstep
 *   pf_qemu target [--target NAME] [-k] [--max-time S] FILE|DIR...  QEMU alone: death, hang, messages
 *   pf_qemu bench  [--rounds N]                    no-op qtest round trips and resets per second
 *
 * A finding prints `pasidfuzz: VIOLATION qemu-<kind>: ...` and aborts; with
 * -k (--keep-going) it restarts QEMU and goes on with the next input, and
 * the exit status is 1. --max-time: no input starts after S seconds (the
 * rest are counted as left). Exit 0 clean, 1 findings, 2 bad usage or no QEMU.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "guest_driver.h"
#include "peer.h"
#include "qemu_diff_rules.h"
#include "qemu_peer.h"
#include "qemu_vtd.h"
#include "target_runs.h"
#include "text.h"
#include "vtd_spec.h"

struct run {
    struct qv v;
    struct pf_world *w;
    struct qp *peer;
    enum pf_target_id t;
    bool fixed;
    bool keep_going;
    double deadline;            /* no input starts after it (0: none) */
    unsigned findings, inputs, skipped;
    sigjmp_buf again;
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void usage(void)
{
    fprintf(stderr, "usage: pf_qemu info\n"
                    "       pf_qemu diff   [--target NAME] [-k|--keep-going] [--max-time S] FILE|DIR...\n"
                    "       pf_qemu target [--target NAME] [-k|--keep-going] [--max-time S] FILE|DIR...\n"
                    "       pf_qemu bench  [--rounds N]\n"
                    "targets: %s (default %s; FILE.txt's own target line)\n",
            pf_target_names(), pf_target_info(PF_TARGET_PASID_CACHE)->name);
}

static int read_file(const char *path, struct pf_writer *out)
{
    FILE *f = fopen(path, "rb");
    uint8_t buf[65536];
    size_t n;
    if (!f) {
        fprintf(stderr, "pf_qemu: %s: %s\n", path, strerror(errno));
        return -1;
    }
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        pf_write_bytes(out, buf, n);
    int bad = ferror(f) || !out->ok;
    fclose(f);
    if (bad)
        fprintf(stderr, "pf_qemu: %s: read error\n", path);
    return bad ? -1 : 0;
}

/* FILE.txt is encoded first; anything else is taken as bytes. */
static int load(struct run *r, const char *path, struct pf_writer *in, enum pf_target_id *t)
{
    struct pf_writer raw;
    size_t len = strlen(path);
    *t = r->t;
    if (len < 4 || strcmp(path + len - 4, ".txt") != 0)
        return read_file(path, in);
    pf_writer_init(&raw);
    int rc = read_file(path, &raw);
    struct pf_text_error err;
    if (rc == 0 && pf_text_encode((const char *)raw.data, raw.size, t, r->fixed, in, &err) != 0) {
        fprintf(stderr, "pf_qemu: %s:%u:%u: %s\n", path, err.line, err.col, err.msg);
        rc = -1;
    }
    pf_writer_free(&raw);
    return rc;
}

static void run_bytes(struct run *r, const struct pf_writer *in, enum pf_target_id t)
{
    (void)pf_target_runner(t)->run(r->w, in->data, in->size);
}

/* Every target's once-per-process check (targets.def). */
static int init_targets(void)
{
    for (unsigned t = 0; t < PF_TARGET_COUNT; t++)
        if (pf_target_runner((enum pf_target_id)t)->init() != 0)
            return -1;
    return 0;
}

static struct run *the_run;

/* A finding under -k: back to the input loop (the world is rebuilt from
 * scratch by the next input's begin). */
static void caught(void *opaque, const char *line)
{
    struct run *r = opaque;
    (void)line;
    r->findings++;
    siglongjmp(r->again, 1);
}

static int run_one(struct run *r, const char *path)
{
    struct pf_writer in;
    enum pf_target_id t;
    if (r->deadline > 0 && now() >= r->deadline) {
        r->skipped++;
        return 0;
    }
    pf_writer_init(&in);
    if (load(r, path, &in, &t) != 0) {
        pf_writer_free(&in);
        return -1;
    }
    r->inputs++;
    qv_set_input(&r->v, in.data, in.size, pf_target_info(t)->name);
    if (sigsetjmp(r->again, 1) == 0) {
        run_bytes(r, &in, t);
        qp_end(r->peer);
    }
    else
        fprintf(stderr, "pf_qemu: the finding above is in %s\n", path);
    qv_set_input(&r->v, NULL, 0, NULL);
    pf_writer_free(&in);
    return 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(struct run *r, const char *dir)
{
    DIR *d = opendir(dir);
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    int rc = 0;
    if (!d) {
        fprintf(stderr, "pf_qemu: %s: %s\n", dir, strerror(errno));
        return -1;
    }
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            char **p = realloc(names, cap * sizeof *names);
            if (!p)
                break;
            names = p;
        }
        names[n] = malloc(strlen(dir) + strlen(e->d_name) + 2);
        if (names[n])
            sprintf(names[n++], "%s/%s", dir, e->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n; i++) {
        rc |= run_one(r, names[i]);
        free(names[i]);
    }
    free(names);
    return rc;
}

static int run_path(struct run *r, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "pf_qemu: %s: %s\n", path, strerror(errno));
        return -1;
    }
    return S_ISDIR(st.st_mode) ? run_dir(r, path) : run_one(r, path);
}

static void print_hw(const struct qv *v)
{
    printf("qemu: %s (%s)\n", v->binary, v->version);
    printf("args: %s\n", v->cmdline);
    printf("cap 0x%016llx ecap 0x%016llx\n", (unsigned long long)v->cap,
           (unsigned long long)v->ecap);
    printf("model: pasid_bits %u, haw %u, fs_5level %u, guest RAM 2^%u bytes\n", v->hw.pasid_bits,
           v->hw.haw, v->hw.fs_5level, v->hw.mem_width);
}

static void print_slots(const char *what, const uint64_t *slots)
{
    printf("%s:", what);
    for (unsigned i = 0; i < QP_REG_SLOTS; i++) {
        if (!(slots[i / 64] & (1ull << (i % 64))))
            continue;
        const char *name = qd_reg_name(4 * i);
        const char *low = i ? qd_reg_name(4 * (i - 1)) : NULL;
        if (name)
            printf(" %s", name);
        else if (low && (i - 1) % 2 == 0)
            printf(" %s+4", low);
        else
            printf(" 0x%03x", 4 * i);
    }
    printf("\n");
}

/* What reached QEMU, and what QEMU said (qemu/README.md). */
static void print_coverage(const struct qp_stats *st)
{
    printf("cut short by rule:");
    for (unsigned i = 1; i < QD_STOP_N; i++)
        if (st->stops[i])
            printf(" %s x%llu", qd_stop_name((enum qd_stop)i), (unsigned long long)st->stops[i]);
    printf("\n");
    print_slots("registers read", st->reg_read);
    print_slots("registers written", st->reg_written);
    printf("descriptor types submitted:");
    for (unsigned t = 0; t < 128; t++)
        if (st->desc[t])
            printf(" %u x%llu", t, (unsigned long long)st->desc[t]);
    printf("\n");
    for (unsigned i = 0; i < st->nmsg; i++)
        printf("qemu message x%llu: %s\n", (unsigned long long)st->msg[i].count, st->msg[i].text);
    if (st->msg_untracked)
        printf("qemu messages past the first %d: %llu line(s), not judged\n", QP_MAX_MESSAGES,
               (unsigned long long)st->msg_untracked);
}

static int parse_run_opts(struct run *r, int argc, char **argv, int *first)
{
    int i = 2;
    r->t = PF_TARGET_PASID_CACHE;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "-k") == 0 || strcmp(argv[i], "--keep-going") == 0) {
            r->keep_going = true;
        } else if (strcmp(argv[i], "--target") == 0 && i + 1 < argc) {
            int t = pf_target_by_name(argv[++i]);
            if (t < 0) {
                fprintf(stderr, "pf_qemu: unknown target '%s'\n", argv[i]);
                return -1;
            }
            r->t = (enum pf_target_id)t;
            r->fixed = true;
        } else if (strcmp(argv[i], "--max-time") == 0 && i + 1 < argc) {
            char *end;
            double s = strtod(argv[++i], &end);
            if (*end || !(s > 0)) {
                fprintf(stderr, "pf_qemu: --max-time takes seconds > 0, not '%s'\n", argv[i]);
                return -1;
            }
            r->deadline = now() + s;
        } else {
            fprintf(stderr, "pf_qemu: unknown option '%s'\n", argv[i]);
            return -1;
        }
    }
    *first = i;
    if (i == argc)
        fprintf(stderr, "pf_qemu: %s takes one or more FILE|DIR\n", argv[1]);
    return i == argc ? -1 : 0;
}

static int cmd_run(int argc, char **argv, bool compare)
{
    static struct run r;
    int first, rc = 0;
    if (parse_run_opts(&r, argc, argv, &first) != 0) {
        usage();
        return 2;
    }
    if (qv_open(&r.v) != 0)
        return 2;
    if (init_targets() != 0 || !(r.w = pf_world_new_hw(&r.v.hw)) ||
        !(r.peer = qp_new(&r.v, r.w, compare))) {
        fprintf(stderr, "pf_qemu: cannot build the world\n");
        return 2;
    }
    pf_world_set_peer(r.w, qp_ops(), r.peer);
    the_run = &r;
    if (r.keep_going) {
        qv_set_catch(caught, &r);
        qt_keep_spare(r.v.qt, true);   /* -k restarts QEMU after each crash */
    }
    double t0 = now();
    for (int i = first; i < argc; i++)
        rc |= run_path(&r, argv[i]);
    double dt = now() - t0;
    static struct qp_stats st;
    qp_stats(r.peer, &st);
    printf("%s: %u inputs, %llu qtest commands, %llu MMIO accesses, %llu memory writes, %llu "
           "compares (%llu explained by qemu/qemu_diff_rules.c), %llu cut short before a step "
           "the spec leaves open or QEMU crashes on, %u left for lack of time, %.1f inputs/s, %.0f commands/s, %u finding(s)\n",
           compare ? "diff" : "target", r.inputs, (unsigned long long)qt_commands_total(r.v.qt),
           (unsigned long long)st.mmio, (unsigned long long)st.mem_writes,
           (unsigned long long)st.compares, (unsigned long long)st.masked,
           (unsigned long long)st.cut_short, r.skipped, dt > 0 ? r.inputs / dt : 0.0,
           dt > 0 ? (double)qt_commands_total(r.v.qt) / dt : 0.0, r.findings);
    print_coverage(&st);
    qp_free(r.peer);
    pf_world_free(r.w);
    qv_close(&r.v);
    return rc ? 2 : (r.findings ? 1 : 0);
}

static int cmd_info(void)
{
    struct qv v;
    if (qv_open(&v) != 0)
        return 2;
    print_hw(&v);
    qv_close(&v);
    return 0;
}

/* The yardstick: QEMU's own round trip, a register read that does nothing,
 * and a system reset, each back to back. */
static int cmd_bench(int argc, char **argv)
{
    long rounds = 20000;
    struct qv v;
    if (argc == 4 && strcmp(argv[2], "--rounds") == 0)
        rounds = strtol(argv[3], NULL, 10);
    if ((argc != 2 && argc != 4) || rounds <= 0) {
        usage();
        return 2;
    }
    if (qv_open(&v) != 0)
        return 2;
    uint64_t val;
    double t0 = now();
    for (long i = 0; i < rounds; i++)
        if (qt_readx(v.qt, QV_MMIO_BASE + VTD_REG_VER, 4, &val) != QT_OK)
            qv_qt_failure(&v, QT_DEAD, "bench");
    double t1 = now();
    for (long i = 0; i < rounds / 10; i++)
        if (qt_cmd(v.qt, NULL, "outb 0x%x 0x%x", QV_RESET_PORT, QV_RESET_VALUE) != QT_OK)
            qv_qt_failure(&v, QT_DEAD, "bench");
    double t2 = now();
    printf("noop round trips/s %.0f\nresets/s %.0f\n", rounds / (t1 - t0), (rounds / 10) / (t2 - t1));
    qv_close(&v);
    return 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 2) {
        usage();
        return 2;
    }
    if (strcmp(argv[1], "info") == 0 && argc == 2)
        return cmd_info();
    if (strcmp(argv[1], "diff") == 0)
        return cmd_run(argc, argv, true);
    if (strcmp(argv[1], "target") == 0)
        return cmd_run(argc, argv, false);
    if (strcmp(argv[1], "bench") == 0)
        return cmd_bench(argc, argv);
    usage();
    return 2;
}

/*
 * Starting QEMU, checking it, reading its hardware, and filing findings
 * (qemu_vtd.h). The field layouts of CAP and ECAP come from
 * model/vtd_spec.h, the one place they are written down.
 */
#define _GNU_SOURCE
#include "qemu_vtd.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qemu_diff_rules.h"
#include "vtd_spec.h"

#define QV_DEFAULT_BINARY "qemu-system-x86_64"
/* Scalable mode with PASID support (the model always has both); interrupt
 * remapping off, since it needs a split irqchip and is not under test. */
#define QV_DEFAULT_DEVICE "intel-iommu,x-scalable-mode=on,x-pasid-mode=on,intremap=off"
#define QV_DEFAULT_TIMEOUT_MS 10000
#define QV_MAX_ARGS 32
/* The most QEMU's qtest reads of its input per main-loop turn. */
#define QV_QTEST_READ_MAX 1024
/* Finding folders kept per group (qv_finding_dir). */
#define QV_PER_GROUP 4

static qv_catch_fn qv_catch;
static void *qv_catch_opaque;

void qv_set_catch(qv_catch_fn fn, void *opaque)
{
    qv_catch = fn;
    qv_catch_opaque = opaque;
}

static const char *qv_env(const char *name, const char *dflt)
{
    const char *v = getenv(name);
    return v && *v ? v : dflt;
}

/* True if name runs: a path that is executable, or found in PATH. */
static bool qv_findable(const char *name)
{
    if (strchr(name, '/'))
        return access(name, X_OK) == 0;
    const char *path = qv_env("PATH", "/usr/bin:/bin");
    char dir[4096];
    for (const char *p = path; *p;) {
        size_t n = strcspn(p, ":");
        snprintf(dir, sizeof dir, "%.*s/%s", (int)n, p, name);
        if (access(dir, X_OK) == 0)
            return true;
        p += n + (p[n] == ':');
    }
    return false;
}

static void qv_version(struct qv *v)
{
    char cmd[1200];
    /* Single quotes around the path, each quote in it closed and escaped. */
    size_t o = 0;
    cmd[o++] = '\'';
    for (const char *p = v->binary; *p && o < sizeof cmd - 40; p++) {
        if (*p == '\'') {
            memcpy(cmd + o, "'\\''", 4);
            o += 4;
        } else {
            cmd[o++] = *p;
        }
    }
    snprintf(cmd + o, sizeof cmd - o, "' --version 2>/dev/null");
    FILE *f = popen(cmd, "r");
    snprintf(v->version, sizeof v->version, "unknown version");
    if (f && fgets(v->version, sizeof v->version, f))
        v->version[strcspn(v->version, "\n")] = '\0';
    if (f)
        pclose(f);
}

static int qv_build_argv(struct qv *v, char *argv[QV_MAX_ARGS])
{
    static char device[512];
    snprintf(device, sizeof device, "%s", qv_env("PF_QEMU_DEVICE", QV_DEFAULT_DEVICE));
    char *const args[] = {v->binary, "-M", "q35", "-device", device, "-accel", "tcg", "-S",
                          "-display", "none", "-nodefaults", "-m", "1G", NULL};
    /* cmdline.txt is the machine; a replay adds `-qtest stdio` itself. */
    static char *const qtest[] = {"-qtest", "stdio", "-qtest-log", "/dev/null", NULL};
    size_t o = 0;
    int n = 0;
    v->cmdline[0] = '\0';
    for (int i = 0; args[i]; i++) {
        argv[n++] = args[i];
        if (i > 0)
            o += (size_t)snprintf(v->cmdline + o, sizeof v->cmdline - o, "%s%s", o ? " " : "",
                                  args[i]);
    }
    for (int i = 0; qtest[i]; i++)
        argv[n++] = qtest[i];
    argv[n] = NULL;
    return 0;
}

static void qv_stderr_line(struct qv *v, char *out, size_t n)
{
    char tail[4096];
    size_t len = qt_stderr_tail(v->qt, tail, sizeof tail);
    while (len > 0 && tail[len - 1] == '\n')
        tail[--len] = '\0';
    char *last = strrchr(tail, '\n');
    snprintf(out, n, "%s", last ? last + 1 : tail);
}

static int qv_start_failed(struct qv *v)
{
    char line[512];
    qv_stderr_line(v, line, sizeof line);
    if (strstr(line, "intel-iommu") && strstr(line, "not a valid device"))
        fprintf(stderr, "pf_qemu: %s has no intel-iommu device: %s\n", v->binary, line);
    else
        fprintf(stderr, "pf_qemu: QEMU died at start (%s): %s\n  command: %s %s\n",
                qt_error(v->qt), line[0] ? line : "(no stderr)", v->binary, v->cmdline);
    return -1;
}

/* The hardware QEMU reports, as the model's configuration; -1 with a
 * message when the model cannot describe it. */
static int qv_hardware(struct qv *v)
{
    uint64_t cap = v->cap, ecap = v->ecap;
    static const struct { uint64_t bit; const char *what; } need[] = {
        {VTD_ECAP_SMTS, "scalable mode (ECAP.SMTS): add x-scalable-mode=on to the device"},
        {VTD_ECAP_QI, "queued invalidation (ECAP.QI)"},
        {VTD_ECAP_PASID, "PASID support (ECAP.PASID): add x-pasid-mode=on to the device"},
    };
    for (size_t i = 0; i < sizeof need / sizeof need[0]; i++) {
        if (!(ecap & need[i].bit)) {
            fprintf(stderr, "pf_qemu: QEMU's intel-iommu lacks %s (ECAP 0x%016llx)\n",
                    need[i].what, (unsigned long long)ecap);
            return -1;
        }
    }
    unsigned haw = (unsigned)VTD_FIELD(cap, 21, 16) + 1;
    unsigned pasid_bits = (unsigned)VTD_FIELD(ecap, 39, 35) + 1;
    if (haw < 39 || haw > 52 || pasid_bits > 20) {
        fprintf(stderr, "pf_qemu: the model cannot describe MGAW %u bits / PSS %u bits\n", haw,
                pasid_bits);
        return -1;
    }
    v->hw = (struct pf_hw){.pasid_bits = (uint8_t)pasid_bits, .haw = (uint8_t)haw,
                           .fs_5level = (cap & VTD_CAP_FS5LP) != 0,
                           .mem_width = QV_RAM_WIDTH,
                           .sync_without_if = true};
    return 0;
}

static int qv_probe(struct qv *v)
{
    uint64_t ver = 0;
    if (qt_start(v->qt) != QT_OK || qt_readx(v->qt, QV_MMIO_BASE + VTD_REG_VER, 4, &ver) != QT_OK)
        return qv_start_failed(v);
    if (qt_readx(v->qt, QV_MMIO_BASE + VTD_REG_CAP, 8, &v->cap) != QT_OK ||
        qt_readx(v->qt, QV_MMIO_BASE + VTD_REG_ECAP, 8, &v->ecap) != QT_OK)
        return qv_start_failed(v);
    if (ver == 0 || ver == UINT32_MAX) {
        fprintf(stderr, "pf_qemu: nothing answers at 0x%llx (VER 0x%llx): no intel-iommu?\n",
                QV_MMIO_BASE, (unsigned long long)ver);
        return -1;
    }
    return qv_hardware(v);
}

int qv_open(struct qv *v)
{
    char *argv[QV_MAX_ARGS];
    memset(v, 0, sizeof *v);
    snprintf(v->binary, sizeof v->binary, "%s", qv_env("PF_QEMU", QV_DEFAULT_BINARY));
    if (!qv_findable(v->binary)) {
        fprintf(stderr, "pf_qemu: no QEMU: %s not found (install qemu-system-x86 with "
                        "ci/install-deps.sh, or set PF_QEMU=/path/to/qemu-system-x86_64)\n",
                v->binary);
        return -1;
    }
    qv_version(v);
    qv_build_argv(v, argv);
    int timeout = atoi(qv_env("PF_QEMU_TIMEOUT_MS", "0"));
    v->qt = qt_new(argv, timeout > 0 ? timeout : QV_DEFAULT_TIMEOUT_MS);
    if (!v->qt) {
        fprintf(stderr, "pf_qemu: out of memory\n");
        return -1;
    }
    if (qv_probe(v) != 0) {
        qv_close(v);
        return -1;
    }
    return 0;
}

void qv_close(struct qv *v)
{
    qt_free(v->qt);
    v->qt = NULL;
}

enum qt_status qv_reset(struct qv *v)
{
    enum qt_status st = qt_cmd(v->qt, NULL, "outb 0x%x 0x%x", QV_RESET_PORT, QV_RESET_VALUE);
    if (st == QT_OK)
        st = qt_send(v->qt, "readl 0x%0*llx", QV_QTEST_READ_MAX + 8, QV_MMIO_BASE + VTD_REG_VER);
    return st;
}

int qv_restart(struct qv *v)
{
    uint64_t ver;
    if (qt_start(v->qt) != QT_OK || qt_readx(v->qt, QV_MMIO_BASE + VTD_REG_VER, 4, &ver) != QT_OK) {
        qv_start_failed(v);
        return -1;
    }
    return 0;
}

/* ---- findings ---- */

void qv_set_input(struct qv *v, const void *input, size_t len, const char *target)
{
    v->input = input;
    v->input_len = len;
    v->target = target;
}

static int qv_write_file(const char *dir, const char *name, const char *data, size_t len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    size_t w = fwrite(data, 1, len, f);
    return (fclose(f) == 0 && w == len) ? 0 : -1;
}

static uint64_t qv_fnv(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 0x100000001b3ull;
    return h;
}

/* A new folder for a finding of this group: qemu-<hash>-<k>, the hash of
 * the line with its numbers masked, k below QV_PER_GROUP; false when the
 * group has its folders already (a campaign that hits one finding
 * thousands of times keeps a few) or on an error, which is said. */
static bool qv_finding_dir(const char *root, const char *line, char *dir, size_t n)
{
    char group[1100];
    qd_message(line, group, sizeof group);
    mkdir(root, 0777);
    for (unsigned k = 0; k < QV_PER_GROUP; k++) {
        snprintf(dir, n, "%s/qemu-%016llx-%u", root, (unsigned long long)qv_fnv(group), k);
        if (mkdir(dir, 0777) == 0)
            return true;
        if (errno != EEXIST) {
            fprintf(stderr, "pf_qemu: cannot make %s: %s\n", dir, strerror(errno));
            return false;
        }
    }
    return false;
}

/* The first n lines of the transcript (all of it when n is 0). */
static const char *qv_transcript_upto(struct qv *v, size_t n, size_t *len)
{
    const char *t = qt_transcript(v->qt, len);
    const char *end = t;
    for (size_t i = 0; n && i < n && (end = strchr(end, '\n')); i++)
        end++;
    if (n && end)
        *len = (size_t)(end - t);
    return t;
}

/* Line n of the transcript, without its '\n', into out. */
static void qv_transcript_line(struct qv *v, size_t n, char *out, size_t size)
{
    size_t len, start;
    const char *t = qv_transcript_upto(v, n - 1, &start);
    qv_transcript_upto(v, n, &len);
    snprintf(out, size, "%.*s", (int)(len > start ? len - start - 1 : 0), t + start);
}

/* expected.txt of a divergence: the spec's reply to the script's last command. */
static int qv_write_expected(const char *dir, const struct qv_wrong *w, const char *cmd)
{
    char text[1024];
    int n = snprintf(text, sizeof text,
                     "# The VT-d spec's reply (the model's) to the last command of the script,\n"
                     "# where QEMU's differs (reproducers/README.md, \"Wrong values\").\n"
                     "command: %s\nwhat: %s\nspec: %s\nqemu: %s\n",
                     cmd, w->what, w->spec, w->qemu);
    return qv_write_file(dir, "expected.txt", text, (size_t)n);
}

/* The folder for triage: the transcript up to line upto (0: all of it);
 * a failure to write it is said, never fatal. */
static void qv_file_finding(struct qv *v, const char *line, const struct qv_wrong *w)
{
    const char *root = getenv("PF_QEMU_FINDINGS");
    char dir[4096], text[2048], err[65536];
    size_t len;
    if (!root || !*root || !qv_finding_dir(root, line, dir, sizeof dir))
        return;
    const char *script = qv_transcript_upto(v, w ? w->line : 0, &len);
    int rc = qv_write_file(dir, "input.qtest", script, len);
    int n = snprintf(text, sizeof text, "%s\n", v->cmdline);
    rc |= qv_write_file(dir, "cmdline.txt", text, (size_t)n);
    n = snprintf(text, sizeof text, "%s\n%s\n", v->binary, v->version);
    rc |= qv_write_file(dir, "qemu.txt", text, (size_t)n);
    len = qt_stderr_tail(v->qt, err, sizeof err);
    rc |= qv_write_file(dir, "stderr.txt", err, len);
    n = snprintf(text, sizeof text, "%s\n", line);
    rc |= qv_write_file(dir, "finding.txt", text, (size_t)n);
    if (w) {
        qv_transcript_line(v, w->line, text, sizeof text);
        rc |= qv_write_expected(dir, w, text);
    }
    if (v->input && v->target) {
        rc |= qv_write_file(dir, "input.bin", v->input, v->input_len);
        n = snprintf(text, sizeof text, "%s\n", v->target);
        rc |= qv_write_file(dir, "target.txt", text, (size_t)n);
    }
    if (rc != 0)
        fprintf(stderr, "pf_qemu: could not write all of %s\n", dir);
}

/* "qemu-<kind>: <detail>" on one line. */
static void qv_line(char *line, size_t n, const char *kind, const char *fmt, va_list ap)
{
    int o = snprintf(line, n, "qemu-%s: ", kind);
    vsnprintf(line + o, n - (size_t)o, fmt, ap);
    for (char *p = line; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
}

static void qv_violation(const char *line)
{
    fprintf(stderr, "pasidfuzz: VIOLATION %s\n", line);
    fflush(stderr);
}

void qv_finding(struct qv *v, const char *kind, const char *fmt, ...)
{
    char line[1100];
    va_list ap;
    va_start(ap, fmt);
    qv_line(line, sizeof line, kind, fmt, ap);
    va_end(ap);
    qt_stop(v->qt);             /* its stderr is complete from here on */
    qv_file_finding(v, line, NULL);
    qv_violation(line);
    if (qv_catch) {
        if (qv_restart(v) == 0)
            qv_catch(qv_catch_opaque, line);
    }
    abort();
}

void qv_divergence(struct qv *v, const struct qv_wrong *w, const char *fmt, ...)
{
    char line[1100];
    va_list ap;
    va_start(ap, fmt);
    qv_line(line, sizeof line, "divergence", fmt, ap);
    va_end(ap);
    qv_file_finding(v, line, w);
    qv_violation(line);
    if (qv_catch)
        qv_catch(qv_catch_opaque, line);
    abort();
}

void qv_qt_failure(struct qv *v, enum qt_status st, const char *during)
{
    char last[512], saved[512], at[600] = "", cmd[400];
    size_t n = qt_unanswered(v->qt);
    snprintf(saved, sizeof saved, "%s", qt_error(v->qt));
    qt_stop(v->qt);
    qv_stderr_line(v, last, sizeof last);
    if (n) {
        qv_transcript_line(v, n, cmd, sizeof cmd);
        snprintf(at, sizeof at, "at `%s` (input.qtest line %zu)", cmd, n);
    } else {
        snprintf(at, sizeof at, "during %s", during);
    }
    if (st == QT_DEAD)
        qv_finding(v, "crash", "%s %s: %s",
                   qt_exit_reason(v->qt)[0] ? qt_exit_reason(v->qt) : saved, at,
                   last[0] ? last : saved);
    if (st == QT_HANG)
        qv_finding(v, "hang", "%s %s", saved, at);
    qv_finding(v, "error", "%s %s", saved, at);
}

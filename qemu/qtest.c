/*
 * The qtest client (qtest.h). The child's stdin and stdout are pipes, both
 * non-blocking on our side, every wait a poll() with the timeout; its
 * stderr goes to an unlinked temporary file that we read back, so QEMU can
 * never block on a full stderr pipe and its last words survive its death.
 */
#define _GNU_SOURCE
#include "qtest.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pf_hex.h"

#define QT_LINE_MAX 65536
#define QT_STDERR_TAIL 65536
/* Replies owed before qt_send waits for them: QEMU's stdout pipe must
 * never fill while we are still writing. */
#define QT_MAX_OWED 256

/* Commands are written to QEMU in batches of about this many bytes (and
 * whenever a reply is waited for): fewer writes for us and fewer, fuller
 * reads for QEMU. */
#define QT_WRITE_BATCH 4096

/* Where the reply to a command still owed goes. */
struct qt_dest {
    uint64_t *val;              /* the value of "OK <hex>" (NULL: not wanted) */
    void *buf;                  /* or the bytes of a `read` reply */
    size_t len;
};

/* A started child: its pid, stdin and stdout pipes, stderr file. */
struct qt_child {
    pid_t pid;
    int in_fd, out_fd, err_fd;
};

struct qtest {
    char **argv;
    int timeout_ms;
    pid_t pid;
    int in_fd, out_fd, err_fd;
    bool keep_spare;
    struct qt_child spare;      /* started, idle, taken by the next start */
    char rbuf[QT_LINE_MAX];
    size_t rlen;
    size_t owed;                /* commands written without their reply read */
    size_t owed_first;          /* dest[] index of the oldest of them */
    struct qt_dest dest[QT_MAX_OWED];
    char *log;                  /* the transcript */
    size_t log_len, log_cap, log_lines;
    size_t log_sent;            /* transcript bytes written to QEMU */
    uint64_t sent_total;        /* commands sent to every child so far */
    unsigned starts;            /* children started so far */
    off_t err_seen;             /* stderr bytes handed out by qt_stderr_new */
    char err[512];
    char exit_reason[128];
};

static enum qt_status qt_fail(struct qtest *q, enum qt_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void qt_close_child(struct qt_child *c);

static enum qt_status qt_fail(struct qtest *q, enum qt_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(q->err, sizeof q->err, fmt, ap);
    va_end(ap);
    return st;
}

struct qtest *qt_new(char *const argv[], int timeout_ms)
{
    struct qtest *q = calloc(1, sizeof *q);
    size_t n = 0;
    while (argv[n])
        n++;
    if (q)
        q->argv = calloc(n + 1, sizeof *q->argv);
    if (!q || !q->argv) {
        free(q);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        q->argv[i] = strdup(argv[i]);
        if (!q->argv[i]) {
            qt_free(q);
            return NULL;
        }
    }
    q->timeout_ms = timeout_ms;
    q->pid = q->spare.pid = -1;
    q->in_fd = q->out_fd = q->err_fd = -1;
    q->spare.in_fd = q->spare.out_fd = q->spare.err_fd = -1;
    return q;
}

void qt_free(struct qtest *q)
{
    if (!q)
        return;
    qt_stop(q);
    qt_close_child(&q->spare);
    for (size_t i = 0; q->argv && q->argv[i]; i++)
        free(q->argv[i]);
    free(q->argv);
    free(q->log);
    free(q);
}

char *const *qt_argv(const struct qtest *q)
{
    return q->argv;
}

bool qt_running(const struct qtest *q)
{
    return q->pid > 0;
}

const char *qt_error(const struct qtest *q)
{
    return q->err;
}

const char *qt_exit_reason(const struct qtest *q)
{
    return q->exit_reason;
}

const char *qt_transcript(const struct qtest *q, size_t *len)
{
    *len = q->log_len;
    return q->log ? q->log : "";
}

size_t qt_commands(const struct qtest *q)
{
    return q->log_lines;
}

uint64_t qt_commands_total(const struct qtest *q)
{
    return q->sent_total;
}

unsigned qt_starts(const struct qtest *q)
{
    return q->starts;
}

static void qt_close(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

static void qt_describe_exit(struct qtest *q, int status)
{
    if (WIFEXITED(status))
        snprintf(q->exit_reason, sizeof q->exit_reason, "exit %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(q->exit_reason, sizeof q->exit_reason, "signal %d (%s)", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
}

/* Reap the child, waiting at most the timeout, then killing it. */
static void qt_reap(struct qtest *q, bool kill_first)
{
    int status = 0;
    if (q->pid <= 0)
        return;
    if (kill_first)
        kill(q->pid, SIGKILL);
    for (int waited = 0; waitpid(q->pid, &status, WNOHANG) == 0; waited += 10) {
        if (waited >= q->timeout_ms)
            kill(q->pid, SIGKILL);
        usleep(10000);
    }
    if (!kill_first)
        qt_describe_exit(q, status);
    q->pid = -1;
}

void qt_stop(struct qtest *q)
{
    qt_close(&q->in_fd);
    qt_close(&q->out_fd);
    qt_reap(q, true);
    /* The stderr file stays readable until the next start. */
}

static int qt_stderr_file(void)
{
    char path[] = "/tmp/pf-qemu-stderr-XXXXXX";
    int fd = mkstemp(path);
    if (fd >= 0)
        unlink(path);
    return fd;
}

static void qt_exec_child(char *const argv[], int in[2], int out[2], int err_fd, pid_t parent)
{
    /* A child outlives no parent: QEMU keeps running when its input ends. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(127);
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err_fd, 2);
    for (int fd = 3; fd < 1024; fd++)
        close(fd);
    signal(SIGPIPE, SIG_DFL);
    execvp(argv[0], argv);
    dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

static void qt_close_child(struct qt_child *c)
{
    qt_close(&c->in_fd);
    qt_close(&c->out_fd);
    qt_close(&c->err_fd);
    if (c->pid > 0) {
        kill(c->pid, SIGKILL);
        waitpid(c->pid, NULL, 0);
    }
    c->pid = -1;
}

/* Starts a child into c; the reason in q->err when it cannot. */
static enum qt_status qt_spawn(struct qtest *q, struct qt_child *c)
{
    int in[2], out[2];
    pid_t parent = getpid();
    c->err_fd = qt_stderr_file();
    if (c->err_fd < 0)
        return qt_fail(q, QT_DEAD, "cannot make a file for QEMU's stderr: %s", strerror(errno));
    if (pipe2(in, O_CLOEXEC) != 0)
        return qt_fail(q, QT_DEAD, "pipe: %s", strerror(errno));
    if (pipe2(out, O_CLOEXEC) != 0) {
        close(in[0]);
        close(in[1]);
        return qt_fail(q, QT_DEAD, "pipe: %s", strerror(errno));
    }
    c->pid = fork();
    if (c->pid == 0)
        qt_exec_child(q->argv, in, out, c->err_fd, parent);
    close(in[0]);
    close(out[1]);
    c->in_fd = in[1];
    c->out_fd = out[0];
    if (c->pid < 0) {
        qt_close_child(c);
        return qt_fail(q, QT_DEAD, "fork: %s", strerror(errno));
    }
    fcntl(c->in_fd, F_SETFL, O_NONBLOCK);
    fcntl(c->out_fd, F_SETFL, O_NONBLOCK);
    return QT_OK;
}

/* The spare as the current child, if it is still alive. */
static bool qt_take_spare(struct qtest *q)
{
    struct qt_child *c = &q->spare;
    if (c->pid <= 0)
        return false;
    if (waitpid(c->pid, NULL, WNOHANG) != 0) {
        c->pid = -1;
        qt_close_child(c);
        return false;
    }
    q->pid = c->pid;
    q->in_fd = c->in_fd;
    q->out_fd = c->out_fd;
    q->err_fd = c->err_fd;
    *c = (struct qt_child){.pid = -1, .in_fd = -1, .out_fd = -1, .err_fd = -1};
    return true;
}

bool qt_has_spare(const struct qtest *q)
{
    return q->spare.pid > 0;
}

void qt_keep_spare(struct qtest *q, bool on)
{
    q->keep_spare = on;
    if (!on)
        qt_close_child(&q->spare);
}

enum qt_status qt_start(struct qtest *q)
{
    qt_stop(q);
    qt_close(&q->err_fd);
    q->rlen = q->owed = q->owed_first = q->log_len = q->log_lines = q->log_sent = 0;
    q->starts++;
    q->err_seen = 0;
    q->err[0] = q->exit_reason[0] = '\0';
    /* A dead child must show as EPIPE on our writes, not kill us. */
    signal(SIGPIPE, SIG_IGN);
    if (!qt_take_spare(q)) {
        struct qt_child c = {.pid = -1, .in_fd = -1, .out_fd = -1, .err_fd = -1};
        enum qt_status st = qt_spawn(q, &c);
        q->pid = c.pid;
        q->in_fd = c.in_fd;
        q->out_fd = c.out_fd;
        q->err_fd = c.err_fd;
        if (st != QT_OK)
            return st;
    }
    /* From the first restart on: a QEMU that died once tends to again. */
    if (q->keep_spare && q->starts > 1 && q->spare.pid <= 0 && qt_spawn(q, &q->spare) != QT_OK)
        q->err[0] = '\0';      /* no spare: the next start spawns, as without one */
    return QT_OK;
}

/* ---- stderr ---- */

static size_t qt_pread_all(int fd, char *buf, size_t n, off_t at)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = pread(fd, buf + got, n - got, at + (off_t)got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    return got;
}

static off_t qt_stderr_size(const struct qtest *q)
{
    struct stat st;
    return (q->err_fd >= 0 && fstat(q->err_fd, &st) == 0) ? st.st_size : 0;
}

size_t qt_stderr_tail(const struct qtest *q, char *buf, size_t n)
{
    if (n == 0)
        return 0;
    off_t size = qt_stderr_size(q);
    size_t want = n - 1 < QT_STDERR_TAIL ? n - 1 : QT_STDERR_TAIL;
    off_t at = size > (off_t)want ? size - (off_t)want : 0;
    size_t got = qt_pread_all(q->err_fd, buf, (size_t)(size - at), at);
    buf[got] = '\0';
    return got;
}

size_t qt_stderr_new(struct qtest *q, char *buf, size_t n)
{
    off_t size = qt_stderr_size(q);
    if (size <= q->err_seen || n == 0)
        return 0;
    size_t want = (size_t)(size - q->err_seen);
    if (want > n - 1)
        want = n - 1;
    size_t got = qt_pread_all(q->err_fd, buf, want, q->err_seen);
    while (got > 0 && buf[got - 1] != '\n')
        got--;          /* only whole lines; the rest comes next time */
    q->err_seen += (off_t)got;
    buf[got] = '\0';
    return got;
}

/* ---- writing commands ---- */

static int qt_log_add(struct qtest *q, const char *line, size_t len)
{
    if (q->log_len + len + 1 > q->log_cap) {
        size_t cap = q->log_cap ? q->log_cap : 65536;
        while (cap < q->log_len + len + 1)
            cap *= 2;
        char *p = realloc(q->log, cap);
        if (!p)
            return -1;
        q->log = p;
        q->log_cap = cap;
    }
    memcpy(q->log + q->log_len, line, len);
    q->log_len += len;
    q->log[q->log_len] = '\0';
    q->log_lines++;
    q->sent_total++;
    return 0;
}

static enum qt_status qt_wait_fd(struct qtest *q, int fd, short events, const char *what)
{
    struct pollfd p = {.fd = fd, .events = events};
    int r;
    do
        r = poll(&p, 1, q->timeout_ms);
    while (r < 0 && errno == EINTR);
    if (r == 0)
        return qt_fail(q, QT_HANG, "no %s within %d ms", what, q->timeout_ms);
    if (r < 0)
        return qt_fail(q, QT_DEAD, "poll: %s", strerror(errno));
    return QT_OK;
}

/* Replies QEMU wrote before it died, still in the pipe: counted as
 * answered, so the oldest command still owed is the one it died on. */
static void qt_drain_dead(struct qtest *q)
{
    ssize_t r = 1;
    while (q->owed > 0) {
        char *nl = memchr(q->rbuf, '\n', q->rlen);
        if (!nl && (r <= 0 || q->rlen == sizeof q->rbuf || q->out_fd < 0))
            return;
        if (!nl) {
            r = read(q->out_fd, q->rbuf + q->rlen, sizeof q->rbuf - q->rlen);
            q->rlen += r > 0 ? (size_t)r : 0;
            continue;
        }
        if (strncmp(q->rbuf, "IRQ ", 4) != 0) {
            q->owed--;
            q->owed_first = (q->owed_first + 1) % QT_MAX_OWED;
        }
        q->rlen -= (size_t)(nl + 1 - q->rbuf);
        memmove(q->rbuf, nl + 1, q->rlen);
    }
}

static enum qt_status qt_dead(struct qtest *q, const char *what)
{
    qt_close(&q->in_fd);
    qt_reap(q, false);
    qt_drain_dead(q);
    qt_close(&q->out_fd);
    return qt_fail(q, QT_DEAD, "QEMU went away (%s; %s)", what,
                   q->exit_reason[0] ? q->exit_reason : "not reaped");
}

size_t qt_unanswered(const struct qtest *q)
{
    return q->owed ? q->log_lines - q->owed + 1 : 0;
}

static enum qt_status qt_write_all(struct qtest *q, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t w = write(q->in_fd, buf, len);
        if (w < 0 && errno == EAGAIN) {
            enum qt_status st = qt_wait_fd(q, q->in_fd, POLLOUT, "room in QEMU's stdin");
            if (st != QT_OK)
                return st;
            continue;
        }
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return qt_dead(q, errno == EPIPE ? "stale pipe: EPIPE writing a command" : strerror(errno));
        buf += w;
        len -= (size_t)w;
    }
    return QT_OK;
}

/* Every command queued so far, written to QEMU. */
static enum qt_status qt_flush(struct qtest *q)
{
    size_t len = q->log_len - q->log_sent;
    if (len == 0 || q->pid <= 0)
        return QT_OK;
    q->log_sent = q->log_len;
    return qt_write_all(q, q->log + q->log_len - len, len);
}

/* Queues one command; its reply, once read, goes to d. The command counts
 * as owed from the start, so a QEMU that dies on it is seen to. */
static enum qt_status qt_vsend(struct qtest *q, struct qt_dest d, const char *fmt, va_list ap)
{
    char small[256], *line = small;
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    if (n >= 0 && (size_t)n + 1 >= sizeof small) {
        line = malloc((size_t)n + 2);
        if (line)
            vsnprintf(line, (size_t)n + 1, fmt, ap2);
    }
    va_end(ap2);
    if (n < 0 || !line)
        return qt_fail(q, QT_PROTO, "cannot format a command");
    if (q->pid <= 0)
        return qt_fail(q, QT_DEAD, "no QEMU running");
    line[n] = '\n';
    enum qt_status st = QT_OK;
    if (qt_log_add(q, line, (size_t)n + 1) != 0)
        st = qt_fail(q, QT_PROTO, "out of memory");
    if (line != small)
        free(line);
    if (st != QT_OK)
        return st;
    q->dest[(q->owed_first + q->owed) % QT_MAX_OWED] = d;
    q->owed++;
    return q->log_len - q->log_sent >= QT_WRITE_BATCH ? qt_flush(q) : QT_OK;
}

/* ---- reading replies ---- */

static enum qt_status qt_read_line(struct qtest *q, char *line, size_t n)
{
    for (;;) {
        char *nl = memchr(q->rbuf, '\n', q->rlen);
        if (nl) {
            size_t len = (size_t)(nl - q->rbuf);
            if (len >= n)
                return qt_fail(q, QT_PROTO, "reply line of %zu bytes", len);
            memcpy(line, q->rbuf, len);
            line[len] = '\0';
            q->rlen -= len + 1;
            memmove(q->rbuf, nl + 1, q->rlen);
            return QT_OK;
        }
        if (q->rlen == sizeof q->rbuf)
            return qt_fail(q, QT_PROTO, "reply line longer than %d bytes", QT_LINE_MAX);
        if (q->out_fd < 0)
            return qt_fail(q, QT_DEAD, "no QEMU running");
        enum qt_status st = qt_wait_fd(q, q->out_fd, POLLIN, "reply");
        if (st != QT_OK)
            return st;
        ssize_t r = read(q->out_fd, q->rbuf + q->rlen, sizeof q->rbuf - q->rlen);
        if (r == 0)
            return qt_dead(q, "EOF on its stdout");
        if (r < 0 && errno != EAGAIN && errno != EINTR)
            return qt_dead(q, strerror(errno));
        if (r > 0)
            q->rlen += (size_t)r;
    }
}

/* The next reply, skipping asynchronous event lines ("IRQ ..."). */
static enum qt_status qt_reply(struct qtest *q, char *line, size_t n)
{
    enum qt_status st;
    do
        st = qt_read_line(q, line, n);
    while (st == QT_OK && strncmp(line, "IRQ ", 4) == 0);
    return st;
}

/* Reads the reply to the oldest command owed into its destination. */
static enum qt_status qt_take_reply(struct qtest *q)
{
    char line[256 + 2 * QT_READ_MAX], why[160];
    const struct qt_dest *d = &q->dest[q->owed_first];
    enum qt_status st = qt_flush(q);
    if (st == QT_OK)
        st = qt_reply(q, line, sizeof line);
    if (st != QT_OK)
        return st;
    if (d->buf && qt_parse_bytes(line, d->buf, d->len) != 0)
        return qt_fail(q, QT_PROTO, "bad reply to read: '%.80s'", line);
    if (!d->buf && qt_parse_reply(line, d->val, why, sizeof why) != QT_OK)
        return qt_fail(q, QT_PROTO, "%s", why);
    q->owed--;
    q->owed_first = (q->owed_first + 1) % QT_MAX_OWED;
    return QT_OK;
}

enum qt_status qt_sync(struct qtest *q)
{
    while (q->owed > 0) {
        enum qt_status st = qt_take_reply(q);
        if (st != QT_OK)
            return st;
    }
    q->err[0] = '\0';
    return QT_OK;
}

static enum qt_status qt_vqueue(struct qtest *q, struct qt_dest d, const char *fmt, va_list ap)
{
    if (q->owed >= QT_MAX_OWED) {
        enum qt_status st = qt_sync(q);
        if (st != QT_OK)
            return st;
    }
    return qt_vsend(q, d, fmt, ap);
}

static enum qt_status qt_queue(struct qtest *q, struct qt_dest d, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum qt_status qt_queue(struct qtest *q, struct qt_dest d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    enum qt_status st = qt_vqueue(q, d, fmt, ap);
    va_end(ap);
    return st;
}

enum qt_status qt_send(struct qtest *q, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    enum qt_status st = qt_vqueue(q, (struct qt_dest){0}, fmt, ap);
    va_end(ap);
    return st;
}

enum qt_status qt_cmd(struct qtest *q, uint64_t *val, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    enum qt_status st = qt_vqueue(q, (struct qt_dest){.val = val}, fmt, ap);
    va_end(ap);
    return st == QT_OK ? qt_sync(q) : st;
}

static const char *qt_size_suffix(unsigned size)
{
    switch (size) {
    case 1: return "b";
    case 2: return "w";
    case 4: return "l";
    default: return "q";
    }
}

enum qt_status qt_queue_readx(struct qtest *q, uint64_t addr, unsigned size, uint64_t *val)
{
    return qt_queue(q, (struct qt_dest){.val = val}, "read%s 0x%llx", qt_size_suffix(size),
                    (unsigned long long)addr);
}

enum qt_status qt_queue_writex(struct qtest *q, uint64_t addr, unsigned size, uint64_t val)
{
    return qt_queue(q, (struct qt_dest){0}, "write%s 0x%llx 0x%llx", qt_size_suffix(size),
                    (unsigned long long)addr, (unsigned long long)val);
}

enum qt_status qt_readx(struct qtest *q, uint64_t addr, unsigned size, uint64_t *val)
{
    enum qt_status st = qt_queue_readx(q, addr, size, val);
    return st == QT_OK ? qt_sync(q) : st;
}

enum qt_status qt_writex(struct qtest *q, uint64_t addr, unsigned size, uint64_t val)
{
    enum qt_status st = qt_queue_writex(q, addr, size, val);
    return st == QT_OK ? qt_sync(q) : st;
}

enum qt_status qt_mem_write(struct qtest *q, uint64_t addr, const void *buf, size_t len)
{
    char small[2 * 64 + 3], *hex = len <= 64 ? small : malloc(2 * len + 3);
    if (!hex)
        return qt_fail(q, QT_PROTO, "out of memory");
    enum qt_status st = qt_send(q, "write 0x%llx 0x%zx %s", (unsigned long long)addr, len,
                                qt_hex(buf, len, hex));
    if (hex != small)
        free(hex);
    return st;
}

enum qt_status qt_queue_mem_read(struct qtest *q, uint64_t addr, void *buf, size_t len)
{
    if (len == 0 || len > QT_READ_MAX)
        return qt_fail(q, QT_PROTO, "read of %zu bytes: 1 to %d", len, QT_READ_MAX);
    return qt_queue(q, (struct qt_dest){.buf = buf, .len = len}, "read 0x%llx 0x%zx",
                    (unsigned long long)addr, len);
}

enum qt_status qt_mem_read(struct qtest *q, uint64_t addr, void *buf, size_t len)
{
    enum qt_status st = qt_queue_mem_read(q, addr, buf, len);
    return st == QT_OK ? qt_sync(q) : st;
}

/* ---- protocol ---- */

enum qt_status qt_parse_reply(const char *line, uint64_t *val, char *why, size_t why_len)
{
    uint64_t v = 0;
    if (strcmp(line, "OK") == 0) {
        if (val)
            *val = 0;
        return QT_OK;
    }
    if (strncmp(line, "OK 0x", 5) != 0) {
        snprintf(why, why_len, "QEMU replied '%.100s'", line);
        return QT_PROTO;
    }
    const char *p = line + 5;
    size_t digits = 0;
    for (; *p; p++, digits++) {
        int d = pf_hex_digit(*p);
        if (d < 0 || digits == 16) {
            snprintf(why, why_len, "bad value in reply '%.100s'", line);
            return QT_PROTO;
        }
        v = v << 4 | (uint64_t)d;
    }
    if (digits == 0) {
        snprintf(why, why_len, "empty value in reply '%.100s'", line);
        return QT_PROTO;
    }
    if (val)
        *val = v;
    return QT_OK;
}

int qt_parse_bytes(const char *line, void *buf, size_t len)
{
    uint8_t *out = buf;
    if (strncmp(line, "OK 0x", 5) != 0 || strlen(line + 5) != 2 * len)
        return -1;
    for (size_t i = 0; i < len; i++) {
        int hi = pf_hex_digit(line[5 + 2 * i]), lo = pf_hex_digit(line[6 + 2 * i]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

char *qt_hex(const void *buf, size_t len, char *out)
{
    static const char digits[] = "0123456789abcdef";
    const uint8_t *in = buf;
    out[0] = '0';
    out[1] = 'x';
    for (size_t i = 0; i < len; i++) {
        out[2 + 2 * i] = digits[in[i] >> 4];
        out[3 + 2 * i] = digits[in[i] & 15];
    }
    out[2 + 2 * len] = '\0';
    return out;
}

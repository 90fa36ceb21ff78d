/*
 * pasidfuzz run: each input in a child process, so a violation (which
 * aborts, for the engines' sake) becomes a verdict and exit status 1 here
 * instead of the end of the tool. The child's stderr passes through a pipe
 * so the verdict can name the violation.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "op_stream.h"
#include "target_runs.h"
#include "text.h"

static void pf_trace_op(void *ctx, const struct pf_op *op, enum pf_dialect d)
{
    FILE *out = ctx;
    struct pf_writer w;
    pf_writer_init(&w);
    pf_text_op(&w, op, d);
    if (w.ok)
        fprintf(out, "input: %.*s\n", (int)w.size, (const char *)w.data);
    pf_writer_free(&w);
}

/* One run as target t; the op stream's trace has its ops as text lines,
 * the raw targets trace their own steps. */
static uint64_t pf_run_as(struct pf_world *w, const struct pf_writer *in, enum pf_target_id t,
                          bool trace)
{
    enum pf_dialect d = pf_target_info(t)->dialect;
    if (d != PF_DIALECT_NONE)
        return pf_op_stream_run(w, in->data, in->size, d, trace ? pf_trace_op : NULL, stdout);
    return pf_target_runner(t)->run(w, in->data, in->size);
}

/* The child: run twice (the digest must not change), trace the first. */
static void pf_child(struct pf_world *w, const struct pf_writer *in, enum pf_target_id t,
                     bool trace)
{
    const struct pf_target_runner *r = pf_target_runner(t);
    if (r->init() != 0) {
        fprintf(stderr, "pasidfuzz: %s cannot run here (its init failed)\n",
                pf_target_info(t)->name);
        fflush(NULL);
        _exit(PF_EXIT_FAIL);
    }
    if (trace) {
        setvbuf(stdout, NULL, _IOLBF, 0);   /* the trace survives an abort */
        pf_world_set_trace(w, stdout);
    }
    uint64_t first = pf_run_as(w, in, t, trace);
    pf_world_set_trace(w, NULL);
    uint64_t again = pf_run_as(w, in, t, false);
    if (again != first) {
        fprintf(stderr, "pasidfuzz: NONDETERMINISTIC: digest %016llx, then %016llx\n",
                (unsigned long long)first, (unsigned long long)again);
        fflush(NULL);
        _exit(PF_EXIT_FAIL);
    }
    fflush(NULL);
    _exit(PF_EXIT_CLEAN);
}

/* Pass the child's stderr through; remember the id of a VIOLATION line. */
static void pf_relay(int fd, char *id, size_t idsize)
{
    static const char tag[] = "pasidfuzz: VIOLATION ";
    char line[512], buf[4096];
    size_t len = 0;
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        fwrite(buf, 1, (size_t)n, stderr);
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] != '\n') {
                if (len + 1 < sizeof line)
                    line[len++] = buf[i];
                continue;
            }
            line[len] = '\0';
            if (!id[0] && strncmp(line, tag, sizeof tag - 1) == 0)
                snprintf(id, idsize, "%.*s", (int)strcspn(line + sizeof tag - 1, ":"),
                         line + sizeof tag - 1);
            len = 0;
        }
    }
    fflush(stderr);
}

static int pf_run_one(struct pf_world *w, const char *path, const struct pf_cli_opts *o)
{
    struct pf_writer in;
    pf_writer_init(&in);
    enum pf_target_id t = o->t;
    if (pf_cli_load(path, &t, o->fixed, &in) != 0) {
        pf_writer_free(&in);
        return PF_EXIT_USAGE;
    }
    int fds[2];
    fflush(NULL);
    pid_t pid = pipe(fds) == 0 ? fork() : -1;
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], STDERR_FILENO);
        close(fds[1]);
        pf_child(w, &in, t, o->trace);
    }
    pf_writer_free(&in);
    if (pid < 0) {
        fprintf(stderr, "pasidfuzz: cannot start a child for %s: %s\n", path, strerror(errno));
        return PF_EXIT_USAGE;
    }
    close(fds[1]);
    char id[64] = "";
    pf_relay(fds[0], id, sizeof id);
    close(fds[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (WIFEXITED(status) && WEXITSTATUS(status) == PF_EXIT_CLEAN) {
        printf("%s: clean\n", path);
        return PF_EXIT_CLEAN;
    }
    if (id[0])
        printf("%s: VIOLATION %s\n", path, id);
    else if (WIFSIGNALED(status))
        printf("%s: FAILED: killed by signal %d (%s)\n", path, WTERMSIG(status),
               strsignal(WTERMSIG(status)));
    else
        printf("%s: FAILED: exit status %d\n", path, WEXITSTATUS(status));
    return PF_EXIT_FAIL;
}

int pf_cmd_run(const struct pf_cli_opts *o)
{
    if (o->nargs < 1) {
        fprintf(stderr, "pasidfuzz: run takes one or more FILEs\n");
        return PF_EXIT_USAGE;
    }
    struct pf_world *w = pf_world_new();
    if (!w) {
        fprintf(stderr, "pasidfuzz: out of memory\n");
        return PF_EXIT_USAGE;
    }
    int worst = PF_EXIT_CLEAN;
    unsigned clean = 0, failed = 0, bad = 0;
    for (int i = 0; i < o->nargs; i++) {
        int rc = pf_run_one(w, o->args[i], o);
        clean += rc == PF_EXIT_CLEAN;
        failed += rc == PF_EXIT_FAIL;
        bad += rc == PF_EXIT_USAGE;
        /* A file that cannot be read outranks a failure: the run is void. */
        if (rc == PF_EXIT_USAGE || (rc == PF_EXIT_FAIL && worst == PF_EXIT_CLEAN))
            worst = rc;
    }
    pf_world_free(w);
    printf("pasidfuzz: %d input(s): %u clean, %u failed, %u unreadable or malformed\n", o->nargs,
           clean, failed, bad);
    return worst;
}

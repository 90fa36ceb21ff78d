#include "check.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int check_failures;

/* Reads everything the child wrote to the pipe (bounded) and reaps it. */
static int run_child(void (*fn)(void *), void *arg, char *buf, size_t cap, int *status)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], STDERR_FILENO);
        close(fds[1]);
        fn(arg);
        fflush(NULL);
        _exit(0);
    }
    close(fds[1]);
    size_t used = 0;
    for (;;) {
        ssize_t n = read(fds[0], buf + used, cap - 1 - used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        used += (size_t)n;
        if (used == cap - 1) {
            char sink[512];
            while (read(fds[0], sink, sizeof sink) > 0)
                ;
            break;
        }
    }
    buf[used] = '\0';
    close(fds[0]);
    while (waitpid(pid, status, 0) < 0) {
        if (errno != EINTR)
            return -1;
    }
    return 0;
}

static bool has_line_prefix(const char *text, const char *prefix)
{
    size_t plen = strlen(prefix);
    for (const char *line = text; *line; ) {
        if (strncmp(line, prefix, plen) == 0)
            return true;
        const char *nl = strchr(line, '\n');
        if (!nl)
            break;
        line = nl + 1;
    }
    return false;
}

bool check_dies_with(void (*fn)(void *), void *arg, const char *expected_line_prefix)
{
    static char out[16384];
    int status = 0;
    if (run_child(fn, arg, out, sizeof out, &status) != 0) {
        fprintf(stderr, "death test: could not fork\n");
        return false;
    }
    bool aborted = WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
    bool line = has_line_prefix(out, expected_line_prefix);
    if (!aborted || !line) {
        fprintf(stderr, "death test: expected abort with line '%s'; got %s, stderr:\n%s\n",
                expected_line_prefix, aborted ? "abort" : "no abort", out);
        return false;
    }
    return true;
}

bool check_survives(void (*fn)(void *), void *arg)
{
    static char out[16384];
    int status = 0;
    if (run_child(fn, arg, out, sizeof out, &status) != 0) {
        fprintf(stderr, "survival test: could not fork\n");
        return false;
    }
    bool clean = WIFEXITED(status) && WEXITSTATUS(status) == 0 && !strstr(out, "VIOLATION");
    if (!clean)
        fprintf(stderr, "survival test: child did not survive cleanly, stderr:\n%s\n", out);
    return clean;
}

int check_main(int argc, char **argv, const struct check_test *tests, size_t n)
{
    int ran = 0;
    for (size_t i = 0; i < n; i++) {
        bool wanted = argc < 2;
        for (int a = 1; a < argc && !wanted; a++)
            wanted = strcmp(argv[a], tests[i].name) == 0;
        if (!wanted)
            continue;
        int before = check_failures;
        tests[i].fn();
        ran++;
        printf("%s %s\n", check_failures == before ? "PASS" : "FAIL", tests[i].name);
    }
    if (ran == 0) {
        fprintf(stderr, "no test matched\n");
        return 2;
    }
    return check_failures ? 1 : 0;
}

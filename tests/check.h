/*
 * A tiny test harness: CHECK records a failure and goes on, a test is a
 * function, main() runs the ones named on the command line (or all).
 * Death tests fork, run the body in the child with stderr captured, and
 * require that the child aborted after printing an exact line.
 */
#ifndef PASIDFUZZ_TESTS_CHECK_H
#define PASIDFUZZ_TESTS_CHECK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

extern int check_failures;

#define CHECK(cond)                                                             \
    do {                                                                        \
        if (!(cond)) {                                                          \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__,    \
                    #cond);                                                     \
            check_failures++;                                                   \
        }                                                                       \
    } while (0)

#define CHECK_EQ_U64(a, b)                                                      \
    do {                                                                        \
        uint64_t check_a_ = (uint64_t)(a), check_b_ = (uint64_t)(b);            \
        if (check_a_ != check_b_) {                                             \
            fprintf(stderr, "%s:%d: CHECK failed: %s == %s (0x%llx != 0x%llx)\n",\
                    __FILE__, __LINE__, #a, #b, (unsigned long long)check_a_,   \
                    (unsigned long long)check_b_);                              \
            check_failures++;                                                   \
        }                                                                       \
    } while (0)

struct check_test {
    const char *name;
    void (*fn)(void);
};

/* Runs fn in a child; true iff it aborted (SIGABRT) and its stderr held a
 * line starting with expected_line_prefix. On mismatch prints what it saw. */
bool check_dies_with(void (*fn)(void *), void *arg, const char *expected_line_prefix);

/* Runs fn in a child; true iff it returned normally with nothing on stderr
 * matching "VIOLATION". */
bool check_survives(void (*fn)(void *), void *arg);

#define CHECK_DIES(fn, arg, prefix) CHECK(check_dies_with((fn), (arg), (prefix)))
#define CHECK_SURVIVES(fn, arg)     CHECK(check_survives((fn), (arg)))

/* Run the tests named in argv (all if none) and return the exit status. */
int check_main(int argc, char **argv, const struct check_test *tests, size_t n);

#define CHECK_MAIN(...)                                                         \
    int main(int argc, char **argv)                                             \
    {                                                                           \
        static const struct check_test tests_[] = {__VA_ARGS__};                \
        return check_main(argc, argv, tests_, sizeof tests_ / sizeof tests_[0]);\
    }
#define TEST(fn) {#fn, fn}

#endif

/*
 * AFL++ glue: persistent mode with shared-memory input, built with
 * afl-clang-fast (preset afl).
 */
#include <stdio.h>
#include <unistd.h> /* __AFL_FUZZ_INIT reads stdin when not under afl-fuzz */

#include "engine.h"
#include "target.h"

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

/*
 * What the engine glue files share. Each engine is one file of this folder
 * (libfuzzer.c, afl.c, replay.c), and a target binary links exactly one of
 * them: these files are the only ones that know about engines.
 */
#ifndef PASIDFUZZ_ENGINE_H
#define PASIDFUZZ_ENGINE_H

#include <stdbool.h>

/* True (and the format printed) when argv is `PROG --input-format`. */
bool pf_print_input_format(int argc, char **argv);

#endif

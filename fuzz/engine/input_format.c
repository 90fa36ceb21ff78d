/*
 * `--input-format`, shared by the engines that have a main() of their own
 * (AFL++ persistent mode and replay): prints the target's name when its
 * input is an op stream, "raw" for raw bytes, so scripts know whether to
 * load the AFL++ custom mutator and with which PF_OP_FORMAT.
 */
#include <stdio.h>
#include <string.h>

#include "engine.h"
#include "target.h"

bool pf_print_input_format(int argc, char **argv)
{
    if (argc != 2 || strcmp(argv[1], "--input-format") != 0)
        return false;
    printf("%s\n", pf_target_dialect() != PF_DIALECT_NONE ? pf_target_name() : "raw");
    return true;
}

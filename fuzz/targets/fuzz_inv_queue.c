/* fuzz_inv_queue: what it runs is its row of fuzz/input/targets.def. */
#include "target.h"

PF_TARGET_BINARY(INV_QUEUE);

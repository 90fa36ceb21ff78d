/* fuzz_pasid_table: what it runs is its row of fuzz/input/targets.def. */
#include "target.h"

PF_TARGET_BINARY(PASID_TABLE);

/* The registry's name, dialect, format and max_len columns (targets.def). */
#include "targets.h"

#include <stdio.h>
#include <string.h>

static const struct pf_target_info pf_targets[PF_TARGET_COUNT] = {
#define PF_TARGET(id, name, dialect, format, max_len, ...)                      \
    [PF_TARGET_##id] = {#name, dialect, format, max_len},
#include "targets.def"
#undef PF_TARGET
};

const struct pf_target_info *pf_target_info(enum pf_target_id t)
{
    return (unsigned)t < PF_TARGET_COUNT ? &pf_targets[t] : NULL;
}

int pf_target_by_name(const char *name)
{
    for (unsigned t = 0; name && t < PF_TARGET_COUNT; t++)
        if (strcmp(pf_targets[t].name, name) == 0)
            return (int)t;
    return -1;
}

const char *pf_target_names(void)
{
    static char buf[PF_TARGET_COUNT * 48];
    size_t used = 0;
    for (unsigned t = 0; t < PF_TARGET_COUNT && used < sizeof buf; t++) {
        const char *sep = t == 0 ? "" : t + 1 == PF_TARGET_COUNT ? " or " : ", ";
        int n = snprintf(buf + used, sizeof buf - used, "%s%s", sep, pf_targets[t].name);
        used += n > 0 ? (size_t)n : 0;
    }
    return buf;
}

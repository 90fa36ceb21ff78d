#include "violation.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* Triage keys on these strings: they are part of the output format and must
 * never change once a reproducer has been filed under one. */
static const char *const pf_violation_names[PF_V_COUNT] = {
    [PF_V_BIND_DELETED] = "bind-deleted",
    [PF_V_BIND_CONFIG] = "bind-config",
    [PF_V_BIND_RANGE] = "bind-range",
    [PF_V_HWPT_DEAD] = "hwpt-dead",
    [PF_V_HWPT_BUSY_FREE] = "hwpt-busy-free",
    [PF_V_HWPT_LEAK] = "hwpt-leak",
    [PF_V_DEV_UNPLUGGED] = "dev-unplugged",
    [PF_V_DETACH_UNBOUND] = "detach-unbound",
    [PF_V_LIST_CORRUPT] = "list-corrupt",
    [PF_V_CACHE_INCOHERENT] = "cache-incoherent",
    [PF_V_ORACLE_MISMATCH] = "oracle-mismatch",
    [PF_V_IQ_STATE] = "iq-state",
    [PF_V_IOTLB_STALE] = "iotlb-stale",
    [PF_V_REG_WRITE] = "reg-write",
    [PF_V_REG_VALUE] = "reg-value",
    [PF_V_API_RESULT] = "api-result",
};

const char *pf_violation_name(enum pf_violation id)
{
    /* The enum may be signed or unsigned: compare as unsigned so a negative
     * value is out of range too. */
    if ((unsigned)id >= (unsigned)PF_V_COUNT)
        return NULL;
    return pf_violation_names[id];
}

void pf_violation(enum pf_violation id, const char *fmt, ...)
{
    char detail[1024];
    va_list ap;

    va_start(ap, fmt);
    int n = vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    if (n < 0)
        detail[0] = '\0';

    /* Triage reads exactly one line: a detail that embeds a line break
     * (a message built from guest-controlled text, say) must not split it. */
    for (char *p = detail; *p; p++) {
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    }

    const char *name = pf_violation_name(id);
    /* One fprintf call so the line reaches stderr as a whole even when it is
     * unbuffered and other threads of an engine write too. */
    fprintf(stderr, "pasidfuzz: VIOLATION %s: %s\n", name ? name : "unknown", detail);
    fflush(stderr);
    abort();
}

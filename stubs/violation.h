/*
 * Invariant violations. Each is one line on stderr,
 *   pasidfuzz: VIOLATION <id>: <detail>
 * followed by abort(), so every engine (libFuzzer, AFL++, replay) sees a
 * crash and triage can key on the id.
 */
#ifndef PASIDFUZZ_VIOLATION_H
#define PASIDFUZZ_VIOLATION_H

enum pf_violation {
    PF_V_BIND_DELETED,
    PF_V_BIND_CONFIG,
    PF_V_BIND_RANGE,
    PF_V_HWPT_DEAD,
    PF_V_HWPT_BUSY_FREE,
    PF_V_HWPT_LEAK,
    PF_V_DEV_UNPLUGGED,
    PF_V_DETACH_UNBOUND,
    PF_V_LIST_CORRUPT,
    PF_V_CACHE_INCOHERENT,
    PF_V_ORACLE_MISMATCH,
    PF_V_IQ_STATE,
    PF_V_IOTLB_STALE,
    PF_V_REG_WRITE,
    PF_V_REG_VALUE,
    PF_V_API_RESULT,
    PF_V_COUNT
};

/* "bind-deleted", ... ; NULL for an out-of-range id. */
const char *pf_violation_name(enum pf_violation id);

__attribute__((noreturn, format(printf, 2, 3)))
void pf_violation(enum pf_violation id, const char *fmt, ...);

#endif

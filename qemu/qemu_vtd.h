/*
 * QEMU's intel-iommu as a second VT-d behind the harness's face: which
 * QEMU, with which command line, the checks that it can stand in for the
 * model at all, the hardware it reports, and findings about it.
 */
#ifndef PASIDFUZZ_QEMU_VTD_H
#define PASIDFUZZ_QEMU_VTD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "peer.h"
#include "qtest.h"

/* The q35 VT-d register window and the reset control port. */
#define QV_MMIO_BASE 0xfed90000ull
#define QV_MMIO_SIZE 0x1000ull
#define QV_RESET_PORT 0xcf9
#define QV_RESET_VALUE 0x06   /* full reset, reset now */
/* Guest RAM: the guest driver's whole memory map, [0, 1 GiB). */
#define QV_RAM_WIDTH 30u

struct qv {
    struct qtest *qt;
    char binary[512];
    char version[256];          /* the first line of --version */
    char cmdline[1024];         /* the arguments, binary left out */
    uint64_t cap, ecap;
    struct pf_hw hw;            /* what the model is configured to */
    /* The input being run, for the finding folder (may be unset). */
    const void *input;
    size_t input_len;
    const char *target;
};

/* PF_QEMU (default qemu-system-x86_64) and PF_QEMU_DEVICE (default the
 * scalable-mode intel-iommu line); PF_QEMU_TIMEOUT_MS bounds every reply.
 * Starts QEMU, checks it and reads the hardware. 0, or -1 with a message
 * for the user printed (no QEMU, no intel-iommu, no scalable mode, dead at
 * start, hardware the model cannot describe). */
int qv_open(struct qv *v);
void qv_close(struct qv *v);
/*
 * A system reset, then a fence: QEMU's qtest reads at most 1 KiB of
 * commands per main-loop turn and carries out the reset at the end of the
 * turn that read it, so commands queued right behind the reset in that
 * KiB run before it. pf_qemu waits for the reset's reply, but a replay of
 * the transcript pipes it all at once: the fence, one read of VER whose
 * address is written with 1 KiB of leading zeros (a command no turn reads
 * whole together with the reset), keeps what follows after the reset
 * there too. ci/lib/qemu_replay.sh writes the same line.
 */
enum qt_status qv_reset(struct qv *v);
/* A fresh child (after a death or to bound the transcript). 0 or -1. */
int qv_restart(struct qv *v);

/* A finding: the folder for triage (PF_QEMU_FINDINGS), the VIOLATION
 * line, then abort() -- or, when a catcher is set, a longjmp to it after
 * the child has been restarted. kind: crash, hang or error (a divergence
 * goes through qv_divergence). */
__attribute__((noreturn, format(printf, 3, 4)))
void qv_finding(struct qv *v, const char *kind, const char *fmt, ...);
/* A reply of QEMU's that differs from the spec's (the model's). */
struct qv_wrong {
    size_t line;                /* the transcript line of the command */
    char what[64];              /* "IQH", "GSTS (4 bytes)", "DMA write at ..." */
    char spec[160], qemu[160];  /* the two replies as qtest gives them */
};
/* The divergence finding: as qv_finding, with the transcript filed up to
 * w->line (QEMU answers in order: nothing after that command changes its
 * reply) and expected.txt; QEMU keeps running (a wrong value leaves the
 * process sound: the next input starts with a reset). */
__attribute__((noreturn, format(printf, 3, 4)))
void qv_divergence(struct qv *v, const struct qv_wrong *w, const char *fmt, ...);
/* A qtest failure as its finding: QT_DEAD crash, QT_HANG hang, QT_PROTO
 * error, naming the command QEMU gave no reply to (during: what was being
 * done, when no command is owed). */
__attribute__((noreturn))
void qv_qt_failure(struct qv *v, enum qt_status st, const char *during);
/* The fuzz input now running and its target's name (both borrowed until
 * the next call): a finding folder then holds input.bin and target.txt. */
void qv_set_input(struct qv *v, const void *input, size_t len, const char *target);
typedef void (*qv_catch_fn)(void *opaque, const char *line);
void qv_set_catch(qv_catch_fn fn, void *opaque);

#endif

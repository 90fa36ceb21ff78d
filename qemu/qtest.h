/*
 * A client of QEMU's qtest protocol over pipes: one QEMU child, started
 * with `-qtest stdio`, one text command per line, one reply line per
 * command ("OK", "OK <value>", "FAIL <why>"). Every wait for a reply is
 * bounded (poll), so a hung QEMU is reported, never waited on forever.
 * The client keeps every command line it sent to the current child: that
 * transcript replays the child's whole life on a fresh QEMU.
 */
#ifndef PASIDFUZZ_QTEST_H
#define PASIDFUZZ_QTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What went wrong with the child, if anything. */
enum qt_status {
    QT_OK,
    QT_DEAD,        /* exited, killed, or the pipe went away (EOF, EPIPE) */
    QT_HANG,        /* no reply within the timeout */
    QT_PROTO,       /* a reply that is not what the protocol allows, or FAIL */
};

struct qtest;

/* argv: the whole command line, binary first, NULL-terminated (copied). */
struct qtest *qt_new(char *const argv[], int timeout_ms);
void qt_free(struct qtest *q);

/* Start (or restart) the child; the transcript starts empty. */
enum qt_status qt_start(struct qtest *q);
/* With on, every restart (a start after the first) also starts a spare
 * child that waits, initialized, for the next start to take it, so the
 * restarts after that cost no QEMU start-up. Off by default. */
void qt_keep_spare(struct qtest *q, bool on);
bool qt_has_spare(const struct qtest *q);
/* Stop the child (SIGKILL, reaped); harmless when none runs. */
void qt_stop(struct qtest *q);
bool qt_running(const struct qtest *q);

/*
 * Commands are pipelined: a queued command is written at once and its
 * reply read later, in order, by qt_sync (or by any call that waits). A
 * queued read names where its value goes; that memory must stay valid
 * until the reply is read. At most 256 replies are owed: queueing one more
 * first waits for them (QEMU's stdout pipe must never fill while we write).
 */
/* Queue one command whose reply is "OK" or "OK <value>", value unused. */
enum qt_status qt_send(struct qtest *q, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Wait for every reply still owed, each "OK" or "OK <value>". */
enum qt_status qt_sync(struct qtest *q);
/* One command and its reply, waited for: "OK" -> *val 0; "OK 0x..." -> *val
 * (val may be NULL). */
enum qt_status qt_cmd(struct qtest *q, uint64_t *val, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* MMIO of size 1, 2, 4 or 8 bytes: queued (*val filled by the reply), or
 * waited for. */
enum qt_status qt_queue_readx(struct qtest *q, uint64_t addr, unsigned size, uint64_t *val);
enum qt_status qt_queue_writex(struct qtest *q, uint64_t addr, unsigned size, uint64_t val);
enum qt_status qt_readx(struct qtest *q, uint64_t addr, unsigned size, uint64_t *val);
enum qt_status qt_writex(struct qtest *q, uint64_t addr, unsigned size, uint64_t val);
/* Guest RAM: `write` is queued; `read` of 1..QT_READ_MAX bytes queued (buf
 * filled by the reply) or waited for. */
#define QT_READ_MAX 64
enum qt_status qt_mem_write(struct qtest *q, uint64_t addr, const void *buf, size_t len);
enum qt_status qt_queue_mem_read(struct qtest *q, uint64_t addr, void *buf, size_t len);
enum qt_status qt_mem_read(struct qtest *q, uint64_t addr, void *buf, size_t len);

/* Why the last call failed, one line; "" after success. */
const char *qt_error(const struct qtest *q);
/* Every command line sent to the current child, in order, '\n' after each. */
const char *qt_transcript(const struct qtest *q, size_t *len);
size_t qt_commands(const struct qtest *q);   /* lines in the transcript */
/* The transcript line of the oldest command without its reply (after
 * QT_DEAD or QT_HANG: the one QEMU died or hung on), 0 when none. */
size_t qt_unanswered(const struct qtest *q);
uint64_t qt_commands_total(const struct qtest *q);  /* sent to every child so far */
/* Children started so far: a change means a fresh QEMU. */
unsigned qt_starts(const struct qtest *q);
/* The child's stderr since it started (the last 64 KiB of it). */
size_t qt_stderr_tail(const struct qtest *q, char *buf, size_t n);
/* New complete stderr lines since the last call, '\n'-separated into buf;
 * returns their length (0: none). */
size_t qt_stderr_new(struct qtest *q, char *buf, size_t n);
/* How the child ended, after QT_DEAD: "exit 1", "signal 6 (Aborted)", ... */
const char *qt_exit_reason(const struct qtest *q);
char *const *qt_argv(const struct qtest *q);

/* ---- the protocol itself, pure functions (unit-tested) ---- */

/* Parse one reply line (no '\n'). QT_OK with *val (0 when none) for "OK"
 * or "OK <hex>"; QT_PROTO for anything else, why filled. */
enum qt_status qt_parse_reply(const char *line, uint64_t *val, char *why, size_t why_len);
/* "OK 0x<2*len hex digits>" of a `read` into buf; -1 if malformed. */
int qt_parse_bytes(const char *line, void *buf, size_t len);
/* "0x" and 2 hex digits per byte into out (size 2*len+3); returns out. */
char *qt_hex(const void *buf, size_t len, char *out);

#endif

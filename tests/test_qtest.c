/*
 * The qtest client (qemu/qtest.h) against the protocol and a fake QEMU (a
 * shell loop), and the exact reach of every rule of qemu/qemu_diff_rules.c.
 * No QEMU needed.
 */
#include <string.h>

#include "check.h"
#include "qemu_diff_rules.h"
#include "qtest.h"
#include "vtd_spec.h"

static void parse_reply(void)
{
    uint64_t v = 1;
    char why[160];
    CHECK(qt_parse_reply("OK", &v, why, sizeof why) == QT_OK && v == 0);
    CHECK(qt_parse_reply("OK 0x0000000000000010", &v, why, sizeof why) == QT_OK && v == 0x10);
    CHECK(qt_parse_reply("OK 0xffffffffffffffff", &v, why, sizeof why) == QT_OK && v == UINT64_MAX);
    CHECK(qt_parse_reply("OK 0x10000000000000000", &v, why, sizeof why) == QT_PROTO);
    CHECK(qt_parse_reply("OK 0x", &v, why, sizeof why) == QT_PROTO);
    CHECK(qt_parse_reply("OK 0xzz", &v, why, sizeof why) == QT_PROTO);
    CHECK(qt_parse_reply("FAIL Unknown command 'x'", &v, why, sizeof why) == QT_PROTO);
    CHECK(strstr(why, "FAIL") != NULL);
}

static void parse_bytes_and_hex(void)
{
    uint8_t b[4], in[3] = {0x00, 0xab, 0x7f};
    char hex[16];
    CHECK(qt_parse_bytes("OK 0xdeadbeef", b, 4) == 0 && b[0] == 0xde && b[3] == 0xef);
    CHECK(qt_parse_bytes("OK 0xdeadbe", b, 4) != 0);
    CHECK(qt_parse_bytes("OK 0xdeadbeeg", b, 4) != 0);
    CHECK(strcmp(qt_hex(in, 3, hex), "0x00ab7f") == 0);
}

static struct qtest *fake(const char *script, int timeout_ms)
{
    char *argv[] = {"/bin/sh", "-c", (char *)script, NULL};
    struct qtest *q = qt_new(argv, timeout_ms);
    CHECK(q && qt_start(q) == QT_OK);
    return q;
}

#define FAKE_OK "while read -r c a; do case $c in readl) echo 'OK 0x0000000000000010';; " \
                "read) echo 'OK 0xdeadbeef';; *) echo OK;; esac; done"

static void fake_round_trips(void)
{
    struct qtest *q = fake(FAKE_OK, 2000);
    uint64_t v = 0;
    uint8_t b[4];
    size_t len;
    CHECK(qt_readx(q, 0xfed90000, 4, &v) == QT_OK && v == 0x10);
    CHECK(qt_mem_write(q, 0x1000, "\x01\x02", 2) == QT_OK);
    CHECK(qt_mem_read(q, 0x2000, b, 4) == QT_OK && b[0] == 0xde);
    CHECK(qt_writex(q, 0xfed90088, 8, 0x20) == QT_OK);
    const char *t = qt_transcript(q, &len);
    CHECK(strcmp(t, "readl 0xfed90000\nwrite 0x1000 0x2 0x0102\nread 0x2000 0x4\n"
                    "writeq 0xfed90088 0x20\n") == 0);
    CHECK_EQ_U64(qt_commands(q), 4);
    qt_free(q);
}

static void fake_hang_is_reported(void)
{
    struct qtest *q = fake("read -r c; sleep 30", 200);
    CHECK(qt_readx(q, 0xfed90000, 4, NULL) == QT_HANG);
    CHECK(strstr(qt_error(q), "no reply within 200 ms") != NULL);
    qt_free(q);
}

static void fake_death_is_reported(void)
{
    struct qtest *q = fake("read -r c; echo 'assertion failed' >&2; exit 3", 2000);
    char err[256];
    CHECK(qt_readx(q, 0xfed90000, 4, NULL) == QT_DEAD);
    CHECK(strcmp(qt_exit_reason(q), "exit 3") == 0);
    CHECK(qt_stderr_tail(q, err, sizeof err) > 0 && strstr(err, "assertion failed"));
    /* Nothing runs any more: a clear error, no hang. */
    CHECK(qt_readx(q, 0xfed90000, 4, NULL) == QT_DEAD);
    qt_free(q);
}

static void fake_garbage_is_a_protocol_error(void)
{
    struct qtest *q = fake("read -r c; echo HELLO; sleep 30", 2000);
    CHECK(qt_readx(q, 0xfed90000, 4, NULL) == QT_PROTO);
    qt_free(q);
}

static void stderr_lines_arrive_whole(void)
{
    struct qtest *q = fake("read -r c; echo 'one' >&2; echo OK; read -r c; printf 'two\\nthr' >&2; "
                           "echo OK; sleep 30", 2000);
    char buf[64];
    CHECK(qt_cmd(q, NULL, "x") == QT_OK);
    CHECK(qt_stderr_new(q, buf, sizeof buf) == 4 && strcmp(buf, "one\n") == 0);
    CHECK(qt_cmd(q, NULL, "y") == QT_OK);
    CHECK(qt_stderr_new(q, buf, sizeof buf) == 4 && strcmp(buf, "two\n") == 0);
    CHECK(qt_stderr_new(q, buf, sizeof buf) == 0);
    qt_free(q);
}

static void cap_rule_covers_only_feature_fields(void)
{
    struct qd_ctx c = {0};
    uint64_t cap = 0x00d2008c22260206ull;
    CHECK(qd_explained(&c, VTD_REG_CAP, 8, cap, cap ^ VTD_CAP_PSI) != NULL);
    CHECK(qd_explained(&c, VTD_REG_CAP, 8, cap, cap ^ VTD_BIT(16)) == NULL);   /* MGAW */
    CHECK(qd_explained(&c, VTD_REG_CAP, 8, cap, cap ^ VTD_CAP_FS5LP) == NULL);
    CHECK(qd_explained(&c, VTD_REG_ECAP, 8, 0, VTD_BIT(46)) != NULL);
    CHECK(qd_explained(&c, VTD_REG_ECAP, 8, 0, VTD_ECAP_SMTS) == NULL);
    CHECK(qd_explained(&c, VTD_REG_ECAP, 8, 0, VTD_BIT(35)) == NULL);         /* PSS */
    CHECK(qd_explained(&c, VTD_REG_ECAP + 4, 4, 0, VTD_BIT(46 - 32)) != NULL);
    /* The same difference in any other register is a divergence. */
    CHECK(qd_explained(&c, VTD_REG_GSTS, 4, 0, VTD_CAP_PSI) == NULL);
    CHECK(qd_explained(&c, VTD_REG_IQH, 8, 0, VTD_BIT(46)) == NULL);
}

static void iqa_rule_matches_only_the_latched_value(void)
{
    struct qd_ctx c = {.iqa_latched = 0x10000 | VTD_IQA_DW | 1};
    uint64_t model = 0x20000 | VTD_IQA_DW | 2;
    CHECK(qd_explained(&c, VTD_REG_IQA, 8, model, 0x10000 | 2) != NULL);
    CHECK(qd_explained(&c, VTD_REG_IQA, 8, model, 0x10000 | VTD_IQA_DW | 2) == NULL);
    CHECK(qd_explained(&c, VTD_REG_IQA, 8, model, 0x20000 | 2) == NULL);
    CHECK(qd_explained(&c, VTD_REG_IQA, 8, model, 0) == NULL);
    CHECK(qd_explained(&c, VTD_REG_IQH, 8, model, 0x10000 | 2) == NULL);
}

static void guest_error_reports_are_exact(void)
{
    CHECK(qd_guest_error_report("qemu-system-x86_64: vtd_process_inv_desc: invalid inv desc: "
                                "hi=0, lo=8 (unknown type)") != NULL);
    CHECK(qd_guest_error_report("qemu-system-x86_64: ../../hw/i386/intel_iommu.c:2484: "
                                "vtd_process_wait_desc: Assertion `x' failed.") == NULL);
    CHECK(qd_guest_error_report("vtd_process_inv_desc: invalid inv desc") == NULL);
    CHECK(qd_guest_error_report("qemu-system-x86_64: GLib: something else") == NULL);
}

CHECK_MAIN(TEST(parse_reply), TEST(parse_bytes_and_hex), TEST(fake_round_trips),
           TEST(fake_hang_is_reported), TEST(fake_death_is_reported),
           TEST(fake_garbage_is_a_protocol_error), TEST(stderr_lines_arrive_whole),
           TEST(cap_rule_covers_only_feature_fields), TEST(iqa_rule_matches_only_the_latched_value),
           TEST(guest_error_reports_are_exact))

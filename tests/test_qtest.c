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

/* Queued commands: each reply lands where its command said, in order. */
static void fake_pipelined_replies(void)
{
    struct qtest *q = fake("n=0; while read -r c a; do n=$((n+1)); case $c in "
                           "read) echo 'OK 0x0a0b';; readl) printf 'OK 0x%016x\\n' $n;; "
                           "*) echo OK;; esac; done", 2000);
    uint64_t v[3] = {0, 0, 0};
    uint8_t b[2] = {0, 0};
    CHECK(qt_queue_readx(q, 0xfed90000, 4, &v[0]) == QT_OK);
    CHECK(qt_queue_writex(q, 0xfed90088, 8, 0x20) == QT_OK);
    CHECK(qt_queue_mem_read(q, 0x1000, b, 2) == QT_OK);
    CHECK(qt_queue_readx(q, 0xfed90004, 4, &v[1]) == QT_OK);
    CHECK(v[0] == 0 && v[1] == 0);              /* nothing read back yet */
    CHECK(qt_sync(q) == QT_OK);
    CHECK_EQ_U64(v[0], 1);
    CHECK_EQ_U64(v[1], 4);
    CHECK(b[0] == 0x0a && b[1] == 0x0b);
    CHECK(qt_readx(q, 0xfed90008, 4, &v[2]) == QT_OK && v[2] == 5);
    CHECK(qt_queue_mem_read(q, 0x1000, b, QT_READ_MAX + 1) == QT_PROTO);
    CHECK_EQ_U64(qt_unanswered(q), 0);
    qt_free(q);
}

/* A QEMU that dies inside a batch: the command it died on is named. */
static void fake_death_in_a_batch_names_the_command(void)
{
    struct qtest *q = fake("read -r c; echo OK; read -r c; echo OK; read -r c; exit 3", 2000);
    for (unsigned i = 0; i < 5; i++)
        (void)qt_send(q, "writel 0xfed900%02x 0x1", 4 * i);
    CHECK(qt_sync(q) == QT_DEAD);
    CHECK_EQ_U64(qt_unanswered(q), 3);
    qt_free(q);
}

/* A spare child from the first restart on; the next start takes it, and
 * it answers like a fresh one. */
static void spare_child_is_taken_by_a_restart(void)
{
    struct qtest *q = fake(FAKE_OK, 2000);
    uint64_t v = 0;
    qt_keep_spare(q, true);
    CHECK(!qt_has_spare(q));                    /* no restart yet */
    CHECK(qt_start(q) == QT_OK && qt_has_spare(q));
    CHECK(qt_readx(q, 0xfed90000, 4, &v) == QT_OK && v == 0x10);
    CHECK(qt_start(q) == QT_OK && qt_has_spare(q));  /* taken, and a new one */
    CHECK(qt_readx(q, 0xfed90000, 4, &v) == QT_OK && v == 0x10);
    CHECK_EQ_U64(qt_starts(q), 3);
    qt_keep_spare(q, false);
    CHECK(!qt_has_spare(q));
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

static void ccmd_rule_matches_only_a_global_caig(void)
{
    struct qd_ctx c = {0};
    uint64_t asked = (2ull << VTD_CCMD_CIRG_SHIFT) | 2, dom = 2ull << VTD_CCMD_CAIG_SHIFT;
    uint64_t glob = 1ull << VTD_CCMD_CAIG_SHIFT;
    CHECK(qd_explained(&c, VTD_REG_CCMD, 8, asked | dom, asked | glob) != NULL);
    CHECK(qd_explained(&c, VTD_REG_CCMD + 4, 4, (asked | dom) >> 32, (asked | glob) >> 32) != NULL);
    CHECK(qd_explained(&c, VTD_REG_CCMD, 8, asked | glob, asked | dom) == NULL);   /* finer */
    CHECK(qd_explained(&c, VTD_REG_CCMD, 8, asked | dom, asked | glob | 1) == NULL); /* + DID */
    CHECK(qd_explained(&c, VTD_REG_CCMD, 4, asked | dom, asked | glob) == NULL);  /* low half */
    CHECK(qd_explained(&c, VTD_REG_IQH, 8, asked | dom, asked | glob) == NULL);
}

/* FM and SID are write-only (undefined on read): only they may differ. */
static void ccmd_rule_masks_only_write_only_fields(void)
{
    struct qd_ctx c = {0};
    uint64_t done = 0x0000000312340005ull, asked = (3ull << VTD_CCMD_CIRG_SHIFT) | done;
    uint64_t glob = 1ull << VTD_CCMD_CAIG_SHIFT;
    CHECK(qd_explained(&c, VTD_REG_CCMD, 8, done, 0) == NULL);               /* DID too */
    CHECK(qd_explained(&c, VTD_REG_CCMD, 8, done, 5) != NULL);
    CHECK(qd_explained(&c, VTD_REG_CCMD, 8, VTD_CCMD_FM_MASK, 0) != NULL);
    CHECK(qd_explained(&c, VTD_REG_CCMD, 4, 0x12340005, 5) != NULL);
    CHECK(qd_explained(&c, VTD_REG_CCMD + 4, 4, 3, 0) != NULL);
    CHECK(qd_explained(&c, VTD_REG_CCMD + 4, 4, 3, VTD_BIT(2)) == NULL);     /* reserved bit 34 */
    CHECK(qd_explained(&c, VTD_REG_CCMD, 8, asked, asked & ~VTD_CCMD_FM_MASK) != NULL);
    CHECK(qd_explained(&c, VTD_REG_CCMD, 8, asked, (asked ^ VTD_CCMD_ICC) & ~VTD_CCMD_FM_MASK) == NULL);
    /* With a coarser CAIG, as caig-coarser alone allows. */
    uint64_t dom = (2ull << VTD_CCMD_CIRG_SHIFT) | (2ull << VTD_CCMD_CAIG_SHIFT) | done;
    CHECK(qd_explained(&c, VTD_REG_CCMD, 8, dom, (dom & ~VTD_MASK(60, 59) & ~VTD_CCMD_SID_MASK) | glob) != NULL);
    CHECK(qd_explained(&c, VTD_REG_CCMD, 8, dom, (dom & ~VTD_CCMD_SID_MASK) | glob) == NULL);
    /* The same bits of another register are compared. */
    CHECK(qd_explained(&c, VTD_REG_RTADDR, 8, VTD_CCMD_SID_MASK, 0) == NULL);
    CHECK(qd_explained(&c, VTD_REG_FSTS, 4, VTD_BIT(16), 0) == NULL);
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

static int same_message(const char *a, const char *b)
{
    char ma[200], mb[200];
    qd_message(a, ma, sizeof ma);
    qd_message(b, mb, sizeof mb);
    return strcmp(ma, mb) == 0;
}

static void messages_mask_numbers_only(void)
{
    char m[200];
    CHECK(qd_message("qemu-system-x86_64: vtd_process_inv_desc: invalid inv desc: hi=0, lo=17 "
                     "(unknown type)  ", m, sizeof m) > 0);
    CHECK(strcmp(m, "vtd_process_inv_desc: invalid inv desc: hi=N, lo=N (unknown type)") == 0);
    CHECK(qd_message("warning: Blocked re-entrant IO on MemoryRegion: intel_iommu at addr: 0x88",
                     m, sizeof m) > 0);
    CHECK(strcmp(m, "warning: Blocked re-entrant IO on MemoryRegion: intel_iommu at addr: 0xN") == 0);
    /* Numbers inside words (names, hex without 0x) are the message's own. */
    CHECK(same_message("qemu-system-i386: x86_64 lo=f", "x86_64 lo=f"));
    CHECK(same_message("vtd: hi=c000000, lo=f", "vtd: hi=0, lo=3f"));
    CHECK(!same_message("vtd: lo f", "vtd: lo 3f"));
    CHECK(!same_message("vtd: lo=fix", "vtd: lo=N"));
    CHECK(same_message("a: head=0x10, tail=0x20", "a: head=0x0, tail=0x1230"));
    CHECK(!same_message("a: head=0x10", "b: head=0x10"));
    /* A short buffer truncates, never overruns. */
    CHECK(qd_message("0123456789 abcdef", m, 6) < 6 && strlen(m) < 6);
}

/* Each stop rule takes exactly its case: one bit less and it is compared. */
static void stop_rules_are_exact(void)
{
    struct qd_ctx c = {.cap = (uint64_t)9 << VTD_CAP_MAMV_SHIFT, .ecap = 0};
    uint64_t wait = VTD_DESC_WAIT | VTD_WAIT_SW;
    CHECK(qd_stop_descriptor(&c, wait | VTD_WAIT_IF, 0) == QD_STOP_WAIT_IF_SW);
    CHECK(qd_stop_descriptor(&c, wait, 0) == QD_STOP_NONE);
    CHECK(qd_stop_descriptor(&c, VTD_DESC_WAIT | VTD_WAIT_IF, 0) == QD_STOP_NONE);
    CHECK(qd_stop_descriptor(&c, VTD_DESC_PASID_DEVICE_TLB, 0) == QD_STOP_UNREPORTED_TYPE);
    CHECK(qd_stop_descriptor(&c, VTD_DESC_PAGE_GROUP_RESP, 0) == QD_STOP_UNREPORTED_TYPE);
    CHECK(qd_stop_descriptor(&c, VTD_DESC_DEVICE_TLB, 0) == QD_STOP_NONE);
    c.ecap = VTD_ECAP_DT | VTD_ECAP_PRS;
    CHECK(qd_stop_descriptor(&c, VTD_DESC_PASID_DEVICE_TLB, 0) == QD_STOP_NONE);
    CHECK(qd_stop_descriptor(&c, VTD_DESC_PAGE_GROUP_RESP, 0) == QD_STOP_NONE);
    uint64_t page = VTD_DESC_PASID_IOTLB | ((uint64_t)VTD_PIOTLB_G_PAGE << 4);
    uint64_t pasid = VTD_DESC_PASID_IOTLB | ((uint64_t)VTD_PIOTLB_G_PASID << 4);
    CHECK(qd_stop_descriptor(&c, page, 10) == QD_STOP_AM_OVER_MAMV);
    CHECK(qd_stop_descriptor(&c, page, 9) == QD_STOP_NONE);
    CHECK(qd_stop_descriptor(&c, pasid, 10) == QD_STOP_NONE);
    CHECK(qd_stop_gcmd(VTD_GCMD_QIE, 0, 0x40) == QD_STOP_QIE_WITH_TAIL);
    CHECK(qd_stop_gcmd(VTD_GCMD_QIE, 0, 0) == QD_STOP_NONE);
    CHECK(qd_stop_gcmd(VTD_GCMD_QIE, VTD_GSTS_QIES, 0x40) == QD_STOP_NONE);
    CHECK(qd_stop_gcmd(VTD_GCMD_TE, 0, 0x40) == QD_STOP_NONE);
    CHECK(strcmp(qd_stop_name(QD_STOP_AM_OVER_MAMV), "am-over-mamv") == 0);
    CHECK(qd_stop_access(VTD_REG_IQH + 4, 8) == QD_STOP_ODD_ACCESS);
    CHECK(qd_stop_access(VTD_REG_IQH + 2, 4) == QD_STOP_ODD_ACCESS);
    CHECK(qd_stop_access(VTD_REG_IQH, 2) == QD_STOP_ODD_ACCESS);
    CHECK(qd_stop_access(VTD_REG_IQH + 4, 4) == QD_STOP_NONE);
    CHECK(qd_stop_access(VTD_REG_IECTL, 8) == QD_STOP_NONE);
}

CHECK_MAIN(TEST(parse_reply), TEST(parse_bytes_and_hex), TEST(fake_round_trips),
           TEST(fake_pipelined_replies), TEST(fake_death_in_a_batch_names_the_command),
           TEST(spare_child_is_taken_by_a_restart),
           TEST(fake_hang_is_reported), TEST(fake_death_is_reported),
           TEST(fake_garbage_is_a_protocol_error), TEST(stderr_lines_arrive_whole),
           TEST(cap_rule_covers_only_feature_fields), TEST(iqa_rule_matches_only_the_latched_value), TEST(ccmd_rule_matches_only_a_global_caig),
           TEST(ccmd_rule_masks_only_write_only_fields),
           TEST(messages_mask_numbers_only), TEST(stop_rules_are_exact))

/*
 * The text form (fuzz/text/text.h) on inputs no corpus holds: random byte
 * strings of every length must decode to text that encodes back to the
 * same bytes for every target (both op-stream dialects and the raw-byte
 * formats), the text must mean what the targets' readers read, and mangled
 * text must give an error or bytes, never a crash (ASan/UBSan watch), with
 * the error's line in range.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "inv_queue_input.h"
#include "ops.h"
#include "pasid_table_input.h"
#include "text.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Bytes biased to small values, so pools, flags and codes repeat. */
static void random_input(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(rnd() % 4 == 0 ? rnd() : rnd() % 8);
}

static bool roundtrip(const uint8_t *p, size_t n, enum pf_target_id d)
{
    struct pf_writer text, bin;
    struct pf_text_error err;
    pf_writer_init(&text);
    pf_writer_init(&bin);
    enum pf_target_id used = PF_TARGET_PASID_CACHE;  /* the text must say d */
    bool ok = pf_text_decode(p, n, d, &text) &&
              pf_text_encode((const char *)text.data, text.size, &used, false, &bin, &err) == 0 &&
              used == d && bin.size == n && (n == 0 || memcmp(bin.data, p, n) == 0);
    pf_writer_free(&text);
    pf_writer_free(&bin);
    return ok;
}

static void random_inputs_round_trip(void)
{
    uint8_t buf[600];
    for (unsigned iter = 0; iter < 4000; iter++) {
        size_t n = iter < 200 ? iter : (size_t)(rnd() % sizeof buf);
        random_input(buf, n);
        for (unsigned t = 0; t < PF_TARGET_COUNT; t++)
            CHECK(roundtrip(buf, n, (enum pf_target_id)t));
    }
    /* An empty input as an empty writer holds it: no buffer at all. */
    for (unsigned t = 0; t < PF_TARGET_COUNT; t++)
        CHECK(roundtrip(NULL, 0, (enum pf_target_id)t));
    /* fuzz_pasid_table's header and windows are 1508 bytes: around that,
     * and with edits (11 bytes each) cut anywhere after. */
    static uint8_t big[PT_HEADER_BYTES + PT_WIN_BYTES + 40 * PT_EDIT_BYTES];
    for (unsigned iter = 0; iter < 400; iter++) {
        size_t n = PT_HEADER_BYTES + PT_WIN_BYTES - 20 + rnd() % (sizeof big - PT_WIN_BYTES);
        random_input(big, sizeof big);
        CHECK(roundtrip(big, n, PF_TARGET_PASID_TABLE));
    }
}

static void every_code_byte_round_trips(void)
{
    uint8_t buf[72 + 64] = {0};
    for (unsigned t = 0; t < PF_TARGET_COUNT; t++) {
        if (pf_target_info((enum pf_target_id)t)->dialect == PF_DIALECT_NONE)
            continue;
        for (unsigned c = 0; c < 256; c++) {
            buf[pf_header_size()] = (uint8_t)c;
            /* Full op, then cut inside it: a tail. */
            for (size_t n = pf_header_size(); n <= sizeof buf; n += 7)
                CHECK(roundtrip(buf, n, (enum pf_target_id)t));
        }
    }
    /* fuzz_inv_queue: a 2-byte header, commands of 1 to 33 bytes. */
    for (unsigned c = 0; c < 256; c++) {
        memset(buf, 0, sizeof buf);
        buf[2] = (uint8_t)c;
        for (size_t n = 2; n <= 2 + 40; n++)
            CHECK(roundtrip(buf, n, PF_TARGET_INV_QUEUE));
    }
}

static void dialects_reach_every_kind(void)
{
    for (unsigned d = 0; d < PF_DIALECT_COUNT; d++) {
        unsigned count[PF_OP_COUNT] = {0};
        for (unsigned c = 0; c < 256; c++)
            count[pf_dialect_kind((enum pf_dialect)d, (uint8_t)c)]++;
        for (unsigned k = 0; k < PF_OP_COUNT; k++) {
            CHECK(count[k] > 0);
            CHECK(pf_dialect_kind((enum pf_dialect)d,
                                  pf_dialect_code((enum pf_dialect)d, (enum pf_opcode)k)) == k);
        }
    }
    /* fuzz_pasid_cache keeps the meaning its corpus was written in. */
    for (unsigned c = 0; c < 256; c++)
        CHECK(pf_dialect_kind(PF_DIALECT_PASID_CACHE, (uint8_t)c) == c % PF_OP_COUNT);
    /* fuzz_lifecycle favours the lifecycle ops. */
    unsigned life = 0;
    for (unsigned c = 0; c < 256; c++) {
        enum pf_opcode k = pf_dialect_kind(PF_DIALECT_LIFECYCLE, (uint8_t)c);
        life += k == PF_OP_PLUG || k == PF_OP_UNPLUG || k == PF_OP_RESET || k == PF_OP_GCMD ||
                k == PF_OP_FAIL;
    }
    CHECK(life * 20 > 256 * 5 * 3 / 2);
}

static void symbols_and_numbers_agree(void)
{
    static const char a[] = "pasid-entry pasid=1 flags=p|sre|0x40 pgtt=fs\ngcmd cmd=srtp\n"
                            "fail call=detach nth=3\nmmio reg=iqa wide=1 value=0x10800\n";
    static const char b[] = "pasid-entry pasid=1 flags=0x45 pgtt=1\ngcmd cmd=2\n"
                            "fail call=2 nth=3\nmmio reg=14 wide=1 value=67584\n";
    struct pf_writer wa, wb;
    struct pf_text_error err;
    enum pf_target_id d = PF_TARGET_PASID_CACHE;
    pf_writer_init(&wa);
    pf_writer_init(&wb);
    CHECK(pf_text_encode(a, strlen(a), &d, true, &wa, &err) == 0);
    CHECK(pf_text_encode(b, strlen(b), &d, true, &wb, &err) == 0);
    CHECK(wa.size == pf_header_size() + 9 + 2 + 3 + 11);
    CHECK(wa.size == wb.size && memcmp(wa.data, wb.data, wa.size) == 0);
    pf_writer_free(&wa);
    pf_writer_free(&wb);
}

/* Mangle decoded text: errors must point at a real line; successes must
 * be stable (decode then encode gives the same bytes again). */
static void mangled_text_never_crashes(void)
{
    static const char junk[] = "=|@#x0 \n\t\r-9fgtzq\0";
    static uint8_t in[PT_HEADER_BYTES + PT_WIN_BYTES + 200];
    unsigned errors = 0;
    for (unsigned iter = 0; iter < 4000; iter++) {
        enum pf_target_id t = (enum pf_target_id)(iter % PF_TARGET_COUNT);
        size_t prelude = t == PF_TARGET_PASID_TABLE ? PT_HEADER_BYTES + PT_WIN_BYTES
                         : t == PF_TARGET_INV_QUEUE ? 2 : pf_header_size();
        random_input(in, sizeof in);
        struct pf_writer text;
        pf_writer_init(&text);
        CHECK(pf_text_decode(in, prelude + rnd() % 200, t, &text));
        for (unsigned m = 0; m < 1 + rnd() % 4 && text.size; m++)
            text.data[rnd() % text.size] = (uint8_t)junk[rnd() % (sizeof junk)];
        unsigned lines = 1;
        for (size_t i = 0; i < text.size; i++)
            lines += text.data[i] == '\n';
        struct pf_writer bin, again, bin2;
        struct pf_text_error err;
        enum pf_target_id d = t;
        pf_writer_init(&bin);
        if (pf_text_encode((const char *)text.data, text.size, &d, true, &bin, &err) != 0) {
            errors++;
            CHECK(err.line >= 1 && err.line <= lines && err.msg[0]);
        } else {
            pf_writer_init(&again);
            pf_writer_init(&bin2);
            CHECK(pf_text_decode(bin.data, bin.size, d, &again));
            CHECK(pf_text_encode((const char *)again.data, again.size, &d, true, &bin2, &err) == 0);
            CHECK(bin2.size == bin.size && (bin.size == 0 || memcmp(bin.data, bin2.data, bin.size) == 0));
            pf_writer_free(&again);
            pf_writer_free(&bin2);
        }
        pf_writer_free(&bin);
        pf_writer_free(&text);
    }
    CHECK(errors > 100);    /* the mangling does reach the error paths */
}

static bool encode(const char *text, enum pf_target_id t, struct pf_writer *out)
{
    struct pf_text_error err;
    pf_writer_init(out);
    return pf_text_encode(text, strlen(text), &t, true, out, &err) == 0;
}

/* The text's names are the fields the target's reader reads. */
static void inv_queue_text_reads_right(void)
{
    static const char text[] =
        "header cfg=queue-128|no-presync pasid_bits=3\n"
        "desc type=wait flags=rsvd-q1|0x20 sel=7 arg=0x1122334455667788\n"
        "iqt@11 mode=value value=0x40\n"
        "mmio reg=iqa wide=1 value=0xabc\n"
        "sync\n";
    struct pf_writer w;
    CHECK(encode(text, PF_TARGET_INV_QUEUE, &w));
    struct pf_reader r;
    struct iq_header h;
    struct iq_cmd c;
    pf_reader_init(&r, w.data, w.size);
    iq_header_read(&r, &h);
    CHECK(h.cfg == (IQ_CFG_QUEUE_128 | IQ_CFG_NO_PRESYNC) && h.pasid_bits == 3);
    iq_cmd_read(&r, &c);
    CHECK(iq_cmd_kind(&c) == IQ_CMD_DESC && c.code == IQ_CMD_DESC && c.f[0] == 4 &&
          c.f[1] == (IQ_DESC_RSVD_Q1 | 0x20) && c.f[2] == 7 && c.f[3] == 0x1122334455667788ull);
    iq_cmd_read(&r, &c);
    CHECK(iq_cmd_kind(&c) == IQ_CMD_TAIL && c.code == 11 && c.f[0] == 1 && c.f[1] == 0x40);
    iq_cmd_read(&r, &c);
    CHECK(iq_cmd_kind(&c) == IQ_CMD_MMIO && c.f[0] == 8 && c.f[1] == 1 && c.f[2] == 0xabc);
    iq_cmd_read(&r, &c);
    CHECK(iq_cmd_kind(&c) == IQ_CMD_SYNC && pf_reader_done(&r));
    pf_writer_free(&w);
}

static void pasid_table_text_reads_right(void)
{
    static const char text[] =
        "header pasid_bits=2 flags=fs-5level rt2=0x1c log2_1=5 did2=0x1234 pasid1=0xfffff\n"
        "root bus1=0x1001\n"
        "ctx page=b dev=2 q0=0x2001 q3=7\n"
        "dir page=a entry=15 value=0x4001\n"
        "pe table=3 entry=2 q0=0x41 q7=9\n"
        "edit where=phase1|12 index=511 value=0x5000\n";
    struct pf_writer w;
    CHECK(encode(text, PF_TARGET_PASID_TABLE, &w));
    CHECK(w.size == PT_HEADER_BYTES + PT_WIN_BYTES + PT_EDIT_BYTES);
    static struct pt_input in;
    struct pf_reader r;
    uint64_t q[8];
    pf_reader_init(&r, w.data, w.size);
    pt_input_read(&r, &in);
    CHECK(in.h.pasid_bits == 2 && in.h.flags == PT_HF_FS_5LEVEL && in.h.rt2 == 0x1c);
    CHECK(in.h.log2[1] == 5 && in.h.did[2] == 0x1234 && in.h.pasid[1] == 0xfffff);
    pt_win_get(&in, pt_win_root(1), q, 1);
    CHECK(q[0] == 0x1001);
    pt_win_get(&in, pt_win_ctx(1, 2), q, 4);
    CHECK(q[0] == 0x2001 && q[1] == 0 && q[3] == 7);
    pt_win_get(&in, pt_win_dir(0, 15), q, 1);
    CHECK(q[0] == 0x4001);
    pt_win_get(&in, pt_win_pe(3, 2), q, 8);
    CHECK(q[0] == 0x41 && q[7] == 9);
    CHECK(in.nedits == 1 && in.edits[0].where == (PT_EDIT_PHASE1 | 12) &&
          in.edits[0].index == 511 && in.edits[0].value == 0x5000);
    pf_writer_free(&w);
}

/* Malformed raw-target text fails, with the column of the culprit. */
static void raw_text_errors(void)
{
    static const struct {
        enum pf_target_id t;
        const char *text;
        unsigned line, col;
    } bad[] = {
        {PF_TARGET_PASID_TABLE, "ctx dev=0 page=a\n", 1, 5},         /* selectors in order */
        {PF_TARGET_PASID_TABLE, "pe table=4 entry=0\n", 1, 4},       /* no such window */
        {PF_TARGET_PASID_TABLE, "edit value=1\nroot bus0=1\n", 2, 1}, /* prelude after edits */
        {PF_TARGET_PASID_TABLE, "edit@3 value=1\n", 1, 5},           /* edits have no code */
        {PF_TARGET_PASID_TABLE, "dir page=a entry=1 q0=1\n", 1, 20},  /* dir has one value */
        {PF_TARGET_INV_QUEUE, "desc type=nope\n", 1, 11},
        {PF_TARGET_INV_QUEUE, "skip@4 n=1\n", 1, 6},                 /* 4 is queue */
        {PF_TARGET_INV_QUEUE, "header cfg=0x100\n", 1, 12},          /* 1 byte */
        {PF_TARGET_INV_QUEUE, "pasid-entry pasid=1\n", 1, 1},        /* another target's op */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct pf_writer w;
        struct pf_text_error err;
        enum pf_target_id t = bad[i].t;
        pf_writer_init(&w);
        CHECK(pf_text_encode(bad[i].text, strlen(bad[i].text), &t, true, &w, &err) != 0);
        CHECK(err.line == bad[i].line && err.col == bad[i].col);
        pf_writer_free(&w);
    }
}

CHECK_MAIN(TEST(random_inputs_round_trip), TEST(every_code_byte_round_trips),
           TEST(dialects_reach_every_kind), TEST(symbols_and_numbers_agree),
           TEST(mangled_text_never_crashes), TEST(inv_queue_text_reads_right),
           TEST(pasid_table_text_reads_right), TEST(raw_text_errors))

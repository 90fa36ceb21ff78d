/*
 * The text form (fuzz/text.h) on inputs no corpus holds: random byte
 * strings of every length must decode to text that encodes back to the
 * same bytes in both dialects, and mangled text must give an error or
 * bytes, never a crash (ASan/UBSan watch), with the error's line in range.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ops.h"
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

static bool roundtrip(const uint8_t *p, size_t n, enum pf_dialect d)
{
    struct pf_writer text, bin;
    struct pf_text_error err;
    pf_writer_init(&text);
    pf_writer_init(&bin);
    enum pf_dialect used = PF_DIALECT_PASID_CACHE;  /* the text must say d */
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
        for (unsigned d = 0; d < PF_DIALECT_COUNT; d++)
            CHECK(roundtrip(buf, n, (enum pf_dialect)d));
    }
}

static void every_code_byte_round_trips(void)
{
    uint8_t buf[72 + 64] = {0};
    for (unsigned d = 0; d < PF_DIALECT_COUNT; d++) {
        for (unsigned c = 0; c < 256; c++) {
            buf[pf_header_size()] = (uint8_t)c;
            /* Full op, then cut inside it: a tail. */
            for (size_t n = pf_header_size(); n <= sizeof buf; n += 7)
                CHECK(roundtrip(buf, n, (enum pf_dialect)d));
        }
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
    enum pf_dialect d = PF_DIALECT_PASID_CACHE;
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
    uint8_t in[200];
    unsigned errors = 0;
    for (unsigned iter = 0; iter < 3000; iter++) {
        random_input(in, sizeof in);
        struct pf_writer text;
        pf_writer_init(&text);
        CHECK(pf_text_decode(in, 72 + rnd() % 128, PF_DIALECT_PASID_CACHE, &text));
        for (unsigned m = 0; m < 1 + rnd() % 4 && text.size; m++)
            text.data[rnd() % text.size] = (uint8_t)junk[rnd() % (sizeof junk)];
        unsigned lines = 1;
        for (size_t i = 0; i < text.size; i++)
            lines += text.data[i] == '\n';
        struct pf_writer bin, again, bin2;
        struct pf_text_error err;
        enum pf_dialect d = PF_DIALECT_PASID_CACHE;
        pf_writer_init(&bin);
        if (pf_text_encode((const char *)text.data, text.size, &d, false, &bin, &err) != 0) {
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

CHECK_MAIN(TEST(random_inputs_round_trip), TEST(every_code_byte_round_trips),
           TEST(dialects_reach_every_kind), TEST(symbols_and_numbers_agree),
           TEST(mangled_text_never_crashes))

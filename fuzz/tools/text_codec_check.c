/*
 * A libFuzzer self-check of the text form, not a campaign target (so not
 * fuzz_*): the first byte picks a target's format and a direction.
 *  - bytes: decode, encode, and the bytes must come back unchanged;
 *  - text: encode must fail cleanly or give bytes whose decoded text
 *    encodes to the same bytes again.
 * Any mismatch aborts. Built with the libfuzzer preset only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "target.h"
#include "text.h"

int pf_target_init(void)
{
    return 0;
}

void pf_target_set_trace(FILE *out)
{
    (void)out;
}

/* Its input is not an op stream: plain byte mutation. */
enum pf_dialect pf_target_dialect(void)
{
    return PF_DIALECT_NONE;
}

const char *pf_target_name(void)
{
    return "text_codec_check";
}

static void pf_expect(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "text_codec_check: %s\n", what);
        abort();
    }
}

static void pf_bytes_round_trip(const uint8_t *p, size_t n, enum pf_target_id d)
{
    struct pf_writer text, bin;
    struct pf_text_error err;
    pf_writer_init(&text);
    pf_writer_init(&bin);
    enum pf_target_id used = d;
    pf_expect(pf_text_decode(p, n, d, &text), "decode out of memory");
    pf_expect(pf_text_encode((const char *)text.data, text.size, &used, true, &bin, &err) == 0,
              err.msg);
    pf_expect(bin.size == n && (n == 0 || memcmp(bin.data, p, n) == 0), "bytes changed");
    pf_writer_free(&text);
    pf_writer_free(&bin);
}

uint64_t pf_target_run(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    enum pf_target_id d = (enum pf_target_id)((data[0] & 0x7f) % PF_TARGET_COUNT);
    bool as_text = data[0] & 0x80;
    data++, size--;
    if (!as_text) {
        pf_bytes_round_trip(data, size, d);
        return 0;
    }
    struct pf_writer bin;
    struct pf_text_error err;
    pf_writer_init(&bin);
    if (pf_text_encode((const char *)data, size, &d, false, &bin, &err) == 0)
        pf_bytes_round_trip(bin.data, bin.size, d);
    else
        pf_expect(err.line >= 1 && err.msg[0], "error without a line");
    pf_writer_free(&bin);
    return 0;
}

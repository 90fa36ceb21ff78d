/*
 * The target registry (fuzz/input/targets.def) and what is generated from
 * it and from the operand vocabulary (fuzz/input/vocab.h): every row is
 * whole, and every dictionary entry is what its target reads.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "dict.h"
#include "ops.h"
#include "target_runs.h"
#include "targets.h"
#include "text.h"
#include "vocab.h"

static void rows_are_whole(void)
{
    bool dialect_seen[PF_DIALECT_COUNT] = {false};
    for (unsigned i = 0; i < PF_TARGET_COUNT; i++) {
        enum pf_target_id t = (enum pf_target_id)i;
        const struct pf_target_info *info = pf_target_info(t);
        CHECK(info && info->name && strncmp(info->name, "fuzz_", 5) == 0);
        CHECK(pf_target_by_name(info->name) == (int)i);         /* names are unique */
        CHECK((unsigned)info->format < PF_INPUT_FORMAT_COUNT);
        CHECK(pf_text_format_name(t) != NULL);
        /* An op stream is read in a dialect; nothing else is. */
        CHECK((info->format == PF_INPUT_OPS) == (info->dialect != PF_DIALECT_NONE));
        if (info->dialect != PF_DIALECT_NONE) {
            CHECK((unsigned)info->dialect < PF_DIALECT_COUNT);
            dialect_seen[info->dialect] = true;
        }
        const struct pf_target_runner *r = pf_target_runner(t);
        CHECK(r && r->run && r->init && r->dict);
        CHECK(info->max_len > 0);
        CHECK(strstr(pf_target_names(), info->name) != NULL);
    }
    for (unsigned d = 0; d < PF_DIALECT_COUNT; d++)
        CHECK(dialect_seen[d]);                                 /* no dialect unused */
    CHECK(pf_target_info(PF_TARGET_COUNT) == NULL && pf_target_runner(PF_TARGET_COUNT) == NULL);
    CHECK(pf_target_by_name("fuzz_nope") == -1 && pf_target_by_name(NULL) == -1);
}

/* The text form of an empty input names its target. */
static void text_form_knows_every_row(void)
{
    for (unsigned i = 0; i < PF_TARGET_COUNT; i++) {
        enum pf_target_id t = (enum pf_target_id)i, back = (enum pf_target_id)0;
        struct pf_writer text, bin;
        struct pf_text_error err;
        pf_writer_init(&text);
        pf_writer_init(&bin);
        CHECK(pf_text_decode(NULL, 0, t, &text));
        CHECK(pf_text_encode((const char *)text.data, text.size, &back, false, &bin, &err) == 0);
        CHECK(back == t && bin.size == 0);
        pf_writer_free(&text);
        pf_writer_free(&bin);
    }
}

/* The bytes of each "..." entry of a dictionary, one after the other. */
static size_t next_entry(const char **p, uint8_t *buf, size_t cap)
{
    const char *q;
    while ((q = strchr(*p, '"')) && q > *p && q[-1] != '=' && q[-1] != '\n')
        *p = q + 1;
    if (!q)
        return 0;
    size_t n = 0;
    for (q++; strncmp(q, "\\x", 2) == 0 && n < cap; q += 4)
        buf[n++] = (uint8_t)strtoul((char[3]){q[2], q[3], 0}, NULL, 16);
    *p = q + 1;
    return n;
}

/* Every entry of an op-stream dictionary is one whole op of its dialect. */
static void op_dictionaries_hold_whole_ops(void)
{
    for (unsigned i = 0; i < PF_TARGET_COUNT; i++) {
        enum pf_target_id t = (enum pf_target_id)i;
        enum pf_dialect d = pf_target_info(t)->dialect;
        struct pf_writer w;
        pf_writer_init(&w);
        CHECK(pf_text_dict(t, pf_target_runner(t)->dict, &w));
        pf_write_u8(&w, 0);
        const char *p = (const char *)w.data;
        uint8_t e[64];
        size_t n, entries = 0;
        while ((n = next_entry(&p, e, sizeof e)) > 0) {
            entries++;
            if (d != PF_DIALECT_NONE)
                CHECK_EQ_U64(n, pf_op_size(pf_dialect_kind(d, e[0])));
        }
        CHECK(entries > 0);
        pf_writer_free(&w);
    }
}

/* A sync entry is the sync op's code in each dialect, whatever it is. */
static void dictionaries_follow_the_dialect(void)
{
    for (unsigned i = 0; i < PF_TARGET_COUNT; i++) {
        enum pf_target_id t = (enum pf_target_id)i;
        enum pf_dialect d = pf_target_info(t)->dialect;
        if (d == PF_DIALECT_NONE)
            continue;
        struct pf_writer w;
        pf_writer_init(&w);
        CHECK(pf_text_dict(t, pf_target_runner(t)->dict, &w));
        pf_write_u8(&w, 0);
        char want[32];
        snprintf(want, sizeof want, "\nsync=\"\\x%02x\"\n", pf_dialect_code(d, PF_OP_SYNC));
        CHECK(strstr((const char *)w.data, want) != NULL);
        pf_writer_free(&w);
    }
}

/* Register names are unique and offsets dword-aligned in both tables. */
static void register_tables_are_sane(void)
{
    const struct pf_reg *tables[] = {pf_op_regs, pf_iq_regs};
    const unsigned counts[] = {pf_op_nregs, pf_iq_nregs};
    for (unsigned k = 0; k < 2; k++) {
        CHECK(counts[k] > 0);
        for (unsigned i = 0; i < counts[k]; i++) {
            CHECK(tables[k][i].off % 4 == 0);
            for (unsigned j = 0; j < i; j++)
                CHECK(strcmp(tables[k][i].name, tables[k][j].name) != 0);
        }
    }
    CHECK(pf_vocab_syms(PF_INPUT_OPS, "mmio", "reg")->n == pf_op_nregs);
    CHECK(pf_vocab_syms(PF_INPUT_INV_QUEUE, "mmio", "reg")->n == pf_iq_nregs);
}

CHECK_MAIN(TEST(rows_are_whole), TEST(text_form_knows_every_row),
           TEST(op_dictionaries_hold_whole_ops), TEST(dictionaries_follow_the_dialect),
           TEST(register_tables_are_sane))

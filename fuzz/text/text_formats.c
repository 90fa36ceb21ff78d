/* The record tables of text_format.h for every target, built from the
 * input formats' own field tables. */
#include <stdio.h>
#include <string.h>

#include "inv_queue_input.h"
#include "pasid_table_input.h"
#include "text_format.h"

size_t pf_text_rec_bytes(const struct pf_text_rec *rec)
{
    size_t n = 0;
    for (unsigned i = 0; i < rec->nfields; i++)
        n += rec->fields[i].bytes;
    return n;
}

size_t pf_text_prelude_bytes(const struct pf_text_format *f)
{
    size_t n = 0;
    for (unsigned i = 0; i < f->nprelude; i++) {
        struct pf_text_rec rec;
        f->prelude_rec(i, &rec);
        n += pf_text_rec_bytes(&rec);
    }
    return n;
}

/* The distinct names of the prelude records, for messages. */
const char *pf_text_prelude_names(const struct pf_text_format *f, char *buf, size_t size)
{
    struct pf_text_rec rec;
    const char *last = NULL;
    size_t used = 0;
    buf[0] = '\0';
    for (unsigned s = 0; s < f->nprelude && used < size; s++) {
        f->prelude_rec(s, &rec);
        if (last && strcmp(last, rec.name) == 0)
            continue;
        int n = snprintf(buf + used, size - used, "%s%s", last ? " " : "", rec.name);
        used += n > 0 ? (size_t)n : 0;
        last = rec.name;
    }
    return buf;
}

/* ---- the op stream ---- */

static void ops_prelude(unsigned idx, struct pf_text_rec *rec)
{
    /* One line per group: globals, devices, PASID, DID, FSPT pools. */
    static const uint8_t breaks[] = {PF_HF_DEV0, PF_HF_PASID0, PF_HF_DID0, PF_HF_FSPT0, 0};
    (void)idx;
    *rec = (struct pf_text_rec){.name = "header", .nfields = PF_HEADER_FIELDS,
                                .fields = pf_header_fields(), .breaks = breaks};
}

static void ops_kind(unsigned kind, struct pf_text_rec *rec)
{
    const struct pf_op_spec *s = pf_op_spec((enum pf_opcode)kind);
    *rec = (struct pf_text_rec){.name = s->name, .nfields = s->nfields, .fields = s->fields};
}

static unsigned ops_kind_of(enum pf_dialect d, uint8_t code)
{
    return (unsigned)pf_dialect_kind(d, code);
}

static uint8_t ops_code_of(enum pf_dialect d, unsigned kind)
{
    return pf_dialect_code(d, (enum pf_opcode)kind);
}

/* What the raw header values mean, for the reader. */
static void ops_explain(struct pf_writer *out, const uint8_t *p, size_t size)
{
    struct pf_reader r;
    struct pf_header h;
    pf_reader_init(&r, p, size);
    pf_header_read(&r, &h);
    unsigned ndev = pf_header_ndev(&h);
    pf_text_printf(out, "# %u PASID bits, %u device(s):", pf_header_pasid_bits(&h), ndev);
    for (unsigned i = 0; i < ndev; i++) {
        uint16_t sid = pf_header_sid(&h, i);
        pf_text_printf(out, " %02x:%02x.%u (2^%u PASIDs)", sid >> 8, (sid >> 3) & 0x1f, sid & 7,
                       pf_header_max_pasid_log2(&h, i));
    }
    pf_text_printf(out, "\n# pasid=0..7 ->");
    for (unsigned i = 0; i < PF_PASID_POOL; i++) {
        pf_text_printf(out, " ");
        pf_text_number(out, pf_header_pasid(&h, i));
    }
    pf_text_printf(out, "; did=0..3 ->");
    for (unsigned i = 0; i < PF_DID_POOL; i++)
        pf_text_printf(out, " %u", pf_header_did(&h, i));
    pf_text_printf(out, "\n");
}


/* ---- fuzz_inv_queue ---- */

static void iq_prelude(unsigned idx, struct pf_text_rec *rec)
{
    (void)idx;
    *rec = (struct pf_text_rec){.name = "header", .nfields = IQ_HEADER_FIELDS,
                                .fields = iq_header_fields()};
}

static void iq_kind(unsigned kind, struct pf_text_rec *rec)
{
    const struct iq_cmd_spec *s = iq_cmd_spec((enum iq_cmd_kind)kind);
    *rec = (struct pf_text_rec){.name = s->name, .nfields = s->nfields, .fields = s->fields};
}

static unsigned iq_kind_of(enum pf_dialect d, uint8_t code)
{
    (void)d;
    return code % IQ_CMD_COUNT;
}

static uint8_t iq_code_of(enum pf_dialect d, unsigned kind)
{
    (void)d;
    return (uint8_t)kind;
}

/* ---- fuzz_pasid_table: header, then a line per window entry ---- */

#define Q(n) {n, 8}
static const struct pf_field_spec pt_root_fields[PT_ROOT_QWORDS] = {Q("bus0"), Q("bus1")};
static const struct pf_field_spec pt_ctx_fields[PT_CTX_BYTES / 8] = {
    Q("q0"), Q("q1"), Q("q2"), Q("q3"),
};
static const struct pf_field_spec pt_dir_fields[1] = {Q("value")};
static const struct pf_field_spec pt_pe_fields[PT_PE_BYTES / 8] = {
    Q("q0"), Q("q1"), Q("q2"), Q("q3"), Q("q4"), Q("q5"), Q("q6"), Q("q7"),
};
#undef Q

enum {
    PT_REC_ROOT = 1,
    PT_REC_CTX = PT_REC_ROOT + 1,
    PT_REC_DIR = PT_REC_CTX + PT_CTX_PAGES * PT_NDEV,
    PT_REC_PE = PT_REC_DIR + PT_DIR_PAGES * PT_DIR_WIN,
    PT_PRELUDE_RECS = PT_REC_PE + PT_TAB_PAGES * PT_TAB_WIN,
};

_Static_assert(PT_PRELUDE_RECS <= PF_TEXT_MAX_PRELUDE, "the encoder has room for every prelude record");
_Static_assert(sizeof pt_root_fields / sizeof pt_root_fields[0] * 8 +
                   PT_CTX_PAGES * PT_NDEV * PT_CTX_BYTES + PT_DIR_PAGES * PT_DIR_WIN * 8 +
                   PT_TAB_PAGES * PT_TAB_WIN * PT_PE_BYTES == PT_WIN_BYTES,
               "the prelude records cover the windows exactly, in order");

static void pt_prelude(unsigned idx, struct pf_text_rec *rec)
{
    if (idx == 0) {
        *rec = (struct pf_text_rec){.name = "header", .nfields = PT_HEADER_FIELDS,
                                    .fields = pt_header_fields()};
    } else if (idx < PT_REC_CTX) {
        *rec = (struct pf_text_rec){.name = "root", .nfields = PT_ROOT_QWORDS,
                                    .fields = pt_root_fields};
    } else if (idx < PT_REC_DIR) {
        unsigned i = idx - PT_REC_CTX;
        *rec = (struct pf_text_rec){.name = "ctx", .nsel = 2, .sel = {"page", "dev"},
                                    .selv = {(uint8_t)(i / PT_NDEV), (uint8_t)(i % PT_NDEV)},
                                    .nfields = PT_CTX_BYTES / 8, .fields = pt_ctx_fields};
    } else if (idx < PT_REC_PE) {
        unsigned i = idx - PT_REC_DIR;
        *rec = (struct pf_text_rec){.name = "dir", .nsel = 2, .sel = {"page", "entry"},
                                    .selv = {(uint8_t)(i / PT_DIR_WIN), (uint8_t)(i % PT_DIR_WIN)},
                                    .nfields = 1, .fields = pt_dir_fields};
    } else {
        unsigned i = idx - PT_REC_PE;
        *rec = (struct pf_text_rec){.name = "pe", .nsel = 2, .sel = {"table", "entry"},
                                    .selv = {(uint8_t)(i / PT_TAB_WIN), (uint8_t)(i % PT_TAB_WIN)},
                                    .nfields = PT_PE_BYTES / 8, .fields = pt_pe_fields};
    }
}

static void pt_kind(unsigned kind, struct pf_text_rec *rec)
{
    (void)kind;
    *rec = (struct pf_text_rec){.name = "edit", .nfields = PT_EDIT_FIELDS,
                                .fields = pt_edit_fields()};
}

static void pt_explain(struct pf_writer *out, const uint8_t *p, size_t size)
{
    (void)p, (void)size;
    /* The page references of pasid_table_input.h, for reading pointers. */
    pf_text_printf(out, "# a pointer 0xN000|flags names page N: 0-1 ctx a-b, 2-3 dir a-b,\n"
                        "# 4-7 table 0-3, 8-11 spare, 12 root, 13 status, 14 unbacked, "
                        "15 beyond;\n# edit where=[phase1|]PAGE, PAGE %% 13\n");
}

static const struct pf_text_format pf_formats[PF_INPUT_FORMAT_COUNT] = {
    [PF_INPUT_OPS] = {PF_INPUT_OPS, "ops", "op", 1, ops_prelude, true, PF_OP_COUNT, ops_kind,
                      ops_kind_of, ops_code_of, ops_explain},
    [PF_INPUT_INV_QUEUE] = {PF_INPUT_INV_QUEUE, "inv_queue", "command", 1, iq_prelude, true,
                            IQ_CMD_COUNT, iq_kind, iq_kind_of, iq_code_of, NULL},
    [PF_INPUT_PASID_TABLE] = {PF_INPUT_PASID_TABLE, "pasid_table", "edit", PT_PRELUDE_RECS, pt_prelude,
                              false, 1, pt_kind, NULL, NULL, pt_explain},
};

const struct pf_text_format *pf_text_format_of(enum pf_input_format fmt)
{
    return (unsigned)fmt < PF_INPUT_FORMAT_COUNT ? &pf_formats[fmt] : NULL;
}

const struct pf_text_format *pf_text_format(enum pf_target_id t)
{
    const struct pf_target_info *info = pf_target_info(t);
    return info ? pf_text_format_of(info->format) : NULL;
}

const char *pf_text_format_name(enum pf_target_id t)
{
    const struct pf_text_format *f = pf_text_format(t);
    return f ? f->name : NULL;
}

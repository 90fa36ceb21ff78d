#include "inv_queue_input.h"

#include <string.h>

#define F(n, b) {n, b}

static const struct iq_cmd_spec iq_cmd_specs[IQ_CMD_COUNT] = {
    [IQ_CMD_RAW] = {"raw", 4, {F("q0", 8), F("q1", 8), F("q2", 8), F("q3", 8)}},
    [IQ_CMD_DESC] = {"desc", 4, {F("type", 1), F("flags", 2), F("sel", 1), F("arg", 8)}},
    [IQ_CMD_TAIL] = {"iqt", 2, {F("mode", 1), F("value", 4)}},
    [IQ_CMD_SKIP] = {"skip", 1, {F("n", 1)}},
    [IQ_CMD_QUEUE] = {"queue", 2, {F("mode", 1), F("iqa", 1)}},
    [IQ_CMD_IQE] = {"iqe", 1, {F("mode", 1)}},
    [IQ_CMD_MMIO] = {"mmio", 3, {F("reg", 1), F("wide", 1), F("value", 8)}},
    [IQ_CMD_TABLE] = {"table", 3, {F("entry", 1), F("action", 1), F("arg", 1)}},
    [IQ_CMD_SYNC] = {"sync", 0, {{NULL, 0}}},
};

static const struct pf_field_spec iq_header_specs[IQ_HEADER_FIELDS] = {
    F("cfg", 1), F("pasid_bits", 1),
};

#undef F

const struct pf_field_spec *iq_header_fields(void)
{
    return iq_header_specs;
}

enum iq_cmd_kind iq_cmd_kind(const struct iq_cmd *c)
{
    return (enum iq_cmd_kind)(c->code % IQ_CMD_COUNT);
}

const struct iq_cmd_spec *iq_cmd_spec(enum iq_cmd_kind kind)
{
    return (unsigned)kind < IQ_CMD_COUNT ? &iq_cmd_specs[kind] : NULL;
}

size_t iq_cmd_size(enum iq_cmd_kind kind)
{
    const struct iq_cmd_spec *s = iq_cmd_spec(kind);
    return s ? pf_record_size(s->fields, s->nfields) : 1;
}

void iq_header_read(struct pf_reader *r, struct iq_header *h)
{
    h->cfg = (uint8_t)pf_read_uint(r, iq_header_specs[0].bytes);
    h->pasid_bits = (uint8_t)pf_read_uint(r, iq_header_specs[1].bytes);
}

void iq_header_write(struct pf_writer *w, const struct iq_header *h)
{
    pf_write_uint(w, h->cfg, iq_header_specs[0].bytes);
    pf_write_uint(w, h->pasid_bits, iq_header_specs[1].bytes);
}

void iq_cmd_read(struct pf_reader *r, struct iq_cmd *c)
{
    memset(c, 0, sizeof *c);
    c->code = pf_read_u8(r);
    const struct iq_cmd_spec *s = iq_cmd_spec(iq_cmd_kind(c));
    for (unsigned i = 0; i < s->nfields; i++)
        c->f[i] = pf_read_uint(r, s->fields[i].bytes);
}

void iq_cmd_write(struct pf_writer *w, const struct iq_cmd *c)
{
    pf_write_u8(w, c->code);
    const struct iq_cmd_spec *s = iq_cmd_spec(iq_cmd_kind(c));
    for (unsigned i = 0; i < s->nfields; i++)
        pf_write_uint(w, c->f[i], s->fields[i].bytes);
}

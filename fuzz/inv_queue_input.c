#include "inv_queue_input.h"

#include <string.h>

static const struct iq_cmd_spec iq_cmd_specs[IQ_CMD_COUNT] = {
    [IQ_CMD_RAW] = {"raw", 4, {8, 8, 8, 8}},
    [IQ_CMD_DESC] = {"desc", 4, {1, 2, 1, 8}},
    [IQ_CMD_TAIL] = {"tail", 2, {1, 4, 0, 0}},
    [IQ_CMD_SKIP] = {"skip", 1, {1, 0, 0, 0}},
    [IQ_CMD_QUEUE] = {"queue", 2, {1, 1, 0, 0}},
    [IQ_CMD_IQE] = {"iqe", 1, {1, 0, 0, 0}},
    [IQ_CMD_MMIO] = {"mmio", 3, {1, 1, 8, 0}},
    [IQ_CMD_TABLE] = {"table", 3, {1, 1, 1, 0}},
    [IQ_CMD_SYNC] = {"sync", 0, {0, 0, 0, 0}},
};

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
    size_t n = 1;
    for (unsigned i = 0; s && i < s->nfields; i++)
        n += s->bytes[i];
    return n;
}

void iq_header_read(struct pf_reader *r, struct iq_header *h)
{
    h->cfg = pf_read_u8(r);
    h->pasid_bits = pf_read_u8(r);
}

void iq_header_write(struct pf_writer *w, const struct iq_header *h)
{
    pf_write_u8(w, h->cfg);
    pf_write_u8(w, h->pasid_bits);
}

void iq_cmd_read(struct pf_reader *r, struct iq_cmd *c)
{
    memset(c, 0, sizeof *c);
    c->code = pf_read_u8(r);
    const struct iq_cmd_spec *s = iq_cmd_spec(iq_cmd_kind(c));
    for (unsigned i = 0; i < s->nfields; i++)
        c->f[i] = pf_read_uint(r, s->bytes[i]);
}

void iq_cmd_write(struct pf_writer *w, const struct iq_cmd *c)
{
    pf_write_u8(w, c->code);
    const struct iq_cmd_spec *s = iq_cmd_spec(iq_cmd_kind(c));
    for (unsigned i = 0; i < s->nfields; i++)
        pf_write_uint(w, c->f[i], s->bytes[i]);
}

#include "pasid_table_input.h"

#include <string.h>

#include "pf_le.h"

#define F(n, b) {n, b}

static const struct pf_field_spec pt_header_specs[PT_HEADER_FIELDS] = {
    F("pasid_bits", 1), F("flags", 1), F("rt2", 1),
    F("log2_0", 1), F("log2_1", 1), F("log2_2", 1),
    F("did0", 2), F("did1", 2), F("did2", 2),
    F("pasid0", 4), F("pasid1", 4),
};

static const struct pf_field_spec pt_edit_specs[PT_EDIT_FIELDS] = {
    F("where", 1), F("index", 2), F("value", 8),
};

#undef F

_Static_assert(PT_NDEV == 3 && PT_NDIDS == 3 && PT_NPASIDS == 2,
               "pt_header_specs names every header field");

const struct pf_field_spec *pt_header_fields(void)
{
    return pt_header_specs;
}

const struct pf_field_spec *pt_edit_fields(void)
{
    return pt_edit_specs;
}

size_t pt_win_root(unsigned i)
{
    return PT_WIN_ROOT_OFF + (size_t)(i % PT_ROOT_QWORDS) * 8u;
}

size_t pt_win_ctx(unsigned page, unsigned dev)
{
    return PT_WIN_CTX_OFF +
           ((size_t)(page % PT_CTX_PAGES) * PT_NDEV + dev % PT_NDEV) * PT_CTX_BYTES;
}

size_t pt_win_dir(unsigned page, unsigned idx)
{
    return PT_WIN_DIR_OFF + ((size_t)(page % PT_DIR_PAGES) * PT_DIR_WIN + idx % PT_DIR_WIN) * 8u;
}

size_t pt_win_pe(unsigned table, unsigned idx)
{
    return PT_WIN_TAB_OFF +
           ((size_t)(table % PT_TAB_PAGES) * PT_TAB_WIN + idx % PT_TAB_WIN) * PT_PE_BYTES;
}

static void pt_header_read(struct pf_reader *r, struct pt_header *h)
{
    h->pasid_bits = pf_read_u8(r);
    h->flags = pf_read_u8(r);
    h->rt2 = pf_read_u8(r);
    for (unsigned i = 0; i < PT_NDEV; i++)
        h->log2[i] = pf_read_u8(r);
    for (unsigned i = 0; i < PT_NDIDS; i++)
        h->did[i] = pf_read_u16(r);
    for (unsigned i = 0; i < PT_NPASIDS; i++)
        h->pasid[i] = pf_read_u32(r);
}

static void pt_header_write(struct pf_writer *w, const struct pt_header *h)
{
    pf_write_u8(w, h->pasid_bits);
    pf_write_u8(w, h->flags);
    pf_write_u8(w, h->rt2);
    for (unsigned i = 0; i < PT_NDEV; i++)
        pf_write_u8(w, h->log2[i]);
    for (unsigned i = 0; i < PT_NDIDS; i++)
        pf_write_u16(w, h->did[i]);
    for (unsigned i = 0; i < PT_NPASIDS; i++)
        pf_write_u32(w, h->pasid[i]);
}

void pt_input_read(struct pf_reader *r, struct pt_input *in)
{
    pt_header_read(r, &in->h);
    for (size_t i = 0; i < PT_WIN_BYTES; i++)
        in->win[i] = pf_read_u8(r);
    in->nedits = 0;
    while (!pf_reader_done(r) && in->nedits < PT_MAX_EDITS) {
        struct pt_edit *e = &in->edits[in->nedits++];
        e->where = pf_read_u8(r);
        e->index = pf_read_u16(r);
        e->value = pf_read_u64(r);
    }
}

void pt_input_write(struct pf_writer *w, const struct pt_input *in)
{
    pt_header_write(w, &in->h);
    pf_write_bytes(w, in->win, PT_WIN_BYTES);
    for (unsigned i = 0; i < in->nedits && i < PT_MAX_EDITS; i++) {
        pf_write_u8(w, in->edits[i].where);
        pf_write_u16(w, in->edits[i].index);
        pf_write_u64(w, in->edits[i].value);
    }
}

void pt_win_set(struct pt_input *in, size_t off, const uint64_t *q, unsigned n)
{
    for (unsigned i = 0; i < n && off + 8u * (i + 1) <= PT_WIN_BYTES; i++)
        pf_le64_store(in->win + off + 8u * i, q[i]);
}

void pt_win_get(const struct pt_input *in, size_t off, uint64_t *q, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        q[i] = off + 8u * (i + 1) <= PT_WIN_BYTES ? pf_le64_load(in->win + off + 8u * i) : 0;
}

void pt_input_add_edit(struct pt_input *in, unsigned phase, unsigned page, unsigned index,
                       uint64_t value)
{
    if (in->nedits >= PT_MAX_EDITS)
        return;
    in->edits[in->nedits++] = (struct pt_edit){
        .where = (uint8_t)((phase ? PT_EDIT_PHASE1 : 0) | (page & PT_EDIT_PAGE_MASK)),
        .index = (uint16_t)index,
        .value = value,
    };
}

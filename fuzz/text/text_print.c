/* Input bytes to the text form of text.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "text_format.h"

void pf_text_printf(struct pf_writer *w, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    /* Every format here is far shorter than buf. */
    if (n > 0)
        pf_write_bytes(w, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

static void pf_wputs(struct pf_writer *w, const char *s)
{
    pf_write_bytes(w, s, strlen(s));
}

/* Small values in decimal, the rest (addresses, masks) in hex. */
void pf_text_number(struct pf_writer *w, uint64_t v)
{
    if (v < 1024)
        pf_text_printf(w, "%llu", (unsigned long long)v);
    else
        pf_text_printf(w, "0x%llx", (unsigned long long)v);
}

static void pf_text_value(struct pf_writer *w, const struct pf_sym_table *t, uint64_t v)
{
    if (t && !t->flags) {
        for (unsigned i = 0; i < t->n; i++) {
            if (pf_sym_at(t, i).value == v) {
                pf_wputs(w, pf_sym_at(t, i).name);
                return;
            }
        }
    }
    if (t && t->flags) {
        bool first = true;
        for (unsigned i = 0; i < t->n; i++) {
            struct pf_sym sym = pf_sym_at(t, i);
            uint64_t bit = sym.value;
            if (bit && (v & bit) == bit) {
                pf_text_printf(w, "%s%s", first ? "" : "|", sym.name);
                v &= ~bit;
                first = false;
            }
        }
        if (v == 0 && !first)
            return;
        if (!first)
            pf_wputs(w, "|");
    }
    pf_text_number(w, v);
}

static void pf_text_field(struct pf_writer *w, const struct pf_text_format *f,
                          const struct pf_text_rec *rec, const char *name, uint64_t v)
{
    pf_text_printf(w, " %s=", name);
    pf_text_value(w, pf_vocab_syms(f->format, rec->name, name), v);
}

/* A zero that has a name (g=domain, cmd=te-on) is worth showing: left out,
 * it reads as "not given". */
static bool pf_names_zero(const struct pf_sym_table *t)
{
    for (unsigned i = 0; t && !t->flags && i < t->n; i++)
        if (pf_sym_at(t, i).value == 0)
            return true;
    return false;
}

static bool pf_show_field(const struct pf_text_format *f, const struct pf_text_rec *rec,
                          unsigned i, uint64_t v)
{
    return v != 0 || pf_names_zero(pf_vocab_syms(f->format, rec->name, rec->fields[i].name));
}

/* One record line, fields [from, to), without newline: NAME[@CODE] then
 * its selectors and fields. code < 0: the record has no code byte. */
static void pf_text_line(struct pf_writer *out, const struct pf_text_format *f, enum pf_dialect d,
                         const struct pf_text_rec *rec, int code, const uint64_t *v,
                         unsigned from, unsigned to)
{
    pf_wputs(out, rec->name);
    if (code >= 0 && f->code_of(d, f->kind_of(d, (uint8_t)code)) != code)
        pf_text_printf(out, "@%d", code);
    for (unsigned i = 0; i < rec->nsel; i++)
        pf_text_field(out, f, rec, rec->sel[i], rec->selv[i]);
    for (unsigned i = from; i < to; i++)
        if (pf_show_field(f, rec, i, v[i]))
            pf_text_field(out, f, rec, rec->fields[i].name, v[i]);
}

void pf_text_op(struct pf_writer *out, const struct pf_op *op, enum pf_dialect d)
{
    const struct pf_text_format *f = pf_text_format_of(PF_INPUT_OPS);
    struct pf_text_rec rec;
    f->kind_rec(f->kind_of(d, op->code), &rec);
    pf_text_line(out, f, d, &rec, op->code, op->f, 0, rec.nfields);
}

static void pf_read_fields(struct pf_reader *r, const struct pf_text_rec *rec, uint64_t *v)
{
    for (unsigned i = 0; i < rec->nfields; i++)
        v[i] = pf_read_uint(r, rec->fields[i].bytes);
}

/* A prelude record, a line per group of fields (rec->breaks) that has a
 * field to show. The first line of the first record is always there: it
 * says the prelude is. */
static void pf_text_prelude_rec(struct pf_writer *out, const struct pf_text_format *f,
                         const struct pf_text_rec *rec, const uint64_t *v, bool first)
{
    unsigned from = 0;
    for (unsigned b = 0;; b++) {
        unsigned to = rec->breaks && rec->breaks[b] ? rec->breaks[b] : rec->nfields;
        bool any = first && from == 0;
        for (unsigned i = from; i < to; i++)
            any |= pf_show_field(f, rec, i, v[i]);
        if (any) {
            pf_text_line(out, f, PF_DIALECT_NONE, rec, -1, v, from, to);
            pf_wputs(out, "\n");
        }
        if (to == rec->nfields)
            break;
        from = to;
    }
}

static void pf_text_tail(struct pf_writer *out, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i += 32) {
        pf_wputs(out, "tail ");
        for (size_t j = i; j < n && j < i + 32; j++)
            pf_text_printf(out, "%02x", p[j]);
        pf_wputs(out, "\n");
    }
}

bool pf_text_decode(const uint8_t *data, size_t size, enum pf_target_id t,
                    struct pf_writer *out)
{
    const struct pf_text_format *f = pf_text_format(t);
    enum pf_dialect d = pf_target_info(t)->dialect;
    pf_text_printf(out, "target %s\n", pf_target_info(t)->name);
    size_t psize = pf_text_prelude_bytes(f);
    struct pf_reader r;
    struct pf_text_rec rec;
    uint64_t v[PF_TEXT_MAX_FIELDS];
    pf_reader_init(&r, data, size);
    unsigned s = 0;
    for (; s < f->nprelude; s++) {
        f->prelude_rec(s, &rec);
        if (pf_reader_left(&r) < pf_text_rec_bytes(&rec))
            break;
        pf_read_fields(&r, &rec, v);
        pf_text_prelude_rec(out, f, &rec, v, s == 0);
    }
    if (s > 0 && f->explain)
        f->explain(out, data, psize);
    if (s < f->nprelude) {
        /* The input ends inside the prelude: `cut` says where, the bytes
         * of the record it cuts are a tail. */
        if (size > 0)
            pf_wputs(out, s == 0 ? "# shorter than a header; the rest reads as zero\n"
                                 : "# the input ends inside this record; the rest reads as zero\n");
        if (s > 0) {
            pf_wputs(out, "cut ");
            pf_text_line(out, f, d, &rec, -1, v, 0, 0);
            pf_wputs(out, "\n");
        }
        if (pf_reader_left(&r))     /* data is NULL when size is 0 */
            pf_text_tail(out, data + r.pos, pf_reader_left(&r));
        return out->ok;
    }
    while (!pf_reader_done(&r)) {
        size_t left = pf_reader_left(&r);
        int code = f->coded ? data[r.pos] : -1;
        f->kind_rec(f->coded ? f->kind_of(d, (uint8_t)code) : 0, &rec);
        if (left < (f->coded ? 1u : 0u) + pf_text_rec_bytes(&rec)) {
            pf_text_printf(out, "# truncated %s; the rest reads as zero\n", rec.name);
            pf_text_tail(out, data + r.pos, left);
            break;
        }
        if (f->coded)
            pf_read_u8(&r);
        pf_read_fields(&r, &rec, v);
        pf_text_line(out, f, d, &rec, code, v, 0, rec.nfields);
        pf_wputs(out, "\n");
    }
    return out->ok;
}

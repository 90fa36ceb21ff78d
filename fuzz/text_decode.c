/* Input bytes to the text form of text.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "text.h"
#include "text_syms.h"

static void pf_wprintf(struct pf_writer *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void pf_wprintf(struct pf_writer *w, const char *fmt, ...)
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
static void pf_text_number(struct pf_writer *w, uint64_t v)
{
    if (v < 1024)
        pf_wprintf(w, "%llu", (unsigned long long)v);
    else
        pf_wprintf(w, "0x%llx", (unsigned long long)v);
}

static void pf_text_value(struct pf_writer *w, const struct pf_sym_table *t, uint64_t v)
{
    if (t && !t->flags) {
        for (unsigned i = 0; i < t->n; i++) {
            if (t->syms[i].value == v) {
                pf_wputs(w, t->syms[i].name);
                return;
            }
        }
    }
    if (t && t->flags) {
        bool first = true;
        for (unsigned i = 0; i < t->n; i++) {
            uint64_t bit = t->syms[i].value;
            if (bit && (v & bit) == bit) {
                pf_wprintf(w, "%s%s", first ? "" : "|", t->syms[i].name);
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

static void pf_text_field(struct pf_writer *w, int kind, const char *name, uint64_t v)
{
    pf_wprintf(w, " %s=", name);
    pf_text_value(w, pf_text_syms(kind, name), v);
}

/* A zero that has a name (g=domain, cmd=te-on) is worth showing: left out,
 * it reads as "not given". */
static bool pf_names_zero(const struct pf_sym_table *t)
{
    for (unsigned i = 0; t && !t->flags && i < t->n; i++)
        if (t->syms[i].value == 0)
            return true;
    return false;
}

void pf_text_op(struct pf_writer *out, const struct pf_op *op, enum pf_dialect d)
{
    enum pf_opcode kind = pf_dialect_kind(d, op->code);
    const struct pf_op_spec *s = pf_op_spec(kind);
    pf_wputs(out, s->name);
    if (op->code != pf_dialect_code(d, kind))
        pf_wprintf(out, "@%u", op->code);
    for (unsigned i = 0; i < s->nfields; i++)
        if (op->f[i] != 0 || pf_names_zero(pf_text_syms((int)kind, s->fields[i].name)))
            pf_text_field(out, (int)kind, s->fields[i].name, op->f[i]);
}

/* The header in groups (globals, devices, each pool), a line per group
 * that has a non-zero field; the first line always. */
static void pf_text_header(struct pf_writer *out, const struct pf_header *h)
{
    static const unsigned groups[] = {0, PF_HF_DEV0, PF_HF_PASID0, PF_HF_DID0, PF_HF_FSPT0,
                                      PF_HEADER_FIELDS};
    const struct pf_field_spec *fs = pf_header_fields();
    for (unsigned g = 0; g + 1 < sizeof groups / sizeof groups[0]; g++) {
        bool any = false;
        for (unsigned i = groups[g]; i < groups[g + 1]; i++)
            any |= h->f[i] != 0;
        if (!any && g != 0)
            continue;
        pf_wputs(out, "header");
        for (unsigned i = groups[g]; i < groups[g + 1]; i++)
            if (h->f[i] != 0)
                pf_text_field(out, PF_TEXT_HEADER, fs[i].name, h->f[i]);
        pf_wputs(out, "\n");
    }
}

/* What the raw header values mean, as a comment for the reader. */
static void pf_text_header_meaning(struct pf_writer *out, const struct pf_header *h)
{
    unsigned ndev = pf_header_ndev(h);
    pf_wprintf(out, "# %u PASID bits, %u device(s):", pf_header_pasid_bits(h), ndev);
    for (unsigned i = 0; i < ndev; i++) {
        uint16_t sid = pf_header_sid(h, i);
        pf_wprintf(out, " %02x:%02x.%u (2^%u PASIDs)", sid >> 8, (sid >> 3) & 0x1f, sid & 7,
                   pf_header_max_pasid_log2(h, i));
    }
    pf_wputs(out, "\n# pasid=0..7 ->");
    for (unsigned i = 0; i < PF_PASID_POOL; i++) {
        pf_wputs(out, " ");
        pf_text_number(out, pf_header_pasid(h, i));
    }
    pf_wputs(out, "; did=0..3 ->");
    for (unsigned i = 0; i < PF_DID_POOL; i++)
        pf_wprintf(out, " %u", pf_header_did(h, i));
    pf_wputs(out, "\n");
}

static void pf_text_tail(struct pf_writer *out, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i += 32) {
        pf_wputs(out, "tail ");
        for (size_t j = i; j < n && j < i + 32; j++)
            pf_wprintf(out, "%02x", p[j]);
        pf_wputs(out, "\n");
    }
}

bool pf_text_decode(const uint8_t *data, size_t size, enum pf_dialect d, struct pf_writer *out)
{
    pf_wprintf(out, "target %s\n", pf_dialect_name(d));
    size_t hsize = pf_header_size();
    if (size < hsize) {
        /* Shorter than a header: only raw bytes say what it is exactly. */
        if (size > 0)
            pf_wputs(out, "# shorter than a header; the rest reads as zero\n");
        pf_text_tail(out, data, size);
        return out->ok;
    }
    struct pf_reader r;
    struct pf_header h;
    pf_reader_init(&r, data, size);
    pf_header_read(&r, &h);
    pf_text_header(out, &h);
    pf_text_header_meaning(out, &h);
    while (!pf_reader_done(&r)) {
        size_t left = pf_reader_left(&r);
        if (left < pf_op_size(pf_dialect_kind(d, data[r.pos]))) {
            pf_wprintf(out, "# truncated %s; the rest reads as zero\n",
                       pf_op_spec(pf_dialect_kind(d, data[r.pos]))->name);
            pf_text_tail(out, data + r.pos, left);
            break;
        }
        struct pf_op op;
        pf_op_read_in(&r, &op, d);
        pf_text_op(out, &op, d);
        pf_wputs(out, "\n");
    }
    return out->ok;
}

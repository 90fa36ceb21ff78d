/* The text form of text.h to input bytes: a line-at-a-time parser that
 * checks every token and stops at the first error. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pf_hex.h"
#include "text_format.h"

struct pf_slice {
    const char *p;
    size_t n;
};

enum pf_text_stage { STAGE_START, STAGE_RECORDS, STAGE_CUT, STAGE_TAIL };

struct pf_enc {
    struct pf_text_error *err;
    const char *line;           /* start of the current line, for columns */
    unsigned lineno;
    enum pf_target_id *t;
    const struct pf_text_format *f;
    bool fixed;
    enum pf_text_stage stage;
    bool records;               /* a prelude or body line was seen */
    bool body;
    int cut;                    /* prelude records written when a cut is given */
    uint64_t pv[PF_TEXT_MAX_PRELUDE][PF_TEXT_MAX_FIELDS];     /* prelude values */
    uint32_t seen[PF_TEXT_MAX_PRELUDE];                       /* bit per field */
    struct pf_writer out, tail;
};

_Static_assert(PF_HEADER_FIELDS <= PF_TEXT_MAX_FIELDS, "seen has a bit per header field");

static int pf_fail(struct pf_enc *e, struct pf_slice at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int pf_fail(struct pf_enc *e, struct pf_slice at, const char *fmt, ...)
{
    va_list ap;
    e->err->line = e->lineno;
    e->err->col = at.p ? (unsigned)(at.p - e->line) + 1 : 0;
    va_start(ap, fmt);
    vsnprintf(e->err->msg, sizeof e->err->msg, fmt, ap);
    va_end(ap);
    return -1;
}

/* A token as it may appear in a message: printable, at most 40 bytes. */
static const char *pf_show(struct pf_slice s, char buf[48])
{
    size_t n = s.n < 40 ? s.n : 40;
    for (size_t i = 0; i < n; i++)
        buf[i] = (s.p[i] >= 0x20 && s.p[i] < 0x7f) ? s.p[i] : '?';
    strcpy(buf + n, s.n > n ? "..." : "");
    return buf;
}

static bool pf_is(struct pf_slice s, const char *word)
{
    return strlen(word) == s.n && memcmp(s.p, word, s.n) == 0;
}

static bool pf_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Next whitespace-separated token of *rest; false at the end. */
static bool pf_token(struct pf_slice *rest, struct pf_slice *tok)
{
    while (rest->n && pf_space(*rest->p))
        rest->p++, rest->n--;
    if (!rest->n)
        return false;
    tok->p = rest->p;
    while (rest->n && !pf_space(*rest->p))
        rest->p++, rest->n--;
    tok->n = (size_t)(rest->p - tok->p);
    return true;
}

/* Decimal or 0x hex, no sign, no overflow. */
static bool pf_number(struct pf_slice s, uint64_t *v)
{
    unsigned base = 10;
    if (s.n > 2 && s.p[0] == '0' && (s.p[1] == 'x' || s.p[1] == 'X'))
        base = 16, s.p += 2, s.n -= 2;
    if (!s.n)
        return false;
    uint64_t x = 0;
    for (size_t i = 0; i < s.n; i++) {
        int d = pf_hex_digit(s.p[i]);
        if (d < 0 || (unsigned)d >= base)
            return false;
        unsigned dig = (unsigned)d;
        if (x > (UINT64_MAX - dig) / base)
            return false;
        x = x * base + dig;
    }
    *v = x;
    return true;
}

static void pf_names(const struct pf_sym_table *t, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (unsigned i = 0; t && i < t->n && used < size; i++) {
        int n = snprintf(buf + used, size - used, "%s%s", i ? " " : "", pf_sym_at(t, i).name);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

/* VALUE of FIELD=VALUE: numbers or names, flag names joined with '|'. */
static int pf_value(struct pf_enc *e, struct pf_slice s, const char *field, unsigned bytes,
                    const struct pf_sym_table *t, uint64_t *out)
{
    char show[48], names[120];
    uint64_t v = 0;
    struct pf_slice term = {s.p, 0};
    for (size_t i = 0; i <= s.n; i++) {
        if (i < s.n && s.p[i] != '|') {
            term.n++;
            continue;
        }
        if (i < s.n && !(t && t->flags))
            return pf_fail(e, (struct pf_slice){s.p + i, 1},
                           "'|' joins flag names; field %s is not a flag field", field);
        uint64_t x = 0;
        bool ok = term.n && term.p[0] >= '0' && term.p[0] <= '9' && pf_number(term, &x);
        for (unsigned k = 0; !ok && t && k < t->n; k++)
            if (pf_is(term, pf_sym_at(t, k).name))
                x = pf_sym_at(t, k).value, ok = true;
        if (!ok) {
            if (term.n && term.p[0] >= '0' && term.p[0] <= '9')
                return pf_fail(e, term, "bad number '%s' for field %s", pf_show(term, show),
                               field);
            pf_names(t, names, sizeof names);
            return pf_fail(e, term, "bad value '%s' for field %s (%s%s)", pf_show(term, show),
                           field, t ? "a number or one of: " : "a number", names);
        }
        v |= x;
        term = (struct pf_slice){s.p + i + 1, 0};
    }
    if (bytes < 8 && v >> (8 * bytes))
        return pf_fail(e, s, "value 0x%llx of field %s does not fit in %u byte(s)",
                       (unsigned long long)v, field, bytes);
    *out = v;
    return 0;
}

/* FIELD=VALUE tokens of rest into f[], against the record's field specs. */
static int pf_fields(struct pf_enc *e, struct pf_slice rest, const struct pf_text_rec *rec,
                     uint64_t *f, uint32_t *seen)
{
    const char *what = rec->name;
    const struct pf_field_spec *spec = rec->fields;
    unsigned nfields = rec->nfields;
    struct pf_slice tok;
    char show[48], names[200];
    while (pf_token(&rest, &tok)) {
        const char *eq = memchr(tok.p, '=', tok.n);
        if (!eq)
            return pf_fail(e, tok, "expected FIELD=VALUE, got '%s'", pf_show(tok, show));
        struct pf_slice key = {tok.p, (size_t)(eq - tok.p)};
        struct pf_slice val = {eq + 1, tok.n - key.n - 1};
        unsigned i = 0;
        while (i < nfields && !pf_is(key, spec[i].name))
            i++;
        if (i == nfields) {
            size_t used = 0;
            names[0] = '\0';
            for (unsigned k = 0; k < nfields && used < sizeof names; k++) {
                int n = snprintf(names + used, sizeof names - used, " %s", spec[k].name);
                used += n > 0 ? (size_t)n : 0;
            }
            return pf_fail(e, key, "%s has no field '%s' (fields:%s)", what, pf_show(key, show),
                           nfields ? names : " none");
        }
        if (*seen & (1u << i))
            return pf_fail(e, key, "field %s given twice", spec[i].name);
        *seen |= 1u << i;
        if (pf_value(e, val, spec[i].name, spec[i].bytes,
                     pf_vocab_syms(e->f->format, rec->name, spec[i].name), &f[i]) != 0)
            return -1;
    }
    return 0;
}

static int pf_line_target(struct pf_enc *e, struct pf_slice kw, struct pf_slice rest)
{
    struct pf_slice name, extra;
    char show[48];
    if (e->stage != STAGE_START)
        return pf_fail(e, kw, "target must come before the other lines");
    if (!pf_token(&rest, &name))
        return pf_fail(e, kw, "target needs a name (%s)", pf_target_names());
    if (pf_token(&rest, &extra))
        return pf_fail(e, extra, "target takes one name");
    char buf[64];
    int d = -1;
    if (name.n < sizeof buf) {
        memcpy(buf, name.p, name.n);
        buf[name.n] = '\0';
        d = pf_target_by_name(buf);
    }
    if (d < 0)
        return pf_fail(e, name, "unknown target '%s' (%s)", pf_show(name, show),
                       pf_target_names());
    if (e->fixed && (enum pf_target_id)d != *e->t)
        return pf_fail(e, name, "target %s conflicts with --target %s",
                       pf_target_info((enum pf_target_id)d)->name, pf_target_info(*e->t)->name);
    *e->t = (enum pf_target_id)d;
    e->f = pf_text_format(*e->t);
    e->stage = STAGE_RECORDS;
    return 0;
}

/* The prelude record a line names by its record name and selectors; -1 on
 * error, -2 when kw is not a prelude record. */
static int pf_prelude_of(struct pf_enc *e, struct pf_slice kw, struct pf_slice *rest)
{
    struct pf_text_rec rec;
    uint64_t sel[PF_TEXT_MAX_SEL];
    char show[48], show2[48];
    int found = -1;
    for (unsigned s = 0; s < e->f->nprelude && found < 0; s++) {
        e->f->prelude_rec(s, &rec);
        if (pf_is(kw, rec.name))
            found = (int)s;
    }
    if (found < 0)
        return -2;
    if (rec.nsel == 0)
        return found;
    /* Selectors come first, in order: they say which instance. */
    struct pf_slice sels = *rest;
    for (unsigned i = 0; i < rec.nsel; i++) {
        struct pf_slice tok;
        size_t n = strlen(rec.sel[i]);
        struct pf_slice before = *rest;
        if (!pf_token(rest, &tok) || tok.n <= n || memcmp(tok.p, rec.sel[i], n) != 0 ||
            tok.p[n] != '=')
            return pf_fail(e, pf_token(&before, &tok) ? tok : kw,
                           "%s needs %s=VALUE here: the line starts '%s %s=... %s=...'", rec.name,
                           rec.sel[i], rec.name, rec.sel[0], rec.sel[rec.nsel - 1]);
        if (pf_value(e, (struct pf_slice){tok.p + n + 1, tok.n - n - 1}, rec.sel[i], 1,
                     pf_vocab_syms(e->f->format, rec.name, rec.sel[i]), &sel[i]) != 0)
            return -1;
    }
    while (sels.n && pf_space(*sels.p))
        sels.p++, sels.n--;
    sels.n = (size_t)(rest->p - sels.p);
    for (unsigned s = (unsigned)found; s < e->f->nprelude; s++) {
        e->f->prelude_rec(s, &rec);
        bool match = pf_is(kw, rec.name);
        for (unsigned i = 0; match && i < rec.nsel; i++)
            match = rec.selv[i] == sel[i];
        if (match)
            return (int)s;
    }
    return pf_fail(e, sels, "no %s %s in %s", pf_show(kw, show), pf_show(sels, show2),
                   pf_target_info(*e->t)->name);
}

static int pf_line_prelude(struct pf_enc *e, unsigned idx, struct pf_slice kw,
                           struct pf_slice rest)
{
    struct pf_text_rec rec;
    e->f->prelude_rec(idx, &rec);
    if (e->body)
        return pf_fail(e, kw, "%s must come before the %ss", rec.name, e->f->noun);
    e->stage = STAGE_RECORDS;
    e->records = true;
    return pf_fields(e, rest, &rec, e->pv[idx], &e->seen[idx]);
}

/* `cut RECORD`: the input ends inside the prelude, before RECORD. */
static int pf_line_cut(struct pf_enc *e, struct pf_slice kw, struct pf_slice rest)
{
    struct pf_slice name, extra;
    if (e->body)
        return pf_fail(e, kw, "cut ends the input inside the prelude: no %ss before it",
                       e->f->noun);
    if (!pf_token(&rest, &name))
        return pf_fail(e, kw, "cut needs the prelude record it comes before, e.g. 'cut root'");
    int idx = pf_prelude_of(e, name, &rest);
    if (idx == -1)
        return -1;
    if (idx == -2)
        return pf_fail(e, name, "cut comes before a prelude record, not a %s", e->f->noun);
    if (pf_token(&rest, &extra))
        return pf_fail(e, extra, "cut takes one prelude record");
    for (unsigned s = (unsigned)idx; s < e->f->nprelude; s++)
        if (e->seen[s])
            return pf_fail(e, name, "a line above sets fields past the cut");
    e->cut = idx;
    e->stage = STAGE_CUT;
    e->records = true;
    return 0;
}

static int pf_line_tail(struct pf_enc *e, struct pf_slice kw, struct pf_slice rest)
{
    struct pf_slice tok;
    char show[48];
    bool any = false;
    e->stage = STAGE_TAIL;
    while (pf_token(&rest, &tok)) {
        if (memchr(tok.p, '=', tok.n))
            return pf_fail(e, tok, "tail takes hex bytes, not FIELD=VALUE");
        if (tok.n % 2)
            return pf_fail(e, tok, "tail bytes are pairs of hex digits; '%s' has an odd count",
                           pf_show(tok, show));
        for (size_t i = 0; i < tok.n; i += 2) {
            int hi = pf_hex_digit(tok.p[i]), lo = pf_hex_digit(tok.p[i + 1]);
            if (hi < 0 || lo < 0)
                return pf_fail(e, (struct pf_slice){tok.p + i, 2}, "bad hex byte '%s' in tail",
                               pf_show((struct pf_slice){tok.p + i, 2}, show));
            pf_write_u8(&e->tail, (uint8_t)(hi << 4 | lo));
        }
        any = true;
    }
    return any ? 0 : pf_fail(e, kw, "tail needs hex bytes, e.g. 'tail 0a0b'");
}

/* NAME or NAME@CODE: the record's kind, and its code byte into *code
 * (-1 when the format has none). */
static int pf_body_head(struct pf_enc *e, struct pf_slice kw, int *code)
{
    const struct pf_text_format *f = e->f;
    struct pf_text_rec rec;
    char show[48], names[100];
    const char *at = memchr(kw.p, '@', kw.n);
    struct pf_slice name = {kw.p, at ? (size_t)(at - kw.p) : kw.n};
    int kind = -1;
    for (unsigned k = 0; k < f->nkinds && kind < 0; k++) {
        f->kind_rec(k, &rec);
        if (pf_is(name, rec.name))
            kind = (int)k;
    }
    if (kind < 0 && f->nprelude == 1)
        return pf_fail(e, name, "unknown %s '%s'", f->noun, pf_show(name, show));
    if (kind < 0)
        return pf_fail(e, name, "unknown line '%s' (a prelude record: %s; or %s)",
                       pf_show(name, show), pf_text_prelude_names(f, names, sizeof names), f->noun);
    *code = f->coded ? f->code_of(pf_target_info(*e->t)->dialect, (unsigned)kind) : -1;
    if (!at)
        return kind;
    struct pf_slice cs = {at + 1, kw.n - name.n - 1};
    if (!f->coded)
        return pf_fail(e, (struct pf_slice){at, 1}, "%s has no code byte", rec.name);
    uint64_t c;
    if (!pf_number(cs, &c) || c > 255)
        return pf_fail(e, cs, "bad code byte '%s' (0-255)", pf_show(cs, show));
    unsigned got = f->kind_of(pf_target_info(*e->t)->dialect, (uint8_t)c);
    if (got != (unsigned)kind) {
        struct pf_text_rec other;
        f->kind_rec(got, &other);
        return pf_fail(e, cs, "code %llu is %s in %s, not %s", (unsigned long long)c,
                       other.name, pf_target_info(*e->t)->name, rec.name);
    }
    *code = (int)c;
    return kind;
}

static int pf_line_body(struct pf_enc *e, struct pf_slice kw, struct pf_slice rest)
{
    int code;
    int kind = pf_body_head(e, kw, &code);
    if (kind < 0)
        return -1;
    struct pf_text_rec rec;
    uint64_t v[PF_TEXT_MAX_FIELDS] = {0};
    uint32_t seen = 0;
    e->f->kind_rec((unsigned)kind, &rec);
    if (pf_fields(e, rest, &rec, v, &seen) != 0)
        return -1;
    e->stage = STAGE_RECORDS;
    e->records = e->body = true;
    if (code >= 0)
        pf_write_u8(&e->out, (uint8_t)code);
    for (unsigned i = 0; i < rec.nfields; i++)
        pf_write_uint(&e->out, v[i], rec.fields[i].bytes);
    return 0;
}

static int pf_line(struct pf_enc *e, struct pf_slice line)
{
    const char *hash = memchr(line.p, '#', line.n);
    if (hash)
        line.n = (size_t)(hash - line.p);
    const char *nul = memchr(line.p, '\0', line.n);
    if (nul)
        return pf_fail(e, (struct pf_slice){nul, 1}, "NUL byte: this looks like a binary input");
    struct pf_slice kw;
    if (!pf_token(&line, &kw))
        return 0;
    /* The tail is the truncated last record: nothing comes after it. */
    if (e->stage == STAGE_TAIL && !pf_is(kw, "tail"))
        return pf_fail(e, kw, "only tail lines may follow a tail");
    if (e->stage == STAGE_CUT && !pf_is(kw, "tail"))
        return pf_fail(e, kw, "only tail lines may follow a cut");
    if (pf_is(kw, "cut"))
        return pf_line_cut(e, kw, line);
    if (pf_is(kw, "target"))
        return pf_line_target(e, kw, line);
    if (pf_is(kw, "tail"))
        return pf_line_tail(e, kw, line);
    int idx = pf_prelude_of(e, kw, &line);
    if (idx == -1)
        return -1;
    if (idx >= 0)
        return pf_line_prelude(e, (unsigned)idx, kw, line);
    return pf_line_body(e, kw, line);
}

static void pf_write_prelude(struct pf_writer *w, const struct pf_enc *e)
{
    struct pf_text_rec rec;
    unsigned end = e->cut >= 0 ? (unsigned)e->cut : e->f->nprelude;
    for (unsigned s = 0; s < end; s++) {
        e->f->prelude_rec(s, &rec);
        for (unsigned i = 0; i < rec.nfields; i++)
            pf_write_uint(w, e->pv[s][i], rec.fields[i].bytes);
    }
}

int pf_text_encode(const char *text, size_t len, enum pf_target_id *t, bool fixed,
                   struct pf_writer *out, struct pf_text_error *err)
{
    struct pf_enc *e = calloc(1, sizeof *e);
    if (!e || !pf_text_format(*t)) {
        err->line = err->col = 0;
        snprintf(err->msg, sizeof err->msg, e ? "no such target" : "out of memory");
        free(e);
        return -1;
    }
    e->err = err;
    e->t = t;
    e->f = pf_text_format(*t);
    e->cut = -1;
    e->fixed = fixed;
    pf_writer_init(&e->out);
    pf_writer_init(&e->tail);
    int rc = 0;
    for (size_t pos = 0; pos < len && rc == 0;) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
        e->line = text + pos;
        e->lineno++;
        rc = pf_line(e, (struct pf_slice){text + pos, n});
        pos += n + 1;
    }
    if (rc == 0) {
        if (e->records)
            pf_write_prelude(out, e);
        pf_write_bytes(out, e->out.data, e->out.size);
        pf_write_bytes(out, e->tail.data, e->tail.size);
        if (!out->ok || !e->out.ok || !e->tail.ok) {
            err->line = err->col = 0;
            snprintf(err->msg, sizeof err->msg, "out of memory");
            rc = -1;
        }
    }
    pf_writer_free(&e->out);
    pf_writer_free(&e->tail);
    free(e);
    return rc;
}

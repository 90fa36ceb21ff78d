#include "input.h"

#include <stdlib.h>
#include <string.h>

#include "pf_le.h"

void pf_reader_init(struct pf_reader *r, const uint8_t *data, size_t size)
{
    r->data = data;
    r->size = data ? size : 0;
    r->pos = 0;
}

bool pf_reader_done(const struct pf_reader *r)
{
    return r->pos >= r->size;
}

size_t pf_reader_left(const struct pf_reader *r)
{
    return r->pos < r->size ? r->size - r->pos : 0;
}

uint64_t pf_read_uint(struct pf_reader *r, unsigned bytes)
{
    if (bytes > 8)
        bytes = 8;
    if (bytes == 0)
        return 0;
    if (r->pos <= r->size && r->size - r->pos >= bytes) {
        /* All there: one load of the field's width (the widths the
         * formats use) instead of a byte at a time. */
        const uint8_t *p = r->data + r->pos;
        switch (bytes) {
        case 1:
            r->pos += 1;
            return p[0];
        case 2: {
            uint16_t v;
            memcpy(&v, p, sizeof v);
            r->pos += 2;
            return PF_LE_SWAP16(v);
        }
        case 4:
            r->pos += 4;
            return pf_le32_load(p);
        case 8:
            r->pos += 8;
            return pf_le64_load(p);
        default:
            break;
        }
    }
    uint64_t v = 0;
    for (unsigned i = 0; i < bytes && i < 8; i++) {
        uint8_t b = r->pos < r->size ? r->data[r->pos] : 0;
        r->pos++;
        v |= (uint64_t)b << (8 * i);
    }
    return v;
}

uint8_t pf_read_u8(struct pf_reader *r)
{
    return (uint8_t)pf_read_uint(r, 1);
}

uint16_t pf_read_u16(struct pf_reader *r)
{
    return (uint16_t)pf_read_uint(r, 2);
}

uint32_t pf_read_u32(struct pf_reader *r)
{
    return (uint32_t)pf_read_uint(r, 4);
}

uint64_t pf_read_u64(struct pf_reader *r)
{
    return pf_read_uint(r, 8);
}

void pf_writer_init(struct pf_writer *w)
{
    w->data = NULL;
    w->size = 0;
    w->cap = 0;
    w->ok = true;
}

void pf_writer_free(struct pf_writer *w)
{
    free(w->data);
    pf_writer_init(w);
}

static bool pf_writer_reserve(struct pf_writer *w, size_t n)
{
    if (!w->ok)
        return false;
    if (w->size + n <= w->cap)
        return true;
    size_t cap = w->cap ? w->cap : 256;
    while (cap < w->size + n) {
        if (cap > SIZE_MAX / 2) {
            w->ok = false;
            return false;
        }
        cap *= 2;
    }
    uint8_t *p = realloc(w->data, cap);
    if (!p) {
        w->ok = false;
        return false;
    }
    w->data = p;
    w->cap = cap;
    return true;
}

void pf_write_bytes(struct pf_writer *w, const void *p, size_t n)
{
    if (n == 0 || !pf_writer_reserve(w, n))
        return;
    memcpy(w->data + w->size, p, n);
    w->size += n;
}

void pf_write_uint(struct pf_writer *w, uint64_t v, unsigned bytes)
{
    uint8_t b[8];
    if (bytes > 8)
        bytes = 8;
    for (unsigned i = 0; i < bytes; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    pf_write_bytes(w, b, bytes);
}

void pf_write_u8(struct pf_writer *w, uint8_t v)
{
    pf_write_uint(w, v, 1);
}

void pf_write_u16(struct pf_writer *w, uint16_t v)
{
    pf_write_uint(w, v, 2);
}

void pf_write_u32(struct pf_writer *w, uint32_t v)
{
    pf_write_uint(w, v, 4);
}

void pf_write_u64(struct pf_writer *w, uint64_t v)
{
    pf_write_uint(w, v, 8);
}

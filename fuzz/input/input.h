/*
 * Reading fuzz input. Reads never fail: past the end every byte is zero, so
 * any byte string is a valid input and a short one is simply a quieter one.
 * Every reader has a writer twin producing the bytes it would consume, used
 * by the seed generator and the text encoder.
 */
#ifndef PASIDFUZZ_INPUT_H
#define PASIDFUZZ_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pf_reader {
    const uint8_t *data;
    size_t size;
    size_t pos;
};

void pf_reader_init(struct pf_reader *r, const uint8_t *data, size_t size);
bool pf_reader_done(const struct pf_reader *r);
size_t pf_reader_left(const struct pf_reader *r);
/* Little-endian unsigned integer of 1..8 bytes. */
uint64_t pf_read_uint(struct pf_reader *r, unsigned bytes);
uint8_t pf_read_u8(struct pf_reader *r);
uint16_t pf_read_u16(struct pf_reader *r);
uint32_t pf_read_u32(struct pf_reader *r);
uint64_t pf_read_u64(struct pf_reader *r);

/* A growable byte buffer. On allocation failure it stops growing and
 * remembers it (ok == false); callers check once at the end. */
struct pf_writer {
    uint8_t *data;
    size_t size;
    size_t cap;
    bool ok;
};

void pf_writer_init(struct pf_writer *w);
void pf_writer_free(struct pf_writer *w);
void pf_write_uint(struct pf_writer *w, uint64_t v, unsigned bytes);
void pf_write_u8(struct pf_writer *w, uint8_t v);
void pf_write_u16(struct pf_writer *w, uint16_t v);
void pf_write_u32(struct pf_writer *w, uint32_t v);
void pf_write_u64(struct pf_writer *w, uint64_t v);
void pf_write_bytes(struct pf_writer *w, const void *p, size_t n);

#endif

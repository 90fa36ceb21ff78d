/*
 * pf_opcut: cut whole ops out of an op-stream input, for the op-level
 * minimizer of ci/triage.sh. Byte-level minimizers (libFuzzer's) shorten
 * field values and split ops in half, so the rest of the stream re-frames
 * into different ops; removing op-sized slices keeps every later op intact.
 *
 *   pf_opcut [--target NAME] count FILE   number of ops (a trailing partial op counts)
 *   pf_opcut [--target NAME] offsets FILE byte offset of each op, one per line
 *   pf_opcut [--target NAME] drop FILE INDEX COUNT -o OUT
 *                                    OUT = FILE without ops [INDEX, INDEX+COUNT)
 *
 * Framing is fuzz/input/ops.h's: pf_header_size() bytes of header, then ops whose
 * size depends on the kind the target's dialect gives their code byte
 * (--target, default fuzz_pasid_cache). Exit 0 on success, 1 on an I/O
 * error, 2 on bad usage (unknown command, bad number, range past the end).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"
#include "targets.h"

#define PF_OPCUT_MAX_INPUT (16u << 20)

struct pf_blob {
    unsigned char *data;
    size_t size;
};

static int pf_opcut_read(const char *path, struct pf_blob *b)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "pf_opcut: cannot open %s: %s\n", path, strerror(errno));
        return 1;
    }
    b->data = malloc(PF_OPCUT_MAX_INPUT + 1);
    if (!b->data) {
        fclose(f);
        fprintf(stderr, "pf_opcut: out of memory\n");
        return 1;
    }
    b->size = fread(b->data, 1, PF_OPCUT_MAX_INPUT + 1, f);
    int bad = ferror(f);
    fclose(f);
    if (bad || b->size > PF_OPCUT_MAX_INPUT) {
        fprintf(stderr, "pf_opcut: %s: %s\n", path, bad ? "read error" : "larger than 16 MiB");
        free(b->data);
        return 1;
    }
    return 0;
}

/* Offsets of every op; offs[n] is the end of the input. The caller frees. */
static size_t *pf_opcut_frame(const struct pf_blob *b, enum pf_dialect d, size_t *nops)
{
    size_t hdr = pf_header_size();
    size_t cap = b->size > hdr ? b->size - hdr + 1 : 1;
    size_t *offs = malloc(cap * sizeof *offs);
    size_t n = 0;
    if (!offs)
        return NULL;
    for (size_t pos = hdr; pos < b->size; n++) {
        offs[n] = pos;
        size_t len = pf_op_size(pf_dialect_kind(d, b->data[pos]));
        /* A short last op reads as zero-padded: it is still an op. */
        pos = len > b->size - pos ? b->size : pos + len;
    }
    offs[n] = b->size > hdr ? b->size : hdr;
    *nops = n;
    return offs;
}

static int pf_opcut_number(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    if (*s < '0' || *s > '9')
        return -1;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > SIZE_MAX)
        return -1;
    *out = (size_t)v;
    return 0;
}

static int pf_opcut_write(const char *path, const struct pf_blob *b, size_t cut_from, size_t cut_to)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "pf_opcut: cannot create %s: %s\n", path, strerror(errno));
        return 1;
    }
    size_t tail = b->size - cut_to;
    int bad = fwrite(b->data, 1, cut_from, f) != cut_from ||
              fwrite(b->data + cut_to, 1, tail, f) != tail;
    bad |= fclose(f) != 0;
    if (bad) {
        fprintf(stderr, "pf_opcut: write error on %s\n", path);
        return 1;
    }
    return 0;
}

static int pf_opcut_usage(void)
{
    fprintf(stderr,
            "usage: pf_opcut [--target NAME] count FILE\n"
            "       pf_opcut [--target NAME] offsets FILE\n"
            "       pf_opcut [--target NAME] drop FILE INDEX COUNT -o OUT\n"
            "Counts, lists or removes whole ops of an op-stream input (fuzz/input/ops.h);\n"
            "NAME, an op-stream target (pasidfuzz targets --long), picks the dialect;\n"
            "default fuzz_pasid_cache.\n");
    return 2;
}

int main(int argc, char **argv)
{
    enum pf_dialect dialect = PF_DIALECT_PASID_CACHE;
    if (argc >= 3 && strcmp(argv[1], "--target") == 0) {
        const struct pf_target_info *t =
            pf_target_info((enum pf_target_id)pf_target_by_name(argv[2]));
        if (!t || t->dialect == PF_DIALECT_NONE) {
            fprintf(stderr, "pf_opcut: %s is not an op-stream target\n", argv[2]);
            return 2;
        }
        dialect = t->dialect;
        argc -= 2;
        argv += 2;
    }
    if (argc < 3)
        return pf_opcut_usage();
    const char *cmd = argv[1];
    int is_drop = strcmp(cmd, "drop") == 0;
    size_t index = 0, count = 0;
    if (strcmp(cmd, "count") == 0 || strcmp(cmd, "offsets") == 0) {
        if (argc != 3)
            return pf_opcut_usage();
    } else if (is_drop) {
        if (argc != 7 || strcmp(argv[5], "-o") != 0 ||
            pf_opcut_number(argv[3], &index) || pf_opcut_number(argv[4], &count))
            return pf_opcut_usage();
    } else {
        return pf_opcut_usage();
    }

    struct pf_blob b;
    if (pf_opcut_read(argv[2], &b))
        return 1;
    size_t nops;
    size_t *offs = pf_opcut_frame(&b, dialect, &nops);
    int rc = 0;
    if (!offs) {
        fprintf(stderr, "pf_opcut: out of memory\n");
        rc = 1;
    } else if (strcmp(cmd, "count") == 0) {
        printf("%zu\n", nops);
    } else if (!is_drop) {
        for (size_t i = 0; i < nops; i++)
            printf("%zu\n", offs[i]);
    } else if (count == 0 || index >= nops || count > nops - index) {
        fprintf(stderr, "pf_opcut: ops [%zu, %zu+%zu) are not within the %zu op(s) of %s\n",
                index, index, count, nops, argv[2]);
        rc = 2;
    } else {
        rc = pf_opcut_write(argv[6], &b, offs[index], offs[index + count]);
    }
    free(offs);
    free(b.data);
    return rc;
}

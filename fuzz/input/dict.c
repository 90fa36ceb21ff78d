/* The dictionary writer (dict.h). */
#include "dict.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pf_dict {
    enum pf_target_id t;
    pf_dict_codec codec;
    struct pf_writer *out;
    bool ok;
};

static void pf_dict_puts(struct pf_dict *d, const char *s)
{
    pf_write_bytes(d->out, s, strlen(s));
}

void pf_dict_comment(struct pf_dict *d, const char *text)
{
    pf_dict_puts(d, "# ");
    pf_dict_puts(d, text);
    pf_dict_puts(d, "\n");
}

static void pf_dict_entry(struct pf_dict *d, const char *label, const uint8_t *p, size_t n)
{
    char hex[5];
    if (label) {
        pf_dict_puts(d, label);
        pf_dict_puts(d, "=");
    }
    pf_dict_puts(d, "\"");
    for (size_t i = 0; i < n; i++) {
        snprintf(hex, sizeof hex, "\\x%02x", p[i]);
        pf_dict_puts(d, hex);
    }
    pf_dict_puts(d, "\"\n");
}

/* The bytes that one more `line` adds to an input of the target, whatever
 * the target writes before its first record: encode the line once, then
 * twice, and keep the difference. */
static void pf_dict_line(struct pf_dict *d, const char *label, const char *line)
{
    size_t n = strlen(line);
    char *twice = malloc(2 * n + 3);
    struct pf_writer one, two;
    pf_writer_init(&one);
    pf_writer_init(&two);
    if (twice)
        snprintf(twice, 2 * n + 3, "%s\n%s\n", line, line);
    else
        fprintf(stderr, "pasidfuzz: out of memory writing a dictionary\n");
    if (twice && d->codec(d->t, line, &one) && d->codec(d->t, twice, &two) &&
        two.size > one.size)
        pf_dict_entry(d, label, two.data + one.size, two.size - one.size);
    else
        d->ok = false;
    free(twice);
    pf_writer_free(&one);
    pf_writer_free(&two);
}

void pf_dict_record(struct pf_dict *d, const char *label, const char *fmt, ...)
{
    char line[160];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < sizeof line) {
        pf_dict_line(d, label, line);
        return;
    }
    fprintf(stderr, "pasidfuzz: a dictionary entry of %s is too long\n",
            pf_target_info(d->t)->name);
    d->ok = false;
}

void pf_dict_value(struct pf_dict *d, uint64_t v, unsigned bytes)
{
    uint8_t p[8];
    for (unsigned i = 0; i < bytes && i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
    pf_dict_entry(d, NULL, p, bytes < 8 ? bytes : 8);
}

bool pf_dict_build(enum pf_target_id t, pf_dict_fn fn, pf_dict_codec codec,
                   struct pf_writer *out)
{
    const struct pf_target_info *info = pf_target_info(t);
    if (!info || !fn || !codec)
        return false;
    struct pf_dict d = {t, codec, out, true};
    pf_dict_puts(&d, "# libFuzzer/AFL++ dictionary of ");
    pf_dict_puts(&d, info->name);
    pf_dict_puts(&d, ", generated from its DICT function (fuzz/input/targets.def)\n");
    fn(&d);
    if (!out->ok)
        fprintf(stderr, "pasidfuzz: out of memory writing a dictionary\n");
    return d.ok && out->ok;
}

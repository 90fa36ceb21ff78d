/*
 * pf_target_files DIR: what the build writes beside the fuzz binaries, for
 * every row of the registry (fuzz/input/targets.def): NAME.dict, from the
 * row's DICT function, and NAME.options (OSS-Fuzz's format: libFuzzer's
 * max_len from the MAX_LEN column, and the dictionary). The build runs it
 * again whenever anything it links changes, so neither can go stale.
 */
#include <stdio.h>

#include "target_runs.h"
#include "text.h"

/* Writes size bytes to DIR/NAME.EXT; 0, or -1 (printed). */
static int pf_put_file(const char *dir, const char *name, const char *ext, const void *data,
                       size_t size)
{
    char path[4096];
    int n = snprintf(path, sizeof path, "%s/%s.%s", dir, name, ext);
    if (n < 0 || (size_t)n >= sizeof path) {
        fprintf(stderr, "pf_target_files: folder name too long: %.60s...\n", dir);
        return -1;
    }
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        return -1;
    }
    bool ok = fwrite(data, 1, size, f) == size;
    if (fclose(f) != 0 || !ok) {
        perror(path);
        return -1;
    }
    return 0;
}

static int pf_write_options(const char *dir, const struct pf_target_info *info)
{
    char text[256];
    int n = snprintf(text, sizeof text, "[libfuzzer]\nmax_len = %u\ndict = %s.dict\n",
                     info->max_len, info->name);
    if (n < 0 || (size_t)n >= sizeof text)
        return -1;
    return pf_put_file(dir, info->name, "options", text, (size_t)n);
}

static int pf_write_dict(const char *dir, enum pf_target_id t)
{
    struct pf_writer w;
    pf_writer_init(&w);
    int rc = -1;
    if (pf_text_dict(t, pf_target_runner(t)->dict, &w))
        rc = pf_put_file(dir, pf_target_info(t)->name, "dict", w.data, w.size);
    pf_writer_free(&w);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: pf_target_files DIR (writes NAME.dict and NAME.options of "
                        "every target there)\n");
        return 2;
    }
    for (unsigned t = 0; t < PF_TARGET_COUNT; t++) {
        const struct pf_target_info *info = pf_target_info((enum pf_target_id)t);
        if (pf_write_dict(argv[1], (enum pf_target_id)t) != 0 ||
            pf_write_options(argv[1], info) != 0) {
            fprintf(stderr, "pf_target_files: cannot write the files of %s\n", info->name);
            return 1;
        }
    }
    return 0;
}

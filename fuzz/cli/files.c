#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "text.h"

#define PF_CLI_MAX_FILE (16u << 20)

int pf_cli_read(const char *path, uint8_t **data, size_t *size)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    const char *bad = !f ? strerror(errno) : fstat(fileno(f), &st) != 0 ? strerror(errno)
                      : S_ISDIR(st.st_mode) ? "is a directory" : NULL;
    if (bad) {
        fprintf(stderr, "pasidfuzz: cannot read %s: %s\n", path, bad);
        if (f)
            fclose(f);
        return -1;
    }
    struct pf_writer w;
    pf_writer_init(&w);
    uint8_t buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0 && w.size <= PF_CLI_MAX_FILE)
        pf_write_bytes(&w, buf, n);
    const char *why = ferror(f) ? strerror(EIO) : w.size > PF_CLI_MAX_FILE ? "larger than 16 MiB"
                      : !w.ok ? "out of memory" : NULL;
    fclose(f);
    if (why) {
        fprintf(stderr, "pasidfuzz: cannot read %s: %s\n", path, why);
        pf_writer_free(&w);
        return -1;
    }
    *data = w.data;     /* NULL for an empty file, which is fine */
    *size = w.size;
    return 0;
}

int pf_cli_write(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
        fprintf(stderr, "pasidfuzz: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

static bool pf_ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

int pf_cli_load(const char *path, enum pf_target_id *t, bool fixed, struct pf_writer *out)
{
    uint8_t *data;
    size_t size;
    if (pf_cli_read(path, &data, &size) != 0)
        return -1;
    int rc = 0;
    if (pf_ends_with(path, ".txt")) {
        struct pf_text_error err;
        rc = pf_text_encode((const char *)data, size, t, fixed, out, &err);
        if (rc != 0 && err.line)
            fprintf(stderr, "%s:%u:%u: %s\n", path, err.line, err.col, err.msg);
        else if (rc != 0)
            fprintf(stderr, "%s: %s\n", path, err.msg);
    } else {
        pf_write_bytes(out, data, size);
        if (!out->ok) {
            fprintf(stderr, "pasidfuzz: %s: out of memory\n", path);
            rc = -1;
        }
    }
    free(data);
    return rc;
}

static int pf_name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int pf_cli_list(const char *dir, const char *suffix, char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    DIR *dp = opendir(dir);
    if (!dp)
        return errno == ENOENT ? 1 : -1;
    char **names = NULL;
    size_t cap = 0;
    int rc = 0;
    struct dirent *de;
    while (rc == 0 && (de = readdir(dp)) != NULL) {
        if (de->d_name[0] == '.' || !pf_ends_with(de->d_name, suffix))
            continue;
        if (*n == cap) {
            char **p = realloc(names, (cap = cap ? 2 * cap : 32) * sizeof *names);
            if (!p) {
                rc = -1;
                break;
            }
            names = p;
        }
        if (!(names[*n] = strdup(de->d_name)))
            rc = -1;
        else
            (*n)++;
    }
    closedir(dp);
    if (rc != 0) {
        pf_cli_free_list(names, *n);
        *n = 0;
        return -1;
    }
    if (names)
        qsort(names, *n, sizeof *names, pf_name_cmp);
    *out = names;
    return 0;
}

void pf_cli_free_list(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

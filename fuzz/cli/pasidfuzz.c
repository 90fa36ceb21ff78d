/*
 * pasidfuzz: read, write, replay and seed the targets' inputs.
 *
 *   pasidfuzz decode [--target NAME] FILE
 *   pasidfuzz encode [--target NAME] FILE.txt -o FILE
 *   pasidfuzz run [--target NAME] [--trace] FILE...
 *   pasidfuzz seed [-o OUTDIR] [CORPUS]
 *   pasidfuzz targets [--long]
 *   pasidfuzz dict [-o FILE] TARGET
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "text.h"

static void pf_usage(FILE *out)
{
    fprintf(out,
            "usage: pasidfuzz COMMAND [OPTIONS] ARGS\n"
            "  decode [--target NAME] FILE              binary input to text, on stdout\n"
            "  encode [--target NAME] FILE.txt -o FILE  text to binary input\n"
            "  run [--target NAME] [--trace] FILE...    replay inputs (FILE.txt is encoded\n"
            "                                           first); --trace prints every op,\n"
            "                                           MMIO access, backend call and check\n"
            "  seed [-o OUTDIR] [CORPUS]                write CORPUS/<target>/NAME.bin from\n"
            "                                           CORPUS/scenarios/<target>/NAME.txt\n"
            "                                           (CORPUS default: %s)\n"
            "  targets [--long]                         the targets, one a line; --long adds\n"
            "                                           op-stream or raw, and the input format\n"
            "  dict [-o FILE] TARGET                    the target's libFuzzer/AFL++ dictionary\n"
            "                                           (TARGET.dict of the build), on stdout\n"
            "targets: %s (default: the first)\n"
            "exit status: 0 clean, 1 a violation or other failure, 2 bad usage,\n"
            "an unreadable file or malformed text\n",
            PF_CORPUS_DIR, pf_target_names());
}

static int pf_bad_usage(const char *fmt, const char *arg)
{
    fputs("pasidfuzz: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\n(pasidfuzz --help for usage)\n", stderr);
    return -1;
}

int pf_cli_parse(int argc, char **argv, unsigned allowed, struct pf_cli_opts *o)
{
    memset(o, 0, sizeof *o);
    o->t = (enum pf_target_id)0;     /* the registry's first row */
    o->args = calloc((size_t)argc + 1, sizeof *o->args);
    if (!o->args)
        return pf_bad_usage("%s", "out of memory");
    bool opts = true;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!opts || a[0] != '-' || strcmp(a, "-") == 0) {
            o->args[o->nargs++] = argv[i];
        } else if (strcmp(a, "--") == 0) {
            opts = false;
        } else if ((allowed & PF_OPT_TARGET) && strcmp(a, "--target") == 0) {
            if (++i == argc)
                return pf_bad_usage("%s needs a target name", a);
            int t = pf_target_by_name(argv[i]);
            if (t < 0) {
                char why[200];
                snprintf(why, sizeof why, "unknown target '%.60s' (%s)", argv[i],
                         pf_target_names());
                return pf_bad_usage("%s", why);
            }
            o->t = (enum pf_target_id)t;
            o->fixed = true;
        } else if ((allowed & PF_OPT_LONG) && strcmp(a, "--long") == 0) {
            o->long_list = true;
        } else if ((allowed & PF_OPT_TRACE) && strcmp(a, "--trace") == 0) {
            o->trace = true;
        } else if ((allowed & PF_OPT_OUT) && strcmp(a, "-o") == 0) {
            if (++i == argc)
                return pf_bad_usage("%s needs a path", a);
            o->out = argv[i];
        } else {
            return pf_bad_usage("unknown option '%s' for this command", a);
        }
    }
    return 0;
}

static int pf_cmd_decode(const struct pf_cli_opts *o)
{
    if (o->nargs != 1) {
        pf_bad_usage("%s", "decode takes one FILE");
        return PF_EXIT_USAGE;
    }
    uint8_t *data;
    size_t size;
    if (pf_cli_read(o->args[0], &data, &size) != 0)
        return PF_EXIT_USAGE;
    struct pf_writer w;
    pf_writer_init(&w);
    bool ok = pf_text_decode(data, size, o->t, &w);
    free(data);
    int rc = PF_EXIT_CLEAN;
    if (!ok) {
        fprintf(stderr, "pasidfuzz: out of memory decoding %s\n", o->args[0]);
        rc = PF_EXIT_USAGE;
    } else if (fwrite(w.data, 1, w.size, stdout) != w.size || fflush(stdout) != 0) {
        perror("pasidfuzz: stdout");
        rc = PF_EXIT_USAGE;
    }
    pf_writer_free(&w);
    return rc;
}

static int pf_cmd_encode(const struct pf_cli_opts *o)
{
    if (o->nargs != 1 || !o->out) {
        pf_bad_usage("%s", "encode takes one FILE.txt and -o FILE");
        return PF_EXIT_USAGE;
    }
    struct pf_writer w;
    pf_writer_init(&w);
    enum pf_target_id t = o->t;
    /* Text whatever the name: encode is asked for explicitly. */
    uint8_t *text;
    size_t size;
    int rc = PF_EXIT_USAGE;
    if (pf_cli_read(o->args[0], &text, &size) == 0) {
        struct pf_text_error err;
        if (pf_text_encode((const char *)text, size, &t, o->fixed, &w, &err) != 0)
            fprintf(stderr, "%s:%u:%u: %s\n", o->args[0], err.line, err.col, err.msg);
        else if (pf_cli_write(o->out, w.data, w.size) == 0)
            rc = PF_EXIT_CLEAN;
        free(text);
    }
    pf_writer_free(&w);
    return rc;
}

/* The registry's rows, for scripts: NAME, or NAME op-stream|raw FORMAT. */
static int pf_cmd_targets(const struct pf_cli_opts *o)
{
    if (o->nargs != 0) {
        pf_bad_usage("%s", "targets takes no operands");
        return PF_EXIT_USAGE;
    }
    for (unsigned t = 0; t < PF_TARGET_COUNT; t++) {
        const struct pf_target_info *info = pf_target_info((enum pf_target_id)t);
        if (o->long_list)
            printf("%s\t%s\t%s\n", info->name,
                   info->dialect != PF_DIALECT_NONE ? "op-stream" : "raw",
                   pf_text_format_name((enum pf_target_id)t));
        else
            printf("%s\n", info->name);
    }
    return fflush(stdout) == 0 ? PF_EXIT_CLEAN : PF_EXIT_USAGE;
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        unsigned allowed;
        int (*fn)(const struct pf_cli_opts *o);
    } cmds[] = {
        {"decode", PF_OPT_TARGET, pf_cmd_decode},
        {"encode", PF_OPT_TARGET | PF_OPT_OUT, pf_cmd_encode},
        {"run", PF_OPT_TARGET | PF_OPT_TRACE, pf_cmd_run},
        {"seed", PF_OPT_OUT, pf_cmd_seed},
        {"targets", PF_OPT_LONG, pf_cmd_targets},
        {"dict", PF_OPT_OUT, pf_cmd_dict},
    };
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        pf_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? PF_EXIT_USAGE : PF_EXIT_CLEAN;
    }
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        if (strcmp(argv[1], cmds[i].name) != 0)
            continue;
        struct pf_cli_opts o;
        int rc = pf_cli_parse(argc - 2, argv + 2, cmds[i].allowed, &o) == 0 ? cmds[i].fn(&o)
                                                                            : PF_EXIT_USAGE;
        free(o.args);
        return rc;
    }
    pf_bad_usage("unknown command '%s'", argv[1]);
    return PF_EXIT_USAGE;
}

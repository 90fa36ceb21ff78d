/*
 * pasidfuzz dict: a target's dictionary (fuzz/input/dict.h), the NAME.dict
 * the build writes beside the binary, on stdout or into -o FILE.
 */
#include <stdio.h>

#include "cli.h"
#include "target_runs.h"
#include "text.h"

int pf_cmd_dict(const struct pf_cli_opts *o)
{
    if (o->nargs != 1) {
        fprintf(stderr, "pasidfuzz: dict takes one TARGET (%s)\n", pf_target_names());
        return PF_EXIT_USAGE;
    }
    int t = pf_target_by_name(o->args[0]);
    if (t < 0) {
        fprintf(stderr, "pasidfuzz: unknown target '%.60s' (%s)\n", o->args[0],
                pf_target_names());
        return PF_EXIT_USAGE;
    }
    enum pf_target_id id = (enum pf_target_id)t;
    struct pf_writer w;
    pf_writer_init(&w);
    int rc = PF_EXIT_FAIL;
    if (pf_text_dict(id, pf_target_runner(id)->dict, &w)) {
        if (o->out)
            rc = pf_cli_write(o->out, w.data, w.size) == 0 ? PF_EXIT_CLEAN : PF_EXIT_USAGE;
        else if (fwrite(w.data, 1, w.size, stdout) == w.size && fflush(stdout) == 0)
            rc = PF_EXIT_CLEAN;
        else
            perror("pasidfuzz: stdout"), rc = PF_EXIT_USAGE;
    }
    pf_writer_free(&w);
    return rc;
}

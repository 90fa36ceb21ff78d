/*
 * pasidfuzz, the command-line tool: decode, encode, run, seed. Shared
 * helpers for its commands. Exit codes everywhere: 0 clean, 1 a violation
 * or other failure of the code under test, 2 bad usage, an unreadable file
 * or malformed text.
 */
#ifndef PASIDFUZZ_CLI_H
#define PASIDFUZZ_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "input.h"
#include "ops.h"
#include "text.h"

#define PF_EXIT_CLEAN 0
#define PF_EXIT_FAIL 1
#define PF_EXIT_USAGE 2

/* Whole file into *data (malloc'd); prints the error and returns -1. */
int pf_cli_read(const char *path, uint8_t **data, size_t *size);
int pf_cli_write(const char *path, const void *p, size_t n);
/* An input: FILE.txt is encoded (errors as FILE:LINE:COL: message), any
 * other file taken as bytes. *t as for pf_text_encode. */
int pf_cli_load(const char *path, enum pf_target_id *t, bool fixed, struct pf_writer *out);
/* Names (not paths) of the entries of dir ending in suffix, sorted. 0 on
 * success, 1 when dir does not exist, -1 on any other error. */
int pf_cli_list(const char *dir, const char *suffix, char ***names, size_t *n);
void pf_cli_free_list(char **names, size_t n);

/* Options of a command; which ones it takes is given to pf_cli_parse. */
enum { PF_OPT_TARGET = 1, PF_OPT_TRACE = 2, PF_OPT_OUT = 4, PF_OPT_LONG = 8 };

struct pf_cli_opts {
    enum pf_target_id t;
    bool fixed;                 /* --target given */
    bool trace;
    bool long_list;             /* --long */
    const char *out;            /* -o */
    char **args;                /* the operands */
    int nargs;
};

/* argv after the command name. Prints the problem and returns -1 on bad
 * usage. */
int pf_cli_parse(int argc, char **argv, unsigned allowed, struct pf_cli_opts *o);

int pf_cmd_run(const struct pf_cli_opts *o);
int pf_cmd_seed(const struct pf_cli_opts *o);
int pf_cmd_dict(const struct pf_cli_opts *o);

#endif

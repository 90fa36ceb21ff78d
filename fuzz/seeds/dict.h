/*
 * The targets' libFuzzer/AFL++ dictionaries (fuzz/targets/NAME.dict),
 * generated: each entry is written with the names of the text form and
 * vocab.h, or with the VT-d field names of vtd_spec.h, and encoded by the
 * target's own codec, so a renumbering cannot leave a dictionary stale.
 * `pasidfuzz dict TARGET` writes one; tests/dicts_in_sync.sh checks the
 * committed files.
 */
#ifndef PASIDFUZZ_DICT_H
#define PASIDFUZZ_DICT_H

#include <stdbool.h>

#include "input.h"
#include "targets.h"

struct pf_dict;

/* The registry's DICT column (targets.def): a function of dict.c writing
 * a target's entries. */
typedef void (*pf_dict_fn)(struct pf_dict *d);

/* The dictionary of target t, appended to out. False (with the reason
 * printed) when an entry does not encode, or out of memory. */
bool pf_dict_write(enum pf_target_id t, struct pf_writer *out);

#endif

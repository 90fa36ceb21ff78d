/* Dictionaries through the text form (text.h, pf_text_dict). */
#include <stdio.h>
#include <string.h>

#include "text.h"

/* One dictionary text, for target t alone; false (printed) when it does
 * not encode. */
static bool pf_text_dict_codec(enum pf_target_id t, const char *text, struct pf_writer *bin)
{
    struct pf_text_error err;
    enum pf_target_id used = t;
    if (pf_text_encode(text, strlen(text), &used, true, bin, &err) == 0)
        return true;
    fprintf(stderr, "pasidfuzz: %s dictionary entry '%s': %s\n", pf_target_info(t)->name,
            text, err.msg);
    return false;
}

bool pf_text_dict(enum pf_target_id t, pf_dict_fn fn, struct pf_writer *out)
{
    return pf_dict_build(t, fn, pf_text_dict_codec, out);
}

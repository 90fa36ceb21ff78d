/* The dictionary writer and every target's entries (dict.h). */
#include "dict.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inv_queue_input.h"
#include "pasid_table_input.h"
#include "raw_guest.h"
#include "text.h"
#include "vocab.h"
#include "vtd_spec.h"

struct pf_dict {
    enum pf_target_id t;
    struct pf_writer *out;
    bool ok;
};

#define PF_TARGET(id, name, dialect, format, run, init, seeds, dict) void dict(struct pf_dict *d);
#include "targets.def"
#undef PF_TARGET

static const pf_dict_fn pf_dicts[PF_TARGET_COUNT] = {
#define PF_TARGET(id, name, dialect, format, run, init, seeds, dict) [PF_TARGET_##id] = dict,
#include "targets.def"
#undef PF_TARGET
};

static void pf_dict_puts(struct pf_dict *d, const char *s)
{
    pf_write_bytes(d->out, s, strlen(s));
}

static void pf_dict_comment(struct pf_dict *d, const char *text)
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

/* Text through the target's codec; false (printed) when it does not encode. */
static bool pf_dict_encode(struct pf_dict *d, const char *text, struct pf_writer *bin)
{
    struct pf_text_error err;
    enum pf_target_id t = d->t;
    if (pf_text_encode(text, strlen(text), &t, true, bin, &err) == 0)
        return true;
    fprintf(stderr, "pasidfuzz: %s dictionary entry '%s': %s\n", pf_target_info(d->t)->name,
            text, err.msg);
    return false;
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
    if (twice && pf_dict_encode(d, line, &one) && pf_dict_encode(d, twice, &two) &&
        two.size > one.size)
        pf_dict_entry(d, label, two.data + one.size, two.size - one.size);
    else
        d->ok = false;
    free(twice);
    pf_writer_free(&one);
    pf_writer_free(&two);
}

/* A whole record, given as its text line (printf-style). */
static void pf_dict_record(struct pf_dict *d, const char *label, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void pf_dict_record(struct pf_dict *d, const char *label, const char *fmt, ...)
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

/* The low `bytes` bytes of a little-endian value. */
static void pf_dict_value(struct pf_dict *d, uint64_t v, unsigned bytes)
{
    uint8_t p[8];
    for (unsigned i = 0; i < bytes && i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
    pf_dict_entry(d, NULL, p, bytes < 8 ? bytes : 8);
}

/* ---- the op stream, in the target's dialect ---- */

static const struct {
    const char *label, *line;
} pf_dict_op_lines[] = {
    {"pasid_entry_fs", "pasid-entry pasid=1 flags=p pgtt=fs"},
    {"pasid_entry_pt", "pasid-entry pasid=1 flags=p pgtt=pt"},
    {"pasid_clear", "pasid-clear pasid=1"},
    {"pc_inv_pasid", "pc-inv g=pasid pasid=1"},
    {"pc_inv_domain", "pc-inv g=domain"},
    {"pc_inv_global", "pc-inv g=global"},
    {"cc_inv_global", "cc-inv g=global"},
    {"piotlb_inv_pasid", "piotlb-inv g=pasid pasid=1"},
    {"sync", "sync"},
    {"plug_dev1", "plug dev=1"},
    {"unplug_dev1", "unplug dev=1"},
    {"reset", "reset"},
    {"gcmd_te_off", "gcmd cmd=te-off"},
    {"gcmd_te_on", "gcmd cmd=te-on"},
    {"gcmd_srtp", "gcmd cmd=srtp"},
    {"fail_attach", "fail call=attach"},
    {"fail_detach", "fail call=detach"},
    {"fail_alloc", "fail call=alloc"},
    {"fail_invalidate", "fail call=invalidate"},
};

void pf_dict_ops(struct pf_dict *d)
{
    pf_dict_comment(d, "whole op records of the ops that matter most, in this target's dialect");
    for (size_t i = 0; i < sizeof pf_dict_op_lines / sizeof pf_dict_op_lines[0]; i++)
        pf_dict_record(d, pf_dict_op_lines[i].label, "%s", pf_dict_op_lines[i].line);
}

/* ---- fuzz_inv_queue ---- */

/* Qword 0 of an invalidation descriptor. */
static uint64_t pf_desc_q0(unsigned type, unsigned g, uint16_t did, uint32_t pasid)
{
    return (uint64_t)(type & 0xf) | (uint64_t)(type >> 4) << 9 | (uint64_t)(g & 3) << 4 |
           (uint64_t)did << 16 | (uint64_t)pasid << 32;
}

static void pf_dict_iq_commands(struct pf_dict *d)
{
    pf_dict_comment(d, "sync; ring; IQE repair / clear / abandon");
    pf_dict_record(d, NULL, "sync");
    pf_dict_record(d, NULL, "iqt mode=sw-tail");
    pf_dict_record(d, NULL, "iqe mode=repair");
    pf_dict_record(d, NULL, "iqe mode=clear");
    pf_dict_record(d, NULL, "iqe mode=abandon");
}

static void pf_dict_iq_descs(struct pf_dict *d)
{
    pf_dict_comment(d, "desc: PASID-cache global, PASID-selective, domain; context global; "
                       "PASID-IOTLB");
    pf_dict_record(d, NULL, "desc type=pc-inv flags=%u", VTD_PC_G_GLOBAL);
    pf_dict_record(d, NULL, "desc type=pc-inv flags=%u sel=%u", VTD_PC_G_PASID, 1u << 2);
    pf_dict_record(d, NULL, "desc type=pc-inv flags=%u sel=1", VTD_PC_G_DOMAIN);
    pf_dict_record(d, NULL, "desc type=cc-inv flags=%u", VTD_CC_G_GLOBAL);
    pf_dict_record(d, NULL, "desc type=piotlb-inv flags=%u sel=%u", VTD_PIOTLB_G_PASID, 1u << 2);
    pf_dict_comment(d, "desc: wait with SW, with IF");
    pf_dict_record(d, NULL, "desc type=wait flags=%u arg=0x%llx", IQ_WAIT_SW << IQ_DESC_OPT_SHIFT,
                   0x10ull << 32 | 1);
    pf_dict_record(d, NULL, "desc type=wait flags=%u", IQ_WAIT_IF << IQ_DESC_OPT_SHIFT);
    pf_dict_comment(d, "desc with a reserved bit of qword 0 / qword 1, with upper qwords");
    pf_dict_record(d, NULL, "desc type=pc-inv flags=rsvd-q0|%u arg=0x%llx", VTD_PC_G_GLOBAL,
                   1ull << 58);
    pf_dict_record(d, NULL, "desc type=pc-inv flags=rsvd-q1|%u arg=0x%llx", VTD_PC_G_GLOBAL,
                   2ull << 58);
    pf_dict_record(d, NULL, "desc type=pc-inv flags=upper|%u arg=1", VTD_PC_G_GLOBAL);
}

static void pf_dict_iq_queue(struct pf_dict *d)
{
    pf_dict_comment(d, "queue: reprogram 128-bit, 256-bit 32 KiB, status page; QI off; QI on");
    pf_dict_record(d, NULL, "queue mode=reprogram iqa=1");
    pf_dict_record(d, NULL, "queue mode=reprogram iqa=%u", 3u << 1);
    pf_dict_record(d, NULL, "queue mode=reprogram iqa=%u", 2u << 4);
    pf_dict_record(d, NULL, "queue mode=off");
    pf_dict_record(d, NULL, "queue mode=on");
    pf_dict_comment(d, "table: clear, DID change, PGTT flip");
    pf_dict_record(d, NULL, "table entry=0 action=clear");
    pf_dict_record(d, NULL, "table entry=3 action=did arg=2");
    pf_dict_record(d, NULL, "table entry=1 action=pgtt-flip");
}

void pf_dict_inv_queue(struct pf_dict *d)
{
    pf_dict_comment(d, "whole commands (layout in fuzz/guest/inv_queue_run.c) and raw");
    pf_dict_comment(d, "descriptor qwords, little-endian");
    pf_dict_iq_commands(d);
    pf_dict_iq_descs(d);
    pf_dict_iq_queue(d);
    pf_dict_comment(d, "raw descriptor qword 0: PASID-cache global, PASID-selective, context");
    pf_dict_comment(d, "global, IOTLB global, PASID-IOTLB, wait IF|SW");
    pf_dict_value(d, pf_desc_q0(VTD_DESC_PASID_CACHE, VTD_PC_G_GLOBAL, 0, 0), 8);
    pf_dict_value(d, pf_desc_q0(VTD_DESC_PASID_CACHE, VTD_PC_G_PASID, 1, 1), 8);
    pf_dict_value(d, pf_desc_q0(VTD_DESC_CONTEXT_CACHE, VTD_CC_G_GLOBAL, 0, 0), 8);
    pf_dict_value(d, pf_desc_q0(VTD_DESC_IOTLB, VTD_IOTLB_G_GLOBAL, 0, 0), 8);
    pf_dict_value(d, pf_desc_q0(VTD_DESC_PASID_IOTLB, VTD_PIOTLB_G_PASID, 1, 1), 8);
    pf_dict_value(d, VTD_DESC_WAIT | VTD_WAIT_IF | VTD_WAIT_SW | 1ull << 32, 8);
    pf_dict_comment(d, "wait status address (status page)");
    pf_dict_value(d, pf_raw_status_gpa() + 8, 8);
}

/* ---- fuzz_pasid_table ---- */

static void pf_dict_pt_pointers(struct pf_dict *d)
{
    pf_dict_comment(d, "present pointers to context A/B, directory A/B, tables 0-3, spares, root");
    for (unsigned p = PT_PAGE_CTX_A; p <= PT_PAGE_SPARE_0; p++)
        pf_dict_value(d, PT_REF(p, VTD_ROOT_P), 2);
    pf_dict_value(d, PT_REF(PT_PAGE_ROOT, VTD_ROOT_P), 2);
    pf_dict_comment(d, "page references: status page, unbacked, past the address width");
    pf_dict_value(d, PT_REF(PT_PAGE_STATUS, VTD_ROOT_P), 2);
    pf_dict_value(d, PT_REF(PT_PAGE_UNBACKED, VTD_ROOT_P), 2);
    pf_dict_value(d, PT_REF(PT_PAGE_BEYOND, VTD_ROOT_P), 2);
    pf_dict_comment(d, "context qword 0: directory A/B with PDTS 1, 4, 7");
    pf_dict_value(d, PT_REF(PT_PAGE_DIR_A, VTD_CTX_P | 1u << VTD_CTX_PDTS_SHIFT), 2);
    pf_dict_value(d, PT_REF(PT_PAGE_DIR_B, VTD_CTX_P | 4u << VTD_CTX_PDTS_SHIFT), 2);
    pf_dict_value(d, PT_REF(PT_PAGE_DIR_A, VTD_CTX_P | 7u << VTD_CTX_PDTS_SHIFT), 2);
}

void pf_dict_pasid_table(struct pf_dict *d)
{
    pf_dict_comment(d, "pointer qwords naming pool pages (page reference in bits 15:12, P in");
    pf_dict_comment(d, "bit 0), context PDTS values, PASID-entry qword 0 for each PGTT, and");
    pf_dict_comment(d, "edit records (layout in fuzz/guest/pasid_table_run.c), little-endian");
    pf_dict_pt_pointers(d);
    pf_dict_comment(d, "PASID entry qword 0: first stage, second stage, nested, pass-through");
    for (unsigned pgtt = VTD_PGTT_FIRST_STAGE; pgtt <= VTD_PGTT_PASS_THROUGH; pgtt++)
        pf_dict_value(d, VTD_PE_P | (uint64_t)pgtt << VTD_PE_PGTT_SHIFT, 2);
    pf_dict_comment(d, "qword 2: 5-level first stage (a table address the pool does not hold)");
    pf_dict_value(d, 0x5000000ull | 1u << VTD_PE_FSPM_SHIFT, 4);
    pf_dict_comment(d, "edit record: phase 1, table 0 qword 8 (PASID 1 qword 0) cleared");
    pf_dict_record(d, NULL, "edit where=phase1|%u index=%u value=0", PT_PAGE_TAB_0,
                   PT_PE_BYTES / 8);
    pf_dict_comment(d, "edit record: phase 1, directory A entry 1 not present");
    pf_dict_record(d, NULL, "edit where=phase1|%u index=1 value=0x%llx", PT_PAGE_DIR_A,
                   (unsigned long long)PT_REF(PT_PAGE_TAB_1, 0));
}

bool pf_dict_write(enum pf_target_id t, struct pf_writer *out)
{
    const struct pf_target_info *info = pf_target_info(t);
    if (!info || !pf_dicts[t])
        return false;
    struct pf_dict d = {t, out, true};
    pf_dict_puts(&d, "# libFuzzer/AFL++ dictionary of ");
    pf_dict_puts(&d, info->name);
    pf_dict_puts(&d, ", written by `pasidfuzz dict` (fuzz/seeds/dict.c):\n");
    pf_dicts[t](&d);
    if (!out->ok)
        fprintf(stderr, "pasidfuzz: out of memory writing a dictionary\n");
    return d.ok && out->ok;
}

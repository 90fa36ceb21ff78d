/*
 * The oracle's rules one at a time (stubs/README.md, "The oracle"), on the
 * stub backend driven by hand: an event, the backend as a model might
 * leave it, and the check. Each variant that must die names the rule it
 * breaks; removing that rule from stubs/oracle.c makes it survive.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "oracle.h"
#include "stubs_bench.h"

#define MISMATCH "pasidfuzz: VIOLATION oracle-mismatch: "

struct ot {
    struct sb *b;
    struct pf_oracle *o;
};

static void ot_init(struct ot *t)
{
    t->b = sb_new();
    t->o = pf_oracle_new(t->b->hb);
    if (!t->o)
        abort();
    pf_oracle_plug(t->o, 0, t->b->dev_a, SID_A, 20, t->b->parent_a);
    pf_oracle_plug(t->o, 1, t->b->dev_b, SID_B, 4, t->b->parent_b);
}

static void ot_done(struct ot *t)
{
    pf_oracle_check(t->o);
    pf_oracle_free(t->o);
    sb_free(t->b);
}

/* A/5 bound to a first stage of DID 1 in memory, the backend and the
 * oracle. Returns its hwpt. */
static uint32_t ot_bound5(struct ot *t)
{
    uint32_t h = sb_bind_fs(t->b, 5, SB_PGTBL(1));
    pf_oracle_pasid(t->o, 1, 5);
    return h;
}

static void ot_clear_pe(struct ot *t, uint32_t pasid)
{
    sb_w64(t->b, sb_pe_addr(SID_A, pasid), 0);
}

static void ot_new_entry6(struct ot *t, uint16_t did)
{
    uint64_t pe[8];
    sb_pe_fs(pe, did, SB_PGTBL(2), 0, 0);
    sb_set_pe(t->b, SID_A, 6, pe);
}

static void scenario(void *arg)
{
    int v = (int)(intptr_t)arg;
    struct ot t;
    ot_init(&t);
    switch (v) {
    case 0: break;                                      /* plugged: PASID 0 on the parent */
    case 1: t.b->ops->detach(t.b->hb, t.b->dev_a, 0); break;
    case 2: ot_new_entry6(&t, 1); break;                /* no event: nothing to bind */
    case 3: ot_new_entry6(&t, 1);                       /* ... and the model bound it */
            t.b->ops->attach(t.b->hb, t.b->dev_a, 6,
                             sb_alloc(t.b, t.b->dev_a, t.b->parent_a, SB_PGTBL(2)));
            break;
    case 4: ot_new_entry6(&t, 1); pf_oracle_global(t.o); break;       /* global: bind */
    case 5: ot_bound5(&t); ot_clear_pe(&t, 5); pf_oracle_domain(t.o, 1); break;
    case 6: ot_bound5(&t); ot_clear_pe(&t, 5); pf_oracle_domain(t.o, 2); break;
    case 7: ot_new_entry6(&t, 2); pf_oracle_domain(t.o, 2); break;   /* memory DID */
    case 8: ot_new_entry6(&t, 2); pf_oracle_domain(t.o, 3); break;
    case 9: ot_bound5(&t); ot_clear_pe(&t, 5); pf_oracle_pasid(t.o, 1, 5); break;
    case 10: ot_bound5(&t); ot_clear_pe(&t, 5); pf_oracle_pasid(t.o, 2, 5); break;
    case 11: ot_new_entry6(&t, 1); pf_oracle_pasid(t.o, 1, 6); break;
    case 12: ot_new_entry6(&t, 1); pf_oracle_pasid(t.o, 2, 6); break;
    case 13: ot_new_entry6(&t, 1); pf_oracle_pasid(t.o, 1, 7); break; /* another PASID */
    case 14: ot_bound5(&t); sb_set_fs(t.b, SID_A, 5, SB_PGTBL(9));   /* new table, old bound */
             pf_oracle_pasid(t.o, 1, 5); break;
    case 15: ot_bound5(&t); sb_set_pt(t.b, SID_A, 5);  /* pass-through now, first stage bound */
             pf_oracle_pasid(t.o, 1, 5); break;
    case 16: sb_set_pt(t.b, SID_A, 5);                  /* pass-through on the parent */
             t.b->ops->attach(t.b->hb, t.b->dev_a, 5, t.b->parent_a);
             pf_oracle_pasid(t.o, 1, 5); break;
    case 17: host_backend_fail_nth(t.b->hb, HB_CALL_ATTACH, 1);      /* exempt after a failure */
             ot_new_entry6(&t, 1);
             t.b->ops->attach(t.b->hb, t.b->dev_a, 6,
                              sb_alloc(t.b, t.b->dev_a, t.b->parent_a, SB_PGTBL(2)));
             pf_oracle_pasid(t.o, 1, 6); break;
    case 18: host_backend_fail_nth(t.b->hb, HB_CALL_ALLOC, 1);       /* alloc: touched pairs */
             ot_new_entry6(&t, 1);
             (void)sb_alloc(t.b, t.b->dev_a, t.b->parent_a, SB_PGTBL(2));
             pf_oracle_pasid(t.o, 1, 6); break;
    case 26: case 27: case 28:          /* a replace fails: 26 the old binding stays in use, */
             ot_bound5(&t);             /* 27 it is detached (fails closed), 28 so does the detach */
             sb_set_fs(t.b, SID_A, 5, SB_PGTBL(9));
             host_backend_fail_nth(t.b->hb, HB_CALL_ATTACH, 1);
             (void)t.b->ops->attach(t.b->hb, t.b->dev_a, 5,
                                    sb_alloc(t.b, t.b->dev_a, t.b->parent_a, SB_PGTBL(9)));
             if (v == 28)
                 host_backend_fail_nth(t.b->hb, HB_CALL_DETACH, 1);
             if (v >= 27)
                 (void)t.b->ops->detach(t.b->hb, t.b->dev_a, 5);
             pf_oracle_pasid(t.o, 1, 5); break;
    case 29: case 30:                   /* the model's memory fails (it names no pair): 29 the */
             if (v == 29) {             /* new binding is not made, 30 the old one stays */
                 ot_new_entry6(&t, 1);
             } else {
                 ot_bound5(&t);
                 sb_set_fs(t.b, SID_A, 5, SB_PGTBL(9));
             }
             host_backend_fail_nth(t.b->hb, HB_CALL_MEM, 1);
             CHECK(host_backend_mem_fail(t.b->hb));
             pf_oracle_pasid(t.o, 1, v == 29 ? 6 : 5); break;
    case 19: pf_oracle_unplug_refused(t.o, 0);          /* skipped until a global event */
             t.b->ops->detach(t.b->hb, t.b->dev_a, 0); break;
    case 25: pf_oracle_unplug_refused(t.o, 0);      /* skipped with attachments too */
             (void)sb_bind_fs(t.b, 5, SB_PGTBL(1)); break;
    case 20: pf_oracle_unplug_refused(t.o, 0);      /* the global event ends the skip */
             t.b->ops->detach(t.b->hb, t.b->dev_b, 0);
             pf_oracle_global(t.o); break;
    case 21: pf_oracle_unplug(t.o, 1);                  /* forgotten; the host still has it */
             break;
    case 22: pf_oracle_unplug(t.o, 1); host_backend_unplug(t.b->hb, t.b->dev_b); break;
    case 23: host_backend_set_te(t.b->hb, false);       /* untranslated: PASID 0 parent only */
             ot_new_entry6(&t, 1);
             pf_oracle_global(t.o); break;
    case 24: ot_bound5(&t); host_backend_set_te(t.b->hb, false);
             pf_oracle_global(t.o); break;
    default: abort();
    }
    ot_done(&t);
}

static void oracle_plug_and_quiet(void)
{
    CHECK_SURVIVES(scenario, (void *)0);
    CHECK_DIES(scenario, (void *)1,
               MISMATCH "dev=1 sid=0x0008 pasid=0 expected pass-through (parent), actual none");
    CHECK_SURVIVES(scenario, (void *)2);
    CHECK_DIES(scenario, (void *)3, MISMATCH "dev=1 sid=0x0008 pasid=6 expected none, actual "
                                    "first-stage{pgtbl=0x80002000 aw=48 flags=0x0} hwpt 5");
}

static void oracle_global_event(void)
{
    /* Translated now, so PASID 0 (no entry) must go too. */
    CHECK_DIES(scenario, (void *)4,
               MISMATCH "dev=1 sid=0x0008 pasid=0 expected none, actual pass-through");
}

static void oracle_domain_event(void)
{
    CHECK_DIES(scenario, (void *)5, MISMATCH "dev=1 sid=0x0008 pasid=5 expected none, actual "
                                    "first-stage");
    CHECK_SURVIVES(scenario, (void *)6);
    CHECK_DIES(scenario, (void *)7, MISMATCH "dev=1 sid=0x0008 pasid=6 expected "
                                    "first-stage{pgtbl=0x80002000 aw=48 flags=0x0}, actual none");
    CHECK_SURVIVES(scenario, (void *)8);
}

static void oracle_pasid_event(void)
{
    CHECK_DIES(scenario, (void *)9, MISMATCH "dev=1 sid=0x0008 pasid=5 expected none, actual "
                                    "first-stage");
    CHECK_SURVIVES(scenario, (void *)10);
    CHECK_DIES(scenario, (void *)11, MISMATCH "dev=1 sid=0x0008 pasid=6 expected "
                                     "first-stage{pgtbl=0x80002000 aw=48 flags=0x0}, actual "
                                     "none");
    CHECK_SURVIVES(scenario, (void *)12);
    CHECK_SURVIVES(scenario, (void *)13);
}

static void oracle_compare(void)
{
    CHECK_DIES(scenario, (void *)14, MISMATCH "dev=1 sid=0x0008 pasid=5 expected "
                                     "first-stage{pgtbl=0x80009000 aw=48 flags=0x0}, actual "
                                     "first-stage{pgtbl=0x80001000");
    CHECK_DIES(scenario, (void *)15, MISMATCH "dev=1 sid=0x0008 pasid=5 expected pass-through "
                                     "(parent), actual first-stage");
    CHECK_SURVIVES(scenario, (void *)16);
}

/* A/5 kept its old first stage (SB_PGTBL(1)) after a bind of its new one
 * (SB_PGTBL(9)) failed. */
#define FAIL_OPEN_5                                                                         \
    MISMATCH "dev=1 sid=0x0008 pasid=5 expected first-stage{pgtbl=0x80009000 aw=48 "       \
             "flags=0x0} or none (a bind failed closed), actual first-stage{pgtbl=0x80001000"

static void oracle_failures_exempt(void)
{
    CHECK_SURVIVES(scenario, (void *)17);
    CHECK_SURVIVES(scenario, (void *)18);
    CHECK_DIES(scenario, (void *)26, FAIL_OPEN_5);
    CHECK_SURVIVES(scenario, (void *)27);
    CHECK_SURVIVES(scenario, (void *)28);
    CHECK_SURVIVES(scenario, (void *)29);
    CHECK_DIES(scenario, (void *)30, FAIL_OPEN_5);
    CHECK_SURVIVES(scenario, (void *)19);
    CHECK_SURVIVES(scenario, (void *)25);
    CHECK_DIES(scenario, (void *)20,
               MISMATCH "dev=1 sid=0x0008 pasid=0 expected none, actual pass-through");
}

static void oracle_unplug(void)
{
    CHECK_DIES(scenario, (void *)21, MISMATCH "dev=3 pasid=0 attached to hwpt 4 but no plugged "
                                     "device has it");
    CHECK_SURVIVES(scenario, (void *)22);
}

static void oracle_untranslated(void)
{
    CHECK_SURVIVES(scenario, (void *)23);
    CHECK_DIES(scenario, (void *)24, MISMATCH "dev=1 sid=0x0008 pasid=5 expected none, actual "
                                     "first-stage");
}

/* The pairs a PASID-IOTLB invalidation reaches. */
static void collect(void *opaque, uint32_t dev, uint32_t pasid)
{
    unsigned *n = opaque;
    *n += dev * 100 + pasid;
}

static void oracle_first_stage_pairs(void)
{
    struct ot t;
    ot_init(&t);
    ot_bound5(&t);
    unsigned n = 0;
    pf_oracle_first_stage(t.o, 1, 5, collect, &n);
    CHECK_EQ_U64(n, 105);
    n = 0;
    pf_oracle_first_stage(t.o, 2, 5, collect, &n);   /* another DID */
    pf_oracle_first_stage(t.o, 1, 0, collect, &n);   /* pass-through */
    pf_oracle_first_stage(t.o, 1, 6, collect, &n);   /* nothing */
    CHECK_EQ_U64(n, 0);
    pf_oracle_unplug_refused(t.o, 0);
    pf_oracle_first_stage(t.o, 1, 5, collect, &n);   /* skipped device */
    CHECK_EQ_U64(n, 0);
    pf_oracle_free(t.o);
    sb_free(t.b);
}

CHECK_MAIN(TEST(oracle_plug_and_quiet), TEST(oracle_global_event), TEST(oracle_domain_event),
           TEST(oracle_pasid_event), TEST(oracle_compare), TEST(oracle_failures_exempt),
           TEST(oracle_unplug), TEST(oracle_untranslated), TEST(oracle_first_stage_pairs))

/*
 * Internals of the stub host backend shared by host_backend.c (the calls,
 * devices and fault injection) and host_backend_check.c (queries and the
 * after-every-op check). Nothing outside stubs/host_backend*.c includes it.
 */
#ifndef PASIDFUZZ_HOST_BACKEND_INTERNAL_H
#define PASIDFUZZ_HOST_BACKEND_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "host_backend.h"

/* One cached entry as the after-every-op check sees it: where it is, the
 * hwpt it holds, and the binding its copy of the PASID entry asks for (by
 * guest_tables.h's rules). No padding, so two lists of them compare with
 * memcmp. */
struct hb_cached {
    uint32_t dev;
    uint32_t pasid;
    uint32_t hwpt;
    uint16_t sid;
    uint16_t kind;          /* enum gt_kind of the entry copy */
    struct vtd_s1_config s1;/* its first-stage config; all 0 for another kind */
};
_Static_assert(sizeof(struct hb_cached) == 4 * 3 + 2 * 2 + sizeof(struct vtd_s1_config) &&
                   sizeof(struct vtd_s1_config) == 8 + 4 + 4,
               "hb_cached has no padding: lists of it compare with memcmp");

struct hb_attach {
    uint32_t pasid;
    uint32_t hwpt;
};

struct hb_dev {
    bool used;
    uint32_t id;
    uint16_t sid;
    uint8_t max_pasid_log2;
    uint32_t parent;
    struct hb_attach *att;  /* sorted by pasid */
    size_t natt, catt;
};

/* One record per id ever handed out; device ids have is_hwpt false. */
struct hb_hwpt {
    bool is_hwpt;
    bool alive;
    bool is_parent;
    uint32_t dev;
    uint32_t parent;
    struct vtd_s1_config s1;
    unsigned invalidations;
    struct vtd_s1_inv last_inv;
    unsigned refs;          /* attachments pointing at it */
    size_t live_idx;        /* position in live_s1 while alive, s1 only */
};

/* Buffers of the after-every-op check, kept from one check to the next so
 * that a check allocates nothing once they have grown. */
struct hb_scratch {
    struct hb_cached *v;
    size_t cap;
    uint32_t *refs;
    size_t refs_cap;
    /* The sorted list of the last check that passed, and the backend's
     * generation then: the same list against the same backend passes
     * again, so that check is not repeated. */
    bool have_last;
    uint64_t last_gen;
    struct hb_cached *last;
    size_t nlast, last_cap;
};

struct host_backend {
    struct gt_view view;
    struct hb_dev devs[VTD_MAX_DEVICES];
    /* Entries (in devs) of the plugged devices in ascending id order (ids only grow,
     * so a plug appends). */
    uint8_t order[VTD_MAX_DEVICES];
    unsigned norder;
    /* Bumped by every change to anything above or below. */
    uint64_t gen;
    uint32_t next_id;
    struct hb_hwpt *ids;    /* indexed by id, [0, next_id) valid */
    size_t ids_cap;
    /* Live first-stage hwpts, so the leak check costs what is alive rather
     * than every id the input ever allocated. */
    uint32_t *live_s1;
    size_t nlive_s1, clive_s1;
    unsigned live_count;
    unsigned pending[HB_CALL_COUNT];
    unsigned calls[HB_CALL_COUNT];
    struct hb_failure *fails;
    size_t nfails, cfails;
    struct hb_inv_rec *invs;
    size_t ninvs, cinvs;
    FILE *trace;
    struct hb_scratch *scratch;
};

/* realloc p to hold at least want elements, zeroing the new ones; aborts
 * (not a VIOLATION) when memory is short. */
void *hb_xgrow(void *p, size_t *cap, size_t want, size_t elem);
/* The plugged device with this id, or NULL. */
struct hb_dev *hb_dev_get(const struct host_backend *hb, uint32_t dev);
/* The record of a hwpt id ever handed out, dead or alive; NULL otherwise. */
struct hb_hwpt *hb_hwpt_get(const struct host_backend *hb, uint32_t id);
/* hwpt attached at pasid, or 0. */
uint32_t hb_att_get(const struct hb_dev *d, uint32_t pasid);

#endif

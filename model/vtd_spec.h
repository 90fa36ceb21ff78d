/*
 * VT-d register offsets and in-memory bit layouts, as the specification
 * states them. Facts only, no logic: the model, the stub resolver and the
 * harness all speak this vocabulary, but each does its own reasoning so that
 * a mistake in one is not silently shared by the others.
 */
#ifndef PASIDFUZZ_VTD_SPEC_H
#define PASIDFUZZ_VTD_SPEC_H

#include <stdint.h>

#define VTD_BIT(n)          (1ull << (n))
/* Mask of bits hi..lo inclusive; hi < 64. */
#define VTD_MASK(hi, lo)    ((~0ull >> (63 - (hi))) & ~((1ull << (lo)) - 1))
#define VTD_FIELD(v, hi, lo) (((uint64_t)(v) & VTD_MASK(hi, lo)) >> (lo))

/* ---- MMIO registers (byte offsets) ---- */
#define VTD_REG_VER      0x00
#define VTD_REG_CAP      0x08
#define VTD_REG_ECAP     0x10
#define VTD_REG_GCMD     0x18
#define VTD_REG_GSTS     0x1c
#define VTD_REG_RTADDR   0x20
#define VTD_REG_CCMD     0x28
#define VTD_REG_FSTS     0x34
#define VTD_REG_FECTL    0x38
#define VTD_REG_IQH      0x80
#define VTD_REG_IQT      0x88
#define VTD_REG_IQA      0x90
#define VTD_REG_ICS      0x9c
#define VTD_REG_IECTL    0xa0
#define VTD_REG_IEDATA   0xa4
#define VTD_REG_IEADDR   0xa8
#define VTD_REG_IEUADDR  0xac
#define VTD_MMIO_SIZE    0x1000

/* GCMD (command) and GSTS (status) share bit positions. */
#define VTD_GCMD_TE      VTD_BIT(31)
#define VTD_GCMD_SRTP    VTD_BIT(30)
#define VTD_GCMD_QIE     VTD_BIT(26)
#define VTD_GSTS_TES     VTD_BIT(31)
#define VTD_GSTS_RTPS    VTD_BIT(30)
#define VTD_GSTS_QIES    VTD_BIT(26)

/* RTADDR: table address 63:12, translation-table mode 11:10. */
#define VTD_RTADDR_ADDR_MASK  VTD_MASK(63, 12)
#define VTD_RTADDR_TTM_SHIFT  10
#define VTD_RTADDR_TTM_MASK   VTD_MASK(11, 10)
#define VTD_RTADDR_TTM_LEGACY 0u
#define VTD_RTADDR_TTM_SCALABLE 1u
#define VTD_RTADDR_SMT        VTD_BIT(10)

/* CCMD: register-based context-cache invalidation. FM and SID are
 * write-only: a read of them returns an undefined value. */
#define VTD_CCMD_ICC          VTD_BIT(63)
#define VTD_CCMD_CIRG_SHIFT   61
#define VTD_CCMD_CAIG_SHIFT   59
#define VTD_CCMD_FM_MASK      VTD_MASK(33, 32)
#define VTD_CCMD_SID_MASK     VTD_MASK(31, 16)
#define VTD_CCMD_DID_MASK     VTD_MASK(15, 0)

#define VTD_FSTS_IQE     VTD_BIT(4)
#define VTD_FECTL_IM     VTD_BIT(31)
#define VTD_FECTL_IP     VTD_BIT(30)
#define VTD_ICS_IWC      VTD_BIT(0)
#define VTD_IECTL_IM     VTD_BIT(31)
#define VTD_IECTL_IP     VTD_BIT(30)

/* IQA: base 63:12, DW 11 (256-bit descriptors), QS 2:0: (4 KiB << QS) bytes. */
#define VTD_IQA_BASE_MASK VTD_MASK(63, 12)
#define VTD_IQA_DW        VTD_BIT(11)
#define VTD_IQA_QS_MASK   VTD_MASK(2, 0)
/* IQH/IQT: byte offset of a descriptor in bits 18:4. */
#define VTD_IQ_OFFSET_MASK VTD_MASK(18, 4)
#define VTD_IQ_DESC128_BYTES 16u
#define VTD_IQ_DESC256_BYTES 32u

/* CAP fields the model advertises. */
#define VTD_CAP_ND_SHIFT     0
#define VTD_CAP_SAGAW_SHIFT  8
#define VTD_CAP_MGAW_SHIFT   16
#define VTD_CAP_FRO_SHIFT    24
#define VTD_CAP_PSI          VTD_BIT(39)
#define VTD_CAP_MAMV_SHIFT   48
#define VTD_CAP_DWD          VTD_BIT(54)
#define VTD_CAP_DRD          VTD_BIT(55)
#define VTD_CAP_FS1GP        VTD_BIT(56)
#define VTD_CAP_FS5LP        VTD_BIT(60)
/* ECAP fields the model advertises. */
#define VTD_ECAP_QI          VTD_BIT(1)
#define VTD_ECAP_PT          VTD_BIT(6)
#define VTD_ECAP_IRO_SHIFT   8
#define VTD_ECAP_PSS_SHIFT   35
#define VTD_ECAP_PASID       VTD_BIT(40)
#define VTD_ECAP_SMTS        VTD_BIT(43)
#define VTD_ECAP_FSTS        VTD_BIT(47)
/* ECAP fields the model does not advertise, read from other hardware. */
#define VTD_ECAP_DT          VTD_BIT(2)
#define VTD_ECAP_PRS         VTD_BIT(29)

/* ---- Invalidation descriptors ---- */
/* type = bits 3:0 | (bits 11:9 << 4) */
#define VTD_DESC_TYPE(q0)  ((unsigned)(VTD_FIELD(q0, 3, 0) | (VTD_FIELD(q0, 11, 9) << 4)))
#define VTD_DESC_TYPE_LO_MASK VTD_MASK(3, 0)
#define VTD_DESC_TYPE_HI_MASK VTD_MASK(11, 9)

enum vtd_desc_type {
    VTD_DESC_CONTEXT_CACHE   = 1,
    VTD_DESC_IOTLB           = 2,
    VTD_DESC_DEVICE_TLB      = 3,
    VTD_DESC_IEC             = 4,
    VTD_DESC_WAIT            = 5,
    VTD_DESC_PASID_IOTLB     = 6,
    VTD_DESC_PASID_CACHE     = 7,
    VTD_DESC_PASID_DEVICE_TLB = 8,
    VTD_DESC_PAGE_GROUP_RESP = 9,
};

/* Granularity lives in bits 5:4 for context-cache, IOTLB, PASID-IOTLB and
 * PASID-cache descriptors. */
#define VTD_DESC_G(q0)        ((unsigned)VTD_FIELD(q0, 5, 4))
#define VTD_DESC_DID(q0)      ((uint16_t)VTD_FIELD(q0, 31, 16))
#define VTD_DESC_PASID(q0)    ((uint32_t)VTD_FIELD(q0, 51, 32))

/* Context-cache (1). */
#define VTD_CC_G_GLOBAL   1u
#define VTD_CC_G_DOMAIN   2u
#define VTD_CC_G_DEVICE   3u
#define VTD_CC_SID(q0)    ((uint16_t)VTD_FIELD(q0, 47, 32))
#define VTD_CC_FM(q0)     ((unsigned)VTD_FIELD(q0, 49, 48))
#define VTD_CC_RSVD_Q0    (VTD_MASK(8, 6) | VTD_MASK(15, 12) | VTD_MASK(63, 50))

/* IOTLB (2). */
#define VTD_IOTLB_G_GLOBAL 1u
#define VTD_IOTLB_G_DOMAIN 2u
#define VTD_IOTLB_G_PAGE   3u
#define VTD_IOTLB_DW       VTD_BIT(6)
#define VTD_IOTLB_DR       VTD_BIT(7)
#define VTD_IOTLB_RSVD_Q0  (VTD_BIT(8) | VTD_MASK(15, 12) | VTD_MASK(63, 32))
/* Address qword shared by IOTLB and PASID-IOTLB. */
#define VTD_INV_ADDR_MASK  VTD_MASK(63, 12)
#define VTD_INV_IH         VTD_BIT(6)
#define VTD_INV_AM(q1)     ((unsigned)VTD_FIELD(q1, 5, 0))
#define VTD_INV_RSVD_Q1    VTD_MASK(11, 7)
#define VTD_INV_AM_MAX     18u

/* Device-TLB (3). */
#define VTD_DEVTLB_SID(q0)  ((uint16_t)VTD_FIELD(q0, 47, 32))
#define VTD_DEVTLB_RSVD_Q0  (VTD_MASK(8, 4) | VTD_MASK(31, 21) | VTD_MASK(51, 48))
#define VTD_DEVTLB_RSVD_Q1  VTD_MASK(11, 1)

/* Interrupt-entry-cache (4). */
#define VTD_IEC_G_INDEX     VTD_BIT(4)
#define VTD_IEC_RSVD_Q0     (VTD_MASK(8, 5) | VTD_MASK(26, 12) | VTD_MASK(63, 48))

/* Wait (5). */
#define VTD_WAIT_IF         VTD_BIT(4)
#define VTD_WAIT_SW         VTD_BIT(5)
#define VTD_WAIT_FN         VTD_BIT(6)
#define VTD_WAIT_PD         VTD_BIT(7)
#define VTD_WAIT_DATA(q0)   ((uint32_t)VTD_FIELD(q0, 63, 32))
#define VTD_WAIT_RSVD_Q0    (VTD_BIT(8) | VTD_MASK(31, 12))
#define VTD_WAIT_RSVD_Q1    VTD_MASK(1, 0)

/* PASID-IOTLB (6). */
#define VTD_PIOTLB_G_PASID  2u
#define VTD_PIOTLB_G_PAGE   3u
#define VTD_PIOTLB_RSVD_Q0  (VTD_MASK(8, 6) | VTD_MASK(15, 12) | VTD_MASK(63, 52))

/* PASID-cache (7). */
#define VTD_PC_G_DOMAIN     0u
#define VTD_PC_G_PASID      1u
#define VTD_PC_G_GLOBAL     3u
#define VTD_PC_RSVD_Q0      (VTD_MASK(8, 6) | VTD_MASK(15, 12) | VTD_MASK(63, 52))

/* PASID-based device-TLB (8). */
#define VTD_PDEVTLB_RSVD_Q0 VTD_MASK(8, 4)
#define VTD_PDEVTLB_RSVD_Q1 VTD_MASK(10, 1)

/* Page-group response (9). */
#define VTD_PGRP_RSVD_Q0    (VTD_MASK(8, 6) | VTD_MASK(63, 52))
#define VTD_PGRP_RSVD_Q1    (VTD_MASK(1, 0) | VTD_MASK(63, 12))

/* ---- Translation tables (little-endian in guest memory) ---- */
#define VTD_PAGE_SIZE        4096u
#define VTD_PAGE_MASK        VTD_MASK(63, 12)

/* Root table: 256 entries x 16 bytes, indexed by bus. Low qword covers devfn
 * 0-127, high qword devfn 128-255. */
#define VTD_ROOT_ENTRY_BYTES 16u
#define VTD_ROOT_P           VTD_BIT(0)
#define VTD_ROOT_RSVD        VTD_MASK(11, 1)

/* Scalable-mode context entry: 32 bytes, indexed by devfn & 0x7f. */
#define VTD_CTX_ENTRY_BYTES  32u
#define VTD_CTX_P            VTD_BIT(0)
#define VTD_CTX_FPD          VTD_BIT(1)
#define VTD_CTX_PRE          VTD_BIT(4)
#define VTD_CTX_RSVD_Q0      VTD_MASK(8, 5)
#define VTD_CTX_PDTS(q0)     ((unsigned)VTD_FIELD(q0, 11, 9))
#define VTD_CTX_PDTS_SHIFT   9
#define VTD_CTX_RSVD_Q1      VTD_MASK(63, 21)
/* The PASID directory has 2^(PDTS + 7) entries. */
#define VTD_CTX_DIR_ENTRIES(q0) (1u << (VTD_CTX_PDTS(q0) + 7))

/* PASID directory entry: 8 bytes, index pasid >> 6. */
#define VTD_PDIR_ENTRY_BYTES 8u
#define VTD_PDIR_P           VTD_BIT(0)
#define VTD_PDIR_FPD         VTD_BIT(1)
#define VTD_PDIR_RSVD        VTD_MASK(11, 2)
#define VTD_PASIDS_PER_TABLE 64u

/* PASID table entry: 64 bytes (8 qwords), index pasid & 0x3f. */
#define VTD_PE_BYTES         64u
#define VTD_PE_QWORDS        8u
#define VTD_PE_P             VTD_BIT(0)
#define VTD_PE_FPD           VTD_BIT(1)
#define VTD_PE_AW(q0)        ((unsigned)VTD_FIELD(q0, 4, 2))
#define VTD_PE_PGTT(q0)      ((unsigned)VTD_FIELD(q0, 8, 6))
#define VTD_PE_PGTT_SHIFT    6
#define VTD_PE_DID(q1)       ((uint16_t)VTD_FIELD(q1, 15, 0))
#define VTD_PE_RSVD_Q1       VTD_MASK(22, 16)
#define VTD_PE_SRE           VTD_BIT(0)
#define VTD_PE_FSPM(q2)      ((unsigned)VTD_FIELD(q2, 3, 2))
#define VTD_PE_FSPM_SHIFT    2
#define VTD_PE_WPE           VTD_BIT(4)
#define VTD_PE_EAFE          VTD_BIT(7)
#define VTD_PE_RSVD_Q2       VTD_MASK(11, 8)
#define VTD_PE_FSPTPTR_MASK  VTD_MASK(63, 12)
/* Qwords 4-7 are reserved and must be zero; qword 3 is ignored. */

enum vtd_pgtt {
    VTD_PGTT_FIRST_STAGE  = 1,
    VTD_PGTT_SECOND_STAGE = 2,
    VTD_PGTT_NESTED       = 3,
    VTD_PGTT_PASS_THROUGH = 4,
};

/* First-stage paging mode: 0 = 4-level (48-bit), 1 = 5-level (57-bit). */
#define VTD_FS_ADDR_WIDTH(fspm) (48u + 9u * (fspm))

#endif

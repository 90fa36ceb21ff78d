/*
 * Hex digits, for what reads hex text: the text form of the inputs
 * (fuzz/text/) and the qtest client's replies (qemu/qtest.c).
 */
#ifndef PASIDFUZZ_PF_HEX_H
#define PASIDFUZZ_PF_HEX_H

/* The value of hex digit c (either case), or -1. */
static inline int pf_hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

#endif

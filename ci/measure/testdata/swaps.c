/* Input of ci/measure/test_mutagen.py: && and || whose operands may or may
 * not be swapped. Each test is one `if`; the comment says what the swap is. */
#include <limits.h>

#define PER(x, y) ((x) / (y))
#define MASK 0xf0u
#define FIELD(v) (((v) >> 4) & 0xfu)

struct obj {
    int a, b;
    unsigned v[4];
    struct obj *next;
};

int probe(int x);
int swaps(const struct obj *p, const unsigned pe[8], const unsigned *q, int d, int i,
          unsigned n, int x, volatile int *vp);

int swaps(const struct obj *p, const unsigned pe[8], const unsigned *q, int d, int i,
          unsigned n, int x, volatile int *vp)
{
    unsigned loc[4] = {1, 2, 3, 4};
    int r = 0;
    /* equivalent: both dereference p */
    if (p->a < 1 || p->a > 20)
        r |= 1;
    /* equivalent: constant subscripts inside the declared sizes */
    if ((pe[1] & MASK) || pe[4] || loc[3])
        r |= 2;
    /* equivalent: the same non-constant subscript on both sides */
    if (p->v[i & 3] > 1 && p->v[i & 3] < 9)
        r |= 4;
    /* equivalent: a division by a nonzero constant, unsigned arithmetic */
    if (d == 0 || n / 3 + n > 7)
        r |= 8;
    /* equivalent: a field taken by a macro of shifts and masks */
    if (p->b > 0 && FIELD(p->v[1]) == 2)
        r |= 32768;
    /* live: p guards the dereference */
    if (!p->next || p->next->a > 0)
        r |= 16;
    /* live: a constant subscript of a plain pointer, guarded by n */
    if (n > 2 && q[2])
        r |= 32;
    /* live: a non-constant subscript */
    if (i < 4 && loc[i])
        r |= 64;
    /* live: a division, also one inside a macro */
    if (d != 0 && x / d > 1)
        r |= 128;
    if (d != 0 && PER(x, d) > 1)
        r |= 256;
    /* live: a shift by a variable amount */
    if (n < 32 && ((1u << n) & MASK))
        r |= 512;
    /* live: signed arithmetic that may overflow */
    if (x < INT_MAX && x + 1 > d)
        r |= 1024;
    /* live: a call, an assignment, an increment, a volatile read */
    if (probe(x) || d > 0)
        r |= 2048;
    if (d > 0 || (r = 5) > 3)
        r |= 4096;
    if (d > 0 && x++ > 3)
        r |= 8192;
    if (*vp > 0 || d > 0)
        r |= 16384;
    return r + x;
}

/* Input of ci/measure/test_mutagen.py: one site of each mutation kind. */
#include <stdio.h>

#define TWICE(x) ((x) + (x))

static int sink;

static void note(int v)
{
    sink += v;
}

static int sub(int a, int b)
{
    return a - b;
}

static int kinds(int a, int b, const int *p)
{
    int r = 0;
    if (a < b)
        r = a * 3;
    r ^= b >> 1;
    r += TWICE(a);
    if (a && !b)
        r++;
    note(r);
    r = sub(a, b) + r;
    switch (a) {
    case 2:
        r = -r;
        break;
    default:
        break;
    }
    for (int i = 0; i < 2; i++)
        r |= ~i & 7;
    return p && *p > 0 ? r : r % 5;
}

int main(void)
{
    int one = 1;
    for (int a = 0; a < 4; a++)
        for (int b = 0; b < 3; b++)
            printf("%d ", kinds(a, b, a & 1 ? &one : NULL));
    printf("%d\n", sink);
    return 0;
}

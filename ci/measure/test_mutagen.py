#!/usr/bin/python3
"""Tests of ci/measure/mutagen.py on testdata/tiny.c (ctest: mutagen).

Each mutation kind makes the mutant it should; macro bodies and case labels
stay untouched; a mutant that cannot compile is dropped; and the schemata
program behaves, for every live mutant and with PF_MUTANT unset, exactly as
the mutant written out as plain code (or the original). Exit 77 (skipped)
when python3-clang-14 or clang is missing.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(HERE, "mutagen.py")
TINY = os.path.join(HERE, "testdata", "tiny.c")
SWAPS = os.path.join(HERE, "testdata", "swaps.c")
FLAGS = ["--cflag=-std=gnu11", "--cflag=-Wall", "--cflag=-Wextra", "--cflag=-Werror"]


def gen(*args):
    return subprocess.run([sys.executable, GEN] + list(args), capture_output=True, text=True,
                          check=True).stdout


def listing(path=None):
    rows = []
    for line in gen("--list", path or TINY).splitlines():
        mid, where, kind, status, edit = line.split("\t")
        orig, mut = edit.split(" -> ", 1)
        rows.append({"id": int(mid), "line": int(where.rsplit(":", 1)[1]), "kind": kind,
                     "status": status, "orig": orig, "mut": mut})
    return rows


def run(exe, mutant=None):
    env = dict(os.environ)
    env.pop("PF_MUTANT", None)
    if mutant is not None:
        env["PF_MUTANT"] = str(mutant)
    try:
        p = subprocess.run([exe], capture_output=True, text=True, env=env, timeout=10)
        return p.returncode, p.stdout
    except subprocess.TimeoutExpired:
        return "timeout", ""


def read_tsv(path):
    with open(path) as f:
        return [l.rstrip("\n").split("\t") for l in f]


def build(out, sources):
    subprocess.run(["clang", "-std=gnu11", "-w", "-O0", "-o", out] + sources, check=True)


class Generator(unittest.TestCase):
    def test_each_kind(self):
        got = {(r["kind"], r["orig"], r["mut"]) for r in listing()}
        want = [
            ("rel", "a < b", "(a) <= (b)"),
            ("rel", "a < b", "(a) > (b)"),
            ("rel", "*p > 0", "(*p) >= (0)"),
            ("arith", "a * 3", "(a) / (3)"),
            ("arith", "r % 5", "(r) / (5)"),
            ("bit", "b >> 1", "(b) << (1)"),
            ("bit", "~i & 7", "(~i) | (7)"),
            ("logic", "a && !b", "(a) || (!b)"),
            ("assign", "sink += v", "sink -= (v)"),
            ("assign", "r ^= b >> 1", "r |= (b >> 1)"),
            ("incdec", "r++", "r--"),
            ("const", "3", "4"),
            ("const", "3", "2"),
            ("unary-del", "!b", "!!(b)"),
            ("unary-del", "~i", "(i)"),
            ("unary-del", "-r", "(r)"),
            ("negate", "a < b", "!(a < b)"),
            ("negate", "i < 2", "!(i < 2)"),
            ("del-call", "note(r);", "(deleted)"),
            ("del-stmt", "r++;", "(deleted)"),
            ("del-stmt", "break;", "(deleted)"),
            ("swap-args", "sub(a, b)", "sub(b, a)"),
            ("swap-ops", "a - b", "(b) - (a)"),
            ("swap-ops", "p && *p > 0", "(*p > 0) && (p)"),
        ]
        for w in want:
            self.assertIn(w, got)

    def test_equivalents(self):
        rows = {(r["kind"], r["orig"], r["mut"]): r["status"] for r in listing()}
        self.assertEqual(rows[("swap-ops", "a * 3", "(3) * (a)")], "equivalent")
        self.assertEqual(rows[("swap-ops", "a && !b", "(!b) && (a)")], "equivalent")
        self.assertEqual(rows[("swap-ops", "p && *p > 0", "(*p > 0) && (p)")], "live")

    def test_logic_swaps(self):
        """A swap of && or || operands is dropped exactly when the order
        cannot matter (mutagen.py's docstring); testdata/swaps.c says why
        for each."""
        swaps = {r["orig"]: r["status"] for r in listing(SWAPS) if r["kind"] == "swap-ops"}
        equivalent = [
            "p->a < 1 || p->a > 20",
            "(pe[1] & MASK) || pe[4] || loc[3]",
            "(pe[1] & MASK) || pe[4]",
            "p->v[i & 3] > 1 && p->v[i & 3] < 9",
            "d == 0 || n / 3 + n > 7",
            "p->b > 0 && FIELD(p->v[1]) == 2",
        ]
        live = [
            "!p->next || p->next->a > 0",
            "n > 2 && q[2]",
            "i < 4 && loc[i]",
            "d != 0 && x / d > 1",
            "d != 0 && PER(x, d) > 1",
            "n < 32 && ((1u << n) & MASK)",
            "x < INT_MAX && x + 1 > d",
            "probe(x) || d > 0",
            "d > 0 || (r = 5) > 3",
            "d > 0 && x++ > 3",
            "*vp > 0 || d > 0",
        ]
        for e in equivalent:
            self.assertEqual(swaps.get(e), "equivalent", e)
        for e in live:
            self.assertEqual(swaps.get(e), "live", e)

    def test_untouched(self):
        rows = listing()
        # TWICE(a) is a macro: its + is not the file's.
        self.assertFalse([r for r in rows if r["line"] == 24 and r["kind"] == "arith"])
        # `case 2:` must stay a constant expression.
        self.assertFalse([r for r in rows if r["line"] == 30])
        # `(void)`-free file: no empty-statement deletions either.
        self.assertFalse([r for r in rows if r["orig"] == ";"])

    def test_nocompile_dropped(self):
        with tempfile.TemporaryDirectory() as d:
            gen("--out", d, "--cc", "clang", *FLAGS, TINY)
            rows = read_tsv(os.path.join(d, "mutants.tsv"))
            status = {(r[5], r[8]): r[6] for r in rows[1:]}
            # sub() without its return does not compile under -Werror.
            self.assertEqual(status[("del-stmt", "return a - b;")], "nocompile")
            self.assertEqual(status[("arith", "a - b")], "live")

    def test_schemata_is_each_mutant(self):
        with tempfile.TemporaryDirectory() as d:
            gen("--out", d, "--cc", "clang", *FLAGS, TINY)
            exe = os.path.join(d, "schemata")
            build(exe, [os.path.join(d, "tiny.c"), os.path.join(d, "pf_mutant_switch.c")])
            orig = os.path.join(d, "orig")
            build(orig, [TINY])
            self.assertEqual(run(exe), run(orig))
            self.assertEqual(run(exe, 0), run(orig))
            rows = read_tsv(os.path.join(d, "mutants.tsv"))
            live = [int(r[0]) for r in rows[1:] if r[6] == "live"]
            self.assertGreater(len(live), 60)
            gen("--direct", "all", "--out", d, TINY)

            def one(mid):
                dd = os.path.join(d, "m%d" % mid)
                build(os.path.join(dd, "one"), [os.path.join(dd, "tiny.c")])
                return run(os.path.join(dd, "one"))

            with ThreadPoolExecutor(os.cpu_count()) as pool:
                direct = dict(zip(live, pool.map(one, live)))
            differ = 0
            for mid in live:
                want = direct[mid]
                self.assertEqual(run(exe, mid), want, "mutant %d" % mid)
                differ += want != run(orig)
            # Nearly every mutant changes what tiny.c prints.
            self.assertGreater(differ, len(live) * 3 // 4)
            bad = subprocess.run([exe], env=dict(os.environ, PF_MUTANT="x"),
                                 capture_output=True, text=True)
            self.assertEqual(bad.returncode, 2)
            self.assertIn("PF_MUTANT=x", bad.stderr)


class Equivalents(unittest.TestCase):
    """mutation_equivalents.py marks the mutants a list names, by file,
    function, kind, source line, edit and occurrence; a stale line is
    reported, a bad list is refused."""

    LISTER = os.path.join(HERE, "mutation_equivalents.py")
    HEAD = "file\tfunction\tkind\tline\toriginal\tmutated\toccurrence\treason\n"

    def mark(self, d, body):
        lst = os.path.join(d, "list.tsv")
        with open(lst, "w") as f:
            f.write("# a comment\n" + self.HEAD + body)
        return subprocess.run([sys.executable, self.LISTER, "--list", lst, "--mutants",
                               os.path.join(d, "mutants.tsv"), "--root", HERE],
                              capture_output=True, text=True)

    def test_marks_by_edit(self):
        with tempfile.TemporaryDirectory() as d:
            gen("--out", d, "--root", HERE, TINY)
            rows = read_tsv(os.path.join(d, "mutants.tsv"))
            # kinds() has `0` -> `1` three times (r = 0, i = 0, *p > 0).
            zeros = [r for r in rows[1:] if r[4] == "kinds" and r[5] == "const" and
                     r[8] == "0" and r[9] == "1"]
            self.assertEqual(len(zeros), 3)
            # The second is `int i = 0` of the for loop; an entry for a line
            # that is not there (the code changed) is stale rather than
            # taken by another `0` -> `1` of the function.
            p = self.mark(d, "testdata/tiny.c\tkinds\tconst\tfor (int i = 0; i < 2; i++)\t0\t1"
                             "\t1\tbecause\n"
                             "testdata/tiny.c\tkinds\tconst\tint r = 0u;\t0\t1\t1\tstale\n")
            self.assertEqual(p.returncode, 0, p.stderr)
            out = [l.split("\t") for l in p.stdout.splitlines()]
            listed = [r for r in out[1:] if r[6] == "listed"]
            self.assertEqual([r[0] for r in listed], [zeros[1][0]])
            self.assertEqual(listed[0][2], "36")
            self.assertEqual(listed[0][7], "because")
            self.assertIn("list.tsv:4: stale, no such mutant", p.stderr)

    def test_bad_list(self):
        with tempfile.TemporaryDirectory() as d:
            gen("--out", d, "--root", HERE, TINY)
            for body in ("a\tb\n", "testdata/tiny.c\tkinds\tconst\tcase 2:\t2\t3\tx\twhy\n",
                         "testdata/tiny.c\tkinds\tconst\tcase 2:\t2\t3\t1\t\n"):
                p = self.mark(d, body)
                self.assertEqual(p.returncode, 2, body)
                self.assertIn("list.tsv:3:", p.stderr)


if __name__ == "__main__":
    try:
        import clang.cindex  # noqa: F401
    except ImportError:
        print("SKIP: python3-clang-14 is not installed (ci/install-deps.sh --mutation)")
        sys.exit(77)
    if not shutil.which("clang"):
        print("SKIP: clang is not installed")
        sys.exit(77)
    unittest.main()

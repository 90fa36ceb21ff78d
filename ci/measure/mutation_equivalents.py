#!/usr/bin/python3
"""Marks the mutants that a written list declares equivalent.

    mutation_equivalents.py --list equivalent-mutants.tsv --mutants mutants.tsv
                            [--root DIR]

Reads the generator's mutants.tsv and writes it to stdout with status
`listed` and the list's reason for every live mutant the list names. The
list (ci/measure/equivalent-mutants.tsv) is tab-separated, `#` starts a
comment line, one mutant a line:

    file  function  kind  line  original  mutated  occurrence  reason

keyed by what the mutant is, not by its id (ids shift whenever model/
changes): file, function, kind, the text of the source line the mutant
starts on (read from the file under --root, default the top of this tree;
runs of blanks count as one space), and the original and mutated text as
mutants.tsv spells them; occurrence is 1 for the first mutant with all of
these the same (in source order), 2 for the second, and so on. The line
keeps a key from sliding onto a look-alike elsewhere in the function when
the code changes (a `1` that becomes `1u` would otherwise hand its entry to
the next `1`). A list line that names no mutant is stale (the code changed:
the mutant has to be looked at again); each is reported on stderr, and so
is a line naming a mutant the generator already drops. Exit 0, or 2 for a
list, mutants.tsv or source file that cannot be read (the line and what is
wrong).
"""
import argparse
import os
import sys

LIST_COLUMNS = ["file", "function", "kind", "line", "original", "mutated", "occurrence",
                "reason"]
OCC = LIST_COLUMNS.index("occurrence")


def fail(msg):
    sys.stderr.write("mutation_equivalents.py: %s\n" % msg)
    sys.exit(2)


def read_list(path):
    """{(file, function, kind, original, mutated, occurrence): reason}"""
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except OSError as e:
        fail("%s: %s" % (path, e.strerror))
    entries = {}
    header_seen = False
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if not header_seen:
            if cols != LIST_COLUMNS:
                fail("%s:%d: the header must be: %s" % (path, n, " ".join(LIST_COLUMNS)))
            header_seen = True
            continue
        if len(cols) != len(LIST_COLUMNS):
            fail("%s:%d: %d tab-separated columns, want %d" % (path, n, len(cols),
                                                               len(LIST_COLUMNS)))
        if not cols[OCC].isdigit() or int(cols[OCC]) < 1:
            fail("%s:%d: occurrence '%s' is not a number from 1" % (path, n, cols[OCC]))
        if not cols[OCC + 1].strip():
            fail("%s:%d: no reason" % (path, n))
        key = tuple(cols[:OCC]) + (int(cols[OCC]),)
        if key in entries:
            fail("%s:%d: the same mutant twice" % (path, n))
        entries[key] = (n, cols[OCC + 1])
    if not header_seen:
        fail("%s: no header line" % path)
    return entries


def source_line(root, path, number, cache):
    """Line `number` of root/path, blanks collapsed."""
    if path not in cache:
        try:
            cache[path] = open(os.path.join(root, path), encoding="utf-8").read().splitlines()
        except OSError as e:
            fail("%s: %s" % (os.path.join(root, path), e.strerror))
    lines = cache[path]
    if not 1 <= number <= len(lines):
        fail("%s has no line %d" % (path, number))
    return " ".join(lines[number - 1].split())


def keys_of(rows, head, root):
    """The list key of every mutants.tsv row, occurrence counted in id order."""
    seen = {}
    out = []
    cache = {}
    col = {c: head.index(c) for c in ("file", "function", "kind", "line", "original", "mutated")}
    for r in sorted(rows, key=lambda r: int(r[head.index("id")])):
        text = source_line(root, r[col["file"]], int(r[col["line"]]), cache)
        k = (r[col["file"]], r[col["function"]], r[col["kind"]], text, r[col["original"]],
             r[col["mutated"]])
        seen[k] = seen.get(k, 0) + 1
        out.append((r, k + (seen[k],)))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--list", required=True)
    ap.add_argument("--mutants", required=True)
    ap.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                   "..", ".."))
    a = ap.parse_args()
    entries = read_list(a.list)
    try:
        lines = [l.rstrip("\n").split("\t") for l in open(a.mutants) if l.strip()]
    except OSError as e:
        fail("%s: %s" % (a.mutants, e.strerror))
    head = lines[0] if lines else []
    need = ["id", "file", "line", "function", "kind", "status", "reason", "original", "mutated"]
    if any(c not in head for c in need) or any(len(r) != len(head) for r in lines[1:]):
        fail("%s is not a mutants.tsv of mutagen.py" % a.mutants)
    used = set()
    st, why = head.index("status"), head.index("reason")
    for r, key in keys_of(lines[1:], head, a.root):
        if key not in entries:
            continue
        used.add(key)
        n, reason = entries[key]
        if r[st] != "live":
            sys.stderr.write("mutation_equivalents.py: %s:%d: mutant %s is already %s\n" %
                             (a.list, n, r[0], r[st]))
            continue
        r[st], r[why] = "listed", reason.replace("\t", " ")
    for key, (n, _) in sorted(entries.items(), key=lambda kv: kv[1][0]):
        if key not in used:
            sys.stderr.write("mutation_equivalents.py: %s:%d: stale, no such mutant: %s %s "
                             "[%s] in `%s`: `%s` -> `%s` #%d\n" % ((a.list, n) + key))
    out = sys.stdout
    out.write("\t".join(head) + "\n")
    for r in lines[1:]:
        out.write("\t".join(r) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

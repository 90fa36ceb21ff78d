#!/usr/bin/python3
"""First-order mutants of C functions, written out as mutant schemata.

    mutagen.py --out DIR [--cc CC]... [--cflag FLAG]... FILE.c...
    mutagen.py --list FILE.c...                  (print the mutants, no files)
    mutagen.py --direct ID|all --out DIR FILE.c  (DIR/<file>.c with only mutant
                                                  ID applied, as plain code;
                                                  all: DIR/m<ID>/<file>.c each)

Each FILE.c is parsed with libclang (python3-clang-14), and every function
body gets these mutants, each at an exact operator or statement extent:

  rel        relational swap: < to <= and >, <= to < and >=, > to >= and <,
             >= to > and <=, == and != to each other (the off-by-ones on
             comparisons are the first of each pair)
  arith      + -, * /, / * %, % /
  bit        & |, | &, ^ | &, << >>
  logic      && ||
  assign     compound assignments: += -=, |= &=, <<= >>=, ...
  incdec     ++ and -- swapped
  const      an integer literal plus one and minus one
  unary-del  ~ or unary - removed; !x becomes !!x (x's truth value, as an int)
  negate     the condition of if, while, for, do and ?: negated
  del-call   a call statement deleted
  del-stmt   any other statement deleted (not declarations)
  swap-args  two adjacent call arguments of the same type swapped
  swap-ops   the operands of a binary operator swapped

Operators and literals that come out of a macro expansion are not mutated
(the macro lives in a header, not in the file). Case labels and array sizes
keep their constants (they must be constant expressions).

Schemata: DIR/<file>.c is the file with every mutation site guarded by a
runtime switch, `(pf_mut_on[17] ? (a <= b) : (a < b))` for an expression,
`{ if (!pf_mut_on[42]) { stmt; } }` for a deletion (an alternative whose
type differs, `(8) >> (x)` for `x >> 8`, is cast to the original's type so
that `?:` stays well typed; a negated pointer makes the site a truth value,
`!!(p)`); DIR/pf_mutant_switch.c
defines pf_mut_on[] and sets the entry that environment variable PF_MUTANT
names, once, at startup (unset or 0: the original program). So every mutant
is in one build. DIR/mutants.tsv lists them all with their status:

  live        in the schemata
  nocompile   the schemata did not compile with it (each --cc, -Werror)
  equivalent  provably the same program: identical tokens, a swap of
              commutative operands, a swap of the operands of && or ||
              that the order cannot change (below), or the deletion of a
              statement without effect (an empty one, `(void)x;`)

`A && B` and `A || B` may become `B && A` and `B || A` when neither operand
has an effect (no call, assignment, ++, --, volatile access) and every
evaluation in B that may be undefined, and so may depend on A having
guarded it, is one A makes unconditionally: a dereference of a pointer
(`p->f`, `*p`) that A also dereferences, a subscript, division, shift or
signed or pointer arithmetic that A evaluates alike. Dividing by a nonzero
constant, shifting by a constant less than the width, unsigned arithmetic
and a constant subscript inside an array's declared size (a parameter
declared `T a[N]` counts as N elements, as every caller in model/ passes)
need no guard. Anything the walk does not understand (an operator inside a
macro expansion, a kind of expression not listed) keeps the mutant live.

Mutant ids are stable for a given set of input files (parse order), so
builds with different compilers agree on them.
"""
import argparse
import ctypes
import os
import re
import subprocess
import sys
import tempfile

try:
    import clang.cindex as ci
except ImportError:
    sys.stderr.write("mutagen.py: python3-clang-14 is not installed (ci/install-deps.sh --mutation)\n")
    sys.exit(3)

LIBCLANG = "/usr/lib/llvm-14/lib/libclang.so.1"
CK = ci.CursorKind

BINARY_SWAPS = {
    "<": ("rel", ["<=", ">"]), "<=": ("rel", ["<", ">="]),
    ">": ("rel", [">=", "<"]), ">=": ("rel", [">", "<="]),
    "==": ("rel", ["!="]), "!=": ("rel", ["=="]),
    "+": ("arith", ["-"]), "-": ("arith", ["+"]), "*": ("arith", ["/"]),
    "/": ("arith", ["*", "%"]), "%": ("arith", ["/"]),
    "&": ("bit", ["|"]), "|": ("bit", ["&"]), "^": ("bit", ["|", "&"]),
    "<<": ("bit", [">>"]), ">>": ("bit", ["<<"]),
    "&&": ("logic", ["||"]), "||": ("logic", ["&&"]),
}
ASSIGN_SWAPS = {
    "+=": ["-="], "-=": ["+="], "*=": ["/="], "/=": ["*="], "%=": ["/="],
    "&=": ["|="], "|=": ["&="], "^=": ["|="], "<<=": [">>="], ">>=": ["<<="],
}
COMMUTATIVE = {"+", "*", "&", "|", "^", "==", "!="}
# Operand swaps of relational operators are the mirrored operator, which
# `rel` already covers or which is its own negation.
NO_OPERAND_SWAP = {"<", "<=", ">", ">=", "=", ","}
# What may have an effect or trap, for telling a swap of && or || operands
# apart from a reordering of pure tests.
IMPURE = {CK.CALL_EXPR, CK.COMPOUND_ASSIGNMENT_OPERATOR, CK.ARRAY_SUBSCRIPT_EXPR}
# Expressions the && / || swap analysis understands; any other keeps the
# swap live.
SWAP_KINDS = {CK.DECL_REF_EXPR, CK.INTEGER_LITERAL, CK.CHARACTER_LITERAL, CK.PAREN_EXPR,
              CK.UNEXPOSED_EXPR, CK.CSTYLE_CAST_EXPR, CK.BINARY_OPERATOR, CK.UNARY_OPERATOR,
              CK.ARRAY_SUBSCRIPT_EXPR, CK.MEMBER_REF_EXPR, CK.CONDITIONAL_OPERATOR,
              CK.CXX_UNARY_EXPR}
UNSIGNED_TYPES = {getattr(ci.TypeKind, k) for k in (
    "BOOL", "CHAR_U", "UCHAR", "USHORT", "UINT", "ULONG", "ULONGLONG")}
FLOATING = {ci.TypeKind.FLOAT, ci.TypeKind.DOUBLE, ci.TypeKind.LONGDOUBLE}
SIGNED_TYPES = {getattr(ci.TypeKind, k) for k in (
    "CHAR_S", "SCHAR", "SHORT", "INT", "LONG", "LONGLONG")}
BLOCKS = {CK.IF_STMT, CK.WHILE_STMT, CK.FOR_STMT, CK.SWITCH_STMT, CK.COMPOUND_STMT}
INTEGER_TYPES = {getattr(ci.TypeKind, k) for k in (
    "BOOL", "CHAR_U", "UCHAR", "USHORT", "UINT", "ULONG", "ULONGLONG", "CHAR_S", "SCHAR",
    "SHORT", "INT", "LONG", "LONGLONG", "ENUM")}
INT_LITERAL = re.compile(r"^(0[xX][0-9a-fA-F]+|[0-9]+)([uUlL]*)$")
TOKEN = re.compile(r"0[xX][0-9a-fA-F]+[uUlL]*|[A-Za-z_0-9]+|<<=|>>=|->|\+\+|--|&&|\|\||"
                   r"[<>=!+\-*/%&|^]=|<<|>>|\S")


def tokens_of(text):
    text = re.sub(r"/\*.*?\*/|//[^\n]*", " ", text, flags=re.S)
    return TOKEN.findall(text)


class Mutant:
    def __init__(self, kind, start, end, alt, deletion=False):
        self.id = 0
        self.kind = kind
        self.start = start          # the site: the guarded extent
        self.end = end
        self.alt = alt              # replacement text of [start, end)
        self.deletion = deletion
        self.ctype = ""             # the site's integer type, to cast alt to
        self.pointer = False        # the site is a pointer-typed expression
        self.status = "live"
        self.reason = ""
        self.file = ""
        self.line = 0
        self.col = 0
        self.func = ""


class FileMutants:
    """The mutants of one source file, found with libclang."""

    def __init__(self, path, cflags):
        self.path = path
        self.src = open(path, "rb").read().decode("utf-8")
        self.raw = self.src.encode("utf-8")
        self.tu = ci.Index.create().parse(path, args=cflags)
        errors = [d for d in self.tu.diagnostics if d.severity >= ci.Diagnostic.Error]
        if errors:
            raise SystemExit("mutagen.py: %s does not parse: %s" % (path, errors[0]))
        self.constant_operands_defined = not any(
            d.option in ("-Wdivision-by-zero", "-Wshift-count-overflow",
                         "-Wshift-count-negative") for d in self.tu.diagnostics)
        self.mutants = []
        self.seen = set()
        self.func = ""
        for c in self.tu.cursor.get_children():
            if (c.kind == CK.FUNCTION_DECL and c.is_definition() and self.in_file(c)):
                self.func = c.spelling
                for body in c.get_children():
                    if body.kind == CK.COMPOUND_STMT:
                        self.walk(body, None)
        for m in self.mutants:
            m.file = path
            m.line, m.col = self.line_col(m.start)

    # ---- helpers ----
    def in_file(self, c):
        e = c.extent
        return (e.start.file is not None and e.end.file is not None and
                e.start.file.name == self.path and e.end.file.name == self.path and
                e.start.offset < e.end.offset)

    def text(self, a, b):
        return self.raw[a:b].decode("utf-8")

    def line_col(self, off):
        before = self.raw[:off]
        return before.count(b"\n") + 1, off - (before.rfind(b"\n") + 1) + 1

    def toks(self, c):
        return [t for t in self.tu.get_tokens(extent=c.extent)
                if t.extent.start.file and t.extent.start.file.name == self.path]

    def add(self, kind, start, end, alt, deletion=False, why_equiv="", cursor=None):
        key = (kind, start, end, alt)
        if key in self.seen:
            return
        self.seen.add(key)
        m = Mutant(kind, start, end, alt, deletion)
        m.func = self.func
        if cursor is not None:
            t = cursor.type.get_canonical()
            m.ctype = t.spelling if t.kind in INTEGER_TYPES else ""
            m.pointer = t.kind == ci.TypeKind.POINTER
        orig = self.text(start, end)
        if why_equiv:
            m.status, m.reason = "equivalent", why_equiv
        elif not deletion and tokens_of(orig) == tokens_of(alt):
            m.status, m.reason = "equivalent", "identical tokens"
        self.mutants.append(m)

    def statement_end(self, c):
        """End offset of statement c including its `;`, or None."""
        end = c.extent.end.offset
        if self.raw[end - 1:end] == b";" or (c.kind in BLOCKS and self.raw[end - 1:end] == b"}"):
            return end
        rest = self.raw[end:]
        stripped = rest.lstrip()
        if stripped[:1] != b";":
            return None
        return end + (len(rest) - len(stripped)) + 1

    # ---- the walk ----
    def walk(self, c, parent):
        kids = list(c.get_children())
        if c.kind in (CK.COMPOUND_STMT,):
            for k in kids:
                self.statement(k)
        elif c.kind in (CK.IF_STMT, CK.WHILE_STMT):
            self.condition(kids[0])
            for k in kids[1:]:
                if k.kind != CK.COMPOUND_STMT:
                    self.statement(k)
        elif c.kind == CK.DO_STMT:
            self.condition(kids[-1])
            if kids[0].kind != CK.COMPOUND_STMT:
                self.statement(kids[0])
        elif c.kind == CK.FOR_STMT:
            cond = self.for_condition(c, kids)
            if cond is not None:
                self.condition(cond)
            if kids and kids[-1].kind != CK.COMPOUND_STMT:
                self.statement(kids[-1])
        elif c.kind in (CK.CASE_STMT, CK.DEFAULT_STMT):
            self.statement(kids[-1])
            if c.kind == CK.CASE_STMT:
                kids = kids[1:]     # the label stays constant
        elif c.kind == CK.CONDITIONAL_OPERATOR:
            self.condition(kids[0])
        elif c.kind == CK.BINARY_OPERATOR:
            self.binary(c, kids)
        elif c.kind == CK.COMPOUND_ASSIGNMENT_OPERATOR:
            self.compound_assign(c, kids)
        elif c.kind == CK.UNARY_OPERATOR:
            self.unary(c, kids)
        elif c.kind == CK.INTEGER_LITERAL:
            if not (parent is not None and parent.kind == CK.VAR_DECL and
                    parent.type.kind in (ci.TypeKind.CONSTANTARRAY, ci.TypeKind.VARIABLEARRAY)):
                self.literal(c)
        elif c.kind == CK.CALL_EXPR:
            self.call(c)
        for k in kids:
            self.walk(k, c)

    def statement(self, c):
        if c.kind in (CK.CASE_STMT, CK.DEFAULT_STMT, CK.LABEL_STMT, CK.DECL_STMT):
            return
        kids = list(c.get_children())
        if (c.kind == CK.IF_STMT and len(kids) == 2 and kids[1].kind != CK.COMPOUND_STMT and
                self.pure(kids[0])):
            return      # the same program as deleting its one statement
        if not self.in_file(c) and c.kind != CK.NULL_STMT:
            return
        end = self.statement_end(c)
        if end is None:
            return
        start = c.extent.start.offset
        body = self.text(start, end)
        kind = "del-stmt"
        inner = c
        if c.kind == CK.CSTYLE_CAST_EXPR:
            inner = list(c.get_children())[-1]
        while inner.kind in (CK.UNEXPOSED_EXPR, CK.PAREN_EXPR) and list(inner.get_children()):
            inner = list(inner.get_children())[-1]
        if inner.kind == CK.CALL_EXPR:
            kind = "del-call"
        equiv = ""
        if c.kind == CK.NULL_STMT or tokens_of(body) in (["{", "}"], [";"]):
            equiv = "deletes an empty statement"
        elif re.fullmatch(r"\(\s*void\s*\)\s*[A-Za-z_]\w*\s*;", body):
            equiv = "deletes a statement without effect"
        self.add(kind, start, end, "", deletion=True, why_equiv=equiv)

    def condition(self, c):
        if not self.in_file(c):
            return
        inner = c
        while inner.kind == CK.UNEXPOSED_EXPR and len(list(inner.get_children())) == 1:
            inner = list(inner.get_children())[0]
        if inner.kind == CK.UNARY_OPERATOR:
            t = self.toks(inner)
            if t and t[0].spelling == "!":
                return      # unary-del already makes it
        if inner.kind == CK.BINARY_OPERATOR and self.binary_op(inner) in ("==", "!="):
            return          # rel already makes it
        a, b = c.extent.start.offset, c.extent.end.offset
        self.add("negate", a, b, "!(" + self.text(a, b) + ")", cursor=c)

    def for_condition(self, c, kids):
        """The condition child of a for statement, found between the header's
        two semicolons."""
        depth, semis = 0, []
        for t in self.toks(c):
            s = t.spelling
            if s == "(":
                depth += 1
            elif s == ")":
                depth -= 1
                if depth == 0:
                    break
            elif s == ";" and depth == 1:
                semis.append(t.extent.start.offset)
        if len(semis) != 2:
            return None
        for k in kids:
            if semis[0] < k.extent.start.offset and k.extent.end.offset <= semis[1]:
                return k
        return None

    def binary_op(self, c):
        """The operator token of a binary operator written in this file, or None."""
        kids = list(c.get_children())
        if len(kids) != 2 or not self.in_file(c):
            return None
        l, r = kids
        if not (self.in_file(l) and self.in_file(r)):
            return None
        a, b = l.extent.end.offset, r.extent.start.offset
        if not (c.extent.start.offset <= l.extent.start.offset and a < b and
                r.extent.end.offset <= c.extent.end.offset):
            return None
        op = self.text(a, b).strip()
        return op if re.fullmatch(r"[<>=!+\-*/%&|^,]+", op) else None

    def binary(self, c, kids):
        op = self.binary_op(c)
        if op is None:
            return
        l, r = kids
        s, e = c.extent.start.offset, c.extent.end.offset
        lt = self.text(l.extent.start.offset, l.extent.end.offset)
        rt = self.text(r.extent.start.offset, r.extent.end.offset)
        if op in BINARY_SWAPS:
            kind, alts = BINARY_SWAPS[op]
            for new in alts:
                self.add(kind, s, e, "(%s) %s (%s)" % (lt, new, rt), cursor=c)
        if op not in NO_OPERAND_SWAP and op in BINARY_SWAPS:
            why = "commutative operator" if op in COMMUTATIVE else ""
            if op in ("&&", "||") and self.swap_is_safe(l, r):
                why = "reorders operands without effects that cannot guard each other"
            if tokens_of(lt) == tokens_of(rt):
                why = "identical tokens"
            self.add("swap-ops", s, e, "(%s) %s (%s)" % (rt, op, lt), why_equiv=why, cursor=c)

    def pure(self, c):
        """No call, store, memory read through a pointer or division (which
        may trap) anywhere in c."""
        if c.kind in IMPURE:
            return False
        if c.kind in (CK.BINARY_OPERATOR, CK.UNARY_OPERATOR, CK.MEMBER_REF_EXPR):
            t = [x.spelling for x in self.toks(c)]
            if c.kind == CK.MEMBER_REF_EXPR and "->" in t:
                return False
            if c.kind == CK.UNARY_OPERATOR and t and t[0] in ("*", "++", "--") or \
                    t and t[-1] in ("++", "--"):
                return False
            if c.kind == CK.BINARY_OPERATOR and self.binary_op(c) in ("=", "/", "%", None):
                return False
        return all(self.pure(k) for k in c.get_children())

    # ---- the && / || operand swap ----
    def swap_is_safe(self, a, b):
        """`a op b` to `b op a` changes nothing: b's possibly undefined
        evaluations are all made unconditionally by a (the docstring)."""
        ha, hb = [], []
        if not (self.scan(a, False, ha) and self.scan(b, False, hb)):
            return False
        covered = {k for k, cond in ha if k is not None and not cond}
        return all(k is not None and k in covered for k, _ in hb)

    def scan(self, c, cond, out):
        """Walks expression c: False when it may have an effect or is not
        understood; else appends (key, conditional) to out for every
        evaluation that may be undefined (key None: not comparable)."""
        kids = list(c.get_children())
        if c.kind == CK.TYPE_REF:
            return True                 # the type of a cast
        t = c.type.get_canonical()
        if c.kind not in SWAP_KINDS or t.is_volatile_qualified() or t.kind in FLOATING:
            return False
        if c.kind == CK.CXX_UNARY_EXPR or self.constant(c) is not None:
            return True     # sizeof, alignof: not evaluated; a constant (even
                            # one from a macro) is computed without effects
        if c.kind == CK.CONDITIONAL_OPERATOR:
            return len(kids) == 3 and self.scan(kids[0], cond, out) and \
                self.scan(kids[1], True, out) and self.scan(kids[2], True, out)
        if c.kind == CK.BINARY_OPERATOR:
            op = self.binary_op(c)
            if op is None:
                return self.macro_operator_safe(c, kids) and \
                    self.scan(kids[0], cond, out) and self.scan(kids[1], True, out)
            if op in ("=", ","):
                return False
            hazard = self.binary_hazard(c, op, kids)
            if hazard:
                out.append((self.key(c), cond))
            right_cond = cond or op in ("&&", "||")
            return self.scan(kids[0], cond, out) and self.scan(kids[1], right_cond, out)
        if c.kind == CK.UNARY_OPERATOR:
            op = self.unary_op(c, kids)
            if op is None and self.macro_operator_safe(c, kids):
                return self.scan(kids[0], cond, out)
            if op not in ("*", "-", "!", "~", "+", "&"):
                return False            # ++, --, or an operator from a macro
            if op == "*":
                out.append((self.obj_key(kids[0]), cond))
            elif op == "-" and self.may_overflow(c):
                out.append((self.key(c), cond))
        elif c.kind == CK.MEMBER_REF_EXPR:
            if not kids:
                return False
            if self.is_pointer(kids[0]):
                out.append((self.obj_key(kids[0]), cond))
        elif c.kind == CK.ARRAY_SUBSCRIPT_EXPR:
            if len(kids) != 2:
                return False
            if not self.index_in_bounds(kids[0], kids[1]):
                out.append((self.key(c), cond))
        return all(self.scan(k, cond, out) for k in kids)

    def macro_operator_safe(self, c, kids):
        """An operator from a macro expansion, whose spelling libclang 14
        does not give: safe when whatever operator it is has no effect and
        cannot be undefined. Its left operand is no lvalue (so no
        assignment, ++, -- or &), nor a pointer (no *); a signed result
        comes from unsigned operands of at least int's width (a comparison
        or !: nothing promoted that could overflow); an unsigned result has
        a constant right operand, and clang found no division by zero and no
        shift count out of range in the file (warnings it always gives), so
        whatever the operator, it is defined."""
        if len(kids) not in (1, 2):
            return False
        left = kids[0]
        while left.kind == CK.PAREN_EXPR and len(list(left.get_children())) == 1:
            left = list(left.get_children())[0]
        if left.kind in (CK.DECL_REF_EXPR, CK.MEMBER_REF_EXPR, CK.ARRAY_SUBSCRIPT_EXPR,
                         CK.UNARY_OPERATOR) or self.is_pointer(kids[0]):
            return False
        t = c.type.get_canonical()
        if t.kind in SIGNED_TYPES:
            return all(k.type.get_canonical().kind in UNSIGNED_TYPES and
                       k.type.get_canonical().get_size() >= 4 for k in kids)
        if t.kind not in UNSIGNED_TYPES:
            return False
        if len(kids) == 1:
            return True
        return self.constant_operands_defined and self.constant(kids[1]) is not None

    def binary_hazard(self, c, op, kids):
        """Whether binary operator c may be undefined for some operands."""
        if self.constant(c) is not None:
            return False
        if op in ("/", "%"):
            d = self.constant(kids[1])
            return d is None or d == 0 or d == -1
        if op in ("<<", ">>"):
            n = self.constant(kids[1])
            width = 8 * max(kids[0].type.get_canonical().get_size(), 4)
            signed_left = op == "<<" and \
                kids[0].type.get_canonical().kind in SIGNED_TYPES
            return n is None or not 0 <= n < width or signed_left
        if op in ("+", "-", "*"):
            return self.may_overflow(c) or self.is_pointer(c)
        if op in ("<", "<=", ">", ">="):
            return self.is_pointer(kids[0])
        return False

    def may_overflow(self, c):
        return c.type.get_canonical().kind in SIGNED_TYPES and self.constant(c) is None

    @staticmethod
    def is_pointer(c):
        return c.type.get_canonical().kind == ci.TypeKind.POINTER

    def index_in_bounds(self, base, index):
        """A constant index inside the declared size of an array."""
        while base.kind in (CK.UNEXPOSED_EXPR, CK.PAREN_EXPR) and \
                len(list(base.get_children())) == 1:
            base = list(base.get_children())[0]
        t = base.type.get_canonical()
        i = self.constant(index)
        return (t.kind == ci.TypeKind.CONSTANTARRAY and i is not None and
                0 <= i < t.element_count)

    def unary_op(self, c, kids):
        """The operator of a unary operator written in this file, or None."""
        if len(kids) != 1 or not (self.in_file(c) and self.in_file(kids[0])):
            return None
        s, e = c.extent.start.offset, c.extent.end.offset
        ks, ke = kids[0].extent.start.offset, kids[0].extent.end.offset
        if not s <= ks < ke <= e or (ks, ke) == (s, e):
            return None
        pre, post = self.text(s, ks).strip(), self.text(ke, e).strip()
        return pre + post if bool(pre) != bool(post) else None

    def obj_key(self, c):
        k = self.key(c)
        return None if k is None else ("object", k)

    def key(self, c):
        """What expression c computes, built from the syntax tree (never
        from text that a macro may have produced); None when unknown."""
        v = self.constant(c)
        if v is not None:
            return ("const", v)
        kids = list(c.get_children())
        if c.kind in (CK.UNEXPOSED_EXPR, CK.PAREN_EXPR) and len(kids) == 1:
            return self.key(kids[0])
        if c.kind == CK.DECL_REF_EXPR:
            d = c.referenced
            return None if d is None else ("var", d.spelling, d.hash)
        if c.kind == CK.CSTYLE_CAST_EXPR:
            inner = self.key(kids[-1]) if kids else None
            return None if inner is None else ("cast", c.type.get_canonical().spelling, inner)
        parts = tuple(self.key(k) for k in kids)
        if not parts or None in parts:
            return None
        if c.kind == CK.MEMBER_REF_EXPR:
            return None if c.referenced is None else \
                ("member", c.referenced.hash, self.is_pointer(kids[0])) + parts
        if c.kind == CK.ARRAY_SUBSCRIPT_EXPR:
            return ("index",) + parts
        if c.kind == CK.BINARY_OPERATOR:
            op = self.binary_op(c)
            return None if op is None else ("binary", op) + parts
        if c.kind == CK.UNARY_OPERATOR:
            op = self.unary_op(c, kids)
            return None if op is None else ("unary", op) + parts
        return None

    def constant(self, c):
        """The value of integer constant expression c, or None."""
        r = _lib().clang_Cursor_Evaluate(c)
        if not r:
            return None
        try:
            if _lib().clang_EvalResult_getKind(r) != 1:     # CXEval_Int
                return None
            if _lib().clang_EvalResult_isUnsignedInt(r):
                return _lib().clang_EvalResult_getAsUnsigned(r)
            return _lib().clang_EvalResult_getAsLongLong(r)
        finally:
            _lib().clang_EvalResult_dispose(r)

    def compound_assign(self, c, kids):
        op = self.binary_op(c)
        if op not in ASSIGN_SWAPS:
            return
        l, r = kids
        s, e = c.extent.start.offset, c.extent.end.offset
        lt = self.text(l.extent.start.offset, l.extent.end.offset)
        rt = self.text(r.extent.start.offset, r.extent.end.offset)
        for new in ASSIGN_SWAPS[op]:
            self.add("assign", s, e, "%s %s (%s)" % (lt, new, rt), cursor=c)

    def unary(self, c, kids):
        if not self.in_file(c) or len(kids) != 1 or not self.in_file(kids[0]):
            return
        s, e = c.extent.start.offset, c.extent.end.offset
        k = kids[0]
        ks, ke = k.extent.start.offset, k.extent.end.offset
        pre, post = self.text(s, ks).strip(), self.text(ke, e).strip()
        if pre in ("++", "--") and not post:
            self.add("incdec", s, e, ("--" if pre == "++" else "++") + self.text(ks, ke), cursor=c)
        elif post in ("++", "--") and not pre:
            self.add("incdec", s, e, self.text(ks, ke) + ("--" if post == "++" else "++"), cursor=c)
        elif pre in ("!", "~", "-") and not post:
            # !!x, not x: the truth value, as `!x` had, so the type stays int.
            alt = "!!(%s)" % self.text(ks, ke) if pre == "!" else "(%s)" % self.text(ks, ke)
            self.add("unary-del", s, e, alt, cursor=c)

    def literal(self, c):
        if not self.in_file(c):
            return
        s, e = c.extent.start.offset, c.extent.end.offset
        m = INT_LITERAL.match(self.text(s, e))
        if not m:
            return
        digits, suffix = m.group(1), m.group(2)
        value = int(digits, 0) if not re.fullmatch(r"0[0-7]+", digits) else int(digits, 8)
        hexa = digits[:2] in ("0x", "0X")
        news = [value + 1] + ([value - 1] if value > 0 else [])
        for v in news:
            self.add("const", s, e, ("0x%x" % v if hexa else "%d" % v) + suffix, cursor=c)

    def call(self, c):
        if not self.in_file(c):
            return
        args = list(c.get_arguments())
        if len(args) < 2 or not all(self.in_file(a) for a in args):
            return
        s, e = c.extent.start.offset, c.extent.end.offset
        for i in range(len(args) - 1):
            a, b = args[i], args[i + 1]
            a0, a1, b0, b1 = (a.extent.start.offset, a.extent.end.offset,
                              b.extent.start.offset, b.extent.end.offset)
            if not (s < a0 < a1 < b0 < b1 <= e) or self.text(a1, b0).strip() != ",":
                continue
            if underlying_type(a) != underlying_type(b):
                continue
            alt = (self.text(s, a0) + self.text(b0, b1) + self.text(a1, b0) +
                   self.text(a0, a1) + self.text(b1, e))
            self.add("swap-args", s, e, alt, cursor=c)


_LIB = []


def _lib():
    """libclang with the constant evaluation calls that python3-clang-14
    does not declare."""
    if not _LIB:
        lib = ci.conf.lib
        for name, args, res in (
                ("clang_Cursor_Evaluate", [ci.Cursor], ctypes.c_void_p),
                ("clang_EvalResult_getKind", [ctypes.c_void_p], ctypes.c_int),
                ("clang_EvalResult_isUnsignedInt", [ctypes.c_void_p], ctypes.c_uint),
                ("clang_EvalResult_getAsUnsigned", [ctypes.c_void_p], ctypes.c_ulonglong),
                ("clang_EvalResult_getAsLongLong", [ctypes.c_void_p], ctypes.c_longlong),
                ("clang_EvalResult_dispose", [ctypes.c_void_p], None)):
            f = getattr(lib, name)
            f.argtypes, f.restype = args, res
        _LIB.append(lib)
    return _LIB[0]


def underlying_type(c):
    while c.kind == CK.UNEXPOSED_EXPR and len(list(c.get_children())) == 1:
        c = list(c.get_children())[0]
    return c.type.get_canonical().spelling


# ---- schemata ----

def render(fm, live):
    """The schemata text of one file and, per mutant id, the [start, end)
    of its alternative in that text (for blaming compile errors)."""
    sites = {}
    for m in live:
        sites.setdefault((m.start, m.end, 0 if m.deletion else 1), []).append(m)
    # Outer sites first; equal starts: the longer one is outside, and a
    # deletion is outside an expression of the same extent.
    order = sorted(sites, key=lambda k: (k[0], -k[1], k[2]))
    rendered = set()
    out = ["extern _Bool pf_mut_on[];\n"]
    pos = [len(out[0])]
    spans = {}
    ends = {}
    guards = {}

    def emit(t):
        out.append(t)
        pos[0] += len(t)

    def copy(a, b, inner):
        """Original text [a, b) with the sites in `inner` (sorted, nested
        inside it) rendered."""
        i = 0
        cur = a
        while i < len(inner):
            s, e = inner[i][:2]
            if s < cur:             # overlaps a site already rendered: skip
                i += 1
                continue
            emit(fm.text(cur, s))
            j = i + 1
            nested = []
            while j < len(inner) and inner[j][0] < e:
                if inner[j][1] <= e:
                    nested.append(inner[j])
                j += 1
            site(inner[i], nested)
            cur = e
            i = j
        emit(fm.text(cur, b))

    def site(key, nested):
        site_start = pos[0]
        s, e = key[:2]
        ms = sites[key]
        rendered.update(m.id for m in ms)
        if ms[0].deletion:
            emit("{ if (!pf_mut_on[%d]) { " % ms[0].id)
            copy(s, e, nested)
            emit(" } }")
            ends[pos[0]] = ms[0].id
            guards[key] = (site_start, pos[0], [ms[0].id])
            return
        # The alternatives take the original's type, so `?:` has one type;
        # a negated pointer is a truth value, and then so is everything.
        truth = any(m.kind == "negate" and m.pointer for m in ms)
        emit("(")
        for m in ms:
            a = pos[0]
            emit("pf_mut_on[%d] ? " % m.id)
            if truth:
                emit(m.alt if m.kind == "negate" else "!!(%s)" % m.alt)
            elif m.ctype:
                emit("(%s)(%s)" % (m.ctype, m.alt))
            else:
                emit("(%s)" % m.alt)
            spans[m.id] = (a, pos[0])
            emit(" : ")
        emit("!!(" if truth else "(")
        copy(s, e, nested)
        emit("))")
        guards[key] = (site_start, pos[0], [m.id for m in ms])

    copy(0, len(fm.raw), order)
    return "".join(out), spans, rendered, ends, guards


def direct(fm, m):
    """The file with only mutant m applied, as plain code."""
    alt = "{}" if m.deletion else "(" + m.alt + ")"
    return fm.text(0, m.start) + alt + fm.text(m.end, len(fm.raw))


def compile_errors(cc, cflags, text, name):
    """Error locations (line, col) of compiling text, [] when it compiles."""
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, name)
        with open(path, "w") as f:
            f.write(text)
        gcc = "gcc" in os.path.basename(cc)
        # gcc: some of its warnings (fall-through) come after parsing.
        mode = ["-c", "-o", os.devnull] if gcc else ["-fsyntax-only", "-ferror-limit=0"]
        cmd = [cc] + cflags + mode + [path]
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode == 0:
            return []
        if os.environ.get("MUTAGEN_VERBOSE"):
            sys.stderr.write("mutagen.py: %s %s:\n%s\n" % (cc, name, p.stderr[:3000]))
        locs = [(int(a), int(b)) for a, b in
                re.findall(re.escape(path) + r":(\d+):(\d+): (?:error|warning)", p.stderr)]
        return locs or [(0, 0)]


def offset_of(text, line, col):
    off = 0
    for _ in range(line - 1):
        off = text.index("\n", off) + 1
    return off + col - 1


def check_compiles(fm, ccs, cflags):
    """Mark the mutants whose schemata code does not compile as nocompile.
    An error inside a mutant's alternative blames that mutant; any other
    error is bisected over the mutants whose guard holds it or sits just
    after it (a deleted `break` makes the statement before it fall through),
    then over all of them."""
    name = os.path.basename(fm.path)
    if compile_errors(ccs[0] if ccs else "cc", cflags, fm.src, name) and ccs:
        raise SystemExit("mutagen.py: %s does not compile with %s even without mutants" %
                         (fm.path, ccs[0]))
    for cc in ccs:
        for _ in range(len(fm.mutants) + 1):
            live = [m for m in fm.mutants if m.status == "live"]
            text, spans, rendered, ends, guards = render(fm, live)
            for m in live:
                if m.id not in rendered:
                    m.status, m.reason = "nocompile", "site overlaps another"
            errs = compile_errors(cc, cflags, text, name)
            if not errs:
                break
            blamed, near = set(), set()
            for line, col in errs:
                if line == 0:
                    continue
                off = offset_of(text, line, col)
                inside = [i for i, (a, b) in spans.items() if a <= off < b]
                blamed.update(inside)
                if inside:
                    continue
                # A function's closing brace right after a deleted
                # statement: it was the return the function needs.
                before = text[:off].rstrip()
                if len(before) in ends and text[off:off + 1] == "}":
                    blamed.add(ends[len(before)])
                    continue
                for a, b, ids in guards.values():
                    if a <= off < b or off <= a < off + 400:
                        near.update(ids)
            if not blamed:
                blamed = bisect_blame(fm, live, near, cc, cflags, name)
            for m in fm.mutants:
                if m.id in blamed:
                    m.status, m.reason = "nocompile", os.path.basename(cc)


def bisect_blame(fm, live, near, cc, cflags, name):
    """The first mutant of `near` (or else of all) whose addition to the
    others breaks the build."""
    cand = [m for m in live if m.id in near]
    base = [m for m in live if m.id not in near]
    if not cand or compile_errors(cc, cflags, render(fm, base)[0], name):
        cand, base = live, []
    lo, hi = 0, len(cand)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if compile_errors(cc, cflags, render(fm, base + cand[:mid])[0], name):
            hi = mid
        else:
            lo = mid
    return {cand[lo].id}


SWITCH_C = """\
/* Generated by ci/measure/mutagen.py: the runtime switch of the mutant
 * schemata. PF_MUTANT=N (1..%(n)d) turns mutant N on; unset, empty or 0
 * runs the original program. Read once, before main. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#define PF_MUTANT_COUNT %(n)d
extern _Bool pf_mut_on[PF_MUTANT_COUNT + 1];
_Bool pf_mut_on[PF_MUTANT_COUNT + 1];

__attribute__((constructor)) static void pf_mutant_select(void)
{
    const char *v = getenv("PF_MUTANT");
    char *end;
    if (!v || !*v)
        return;
    errno = 0;
    unsigned long n = strtoul(v, &end, 10);
    if (errno || *end || v[0] == '-' || n > PF_MUTANT_COUNT) {
        fprintf(stderr, "pf_mutant: PF_MUTANT=%%s: want 0..%%d\\n", v, PF_MUTANT_COUNT);
        exit(2);
    }
    pf_mut_on[n] = 1;
}
"""


def one_line(t, limit=0):
    t = re.sub(r"\s+", " ", t).strip()
    return t if not limit or len(t) <= limit else t[:limit - 3] + "..."


def write_tsv(path, files):
    with open(path, "w") as f:
        f.write("id\tfile\tline\tcol\tfunction\tkind\tstatus\treason\toriginal\tmutated\n")
        for fm in files:
            for m in fm.mutants:
                orig = one_line(fm.text(m.start, m.end))
                alt = "(deleted)" if m.deletion else one_line(m.alt)
                f.write("%d\t%s\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n" % (
                    m.id, m.file, m.line, m.col, m.func, m.kind, m.status, m.reason,
                    orig.replace("\t", " "), alt.replace("\t", " ")))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="+")
    ap.add_argument("--out")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--direct", help="a mutant id, or all (DIR/m<ID>/ each)")
    ap.add_argument("--cc", action="append", default=[])
    ap.add_argument("--cflag", action="append", default=[])
    ap.add_argument("--root", default=".", help="file names in mutants.tsv are relative to it")
    a = ap.parse_args()
    if not a.list and not a.out:
        ap.error("--out DIR or --list")
    ci.Config.set_library_file(LIBCLANG)
    parse_flags = ["-std=gnu11"] + [f for f in a.cflag if f.startswith(("-I", "-D", "-std"))]
    files, next_id = [], 1
    for path in a.files:
        fm = FileMutants(path, parse_flags)
        fm.mutants.sort(key=lambda m: (m.start, -m.end, m.kind, m.alt))
        for m in fm.mutants:
            m.id = next_id
            m.file = os.path.relpath(path, a.root)
            next_id += 1
        files.append(fm)
    if a.list:
        for fm in files:
            for m in fm.mutants:
                alt = "(deleted)" if m.deletion else one_line(m.alt)
                print("%d\t%s:%d\t%s\t%s\t%s -> %s" % (m.id, m.file, m.line, m.kind, m.status,
                                                       one_line(fm.text(m.start, m.end)), alt))
        return 0
    os.makedirs(a.out, exist_ok=True)
    if a.direct is not None:
        for fm in files:
            for m in fm.mutants:
                if a.direct in ("all", str(m.id)):
                    d = os.path.join(a.out, "m%d" % m.id) if a.direct == "all" else a.out
                    os.makedirs(d, exist_ok=True)
                    write_if_changed(os.path.join(d, os.path.basename(fm.path)), direct(fm, m))
        return 0
    for fm in files:
        check_compiles(fm, a.cc, a.cflag)
        text = render(fm, [m for m in fm.mutants if m.status == "live"])[0]
        write_if_changed(os.path.join(a.out, os.path.basename(fm.path)), text)
    write_if_changed(os.path.join(a.out, "pf_mutant_switch.c"), SWITCH_C % {"n": next_id - 1})
    write_tsv(os.path.join(a.out, "mutants.tsv"), files)
    return 0


def write_if_changed(path, text):
    if os.path.exists(path) and open(path).read() == text:
        return
    with open(path, "w") as f:
        f.write(text)


if __name__ == "__main__":
    sys.exit(main())

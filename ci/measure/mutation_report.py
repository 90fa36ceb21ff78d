#!/usr/bin/python3
"""The tables of a ci/measure/mutation.sh run.

    mutation_report.py --mutants mutants.tsv --stages stages.tsv
                       --results results.tsv [--budget S] [--fast 0|1]
                       [--stages-run unit,replay,fuzz]

Joins the generator's list (mutants.tsv) with the stage results of the
mutants that ran (stages.tsv, one line per mutant from mutation.sh), writes
results.tsv (both, plus killed-by and time to kill) and prints the summary:
mutants generated and dropped, killed by the unit tests, by corpus replay,
by fuzzing, survived, per target and overall, and the survivors. Mutants
that ci/measure/equivalent-mutants.tsv declares equivalent (status `listed`
in mutants.tsv) are counted apart and left out of every score, also when
--ids ran them.
"""
import argparse
import statistics
import sys


def read_tsv(path):
    lines = [l.rstrip("\n").split("\t") for l in open(path) if l.strip()]
    head = lines[0]
    return head, [dict(zip(head, l)) for l in lines[1:]]


def stage_of(v):
    return v.split(":", 1)[0] if ":" in v else v


def pct(a, b):
    return "%5.1f%%" % (100.0 * a / b) if b else "    -"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mutants", required=True)
    ap.add_argument("--stages", required=True)
    ap.add_argument("--results", required=True)
    ap.add_argument("--budget", default="?")
    ap.add_argument("--fast", default="0")
    ap.add_argument("--stages-run", default="unit,replay,fuzz")
    a = ap.parse_args()
    ran_stages = a.stages_run.split(",")
    _, mutants = read_tsv(a.mutants)
    shead, stages = read_tsv(a.stages)
    targets = [h for h in shead[3:] if not h.endswith("_s")]
    by_id = {m["id"]: m for m in mutants}
    stages.sort(key=lambda r: int(r["id"]))

    rows = []
    for s in stages:
        m = by_id[s["id"]]
        kills = []          # (stage rank, seconds, how)
        errors = [v for v in [s["unit"]] + [s[t] for t in targets] if v == "error"]
        if s["unit"] not in ("survived", "error", "skipped"):
            kills.append((0, float(s["unit_s"]), s["unit"]))
        for t in targets:
            v = s[t]
            if v.startswith(("replay:", "fuzz:")):
                rank = 1 if v.startswith("replay:") else 2
                kills.append((rank, float(s[t + "_s"]), t + " " + v))
        target_kill = [k for k in kills if k[0] > 0]
        first = min(kills) if kills else None
        killed_by = ["unit tests", "corpus replay", "fuzzing"][first[0]] if first else \
            "error" if errors else "survived"
        row = dict(m)
        row.update(s)
        row["killed_by"] = killed_by
        row["how"] = first[2] if first else "-"
        row["time_to_kill_s"] = "%.1f" % first[1] if first else "-"
        row["targets_kill"] = min(target_kill)[2] if target_kill else \
            "error" if errors else "survived"
        row["targets_time_s"] = "%.1f" % min(target_kill)[1] if target_kill else "-"
        rows.append(row)

    cols = (["id", "file", "line", "function", "kind", "original", "mutated", "unit", "unit_s"] +
            [c for t in targets for c in (t, t + "_s")] +
            ["killed_by", "how", "time_to_kill_s", "targets_kill", "targets_time_s"])
    with open(a.results, "w") as f:
        f.write("\t".join(cols) + "\n")
        for r in rows:
            f.write("\t".join(r.get(c, "") for c in cols) + "\n")

    out = sys.stdout
    status = {}
    for m in mutants:
        status[m["status"]] = status.get(m["status"], 0) + 1
    out.write("Mutation analysis of model/*.c (stages %s, budget %ss per target%s)\n\n" %
              (a.stages_run, a.budget,
               ", --fast: a mutant stops at its first kill" if a.fast == "1" else ""))
    out.write("generated %d: live %d, dropped %d (does not compile %d, equivalent %d, "
              "listed equivalent %d)\n" % (
                  len(mutants), status.get("live", 0), len(mutants) - status.get("live", 0),
                  status.get("nocompile", 0), status.get("equivalent", 0),
                  status.get("listed", 0)))
    reasons = {}
    for m in mutants:
        if m["status"] == "equivalent":
            reasons[m["reason"]] = reasons.get(m["reason"], 0) + 1
    if reasons:
        out.write("  equivalent: %s\n" % ", ".join(
            "%s %d" % kv for kv in sorted(reasons.items(), key=lambda kv: -kv[1])))
    if status.get("listed"):
        out.write("  listed equivalent: ci/measure/equivalent-mutants.tsv\n")
    nerr = sum(1 for r in rows if r["killed_by"] == "error")
    nlisted = sum(1 for r in rows if r["status"] == "listed")
    rows_all = rows
    rows = [r for r in rows if r["killed_by"] != "error" and r["status"] == "live"]
    n = len(rows)
    left = []
    if nerr:
        left.append("%d: a binary could not run (error in results.tsv)" % nerr)
    if nlisted:
        left.append("%d: listed equivalent" % nlisted)
    out.write("ran %d mutant(s)%s\n\n" % (
        len(rows_all), ", left out " + "; ".join(left) if left else ""))
    counts = {k: sum(1 for r in rows if r["killed_by"] == k)
              for k in ("unit tests", "corpus replay", "fuzzing", "survived")}
    out.write("overall (first stage that kills):\n")
    for k, v in counts.items():
        out.write("  %-15s %5d  %s\n" % (k, v, pct(v, n)))
    killed = n - counts["survived"]
    out.write("  mutation score  %d/%d = %s\n" % (killed, n, pct(killed, n).strip()))
    tk = sum(1 for r in rows if r["targets_kill"] != "survived")
    out.write("  by the fuzz targets alone (replay or fuzzing): %d/%d = %s\n\n" %
              (tk, n, pct(tk, n).strip()))

    out.write("%-22s %7s %7s %7s %8s %7s %8s\n" %
              ("stage/target", "replay", "fuzz", "surv", "skipped", "score", "median_s"))
    unit_k = [r for r in rows if r["unit"].startswith("unit:")]
    if "unit" in ran_stages:
        out.write("%-22s %7s %7s %7d %8s %7s %8s\n" % (
            "unit tests", "-", "-", n - len(unit_k), "-", pct(len(unit_k), n),
            "%.1f" % statistics.median(float(r["unit_s"]) for r in unit_k) if unit_k else "-"))
    for t in targets:
        rep = [r for r in rows if r[t].startswith("replay:")]
        fz = [r for r in rows if r[t].startswith("fuzz:")]
        sk = sum(1 for r in rows if r[t] == "skipped")
        sv = sum(1 for r in rows if r[t] == "survived")
        ran = n - sk
        times = [float(r[t + "_s"]) for r in rep + fz]
        out.write("%-22s %7d %7d %7d %8d %7s %8s\n" % (
            t, len(rep), len(fz), sv, sk, pct(len(rep) + len(fz), ran),
            "%.1f" % statistics.median(times) if times else "-"))
    out.write("\n%-10s %5s %9s %9s\n" % ("kind", "ran", "targets", "any"))
    for kind in sorted({r["kind"] for r in rows}):
        rk = [r for r in rows if r["kind"] == kind]
        out.write("%-10s %5d %9d %9d\n" % (
            kind, len(rk), sum(1 for r in rk if r["targets_kill"] != "survived"),
            sum(1 for r in rk if r["killed_by"] != "survived")))
    hows = {}
    for r in rows:
        if r["how"] != "-":
            h = r["how"].split(" ", 1)[-1].split(":", 1)[-1]
            hows[h] = hows.get(h, 0) + 1
    out.write("\nhow the first kill happened: %s\n" %
              ", ".join("%s %d" % kv for kv in sorted(hows.items(), key=lambda kv: -kv[1])))

    surv = [r for r in rows if r["targets_kill"] == "survived"]
    out.write("\nsurvivors of every fuzz target (%d; killed by the unit tests marked *):\n" %
              len(surv))
    for r in surv:
        mark = "*" if r["unit"].startswith("unit:") else " "
        out.write("%s %5s %s:%s %s [%s] `%s` -> `%s`\n" % (
            mark, r["id"], r["file"], r["line"], r["function"], r["kind"],
            short(r["original"]), short(r["mutated"])))
    return 0


def short(t, n=70):
    return t if len(t) <= n else t[:n - 3] + "..."


if __name__ == "__main__":
    sys.exit(main())

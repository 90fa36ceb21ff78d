#!/usr/bin/env bash
# Writes report.html into a campaign folder of ci/fuzz.sh (which runs it at
# the end of every campaign; run it by hand to render one again).
#
#   ci/fuzz-report.sh [--reproducers DIR] CAMPAIGN_DIR
#
# Per target: coverage and exec/s over the campaign's time as SVG plots
# drawn by gnuplot from <target>/stats.tsv (<target>/coverage.svg,
# <target>/speed.svg), the summary row, and the crash groups of ci/triage.sh
# (<target>/triage.tsv) with links to each reproducer's input.txt, trace.txt,
# metadata and input.bin (reproducers outside the folder are linked by
# relative path). Crash files left untriaged are listed as such. A link to
# coverage/index.html when the campaign ran with --coverage. Plain HTML and
# CSS: it opens from disk, with no network and no script.
# --reproducers  the folder triage wrote to (default reproducers), only for
#                the note on where reproducers live
# Exit status: 0 written, 1 could not write it, 2 bad usage or not a
# campaign folder.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"

usage() { pf_usage "$@"; }
die() { echo "fuzz-report: $1" >&2; exit "${2:-2}"; }
repro=reproducers
dir=""
while [ $# -gt 0 ]; do
    case "$1" in
        --reproducers) [ $# -ge 2 ] || die "--reproducers needs a value"; repro=$2; shift 2 ;;
        -h|--help) usage 0 ;;
        -*) echo "fuzz-report: unknown option '$1'" >&2; usage ;;
        *) [ -z "$dir" ] || die "one campaign folder only"; dir=$1; shift ;;
    esac
done
[ -n "$dir" ] || { echo "fuzz-report: no campaign folder given" >&2; usage; }
[ -f "$dir/campaign.conf" ] || die "$dir is not a campaign folder (no campaign.conf)"
dir=$(cd "$dir" && pwd)
[ -d "$repro" ] && repro=$(cd "$repro" && pwd)
mapfile -t targets < <(sed -n 's/^targets=//p' "$dir/campaign.conf" | tail -1 | tr ' ' '\n' | sed '/^$/d')
command -v gnuplot >/dev/null || echo "fuzz-report: no gnuplot (ci/install-deps.sh installs gnuplot-nox): no plots" >&2

esc() { sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g'; }
rel() { realpath -m --relative-to="$dir" "$1"; }

# plots TARGET_DIR: coverage.svg and speed.svg from stats.tsv, one line per
# engine. Prints the names of the files it drew.
plots() {
    local d=$1 e engines=() cov="" speed="" ft=""
    [ -s "$d/stats.tsv" ] && command -v gnuplot >/dev/null || return 0
    mapfile -t engines < <(awk -F'\t' '!/^#/ { print $2 }' "$d/stats.tsv" | sort -u)
    [ ${#engines[@]} -gt 0 ] || return 0
    for e in "${engines[@]}"; do
        awk -F'\t' -v e="$e" '!/^#/ && $2 == e' "$d/stats.tsv" >"$d/stats-$e.dat"
        cov+="${cov:+, }'$d/stats-$e.dat' using 1:6 with lines lw 2 title '$e edges'"
        [ "$e" != libfuzzer ] || ft+=", '$d/stats-$e.dat' using 1:7 axes x1y2 with lines lw 2 dt 2 title '$e features (right)'"
        speed+="${speed:+, }'$d/stats-$e.dat' using 1:5 with lines lw 2 title '$e exec/s'"
    done
    gnuplot <<EOF >"$d/gnuplot.log" 2>&1 || { echo "fuzz-report: gnuplot failed, see $d/gnuplot.log" >&2; return 0; }
set terminal svg size 640,320 font "sans,11" background rgb "white"
set datafile separator "\t"
set key bottom right
set grid
set xlabel "seconds of fuzzing (all sessions)"
set yrange [0:*]
set output "$d/coverage.svg"
set ylabel "coverage"
$( [ -z "$ft" ] || echo 'set y2tics; set y2label "features"; set y2range [0:*]' )
plot $cov$ft
unset y2tics; unset y2label
set output "$d/speed.svg"
set ylabel "executions per second"
plot $speed
EOF
    rm -f "$d"/stats-*.dat
    echo coverage.svg speed.svg
}

summary_rows() { # TARGET: its rows of summary.tsv as table rows
    [ -f "$dir/summary.tsv" ] || return 0
    awk -F'\t' -v t="$1" '
        function h(s) { gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s); return s }
        NR > 1 && $1 == t {
            printf "<tr><td>%s</td><td>%s s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s%s</td></tr>\n",
                   h($2), h($4), h($5), h($6), h($9), h($10), h($11), h($12), ($15 == "" ? "-" : h($15)), h($13),
                   ($14 == "done" ? "" : " (" h($14) ")") }' "$dir/summary.tsv"
}

crash_groups() { # TARGET_DIR
    local d=$1 grp t state inputs bytes minb result rep flaky f links
    if [ ! -s "$d/triage.tsv" ]; then
        local n
        n=$(find "$d/crashes" -maxdepth 1 -type f 2>/dev/null | wc -l)
        [ "$n" -eq 0 ] && { echo "<p>No crash.</p>"; return; }
        echo "<p class=warn>$n crash file(s) in <a href=\"$(rel "$d/crashes")\">crashes/</a>, not triaged" \
             "(run <code>ci/triage.sh $(echo "$d/crashes" | esc)</code>).</p>"
        return
    fi
    echo "<table class=crashes><tr><th>group</th><th>crash state</th><th>inputs</th><th>bytes</th><th>result</th><th>reproducer</th></tr>"
    while IFS=$'\t' read -r grp t state inputs bytes minb result rep flaky; do
        [ "$grp" != group ] || continue
        links=""
        for f in input.txt trace.txt metadata input.bin; do
            [ -e "$rep/$f" ] && links+="<a class=repro href=\"$(rel "$rep/$f" | esc)\">$f</a> "
        done
        [ -n "$links" ] || links="(no reproducer files at $(echo "$rep" | esc))"
        printf '<tr><td>%s</td><td><code>%s</code></td><td>%s</td><td>%s &rarr; %s</td><td class=%s>%s%s</td><td>%s<br><small>%s</small></td></tr>\n' \
            "$grp" "$(echo "$state" | esc)" "$inputs" "$bytes" "$minb" "$result" "$result" \
            "$([ "$flaky" = no ] || echo " (flaky: $(echo "$flaky" | esc))")" "$links" "$(basename "$rep" | esc)"
    done <"$d/triage.tsv"
    echo "</table>"
}

target_section() { # TARGET
    local t=$1 d=$dir/$1 svgs
    echo "<section id=\"$t\"><h2>$t</h2>"
    if [ -f "$dir/summary.tsv" ] && grep -q "^$t	" "$dir/summary.tsv"; then
        echo "<table><tr><th>engine</th><th>time</th><th>execs</th><th>exec/s</th><th>cov</th><th>ft</th><th>corpus</th><th>crashes</th><th>over-inval</th><th>violations</th></tr>"
        summary_rows "$t"
        echo "</table>"
    fi
    svgs=$(plots "$d")
    if [ -n "$svgs" ]; then
        echo "<div class=plots>"
        for s in $svgs; do echo "<img class=plot src=\"$t/$s\" alt=\"$t ${s%.svg} over time\">"; done
        echo "</div>"
    else
        echo "<p class=warn>No plot: no progress samples in $t/stats.tsv, or no gnuplot.</p>"
    fi
    echo "<h3>Crash groups</h3>"
    crash_groups "$d"
    echo "<p><a href=\"$t/corpus\">pruned corpus</a> &middot; <a href=\"$t/logs\">logs</a></p></section>"
}

page() {
    local conf
    conf=$(grep -v '^targets=' "$dir/campaign.conf" | paste -sd' ' - | esc)
    cat <<EOF
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>pasidfuzz campaign $(basename "$dir" | esc)</title>
<style>
body { font-family: sans-serif; margin: 1.5em; max-width: 1400px; color: #222; }
table { border-collapse: collapse; margin: .5em 0; }
td, th { border: 1px solid #bbb; padding: .2em .5em; text-align: left; vertical-align: top; }
th { background: #eee; }
.plots img { width: 640px; max-width: 48%; border: 1px solid #ddd; margin: .2em; }
.warn { color: #a60; }
td.new, td.regression { color: #b00; font-weight: bold; }
section { border-top: 2px solid #ccc; margin-top: 1.5em; }
code { font-size: 90%; }
</style></head><body>
<h1>pasidfuzz campaign <code>$(basename "$dir" | esc)</code></h1>
<p>$conf &middot; <a href="summary.txt">summary.txt</a> &middot; <a href="summary.tsv">summary.tsv</a>
$( [ -f "$dir/coverage/index.html" ] && echo '&middot; <a id=coverage href="coverage/index.html">llvm-cov HTML of the pruned corpora</a>' )</p>
<p>Reproducers are filed under <code>$(echo "$repro" | esc)</code>; replay one with
<code>build/dev/bin/&lt;target&gt; --trace &lt;reproducer&gt;/input.bin</code>.</p>
<p>Targets: $(for t in "${targets[@]}"; do printf '<a href="#%s">%s</a> ' "$t" "$t"; done)</p>
EOF
    for t in "${targets[@]}"; do target_section "$t"; done
    echo "</body></html>"
}

if ! page >"$dir/report.html.new"; then
    rm -f "$dir/report.html.new"
    die "cannot write $dir/report.html (disk full?)" 1
fi
mv "$dir/report.html.new" "$dir/report.html"
echo "fuzz-report: $dir/report.html"

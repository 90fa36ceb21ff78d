#!/usr/bin/env bash
# ci/fuzz-report.sh on a small campaign folder in ci/fuzz.sh's layout (two
# targets with progress samples, one crash group filed by triage), rendered
# in headless Chromium: the DOM must hold both plots of every target (SVG
# files gnuplot drew), and links to the reproducer's input.txt, trace.txt
# and metadata that resolve to those files; the page must need no script.
# The screenshot stays in BUILD_DIR/campaign_report.png.
#
#   tests/campaign_report.sh SOURCE_DIR BUILD_DIR
# Exit status: 0 pass, 1 fail, 77 skipped (no chromium or gnuplot: the
# reason is printed; ci/install-deps.sh installs both).
set -euo pipefail
src=$1 build=$2
for tool in chromium gnuplot; do
    command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed (ci/install-deps.sh installs it)"; exit 77; }
done
work=$build/campaign-report-test
rm -rf "$work" && mkdir -p "$work"
camp=$work/fuzz-tiny repro=$work/reproducers
fail=0
check() { if "${@:2}"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }

# The campaign: two targets; the second has one crash group whose
# reproducer is a folder as ci/triage.sh writes it.
t1=fuzz_pasid_cache t2=fuzz_pasid_table
mkdir -p "$camp/$t1/corpus" "$camp/$t2/corpus" "$camp/$t2/crashes" "$repro/$t2/libfuzzer-0badc0de"
printf 'engine=libfuzzer\njobs=2\nlfmode=jobs\ntargets=%s %s\nsessions=1\n' "$t1" "$t2" >"$camp/campaign.conf"
for t in $t1 $t2; do
    crashed=0; [ "$t" = "$t2" ] && crashed=1
    printf '#elapsed\tengine\tsession\texecs\texec_s\tcov\tft\tcorpus\tcrashes\tids\n' >"$camp/$t/stats.tsv"
    for s in 1 2 3 4 5 6; do
        printf '%d\tlibfuzzer\t1\t%d\t%d\t%d\t%d\t%d\t%d\t-\n' $((s * 5)) $((s * 50000)) $((9000 + s * 100)) \
            $((700 + s * 5)) $((3000 + s * 200)) $((100 + s * 30)) $(( crashed && s > 3 ? 1 : 0 )) >>"$camp/$t/stats.tsv"
    done
done
printf 'target\tengine\tsession\tsecs\texecs\texec_s\tcpu_s\tjobs\tcov\tft\tcorpus\tcrashes\tviolations\tstatus\n%s\tlibfuzzer\t1\t30\t300000\t10000\t59.0\t2\t730\t4200\t280\t0\t-\tdone\n%s\tlibfuzzer\t1\t30\t300000\t10000\t59.0\t2\t730\t4200\t280\t1\tbind-deleted x1\tdone\n' \
    "$t1" "$t2" >"$camp/summary.tsv"
rep=$repro/$t2/libfuzzer-0badc0de
printf 'raw 00 11\n' >"$rep/input.txt"
printf '\x00\x11' >"$rep/input.bin"
printf 'op 0: ...\npasidfuzz: VIOLATION bind-deleted: <detail & more>\n' >"$rep/trace.txt"
printf 'target: %s\ncrash-state: VIOLATION bind-deleted | hb_check_bind | hb_attach | hb_op_attach\nexpected: open\n' "$t2" >"$rep/metadata"
cp "$rep/input.bin" "$camp/$t2/crashes/crash-0badc0de"
printf 'group\ttarget\tcrash_state\tinputs\tbytes\tmin_bytes\tresult\treproducer\tflaky\n1\t%s\tVIOLATION bind-deleted | hb_check_bind | hb_attach | hb_op_attach\t1\t40\t2\tnew\t%s\tno\n' \
    "$t2" "$rep" >"$camp/$t2/triage.tsv"

bash "$src/ci/fuzz-report.sh" --reproducers "$repro" "$camp"
check "report.html written" test -s "$camp/report.html"

# Chromium: no network, no profile, nothing kept but the outputs.
chrome() {
    local profile rc=0
    profile=$(mktemp -d)
    timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" "$@" "file://$camp/report.html" 2>"$work/chromium.err" || rc=$?
    rm -rf "$profile"
    return $rc
}
chrome --dump-dom >"$work/dom.html"
chrome --window-size=1300,2000 --screenshot="$build/campaign_report.png" >/dev/null
check "screenshot kept in $build/campaign_report.png" test -s "$build/campaign_report.png"
check "the page has no script" bash -c "! grep -qi '<script' '$camp/report.html'"

# Every plot in the rendered DOM, each an SVG file with drawn lines.
for t in $t1 $t2; do
    for p in coverage speed; do
        check "$t $p plot in the DOM" grep -q "<img[^>]*src=\"$t/$p.svg\"" "$work/dom.html"
        check "$t/$p.svg is a gnuplot SVG with lines" \
            bash -c "grep -q '<svg' '$camp/$t/$p.svg' && grep -q '<path' '$camp/$t/$p.svg'"
    done
done
# The crash group: its state, escaped, and links that resolve.
check "crash state shown" grep -q 'VIOLATION bind-deleted | hb_check_bind' "$work/dom.html"
for f in input.txt trace.txt metadata; do
    href=$(grep -o "<a class=\"repro\" href=\"[^\"]*$f\"" "$work/dom.html" | sed 's/.*href="//; s/"$//' || true)
    check "link to the reproducer's $f" test -n "$href"
    [ -z "$href" ] || check "$f link resolves to the reproducer" test "$(realpath "$camp/$href")" = "$(realpath "$rep/$f")"
done
check "no crash group for $t1" bash -c "sed -n '/id=\"$t1\"/,/<\/section>/p' '$work/dom.html' | grep -q 'No crash'"
[ $fail -eq 0 ] || { echo "see $work and $work/chromium.err"; exit 1; }
echo "campaign_report: all checks passed"

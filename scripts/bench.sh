#!/usr/bin/env bash
# Benchmark: reportgen against the Typst CLI, measured in the same run, and batches at scale.
#
#   scripts/bench.sh                      (needs hyperfine, typst-cli 0.15 and GNU time; installs them)
#   SIZES="200 1000 3000" JOBS=2 scripts/bench.sh
#   INSTR=0 scripts/bench.sh              (skip the instruction counts, which need valgrind)
#
# 1. One report: `build` (all formats, and PDF only) against `typst compile` of the same report's
#    `-f typst` bundle, wall time by hyperfine, as ratios (same run, same machine).
# 2. The same as instruction counts (valgrind's callgrind), which a loaded machine does not disturb:
#    a cold single build, the Typst CLI, and the cost of one more report in a warm batch.
# 3. Batches of SIZES distinct reports (scripts/corpus.py: every paragraph and table differs), all
#    formats, --jobs JOBS (default: the cores): wall, reports/s, peak memory (RSS), and the peak
#    relative to the smallest batch; then one batch of the old benchmark's corpus (only the agency
#    renamed), for comparison with earlier figures.
# The results end with a Markdown table for the README. Nothing here is asserted: speed is measured,
# never tested.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
command -v typst >/dev/null || cargo install typst-cli --version 0.15.1 --locked
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
cargo build --release --quiet
bin=$(realpath "${CARGO_TARGET_DIR:-target}/release/reportgen")
sizes=${SIZES:-200 1000 3000}
jobs=${JOBS:-$(nproc)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
data=examples/suizhong-2023.yaml

"$bin" build "$data" -f typst -o "$work" 2>/dev/null
bundle="$work/suizhong-2023-typst"
typst_cli="typst compile --ignore-system-fonts --font-path fonts main.typ $work/c.pdf"

echo "== one report against the Typst CLI (wall time)"
hyperfine --warmup 3 --runs 20 --export-json "$work/one.json" --style basic \
  -n "reportgen html,md,pdf" "$bin build $data -f html,md,pdf -o $work/a" \
  -n "reportgen pdf" "$bin build $data -f pdf -o $work/b" \
  -n "typst-cli pdf" "cd $bundle && $typst_cli" >/dev/null

instr_one="" instr_pdf="" instr_cli="" instr_more=""
if [ "${INSTR:-1}" = 1 ] && command -v valgrind >/dev/null; then
  echo "== instruction counts (callgrind)"
  count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null | sed -n 's/.*Collected : //p'; }
  instr_one=$(count "$bin" build "$data" -o "$work/i1")
  instr_pdf=$(count "$bin" build "$data" -f pdf -o "$work/i2")
  instr_cli=$(cd "$bundle" && count $typst_cli)
  # One more report in a warm batch: (batch of 20 − batch of 10) / 10, one job.
  python3 scripts/corpus.py 20 "$work/i20" >/dev/null
  mkdir -p "$work/i10" && cp "$work"/i20/r0000[0-9].yaml "$work/i10/"
  b10=$(count "$bin" build "$work/i10" -j 1 -o "$work/i3")
  b20=$(count "$bin" build "$work/i20" -j 1 -o "$work/i4")
  instr_more=$(( (b20 - b10) / 10 ))
fi

echo "== batches (--jobs $jobs)"
: > "$work/batches.txt"
batch() { # name, corpus flag, size
  local dir="$work/corpus-$1-$3"
  python3 scripts/corpus.py "$3" "$dir" $2 >/dev/null
  rm -rf "$work/out"
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$bin" build "$dir" -j "$jobs" -o "$work/out" 2>/dev/null
  local n; n=$(find "$work/out" -name '*.pdf' | wc -l)
  [ "$n" = "$3" ] || { echo "batch $1 $3: $n PDFs written" >&2; exit 1; }
  echo "$1 $3 $(cat "$work/time.txt") $load" | tee -a "$work/batches.txt"
  rm -rf "$work/out" "$dir"
}
for n in $sizes; do batch distinct "" "$n"; done
batch renamed --renamed 1000

python3 - "$work/one.json" "$work/batches.txt" "$jobs" "$instr_one" "$instr_pdf" "$instr_cli" "$instr_more" <<'PY'
import json, os, sys
one = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
t = lambda n: one[n]["mean"]
cli = t("typst-cli pdf")
jobs = sys.argv[3]
instr = [int(x) if x else None for x in sys.argv[4:8]]
print(f"\n{'one report':28} {'mean':>9} {'± σ':>8} {'vs typst-cli':>13}")
for n in one:
    c = lambda n: one[n]["user"] + one[n]["system"]
    print(f"{n:28} {t(n)*1000:7.1f}ms {one[n]['stddev']*1000:6.1f}ms {t(n)/cli:12.2f}×   CPU {c(n)*1000:6.1f}ms {c(n)/c('typst-cli pdf'):5.2f}×")
if instr[0]:
    i_one, i_pdf, i_cli, i_more = instr
    print(f"\ninstructions: build html,md,pdf {i_one/1e6:.0f} M ({i_one/i_cli:.2f}× typst-cli), "
          f"build pdf {i_pdf/1e6:.0f} M ({i_pdf/i_cli:.2f}×), typst-cli {i_cli/1e6:.0f} M; "
          f"one more report in a warm batch {i_more/1e6:.0f} M ({i_more/i_cli:.2f}×)")
rows = [l.split() for l in open(sys.argv[2])]
base = {}
print(f"\n| corpus | reports | wall | reports/s | CPU per report | reports/s, {jobs} idle cores | CPU vs typst-cli | peak memory | memory vs {rows[0][1]} | load before |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
cli_cpu = one["typst-cli pdf"]["user"] + one["typst-cli pdf"]["system"]
for corpus, n, wall, user, sys_, kb, load in rows:
    n, wall, cpu, mb = int(n), float(wall), float(user) + float(sys_), int(kb) / 1024
    base.setdefault(corpus, mb)
    rel = f"{mb / base['distinct']:.2f}×"
    # CPU-bound: on idle cores, the jobs share the CPU time (an estimate, labelled as such).
    idle = n / (cpu / min(int(jobs), os.cpu_count() or 1))
    print(f"| {corpus} | {n:,} | {wall:.1f} s | {n / wall:.1f} | {cpu / n * 1000:.0f} ms | {idle:.0f} | {cpu / n / cli_cpu:.2f}× | {mb:.0f} MB | {rel} | {load} |")
print(f"\n(--jobs {jobs}; batches in every default format: HTML, Markdown, PDF, DOCX. One report, HTML, Markdown and PDF: "
      f"{t('reportgen html,md,pdf')/cli:.2f}× the Typst CLI's wall time for the PDF alone"
      + (f", {instr[0]/instr[2]:.2f}× its instructions; one more report in a batch {instr[3]/instr[2]:.2f}×" if instr[0] else "")
      + ".)")
PY

echo "== DOCX against pandoc on the same report: writing (pandoc from our Markdown) and reading"
command -v pandoc >/dev/null || { apt-get update -qq && apt-get install -y -qq pandoc >/dev/null; }
"$bin" build "$data" -f md,docx -o "$work/x" 2>/dev/null
hyperfine --warmup 2 --runs 15 --export-json "$work/docx.json" --style basic \
  -n "reportgen docx" "$bin build $data -f docx -o $work/e" \
  -n "pandoc md to docx" "pandoc -f gfm -t docx -o $work/e.docx $work/x/suizhong-2023.md" \
  -n "reportgen import docx" "$bin import $work/x/suizhong-2023.docx -o $work/e.yaml" \
  -n "pandoc docx to plain" "pandoc -f docx -t plain -o $work/e.txt $work/x/suizhong-2023.docx" >/dev/null
python3 - "$work/docx.json" <<'PY'
import json, sys
d = {x["command"]: x["mean"] for x in json.load(open(sys.argv[1]))["results"]}
print(f"docx: write {d['reportgen docx']*1000:.1f} ms ({d['reportgen docx']/d['pandoc md to docx']:.2f}× pandoc from Markdown), "
      f"import {d['reportgen import docx']*1000:.1f} ms ({d['reportgen import docx']/d['pandoc docx to plain']:.2f}× pandoc reading it)")
PY

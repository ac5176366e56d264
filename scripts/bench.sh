#!/usr/bin/env bash
# Benchmark: reportgen against the Typst CLI, measured in the same run on the same report.
#   scripts/bench.sh            (needs hyperfine and typst-cli 0.15; installs them if missing)
# Prints wall times, ratios against the Typst CLI, a 200-report batch rate and peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
command -v typst >/dev/null || cargo install typst-cli --version 0.15.1 --locked
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-target}/release/reportgen
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
data=examples/suizhong-2023.yaml

"$bin" build "$data" -f typst -o "$work" 2>/dev/null
"$bin" build "$data" -f md,docx -o "$work/x" 2>/dev/null
bundle="$work/suizhong-2023-typst"

# A batch of 200 distinct reports (the two examples, each agency renamed).
mkdir -p "$work/batch"
for i in $(seq 1 100); do
  sed "s/^  agency: 绥中县人民政府/  agency: 绥中县人民政府${i}/" examples/suizhong-2023.yaml > "$work/batch/s$i.yaml"
  sed "s/^  agency: 示例市市场监督管理局/  agency: 示例市市场监督管理局${i}/" examples/shiyi-scjg-2024.yaml > "$work/batch/d$i.yaml"
done

hyperfine --warmup 2 --runs 15 --export-json "$work/bench.json" \
  -n "reportgen html,md,pdf" "$bin build $data -f html,md,pdf -o $work/a" \
  -n "reportgen pdf" "$bin build $data -f pdf -o $work/b" \
  -n "typst-cli pdf" "cd $bundle && typst compile --ignore-system-fonts --font-path fonts main.typ $work/c.pdf" \
  -n "reportgen batch 200 (html,md,pdf)" "$bin build $work/batch -f html,md,pdf -o $work/d"

# DOCX against pandoc on the same report: writing (pandoc from our Markdown) and reading.
command -v pandoc >/dev/null || { apt-get update -qq && apt-get install -y -qq pandoc >/dev/null; }
hyperfine --warmup 2 --runs 15 --export-json "$work/docx.json" \
  -n "reportgen docx" "$bin build $data -f docx -o $work/e" \
  -n "pandoc md to docx" "pandoc -f gfm -t docx -o $work/e.docx $work/x/suizhong-2023.md" \
  -n "reportgen import docx" "$bin import $work/x/suizhong-2023.docx -o $work/e.yaml" \
  -n "pandoc docx to plain" "pandoc -f docx -t plain -o $work/e.txt $work/x/suizhong-2023.docx"

peak() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
mem_one=$(peak "$bin" build "$data" -f html,md,pdf -o "$work/m1")
mem_batch=$(peak "$bin" build "$work/batch" -f html,md,pdf -o "$work/m2")
mem_typst=$(cd "$bundle" && peak typst compile --ignore-system-fonts --font-path fonts main.typ "$work/m3.pdf")

python3 - "$work/bench.json" "$mem_one" "$mem_batch" "$mem_typst" "$work/docx.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
d = {x["command"]: x["mean"] for x in json.load(open(sys.argv[5]))["results"]}
t = lambda n: r[n]["mean"]
cli = t("typst-cli pdf")
print()
print(f"{'command':38} {'mean':>9} {'ratio to typst-cli':>20}")
for n in r:
    print(f"{n:38} {t(n)*1000:8.1f}ms {t(n)/cli:19.2f}x")
batch = t("reportgen batch 200 (html,md,pdf)")
print(f"\nbatch: {200/batch:.1f} reports/s (target ≥ 25)")
print(f"peak memory: one report {int(sys.argv[2])/1024:.0f} MB, batch of 200 {int(sys.argv[3])/1024:.0f} MB, "
      f"typst-cli {int(sys.argv[4])/1024:.0f} MB (target < 200 MB)")
print(f"all three formats vs typst-cli PDF alone: {t('reportgen html,md,pdf')/cli:.2f}x (target ≤ 1)")
print(f"docx: write {d['reportgen docx']*1000:.1f}ms ({d['reportgen docx']/d['pandoc md to docx']:.2f}x pandoc from Markdown), "
      f"import {d['reportgen import docx']*1000:.1f}ms ({d['reportgen import docx']/d['pandoc docx to plain']:.2f}x pandoc reading it)")
PY

#!/usr/bin/env bash
# Memory of `reportgen serve` across many rebuilds (HTML, Markdown, PDF each time):
# resident memory after build 1, 10, 50 and N. Flat means Typst's caches are evicted
# after each rebuild. Every edit changes the title, so each build is new work. Usage: scripts/serve-memory.sh [N=100] [DATA=examples/suizhong-2023.yaml]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-100}"
src="${2:-examples/suizhong-2023.yaml}"
bin="${REPORTGEN:-target/release/reportgen}"
dir="$(mktemp -d)"
trap 'kill -INT "$pid" 2>/dev/null || true; sleep 1; rm -rf "$dir"' EXIT
cp "$src" "$dir/data.yaml"
"$bin" serve "$dir/data.yaml" --port 0 --lang en 2>"$dir/log" &
pid=$!
built() { grep -c ': built (' "$dir/log" || true; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
until [ "$(built)" -ge 1 ]; do sleep 0.1; done
printf 'build %4d: %6d KiB\n' 1 "$(rss)"
for i in $(seq 2 "$n"); do
  # A new title each time: new text in every output, so no rebuild is a cache hit.
  sed -i "s/^  title: .*/  title: 第${i}版2023年政府信息公开工作年度报告/" "$dir/data.yaml"
  until [ "$(built)" -ge "$i" ]; do sleep 0.05; done
  case "$i" in 10|50|"$n") printf 'build %4d: %6d KiB\n' "$i" "$(rss)" ;; esac
done
awk '/VmHWM/ {print "peak:       " $2 " KiB"}' "/proc/$pid/status"

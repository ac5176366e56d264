#!/usr/bin/env bash
# Benchmark: `reportgen import FILE.pdf` (the PDF read by its geometry, in the binary)
# against `pdftotext -layout` + `reportgen import` of its text, measured in the same run.
#   scripts/bench-pdf-import.sh [FILE.pdf ...]   (default: the corpus PDF and our Typst PDF)
# Needs hyperfine and poppler-utils; prints mean wall times and the ratio to the peer.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
command -v pdftotext >/dev/null || { apt-get update -qq && apt-get install -y -qq poppler-utils >/dev/null; }
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
cargo build --release --quiet
bin=$(realpath "${CARGO_TARGET_DIR:-target}/release/reportgen")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  "$bin" build examples/suizhong-2023.yaml -f pdf -o "$work" >/dev/null 2>&1
  files=(tests/fixtures/corpus/hongze-2024.pdf "$work/suizhong-2023.pdf")
fi
peak() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
for f in "${files[@]}"; do
  n=$(basename "$f" .pdf)
  # -i: the peer may fail to read a file (Chromium PDFs), its time is still measured.
  hyperfine -i --warmup 2 --runs 20 --export-json "$work/$n.json" \
    -n "reportgen import $n.pdf" "$bin import $f -o $work/$n-a.yaml" \
    -n "pdftotext -layout + import" "pdftotext -layout $f $work/$n.txt && $bin import $work/$n.txt -o $work/$n-b.yaml" \
    >/dev/null
  mem=$(peak "$bin" import "$f" -o "$work/$n-m.yaml")
  ok_ours=ok; "$bin" import "$f" -o "$work/$n-c.yaml" 2>/dev/null || ok_ours=FAILED
  ok_peer=ok; "$bin" import "$work/$n.txt" -o "$work/$n-d.yaml" 2>/dev/null || ok_peer=FAILED
  echo "$n.pdf: reportgen import $ok_ours, pdftotext -layout + import $ok_peer"
  python3 - "$work/$n.json" "$n" "$mem" <<'PY'
import json, sys
r = {x["command"]: x["mean"] for x in json.load(open(sys.argv[1]))["results"]}
ours, peer = r[f"reportgen import {sys.argv[2]}.pdf"], r["pdftotext -layout + import"]
print(f"{sys.argv[2]}.pdf: reportgen import {ours*1000:.1f} ms, pdftotext -layout + import {peer*1000:.1f} ms "
      f"(ratio {ours/peer:.2f}x); peak memory {int(sys.argv[3])/1024:.0f} MB")
PY
done

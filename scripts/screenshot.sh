#!/usr/bin/env bash
# Renders a report as a designer would look at it: the HTML in headless Chromium at
# desktop (1280 px) and phone (390 px) width and through its print stylesheet, and the
# PDF that reportgen typesets, page by page (pdftoppm).
#   scripts/screenshot.sh examples/suizhong-2023.yaml [OUT_DIR] [--templates DIR]
set -euo pipefail
data=${1:?usage: scripts/screenshot.sh DATA.yaml [OUT_DIR] [build options…]}
out=${2:-out/screenshots}
shift $(( $# >= 2 ? 2 : 1 ))
mkdir -p "$out"
cargo run --release --quiet -- build "$data" -o "$out" -f html,pdf "$@"
stem=$(basename "${data%.*}")
html=$(realpath "$out/$stem.html")
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chrome=(chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run
  --disable-background-networking --disable-component-update --disable-sync
  --user-data-dir="$profile" --hide-scrollbars)
"${chrome[@]}" --window-size=1280,4200 --screenshot="$out/$stem-desktop.png" "file://$html" 2>/dev/null
"${chrome[@]}" --window-size=390,5200 --screenshot="$out/$stem-phone.png" "file://$html" 2>/dev/null
"${chrome[@]}" --no-pdf-header-footer --print-to-pdf="$out/$stem-print.pdf" "file://$html" 2>/dev/null
if command -v pdftoppm >/dev/null; then
  pdftoppm -r 60 -png "$out/$stem-print.pdf" "$out/$stem-print"
  pdftoppm -r 80 -png "$out/$stem.pdf" "$out/$stem-pdf-page"
fi
ls -1 "$out" | grep "^$stem"

#!/usr/bin/env bash
# The review report on the fixture pair (fixtures/review/cnn_before.py -> cnn_after.py), made
# in a throwaway git repository: Markdown and HTML, and a screenshot of the HTML when a
# headless Chromium is installed (Debian: apt-get install chromium).
#   bash scripts/review_demo.sh [OUT_DIR]      (default: ./review-demo)
set -eu
here="$(cd "$(dirname "$0")/.." && pwd)"
out="$(mkdir -p "${1:-review-demo}" && cd "${1:-review-demo}" && pwd)"
repo="$(mktemp -d)"
trap 'rm -rf "$repo"' EXIT
git -C "$repo" init -q
cp "$here/fixtures/review/cnn_before.py" "$repo/model.py"
git -C "$repo" add model.py
git -C "$repo" -c user.email=demo@example.invalid -c user.name=demo commit -qm before
cp "$here/fixtures/review/cnn_after.py" "$repo/model.py"
git -C "$repo" -c user.email=demo@example.invalid -c user.name=demo commit -qam after
(cd "$repo" && archlint report --base HEAD~1 --output "$out/report.md" \
            && archlint report --base HEAD~1 --format html --output "$out/report.html")
echo "wrote $out/report.md and $out/report.html"
browser="$(command -v chromium || command -v chromium-browser || true)"
if [ -n "$browser" ]; then
    "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,1900 \
        --screenshot="$out/report.png" "file://$out/report.html" 2>/dev/null
    echo "wrote $out/report.png"
fi

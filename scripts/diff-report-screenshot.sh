#!/usr/bin/env bash
# Makes the screenshot of the HTML diff report that docs/auditing.md shows: fiscal 2025
# against 2026, a generated population, rendered by headless Chromium.
# Usage: scripts/diff-report-screenshot.sh [BUILD_DIR]   (default: build)
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-build}"
kijun="$here/$build/cli/kijun"
out="$here/docs/images"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

bash "$here/scripts/install-deps.sh"
mkdir -p "$out"
# Exit 1 means "the versions differ", which is the point here.
cd "$here"  # the report names the versions as given: keep them relative
"$kijun" diff rulesets/it-hojo/2025 rulesets/it-hojo/2026 --frame security \
  --generate 20000 --seed 1 --format html -o "$work/report.html" || [ $? -eq 1 ]
chromium --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
  --window-size=1200,1700 --screenshot="$out/diff-report.png" "file://$work/report.html" 2>/dev/null
echo "wrote docs/images/diff-report.png"

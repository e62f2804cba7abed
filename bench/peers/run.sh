#!/usr/bin/env bash
# kijun against GoRules ZEN on the same generated applicants (a benchmark, not a test: it
# needs node and npm, which CI does not). Run from the repository's top:
#
#   bench/peers/run.sh [N]      (default 100000)
set -euo pipefail
n=${1:-100000}
kijun=${KIJUN:-build/cli/kijun}
here=$(dirname "$0")
(cd "$here" && npm install --no-audit --no-fund --silent >/dev/null)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$kijun" generate rulesets/it-hojo/2026 --frame security --n "$n" --seed 7 > "$tmp/applicants.jsonl"
"$kijun" eval rulesets/it-hojo/2026 --frame security --input examples/it-hojo-2026/security.jsonl > /dev/null  # warm the cache
start=$(date +%s.%N)
"$kijun" eval rulesets/it-hojo/2026 --frame security --input "$tmp/applicants.jsonl" > "$tmp/kijun.jsonl" || true
end=$(date +%s.%N)
seconds=$(awk -v s="$start" -v e="$end" 'BEGIN { print e - s }')
node "$here/zen_bench.js" "$tmp/applicants.jsonl" "$tmp/kijun.jsonl" "$seconds"

#!/usr/bin/env bash
# End-to-end throughput of `kijun eval`: N applicants as JSON Lines in, result lines out,
# for each engine and thread count, in records per second. A benchmark, not a test.
#
#   bench/cli_throughput.sh [N]          (default 200000; run from the repository's top)
set -euo pipefail
n=${1:-200000}
kijun=${KIJUN:-build/cli/kijun}
ruleset=rulesets/it-hojo/2026
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The example applicants, repeated with distinct ids.
awk -v n="$n" 'NR == FNR { line[++count] = $0; next }
  END { for (i = 0; i < n; i++) { l = line[i % count + 1]; sub(/"id":"[^"]*"/, "\"id\":\"P" i "\"", l); print l } }' \
  examples/it-hojo-2026/security.jsonl examples/it-hojo-2026/security.jsonl > "$tmp/in.jsonl"
echo "kijun eval: $n applicants ($(du -h "$tmp/in.jsonl" | cut -f1) of JSON Lines), frame security"
"$kijun" eval "$ruleset" --frame security --input examples/it-hojo-2026/security.jsonl > /dev/null  # warm the JIT cache
printf '%-8s %8s %12s %14s\n' engine threads seconds records/s
for engine in jit interp; do
  for threads in 1 2; do
    start=$(date +%s.%N)
    "$kijun" eval "$ruleset" --frame security --engine "$engine" --threads "$threads" --input "$tmp/in.jsonl" > "$tmp/out.jsonl"
    end=$(date +%s.%N)
    lines=$(wc -l < "$tmp/out.jsonl")
    [ "$lines" -eq "$n" ] || { echo "expected $n lines, got $lines" >&2; exit 1; }
    awk -v e="$engine" -v t="$threads" -v s="$start" -v f="$end" -v n="$n" \
      'BEGIN { printf "%-8s %8d %12.2f %14.0f\n", e, t, f - s, n / (f - s) }'
  done
done

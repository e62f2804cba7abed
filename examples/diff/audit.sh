#!/usr/bin/env bash
# An auditor's diff, start to finish: what fiscal 2026 changed against 2025 and whom it
# affects, as text, JSON and a self-contained HTML page, written to OUT_DIR; then a CI
# gate that passes only when two versions decide alike (a ruleset against its own
# formatted copy). Usage: examples/diff/audit.sh KIJUN OUT_DIR
set -euo pipefail

kijun="$1"
out="$2"
here="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$here"
mkdir -p "$out"

# Exit status 1 means "the versions differ": that is the finding here, not a failure.
differ() {
  local status=0
  "$@" || status=$?
  [ "$status" -eq 1 ] || { echo "audit: expected exit 1 (the versions differ), got $status" >&2; return 1; }
}

differ "$kijun" diff rulesets/it-hojo/2025 rulesets/it-hojo/2026 --color never > "$out/2025-2026.txt"
differ "$kijun" diff rulesets/it-hojo/2025 rulesets/it-hojo/2026 --format json -o "$out/2025-2026.json"
differ "$kijun" diff rulesets/it-hojo/2025 rulesets/it-hojo/2026 --format html -o "$out/2025-2026.html"
# The auditor's own applicants, for the frame they applied to.
differ "$kijun" diff rulesets/it-hojo/2025 rulesets/it-hojo/2026 --frame security \
  --population examples/it-hojo-2026/security.jsonl --color never > "$out/security-applicants.txt"

# A gate: a reformatted copy must decide every generated applicant as the original does.
copy="$(mktemp -d)"
trap 'rm -rf "$copy"' EXIT
cp rulesets/it-hojo/2026/*.kj "$copy/"
"$kijun" fmt --write "$copy"/*.kj > /dev/null
"$kijun" diff rulesets/it-hojo/2026 "$copy" --generate 5000 > "$out/formatted.txt"

echo "audit: wrote $(ls "$out" | wc -l) reports"

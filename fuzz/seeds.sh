#!/usr/bin/env bash
# Builds fuzz/corpus/<kind>/ (one folder of seed inputs per kind of reader, see `groundcrew-fuzz --list`) from the
# repository's examples, the test fixtures, the shared corpus (../shared/corpus, when present) and fuzz/seeds/.
# Small files only (AFL works best on seeds of a few KB), at most MAX per kind, smallest first.
set -euo pipefail
cd "$(dirname "$0")/.."
out=fuzz/corpus
max=${MAX_SEEDS:-120}
maxbytes=${MAX_SEED_BYTES:-16384}
shared=${GROUNDCREW_CORPUS:-$(cd .. && pwd)/shared/corpus}
sources=(examples tests/Groundcrew.Tests)
[ -d "$shared" ] && sources+=("$shared")
rm -rf "$out" && mkdir -p "$out"

# kind, then a find expression; an optional grep -l filter after "--grep".
pick() {
  local kind=$1; shift
  local filter=""
  if [ "${1:-}" = "--grep" ]; then filter=$2; shift 2; fi
  mkdir -p "$out/$kind"
  # A fixed pseudo-random sample (same files on every run), so that seeds are varied and not just the smallest files.
  { find "${sources[@]}" -type f -size +16c -size -"${maxbytes}"c \( "$@" \) -not -path '*/bin/*' -not -path '*/obj/*' -print0 2>/dev/null |
    { if [ -n "$filter" ]; then xargs -0 -r grep -lZE -- "$filter" 2>/dev/null || true; else cat; fi; } |
    sort -z -R --random-source=<(yes groundcrew) | head -z -n "$max" |
    while IFS= read -r -d '' f; do cp "$f" "$out/$kind/$(printf '%s' "$f" | md5sum | cut -c1-12)"; done; } || true
  if [ -d "fuzz/seeds/$kind" ]; then cp fuzz/seeds/"$kind"/* "$out/$kind/"; fi
  echo "$kind: $(ls "$out/$kind" | wc -l) seeds"
}

pick yaml -name '*.yaml' -o -name '*.yml'
pick json -name '*.json'
pick hcl -name '*.tf' -o -name '*.tfvars'
pick tfplan --grep '"planned_values"|"resource_changes"' -name '*.json'
pick cfn --grep 'AWSTemplateFormatVersion|AWS::[A-Za-z]+::' -name '*.yaml' -o -name '*.yml' -o -name '*.json' -o -name '*.template'
pick dockerfile -name 'Dockerfile*' -o -name '*.dockerfile' -o -name 'Containerfile'
pick js -name '*.js' -o -name '*.ts' -o -name '*.mjs' -o -name '*.cjs' -o -name '*.tsx' -o -name '*.jsx'
pick python -name '*.py'
pick npmlock -name 'package-lock.json' -o -name 'npm-shrinkwrap.json'
pick pnpmlock -name 'pnpm-lock.yaml'
pick yarnlock -name 'yarn.lock'
pick prisma -name '*.prisma'
pick gitignore -name '.gitignore' -o -name '.dockerignore' -o -name '.groundcrewignore'
pick diagnose -path '*Diagnose/Fixtures/*' -o -name '*.log'
pick flow -path '*/flows/*.yaml' -o -path '*/flows/*.yml'

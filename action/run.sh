#!/usr/bin/env bash
# The GitHub Action's logic (action.yml runs it; tests/Groundcrew.Tests/CommandLine/ActionTests.cs runs it with the
# environment a runner gives). Runs `groundcrew check` once and writes:
#   - annotations: the `github` format's workflow commands on stdout (::error file=...,line=...::...)
#   - SARIF for github/codeql-action/upload-sarif, at $INPUT_SARIF_FILE
#   - a job summary in Markdown, appended to $GITHUB_STEP_SUMMARY
#   - outputs in $GITHUB_OUTPUT: sarif-file, exit-code, errors, warnings, notes
# Exit code: groundcrew's own (0 clean, 1 findings at or above fail-on, 2 usage or input error; docs/cli.md).
set -uo pipefail

# GROUNDCREW_BIN: how to run groundcrew (action/install.sh sets it; may be "dotnet /path/groundcrew.dll").
read -r -a groundcrew <<< "${GROUNDCREW_BIN:-groundcrew}"
cd "${GITHUB_WORKSPACE:-.}" || { echo "::error::GITHUB_WORKSPACE ${GITHUB_WORKSPACE:-} is not a folder"; exit 2; }

read -r -a paths <<< "${INPUT_PATHS:-.}"
[ ${#paths[@]} -eq 0 ] && paths=(.)
sarif="${INPUT_SARIF_FILE:-groundcrew.sarif}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

args=(check "${paths[@]}" --no-color --output "sarif=$sarif" --output "markdown=$work/summary.md" --output "json=$work/report.json")
if [ "${INPUT_ANNOTATIONS:-true}" = "true" ]; then args+=(--format github); else args+=(--format console); fi
[ -n "${INPUT_FAIL_ON:-}" ] && args+=(--fail-on "$INPUT_FAIL_ON")
[ -n "${INPUT_CONFIG:-}" ] && args+=(--config "$INPUT_CONFIG")

"${groundcrew[@]}" "${args[@]}" 2> "$work/stderr"
rc=$?
cat "$work/stderr" >&2

if [ "$rc" -ge 2 ]; then
  # A usage or input error: no report was written. Say so where the run's page shows it.
  message="$(tr '\n' ' ' < "$work/stderr" | sed 's/%/%25/g')"
  echo "::error title=groundcrew::groundcrew check could not run (exit $rc): ${message}"
fi

# Counts from the JSON report's summary ({"errors": N, ...}); 0 when there is no report.
count() { sed -nE "s/^ *\"$1\": ([0-9]+),?$/\1/p" "$work/report.json" 2>/dev/null | head -n 1; }
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    [ "$rc" -lt 2 ] && echo "sarif-file=$sarif"
    echo "exit-code=$rc"
    echo "errors=$(count errors || true)"
    echo "warnings=$(count warnings || true)"
    echo "notes=$(count notes || true)"
  } >> "$GITHUB_OUTPUT"
fi

if [ "${INPUT_SUMMARY:-true}" = "true" ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -s "$work/summary.md" ]; then
  cat "$work/summary.md" >> "$GITHUB_STEP_SUMMARY"
fi
exit "$rc"

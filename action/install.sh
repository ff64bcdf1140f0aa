#!/usr/bin/env bash
# Builds groundcrew from the action's own checkout (action.yml runs it) and exports GROUNDCREW_BIN for action/run.sh.
# The docs links in SARIF and the summary point at this same repository and ref, the pages matching this build;
# when the runner does not say which (GROUNDCREW_ACTION_REPOSITORY/REF empty), no address is written at all.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
out="${RUNNER_TEMP:-/tmp}/groundcrew"
docs=()
if [ -n "${GROUNDCREW_ACTION_REPOSITORY:-}" ] && [ -n "${GROUNDCREW_ACTION_REF:-}" ]; then
  base="${GITHUB_SERVER_URL:-https://github.com}/${GROUNDCREW_ACTION_REPOSITORY}"
  docs=("-p:GroundcrewDocsBaseUrl=${base}/blob/${GROUNDCREW_ACTION_REF}/docs/" "-p:GroundcrewProjectUrl=${base}")
fi
dotnet publish "$here/src/Groundcrew.Cli" -c Release -o "$out" --nologo -v quiet "${docs[@]}"
bin="$out/groundcrew"
[ -x "$bin" ] || bin="dotnet $out/groundcrew.dll"
echo "GROUNDCREW_BIN=$bin" >> "${GITHUB_ENV:-/dev/null}"
echo "groundcrew built: $bin"

#!/usr/bin/env bash
# Publishes the harness to fuzz/build/ and instruments the engine (and the YAML library it reads with; JSON is System.Text.Json, part of the runtime)
# for AFL with SharpFuzz's `sharpfuzz` tool (the dotnet tool in the repository's manifest).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore >/dev/null
rm -rf fuzz/build
dotnet publish fuzz/Groundcrew.Fuzz -c Release -o fuzz/build --nologo -v quiet
for dll in Groundcrew.Engine.dll YamlDotNet.dll; do
  dotnet sharpfuzz "fuzz/build/$dll" >/dev/null
done
echo "fuzz/build: harness built and instrumented"

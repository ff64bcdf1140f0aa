#!/usr/bin/env bash
# Runs one fuzz target under AFL++ for a while:  fuzz/run.sh TARGET [SECONDS]   (default 600 s)
# Findings land in fuzz/out/TARGET/default/{crashes,hangs}/; the queue there is the grown corpus.
# Needs fuzz/build.sh (instrumented harness) and fuzz/seeds.sh (fuzz/corpus/) first; fuzz/ci.sh does all three.
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?usage: fuzz/run.sh TARGET [SECONDS]  (targets: dotnet fuzz/build/Groundcrew.Fuzz.dll --list)}
seconds=${2:-600}
kind=$(dotnet build/Groundcrew.Fuzz.dll --list | awk -v t="$target" '$1 == t { sub("corpus/", "", $3); print $3 }')
[ -n "$kind" ] || { echo "unknown target $target" >&2; exit 2; }
mkdir -p out
# dotnet itself is not instrumented (SharpFuzz instruments the assemblies), so AFL's binary check is skipped; no CPU
# pinning, since the machine is shared. -t: a hang is an input that takes over 10 s (the harness fails at 3 s first).
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_FORKSRV_INIT_TMOUT=60000 AFL_AUTORESUME=1 DOTNET_TieredPGO=0
afl-fuzz -V "$seconds" -i "corpus/$kind" -o "out/$target" -t 10000+ -m none -- dotnet build/Groundcrew.Fuzz.dll "$target"

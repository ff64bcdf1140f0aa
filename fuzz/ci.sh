#!/usr/bin/env bash
# CI's fuzz pass: builds and instruments the harness, builds the seed corpora, then runs every target under AFL++
# for FUZZ_SECONDS (default 15) each, one after the other, and fails when any target saved a crash or a hang, or
# could not run. About 19 x (15 s + start-up) = 6-7 min on the 2-core machine. Prints execs/s per target.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${FUZZ_SECONDS:-15}
command -v afl-fuzz >/dev/null || { echo "fuzz: afl-fuzz is missing (apt-get install -y afl++)" >&2; exit 1; }
[ -n "${FUZZ_SKIP_BUILD:-}" ] || ./build.sh
./seeds.sh >/dev/null
rm -rf out && mkdir -p out
failed=()
printf '%-12s %8s %10s %8s %7s %6s\n' target seconds execs execs/s crashes hangs
for target in $(dotnet build/Groundcrew.Fuzz.dll --list | awk '{print $1}'); do
  start=$(date +%s)
  # afl-fuzz stops itself after -V seconds; the outer timeout only guards against a stuck start-up.
  if ! timeout $((seconds + 240)) ./run.sh "$target" "$seconds" > "out/$target.log" 2>&1; then
    echo "fuzz: afl-fuzz failed for $target (last lines of fuzz/out/$target.log):" >&2
    tail -n 15 "out/$target.log" | sed 's/\x1b\[[0-9;]*[A-Za-z]//g' >&2
    failed+=("$target")
  fi
  stats=out/$target/default/fuzzer_stats
  get() { awk -F': *' -v k="$1" '$1 ~ "^"k" *$" {print $2}' "$stats" 2>/dev/null; }
  crashes=$(find "out/$target/default/crashes" -type f -name 'id:*' 2>/dev/null | wc -l)
  hangs=$(find "out/$target/default/hangs" -type f -name 'id:*' 2>/dev/null | wc -l)
  printf '%-12s %8s %10s %8s %7s %6s\n' "$target" $(( $(date +%s) - start )) "$(get execs_done)" "$(get execs_per_sec)" "$crashes" "$hangs"
  if [ "$crashes" -gt 0 ] || [ "$hangs" -gt 0 ]; then
    failed+=("$target")
    for f in "out/$target/default/crashes"/id:* "out/$target/default/hangs"/id:*; do
      [ -f "$f" ] && echo "  $f" && head -c 200 "$f" | od -c | head -n 4
    done
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: ${#failed[@]} target(s) failed: ${failed[*]}. Replay with:" >&2
  echo "  dotnet run --project fuzz/Groundcrew.Fuzz -c Release -- TARGET fuzz/out/TARGET/default/crashes" >&2
  exit 1
fi
echo "fuzz: every target ran ${seconds} s with no crash and no hang"
